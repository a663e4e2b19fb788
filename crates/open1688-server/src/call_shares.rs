//! Each API key's share of the app's gateway calls: a steady rate and a burst per key, so one key
//! asking for hundreds of uncached calls is slowed (or refused with `Retry-After`) while the
//! other keys' calls keep their speed. The request rate limit ([`KeyLimits`](crate::KeyLimits))
//! counts requests; this counts what they cost.
//!
//! A key's calls are paced by a GCRA that *reserves* a departure per call: a call within the
//! burst goes at once, a later one waits for its slot, and one whose slot is further away than the
//! caller may wait is refused without reserving anything. A request waits at most
//! [`REQUEST_PATIENCE`] for one call; a background job, which nobody is holding a connection
//! open for, waits as long as [`JOB_PATIENCE`].

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use open1688::call_share::{CallShare, ChargedTo};
use tokio::time::Instant;

/// The longest a request waits for one gateway call of its key's share before it is refused.
pub const REQUEST_PATIENCE: Duration = Duration::from_secs(5);

/// The longest a background job waits for one gateway call of its key's share.
pub const JOB_PATIENCE: Duration = Duration::from_secs(600);

/// Keys paced at once before the finished ones are forgotten (a forgotten key is one whose
/// share is full again, so forgetting it changes nothing).
const REMEMBERED: usize = 1_024;

/// Every key's share of gateway calls.
#[derive(Clone)]
pub struct CallShares {
    pacing: Arc<Pacing>,
}

struct Pacing {
    /// Time between two calls of one key.
    interval: Duration,
    /// How far ahead of its theoretical arrival time a call may go (burst − 1 intervals).
    tolerance: Duration,
    /// Each key's theoretical arrival time of its next call.
    next: Mutex<HashMap<i64, Instant>>,
}

impl std::fmt::Debug for CallShares {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallShares").field("interval", &self.pacing.interval).finish_non_exhaustive()
    }
}

impl CallShares {
    /// `per_second` gateway calls a second per key, `burst` of them back to back.
    pub fn new(per_second: NonZeroU32, burst: NonZeroU32) -> Self {
        let interval = Duration::from_secs(1) / per_second.get();
        Self {
            pacing: Arc::new(Pacing {
                interval,
                tolerance: interval.saturating_mul(burst.get() - 1),
                next: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// Reserves one call for `key` at `now`: how long the call waits for its slot, or, when that
    /// is longer than `patience`, nothing reserved and how long until asking again can succeed.
    pub fn reserve(&self, key: i64, now: Instant, patience: Duration) -> Result<Duration, Duration> {
        let pacing = &*self.pacing;
        let mut next = pacing.next.lock().unwrap_or_else(|p| p.into_inner());
        if next.len() > REMEMBERED {
            next.retain(|_, at| *at > now);
        }
        // An idle key's arrival time is now: idling refills the burst, never more.
        let current = next.get(&key).map_or(now, |at| (*at).max(now));
        let departure = now.max(current.checked_sub(pacing.tolerance).unwrap_or(current));
        let wait = departure - now;
        if wait > patience {
            return Err((wait - patience).max(Duration::from_secs(1)));
        }
        next.insert(key, current + pacing.interval);
        Ok(wait)
    }

    /// What the gateway calls of `key`'s work are charged to, waiting at most `patience` for one.
    pub fn charge(&self, key: i64, patience: Duration) -> ChargedTo {
        ChargedTo::new(Arc::new(KeyShare { shares: self.clone(), key, patience }))
    }
}

impl Default for CallShares {
    /// 5 calls a second per key (half the app's default rate of 10), 60 back to back: enough for
    /// a search and the details of its candidates at once, not for a second key's worth.
    fn default() -> Self {
        Self::new(NonZeroU32::new(5).unwrap_or(NonZeroU32::MIN), NonZeroU32::new(60).unwrap_or(NonZeroU32::MIN))
    }
}

/// One key's share, as a piece of its work spends it.
#[derive(Debug)]
struct KeyShare {
    shares: CallShares,
    key: i64,
    patience: Duration,
}

#[async_trait]
impl CallShare for KeyShare {
    async fn spend(&self) -> Result<(), Duration> {
        let wait = self.shares.reserve(self.key, Instant::now(), self.patience)?;
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shares(per_second: u32, burst: u32) -> CallShares {
        CallShares::new(NonZeroU32::new(per_second).unwrap(), NonZeroU32::new(burst).unwrap())
    }

    #[test]
    fn a_burst_goes_at_once_and_the_next_call_waits_its_interval() {
        let shares = shares(2, 3);
        let now = Instant::now();
        for _ in 0..3 {
            assert_eq!(shares.reserve(1, now, Duration::ZERO), Ok(Duration::ZERO));
        }
        assert_eq!(shares.reserve(1, now, Duration::from_secs(5)), Ok(Duration::from_millis(500)));
        assert_eq!(shares.reserve(1, now, Duration::from_secs(5)), Ok(Duration::from_millis(1_000)));
    }

    #[test]
    fn a_call_beyond_the_patience_is_refused_and_reserves_nothing() {
        let shares = shares(1, 1);
        let now = Instant::now();
        assert_eq!(shares.reserve(1, now, Duration::ZERO), Ok(Duration::ZERO));
        let refused = shares.reserve(1, now, Duration::ZERO).unwrap_err();
        assert_eq!(refused, Duration::from_secs(1));
        // Refusals reserved nothing: a second later the next call goes at once.
        assert_eq!(shares.reserve(1, now + Duration::from_secs(1), Duration::ZERO), Ok(Duration::ZERO));
    }

    #[test]
    fn one_key_spending_its_share_leaves_another_untouched() {
        let shares = shares(1, 2);
        let now = Instant::now();
        for _ in 0..2 {
            shares.reserve(1, now, Duration::ZERO).unwrap();
        }
        assert!(shares.reserve(1, now, Duration::ZERO).is_err());
        assert_eq!(shares.reserve(2, now, Duration::ZERO), Ok(Duration::ZERO));
    }

    #[test]
    fn an_idle_key_gets_its_burst_back_but_no_more() {
        let shares = shares(10, 5);
        let start = Instant::now();
        for _ in 0..5 {
            shares.reserve(1, start, Duration::ZERO).unwrap();
        }
        let later = start + Duration::from_secs(60);
        for _ in 0..5 {
            assert_eq!(shares.reserve(1, later, Duration::ZERO), Ok(Duration::ZERO));
        }
        assert!(shares.reserve(1, later, Duration::ZERO).is_err(), "an hour idle does not bank more than the burst");
    }

    #[test]
    fn forgotten_keys_were_full_again() {
        let shares = shares(1000, 1);
        let now = Instant::now();
        for key in 0..(REMEMBERED as i64 + 10) {
            shares.reserve(key, now, Duration::ZERO).unwrap();
        }
        let later = now + Duration::from_secs(1);
        shares.reserve(-1, later, Duration::ZERO).unwrap();
        assert!(shares.pacing.next.lock().unwrap().len() < 10, "keys whose share is full again are forgotten");
    }

    #[tokio::test(start_paused = true)]
    async fn work_charged_to_a_key_waits_for_its_slot() {
        let shares = shares(1, 1);
        let share = KeyShare { shares: shares.clone(), key: 9, patience: Duration::from_secs(5) };
        let started = Instant::now();
        share.spend().await.unwrap();
        share.spend().await.unwrap();
        assert_eq!(started.elapsed(), Duration::from_secs(1));
        let impatient = KeyShare { shares, key: 9, patience: Duration::ZERO };
        assert!(impatient.spend().await.is_err());
    }
}
