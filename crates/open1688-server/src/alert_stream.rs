//! Alerts as they are raised, for `GET /v1/alerts/stream` (Server-Sent Events, served by
//! [`crate::routes::alerts`]). The monitor
//! inside the service delivers each batch of new alerts to a [`StreamNotifier`], which hands them
//! to every connected listener; a listener that falls behind misses the oldest (and is told how
//! many), the store keeps them all (`GET /v1/watches/{id}/alerts`).

use async_trait::async_trait;
use open1688_monitor::{Notifier, NotifyError};
use open1688_store::Alert;
use serde::Serialize;
use tokio::sync::broadcast;

/// One alert as streamed, with the delivery it came in (the id receivers deduplicate on).
#[derive(Debug, Clone, Serialize)]
pub struct StreamedAlert {
    /// The outbox delivery the alert belongs to.
    pub delivery_id: String,
    /// The alert.
    #[serde(flatten)]
    pub alert: Alert,
}

/// The notifier the service's monitor delivers to: alerts go to whoever listens right now.
#[derive(Debug, Clone)]
pub struct StreamNotifier {
    tx: broadcast::Sender<StreamedAlert>,
}

impl StreamNotifier {
    /// A stream keeping up to 1,024 alerts for listeners that fall behind.
    pub fn new() -> Self {
        Self { tx: broadcast::channel(1_024).0 }
    }

    /// A new listener.
    pub fn subscribe(&self) -> broadcast::Receiver<StreamedAlert> {
        self.tx.subscribe()
    }
}

impl Default for StreamNotifier {
    fn default() -> Self {
        Self::new()
    }
}

#[async_trait]
impl Notifier for StreamNotifier {
    fn channel(&self) -> &'static str {
        "stream"
    }

    async fn notify(&self, delivery_id: &str, alerts: &[Alert]) -> Result<(), NotifyError> {
        for alert in alerts {
            // No listener is not a failure: the stream is live only, the store keeps the alert.
            let _ = self.tx.send(StreamedAlert { delivery_id: delivery_id.to_owned(), alert: alert.clone() });
        }
        Ok(())
    }
}
