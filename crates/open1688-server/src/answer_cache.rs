//! Offer details as answered a moment ago. The SDK's cache keeps the gateway's raw answers and
//! decodes, normalizes and scores them on every hit — most of the cost of a warm `GET
//! /v1/offers/{id}` — so the service keeps the finished JSON for a few seconds. The window is
//! short next to the detail cache's own TTL (minutes) and the data-age target (10 minutes):
//! nothing is answered that the SDK's cache would not have answered a few seconds earlier.

use std::time::Duration;

use axum::body::Bytes;
use moka::sync::Cache;

/// How long a finished answer is reused.
pub const DEFAULT_ANSWER_TTL: Duration = Duration::from_secs(5);

/// The most answers kept.
const CAPACITY: u64 = 10_000;

/// Finished offer answers by offer id; disabled with a zero TTL (`--no-cache`).
#[derive(Clone)]
pub struct AnswerCache {
    answers: Option<Cache<i64, Bytes>>,
}

impl std::fmt::Debug for AnswerCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnswerCache").field("entries", &self.answers.as_ref().map(Cache::entry_count)).finish()
    }
}

impl AnswerCache {
    /// A cache reusing answers for `ttl`; zero turns it off.
    pub fn new(ttl: Duration) -> Self {
        let answers = (!ttl.is_zero()).then(|| Cache::builder().max_capacity(CAPACITY).time_to_live(ttl).build());
        Self { answers }
    }

    /// The answer for `offer_id`, if one was made within the ttl.
    pub fn get(&self, offer_id: i64) -> Option<Bytes> {
        self.answers.as_ref()?.get(&offer_id)
    }

    /// Keeps the answer for `offer_id`.
    pub fn insert(&self, offer_id: i64, body: Bytes) {
        if let Some(answers) = &self.answers {
            answers.insert(offer_id, body);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_reused_within_the_ttl_and_never_when_off() {
        let cache = AnswerCache::new(Duration::from_millis(100));
        cache.insert(1, Bytes::from_static(b"{}"));
        assert_eq!(cache.get(1).as_deref(), Some(&b"{}"[..]));
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(cache.get(1), None);
        let off = AnswerCache::new(Duration::ZERO);
        off.insert(1, Bytes::from_static(b"{}"));
        assert_eq!(off.get(1), None);
    }
}
