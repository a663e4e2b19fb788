//! `/orders`: the orders placed from here with their status, and one order's page — what the
//! platform says of it now and every change since it was placed, its lines, its timeline (every
//! status as it was seen, by whom) and the carrier's trace — with "read it again now" and, while
//! unpaid, the link to the platform's cashier. Nothing here places or pays.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use open1688_store::{OrderQuery, Scope, StoredOrder};
use serde::Deserialize;

use super::comparison::yuan;
use super::dates::short_time_ms;
use super::layout::page;
use super::session::Viewer;
use super::text::Text;
use super::trouble::Trouble;
use crate::problem::Problem;
use crate::state::ServiceState;

/// The most orders the list shows.
const SHOWN: i64 = 200;

/// `GET /orders` parameters.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    /// `all` shows finished orders too (default: open ones).
    show: String,
}

/// A platform status in words.
fn status_word(t: &Text, status: Option<&str>) -> String {
    match status {
        Some("waitbuyerpay") => t.status_unpaid.to_owned(),
        Some("waitsellersend") => t.status_paid.to_owned(),
        Some("waitbuyerreceive") => t.status_shipped.to_owned(),
        Some("success") => t.status_received.to_owned(),
        Some("cancel") => t.status_cancelled.to_owned(),
        Some(other) => other.to_owned(),
        None => "—".to_owned(),
    }
}

fn time(t: &Text, ms: i64) -> String {
    short_time_ms(t, Some(ms))
}

fn total(order: &StoredOrder) -> String {
    format!("¥{}", order.platform_total.unwrap_or(order.expected_total).round_dp(2))
}

/// `GET /orders`.
pub async fn list(
    viewer: Viewer,
    State(state): State<ServiceState>,
    Query(query): Query<ListQuery>,
) -> Result<Response, Trouble> {
    let t = viewer.lang.text();
    let all = query.show == "all";
    let orders = state.store.orders(&OrderQuery { open_only: !all, limit: SHOWN, ..OrderQuery::default() }).await?;
    let body = html! {
        h1 { (t.nav_orders) }
        p.muted { (t.orders_intro) }
        nav.zoom aria-label=(t.nav_orders) {
            a href="/orders" aria-current=[(!all).then_some("true")] { (t.open_orders) }
            a href="/orders?show=all" aria-current=[all.then_some("true")] { (t.all_orders) }
            a href="/orders/addresses" { (t.saved_addresses) }
        }
        section.card {
            @if orders.is_empty() {
                p { (t.no_orders) } p { code { "open1688 order place plan.csv --yes" } }
            } @else {
                div.scroll tabindex="0" { table {
                    thead { tr {
                        th.text scope="col" { (t.order) }
                        th.text scope="col" { (t.supplier) }
                        th.text scope="col" { (t.state) }
                        th scope="col" { (t.total) }
                        th scope="col" { (t.placed_at) }
                    } }
                    tbody { @for o in &orders { (row(t, o)) } }
                } }
            }
        }
    };
    Ok(page(&viewer, t.nav_orders, body).into_response())
}

fn row(t: &Text, o: &StoredOrder) -> Markup {
    html! {
        tr {
            td {
                @if let Some(id) = o.order_id { a href=(format!("/orders/{id}")) { (id) } } @else { (o.out_order_id) }
            }
            td { (o.supplier) }
            td {
                span class=(format!("order-status {}", o.status.as_deref().unwrap_or(o.state.as_str()))) {
                    @if o.order_id.is_some() { (status_word(t, o.status.as_deref())) } @else { (o.state.as_str()) }
                }
                @if let Some(e) = &o.error { br; span.small.error-text { (e) } }
            }
            td.num { (total(o)) }
            td.num { (time(t, o.created_ms)) }
        }
    }
}

fn order_id(text: &str) -> Result<i64, Trouble> {
    super::trouble::positive_id(text, "order")
}

async fn load(state: &ServiceState, id: i64) -> Result<StoredOrder, Trouble> {
    state
        .store
        .order_by_platform_id(id)
        .await?
        .ok_or_else(|| Problem::new(StatusCode::NOT_FOUND, format!("no order {id} was placed from here")).into())
}

/// `GET /orders/{id}`.
pub async fn show(
    viewer: Viewer,
    State(state): State<ServiceState>,
    Path(id): Path<String>,
) -> Result<Response, Trouble> {
    let t = viewer.lang.text();
    let order = load(&state, order_id(&id)?).await?;
    let timeline = state.store.order_events(order.id).await?;
    let steps: Vec<(String, String)> = order
        .logistics
        .as_ref()
        .and_then(|l| l["steps"].as_array())
        .map(|steps| {
            steps
                .iter()
                .map(|s| (s["at"].as_str().unwrap_or("").to_owned(), s["remark"].as_str().unwrap_or("").to_owned()))
                .collect()
        })
        .unwrap_or_default();
    let bill = order.logistics.as_ref().and_then(|l| l["bill_no"].as_str().map(str::to_owned));
    let unpaid = order.status.as_deref() == Some("waitbuyerpay");
    let number = order.order_id.unwrap_or_default();
    let body = html! {
        h1 { (t.order) " " (number) }
        section.card aria-labelledby="order-title" {
            h2 #order-title { (status_word(t, order.status.as_deref())) }
            dl.facts {
                dt { (t.supplier) } dd { (order.supplier) }
                dt { (t.total) } dd.price { (total(&order)) }
                @if order.platform_total.is_some_and(|p| p != order.expected_total) {
                    dt { (t.plan_expected) } dd { (yuan(order.expected_total)) }
                }
                dt { (t.our_number) } dd { code { (order.out_order_id) } }
                dt { (t.placed_at) } dd { (time(t, order.created_ms)) }
            }
            div.card-actions {
                @if unpaid {
                    form method="post" action=(format!("/orders/{number}/pay")) {
                        button type="submit" { (t.pay_link) }
                    }
                }
                form method="post" action=(format!("/orders/{number}/track")) {
                    button.secondary type="submit" { (t.read_again) }
                }
            }
            @if unpaid { p.muted.small { (t.never_paid_here) } }
        }
        (super::order_now::card(t, &order))
        div.columns {
            section.card aria-labelledby="timeline-title" {
                h2 #timeline-title { (t.timeline) }
                ol.timeline {
                    @for e in &timeline {
                        li {
                            strong { (status_word(t, Some(&e.status))) }
                            " · " (time(t, e.at_ms)) " · " span.muted { (e.source) }
                            @if let Some(d) = &e.detail { br; span.small { (d) } }
                        }
                    }
                }
            }
            section.card aria-labelledby="trace-title" {
                h2 #trace-title { (t.logistics) @if let Some(b) = &bill { " · " (b) } }
                @if steps.is_empty() {
                    p.muted { (t.not_shipped_yet) }
                } @else {
                    ol.timeline { @for (at, remark) in &steps { li { (remark) " · " span.muted { (at) } } } }
                }
            }
        }
        section.card aria-labelledby="lines-title" {
            h2 #lines-title { (t.order_lines) }
            div.scroll tabindex="0" { table {
                thead { tr {
                    th.text scope="col" { (t.offer) }
                    th.text scope="col" { "SKU" }
                    th scope="col" { (t.quantity) }
                    th scope="col" { (t.unit_price) }
                } }
                tbody { @for l in &order.lines { tr {
                    td { a href=(format!("/offers/{}", l.offer_id)) { (l.title.clone().unwrap_or_else(|| l.offer_id.to_string())) } }
                    td { (l.spec_id.as_deref().unwrap_or("—")) }
                    td.num { (l.quantity) }
                    td.num { (yuan(l.unit_price)) }
                } } }
            } }
        }
    };
    Ok(page(&viewer, &format!("{} {number}", t.order), body).into_response())
}

/// `POST /orders/{id}/track`: reads the order from the platform now, then shows it.
pub async fn track(
    viewer: Viewer,
    State(state): State<ServiceState>,
    Path(id): Path<String>,
) -> Result<Response, Trouble> {
    if let Some(refused) = viewer.refusal(Scope::Write) {
        return Ok(refused);
    }
    let id = order_id(&id)?;
    state.jobs.track_order(&state.store, id, "track").await?;
    Ok(Redirect::to(&format!("/orders/{id}")).into_response())
}

/// `POST /orders/{id}/pay`: asks the platform for the cashier link and shows it. The person pays
/// on 1688, logged in; nothing is paid here.
pub async fn pay(
    viewer: Viewer,
    State(state): State<ServiceState>,
    Path(id): Path<String>,
) -> Result<Response, Trouble> {
    let t = viewer.lang.text();
    let id = order_id(&id)?;
    let link = state.jobs.pay_url(&state.store, &[id]).await?;
    let body = html! {
        section.card {
            h1 { (t.pay_link) }
            p { a #cashier href=(link.url) rel="noreferrer noopener" target="_blank" { (link.url) } }
            p.muted { (t.never_paid_here) }
            p { a href=(format!("/orders/{id}")) { (t.back) } }
        }
    };
    Ok(page(&viewer, t.pay_link, body).into_response())
}
