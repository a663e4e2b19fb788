//! What a [`crate::Jobs`] keeps between calls, for a while: suppliers' profiles when there is no
//! store to keep them in, and the platform's answers to order previews (freight confirmation).
//! Below every job, so any job may keep something without the jobs knowing each other.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rust_decimal::Decimal;

/// Values by key, each for `ttl` (or as long as the process runs), shared by clones.
#[derive(Debug, Clone)]
pub(crate) struct Recent<V> {
    ttl: Option<Duration>,
    entries: Arc<Mutex<HashMap<String, (Instant, V)>>>,
}

impl<V: Clone> Recent<V> {
    /// Values kept for `ttl`; `None` keeps them until the process ends.
    pub(crate) fn new(ttl: Option<Duration>) -> Self {
        Self { ttl, entries: Arc::default() }
    }

    fn fresh(&self, at: Instant) -> bool {
        self.ttl.is_none_or(|ttl| at.elapsed() < ttl)
    }

    /// The value kept under `key`, while it is fresh.
    pub(crate) fn get(&self, key: &str) -> Option<V> {
        let entries = self.entries.lock().ok()?;
        entries.get(key).filter(|(at, _)| self.fresh(*at)).map(|(_, v)| v.clone())
    }

    /// Keeps `value` under `key`, dropping what went stale.
    pub(crate) fn put(&self, key: String, value: V) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|_, (at, _)| self.ttl.is_none_or(|ttl| at.elapsed() < ttl));
            entries.insert(key, (Instant::now(), value));
        }
    }
}

/// The platform's answer to one order's preview, as freight confirmation reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PlatformQuote {
    /// Goods after promotions, plus freight (absent when the platform refused).
    pub total: Option<Decimal>,
    /// Freight.
    pub freight: Option<Decimal>,
    /// Why the platform refused the order, when it did.
    pub refused: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_last_their_ttl_and_clones_share_them() {
        let forever = Recent::new(None);
        let clone = forever.clone();
        forever.put("a".into(), 1);
        assert_eq!(clone.get("a"), Some(1), "clones share what is kept");
        let gone = Recent::new(Some(Duration::ZERO));
        gone.put("a".into(), 1);
        assert_eq!(gone.get("a"), None, "a value past its TTL is not answered");
    }
}
