//! Alerts: the service-wide list (newest first, filtered), acknowledging one, and the live stream
//! of the alerts the service's monitor raises, as Server-Sent Events.

use std::convert::Infallible;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::{Extension, Json};
use chrono::Utc;
use futures::{Stream, StreamExt};
use open1688_store::{AlertQuery, ApiKey, LoggedAlert};
use serde::Deserialize;
use tokio::sync::broadcast;

use crate::extract::{self, Id};
use crate::openapi::Failures;
use crate::problem::Problem;
use crate::state::ServiceState;

/// `GET /v1/alerts` parameters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AlertFilter {
    /// Alerts raised at or after this moment (epoch ms; default: all).
    pub since_ms: Option<i64>,
    /// Only this watch's alerts (0: only the alerts about orders).
    pub watch_id: Option<i64>,
    /// Only alerts nobody has acknowledged (default false).
    #[serde(default)]
    pub unacknowledged: bool,
    /// At most this many (default 100, at most 1,000).
    pub limit: Option<i64>,
}

/// `GET /v1/alerts`: every watch's alerts, newest first.
#[utoipa::path(get, path = "/alerts", tag = "watch", params(AlertFilter),
    responses((status = 200, description = "Alerts, newest first.", body = Vec<LoggedAlert>), Failures))]
pub async fn list(
    State(state): State<ServiceState>,
    params: Result<Query<AlertFilter>, QueryRejection>,
) -> Result<Json<Vec<LoggedAlert>>, Problem> {
    let f = extract::query(params)?;
    let query = AlertQuery {
        since_ms: f.since_ms.unwrap_or(0),
        watch_id: f.watch_id,
        unacknowledged: f.unacknowledged,
        limit: f.limit.unwrap_or(100),
    };
    Ok(Json(open1688_jobs::alerts::list_alerts(&state.store, &query).await?.alerts))
}

/// `POST /v1/alerts/{id}/acknowledge`: marks an alert dealt with, by the key's name. Acknowledging
/// it again keeps the first acknowledgement.
#[utoipa::path(post, path = "/alerts/{id}/acknowledge", tag = "watch",
    params(("id" = i64, Path, description = "The alert's id.", minimum = 1)),
    responses((status = 200, description = "The alert, acknowledged.", body = LoggedAlert), Failures))]
pub async fn acknowledge(
    State(state): State<ServiceState>,
    Id(id): Id,
    Extension(key): Extension<ApiKey>,
) -> Result<Json<LoggedAlert>, Problem> {
    match state.store.acknowledge_alert(id, &key.name, Utc::now().timestamp_millis()).await? {
        Some(alert) => Ok(Json(alert)),
        None => Err(Problem::new(axum::http::StatusCode::NOT_FOUND, format!("no alert {id}"))),
    }
}

/// `GET /v1/alerts/stream`: `event: alert` with the alert as JSON, as the monitor raises them;
/// `event: lagged` with how many were missed when this listener fell behind.
#[utoipa::path(get, path = "/alerts/stream", tag = "watch",
    responses((status = 200, description = "Server-Sent Events: `alert` events carry an alert as JSON.",
        content_type = "text/event-stream", body = String), Failures))]
pub async fn stream(
    State(state): State<ServiceState>,
    Extension(key): Extension<ApiKey>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // The stream ends when its key is revoked, here or on any other instance.
    let revocations = state.revocations.clone();
    let revoked = Box::pin(async move { revocations.revoked(key.id).await });
    let events = futures::stream::unfold(state.alerts.subscribe(), |mut rx| async move {
        let event = match rx.recv().await {
            Ok(a) => Event::default().event("alert").id(a.delivery_id.clone()).json_data(&a).unwrap_or_default(),
            Err(broadcast::error::RecvError::Lagged(n)) => Event::default().event("lagged").data(n.to_string()),
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok(event), rx))
    })
    .take_until(revoked);
    Sse::new(events).keep_alive(KeepAlive::default())
}
