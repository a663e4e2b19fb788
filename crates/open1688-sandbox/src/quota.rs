//! Quotas as the gateway enforces them: a token bucket per app and one per (app, API), in real
//! time, and an optional daily call quota per app counted per China-time day on the sandbox clock.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use crate::config::AppConfig;

/// The outcome of a quota check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuotaVerdict {
    /// Within every limit.
    Allowed,
    /// The app's bucket is empty.
    AppLimited,
    /// The (app, API) bucket is empty.
    ApiLimited,
    /// The app used its daily quota.
    NoUsageLeft,
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    fn take(&mut self, rate: f64, burst: f64, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * rate).min(burst);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Buckets and daily counters of every app.
#[derive(Debug, Default)]
pub struct QuotaBook {
    buckets: Mutex<HashMap<(String, String), Bucket>>,
    daily: Mutex<HashMap<String, (i64, u64)>>,
}

const CHINA_OFFSET_MS: i64 = 8 * 3_600_000;

impl QuotaBook {
    /// Takes one call from the app's buckets and quota, or says which limit stopped it.
    pub fn check(&self, app: &AppConfig, api_name: &str, now_ms: i64) -> QuotaVerdict {
        let now = Instant::now();
        {
            let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
            let app_burst = f64::from(app.burst.max(1));
            let bucket = buckets
                .entry((app.app_key.clone(), String::new()))
                .or_insert_with(|| Bucket { tokens: app_burst, at: now });
            if !bucket.take(app.qps, app_burst, now) {
                return QuotaVerdict::AppLimited;
            }
            let api_rate = app.api_overrides.get(api_name).copied().unwrap_or(app.api_qps);
            let api_burst = f64::from(app.api_burst.max(1));
            let bucket = buckets
                .entry((app.app_key.clone(), api_name.to_owned()))
                .or_insert_with(|| Bucket { tokens: api_burst, at: now });
            if !bucket.take(api_rate, api_burst, now) {
                return QuotaVerdict::ApiLimited;
            }
        }
        if let Some(quota) = app.daily_quota {
            let day = (now_ms + CHINA_OFFSET_MS).div_euclid(86_400_000);
            let mut daily = self.daily.lock().unwrap_or_else(|e| e.into_inner());
            let entry = daily.entry(app.app_key.clone()).or_insert((day, 0));
            if entry.0 != day {
                *entry = (day, 0);
            }
            if entry.1 >= quota {
                return QuotaVerdict::NoUsageLeft;
            }
            entry.1 += 1;
        }
        QuotaVerdict::Allowed
    }

    /// Calls left today for an app with a daily quota.
    pub fn remaining_today(&self, app: &AppConfig, now_ms: i64) -> Option<u64> {
        let quota = app.daily_quota?;
        let day = (now_ms + CHINA_OFFSET_MS).div_euclid(86_400_000);
        let daily = self.daily.lock().unwrap_or_else(|e| e.into_inner());
        Some(match daily.get(&app.app_key) {
            Some(&(d, used)) if d == day => quota.saturating_sub(used),
            _ => quota,
        })
    }

    /// Forgets all buckets and counters.
    pub fn reset(&self) {
        self.buckets.lock().unwrap_or_else(|e| e.into_inner()).clear();
        self.daily.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_app_limit_then_daily_quota_per_china_day() {
        let book = QuotaBook::default();
        let app = AppConfig { qps: 0.001, burst: 3, api_qps: 1000.0, api_burst: 100, ..AppConfig::new("a", "s") };
        let verdicts: Vec<_> = (0..4).map(|_| book.check(&app, "x", 0)).collect();
        assert_eq!(verdicts[..3], [QuotaVerdict::Allowed; 3]);
        assert_eq!(verdicts[3], QuotaVerdict::AppLimited);

        let app = AppConfig { daily_quota: Some(2), ..AppConfig::new("b", "s") };
        // 2026-11-01T15:59:59Z is 23:59:59 in China; one second later is a new day there.
        let before_midnight = 1_793_548_799_000;
        assert_eq!(book.check(&app, "x", before_midnight), QuotaVerdict::Allowed);
        assert_eq!(book.check(&app, "x", before_midnight), QuotaVerdict::Allowed);
        assert_eq!(book.check(&app, "x", before_midnight), QuotaVerdict::NoUsageLeft);
        assert_eq!(book.remaining_today(&app, before_midnight), Some(0));
        assert_eq!(book.check(&app, "x", before_midnight + 1_000), QuotaVerdict::Allowed);
    }

    #[test]
    fn per_api_bucket_is_separate() {
        let book = QuotaBook::default();
        let app = AppConfig { api_qps: 0.001, api_burst: 1, ..AppConfig::new("c", "s") };
        assert_eq!(book.check(&app, "x", 0), QuotaVerdict::Allowed);
        assert_eq!(book.check(&app, "x", 0), QuotaVerdict::ApiLimited);
        assert_eq!(book.check(&app, "y", 0), QuotaVerdict::Allowed);
    }
}
