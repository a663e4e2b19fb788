//! `/alerts/live`: the alerts the service's monitor raises, as Server-Sent Events for the pages'
//! script (the API's stream wants its key in a header, which a browser's `EventSource` cannot
//! send; this one is behind the log-in cookie instead).

use std::convert::Infallible;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use serde::Serialize;
use tokio::sync::broadcast;

use super::dates::short_time;
use super::session::Viewer;
use crate::state::ServiceState;

/// What the page shows of one alert.
#[derive(Debug, Serialize)]
struct LiveAlert<'a> {
    at: String,
    time: String,
    offer_id: i64,
    order_id: Option<i64>,
    rule: &'a str,
    /// What happened, in the viewer's language.
    message: String,
}

/// How long one stream lasts. The browser's `EventSource` then connects again by itself, and
/// that request checks the log-in anew: a revoked key's page stops receiving within this time.
const STREAM_LIFETIME: std::time::Duration = std::time::Duration::from_secs(300);

/// `GET /alerts/live`: `event: alert` with a [`LiveAlert`] as JSON; `event: lagged` with how many
/// this listener missed. Each stream ends after [`STREAM_LIFETIME`] (the page reconnects).
pub async fn live(
    viewer: Viewer,
    State(state): State<ServiceState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let t = viewer.lang.text();
    let language = t.language;
    let events = futures::stream::unfold(state.alerts.subscribe(), move |mut rx| async move {
        let event = match rx.recv().await {
            Ok(streamed) => {
                let a = &streamed.alert;
                let live = LiveAlert {
                    at: a.at.to_rfc3339(),
                    time: short_time(t, a.at),
                    offer_id: a.offer_id,
                    order_id: a.order_id,
                    rule: &a.rule,
                    message: a.text(language),
                };
                Event::default().event("alert").id(streamed.id.to_string()).json_data(&live).unwrap_or_default()
            }
            Err(broadcast::error::RecvError::Lagged(n)) => Event::default().event("lagged").data(n.to_string()),
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok(event), rx))
    });
    // A stopping instance ends its streams; the page's EventSource connects again (elsewhere).
    let events = futures::StreamExt::take_until(events, tokio::time::sleep(STREAM_LIFETIME));
    let events = futures::StreamExt::take_until(events, state.stopping.clone().cancelled_owned());
    Sse::new(events).keep_alive(KeepAlive::default())
}
