//! Revoked keys, known to every part of the service that holds a connection open for a key: a
//! live alert stream, an MCP session. Each instance polls the store ([`watch_revocations`]), so a
//! key revoked on any instance, or on the command line, ends its streams and sessions here within
//! the poll period, and its next request is refused even while the key cache still trusts it.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use open1688_store::SqlStore;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use crate::key_cache::KeyCache;

/// How often each instance asks the store which keys are revoked.
pub const POLL_EVERY: Duration = Duration::from_millis(500);

/// The revoked keys' ids, as last read (or revoked here).
#[derive(Debug, Clone)]
pub struct Revocations {
    revoked: Arc<watch::Sender<Arc<HashSet<i64>>>>,
}

impl Default for Revocations {
    fn default() -> Self {
        Self::new()
    }
}

impl Revocations {
    /// None revoked yet (the first poll fills it in).
    pub fn new() -> Self {
        Self { revoked: Arc::new(watch::channel(Arc::new(HashSet::new())).0) }
    }

    /// Whether key `id` is known to be revoked.
    pub fn is_revoked(&self, id: i64) -> bool {
        self.revoked.borrow().contains(&id)
    }

    /// Notes that key `id` was revoked (here: at once, before the next poll).
    pub fn revoke(&self, id: i64) {
        self.revoked.send_if_modified(|set| {
            if set.contains(&id) {
                return false;
            }
            let mut more = (**set).clone();
            more.insert(id);
            *set = Arc::new(more);
            true
        });
    }

    /// Replaces the set with what the store says; `true` when a key was newly revoked.
    pub fn set(&self, ids: HashSet<i64>) -> bool {
        let mut newly = false;
        self.revoked.send_if_modified(|set| {
            if **set == ids {
                return false;
            }
            newly = ids.iter().any(|id| !set.contains(id));
            *set = Arc::new(ids);
            true
        });
        newly
    }

    /// Completes when key `id` is revoked (at once if it is already).
    pub async fn revoked(&self, id: i64) {
        let mut rx = self.revoked.subscribe();
        // `wait_for` fails only if the sender is gone, which lives as long as `self`.
        let _ = rx.wait_for(|set| set.contains(&id)).await;
    }
}

/// Polls the store for revoked keys every `every` until `stop`: newly revoked keys are noted in
/// `revocations` (ending their streams and sessions) and `keys` forgets what it trusted. A store
/// that does not answer is asked again at the next poll.
pub async fn watch_revocations(
    store: Arc<SqlStore>,
    revocations: Revocations,
    keys: KeyCache,
    every: Duration,
    stop: CancellationToken,
) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            () = stop.cancelled() => return,
            _ = tick.tick() => {}
        }
        match store.revoked_api_key_ids().await {
            Ok(ids) => {
                if revocations.set(ids.into_iter().collect()) {
                    keys.forget_all();
                }
            }
            Err(e) => tracing::warn!(error = %e, "the revoked keys could not be read; asking again"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_revocation_wakes_whoever_waits_for_that_key() {
        let r = Revocations::new();
        let waiting = tokio::spawn({
            let r = r.clone();
            async move { r.revoked(7).await }
        });
        assert!(!r.set(HashSet::from([3])) || !r.is_revoked(7));
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!waiting.is_finished(), "another key's revocation does not end this one");
        assert!(r.set(HashSet::from([3, 7])), "7 is newly revoked");
        tokio::time::timeout(Duration::from_secs(1), waiting).await.unwrap().unwrap();
        assert!(r.is_revoked(7));
        assert!(!r.set(HashSet::from([3, 7])), "nothing new");
        r.revoke(9);
        assert!(r.is_revoked(9));
        tokio::time::timeout(Duration::from_millis(100), r.revoked(9)).await.unwrap();
    }
}
