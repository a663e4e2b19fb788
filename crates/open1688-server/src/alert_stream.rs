//! Alerts as they are raised, for `GET /v1/alerts/stream` and the dashboard's live list
//! (Server-Sent Events, served by [`crate::routes::alerts`] and the pages).
//!
//! Every instance reads new alerts from the store ([`feed_from_store`]) and hands them to its own
//! listeners through a [`StreamNotifier`]: whichever process raised an alert (this service's
//! monitor, another instance's, a separate `open1688 monitor`), every stream on every instance
//! sees it, once. A listener that falls behind misses the oldest (and is told how many); the store
//! keeps them all, so a client reconnecting with `Last-Event-ID` gets what it missed.

use std::collections::{BTreeSet, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use open1688_store::{Alert, LoggedAlert, SqlStore};
use serde::Serialize;
use tokio::sync::broadcast;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// How often every instance looks for new alerts in the store.
pub const FEED_EVERY: Duration = Duration::from_millis(500);

/// How long an alert id may become visible after a higher one (transactions committing out of
/// order on PostgreSQL and MySQL): ids this far back are looked at again.
const LATE_COMMIT: Duration = Duration::from_secs(5);

/// Alerts read from the store per look.
const PER_LOOK: i64 = 500;

/// One alert as streamed: its id in the alert log (the SSE event id, and what acknowledging it
/// takes) and the id of the delivery a receiver deduplicates on.
#[derive(Debug, Clone, Serialize)]
pub struct StreamedAlert {
    /// The alert's id in the alert log.
    pub id: i64,
    /// The same for every instance and every look: a receiver listening on two instances
    /// deduplicates on it (see [`open1688_store::outbox::delivery_id`]).
    pub delivery_id: String,
    /// The alert.
    #[serde(flatten)]
    pub alert: Alert,
}

impl From<LoggedAlert> for StreamedAlert {
    fn from(logged: LoggedAlert) -> Self {
        let delivery_id = open1688_store::outbox::delivery_id(logged.watch_id, std::slice::from_ref(&logged.alert));
        Self { id: logged.id, delivery_id, alert: logged.alert }
    }
}

/// This instance's live listeners.
#[derive(Debug, Clone)]
pub struct StreamNotifier {
    tx: broadcast::Sender<Arc<StreamedAlert>>,
}

impl StreamNotifier {
    /// A stream keeping up to 1,024 alerts for listeners that fall behind.
    pub fn new() -> Self {
        Self { tx: broadcast::channel(1_024).0 }
    }

    /// A new listener.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<StreamedAlert>> {
        self.tx.subscribe()
    }

    /// Hands an alert to every listener (none listening is not a failure: the store keeps it).
    fn publish(&self, alert: StreamedAlert) {
        let _ = self.tx.send(Arc::new(alert));
    }
}

impl Default for StreamNotifier {
    fn default() -> Self {
        Self::new()
    }
}

/// Which alert ids have been handed on, with the ids of the last few seconds looked at again
/// (an id can become visible after a higher one).
#[derive(Debug)]
struct Seen {
    /// Ids at or below this were all handed on (or will never appear).
    floor: i64,
    /// Ids above the floor handed on.
    above: BTreeSet<i64>,
    /// (when, highest id seen then): the floor moves up to an id once it is [`LATE_COMMIT`] old.
    marks: VecDeque<(Instant, i64)>,
}

impl Seen {
    fn starting_after(id: i64) -> Self {
        Self { floor: id, above: BTreeSet::new(), marks: VecDeque::new() }
    }

    /// Whether `id` is new (and remembers it).
    fn first_time(&mut self, id: i64) -> bool {
        id > self.floor && self.above.insert(id)
    }

    /// After a look at `now`: moves the floor up to what was seen [`LATE_COMMIT`] ago.
    fn settle(&mut self, now: Instant) {
        let highest = self.above.last().copied().unwrap_or(self.floor);
        self.marks.push_back((now, highest));
        while let Some(&(at, id)) = self.marks.front() {
            if now.duration_since(at) < LATE_COMMIT {
                break;
            }
            self.marks.pop_front();
            if id > self.floor {
                self.floor = id;
                self.above = self.above.split_off(&(id + 1));
            }
        }
    }
}

/// Reads new alerts from `store` every `every` and hands them to `notifier`'s listeners, from the
/// newest alert stored when it starts, until `stop`. A store that does not answer is tried again
/// at the next look (the alerts wait in the store).
pub async fn feed_from_store(store: Arc<SqlStore>, notifier: StreamNotifier, every: Duration, stop: CancellationToken) {
    let start = loop {
        match store.newest_alert_id().await {
            Ok(id) => break id,
            Err(e) => tracing::warn!(error = %e, "the alert stream cannot read the store yet"),
        }
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            () = stop.cancelled() => return,
        }
    };
    let mut seen = Seen::starting_after(start);
    let mut failing = false;
    loop {
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            () = stop.cancelled() => return,
        }
        match store.alerts_after(seen.floor, PER_LOOK).await {
            Ok(alerts) => {
                failing = false;
                for logged in alerts {
                    if seen.first_time(logged.id) {
                        notifier.publish(logged.into());
                    }
                }
                seen.settle(Instant::now());
            }
            // Said once per outage, not every half second.
            Err(e) if !failing => {
                failing = true;
                tracing::warn!(error = %e, "the alert stream cannot read new alerts; trying again");
            }
            Err(_) => {}
        }
    }
}

/// The alerts after `last_event_id` a reconnecting listener missed (at most 1,000), oldest first.
pub async fn missed(store: &SqlStore, last_event_id: i64) -> Vec<StreamedAlert> {
    match store.alerts_after(last_event_id, open1688_store::alert_log::MAX_ALERT_LIST).await {
        Ok(alerts) => alerts.into_iter().map(StreamedAlert::from).collect(),
        Err(e) => {
            tracing::warn!(error = %e, "the alerts a reconnecting stream missed could not be read");
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_id_is_handed_on_once_and_late_ones_still_are() {
        let mut seen = Seen::starting_after(10);
        let t0 = Instant::now();
        assert!(!seen.first_time(9), "ids from before the start are not news");
        assert!(seen.first_time(12));
        assert!(!seen.first_time(12), "twice is once");
        seen.settle(t0);
        // 11 commits after 12 was seen: still news, because the floor has not passed it.
        assert!(seen.first_time(11));
        seen.settle(t0 + Duration::from_secs(1));
        assert_eq!(seen.floor, 10);
        seen.settle(t0 + LATE_COMMIT + Duration::from_secs(1));
        assert_eq!(seen.floor, 12, "after the late-commit window the floor moves up");
        assert!(seen.above.is_empty());
        assert!(!seen.first_time(11) && !seen.first_time(12));
        assert!(seen.first_time(13));
    }
}
