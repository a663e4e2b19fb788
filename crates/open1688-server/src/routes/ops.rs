//! Liveness and readiness for orchestrators; no key needed, nothing secret said.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::problem::Problem;
use crate::state::ServiceState;

/// `GET /healthz`: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "ops", security(()),
    responses((status = 200, description = "The process answers.", body = serde_json::Value)))]
pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// `GET /readyz`: the store answers (watches can be read).
#[utoipa::path(get, path = "/readyz", tag = "ops", security(()),
    responses((status = 200, description = "Ready: the store answers.", body = serde_json::Value),
        (status = 503, description = "The store is not reachable.", body = Problem, content_type = "application/problem+json")))]
pub async fn readyz(State(state): State<ServiceState>) -> Result<Json<Value>, Problem> {
    use open1688_store::Store;
    match state.store.watches().await {
        Ok(watches) => Ok(Json(json!({ "status": "ready", "store": "ok", "watches": watches.len() }))),
        Err(e) => Err(Problem::new(StatusCode::SERVICE_UNAVAILABLE, format!("the store is not reachable: {e}"))),
    }
}
