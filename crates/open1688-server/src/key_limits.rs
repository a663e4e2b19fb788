//! Request rate limits per API key: one key that floods the service (a runaway import script)
//! gets 429 with `Retry-After`, and the others keep their share of the app's quota.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Requests each key may make: a steady rate and a burst.
#[derive(Clone)]
pub struct KeyLimits {
    limiter: Arc<DefaultKeyedRateLimiter<i64>>,
}

impl std::fmt::Debug for KeyLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyLimits")
    }
}

impl KeyLimits {
    /// `per_second` requests a second per key, with bursts of `burst`.
    pub fn new(per_second: NonZeroU32, burst: NonZeroU32) -> Self {
        Self { limiter: Arc::new(RateLimiter::keyed(Quota::per_second(per_second).allow_burst(burst))) }
    }

    /// Whether key `id` may make a request now; otherwise how long until it may.
    pub fn check(&self, id: i64) -> Result<(), Duration> {
        self.limiter.check_key(&id).map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}

impl Default for KeyLimits {
    /// 20 requests a second per key, bursts of 40.
    fn default() -> Self {
        Self::new(NonZeroU32::new(20).unwrap_or(NonZeroU32::MIN), NonZeroU32::new(40).unwrap_or(NonZeroU32::MIN))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_has_its_own_budget() {
        let limits = KeyLimits::new(NonZeroU32::new(1).unwrap(), NonZeroU32::new(2).unwrap());
        assert!(limits.check(1).is_ok() && limits.check(1).is_ok());
        let wait = limits.check(1).unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(1), "{wait:?}");
        assert!(limits.check(2).is_ok(), "another key is not held back");
    }
}
