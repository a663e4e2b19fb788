//! Watching: watches (list, add, remove, snooze), an offer's history, a watch's alerts, and the
//! monitor's job runs.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::Utc;
use open1688_jobs::HistoryReport;
use open1688_jobs::history::history;
use open1688_jobs::watches::{self, RunList, WatchAdded, WatchList, WatchRequest};
use open1688_store::{Alert, Store};
use serde::Deserialize;

use crate::extract;
use crate::problem::Problem;
use crate::state::ServiceState;

/// `GET /v1/watches`: every watch with its state.
pub async fn list(State(state): State<ServiceState>) -> Result<Json<WatchList>, Problem> {
    Ok(Json(watches::list_watches(&*state.store, Utc::now()).await?))
}

/// `POST /v1/watches`: a new watch (an offer or a keyword, with rules), due now. 201.
pub async fn add(
    State(state): State<ServiceState>,
    body: Result<Json<WatchRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<WatchAdded>), Problem> {
    let request = extract::json(body)?;
    Ok((StatusCode::CREATED, Json(watches::add_watch(&*state.store, &request, Utc::now()).await?)))
}

/// `DELETE /v1/watches/{id}`: 204, or 404 when there is no such watch.
pub async fn remove(State(state): State<ServiceState>, Path(id): Path<i64>) -> Result<StatusCode, Problem> {
    watches::remove_watch(&*state.store, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /v1/watches/{id}/snooze` body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snooze {
    /// Hours to stay silent.
    pub hours: i64,
}

/// `POST /v1/watches/{id}/snooze`: silences a watch's alerts for some hours. 204.
pub async fn snooze(
    State(state): State<ServiceState>,
    Path(id): Path<i64>,
    body: Result<Json<Snooze>, JsonRejection>,
) -> Result<StatusCode, Problem> {
    let Snooze { hours } = extract::json(body)?;
    watches::snooze_watch(&*state.store, id, hours, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `?since_ms=` for alerts.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Since {
    /// Alerts from this moment on (epoch ms; default: all).
    pub since_ms: Option<i64>,
}

/// `GET /v1/watches/{id}/alerts`: a watch's alerts, oldest first.
pub async fn alerts(
    State(state): State<ServiceState>,
    Path(id): Path<i64>,
    params: Result<Query<Since>, QueryRejection>,
) -> Result<Json<Vec<Alert>>, Problem> {
    let since = extract::query(params)?.since_ms.unwrap_or(0);
    Ok(Json(state.store.alerts(id, since).await?))
}

/// `?days=` for history.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Days {
    /// Days back (default 30).
    pub days: Option<i64>,
}

/// `GET /v1/offers/{id}/history`: prices, stock and MOQ over time, from the store.
pub async fn offer_history(
    State(state): State<ServiceState>,
    Path(id): Path<i64>,
    params: Result<Query<Days>, QueryRejection>,
) -> Result<Json<HistoryReport>, Problem> {
    let days = extract::query(params)?.days.unwrap_or(30);
    Ok(Json(history(&*state.store, id, days, Utc::now()).await?))
}

/// `?limit=` for job runs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    /// Runs at most (default 20, at most 500).
    pub limit: Option<i64>,
}

/// `GET /v1/runs`: the monitor's latest job runs.
pub async fn runs(
    State(state): State<ServiceState>,
    params: Result<Query<Limit>, QueryRejection>,
) -> Result<Json<RunList>, Problem> {
    let limit = extract::query(params)?.limit.unwrap_or(20).clamp(1, 500);
    Ok(Json(watches::job_runs(&*state.store, limit).await?))
}
