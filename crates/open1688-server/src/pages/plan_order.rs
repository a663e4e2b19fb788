//! From the plan cart to orders: `POST /plan/preview` asks 1688 to price each supplier's order
//! (read-only) and shows every difference from the plan; `POST /plan/place` places them — only
//! with a `write` key, the person's ticked confirmation of the total they saw, and under the
//! service's spending cap — and shows each order and the payment link. Nothing is paid here.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use open1688_jobs::{
    DifferenceKind, OrderPreviewReport, OrderRequest, PlaceOptions, PlaceReport, PreviewedOrder, Progress, ShipTo,
};
use open1688_store::Scope;
use rust_decimal::Decimal;
use serde::Deserialize;

use super::cart_view::{CartView, ShipToField};
use super::comparison::yuan;
use super::form::{FieldErrors, FieldProblem};
use super::layout::page;
use super::plan::PlanPage;
use super::plan_form::PlanForm;
use super::session::Viewer;
use super::text::Text;
use super::trouble::Trouble;
use crate::problem::Problem;
use crate::state::ServiceState;

/// The fields of the preview and place forms.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OrderForm {
    /// The saved address's number (empty: the service's default address).
    address_id: String,
    /// The total the person saw in the preview and confirms (place only).
    confirmed_total: String,
    /// The ticked confirmation (place only).
    confirm: Option<String>,
}

impl OrderForm {
    /// Where the goods go, or what is wrong with the address field.
    fn ship_to(&self, t: &Text, state: &ServiceState) -> Result<ShipTo, FieldErrors> {
        let mut errors = FieldErrors::default();
        match self.address_id.trim() {
            "" => match state.order_policy.ship_to.clone() {
                Some(default) => return Ok(default),
                None => errors.add("address_id", FieldProblem::Said(t.address_needed.to_owned())),
            },
            text => match text.parse::<i64>().ok().filter(|id| *id > 0) {
                Some(id) => return Ok(ShipTo { address_id: Some(id), ..ShipTo::default() }),
                None => errors.add("address_id", FieldProblem::Said(t.not_a_positive_number.to_owned())),
            },
        }
        Err(errors)
    }
}

/// The plan page with the cart, and under it `step` (a preview) or what was wrong.
fn plan_page(
    viewer: &Viewer,
    state: &ServiceState,
    cart: &CartView,
    form: &OrderForm,
    cart_errors: FieldErrors,
    step: Option<Markup>,
    status: StatusCode,
) -> Response {
    let typed = PlanForm::default();
    let shown = PlanPage {
        ship_to: ShipToField { address_id: form.address_id.clone() },
        cart_errors,
        order_step: step,
        ..PlanPage::new(state, cart, &typed)
    };
    shown.render(viewer, status)
}

/// The key's cart and the orders it makes to the form's address; or the page to answer instead:
/// the plan page when the cart is empty, the form again when the address is missing or wrong.
async fn cart_order(
    viewer: &Viewer,
    state: &ServiceState,
    form: &OrderForm,
) -> Result<Result<(CartView, OrderRequest), Response>, Trouble> {
    let cart = CartView::load(state, viewer.key.id).await?;
    if cart.lines.is_empty() {
        return Ok(Err(Redirect::to("/plan").into_response()));
    }
    match form.ship_to(viewer.lang.text(), state) {
        Ok(ship_to) => {
            let request = OrderRequest { plan: cart.request(), ship_to, batch: None, message: None };
            Ok(Ok((cart, request)))
        }
        Err(errors) => Ok(Err(plan_page(viewer, state, &cart, form, errors, None, StatusCode::BAD_REQUEST))),
    }
}

/// `POST /plan/preview`: the cart's orders as 1688 would take them.
pub async fn preview(
    viewer: Viewer,
    State(state): State<ServiceState>,
    Form(form): Form<OrderForm>,
) -> Result<Response, Trouble> {
    let t = viewer.lang.text();
    let (cart, request) = match cart_order(&viewer, &state, &form).await? {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    match state.jobs.preview_orders(&request, &Progress::silent()).await {
        Ok(report) => {
            let can_place = viewer.key.scope >= Scope::Write;
            let step = preview_section(t, &report, &form, state.order_policy.cap(None), can_place);
            Ok(plan_page(&viewer, &state, &cart, &form, FieldErrors::default(), Some(step), StatusCode::OK))
        }
        Err(e) => {
            let errors = FieldErrors::from_problem(&Problem::from(e), &["address_id"]);
            Ok(plan_page(&viewer, &state, &cart, &form, errors, None, StatusCode::BAD_REQUEST))
        }
    }
}

/// `POST /plan/place`: places the cart's orders under the total the person confirmed, then shows
/// them and the payment link; the cart is emptied once every order is on 1688.
pub async fn place(
    viewer: Viewer,
    State(state): State<ServiceState>,
    Form(form): Form<OrderForm>,
) -> Result<Response, Trouble> {
    if let Some(refused) = viewer.refusal(Scope::Write) {
        return Ok(refused);
    }
    let t = viewer.lang.text();
    let (cart, request) = match cart_order(&viewer, &state, &form).await? {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    let confirmed_total = form.confirmed_total.trim().parse::<Decimal>().ok().filter(|d| *d > Decimal::ZERO);
    let (Some(confirmed_total), Some(_)) = (confirmed_total, form.confirm.as_ref()) else {
        let errors = FieldErrors::alert(t.place_needs_confirmation);
        return Ok(plan_page(&viewer, &state, &cart, &form, errors, None, StatusCode::BAD_REQUEST));
    };
    // Never more than the person saw: the total they confirmed is this run's cap (under the
    // service's own), so a price that rose since the preview places nothing.
    let options = PlaceOptions { confirmed: true, spending_cap: state.order_policy.cap(Some(confirmed_total)) };
    let report = match state.jobs.place_orders(&state.store, &request, &options, &Progress::silent()).await {
        Ok(report) => report,
        Err(e) => {
            let problem = Problem::from(e);
            let errors = if problem.field.as_deref() == Some("spending_cap") {
                FieldErrors::alert(t.place_total_rose)
            } else {
                FieldErrors::from_problem(&problem, &["address_id"])
            };
            return Ok(plan_page(&viewer, &state, &cart, &form, errors, None, StatusCode::CONFLICT));
        }
    };
    let on_platform = ["placed", "already_placed", "found", "split_off"];
    if !report.placed.is_empty() && report.placed.iter().all(|p| on_platform.contains(&p.outcome.as_str())) {
        state.store.clear_cart(viewer.key.id).await?;
    }
    Ok(page(&viewer, t.orders_placed, placed_view(t, &report)).into_response())
}

fn difference(t: &Text, kind: &DifferenceKind) -> &'static str {
    match kind {
        DifferenceKind::Price => t.difference_price,
        DifferenceKind::Freight => t.difference_freight,
        DifferenceKind::Promotion => t.difference_promotion,
        DifferenceKind::Total => t.difference_total,
    }
}

fn previewed_order(t: &Text, order: &PreviewedOrder) -> Markup {
    html! {
        article.order {
            h3 { (order.company.as_deref().unwrap_or(&order.supplier)) }
            dl.facts {
                dt { (t.plan_expected) } dd { (yuan(order.plan_total)) }
                dt { (t.platform_total) } dd.price {
                    @match order.platform_total { Some(total) => (yuan(total)), None => "—" }
                }
                @if let Some(freight) = order.platform_freight { dt { (t.freight) " · 1688" } dd { (yuan(freight)) } }
                @if let Some(discount) = order.platform_discount.filter(|d| !d.is_zero()) {
                    dt { (t.discount) } dd { (yuan(-discount.abs())) }
                }
            }
            @if let Some(refusal) = &order.refused {
                p.error-text role="alert" {
                    strong { (t.refused_by_platform) } @if let Some(code) = &refusal.code { " (" (code) ")" } ": " (refusal.message)
                }
            } @else if order.differences.is_empty() {
                p.ok-text { "✓ " (t.preview_agrees) }
            } @else {
                ul.changes { @for d in &order.differences {
                    li {
                        strong { (difference(t, &d.kind)) }
                        @if let Some(id) = d.offer_id { " · " a href=(format!("/offers/{id}")) { (id) } }
                        " · " (yuan(d.plan)) " → " strong { (yuan(d.platform)) }
                    }
                } }
            }
        }
    }
}

/// The preview: each order as 1688 prices it, the totals, and the place form when it may be used.
fn preview_section(
    t: &Text,
    report: &OrderPreviewReport,
    form: &OrderForm,
    cap: Option<Decimal>,
    can_place: bool,
) -> Markup {
    let total: Decimal = report.orders.iter().map(PreviewedOrder::expected_total).sum();
    let over_cap = cap.is_some_and(|cap| total > cap);
    html! {
        section.card #order-preview aria-labelledby="preview-heading" {
            h2 #preview-heading { (t.order_preview) }
            @for order in &report.orders { (previewed_order(t, order)) }
            dl.facts {
                dt { (t.plan_expected) } dd { (yuan(report.plan_total)) }
                dt { (t.platform_total) } dd { strong #preview-total { (yuan(total)) } }
                @if let Some(cap) = cap { dt { (t.spending_cap) } dd { (yuan(cap)) } }
            }
            @if !report.placeable {
                p.error-text role="alert" { (t.not_placeable) }
            } @else if over_cap {
                p.error-text role="alert" { (t.over_spending_cap) }
            } @else if !can_place {
                p.muted { (t.place_needs_write_key) }
            } @else {
                form.place method="post" action="/plan/place" {
                    input type="hidden" name="address_id" value=(form.address_id);
                    input type="hidden" name="confirmed_total" value=(total);
                    div.check {
                        input #confirm name="confirm" type="checkbox" value="yes" required aria-describedby="confirm-help";
                        label for="confirm" {
                            (t.place_confirm) " " strong { (yuan(total)) } " · " (report.orders.len()) " " (t.orders_count)
                        }
                    }
                    p.small.muted #confirm-help { (t.never_paid_here) }
                    button type="submit" { (t.place_orders) }
                }
            }
        }
    }
}

fn outcome(t: &Text, outcome: &str) -> &'static str {
    match outcome {
        "placed" => t.outcome_placed,
        "already_placed" => t.outcome_already_placed,
        "found" => t.outcome_found,
        "split_off" => t.outcome_split_off,
        "unconfirmed" => t.outcome_unconfirmed,
        _ => t.outcome_failed,
    }
}

/// What placing did: each order with its number, what happened, and where to pay.
fn placed_view(t: &Text, report: &PlaceReport) -> Markup {
    html! {
        h1 { (t.orders_placed) }
        section.card #placed aria-labelledby="placed-heading" {
            h2 #placed-heading { (report.placed.len()) " " (t.orders_count) }
            div.scroll tabindex="0" { table.stack {
                thead { tr {
                    th.text scope="col" { (t.supplier) } th.text scope="col" { (t.order) }
                    th.text scope="col" { (t.order_outcome) } th scope="col" { (t.total) }
                } }
                tbody { @for p in &report.placed { tr {
                    td data-label=(t.supplier) { (p.supplier) }
                    td data-label=(t.order) {
                        @match p.order.order_id {
                            Some(number) => a href=(format!("/orders/{number}")) { (number) },
                            None => code { (p.out_order_id) },
                        }
                    }
                    td data-label=(t.order_outcome) { (outcome(t, &p.outcome)) }
                    td.num data-label=(t.total) { (yuan(p.order.platform_total.unwrap_or(p.order.expected_total))) }
                } } }
            } }
            @if let Some(url) = &report.pay_url {
                p { a #cashier.button href=(url) rel="noreferrer noopener" target="_blank" { (t.pay_link) } }
            }
            p.muted.small { (t.never_paid_here) }
            p { a href="/orders" { (t.see_orders) } }
        }
    }
}
