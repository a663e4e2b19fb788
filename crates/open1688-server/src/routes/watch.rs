//! Watching: watches (list, add, remove, snooze), an offer's history, a watch's alerts, and the
//! monitor's job runs.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use open1688_jobs::HistoryReport;
use open1688_jobs::history::{ChartFormat, history};
use open1688_jobs::watches::{self, RunList, WatchAdded, WatchList, WatchRequest};
use open1688_store::{Alert, Store};
use serde::Deserialize;

use crate::extract::{self, Id};
use crate::problem::Problem;
use crate::state::ServiceState;

/// `GET /v1/watches`: every watch with its state.
#[utoipa::path(get, path = "/watches", tag = "watch",
    responses((status = 200, description = "Every watch with its state.", body = WatchList), crate::openapi::Failures))]
pub async fn list(State(state): State<ServiceState>) -> Result<Json<WatchList>, Problem> {
    Ok(Json(watches::list_watches(&*state.store, Utc::now()).await?))
}

/// `POST /v1/watches`: a new watch (an offer or a keyword, with rules), due now. 201.
#[utoipa::path(post, path = "/watches", tag = "watch", request_body = WatchRequest,
    responses((status = 201, description = "The watch, stored and due now.", body = WatchAdded), crate::openapi::Failures))]
pub async fn add(
    State(state): State<ServiceState>,
    body: Result<Json<WatchRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<WatchAdded>), Problem> {
    let request = extract::json(body)?;
    Ok((StatusCode::CREATED, Json(state.jobs.add_watch(&*state.store, &request, Utc::now()).await?)))
}

/// `PUT /v1/watches/{id}`: replaces what a watch watches and how (the body as for a new one);
/// its history, alerts and snooze stay, and it is due now.
#[utoipa::path(put, path = "/watches/{id}", tag = "watch", params(("id" = i64, Path, description = "The watch id.", minimum = 1)),
    request_body = WatchRequest,
    responses((status = 200, description = "The watch as it now is.", body = WatchAdded), crate::openapi::Failures))]
pub async fn replace(
    State(state): State<ServiceState>,
    Id(id): Id,
    body: Result<Json<WatchRequest>, JsonRejection>,
) -> Result<Json<WatchAdded>, Problem> {
    let request = extract::json(body)?;
    Ok(Json(watches::replace_watch(&*state.store, id, &request, Utc::now()).await?))
}

/// `DELETE /v1/watches/{id}`: 204, or 404 when there is no such watch.
#[utoipa::path(delete, path = "/watches/{id}", tag = "watch", params(("id" = i64, Path, description = "The watch id.", minimum = 1)),
    responses((status = 204, description = "The watch is gone (its history stays)."), crate::openapi::Failures))]
pub async fn remove(State(state): State<ServiceState>, Id(id): Id) -> Result<StatusCode, Problem> {
    watches::remove_watch(&*state.store, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /v1/watches/{id}/snooze` body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Snooze {
    /// Hours to stay silent.
    pub hours: i64,
}

/// `POST /v1/watches/{id}/snooze`: silences a watch's alerts for some hours. 204.
#[utoipa::path(post, path = "/watches/{id}/snooze", tag = "watch", params(("id" = i64, Path, description = "The watch id.", minimum = 1)), request_body = Snooze,
    responses((status = 204, description = "The watch is silent until then."), crate::openapi::Failures))]
pub async fn snooze(
    State(state): State<ServiceState>,
    Id(id): Id,
    body: Result<Json<Snooze>, JsonRejection>,
) -> Result<StatusCode, Problem> {
    let Snooze { hours } = extract::json(body)?;
    watches::snooze_watch(&*state.store, id, hours, Utc::now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `?since_ms=` for alerts.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Since {
    /// Alerts from this moment on (epoch ms; default: all).
    pub since_ms: Option<i64>,
}

/// `GET /v1/watches/{id}/alerts`: a watch's alerts, oldest first.
#[utoipa::path(get, path = "/watches/{id}/alerts", tag = "watch", params(("id" = i64, Path, description = "The watch id.", minimum = 1), Since),
    responses((status = 200, description = "The watch's alerts, oldest first.", body = Vec<Alert>), crate::openapi::Failures))]
pub async fn alerts(
    State(state): State<ServiceState>,
    Id(id): Id,
    params: Result<Query<Since>, QueryRejection>,
) -> Result<Json<Vec<Alert>>, Problem> {
    let since = extract::query(params)?.since_ms.unwrap_or(0);
    Ok(Json(state.store.alerts(id, since).await?))
}

/// `?days=` for history.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Days {
    /// Days back (default 30).
    pub days: Option<i64>,
}

/// `GET /v1/offers/{id}/history`: prices, stock and MOQ over time, from the store.
#[utoipa::path(get, path = "/offers/{id}/history", tag = "watch",
    params(("id" = i64, Path, description = "The offer id.", minimum = 1), Days),
    responses((status = 200, description = "The offer's snapshots over the days asked.", body = HistoryReport), crate::openapi::Failures))]
pub async fn offer_history(
    State(state): State<ServiceState>,
    Id(id): Id,
    params: Result<Query<Days>, QueryRejection>,
) -> Result<Json<HistoryReport>, Problem> {
    let days = extract::query(params)?.days.unwrap_or(30);
    Ok(Json(history(&*state.store, id, days, Utc::now()).await?))
}

/// `GET /v1/offers/{id}/history.png`: the history drawn, a line per tier and stock.
#[utoipa::path(get, path = "/offers/{id}/history.png", tag = "watch",
    params(("id" = i64, Path, description = "The offer id.", minimum = 1), Days),
    responses((status = 200, description = "The chart as PNG.", content_type = "image/png", body = Vec<u8>), crate::openapi::Failures))]
pub async fn history_png(
    State(state): State<ServiceState>,
    Id(id): Id,
    headers: axum::http::HeaderMap,
    params: Result<Query<Days>, QueryRejection>,
) -> Result<Response, Problem> {
    history_chart(state, id, params, ChartFormat::Png, &headers).await
}

/// `GET /v1/offers/{id}/history.svg`: the history drawn, as SVG.
#[utoipa::path(get, path = "/offers/{id}/history.svg", tag = "watch",
    params(("id" = i64, Path, description = "The offer id.", minimum = 1), Days),
    responses((status = 200, description = "The chart as SVG.", content_type = "image/svg+xml", body = String), crate::openapi::Failures))]
pub async fn history_svg(
    State(state): State<ServiceState>,
    Id(id): Id,
    headers: axum::http::HeaderMap,
    params: Result<Query<Days>, QueryRejection>,
) -> Result<Response, Problem> {
    history_chart(state, id, params, ChartFormat::Svg, &headers).await
}

/// Answers with an offer's history drawn in `format` (404 without any snapshot in the days asked),
/// its words in the language `Accept-Language` prefers (English unless Chinese is preferred).
async fn history_chart(
    state: ServiceState,
    id: i64,
    params: Result<Query<Days>, QueryRejection>,
    format: ChartFormat,
    headers: &axum::http::HeaderMap,
) -> Result<Response, Problem> {
    let days = extract::query(params)?.days.unwrap_or(30);
    let lang = crate::language::Lang::of(headers, None);
    let bytes =
        open1688_jobs::history::history_chart(&*state.store, id, days, Utc::now(), format, lang.language()).await?;
    let headers = [
        (axum::http::header::CONTENT_TYPE, format.media_type()),
        (axum::http::header::CONTENT_LANGUAGE, lang.tag()),
        (axum::http::header::VARY, "Accept-Language"),
    ];
    Ok((headers, bytes).into_response())
}

/// `?limit=` for job runs.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Limit {
    /// Runs at most (default 20, at most 500).
    pub limit: Option<i64>,
}

/// `GET /v1/runs`: the monitor's latest job runs.
#[utoipa::path(get, path = "/runs", tag = "watch", params(Limit),
    responses((status = 200, description = "The latest runs, newest first.", body = RunList), crate::openapi::Failures))]
pub async fn runs(
    State(state): State<ServiceState>,
    params: Result<Query<Limit>, QueryRejection>,
) -> Result<Json<RunList>, Problem> {
    let limit = extract::query(params)?.limit.unwrap_or(20).clamp(1, 500);
    Ok(Json(watches::job_runs(&*state.store, limit).await?))
}
