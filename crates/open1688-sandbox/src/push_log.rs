//! Where each app's pushed messages go, the ids they get and what delivering them did: the part
//! of the push machinery the sandbox's state keeps (the sender is [`crate::push`]).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, Ordering};

use serde::{Deserialize, Serialize};

use crate::config::AppConfig;

/// The first message id the sandbox hands out (ids grow by one from here).
const FIRST_MSG_ID: i64 = 92_705_600_000;

/// Where an app's messages go, and for which offers.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
pub struct PushTarget {
    /// The callback URL (`http://…/push/1688`).
    pub url: String,
    /// Offers followed (every offer that changes when empty).
    #[serde(default)]
    pub follows: Vec<i64>,
}

/// What the sender has done so far.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PushStats {
    /// Messages made from catalog changes.
    pub messages: u64,
    /// Messages a receiver acknowledged (2xx).
    pub delivered: u64,
    /// Delivery attempts that got no 2xx (a refusal, an error or a timeout).
    pub refused_attempts: u64,
    /// Messages delivered a second time (the duplicate switch).
    pub duplicates: u64,
    /// Messages held back behind the next one (the reorder switch).
    pub reordered: u64,
    /// Attempts sent with a corrupted signature (the bad-signature switch).
    pub bad_signatures: u64,
    /// Messages given up on after every attempt (parked, as the platform's failed-message list).
    pub failed: u64,
}

/// The push side of the sandbox's state: where each app's messages go, message ids and counters.
#[derive(Debug)]
pub struct PushLog {
    targets: std::sync::RwLock<BTreeMap<String, PushTarget>>,
    next_id: AtomicI64,
    stats: std::sync::Mutex<PushStats>,
}

impl PushLog {
    /// The targets the apps were configured with.
    pub fn new<'a>(apps: impl IntoIterator<Item = &'a AppConfig>) -> Self {
        let targets = apps
            .into_iter()
            .filter_map(|a| {
                let url = a.push_url.clone()?;
                Some((a.app_key.clone(), PushTarget { url, follows: a.follows.clone() }))
            })
            .collect();
        Self {
            targets: std::sync::RwLock::new(targets),
            next_id: AtomicI64::new(FIRST_MSG_ID),
            stats: std::sync::Mutex::default(),
        }
    }

    /// Registers (or with `None` removes) where an app's messages go, as the app console does.
    pub fn set_target(&self, app_key: &str, target: Option<PushTarget>) {
        let mut targets = self.targets.write().unwrap_or_else(|e| e.into_inner());
        match target {
            Some(t) => targets.insert(app_key.to_owned(), t),
            None => targets.remove(app_key),
        };
    }

    /// Every app's target.
    pub fn targets(&self) -> BTreeMap<String, PushTarget> {
        self.targets.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The counters so far.
    pub fn stats(&self) -> PushStats {
        self.stats.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn count(&self, f: impl FnOnce(&mut PushStats)) {
        f(&mut self.stats.lock().unwrap_or_else(|e| e.into_inner()));
    }

    pub(crate) fn next_id(&self) -> i64 {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }
}
