//! Quota-aware pacing: per-app and per-API GCRA limits (callers wait, never fail) and a local
//! daily call cap (an error once used up).
//!
//! Several processes on one app key can share their pacing through a [`SharedRateLimiter`]
//! (Redis in the store crate); when it cannot answer, the gate paces locally and carries on.
//!
//! The GCRA here *reserves* a departure time for each caller under a lock and then sleeps until
//! it, instead of polling a limiter and sleeping until "maybe ready" (what `governor`'s
//! `until_ready` does). Polling loses each timer overshoot, which cost 5 % of the rate at
//! 200 QPS; reservations keep the spacing exact however late a sleeper wakes.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tokio::time::Instant;

use crate::error::Error;

/// Rate limits the client keeps to, so the gateway never has to throttle it.
///
/// The platform publishes no numbers (spec §7); the defaults equal the sandbox's defaults.
#[derive(Debug, Clone)]
pub struct RateLimits {
    /// Calls per second for the whole app key.
    pub app_qps: NonZeroU32,
    /// Calls the app may make back to back before pacing starts.
    pub app_burst: NonZeroU32,
    /// Calls per second for each API unless overridden.
    pub api_qps: NonZeroU32,
    /// Per-API overrides, keyed by `namespace:name-version`.
    pub api_overrides: HashMap<String, NonZeroU32>,
    /// Local cap on calls per day (China time); `None` for no cap.
    pub daily_quota: Option<u64>,
    /// With a shared limiter, the share of these limits this process paces at while the shared
    /// limiter does not answer: 1/N of the app's and each API's QPS (default 4). N processes
    /// then stay within the app's quota together instead of using N times it.
    pub shared_fallback_share: NonZeroU32,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            app_qps: NonZeroU32::new(10).expect("non-zero"),
            app_burst: NonZeroU32::MIN,
            api_qps: NonZeroU32::new(5).expect("non-zero"),
            api_overrides: HashMap::new(),
            daily_quota: None,
            shared_fallback_share: NonZeroU32::new(4).expect("non-zero"),
        }
    }
}

impl RateLimits {
    /// Limits high enough never to wait (for sandboxes with quotas off and for benchmarks).
    pub fn unlimited() -> Self {
        let max = NonZeroU32::new(1_000_000).expect("non-zero");
        Self { app_qps: max, app_burst: max, api_qps: max, ..Self::default() }
    }

    /// Sets the app-wide QPS and, unless an override exists, the per-API QPS to the same value.
    pub fn with_app_qps(mut self, qps: NonZeroU32) -> Self {
        self.app_qps = qps;
        self.api_qps = qps;
        self
    }
}

/// Pacing shared by every process on one app key, so together they stay under its QPS.
#[async_trait]
pub trait SharedRateLimiter: Send + Sync + std::fmt::Debug {
    /// Reserves the next departure for one call of `api` under `limits` and returns how long the
    /// caller must wait for it.
    async fn reserve(&self, api: &str, limits: &RateLimits) -> Result<Duration, SharedLimiterUnavailable>;
}

/// Pacing under a name, shared by several processes: each API key's request rate and its share
/// of gateway calls in a fleet of services behind one balancer (Redis in the store crate). The
/// same GCRA as [`SharedRateLimiter`], with a patience: a departure further away than the caller
/// may wait is refused without being reserved.
#[async_trait]
pub trait SharedPacer: Send + Sync + std::fmt::Debug {
    /// Reserves one departure under `name`, paced `interval` apart with `burst` back to back:
    /// `Ok(wait)` when it is reserved `wait` from now, `Err(retry_after)` when it would wait
    /// longer than `patience` (nothing reserved; asking again after `retry_after` can succeed).
    async fn reserve(
        &self,
        name: &str,
        interval: Duration,
        burst: NonZeroU32,
        patience: Duration,
    ) -> Result<Result<Duration, Duration>, SharedLimiterUnavailable>;
}

/// The shared limiter could not answer (its store is down); the caller paces locally instead,
/// and a retry later may find it back.
#[derive(Debug, Clone, thiserror::Error)]
#[error("the shared rate limiter is unavailable: {reason}")]
pub struct SharedLimiterUnavailable {
    /// What failed, without credentials.
    pub reason: String,
}

/// Counts calls per China-time day against a cap.
#[derive(Debug)]
struct DailyQuota {
    limit: u64,
    /// (day number, calls made that day)
    used: Mutex<(i64, u64)>,
}

const CHINA_OFFSET_MS: i64 = 8 * 3600 * 1000;
const DAY_MS: i64 = 24 * 3600 * 1000;

fn china_day(now: DateTime<Utc>) -> i64 {
    (now.timestamp_millis() + CHINA_OFFSET_MS).div_euclid(DAY_MS)
}

impl DailyQuota {
    fn take(&self, now: DateTime<Utc>) -> Result<(), Error> {
        let day = china_day(now);
        let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        if used.0 != day {
            *used = (day, 0);
        }
        if used.1 >= self.limit {
            let resets_at = DateTime::from_timestamp_millis((day + 1) * DAY_MS - CHINA_OFFSET_MS).unwrap_or(now);
            return Err(Error::DailyQuotaExhausted { limit: self.limit, resets_at });
        }
        used.1 += 1;
        Ok(())
    }

    fn remaining(&self, now: DateTime<Utc>) -> u64 {
        let used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        if used.0 == china_day(now) { self.limit.saturating_sub(used.1) } else { self.limit }
    }
}

/// A GCRA pacer: `interval` between departures, up to `burst` back to back.
#[derive(Debug)]
struct Gcra {
    interval: Duration,
    /// How far ahead of the theoretical arrival time a departure may be (burst − 1 intervals).
    tolerance: Duration,
    /// The theoretical arrival time of the next call.
    tat: Mutex<Option<Instant>>,
}

impl Gcra {
    fn new(qps: NonZeroU32, burst: NonZeroU32) -> Self {
        let interval = Duration::from_secs(1) / qps.get();
        Self { interval, tolerance: interval * (burst.get() - 1), tat: Mutex::new(None) }
    }

    /// Reserves the earliest departure at or after `not_before` and returns it.
    fn reserve(&self, not_before: Instant) -> Instant {
        let mut tat = self.tat.lock().unwrap_or_else(|p| p.into_inner());
        let current = tat.unwrap_or(not_before);
        let departure = not_before.max(current.checked_sub(self.tolerance).unwrap_or(current));
        *tat = Some(current.max(departure) + self.interval);
        departure
    }
}

/// The limiter shared by all calls of one client.
#[derive(Debug)]
pub struct QuotaGate {
    limits: RateLimits,
    app: Gcra,
    per_api: Mutex<HashMap<String, Arc<Gcra>>>,
    daily: Option<DailyQuota>,
    shared: Option<Arc<dyn SharedRateLimiter>>,
    /// Local pacing runs at 1/`local_share` of the limits: 1 alone, the fallback share with a
    /// shared limiter (local pacing is then only the fallback).
    local_share: NonZeroU32,
    /// Whether the last call paced locally because the shared limiter did not answer.
    falling_back: std::sync::atomic::AtomicBool,
}

/// `qps / share`, at least 1.
fn share_of(qps: NonZeroU32, share: NonZeroU32) -> NonZeroU32 {
    NonZeroU32::new(qps.get() / share.get()).unwrap_or(NonZeroU32::MIN)
}

impl QuotaGate {
    /// A gate enforcing `limits`.
    pub fn new(limits: RateLimits) -> Self {
        Self::build(limits, None)
    }

    /// A gate that paces through `shared` while it answers and, when it does not, locally at
    /// [`RateLimits::shared_fallback_share`] of the limits (said once per outage in the log).
    pub fn with_shared(limits: RateLimits, shared: Arc<dyn SharedRateLimiter>) -> Self {
        Self::build(limits, Some(shared))
    }

    fn build(limits: RateLimits, shared: Option<Arc<dyn SharedRateLimiter>>) -> Self {
        let local_share = if shared.is_some() { limits.shared_fallback_share } else { NonZeroU32::MIN };
        let app = Gcra::new(share_of(limits.app_qps, local_share), share_of(limits.app_burst, local_share));
        let daily = limits.daily_quota.map(|limit| DailyQuota { limit, used: Mutex::new((i64::MIN, 0)) });
        Self {
            limits,
            app,
            per_api: Mutex::new(HashMap::new()),
            daily,
            shared,
            local_share,
            falling_back: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// The configured limits.
    pub fn limits(&self) -> &RateLimits {
        &self.limits
    }

    fn api_pacer(&self, api: &str) -> Arc<Gcra> {
        let mut map = self.per_api.lock().unwrap_or_else(|p| p.into_inner());
        map.entry(api.to_owned())
            .or_insert_with(|| {
                let qps = self.limits.api_overrides.get(api).copied().unwrap_or(self.limits.api_qps);
                Arc::new(Gcra::new(share_of(qps, self.local_share), NonZeroU32::MIN))
            })
            .clone()
    }

    /// Waits until one call of `api` may go out; fails only when the daily cap is used up.
    /// Returns how long the caller waited.
    pub async fn acquire(&self, api: &str, now: DateTime<Utc>) -> Result<Duration, Error> {
        if let Some(daily) = &self.daily {
            daily.take(now)?;
        }
        let start = Instant::now();
        if let Some(shared) = &self.shared {
            match shared.reserve(api, &self.limits).await {
                Ok(wait) => {
                    self.falling_back.store(false, std::sync::atomic::Ordering::Relaxed);
                    tokio::time::sleep(wait).await;
                    return Ok(start.elapsed());
                }
                Err(e) => {
                    // The shared limiter logs its outages; the share this process falls back to
                    // is said once per outage, and each local fallback is counted.
                    if !self.falling_back.swap(true, std::sync::atomic::Ordering::Relaxed) {
                        tracing::warn!(
                            share = self.local_share.get(),
                            app_qps = share_of(self.limits.app_qps, self.local_share).get(),
                            "the shared rate limiter is not answering; pacing this process at 1/{} of the app's rate",
                            self.local_share
                        );
                    }
                    tracing::debug!(error = %e, "pacing locally");
                    metrics::counter!("open1688_limiter_local_fallbacks_total").increment(1);
                }
            }
        }
        let api_slot = self.api_pacer(api).reserve(start);
        let departure = self.app.reserve(api_slot);
        tokio::time::sleep_until(departure).await;
        Ok(start.elapsed())
    }

    /// Calls left today under the local cap (`None` when there is no cap).
    pub fn remaining_today(&self, now: DateTime<Utc>) -> Option<u64> {
        self.daily.as_ref().map(|d| d.remaining(now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn daily_cap_is_an_error_and_resets_at_china_midnight() {
        let gate = QuotaGate::new(RateLimits { daily_quota: Some(2), ..RateLimits::unlimited() });
        // 2026-11-23 15:59:00 UTC is 23:59 in China.
        let before = DateTime::parse_from_rfc3339("2026-11-23T15:59:00Z").unwrap().with_timezone(&Utc);
        gate.acquire("a", before).await.unwrap();
        gate.acquire("b", before).await.unwrap();
        assert_eq!(gate.remaining_today(before), Some(0));
        let err = gate.acquire("a", before).await.unwrap_err();
        match &err {
            Error::DailyQuotaExhausted { limit: 2, resets_at } => {
                assert_eq!(resets_at.to_rfc3339(), "2026-11-23T16:00:00+00:00")
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(err.is_quota_exhausted() && !err.is_retryable());
        let after = DateTime::parse_from_rfc3339("2026-11-23T16:00:01Z").unwrap().with_timezone(&Utc);
        gate.acquire("a", after).await.unwrap();
        assert_eq!(gate.remaining_today(after), Some(1));
    }

    #[tokio::test]
    async fn callers_wait_instead_of_failing() {
        let gate = QuotaGate::new(RateLimits {
            app_qps: NonZeroU32::new(50).unwrap(),
            app_burst: NonZeroU32::MIN,
            ..RateLimits::unlimited()
        });
        let start = Instant::now();
        for _ in 0..11 {
            gate.acquire("x", Utc::now()).await.unwrap();
        }
        // 10 intervals of 20 ms after the first call.
        let elapsed = start.elapsed();
        assert!(elapsed >= Duration::from_millis(199), "{elapsed:?}");
    }

    #[derive(Debug)]
    struct Scripted(Mutex<Vec<Result<Duration, SharedLimiterUnavailable>>>);

    #[async_trait]
    impl SharedRateLimiter for Scripted {
        async fn reserve(&self, _api: &str, _limits: &RateLimits) -> Result<Duration, SharedLimiterUnavailable> {
            self.0.lock().unwrap().remove(0)
        }
    }

    #[tokio::test(start_paused = true)]
    async fn an_outage_paces_at_the_fallback_share_not_the_full_rate() {
        // 8 QPS for the app, shared by 4: alone, this process may send 2 a second.
        let limits = RateLimits {
            app_qps: NonZeroU32::new(8).unwrap(),
            api_qps: NonZeroU32::new(8).unwrap(),
            ..RateLimits::default()
        };
        let down = SharedLimiterUnavailable { reason: "connection refused".into() };
        let gate = QuotaGate::with_shared(limits, Arc::new(Scripted(Mutex::new(vec![Err(down); 5]))));
        let start = tokio::time::Instant::now();
        for _ in 0..5 {
            gate.acquire("a", Utc::now()).await.unwrap();
        }
        assert_eq!(start.elapsed(), Duration::from_secs(2), "4 intervals of 500 ms, not of 125 ms");
    }

    #[tokio::test(start_paused = true)]
    async fn the_shared_limiter_sets_the_wait_and_an_outage_falls_back_to_local_pacing() {
        let limits = RateLimits {
            app_qps: NonZeroU32::new(1).unwrap(),
            shared_fallback_share: NonZeroU32::MIN,
            ..RateLimits::default()
        };
        let down = SharedLimiterUnavailable { reason: "connection refused".into() };
        let shared = Scripted(Mutex::new(vec![Ok(Duration::from_secs(7)), Err(down.clone()), Err(down)]));
        let gate = QuotaGate::with_shared(limits, Arc::new(shared));
        assert_eq!(gate.acquire("a", Utc::now()).await.unwrap(), Duration::from_secs(7));
        // Local pacing: the first call goes at once, the next one a second later (1 QPS).
        assert_eq!(gate.acquire("a", Utc::now()).await.unwrap(), Duration::ZERO);
        assert_eq!(gate.acquire("a", Utc::now()).await.unwrap(), Duration::from_secs(1));
    }

    #[test]
    fn gcra_reservations_are_evenly_spaced_after_the_burst() {
        let g = Gcra::new(NonZeroU32::new(10).unwrap(), NonZeroU32::new(3).unwrap());
        let t0 = Instant::now();
        let slots: Vec<_> = (0..6).map(|_| g.reserve(t0).duration_since(t0)).collect();
        let ms: Vec<_> = slots.iter().map(Duration::as_millis).collect();
        assert_eq!(ms, [0, 0, 0, 100, 200, 300]);
        // After a quiet period the burst is available again.
        let later = t0 + Duration::from_secs(10);
        assert_eq!(g.reserve(later), later);
    }
}
