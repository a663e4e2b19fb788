//! `/plan`: the key's plan cart (see [`super::cart`]) with its orders by supplier, previewed and
//! placed with 1688 (see [`super::plan_order`]); and a purchase plan from lines typed in or a
//! plan file uploaded (the CLI's CSV or TOML), shown by supplier with each order's violations and
//! the fix each one names, optionally optimized (quantities raised where a higher tier lowers the
//! total), downloaded as a workbook or CSV, or put in the cart.

use axum::extract::{Multipart, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use open1688_jobs::{PlanReport, Progress};
use serde::Deserialize;

use super::cart::CartNotice;
use super::cart_view::{CartView, ShipToField, cart_section};
use super::comparison::yuan;
use super::form::{FieldErrors, FieldProblem, field_error};
use super::layout::page;
use super::plan_form::{EXAMPLE, PlanForm, lines_csv};
use super::session::Viewer;
use super::text::Text;
use super::trouble::Trouble;
use crate::problem::Problem;
use crate::state::ServiceState;

/// `GET /plan` parameters: what the last change to the cart did.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PlanQuery {
    cart: String,
}

/// `GET /plan`: the cart with its plan, and the empty form for typed lines.
pub async fn form(
    viewer: Viewer,
    State(state): State<ServiceState>,
    Query(query): Query<PlanQuery>,
) -> Result<Response, Trouble> {
    let cart = CartView::load(&state, viewer.key.id).await?;
    let form = PlanForm { lines: EXAMPLE.to_owned(), ..PlanForm::default() };
    let shown = PlanPage { notice: CartNotice::parse(&query.cart), ..PlanPage::new(&state, &cart, &form) };
    Ok(shown.render(&viewer, StatusCode::OK))
}

/// `POST /plan`: the plan for the typed or uploaded lines (the cart stays as it is).
pub async fn submit(
    viewer: Viewer,
    State(state): State<ServiceState>,
    multipart: Multipart,
) -> Result<Response, Trouble> {
    let form = PlanForm::read(multipart).await?;
    let cart = CartView::load(&state, viewer.key.id).await?;
    let request = match form.to_request() {
        Ok(request) => request,
        Err(errors) => {
            let shown = PlanPage { errors, ..PlanPage::new(&state, &cart, &form) };
            return Ok(shown.render(&viewer, StatusCode::BAD_REQUEST));
        }
    };
    match state.jobs.plan(&request, &Progress::silent()).await {
        Ok(report) => {
            // The lines the plan came from stay in the form (a file's become typed lines), so that
            // optimizing or downloading sends them again.
            let lines = lines_csv(&request);
            let typed = PlanForm { lines, file: None, optimize: form.optimize };
            let shown = PlanPage { report: Some(&report), ..PlanPage::new(&state, &cart, &typed) };
            Ok(shown.render(&viewer, StatusCode::OK))
        }
        Err(e) => {
            let errors = FieldErrors::from_problem(&Problem::from(e), &["lines", "file"]);
            let shown = PlanPage { errors, ..PlanPage::new(&state, &cart, &form) };
            Ok(shown.render(&viewer, StatusCode::BAD_REQUEST))
        }
    }
}

/// `POST /plan/download?format=xlsx|csv` parameters.
#[derive(Debug, Deserialize)]
pub struct DownloadQuery {
    format: String,
}

/// `POST /plan/download`: the plan as a workbook (both sheets) or as CSV (by supplier).
pub async fn download(
    viewer: Viewer,
    State(state): State<ServiceState>,
    Query(query): Query<DownloadQuery>,
    multipart: Multipart,
) -> Result<Response, Trouble> {
    let form = PlanForm::read(multipart).await?;
    let request = form.to_request().map_err(|errors| {
        Problem::invalid(
            "lines",
            errors
                .get("lines")
                .or(errors.get("file"))
                .map_or(FieldProblem::NoPlanLines, Clone::clone)
                .render(viewer.lang.text().language),
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
            let language = viewer.lang.language();
            let written =
                open1688_jobs::workbook::write_xlsx(&path, &sheets.iter().collect::<Vec<_>>(), source, language);
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

/// Everything the plan page shows: the cart (with a notice, a preview or what was placed) and the
/// form for typed lines (with its plan).
pub(super) struct PlanPage<'a> {
    /// The key's cart.
    pub cart: &'a CartView,
    /// What the last change to the cart did.
    pub notice: Option<CartNotice>,
    /// The address typed for a preview.
    pub ship_to: ShipToField,
    /// Whether the service has a default address (the address field may stay empty).
    pub default_address: bool,
    /// What was wrong with the cart's forms (the address, the confirmation).
    pub cart_errors: FieldErrors,
    /// The cart's orders as 1688 previewed them, with the form that places them.
    pub order_step: Option<Markup>,
    /// The typed lines' form as sent.
    pub form: &'a PlanForm,
    /// The typed lines' plan.
    pub report: Option<&'a PlanReport>,
    /// What was wrong with the typed lines.
    pub errors: FieldErrors,
}

impl<'a> PlanPage<'a> {
    /// The page with nothing but the cart and the form.
    pub(super) fn new(state: &ServiceState, cart: &'a CartView, form: &'a PlanForm) -> Self {
        Self {
            cart,
            notice: None,
            ship_to: ShipToField::default(),
            default_address: state.order_policy.ship_to.is_some(),
            cart_errors: FieldErrors::default(),
            order_step: None,
            form,
            report: None,
            errors: FieldErrors::default(),
        }
    }

    /// The page.
    pub(super) fn render(&self, viewer: &Viewer, status: StatusCode) -> Response {
        let t = viewer.lang.text();
        let (form, report, errors) = (self.form, self.report, &self.errors);
        let body = html! {
            h1 { (t.nav_plan) }
            @if let Some(notice) = self.notice { (notice.render(t)) }
            (self.cart_errors.summary(t))
            (cart_section(t, self.cart, &self.ship_to, self.default_address, &self.cart_errors))
            @if let Some(step) = &self.order_step { (step) }
            section.card aria-labelledby="lines-heading" {
                h2 #lines-heading { (t.plan_lines) }
                form method="post" action="/plan" enctype="multipart/form-data" {
                    (errors.summary(t))
                    div.field {
                        label for="lines" { (t.plan_lines_help) }
                        textarea #lines name="lines" rows="8" spellcheck="false"
                            aria-invalid=[errors.get("lines").map(|_| "true")] aria-describedby=[errors.get("lines").map(|_| "lines-error")] { (form.lines) }
                        (field_error(t, "lines", errors))
                    }
                    div.field {
                        label for="file" { (t.or_upload) }
                        input #file name="file" type="file" accept=".csv,.toml,text/csv"
                            aria-invalid=[errors.get("file").map(|_| "true")] aria-describedby=[errors.get("file").map(|_| "file-error")];
                        (field_error(t, "file", errors))
                    }
                    div.check {
                        input #optimize name="optimize" type="checkbox" checked[form.optimize];
                        label for="optimize" { (t.optimize) }
                    }
                    div.row {
                        button type="submit" { (t.make_plan) }
                        button.secondary type="submit" formaction="/plan/cart/import" { (t.add_all_to_plan) }
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
}

fn plan_view(t: &Text, report: &PlanReport) -> Markup {
    let p = &report.plan;
    html! {
        section.card aria-labelledby="plan" {
            h2 #plan { (t.plan_by_supplier) }
            dl.facts {
                dt { (t.goods) } dd { (yuan(p.goods)) }
                dt { (t.freight) } dd { (yuan(p.freight)) }
                dt { (t.total) } dd { strong { (yuan(p.total)) } }
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
                            @for v in &order.violations { li.error-text { (v.render(t.language)) } }
                        }
                    }
                    div.scroll tabindex="0" {
                        table {
                            thead { tr {
                                th scope="col" { (t.line) } th.text scope="col" { (t.offer) } th.text scope="col" { "SKU" }
                                th scope="col" { (t.quantity) } th scope="col" { (t.unit_price) } th scope="col" { (t.total) }
                            } }
                            tbody {
                                @for l in &order.lines {
                                    tr {
                                        td { (l.line) }
                                        @let item = report.item(l.offer_id, l.sku_id);
                                        td { a href=(format!("/offers/{}", l.offer_id)) { (item.map_or_else(|| l.offer_id.to_string(), |i| i.title.clone())) } }
                                        td { (item.map(|i| i.sku_attributes.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(" · ")).filter(|s| !s.is_empty()).or_else(|| l.sku_id.map(|s| s.to_string())).unwrap_or_default()) }
                                        td.num { (l.quantity) } td.num { (yuan(l.unit_price)) } td.num { (yuan(l.amount)) }
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
