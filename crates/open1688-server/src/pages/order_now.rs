//! The part of an order's page that says what the platform reported when the order was last read
//! — its total, goods, freight, discount, receiver, carrier and lines — and every difference from
//! what was placed, in the viewer's language.

use maud::{Markup, html};
use open1688_store::{OrderChange, OrderChangeKind, OrderReadback, StoredOrder};
use rust_decimal::Decimal;

use super::text::Text;

fn money(v: Option<Decimal>) -> String {
    match v {
        None => "—".to_owned(),
        // A discount is negative: the sign before the currency, as people write it.
        Some(v) if v.is_sign_negative() && !v.is_zero() => format!("-¥{}", v.abs().round_dp(2)),
        Some(v) => format!("¥{}", v.round_dp(2)),
    }
}

fn offer_name(order: &StoredOrder, offer_id: Option<i64>) -> String {
    let Some(id) = offer_id else { return String::new() };
    let placed = order.lines.iter().find(|l| l.offer_id == id).and_then(|l| l.title.clone());
    let read = order
        .readback
        .as_ref()
        .and_then(|r| r.lines.iter().find(|l| l.offer_id == Some(id)))
        .and_then(|l| l.title.clone());
    placed.or(read).unwrap_or_else(|| id.to_string())
}

/// One difference as a person reads it: what changed, of which line, from what to what.
fn change_line(t: &Text, order: &StoredOrder, c: &OrderChange) -> Markup {
    let (what, figure): (&str, fn(Option<Decimal>) -> String) = match c.kind {
        OrderChangeKind::Total => (t.change_total, money),
        OrderChangeKind::UnitPrice => (t.change_unit_price, money),
        OrderChangeKind::Quantity => {
            (t.change_quantity, |v| v.map_or_else(|| "—".to_owned(), |v| v.normalize().to_string()))
        }
        OrderChangeKind::LineGone => (t.change_line_gone, |_| String::new()),
        OrderChangeKind::LineAdded => (t.change_line_added, |_| String::new()),
    };
    let arrow = matches!(c.kind, OrderChangeKind::Total | OrderChangeKind::UnitPrice | OrderChangeKind::Quantity);
    html! {
        li.change {
            strong { (what) }
            @if c.offer_id.is_some() { " · " (offer_name(order, c.offer_id)) }
            @if arrow { " · " (figure(c.placed)) " → " strong { (figure(c.now)) } }
        }
    }
}

/// The card: the platform's figures and the differences, or that it was not read yet.
pub fn card(t: &Text, order: &StoredOrder) -> Markup {
    let Some(read) = &order.readback else {
        return html! {
            section.card aria-labelledby="now-title" {
                h2 #now-title { (t.platform_now) }
                p.muted { (t.not_read_yet) }
            }
        };
    };
    let changes = order.changes_since_placed();
    let receiver = read.receiver.clone().unwrap_or_default();
    html! {
        section.card aria-labelledby="now-title" {
            h2 #now-title { (t.platform_now) }
            dl.facts {
                dt { (t.total) } dd.price { (money(read.total)) }
                dt { (t.goods) } dd { (money(read.goods)) }
                dt { (t.freight) } dd { (money(read.freight)) }
                @if read.discount.is_some_and(|d| !d.is_zero()) { dt { (t.discount) } dd { (money(read.discount)) } }
                dt { (t.receiver) } dd {
                    (receiver.name.as_deref().unwrap_or("—"))
                    @if let Some(area) = &receiver.area { br; span.small { (area) } }
                    @if let Some(street) = &receiver.address { " " span.small { (street) } }
                }
                @if let Some(carrier) = &read.carrier { dt { (t.carrier) } dd { (carrier) } }
                @if let Some(bill) = &read.waybill { dt { (t.waybill) } dd { (bill) } }
                dt { (t.read_at) } dd { (super::dates::short_time_ms(t, Some(read.read_ms))) }
            }
            h3 { (t.changes_since_placed) }
            @if changes.is_empty() {
                p.muted #no-changes { (t.no_changes_since_placed) }
            } @else {
                ul.changes #changes { @for c in &changes { (change_line(t, order, c)) } }
            }
        }
        @if order.lines.is_empty() && !read.lines.is_empty() { (platform_lines(t, read)) }
    }
}

/// The lines as the platform lists them (an order the platform split off has no others).
fn platform_lines(t: &Text, read: &OrderReadback) -> Markup {
    html! {
        section.card aria-labelledby="platform-lines-title" {
            h2 #platform-lines-title { (t.platform_lines) }
            div.scroll tabindex="0" role="region" aria-label=(t.platform_lines) { table {
                thead { tr {
                    th.text scope="col" { (t.offer) }
                    th.text scope="col" { "SKU" }
                    th scope="col" { (t.quantity) }
                    th scope="col" { (t.unit_price) }
                } }
                tbody { @for l in &read.lines { tr {
                    td {
                        @if let Some(id) = l.offer_id {
                            a href=(format!("/offers/{id}")) { (l.title.clone().unwrap_or_else(|| id.to_string())) }
                        } @else { (l.title.as_deref().unwrap_or("—")) }
                    }
                    td { (l.attributes.as_deref().or(l.spec_id.as_deref()).unwrap_or("—")) }
                    td.num { (l.quantity.map_or_else(|| "—".to_owned(), |q| q.to_string())) }
                    td.num { (money(l.unit_price)) }
                } } }
            } }
        }
    }
}
