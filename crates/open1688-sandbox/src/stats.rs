//! Call statistics per API and per app, so tests can assert how many calls a job made and how
//! they ended.

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// How one call ended.
#[derive(Clone, Copy, Debug)]
pub enum Outcome<'a> {
    /// The API answered with success.
    Ok,
    /// Rejected by the gateway with this error code.
    Gateway(&'a str),
    /// The API answered HTTP 200 with a business failure (code).
    Business(&'a str),
    /// A fault was injected (fault name).
    Fault(&'a str),
}

/// Counters of one API or app.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallCounts {
    /// Every request that reached the gateway.
    pub calls: u64,
    /// Successful answers.
    pub ok: u64,
    /// Gateway rejections.
    pub gateway_errors: u64,
    /// Business failures.
    pub business_failures: u64,
    /// Injected faults.
    pub faults: u64,
    /// Counts by error code, business code or fault name.
    pub by_code: BTreeMap<String, u64>,
}

impl CallCounts {
    fn add(&mut self, outcome: Outcome<'_>) {
        self.calls += 1;
        let code = match outcome {
            Outcome::Ok => {
                self.ok += 1;
                return;
            }
            Outcome::Gateway(code) => {
                self.gateway_errors += 1;
                code
            }
            Outcome::Business(code) => {
                self.business_failures += 1;
                code
            }
            Outcome::Fault(name) => {
                self.faults += 1;
                name
            }
        };
        *self.by_code.entry(code.to_owned()).or_default() += 1;
    }
}

/// A copy of the counters at one moment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsSnapshot {
    /// All calls.
    pub total: CallCounts,
    /// By API name (`product.search.keywordQuery`).
    pub by_api: BTreeMap<String, CallCounts>,
    /// By app key (calls whose app key was unknown are counted under `-`).
    pub by_app: BTreeMap<String, CallCounts>,
}

impl StatsSnapshot {
    /// Counters of one API (zero if it was never called).
    pub fn api(&self, name: &str) -> CallCounts {
        self.by_api.get(name).cloned().unwrap_or_default()
    }

    /// Counters of one app (zero if it never called).
    pub fn app(&self, app_key: &str) -> CallCounts {
        self.by_app.get(app_key).cloned().unwrap_or_default()
    }
}

/// The live counters.
#[derive(Debug, Default)]
pub struct Stats {
    inner: Mutex<StatsSnapshot>,
}

impl Stats {
    /// Counts one call.
    pub fn record(&self, app_key: Option<&str>, api: &str, outcome: Outcome<'_>) {
        let mut s = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        s.total.add(outcome);
        match s.by_api.get_mut(api) {
            Some(c) => c.add(outcome),
            None => s.by_api.entry(api.to_owned()).or_default().add(outcome),
        }
        let app = app_key.unwrap_or("-");
        match s.by_app.get_mut(app) {
            Some(c) => c.add(outcome),
            None => s.by_app.entry(app.to_owned()).or_default().add(outcome),
        }
    }

    /// The counters now.
    pub fn snapshot(&self) -> StatsSnapshot {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Zeroes every counter.
    pub fn reset(&self) {
        *self.inner.lock().unwrap_or_else(|e| e.into_inner()) = StatsSnapshot::default();
    }
}
