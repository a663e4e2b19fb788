//! `/plan`: a purchase plan from lines typed in or a plan file uploaded (the CLI's CSV or TOML),
//! shown by supplier with each order's violations and the fix each one names, optionally
//! optimized (quantities raised where a higher tier lowers the total), and downloaded as a
//! workbook or CSV.

use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use open1688_jobs::{PlanFormat, PlanReport, PlanRequest, Progress, parse_plan};
use serde::Deserialize;

use super::form::{FieldErrors, field_error};
use super::layout::page;
use super::session::Viewer;
use super::text::Text;
use super::trouble::Trouble;
use crate::problem::Problem;
use crate::state::ServiceState;

/// The example the empty form shows.
const EXAMPLE: &str = "offer_id,sku_id,quantity\n";

/// The form as sent: typed lines, an uploaded file, and whether to optimize.
#[derive(Debug, Default)]
struct PlanForm {
    lines: String,
    file: Option<(String, String)>,
    optimize: bool,
}

impl PlanForm {
    /// Reads the multipart form (a file of any name; text fields as typed).
    async fn read(mut multipart: Multipart) -> Result<Self, Problem> {
        let mut form = Self::default();
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|e| Problem::invalid("file", format!("the form did not arrive whole: {e}")))?
        {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let text = field.text().await.map_err(|e| Problem::invalid(&name, format!("not text: {e}")))?;
            match name.as_str() {
                "lines" => form.lines = text,
                "optimize" => form.optimize = true,
                "file" if !text.trim().is_empty() => {
                    form.file = Some((file_name.unwrap_or_else(|| "upload".into()), text))
                }
                _ => {}
            }
        }
        Ok(form)
    }

    /// The plan request: the uploaded file's lines, else the typed ones.
    fn to_request(&self) -> Result<PlanRequest, FieldErrors> {
        let parsed = match &self.file {
            Some((name, text)) => {
                let format =
                    if name.to_ascii_lowercase().ends_with(".toml") { PlanFormat::Toml } else { PlanFormat::Csv };
                parse_plan(text, format, name).map_err(|e| ("file", e))
            }
            None => parse_plan(&self.lines, PlanFormat::Csv, "lines").map_err(|e| ("lines", e)),
        };
        match parsed {
            Ok(lines) if lines.is_empty() => {
                let mut errors = FieldErrors::default();
                errors.add("lines", "type at least one line: offer_id,sku_id,quantity");
                Err(errors)
            }
            Ok(lines) => Ok(PlanRequest { lines, optimize: self.optimize }),
            Err((field, e)) => {
                let mut errors = FieldErrors::default();
                errors.add(field, Problem::from(e).detail.to_string());
                Err(errors)
            }
        }
    }
}

/// `GET /plan`: the empty form.
pub async fn form(viewer: Viewer) -> Response {
    let form = PlanForm { lines: EXAMPLE.to_owned(), ..PlanForm::default() };
    render(&viewer, &form, None, &FieldErrors::default(), StatusCode::OK)
}

/// `POST /plan`: the plan for the lines.
pub async fn submit(
    viewer: Viewer,
    State(state): State<ServiceState>,
    multipart: Multipart,
) -> Result<Response, Trouble> {
    let form = PlanForm::read(multipart).await?;
    let request = match form.to_request() {
        Ok(request) => request,
        Err(errors) => return Ok(render(&viewer, &form, None, &errors, StatusCode::BAD_REQUEST)),
    };
    match state.jobs.plan(&request, &Progress::silent()).await {
        Ok(report) => {
            // The lines the plan came from stay in the form (a file's become typed lines), so that
            // optimizing or downloading sends them again.
            let lines = lines_csv(&request);
            let shown = PlanForm { lines, file: None, optimize: form.optimize };
            Ok(render(&viewer, &shown, Some(&report), &FieldErrors::default(), StatusCode::OK))
        }
        Err(e) => {
            let errors = FieldErrors::from_problem(&Problem::from(e), &["lines", "file"]);
            Ok(render(&viewer, &form, None, &errors, StatusCode::BAD_REQUEST))
        }
    }
}

/// The request's lines as the CSV the form takes.
fn lines_csv(request: &PlanRequest) -> String {
    let mut text = EXAMPLE.to_owned();
    for line in &request.lines {
        let sku = line.sku_id.map(|s| s.to_string()).unwrap_or_default();
        text.push_str(&format!("{},{sku},{}\n", line.offer_id, line.quantity));
    }
    text
}

/// `POST /plan/download?format=xlsx|csv` parameters.
#[derive(Debug, Deserialize)]
pub struct DownloadQuery {
    format: String,
}

/// `POST /plan/download`: the plan as a workbook (both sheets) or as CSV (by supplier).
pub async fn download(
    _viewer: Viewer,
    State(state): State<ServiceState>,
    Query(query): Query<DownloadQuery>,
    multipart: Multipart,
) -> Result<Response, Trouble> {
    let form = PlanForm::read(multipart).await?;
    let request = form.to_request().map_err(|errors| {
        Problem::invalid(
            "lines",
            errors.get("lines").or(errors.get("file")).unwrap_or("the lines do not parse").to_owned(),
        )
    })?;
    let report = state.jobs.plan(&request, &Progress::silent()).await?;
    let sheets = report.sheets();
    let (bytes, kind, name) = match query.format.as_str() {
        "xlsx" => {
            // The workbook writer wants a file: a private one in the temporary folder, gone after.
            let mut random = [0u8; 8];
            getrandom::fill(&mut random).map_err(|e| Problem::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
            let path = std::env::temp_dir().join(format!("open1688-plan-{}.xlsx", u64::from_le_bytes(random)));
            let source = open1688_jobs::DataSource::of(state.jobs.client());
            let written = open1688_jobs::workbook::write_xlsx(&path, &sheets.iter().collect::<Vec<_>>(), source);
            let bytes = written.map_err(Problem::from).and_then(|()| {
                std::fs::read(&path).map_err(|e| Problem::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
            });
            let _ = std::fs::remove_file(&path);
            let bytes = bytes?;
            (bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "plan.xlsx")
        }
        "csv" => {
            let text = sheets
                .iter()
                .find(|s| s.name == "plan by supplier")
                .map(|s| s.csv())
                .transpose()
                .map_err(|e| Problem::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
                .unwrap_or_default();
            (text.into_bytes(), "text/csv; charset=utf-8", "plan.csv")
        }
        other => return Err(Problem::invalid("format", format!("{other:?} is not xlsx or csv")).into()),
    };
    let mut response = bytes.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

fn render(
    viewer: &Viewer,
    form: &PlanForm,
    report: Option<&PlanReport>,
    errors: &FieldErrors,
    status: StatusCode,
) -> Response {
    let t = viewer.lang.text();
    let body = html! {
        h1 { (t.nav_plan) }
        section.card aria-labelledby="lines-heading" {
            h2 #lines-heading { (t.plan_lines) }
            form method="post" action="/plan" enctype="multipart/form-data" {
                (errors.summary())
                div.field {
                    label for="lines" { (t.plan_lines_help) }
                    textarea #lines name="lines" rows="8" spellcheck="false"
                        aria-invalid=[errors.get("lines").map(|_| "true")] aria-describedby=[errors.get("lines").map(|_| "lines-error")] { (form.lines) }
                    (field_error("lines", errors))
                }
                div.field {
                    label for="file" { (t.or_upload) }
                    input #file name="file" type="file" accept=".csv,.toml,text/csv"
                        aria-invalid=[errors.get("file").map(|_| "true")] aria-describedby=[errors.get("file").map(|_| "file-error")];
                    (field_error("file", errors))
                }
                div.check {
                    input #optimize name="optimize" type="checkbox" checked[form.optimize];
                    label for="optimize" { (t.optimize) }
                }
                div.row {
                    button type="submit" { (t.make_plan) }
                    @if report.is_some() {
                        button.secondary type="submit" formaction="/plan/download?format=xlsx" { (t.download) " XLSX" }
                        button.secondary type="submit" formaction="/plan/download?format=csv" { (t.download) " CSV" }
                    }
                }
            }
        }
        @if let Some(report) = report { (plan_view(t, report)) }
    };
    (status, page(viewer, t.nav_plan, body)).into_response()
}

fn plan_view(t: &Text, report: &PlanReport) -> Markup {
    let p = &report.plan;
    html! {
        section.card aria-labelledby="plan" {
            h2 #plan { (t.plan_by_supplier) }
            dl.facts {
                dt { (t.goods) } dd { "¥" (p.goods) }
                dt { (t.freight) } dd { "¥" (p.freight) }
                dt { (t.total) } dd { strong { "¥" (p.total) } }
            }
            @if !p.raises.is_empty() {
                h3 { (t.raised) }
                ul.list {
                    @for r in &p.raises {
                        li { (t.line) " " (r.line) ": " (r.from) " → " (r.to) " (" (t.saves) " ¥" (r.saving) ")" }
                    }
                }
            }
            @for order in &p.orders {
                article.order {
                    h3 { (order.company.as_deref().unwrap_or(&order.supplier)) }
                    @if order.violations.is_empty() { p.ok-text { "✓ " (t.no_violations) } }
                    @else {
                        ul.violations {
                            @for v in &order.violations { li.error-text { (v) } }
                        }
                    }
                    div.scroll {
                        table {
                            thead { tr {
                                th scope="col" { (t.line) } th scope="col" { (t.offer_id) } th scope="col" { "SKU" }
                                th scope="col" { (t.quantity) } th scope="col" { (t.unit_price) } th scope="col" { (t.total) }
                            } }
                            tbody {
                                @for l in &order.lines {
                                    tr {
                                        td { (l.line) }
                                        td { a href=(format!("/offers/{}", l.offer_id)) { (l.offer_id) } }
                                        td { (l.sku_id.map(|s| s.to_string()).unwrap_or_default()) }
                                        td.num { (l.quantity) } td.num { "¥" (l.unit_price) } td.num { "¥" (l.amount) }
                                    }
                                }
                            }
                        }
                    }
                    p.small.muted { (t.goods) " ¥" (order.goods) " · " (t.freight) " ¥" (order.freight) " · " (t.total) " ¥" (order.total) }
                }
            }
        }
    }
}
