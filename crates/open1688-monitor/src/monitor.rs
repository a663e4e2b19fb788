//! The monitor: claims due watches, checks several at once within the client's quota, records
//! what it saw (offer snapshots with their changes, or a keyword's results as a checkpoint),
//! evaluates the watch's rules, stores new alerts with their pending deliveries, sends them
//! through the outbox ([`crate::outbox`]), and schedules the next check — backing off
//! exponentially after failures.
//!
//! Every cycle is a job run with a heartbeat. A killed run leaves the database consistent (each
//! step is its own transaction and idempotent); the next run of the same worker marks it
//! interrupted, takes back its claimed watches and continues without duplicates.

use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, TimeZone, Utc};
use futures::StreamExt;
use open1688::{CacheCounts, Client, ErrorClass, SearchQuery};
use serde::Serialize;

use open1688_store::{
    Alert, AlertRule, FailurePolicy, Observation, RunProgress, RunStatus, Snapshot, Store, StoreError, Watch,
};

use crate::keyword::{Listings, evaluate_listings, listings};
use crate::notify::Notifier;
use crate::rules::{evaluate, throttle};

/// Figures of a monitor's runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MonitorStats {
    /// Watch checks attempted.
    pub checks: u64,
    /// Checks that succeeded.
    pub succeeded: u64,
    /// Alerts raised (new ones only).
    pub alerts: u64,
    /// Calls throttled by the gateway (after the SDK's own retries).
    pub throttled: u64,
    /// Checks that failed and left their watch paused (see [`FailurePolicy`]).
    pub paused: u64,
    /// Mean check latency in ms.
    pub mean_latency_ms: f64,
    /// 95th-percentile check latency in ms.
    pub p95_latency_ms: f64,
    /// Cache hits over cache lookups since the monitor started (`None` before any lookup).
    /// Checks read fresh data, so lookups come from other calls sharing the client.
    pub cache_hit_rate: Option<f64>,
    /// Gateway reads made fresh on purpose (each check's offer or search page).
    pub fresh_reads: u64,
    /// Age of the stalest watched data in seconds (as of the last run).
    pub stalest_seconds: Option<i64>,
    /// Deliveries of alerts the notifiers' receivers took.
    pub delivered: u64,
    /// Delivery attempts that failed (each is retried later; see [`crate::outbox`]).
    pub delivery_failures: u64,
    /// Deliveries still waiting to be sent (as of the last run), on any channel.
    pub pending_deliveries: u64,
}

/// How many results of a keyword a keyword watch follows (one page).
const KEYWORD_RESULTS: u32 = 50;
/// How long a claim holds before another worker may take the watch.
const LEASE_MS: i64 = 10 * 60_000;

/// Runs watches.
pub struct Monitor {
    store: Arc<dyn Store>,
    client: Client,
    notifiers: Vec<Arc<dyn Notifier>>,
    worker: String,
    concurrency: usize,
    scorecard: sourcing::Scorecard,
    failures: FailurePolicy,
    latencies_ms: Vec<f64>,
    stats: MonitorStats,
    cache_baseline: CacheCounts,
    orders: Option<crate::order_watch::OrderWatch>,
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

/// The outcome of one watch's check.
struct Checked {
    latency_ms: f64,
    result: Result<Vec<Alert>, CheckError>,
    /// The check failed and the watch is now paused.
    paused: bool,
}

impl Monitor {
    /// A monitor named `worker` (claims and job runs carry the name; a restarted worker with the
    /// same name resumes what it had claimed). Checks 8 watches at a time.
    pub fn new(store: Arc<dyn Store>, client: Client, worker: impl Into<String>) -> Self {
        let cache_baseline = client.cache_counts();
        Self {
            store,
            client,
            notifiers: Vec::new(),
            worker: worker.into(),
            concurrency: 8,
            scorecard: sourcing::Scorecard::preset("default").expect("the default preset exists"),
            failures: FailurePolicy::default(),
            latencies_ms: Vec::new(),
            stats: MonitorStats::default(),
            cache_baseline,
            orders: None,
        }
    }

    /// Also keeps the orders placed from here current: each round, when `watch` is due, every
    /// open order is read from the platform; status changes (whoever recorded them) and stuck
    /// orders are alerted through the outbox, like a watch's alerts.
    pub fn watch_orders(mut self, watch: crate::order_watch::OrderWatch) -> Self {
        self.orders = Some(watch);
        self
    }

    /// One round of the order watch (see [`Monitor::watch_orders`]), then the outbox is sent;
    /// returns the alerts the round stored. Without an order watch, does nothing.
    pub async fn run_orders(&mut self, now: DateTime<Utc>) -> Result<Vec<Alert>, StoreError> {
        let Some(watch) = self.orders.as_mut() else { return Ok(Vec::new()) };
        let channels: Vec<&str> = self.notifiers.iter().map(|n| n.channel()).collect();
        let round = watch.poll(&self.client, now, &channels).await?;
        if round.unreadable > 0 {
            tracing::warn!(
                unreadable = round.unreadable,
                "some open orders could not be read; they are read again next time"
            );
        }
        self.stats.alerts += round.alerts.len() as u64;
        if !round.alerts.is_empty() {
            self.send_outbox(now.timestamp_millis()).await?;
        }
        Ok(round.alerts)
    }

    /// Adds a notifier.
    pub fn notify_with(mut self, notifier: Arc<dyn Notifier>) -> Self {
        self.notifiers.push(notifier);
        self
    }

    /// How many watches are checked at once (the client's rate limits still pace the calls).
    pub fn concurrency(mut self, checks: usize) -> Self {
        self.concurrency = checks.max(1);
        self
    }

    /// The scorecard suppliers are scored with for `supplier_score_drop` changes (default: the
    /// `default` preset).
    pub fn scorecard(mut self, scorecard: sourcing::Scorecard) -> Self {
        self.scorecard = scorecard;
        self
    }

    /// When failing watches are paused (default: after 5 failures in a row, for 1 hour doubling
    /// up to a day).
    pub fn failure_policy(mut self, policy: FailurePolicy) -> Self {
        self.failures = policy;
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
        let now = self.client.cache_counts();
        let since = CacheCounts {
            hits: now.hits - self.cache_baseline.hits,
            misses: now.misses - self.cache_baseline.misses,
            fresh: now.fresh - self.cache_baseline.fresh,
        };
        s.cache_hit_rate = since.hit_rate();
        s.fresh_reads = since.fresh;
        s
    }

    fn progress(&self, start: &MonitorStats) -> RunProgress {
        let n = |now: u64, then: u64| i64::try_from(now - then).unwrap_or(i64::MAX);
        RunProgress {
            checks: n(self.stats.checks, start.checks),
            succeeded: n(self.stats.succeeded, start.succeeded),
            alerts: n(self.stats.alerts, start.alerts),
        }
    }

    /// Runs every watch due at `now` once, as one job run; returns the alerts raised.
    pub async fn run_due(&mut self, now: DateTime<Utc>) -> Result<Vec<Alert>, StoreError> {
        let now_ms = now.timestamp_millis();
        let run = self.store.start_run("monitor", &self.worker, now_ms).await?;
        if !run.interrupted.is_empty() {
            tracing::warn!(
                runs = ?run.interrupted,
                released = run.released_claims,
                "an earlier monitor run of this worker was killed; continuing its watches"
            );
        }
        let start = self.stats.clone();
        let outcome = self.cycle(now, run.id, &start).await;
        let status = if outcome.is_ok() { RunStatus::Completed } else { RunStatus::Failed };
        // A failed store may fail this too; the run then stays `running` and the next run of
        // this worker marks it interrupted.
        let finished = self.store.finish_run(run.id, status, self.progress(&start), now_ms).await;
        let raised = outcome?;
        finished?;
        let stalest = self.store.watches().await?.iter().filter_map(|w| w.last_run_ms).min();
        self.stats.stalest_seconds = stalest.map(|t| (now_ms - t) / 1000);
        self.stats.pending_deliveries = self.store.pending_deliveries().await?;
        Ok(raised)
    }

    async fn cycle(
        &mut self,
        now: DateTime<Utc>,
        run_id: i64,
        run_start: &MonitorStats,
    ) -> Result<Vec<Alert>, StoreError> {
        let now_ms = now.timestamp_millis();
        let batch_size = i64::try_from(self.concurrency * 16).unwrap_or(i64::MAX);
        let mut raised = Vec::new();
        // Claims are stamped with the time the cycle has reached, not its start, and renewed at
        // every heartbeat: a cycle longer than the lease keeps the watches it is still checking.
        let started = Instant::now();
        let reached = || now_ms.saturating_add(i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX));
        // What an earlier cycle (or a killed run) left unsent goes out first.
        self.send_outbox(reached()).await?;
        loop {
            let batch = self.store.claim_due(&self.worker, reached(), LEASE_MS, batch_size).await?;
            if batch.is_empty() {
                break;
            }
            let this = &*self;
            let outcomes: Vec<Checked> = futures::stream::iter(batch)
                .map(|watch| async move { this.check_and_finish(&watch, now).await })
                .buffer_unordered(self.concurrency)
                .collect()
                .await;
            for checked in outcomes {
                self.latencies_ms.push(checked.latency_ms);
                self.stats.checks += 1;
                self.stats.paused += u64::from(checked.paused);
                match checked.result {
                    Ok(alerts) => {
                        self.stats.succeeded += 1;
                        self.stats.alerts += alerts.len() as u64;
                        raised.extend(alerts);
                    }
                    Err(CheckError::Api(e)) => {
                        if e.class() == ErrorClass::Throttled {
                            self.stats.throttled += 1;
                        }
                    }
                    Err(CheckError::Data(_)) => {}
                    Err(CheckError::Store(e)) => return Err(e),
                }
            }
            self.send_outbox(reached()).await?;
            self.store.renew_claims(&self.worker, reached()).await?;
            self.store.heartbeat(run_id, self.progress(run_start), now_ms).await?;
        }
        Ok(raised)
    }

    async fn send_outbox(&mut self, now_ms: i64) -> Result<(), StoreError> {
        let pass = crate::outbox::send_due(&*self.store, &self.notifiers, &self.worker, now_ms).await?;
        self.stats.delivered += pass.delivered;
        self.stats.delivery_failures += pass.failed;
        Ok(())
    }

    async fn check_and_finish(&self, watch: &Watch, now: DateTime<Utc>) -> Checked {
        let started = Instant::now();
        let result = match &watch.keyword {
            Some(keyword) => self.check_keyword(watch, keyword, now).await,
            None => self.check_offer(watch, now).await,
        };
        let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
        if let Err(e @ (CheckError::Api(_) | CheckError::Data(_))) = &result {
            tracing::warn!(watch = watch.id, error = %e, "watch check failed");
        }
        let mut paused = false;
        let failure = result.as_ref().err().map(ToString::to_string);
        let result = match &result {
            Err(CheckError::Store(_)) => result,
            _ => match self
                .store
                .finish(watch.id, &self.worker, failure.as_deref(), now.timestamp_millis(), &self.failures)
                .await
            {
                Ok(finished) => {
                    if let (Some(f), Err(e @ (CheckError::Api(_) | CheckError::Data(_)))) = (finished, &result)
                        && f.paused
                    {
                        paused = true;
                        let until = DateTime::<Utc>::from_timestamp_millis(f.next_due_ms).unwrap_or(now);
                        tracing::warn!(
                            watch = watch.id,
                            failures = f.failures,
                            until = %until.to_rfc3339(),
                            error = %e,
                            "watch paused after failing repeatedly"
                        );
                    }
                    result
                }
                Err(e) => Err(CheckError::Store(e)),
            },
        };
        Checked { latency_ms, result, paused }
    }

    async fn check_offer(&self, watch: &Watch, now: DateTime<Utc>) -> Result<Vec<Alert>, CheckError> {
        let Some(offer_id) = watch.offer_id else { return Ok(Vec::new()) };
        let longest = watch
            .rules
            .iter()
            .filter_map(|r| match r {
                AlertRule::LowestInDays { days, .. } => Some(*days),
                _ => None,
            })
            .max()
            .unwrap_or(1);
        // Rules are range-checked when stored; a row written before that is clamped, not a panic.
        let window = Duration::days(longest.clamp(1, open1688_store::alerts::MAX_RULE_DAYS) + 1);
        let since = now.checked_sub_signed(window).map_or(i64::MIN, |t| t.timestamp_millis());
        let mut history = self.store.history(offer_id, since).await?;
        // A snapshot taken since the watch fell due means a killed run already fetched it: use
        // it rather than fetch again, so a restart adds no second snapshot for the same slot.
        let changes = match history.last() {
            Some(done) if done.at.timestamp_millis() >= watch.next_due_ms => {
                let prev = history.len().checked_sub(2).map(|i| &history[i]);
                prev.map(|p| open1688_store::detect(p, done)).unwrap_or_default()
            }
            _ => {
                let detail = self.client.fresh().offer(offer_id).await?;
                let mut offer = sourcing::offer_from_detail(&detail, now)
                    .map_err(|e| CheckError::Data(format!("offer {offer_id}: {e}")))?;
                offer.fetched_at = now;
                // The detail carries the seller's service signals: scored here so that a drop
                // shows up as a change like any other.
                let supplier = sourcing::supplier_from_detail(&detail);
                let score = self.scorecard.score(&supplier).score;
                let snapshot = Snapshot::of(&offer, Some(score));
                let raw = serde_json::to_string(&detail).map_err(|e| StoreError::Corrupt(e.to_string()))?;
                let seen = Observation::new(&offer, &snapshot).raw(&raw).supplier(&supplier);
                let recorded = self.store.record(&seen).await?;
                if recorded.inserted {
                    history.push(snapshot);
                }
                recorded.changes
            }
        };
        let mut alerts = evaluate(&watch.rules, &history, &changes);
        // Alerts name the product: its title as the store last recorded it (read only when a
        // rule fired).
        if !alerts.is_empty()
            && let Some(stored) = self.store.offer(offer_id).await?
        {
            alerts.iter_mut().for_each(|a| a.name_product(&stored.offer.title));
        }
        self.deliver(watch, alerts, now).await
    }

    async fn check_keyword(&self, watch: &Watch, keyword: &str, now: DateTime<Utc>) -> Result<Vec<Alert>, CheckError> {
        let query = SearchQuery::new(keyword).page_size(KEYWORD_RESULTS).max_pages(1);
        let fresh = self.client.fresh();
        let items: Vec<_> = fresh.search(&query).collect::<Vec<_>>().await.into_iter().collect::<Result<_, _>>()?;
        let summaries: Vec<_> = items.iter().filter_map(|i| sourcing::summary_from_search_item(i).ok()).collect();
        let current = listings(&summaries);
        let name = format!("watch:{}:results", watch.id);
        // An unreadable checkpoint (written by another version, or damaged) is treated as none:
        // this check starts the comparison afresh instead of failing every cycle.
        let before: Option<Listings> = match self.store.checkpoint(&name).await? {
            Some(text) => serde_json::from_str(&text)
                .inspect_err(
                    |e| tracing::warn!(watch = watch.id, error = %e, "unreadable keyword checkpoint; starting afresh"),
                )
                .ok(),
            None => None,
        };
        let alerts = evaluate_listings(&watch.rules, keyword, before.as_ref(), &current, now);
        // Alerts first, then the checkpoint: a kill in between re-raises the same alerts,
        // which the store ignores as repeats, instead of losing them.
        let sent = self.deliver(watch, alerts, now).await?;
        let text = serde_json::to_string(&current).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.store.set_checkpoint(&name, &text, now.timestamp_millis()).await?;
        Ok(sent)
    }

    /// Applies snooze and the daily cap, then stores the alerts with a pending delivery per
    /// notifier (sent by the outbox after the batch); returns the new ones.
    async fn deliver(&self, watch: &Watch, alerts: Vec<Alert>, now: DateTime<Utc>) -> Result<Vec<Alert>, CheckError> {
        if alerts.is_empty() {
            return Ok(alerts);
        }
        let sent_today = self.store.alerts_since(watch.id, day_start(now)).await?;
        let snooze = watch.snooze_until_ms.and_then(DateTime::<Utc>::from_timestamp_millis);
        let cap = watch.max_per_day.map(|m| u32::try_from(m).unwrap_or(u32::MAX));
        let allowed = throttle(alerts, snooze, cap, u32::try_from(sent_today).unwrap_or(u32::MAX));
        let channels: Vec<&str> = self.notifiers.iter().map(|n| n.channel()).collect();
        Ok(self.store.save_alerts(watch.id, &allowed, &channels, now.timestamp_millis()).await?)
    }

    /// Runs until the store fails: due watches every `tick`, with up to 10 % jitter between
    /// rounds so that several monitors drift apart instead of claiming in lockstep.
    /// `after_round` sees the figures after each round (a surface prints or exports them).
    pub async fn run(
        &mut self,
        tick: StdDuration,
        mut after_round: impl FnMut(&MonitorStats),
    ) -> Result<(), StoreError> {
        loop {
            self.run_due(Utc::now()).await?;
            self.run_orders(Utc::now()).await?;
            after_round(&self.stats());
            let jitter = tick.mul_f64(fastrand::f64() * 0.1);
            tokio::time::sleep(tick + jitter).await;
        }
    }
}

/// Why one watch's check failed. A gateway or data failure fails that check (the watch backs
/// off); a store failure stops the cycle, since no further check could be recorded.
enum CheckError {
    /// The gateway call failed (after the SDK's retries).
    Api(open1688::Error),
    /// The gateway's answer could not be used (an offer that does not normalize).
    Data(String),
    /// The store failed.
    Store(StoreError),
}

impl std::fmt::Display for CheckError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Api(e) => e.fmt(f),
            Self::Data(why) => f.write_str(why),
            Self::Store(e) => e.fmt(f),
        }
    }
}

impl From<StoreError> for CheckError {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

impl From<open1688::Error> for CheckError {
    fn from(e: open1688::Error) -> Self {
        Self::Api(e)
    }
}
