//! Request rate limits per API key: one key that floods the service (a runaway import script)
//! gets 429 with `Retry-After`, and the others keep their share of the app's quota. Shared by
//! every instance when Redis is configured (see [`KeyPacer`]).

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use open1688::SharedPacer;

use crate::key_pacing::KeyPacer;

/// Requests each key may make: a steady rate and a burst.
#[derive(Debug, Clone)]
pub struct KeyLimits {
    pacer: KeyPacer,
}

impl KeyLimits {
    /// `per_second` requests a second per key, with bursts of `burst`.
    pub fn new(per_second: NonZeroU32, burst: NonZeroU32) -> Self {
        Self { pacer: KeyPacer::new("requests", per_second, burst) }
    }

    /// The same limits, counted by every instance together through `shared`.
    pub fn shared(self, shared: Arc<dyn SharedPacer>) -> Self {
        Self { pacer: self.pacer.shared(shared) }
    }

    /// Whether key `id` may make a request now; otherwise how long until it may.
    pub async fn check(&self, id: i64) -> Result<(), Duration> {
        self.pacer.reserve(id, Duration::ZERO).await.map(|_| ())
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

    #[tokio::test]
    async fn each_key_has_its_own_budget() {
        let limits = KeyLimits::new(NonZeroU32::new(1).unwrap(), NonZeroU32::new(2).unwrap());
        assert!(limits.check(1).await.is_ok() && limits.check(1).await.is_ok());
        let wait = limits.check(1).await.unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(1), "{wait:?}");
        assert!(limits.check(2).await.is_ok(), "another key is not held back");
    }
}
