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

/// `GET /v1/alerts/stream`: `event: alert` with the alert as JSON (its `id` is the event id), as
/// any monitor raises them, on whichever instance; `event: lagged` with how many were missed when
/// this listener fell behind. A client reconnecting with `Last-Event-ID` first gets the alerts it
/// missed (up to 1,000).
#[utoipa::path(get, path = "/alerts/stream", tag = "watch",
    params(("Last-Event-ID" = Option<i64>, Header, description = "The last alert id received: the alerts after it are sent first.")),
    responses((status = 200, description = "Server-Sent Events: `alert` events carry an alert as JSON.",
        content_type = "text/event-stream", body = String), Failures))]
pub async fn stream(
    State(state): State<ServiceState>,
    Extension(key): Extension<ApiKey>,
    headers: axum::http::HeaderMap,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // The stream ends when its key is revoked, here or on any other instance.
    let revocations = state.revocations.clone();
    let revoked = Box::pin(async move { revocations.revoked(key.id).await });
    // Listening starts before the missed ones are read, so nothing falls between the two.
    let live = state.alerts.subscribe();
    let last_event_id =
        headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<i64>().ok());
    let missed = match last_event_id {
        Some(id) => crate::alert_stream::missed(&state.store, id).await,
        None => Vec::new(),
    };
    let replayed: std::collections::HashSet<i64> = missed.iter().map(|a| a.id).collect();
    let replay = futures::stream::iter(missed).map(|a| Ok(alert_event(&a)));
    let live = futures::stream::unfold(live, move |mut rx| {
        let replayed = replayed.clone();
        async move {
            loop {
                let event = match rx.recv().await {
                    // An alert sent in the replay is not sent again live.
                    Ok(a) if replayed.contains(&a.id) => continue,
                    Ok(a) => alert_event(&a),
                    Err(broadcast::error::RecvError::Lagged(n)) => Event::default().event("lagged").data(n.to_string()),
                    Err(broadcast::error::RecvError::Closed) => return None,
                };
                return Some((Ok(event), rx));
            }
        }
    });
    // A stopping instance tells its listeners to come back in half a second (to another one).
    let stopping = state.stopping.clone();
    let farewell = futures::stream::once({
        let stopping = stopping.clone();
        async move {
            stopping.is_cancelled().then(|| {
                let reconnect = Event::default().event("reconnect").data("the service is stopping");
                Ok(reconnect.retry(std::time::Duration::from_millis(500)))
            })
        }
    })
    .filter_map(std::future::ready);
    let events = replay.chain(live).take_until(stopping.cancelled_owned()).chain(farewell).take_until(revoked);
    Sse::new(events).keep_alive(KeepAlive::default())
}

/// One alert as an SSE event: `event: alert`, its alert-log id as the event id.
pub(crate) fn alert_event(alert: &crate::alert_stream::StreamedAlert) -> Event {
    Event::default().event("alert").id(alert.id.to_string()).json_data(alert).unwrap_or_default()
}
