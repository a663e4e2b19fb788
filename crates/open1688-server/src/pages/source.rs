//! `/source`: the sourcing job from a form — keyword, need, options — run on the service's job
//! board; its page shows live progress while it runs, then the answer (what to buy, from whom, at
//! what landed cost, and why), the comparison with its Pareto front drawn as landed cost against
//! supplier score, and the workbook, charts and JSON to download.

use axum::Form;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, PreEscaped, html};
use open1688_jobs::{
    ConfirmFreight, FreightConfirmation, NeedRequest, ShipTo, SourceDecision, SourceRequest, SplitAnswer,
};
use open1688_store::Scope;
use serde::Deserialize;
use sourcing::{Comparison, Figure, Strategy};

use super::cart::{add_all_button, add_button};
use super::comparison::{comparison_view, units, yuan};
use super::dates::short_time;
use super::form::{FieldErrors, FieldProblem, field_error, parse_optional};
use super::layout::page;
use super::session::Viewer;
use super::stages::job_stage;
use super::text::Text;
use super::trouble::Trouble;
use crate::job_board::{JobStatus, JobView};
use crate::problem::Problem;
use crate::routes::jobs::{file_response, start_source};
use crate::state::ServiceState;

/// The sourcing form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SourceForm {
    keyword: String,
    need: String,
    candidates: String,
    strategy: String,
    max_suppliers: String,
    same_item: Option<String>,
    confirm_freight: Option<String>,
    address_id: String,
}

const FIELDS: &[&str] = &["keyword", "need", "candidates", "strategy", "max_suppliers", "address_id"];

impl SourceForm {
    fn to_request(&self) -> Result<SourceRequest, FieldErrors> {
        let mut errors = FieldErrors::default();
        let keyword = self.keyword.trim().to_owned();
        if keyword.is_empty() {
            errors.add("keyword", FieldProblem::Missing);
        }
        let need = parse_optional::<i64>(&self.need, "need", &mut errors);
        match need {
            None if errors.get("need").is_none() => errors.add("need", FieldProblem::Missing),
            Some(units) if !(1..=open1688_jobs::MAX_UNITS).contains(&units) => {
                errors.add("need", FieldProblem::Between(1, open1688_jobs::MAX_UNITS));
            }
            _ => {}
        }
        let strategy = match self.strategy.trim() {
            "" => None,
            "cheapest" => Some(Strategy::Cheapest),
            "balanced" => Some(Strategy::Balanced),
            "safest" => Some(Strategy::Safest),
            other => {
                errors.add("strategy", FieldProblem::NotAChoice(other.to_owned()));
                None
            }
        };
        let mut request = SourceRequest {
            keyword,
            need: NeedRequest::units(need.unwrap_or(0)),
            candidates: parse_optional(&self.candidates, "candidates", &mut errors),
            strategy,
            same_item: self.same_item.is_some(),
            max_suppliers: parse_optional(&self.max_suppliers, "max_suppliers", &mut errors),
            confirm_freight: None,
            file_language: None,
        };
        if self.confirm_freight.is_some() {
            match parse_optional::<i64>(&self.address_id, "address_id", &mut errors) {
                Some(id) => {
                    let ship_to = ShipTo { address_id: Some(id), ..ShipTo::default() };
                    request.confirm_freight = Some(ConfirmFreight { ship_to, top: 3 });
                }
                None if errors.get("address_id").is_none() => {
                    errors.add("address_id", FieldProblem::ChooseAddress);
                }
                None => {}
            }
        }
        let request = errors.into_result(request)?;
        request.validate().map_err(|e| FieldErrors::from_problem(&Problem::from(e), FIELDS))?;
        Ok(request)
    }
}

/// `GET /source`: the form and the jobs of this service.
pub async fn form(viewer: Viewer, State(state): State<ServiceState>) -> Response {
    let form = SourceForm { need: "500".into(), ..SourceForm::default() };
    render_form(&viewer, &state, &form, &FieldErrors::default(), StatusCode::OK).await
}

/// `POST /source`: starts the job and opens its page; a bad field comes back to the form.
pub async fn submit(viewer: Viewer, State(state): State<ServiceState>, Form(form): Form<SourceForm>) -> Response {
    if let Some(refused) = viewer.refusal(Scope::Write) {
        return refused;
    }
    match form.to_request() {
        // The job's workbook and charts in the language of the page that asked for them.
        Ok(request) => match start_source(
            &state,
            &viewer.key,
            SourceRequest { file_language: Some(viewer.lang.language()), ..request },
        )
        .await
        {
            Ok(view) => Redirect::to(&format!("/source/{}", view.id)).into_response(),
            Err(problem) => super::trouble::Trouble::from(problem).into_response(),
        },
        Err(errors) => render_form(&viewer, &state, &form, &errors, StatusCode::BAD_REQUEST).await,
    }
}

async fn render_form(
    viewer: &Viewer,
    state: &ServiceState,
    form: &SourceForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    let t = viewer.lang.text();
    let mut jobs: Vec<JobView> = Vec::new();
    for status in [JobStatus::Running, JobStatus::Succeeded, JobStatus::Failed, JobStatus::Cancelled] {
        match state.board.with_status(status, &viewer.key).await {
            Ok(views) => jobs.extend(views.into_iter().filter(|v| v.kind == "source")),
            Err(problem) => return super::trouble::Trouble::from(problem).into_response(),
        }
    }
    jobs.sort_by_key(|v| std::cmp::Reverse(v.submitted_at));
    jobs.truncate(20);
    let input = |id: &str, label: &str, value: &str, kind: &str, required: bool| {
        let error = errors.get(id);
        html! {
            div.field.(if id == "keyword" { "grow" } else { "" }) {
                label for=(id) { (label) }
                input id=(id) name=(id) type=(kind) value=(value) required[required] min=[(kind == "number").then_some("1")]
                    aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| format!("{id}-error"))];
                (field_error(t, id, errors))
            }
        }
    };
    let body = html! {
        h1 { (t.nav_source) }
        section.card aria-labelledby="new-job" {
            h2 #new-job { (t.new_sourcing_job) }
            form method="post" action="/source" {
                (errors.summary(t))
                div.row {
                    (input("keyword", t.keyword, &form.keyword, "text", true))
                    (input("need", t.need, &form.need, "number", true))
                    (input("candidates", t.candidates, &form.candidates, "number", false))
                    (input("max_suppliers", t.max_suppliers, &form.max_suppliers, "number", false))
                    div.field {
                        label for="strategy" { (t.strategy) }
                        select #strategy name="strategy" {
                            @for (value, word) in [("", t.policy_default), ("cheapest", t.cheapest), ("balanced", t.balanced), ("safest", t.safest)] {
                                option value=(value) selected[form.strategy == value] { (word) }
                            }
                        }
                        (field_error(t, "strategy", errors))
                    }
                }
                div.row.checks {
                    div.check {
                        input #same_item name="same_item" type="checkbox" checked[form.same_item.is_some()];
                        label for="same_item" { (t.same_item_too) }
                    }
                    div.check {
                        input #confirm_freight name="confirm_freight" type="checkbox" checked[form.confirm_freight.is_some()];
                        label for="confirm_freight" { (t.confirm_freight) }
                    }
                }
                div.row {
                    (input("address_id", t.address_number, &form.address_id, "number", false))
                    div.field.action { a href="/orders/addresses" { (t.see_saved_addresses) } }
                }
                button type="submit" { (t.start) }
            }
        }
        section.card aria-labelledby="jobs" {
            h2 #jobs { (t.recent_jobs) }
            @if jobs.is_empty() { p.muted { (t.none_yet) } }
            ul.list {
                @for job in &jobs {
                    li {
                        a href=(format!("/source/{}", job.id)) { (short_time(t, job.submitted_at)) }
                        " · " (status_word(t, job.status))
                        @if let Some(stage) = job_stage(t, job) { " · " span.muted { (stage) } }
                    }
                }
            }
        }
    };
    (status, page(viewer, t.nav_source, body)).into_response()
}

fn status_word(t: &Text, status: JobStatus) -> &'static str {
    match status {
        JobStatus::Running => t.running,
        JobStatus::Succeeded => t.done,
        JobStatus::Failed => t.failed,
        JobStatus::Cancelled => t.cancelled,
        JobStatus::Interrupted => t.interrupted,
    }
}

fn unknown(id: &str) -> Trouble {
    Problem::new(
        StatusCode::NOT_FOUND,
        format!("no job {id} (finished jobs are kept for the retention the service was started with)"),
    )
    .into()
}

/// The report's parts the page shows (the job keeps the whole report as JSON).
#[derive(Debug, Deserialize)]
struct Answer {
    keyword: String,
    need: i64,
    #[serde(default)]
    decision: Option<SourceDecision>,
    #[serde(default)]
    split: Option<SplitAnswer>,
    #[serde(default)]
    freight_confirmation: Option<FreightConfirmation>,
    comparison: Comparison,
    #[serde(default)]
    advice: Option<sourcing::QuantityAdvice>,
    #[serde(default)]
    cross_border_missing: Option<String>,
}

/// Why the answer, in the reader's language: the pick's reason, then the quantity's (a report
/// stored before reasons were figures keeps its English `fallback`).
fn answer_why(t: &Text, answer: &Answer, fallback: &str) -> String {
    let pick = answer.comparison.decision.as_ref().and_then(|d| d.why.as_ref());
    let quantity = answer.advice.as_ref().and_then(|a| a.why.as_ref());
    match (pick, quantity) {
        (Some(pick), Some(quantity)) => {
            let stop = if t.language == sourcing::Language::Zh { "。" } else { ". " };
            format!("{}{stop}{}", pick.render(t.language), quantity.render(t.language))
        }
        _ => fallback.to_owned(),
    }
}

/// `GET /source/{id}`: progress while the job runs; the answer once it is done.
pub async fn show(
    viewer: Viewer,
    State(state): State<ServiceState>,
    Path(id): Path<String>,
) -> Result<Response, Trouble> {
    let t = viewer.lang.text();
    let view = state.board.view(&id, &viewer.key).await?.filter(|v| v.kind == "source").ok_or_else(|| unknown(&id))?;
    let answer = match view.status {
        JobStatus::Succeeded => {
            state.board.result(&id, &viewer.key).await?.and_then(|json| serde_json::from_value::<Answer>(json).ok())
        }
        _ => None,
    };
    let title = match &answer {
        Some(a) => format!("{} · {} × {}", t.nav_source, a.keyword, a.need),
        None => t.nav_source.to_owned(),
    };
    let body = html! {
        h1 { (title) }
        @match view.status {
            JobStatus::Running => (progress(t, &view)),
            JobStatus::Succeeded => {
                @if let Some(answer) = &answer { (answer_section(t, answer)) (downloads(t, &view)) }
                @else { p.form-error role="alert" { (t.report_unreadable) } }
            }
            _ => {
                section.card role="alert" {
                    h2 { (status_word(t, view.status)) }
                    @if let Some(problem) = &view.error {
                        p lang=[(!problem.speaks(t.language)).then_some("en")] { (problem.detail_in(t.language)) }
                    }
                    p { a href="/source" { (t.try_again) } }
                }
            }
        }
        @if !view.notes.is_empty() {
            details.card {
                summary { (t.notes) " (" (view.notes.len()) ")" }
                ul.list { @for note in &view.notes { li.small { (note) } } }
            }
        }
    };
    Ok(page(&viewer, &title, body).into_response())
}

fn progress(t: &Text, view: &JobView) -> Markup {
    html! {
        // Without the script the page reloads itself every two seconds.
        noscript { (PreEscaped(r#"<meta http-equiv="refresh" content="2">"#)) }
        section.card aria-labelledby="progress" data-job-status=(format!("/source/{}/status", view.id)) {
            h2 #progress { (t.running) "…" }
            p.stage role="status" { (job_stage(t, view).unwrap_or_else(|| t.starting.to_owned())) }
            progress max=(view.total.max(1)) value=(view.done) aria-labelledby="progress" {}
            form method="post" action=(format!("/source/{}/cancel", view.id)) {
                button.secondary type="submit" { (t.cancel) }
            }
        }
    }
}

fn answer_section(t: &Text, answer: &Answer) -> Markup {
    html! {
        @if let Some(d) = &answer.decision {
            section.card.answer-card aria-labelledby="answer" {
                h2 #answer { (t.the_answer) }
                p.answer {
                    (t.buy) " " strong { (units(d.cost.quantity_bought)) } " × "
                    a href=(format!("/offers/{}", d.offer_id)) { (d.title) }
                    " · " (t.supplier) " " strong { (d.supplier) }
                }
                dl.facts { (cost_facts(t, &d.cost)) }
                p { strong { (t.why) ": " } (answer_why(t, answer, &d.why)) }
                (add_button(t, d.offer_id, d.sku_id, d.cost.quantity_bought))
                @if let Some(missing) = &answer.cross_border_missing { p.muted.small { (missing) } }
            }
        }
        @if let Some(c) = &answer.freight_confirmation { (confirmation_section(t, c)) }
        @if let Some(split) = &answer.split { (split_section(t, split, answer.decision.is_none())) }
        (comparison_view(t, &answer.comparison, answer.decision.as_ref().map_or(0, |d| d.offer_id)))
    }
}

/// What confirming freight with the platform changed: each previewed candidate's freight and
/// landed total before and after, and whether the pick changed.
fn confirmation_section(t: &Text, c: &FreightConfirmation) -> Markup {
    html! {
        section.card aria-labelledby="freight-confirmed" {
            h2 #freight-confirmed { (t.freight_confirmed) }
            p { @if c.pick_changed { (t.pick_changed) } @else { (t.pick_stands) } " " (t.preview_calls) ": " (c.preview_calls) }
            div.scroll tabindex="0" {
                table {
                    thead { tr {
                        th.text scope="col" { (t.offer) }
                        th scope="col" { (t.figure(Figure::Freight)) " · " (t.estimated) }
                        th scope="col" { (t.figure(Figure::Freight)) " · 1688" }
                        th scope="col" { (t.figure(Figure::LandedTotal)) " · " (t.estimated) }
                        th scope="col" { (t.figure(Figure::LandedTotal)) " · 1688" }
                    } }
                    tbody {
                        @for row in &c.candidates {
                            tr {
                                td { a href=(format!("/offers/{}", row.offer_id)) { (row.offer_id) } }
                                td.num { (yuan(row.estimated.freight)) }
                                @if let Some(after) = &row.confirmed {
                                    td.num { (yuan(after.freight)) }
                                    td.num { (yuan(row.estimated.landed_total)) }
                                    td.num { (yuan(after.landed_total)) }
                                } @else {
                                    td colspan="3" { (t.refused_by_platform) ": " (row.refused.as_deref().unwrap_or("")) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A split: the whole answer when no single offer holds the need, else a cheaper alternative.
fn split_section(t: &Text, split: &SplitAnswer, is_the_answer: bool) -> Markup {
    html! {
        section.card.answer-card aria-labelledby="split" {
            h2 #split { @if is_the_answer { (t.split_only) } @else { (t.split_cheaper) } }
            dl.facts {
                (cost_facts(t, &split.cost))
                @if let Some(saving) = split.saving { dt { (t.split_saving) } dd { (yuan(saving)) } }
            }
            (add_all_button(t, &split.allocation.plan.orders.iter().flat_map(|o| o.lines.iter().map(|l| (l.offer_id, l.sku_id, l.quantity))).collect::<Vec<_>>()))
            div.scroll tabindex="0" {
                table.stack {
                    thead { tr {
                        th.text scope="col" { (t.supplier) } th.text scope="col" { (t.offer) }
                        th scope="col" { (t.figure(Figure::QuantityBought)) } th scope="col" { (t.figure(Figure::UnitPrice)) }
                        th scope="col" { (t.amount) }
                    } }
                    tbody {
                        @for order in &split.allocation.plan.orders {
                            @for line in &order.lines {
                                tr {
                                    td data-label=(t.supplier) { (order.company.as_deref().unwrap_or(&order.supplier)) }
                                    td data-label=(t.offer) { a href=(format!("/offers/{}", line.offer_id)) { (line.offer_id) } }
                                    td.num data-label=(t.figure(Figure::QuantityBought)) { (line.quantity) }
                                    td.num data-label=(t.figure(Figure::UnitPrice)) { (yuan(line.unit_price)) }
                                    td.num data-label=(t.amount) { (yuan(line.amount)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A purchase's figures, each under the engine's name for it in the reader's language.
pub fn cost_facts(t: &Text, c: &sourcing::CostFigures) -> Markup {
    html! {
        dt { (t.figure(Figure::QuantityNeeded)) } dd { (units(c.quantity_needed)) }
        dt { (t.figure(Figure::QuantityBought)) } dd { (units(c.quantity_bought)) }
        dt { (t.figure(Figure::UnitPrice)) } dd { (yuan(c.unit_price)) }
        dt { (t.figure(Figure::GoodsTotal)) } dd { (yuan(c.goods_total)) }
        dt { (t.figure(Figure::Freight)) } dd { (yuan(c.freight)) " (" (t.freight_source(c.freight_source)) ")" }
        dt { (t.figure(Figure::LandedTotal)) } dd { strong { (yuan(c.landed_total)) } }
        dt { (t.figure(Figure::LandedPerUnitNeeded)) } dd { (yuan(c.landed_per_unit_needed)) }
        dt { (t.figure(Figure::LandedPerUnitBought)) } dd { (yuan(c.landed_per_unit_bought)) }
    }
}

fn downloads(t: &Text, view: &JobView) -> Markup {
    html! {
        section.card aria-labelledby="downloads" {
            h2 #downloads { (t.downloads) }
            ul.list {
                @for name in &view.files {
                    li { a href=(format!("/source/{}/files/{name}", view.id)) download { (name) } }
                }
                li { a href=(format!("/source/{}/report.json", view.id)) download="report.json" { "report.json" } }
            }
        }
    }
}

/// `GET /source/{id}/status`: the job's view as JSON, for the page's script.
pub async fn status(
    viewer: Viewer,
    State(state): State<ServiceState>,
    Path(id): Path<String>,
) -> Result<Json<JobView>, Trouble> {
    let mut view = state.board.view(&id, &viewer.key).await?.ok_or_else(|| unknown(&id))?;
    // The page's script shows the stage as it comes: in the reader's language.
    view.stage = job_stage(viewer.lang.text(), &view);
    Ok(Json(view))
}

/// `GET /source/{id}/report.json`: the whole report.
pub async fn report(
    viewer: Viewer,
    State(state): State<ServiceState>,
    Path(id): Path<String>,
) -> Result<Response, Trouble> {
    let report = state.board.result(&id, &viewer.key).await?.ok_or_else(|| unknown(&id))?;
    Ok(([(axum::http::header::CONTENT_DISPOSITION, "attachment; filename=\"report.json\"")], Json(report))
        .into_response())
}

/// `GET /source/{id}/files/{name}`: a workbook or chart the job wrote.
pub async fn file(
    viewer: Viewer,
    State(state): State<ServiceState>,
    Path((id, name)): Path<(String, String)>,
) -> Result<Response, Trouble> {
    Ok(file_response(&state, &viewer.key, &id, &name).await?)
}

/// `POST /source/{id}/cancel`: asks the job to stop.
pub async fn cancel(
    viewer: Viewer,
    State(state): State<ServiceState>,
    Path(id): Path<String>,
) -> Result<Response, Trouble> {
    if let Some(refused) = viewer.refusal(Scope::Write) {
        return Ok(refused);
    }
    state.board.cancel(&id, &viewer.key).await?.ok_or_else(|| unknown(&id))?;
    Ok(Redirect::to(&format!("/source/{id}")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_is_checked_before_a_job_starts() {
        let form = |need: &str, strategy: &str| SourceForm {
            keyword: "保温杯".into(),
            need: need.into(),
            strategy: strategy.into(),
            ..SourceForm::default()
        };
        let request = form("300", "safest").to_request().unwrap();
        assert_eq!((request.need.need, request.strategy), (300, Some(Strategy::Safest)));
        assert!(form("0", "").to_request().unwrap_err().get("need").is_some(), "checked by the job's own rule");
        assert!(form("", "").to_request().unwrap_err().get("need").is_some());
        assert!(form("5", "boldest").to_request().unwrap_err().get("strategy").is_some());
        let blank = SourceForm { need: "5".into(), ..SourceForm::default() };
        assert!(blank.to_request().unwrap_err().get("keyword").is_some());
    }

    proptest::proptest! {
        /// Whatever is typed, the form is read into a request or named errors, never a panic.
        #[test]
        fn any_typing_is_read_without_panicking(
            keyword in ".{0,20}", need in ".{0,24}", candidates in ".{0,24}", strategy in ".{0,10}", max in ".{0,24}",
        ) {
            let form = SourceForm {
                keyword,
                need,
                candidates,
                strategy,
                max_suppliers: max,
                same_item: None,
                confirm_freight: None,
                address_id: String::new(),
            };
            let _ = form.to_request();
        }
    }
}
