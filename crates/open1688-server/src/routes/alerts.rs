//! `GET /v1/alerts/stream`: the alerts the service's monitor raises, live, as Server-Sent Events.

use std::convert::Infallible;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use tokio::sync::broadcast;

use crate::state::ServiceState;

/// `GET /v1/alerts/stream`: `event: alert` with the alert as JSON, as the monitor raises them;
/// `event: lagged` with how many were missed when this listener fell behind.
pub async fn stream(State(state): State<ServiceState>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let events = futures::stream::unfold(state.alerts.subscribe(), |mut rx| async move {
        let event = match rx.recv().await {
            Ok(a) => Event::default().event("alert").id(a.delivery_id.clone()).json_data(&a).unwrap_or_default(),
            Err(broadcast::error::RecvError::Lagged(n)) => Event::default().event("lagged").data(n.to_string()),
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok(event), rx))
    });
    Sse::new(events).keep_alive(KeepAlive::default())
}
