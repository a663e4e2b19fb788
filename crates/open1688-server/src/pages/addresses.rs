//! `/orders/addresses`: the buyer's delivery addresses saved on 1688, each with the number an
//! order can go to (one gateway call; nothing is changed).

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;

use super::layout::page;
use super::session::Viewer;
use super::trouble::Trouble;
use crate::state::ServiceState;

/// `GET /orders/addresses`.
pub async fn list(viewer: Viewer, State(state): State<ServiceState>) -> Result<Response, Trouble> {
    let t = viewer.lang.text();
    let book = state.jobs.saved_addresses().await?;
    let body = html! {
        h1 { (t.saved_addresses) }
        p.muted { (t.saved_addresses_intro) }
        section.card {
            @if book.addresses.is_empty() {
                p { (t.no_addresses) }
            } @else {
                // Focusable: on a phone the table scrolls, and a keyboard must reach it.
                div.scroll tabindex="0" role="region" aria-label=(t.saved_addresses) { table #addresses {
                    thead { tr {
                        th.text scope="col" { (t.address_number) }
                        th.text scope="col" { (t.receiver) }
                        th.text scope="col" { (t.mobile) }
                        th.text scope="col" { (t.area) }
                        th.text scope="col" { (t.street) }
                        th.text scope="col" { (t.post_code) }
                    } }
                    tbody { @for a in &book.addresses { tr {
                        td {
                            code { (a.address_id) }
                            @if a.is_default { " " span.badge { (t.default_address) } }
                        }
                        td { (a.receiver.as_deref().unwrap_or("—")) }
                        td { (a.mobile.as_deref().unwrap_or("—")) }
                        td { (a.area.as_deref().unwrap_or("—")) @if let Some(town) = &a.town { " " (town) } }
                        td { (a.address.as_deref().unwrap_or("—")) }
                        td { (a.post_code.as_deref().unwrap_or("—")) }
                    } } }
                } }
            }
            p { a href="/orders" { (t.back) } }
        }
    };
    Ok(page(&viewer, t.saved_addresses, body).into_response())
}
