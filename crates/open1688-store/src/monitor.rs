//! The monitor: claims due watches, fetches each offer fresh, records the snapshot (changes are
//! detected in the same transaction), evaluates the watch's rules, stores and sends new alerts,
//! and schedules the next check — backing off exponentially after failures. A killed run leaves
//! the database consistent: every step is idempotent, so the next run continues without
//! duplicates.

use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, TimeZone, Utc};
use open1688::{Client, ErrorClass};
use serde::Serialize;

use crate::alerts::{Alert, evaluate, throttle};
use crate::db::{Store, StoreError, Watch};
use crate::notify::Notifier;
use crate::snapshot::Snapshot;

/// Figures of a monitor's runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MonitorStats {
    /// Watch checks attempted.
    pub checks: u64,
    /// Checks that succeeded.
    pub succeeded: u64,
    /// Alerts raised (new ones only).
    pub alerts: u64,
    /// Calls throttled by the gateway (after the SDK's own retries).
    pub throttled: u64,
    /// Mean check latency in ms.
    pub mean_latency_ms: f64,
    /// 95th-percentile check latency in ms.
    pub p95_latency_ms: f64,
    /// Age of the stalest watched data in seconds (as of the last run).
    pub stalest_seconds: Option<i64>,
}

/// Runs watches.
pub struct Monitor {
    store: Arc<dyn Store>,
    client: Client,
    notifiers: Vec<Arc<dyn Notifier>>,
    worker: String,
    latencies_ms: Vec<f64>,
    stats: MonitorStats,
}

impl std::fmt::Debug for Monitor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Monitor").field("worker", &self.worker).field("stats", &self.stats).finish_non_exhaustive()
    }
}

fn day_start(at: DateTime<Utc>) -> i64 {
    // Alert caps count per China-time day, like the platform's quotas.
    let china = at + Duration::hours(8);
    let midnight = china.date_naive().and_hms_opt(0, 0, 0).expect("midnight exists");
    (Utc.from_utc_datetime(&midnight) - Duration::hours(8)).timestamp_millis()
}

impl Monitor {
    /// A monitor named `worker` (claims carry the name).
    pub fn new(store: Arc<dyn Store>, client: Client, worker: impl Into<String>) -> Self {
        Self {
            store,
            client,
            notifiers: Vec::new(),
            worker: worker.into(),
            latencies_ms: Vec::new(),
            stats: MonitorStats::default(),
        }
    }

    /// Adds a notifier.
    pub fn notify_with(mut self, notifier: Arc<dyn Notifier>) -> Self {
        self.notifiers.push(notifier);
        self
    }

    /// Figures so far.
    pub fn stats(&self) -> MonitorStats {
        let mut s = self.stats.clone();
        if !self.latencies_ms.is_empty() {
            let mut l = self.latencies_ms.clone();
            l.sort_by(f64::total_cmp);
            s.mean_latency_ms = l.iter().sum::<f64>() / l.len() as f64;
            s.p95_latency_ms = l[((l.len() as f64 * 0.95).ceil() as usize).clamp(1, l.len()) - 1];
        }
        s
    }

    /// Runs every watch due at `now` once; returns the alerts raised.
    pub async fn run_due(&mut self, now: DateTime<Utc>) -> Result<Vec<Alert>, StoreError> {
        let now_ms = now.timestamp_millis();
        let mut raised = Vec::new();
        loop {
            let batch = self.store.claim_due(&self.worker, now_ms, 10 * 60_000, 32).await?;
            if batch.is_empty() {
                break;
            }
            for watch in batch {
                let started = Instant::now();
                let result = self.check(&watch, now).await;
                self.latencies_ms.push(started.elapsed().as_secs_f64() * 1000.0);
                self.stats.checks += 1;
                let ok = match result {
                    Ok(alerts) => {
                        self.stats.succeeded += 1;
                        self.stats.alerts += alerts.len() as u64;
                        raised.extend(alerts);
                        true
                    }
                    Err(CheckError::Api(e)) => {
                        if e.class() == ErrorClass::Throttled {
                            self.stats.throttled += 1;
                        }
                        tracing::warn!(watch = watch.id, error = %e, "watch check failed");
                        false
                    }
                    Err(CheckError::Store(e)) => return Err(e),
                };
                self.store.finish(watch.id, ok, now_ms).await?;
            }
        }
        let stalest = self.store.watches().await?.iter().filter_map(|w| w.last_run_ms).min();
        self.stats.stalest_seconds = stalest.map(|t| (now_ms - t) / 1000);
        Ok(raised)
    }

    async fn check(&mut self, watch: &Watch, now: DateTime<Utc>) -> Result<Vec<Alert>, CheckError> {
        let Some(offer_id) = watch.offer_id else { return Ok(Vec::new()) };
        let detail = self.client.fresh().offer(offer_id).await.map_err(CheckError::Api)?;
        let mut offer = sourcing::offer_from_detail(&detail, now)
            .map_err(|e| CheckError::Store(StoreError::Corrupt(e.to_string())))?;
        offer.fetched_at = now;
        let snapshot = Snapshot::of(&offer, None);
        let recorded = self.store.record(&offer, &snapshot).await.map_err(CheckError::Store)?;
        let longest = watch
            .rules
            .iter()
            .filter_map(|r| match r {
                crate::alerts::AlertRule::LowestInDays { days, .. } => Some(*days),
                _ => None,
            })
            .max()
            .unwrap_or(1);
        let history = self
            .store
            .history(offer_id, (now - Duration::days(longest.max(1) + 1)).timestamp_millis())
            .await
            .map_err(CheckError::Store)?;
        let alerts = evaluate(&watch.rules, &history, &recorded.changes);
        let sent_today = self.store.alerts_since(watch.id, day_start(now)).await.map_err(CheckError::Store)?;
        let snooze = watch.snooze_until_ms.and_then(DateTime::<Utc>::from_timestamp_millis);
        let allowed = throttle(alerts, snooze, watch.max_per_day.map(|m| m as u32), sent_today as u32);
        let added = self.store.save_alerts(watch.id, &allowed).await.map_err(CheckError::Store)?;
        if added > 0 {
            for n in &self.notifiers {
                if let Err(e) = n.notify(&allowed).await {
                    tracing::warn!(watch = watch.id, error = %e, "alerts not delivered");
                }
            }
        }
        Ok(if added > 0 { allowed } else { Vec::new() })
    }

    /// Runs forever: due watches every `tick`, with up to 10 % jitter between rounds.
    pub async fn run(&mut self, tick: StdDuration) -> Result<(), StoreError> {
        loop {
            self.run_due(Utc::now()).await?;
            let jitter = tick.mul_f64(fastrand_fraction() * 0.1);
            tokio::time::sleep(tick + jitter).await;
        }
    }
}

fn fastrand_fraction() -> f64 {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().subsec_nanos();
    f64::from(nanos % 1000) / 1000.0
}

enum CheckError {
    Api(open1688::Error),
    Store(StoreError),
}
