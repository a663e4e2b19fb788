//! The plan cart on the plan page: each line with its picture, title and SKU, grouped into one
//! order per supplier with its totals and the rules it breaks, each quantity changeable and each
//! line removable, and the form that previews the orders with 1688.

use maud::{Markup, html};
use open1688_jobs::{PlanReport, PlanRequest, Progress};
use open1688_store::CartLine;
use sourcing::plan::PricedLine;
use sourcing::{Figure, PlanLine};

use super::comparison::yuan;
use super::form::{FieldErrors, FieldProblem, field_error};
use super::text::Text;
use super::trouble::Trouble;
use crate::problem::Problem;
use crate::state::ServiceState;

/// A key's cart and, when it has lines, their plan (or why it could not be made).
#[derive(Debug)]
pub struct CartView {
    /// The lines, oldest first.
    pub lines: Vec<CartLine>,
    /// The lines planned by supplier; the problem's words when an offer could not be read.
    pub priced: Option<Result<PlanReport, FieldProblem>>,
}

impl CartView {
    /// Reads key `key_id`'s cart and plans it (offer reads, cached like every page's).
    pub async fn load(state: &ServiceState, key_id: i64) -> Result<Self, Trouble> {
        let lines = state.store.cart(key_id).await?;
        if lines.is_empty() {
            return Ok(Self { lines, priced: None });
        }
        let request = request_of(&lines);
        let priced =
            state.jobs.plan(&request, &Progress::silent()).await.map_err(|e| FieldProblem::of(&Problem::from(e)));
        Ok(Self { lines, priced: Some(priced) })
    }

    /// The cart as a plan request (quantities as they are: a person chose them).
    pub fn request(&self) -> PlanRequest {
        request_of(&self.lines)
    }

    /// The plan, when the cart has one.
    pub fn plan(&self) -> Option<&PlanReport> {
        self.priced.as_ref().and_then(|p| p.as_ref().ok())
    }
}

fn request_of(lines: &[CartLine]) -> PlanRequest {
    PlanRequest {
        lines: lines.iter().map(|l| PlanLine::new(l.offer_id, l.sku_id, l.quantity)).collect(),
        optimize: false,
    }
}

/// The saved address typed for a preview, as the form sends it.
#[derive(Debug, Default, Clone)]
pub struct ShipToField {
    /// The address number as typed.
    pub address_id: String,
}

/// The cart's section: its lines by supplier, the totals, and the preview form; the empty cart
/// says where lines come from.
pub fn cart_section(
    t: &Text,
    cart: &CartView,
    ship_to: &ShipToField,
    default_address: bool,
    errors: &FieldErrors,
) -> Markup {
    html! {
        section.card #cart aria-labelledby="cart-heading" {
            h2 #cart-heading { (t.cart) " (" (cart.lines.len()) ")" }
            @if cart.lines.is_empty() {
                p.muted #cart-empty { (t.cart_empty) }
            } @else {
                @match &cart.priced {
                    Some(Ok(report)) => (priced_lines(t, report)),
                    Some(Err(why)) => {
                        p.form-error role="alert" { (t.cart_unpriced) " " (why.render(t.language)) }
                        (bare_lines(t, cart))
                    }
                    None => {}
                }
                @if cart.plan().is_some() { (preview_form(t, ship_to, default_address, errors)) }
                form method="post" action="/plan/cart/clear" {
                    button.secondary type="submit" { (t.cart_clear) }
                }
            }
        }
    }
}

fn priced_lines(t: &Text, report: &PlanReport) -> Markup {
    let p = &report.plan;
    html! {
        @for order in &p.orders {
            article.order {
                h3 { (order.company.as_deref().unwrap_or(&order.supplier)) }
                @if order.violations.is_empty() { p.ok-text { "✓ " (t.no_violations) } }
                @else { ul.violations { @for v in &order.violations { li.error-text { (v.render(t.language)) } } } }
                table.stack {
                    thead { tr {
                        th.text scope="col" { (t.offer) }
                        th scope="col" { (t.quantity) }
                        th scope="col" { (t.figure(Figure::UnitPrice)) }
                        th scope="col" { (t.amount) }
                        th scope="col" { span.visually-hidden { (t.remove) } }
                    } }
                    tbody { @for line in &order.lines { (priced_line(t, report, line)) } }
                }
                p.small.muted {
                    (t.goods) " " (yuan(order.goods)) " · " (t.freight) " " (yuan(order.freight))
                    " (" (t.estimated) ") · " (t.total) " " (yuan(order.total))
                }
            }
        }
        dl.facts #cart-totals {
            dt { (t.figure(Figure::GoodsTotal)) } dd { (yuan(p.goods)) }
            dt { (t.figure(Figure::Freight)) } dd { (yuan(p.freight)) " (" (t.estimated) ")" }
            dt { (t.figure(Figure::LandedTotal)) } dd { strong { (yuan(p.total)) } }
        }
    }
}

fn priced_line(t: &Text, report: &PlanReport, line: &PricedLine) -> Markup {
    let item = report.item(line.offer_id, line.sku_id);
    let title = item.map_or_else(|| line.offer_id.to_string(), |i| i.title.clone());
    let sku = item.map(|i| i.sku_attributes.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(" · "));
    html! {
        tr {
            td data-label=(t.offer) { div.item {
                @if let Some(picture) = item.and_then(|i| i.picture.as_deref()) {
                    img.thumb src=(picture) alt="" width="48" height="48" loading="lazy";
                }
                span {
                    a href=(format!("/offers/{}", line.offer_id)) { (title) }
                    @if let Some(sku) = sku.filter(|s| !s.is_empty()) { br; span.small.muted.sku { (sku) } }
                }
            } }
            td data-label=(t.quantity) { (quantity_form(t, line.offer_id, line.sku_id, line.quantity, &title)) }
            td.num data-label=(t.figure(Figure::UnitPrice)) { (yuan(line.unit_price)) }
            td.num data-label=(t.amount) { (yuan(line.amount)) }
            td data-label=(t.remove) { (remove_form(t, line.offer_id, line.sku_id, &title)) }
        }
    }
}

/// The lines without a plan (an offer could not be read): ids and quantities, each removable.
fn bare_lines(t: &Text, cart: &CartView) -> Markup {
    html! {
        table.stack {
            thead { tr {
                th.text scope="col" { (t.offer_id) } th.text scope="col" { "SKU" } th scope="col" { (t.quantity) }
                th scope="col" { span.visually-hidden { (t.remove) } }
            } }
            tbody { @for l in &cart.lines {
                tr {
                    td data-label=(t.offer_id) { a href=(format!("/offers/{}", l.offer_id)) { (l.offer_id) } }
                    td data-label="SKU" { (l.sku_id.map_or_else(|| "—".to_owned(), |s| s.to_string())) }
                    td.num data-label=(t.quantity) { (l.quantity) }
                    td data-label=(t.remove) { (remove_form(t, l.offer_id, l.sku_id, &l.offer_id.to_string())) }
                }
            } }
        }
    }
}

fn line_fields(offer_id: i64, sku_id: Option<i64>) -> Markup {
    html! {
        input type="hidden" name="offer" value=(offer_id);
        input type="hidden" name="sku" value=(sku_id.map(|s| s.to_string()).unwrap_or_default());
    }
}

fn quantity_form(t: &Text, offer_id: i64, sku_id: Option<i64>, quantity: i64, title: &str) -> Markup {
    let field = format!("cart-qty-{offer_id}-{}", sku_id.unwrap_or_default());
    html! {
        form.quantity method="post" action="/plan/cart/update" {
            (line_fields(offer_id, sku_id))
            label.visually-hidden for=(field) { (t.quantity) " · " (title) }
            input id=(field) name="quantity" type="number" min="1" inputmode="numeric" value=(quantity) required;
            button.secondary type="submit" { (t.cart_update) }
        }
    }
}

fn remove_form(t: &Text, offer_id: i64, sku_id: Option<i64>, title: &str) -> Markup {
    html! {
        form.remove method="post" action="/plan/cart/remove" {
            (line_fields(offer_id, sku_id))
            button.secondary type="submit" aria-label=(format!("{} · {title}", t.remove)) { (t.remove) }
        }
    }
}

/// The preview form: where the goods go (a saved address, else the service's default).
fn preview_form(t: &Text, ship_to: &ShipToField, default_address: bool, errors: &FieldErrors) -> Markup {
    html! {
        form.preview method="post" action="/plan/preview" {
            div.field {
                label for="address_id" { (t.address_number) }
                input #address_id name="address_id" type="number" min="1" inputmode="numeric" value=(ship_to.address_id)
                    required[!default_address]
                    aria-invalid=[errors.get("address_id").map(|_| "true")] aria-describedby="address_id-help";
                p.small.muted #address_id-help {
                    @if default_address { (t.address_default_used) " " }
                    a href="/orders/addresses" { (t.saved_addresses) }
                }
                (field_error(t, "address_id", errors))
            }
            p.small.muted { (t.preview_explained) }
            button type="submit" { (t.preview_orders) }
        }
    }
}
