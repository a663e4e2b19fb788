//! Gateway calls charged to whoever asked for them.
//!
//! One app key's quota serves many callers of a service (a buying team, their ERP, their AI
//! agents). The client's own pacing keeps the app under its quota, but first come first served:
//! one caller asking for hundreds of calls slows every other caller down. A service therefore
//! runs each caller's work inside [`ChargedTo::scope`]; every gateway attempt made inside it
//! (retries included, cached answers not) first spends one call of that caller's share, waiting
//! while the share refills or failing with [`Error::CallShareSpent`](crate::Error::CallShareSpent)
//! when the wait would be longer than the caller may wait.
//!
//! The charge follows the task (a Tokio task-local), so work that spawns tasks of its own carries
//! it with [`ChargedTo::current`] and [`ChargedTo::scope`] again.
//!
//! ```
//! use std::sync::Arc;
//! use std::time::Duration;
//! use open1688::call_share::{CallShare, ChargedTo};
//!
//! /// A caller that may make every call at once.
//! #[derive(Debug)]
//! struct Unlimited;
//!
//! #[async_trait::async_trait]
//! impl CallShare for Unlimited {
//!     async fn spend(&self) -> Result<(), Duration> {
//!         Ok(())
//!     }
//! }
//!
//! # async fn run() {
//! let charge = ChargedTo::new(Arc::new(Unlimited));
//! let answer = charge.scope(async { 42 }).await;
//! assert_eq!(answer, 42);
//! # }
//! ```

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;

use crate::error::Error;

/// One caller's share of the app's gateway calls.
#[async_trait]
pub trait CallShare: Send + Sync + std::fmt::Debug {
    /// Spends one call: returns once the call may go (after waiting for the share to refill, if
    /// it must), or `Err(retry_after)` when it may not go within the wait this caller allows,
    /// with how long to wait before asking again.
    async fn spend(&self) -> Result<(), Duration>;
}

tokio::task_local! {
    static CHARGED: ChargedTo;
}

/// The share that the gateway calls of a piece of work are charged to.
#[derive(Debug, Clone)]
pub struct ChargedTo(Arc<dyn CallShare>);

impl ChargedTo {
    /// Charges calls to `share`.
    pub fn new(share: Arc<dyn CallShare>) -> Self {
        Self(share)
    }

    /// Runs `work` with every gateway call it makes (on this task) charged to this share.
    pub async fn scope<F: Future>(self, work: F) -> F::Output {
        CHARGED.scope(self, work).await
    }

    /// The charge of the work running now, if any: to carry into a task it spawns.
    pub fn current() -> Option<Self> {
        CHARGED.try_with(Clone::clone).ok()
    }
}

/// Runs `work` under `charge` when there is one, else as it is.
pub async fn carried<F: Future>(charge: Option<ChargedTo>, work: F) -> F::Output {
    match charge {
        Some(charge) => charge.scope(work).await,
        None => work.await,
    }
}

/// Spends one call of the current work's share (nothing when the work is charged to nobody).
pub(crate) async fn spend_one(api: &str) -> Result<(), Error> {
    let Some(charge) = ChargedTo::current() else {
        return Ok(());
    };
    charge.0.spend().await.map_err(|retry_after| Error::CallShareSpent { api: api.to_owned(), retry_after })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[derive(Debug, Default)]
    struct Counted {
        left: AtomicU32,
    }

    #[async_trait]
    impl CallShare for Counted {
        async fn spend(&self) -> Result<(), Duration> {
            self.left
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .map(|_| ())
                .map_err(|_| Duration::from_secs(3))
        }
    }

    #[tokio::test]
    async fn work_outside_a_charge_spends_nothing() {
        assert!(spend_one("a").await.is_ok());
        assert!(ChargedTo::current().is_none());
    }

    #[tokio::test]
    async fn calls_inside_a_charge_spend_its_share_until_it_is_gone() {
        let share = Arc::new(Counted { left: AtomicU32::new(2) });
        let spent = ChargedTo::new(share.clone())
            .scope(async { [spend_one("a").await, spend_one("a").await, spend_one("a").await] })
            .await;
        assert!(spent[0].is_ok() && spent[1].is_ok());
        match &spent[2] {
            Err(Error::CallShareSpent { retry_after, .. }) => assert_eq!(*retry_after, Duration::from_secs(3)),
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn a_spawned_task_carries_the_charge_when_asked() {
        let share = Arc::new(Counted { left: AtomicU32::new(1) });
        let outcome = ChargedTo::new(share.clone())
            .scope(async {
                let charge = ChargedTo::current();
                tokio::spawn(carried(charge, async { spend_one("a").await.is_ok() })).await.unwrap()
            })
            .await;
        assert!(outcome);
        assert_eq!(share.left.load(Ordering::SeqCst), 0, "the spawned task spent the share");
    }
}
