//! The service's router: operations routes open, every `/v1` route behind an API key, a body
//! limit, and the listener's deadlines (see [`serve`]).

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post};
use open1688_sandbox::listen::{self, Deadlines};
use tokio::net::TcpListener;

use crate::auth::require_key;
use crate::problem::Problem;
use crate::routes::{alerts, decide, jobs, lookup, ops, picture, push, watch};
use crate::state::ServiceState;

/// The largest request body accepted (plans and watch rules are small).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// How long a request may take, from its headers to its answer.
pub const REQUEST_DEADLINE: Duration = Duration::from_secs(120);

/// The service's routes over `state`.
pub fn router(state: ServiceState) -> Router {
    let v1 = Router::new()
        .route("/search", get(lookup::search))
        .route("/offers/{id}", get(lookup::offer))
        .route("/sellers/{id}", get(lookup::seller))
        .route("/analyze", get(lookup::analyze))
        .route("/image-search", post(picture::image_search).layer(DefaultBodyLimit::max(picture::MAX_PICTURE_BYTES)))
        .route("/offers/{id}/history", get(watch::offer_history))
        .route("/quote", post(decide::quote))
        .route("/compare", post(decide::compare))
        .route("/plan", post(decide::plan))
        .route("/recommend", post(decide::recommend))
        .route("/watches", get(watch::list).post(watch::add))
        .route("/watches/{id}", axum::routing::delete(watch::remove))
        .route("/watches/{id}/snooze", post(watch::snooze))
        .route("/watches/{id}/alerts", get(watch::alerts))
        .route("/runs", get(watch::runs))
        .route("/alerts/stream", get(alerts::stream))
        .route("/jobs/source", post(jobs::submit_source))
        .route("/jobs/{id}", get(jobs::status).delete(jobs::cancel))
        .route("/jobs/{id}/result", get(jobs::result))
        .route("/jobs/{id}/files/{name}", get(jobs::file))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), require_key));
    let app = Router::new()
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/push/1688", post(push::receive))
        .nest("/v1", v1)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state);
    listen::with_request_deadline(app, REQUEST_DEADLINE)
}

async fn not_found() -> Problem {
    Problem::new(StatusCode::NOT_FOUND, "no such route; the API is under /v1 (see the README)")
}

/// Serves the router on `addr` until `shutdown` completes. Warns when the address is reachable
/// from other machines.
pub async fn serve(
    state: ServiceState,
    addr: SocketAddr,
    shutdown: impl Future<Output = ()>,
    bound: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    if !local.ip().is_loopback() {
        tracing::warn!(%local, "the service listens beyond this machine: every /v1 route needs an API key; put TLS in front of it");
    }
    bound(local);
    listen::serve(
        listener,
        router(state),
        Deadlines { headers: Duration::from_secs(10), request: REQUEST_DEADLINE },
        shutdown,
    )
    .await;
    Ok(())
}
