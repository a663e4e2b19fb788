//! Pacing per API key: a steady rate and a burst for each key, shared by every instance through
//! Redis when it is configured, else kept in this process. The request rate limit
//! ([`KeyLimits`](crate::KeyLimits)) and the share of gateway calls
//! ([`CallShares`](crate::CallShares)) are both one of these.
//!
//! Each use *reserves* a departure (a GCRA): within the burst it goes at once, later ones wait for
//! their slot, and one whose slot is further away than the caller may wait is refused without
//! reserving anything. When Redis does not answer, the process paces locally (the backend logs
//! the outage once) and goes back to Redis when it answers again.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use open1688::SharedPacer;
use tokio::time::Instant;

/// Keys paced at once before the ones whose burst is full again are forgotten (forgetting such a
/// key changes nothing).
const REMEMBERED: usize = 1_024;

/// One kind of pacing (requests, gateway calls) for every key.
#[derive(Clone)]
pub struct KeyPacer {
    inner: Arc<Inner>,
}

struct Inner {
    /// What this pacing is called in Redis (`requests`, `calls`).
    name: &'static str,
    /// Time between two departures of one key.
    interval: Duration,
    /// Departures of one key back to back.
    burst: NonZeroU32,
    /// Each key's theoretical arrival time of its next departure, when paced here.
    local: Mutex<HashMap<i64, Instant>>,
    /// The pacing every instance shares, when there is one.
    shared: Option<Arc<dyn SharedPacer>>,
}

impl std::fmt::Debug for KeyPacer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPacer")
            .field("name", &self.inner.name)
            .field("interval", &self.inner.interval)
            .field("burst", &self.inner.burst)
            .field("shared", &self.inner.shared.is_some())
            .finish()
    }
}

impl KeyPacer {
    /// `per_second` departures a second per key, `burst` of them back to back, kept in this
    /// process.
    pub fn new(name: &'static str, per_second: NonZeroU32, burst: NonZeroU32) -> Self {
        let interval = Duration::from_secs(1) / per_second.get();
        Self { inner: Arc::new(Inner { name, interval, burst, local: Mutex::new(HashMap::new()), shared: None }) }
    }

    /// The same pacing shared by every instance through `shared`.
    pub fn shared(self, shared: Arc<dyn SharedPacer>) -> Self {
        let Inner { name, interval, burst, .. } = *self.inner;
        Self {
            inner: Arc::new(Inner { name, interval, burst, local: Mutex::new(HashMap::new()), shared: Some(shared) }),
        }
    }

    /// Reserves one departure for `key`: how long it waits for its slot, or, when that is longer
    /// than `patience`, nothing reserved and how long until asking again can succeed (at least
    /// 1 s, the smallest `Retry-After`).
    pub async fn reserve(&self, key: i64, patience: Duration) -> Result<Duration, Duration> {
        let inner = &*self.inner;
        if let Some(shared) = &inner.shared {
            let name = format!("{}:{key}", inner.name);
            // When it does not answer (the backend logs the outage once), pace here until it does.
            if let Ok(reserved) = shared.reserve(&name, inner.interval, inner.burst, patience).await {
                return reserved.map_err(|retry| retry.max(Duration::from_secs(1)));
            }
        }
        self.reserve_here(key, Instant::now(), patience)
    }

    /// [`reserve`](Self::reserve) in this process, at `now`.
    pub fn reserve_here(&self, key: i64, now: Instant, patience: Duration) -> Result<Duration, Duration> {
        let inner = &*self.inner;
        let tolerance = inner.interval.saturating_mul(inner.burst.get() - 1);
        let mut local = inner.local.lock().unwrap_or_else(|p| p.into_inner());
        if local.len() > REMEMBERED {
            local.retain(|_, at| *at > now);
        }
        // An idle key's arrival time is now: idling refills the burst, never more.
        let current = local.get(&key).map_or(now, |at| (*at).max(now));
        let departure = now.max(current.checked_sub(tolerance).unwrap_or(current));
        let wait = departure - now;
        if wait > patience {
            return Err((wait - patience).max(Duration::from_secs(1)));
        }
        local.insert(key, current + inner.interval);
        Ok(wait)
    }

    #[cfg(test)]
    fn remembered(&self) -> usize {
        self.inner.local.lock().unwrap().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_trait::async_trait;
    use open1688::SharedLimiterUnavailable;

    fn pacer(per_second: u32, burst: u32) -> KeyPacer {
        KeyPacer::new("test", NonZeroU32::new(per_second).unwrap(), NonZeroU32::new(burst).unwrap())
    }

    #[test]
    fn a_burst_goes_at_once_and_the_next_waits_its_interval() {
        let pacer = pacer(2, 3);
        let now = Instant::now();
        for _ in 0..3 {
            assert_eq!(pacer.reserve_here(1, now, Duration::ZERO), Ok(Duration::ZERO));
        }
        assert_eq!(pacer.reserve_here(1, now, Duration::from_secs(5)), Ok(Duration::from_millis(500)));
        assert_eq!(pacer.reserve_here(1, now, Duration::from_secs(5)), Ok(Duration::from_millis(1_000)));
    }

    #[test]
    fn beyond_the_patience_is_refused_and_reserves_nothing() {
        let pacer = pacer(1, 1);
        let now = Instant::now();
        assert_eq!(pacer.reserve_here(1, now, Duration::ZERO), Ok(Duration::ZERO));
        assert_eq!(pacer.reserve_here(1, now, Duration::ZERO), Err(Duration::from_secs(1)));
        // The refusal reserved nothing: a second later the next goes at once.
        assert_eq!(pacer.reserve_here(1, now + Duration::from_secs(1), Duration::ZERO), Ok(Duration::ZERO));
    }

    #[test]
    fn one_key_spending_its_share_leaves_another_untouched() {
        let pacer = pacer(1, 2);
        let now = Instant::now();
        for _ in 0..2 {
            pacer.reserve_here(1, now, Duration::ZERO).unwrap();
        }
        assert!(pacer.reserve_here(1, now, Duration::ZERO).is_err());
        assert_eq!(pacer.reserve_here(2, now, Duration::ZERO), Ok(Duration::ZERO));
    }

    #[test]
    fn an_idle_key_gets_its_burst_back_but_no_more() {
        let pacer = pacer(10, 5);
        let start = Instant::now();
        for _ in 0..5 {
            pacer.reserve_here(1, start, Duration::ZERO).unwrap();
        }
        let later = start + Duration::from_secs(60);
        for _ in 0..5 {
            assert_eq!(pacer.reserve_here(1, later, Duration::ZERO), Ok(Duration::ZERO));
        }
        assert!(pacer.reserve_here(1, later, Duration::ZERO).is_err(), "idling does not bank more than the burst");
    }

    #[test]
    fn keys_whose_burst_is_full_again_are_forgotten() {
        let pacer = pacer(1000, 1);
        let now = Instant::now();
        for key in 0..(REMEMBERED as i64 + 10) {
            pacer.reserve_here(key, now, Duration::ZERO).unwrap();
        }
        pacer.reserve_here(-1, now + Duration::from_secs(1), Duration::ZERO).unwrap();
        assert!(pacer.remembered() < 10);
    }

    /// A shared pacer that answers as told, or is down.
    #[derive(Debug)]
    struct Told(Option<Result<Duration, Duration>>);

    #[async_trait]
    impl SharedPacer for Told {
        async fn reserve(
            &self,
            name: &str,
            _interval: Duration,
            _burst: NonZeroU32,
            _patience: Duration,
        ) -> Result<Result<Duration, Duration>, SharedLimiterUnavailable> {
            assert_eq!(name, "test:4", "the kind of pacing and the key name the shared entry");
            self.0.ok_or_else(|| SharedLimiterUnavailable { reason: "down".into() })
        }
    }

    #[tokio::test]
    async fn the_shared_pacing_decides_while_it_answers_and_this_process_while_it_does_not() {
        let refused = pacer(1000, 1000).shared(Arc::new(Told(Some(Err(Duration::from_millis(300))))));
        assert_eq!(refused.reserve(4, Duration::ZERO).await, Err(Duration::from_secs(1)), "at least a second");
        let waits = pacer(1000, 1000).shared(Arc::new(Told(Some(Ok(Duration::from_millis(7))))));
        assert_eq!(waits.reserve(4, Duration::from_secs(1)).await, Ok(Duration::from_millis(7)));
        let down = pacer(1, 1).shared(Arc::new(Told(None)));
        assert_eq!(down.reserve(4, Duration::ZERO).await, Ok(Duration::ZERO));
        assert!(down.reserve(4, Duration::ZERO).await.is_err(), "paced here meanwhile");
    }
}
