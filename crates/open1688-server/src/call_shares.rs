//! Each API key's share of the app's gateway calls: a steady rate and a burst per key, so one key
//! asking for hundreds of uncached calls is slowed (or refused with `Retry-After`) while the
//! other keys' calls keep their speed. The request rate limit ([`KeyLimits`](crate::KeyLimits))
//! counts requests; this counts what they cost.
//!
//! A key's calls are paced by a GCRA that *reserves* a departure per call: a call within the
//! burst goes at once, a later one waits for its slot, and one whose slot is further away than the
//! caller may wait is refused without reserving anything. A request waits at most
//! [`REQUEST_PATIENCE`] for one call; a background job, which nobody is holding a connection
//! open for, waits as long as [`JOB_PATIENCE`]. With Redis every instance spends from the same
//! share (see [`KeyPacer`]).

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use open1688::SharedPacer;
use open1688::call_share::{CallShare, ChargedTo};

use crate::key_pacing::KeyPacer;

/// The longest a request waits for one gateway call of its key's share before it is refused.
pub const REQUEST_PATIENCE: Duration = Duration::from_secs(5);

/// The longest a background job waits for one gateway call of its key's share.
pub const JOB_PATIENCE: Duration = Duration::from_secs(600);

/// Every key's share of gateway calls.
#[derive(Debug, Clone)]
pub struct CallShares {
    pacer: KeyPacer,
}

impl CallShares {
    /// `per_second` gateway calls a second per key, `burst` of them back to back.
    pub fn new(per_second: NonZeroU32, burst: NonZeroU32) -> Self {
        Self { pacer: KeyPacer::new("calls", per_second, burst) }
    }

    /// The same shares, spent on every instance together through `shared`.
    pub fn shared(self, shared: Arc<dyn SharedPacer>) -> Self {
        Self { pacer: self.pacer.shared(shared) }
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
        let wait = self.shares.pacer.reserve(self.key, self.patience).await?;
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn work_charged_to_a_key_waits_for_its_slot_or_is_refused() {
        let shares = CallShares::new(NonZeroU32::MIN, NonZeroU32::MIN);
        let share = KeyShare { shares: shares.clone(), key: 9, patience: Duration::from_secs(5) };
        let started = tokio::time::Instant::now();
        share.spend().await.unwrap();
        share.spend().await.unwrap();
        assert_eq!(started.elapsed(), Duration::from_secs(1));
        let impatient = KeyShare { shares: shares.clone(), key: 9, patience: Duration::ZERO };
        assert!(impatient.spend().await.is_err());
        let other = KeyShare { shares, key: 10, patience: Duration::ZERO };
        assert!(other.spend().await.is_ok(), "another key's share is its own");
    }
}
