//! The web dashboard: server-rendered pages over the same application layer and store as the
//! API, behind the same keys (logged in once, kept in an HttpOnly cookie), in Chinese and
//! English. A page parses its form, calls the jobs, renders; it decides nothing itself.

mod addresses;
mod assets;
mod cart;
mod cart_view;
mod catalog;
mod chart;
mod chart_lines;
mod chart_scatter;
mod compare;
mod comparison;
mod dates;
mod form;
mod health;
mod keys;
mod layout;
mod live;
mod missing;
mod offer;
mod order_now;
mod orders;
mod overview;
mod plan;
mod plan_form;
mod plan_order;
mod search;
mod session;
mod source;
mod stages;
mod text;
mod trouble;
mod watch;
mod watch_form;
mod watch_rows;
mod watch_words;
mod watches;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use crate::state::ServiceState;

pub use missing::{missing_page, wants_html};
pub use session::charge_viewer;
pub use text::{ALL as WORDS, Lang};

/// The dashboard's routes (at `/`, beside `/v1`).
pub fn routes() -> Router<ServiceState> {
    Router::new()
        .route("/", get(overview::overview))
        .route("/login", get(session::login_page).post(session::login))
        .route("/logout", post(session::logout))
        .route("/lang/{tag}", get(session::switch_language))
        .route("/search", get(search::search))
        .route(
            "/search/picture",
            post(search::by_picture).layer(DefaultBodyLimit::max(crate::routes::picture::MAX_PICTURE_BYTES)),
        )
        .route("/catalog", get(catalog::catalog))
        .route("/offers/{id}", get(offer::offer))
        .route("/compare", get(compare::compare))
        .route("/source", get(source::form).post(source::submit))
        .route("/source/{id}", get(source::show))
        .route("/source/{id}/status", get(source::status))
        .route("/source/{id}/report.json", get(source::report))
        .route("/source/{id}/files/{name}", get(source::file))
        .route("/source/{id}/cancel", post(source::cancel))
        .route("/orders", get(orders::list))
        .route("/orders/addresses", get(addresses::list))
        .route("/orders/{id}", get(orders::show))
        .route("/orders/{id}/track", post(orders::track))
        .route("/orders/{id}/pay", post(orders::pay))
        .route("/plan", get(plan::form).post(plan::submit))
        .route("/plan/download", post(plan::download))
        .route("/plan/cart", post(cart::add))
        .route("/plan/cart/import", post(cart::import))
        .route("/plan/cart/update", post(cart::update))
        .route("/plan/cart/remove", post(cart::remove))
        .route("/plan/cart/clear", post(cart::clear))
        .route("/plan/preview", post(plan_order::preview))
        .route("/plan/place", post(plan_order::place))
        .route("/watches", get(watches::list).post(watches::add))
        .route("/watches/{id}", get(watch::show).post(watch::edit))
        .route("/watches/{id}/snooze", post(watch::snooze))
        .route("/watches/{id}/remove", post(watches::remove))
        .route("/alerts/live", get(live::live))
        .route("/keys", get(keys::list).post(keys::add))
        .route("/keys/{id}/revoke", post(keys::revoke))
        .route("/assets/{file}", get(assets::serve))
        .layer(axum::middleware::from_fn(trouble::localize))
        .layer(axum::middleware::from_fn(layout::page_headers))
}
