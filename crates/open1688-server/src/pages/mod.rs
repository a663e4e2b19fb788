//! The web dashboard: server-rendered pages over the same application layer and store as the
//! API, behind the same keys (logged in once, kept in an HttpOnly cookie), in Chinese and
//! English. A page parses its form, calls the jobs, renders; it decides nothing itself.

mod assets;
mod chart;
mod form;
mod health;
mod keys;
mod layout;
mod offer;
mod overview;
mod search;
mod session;
mod text;
mod trouble;

use axum::Router;
use axum::routing::{get, post};

use crate::state::ServiceState;

pub use text::Lang;

/// The dashboard's routes (at `/`, beside `/v1`).
pub fn routes() -> Router<ServiceState> {
    Router::new()
        .route("/", get(overview::overview))
        .route("/login", get(session::login_page).post(session::login))
        .route("/logout", post(session::logout))
        .route("/lang/{tag}", get(session::switch_language))
        .route("/search", get(search::search))
        .route("/offers/{id}", get(offer::offer))
        .route("/keys", get(keys::list).post(keys::add))
        .route("/keys/{id}/revoke", post(keys::revoke))
        .route("/assets/{file}", get(assets::serve))
        .layer(axum::middleware::from_fn(layout::page_headers))
}
