//! The gateway's health as the overview shows it, read from the process's Prometheus figures
//! (the same numbers `/metrics` serves, so the page and a monitoring system never disagree).

use std::collections::BTreeMap;

/// The gateway's figures since the service started.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GatewayHealth {
    /// Finished attempts.
    pub calls: u64,
    /// Attempts that succeeded.
    pub ok: u64,
    /// Attempts the platform throttled.
    pub throttled: u64,
    /// Latency under which 95 % of attempts finished, in seconds (from the histogram's buckets).
    pub p95_seconds: Option<f64>,
    /// Cache lookups answered from the cache.
    pub cache_hits: u64,
    /// Cache lookups that went to the gateway.
    pub cache_misses: u64,
}

impl GatewayHealth {
    /// The share of attempts that succeeded, when there were any.
    pub fn success_rate(&self) -> Option<f64> {
        (self.calls > 0).then(|| self.ok as f64 / self.calls as f64)
    }

    /// The share of cache lookups answered from the cache, when there were any.
    pub fn hit_rate(&self) -> Option<f64> {
        let all = self.cache_hits + self.cache_misses;
        (all > 0).then(|| self.cache_hits as f64 / all as f64)
    }

    /// Reads the figures from Prometheus text (any line it does not know is skipped).
    pub fn from_prometheus(text: &str) -> Self {
        let mut health = Self::default();
        // Cumulative bucket counts by upper bound, summed over APIs.
        let mut buckets: BTreeMap<u64, u64> = BTreeMap::new();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let Some((series, value)) = line.rsplit_once(' ') else { continue };
            let Ok(value) = value.trim().parse::<f64>() else { continue };
            if !(value.is_finite() && value >= 0.0) {
                continue;
            }
            let count = value as u64;
            let (name, labels) = series.split_once('{').map_or((series, ""), |(n, l)| (n, l.trim_end_matches('}')));
            match name {
                "open1688_calls_total" => {
                    health.calls += count;
                    match label(labels, "outcome") {
                        Some("ok") => health.ok += count,
                        Some("throttled") => health.throttled += count,
                        _ => {}
                    }
                }
                "open1688_cache_requests_total" => match label(labels, "result") {
                    Some("hit") => health.cache_hits += count,
                    Some("miss") => health.cache_misses += count,
                    _ => {}
                },
                "open1688_call_duration_seconds_bucket" => {
                    let bound = label(labels, "le").and_then(|le| le.parse::<f64>().ok());
                    // Buckets are keyed by their bound in microseconds; +Inf sorts last.
                    let key = bound.map_or(u64::MAX, |b| (b * 1e6) as u64);
                    *buckets.entry(key).or_default() += count;
                }
                _ => {}
            }
        }
        health.p95_seconds = quantile(&buckets, 0.95);
        health
    }
}

/// A label's value in `a="x",b="y"` (values here never hold quotes or commas).
fn label<'a>(labels: &'a str, name: &str) -> Option<&'a str> {
    labels
        .split(',')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| k.trim() == name)
        .map(|(_, v)| v.trim_matches('"'))
}

/// The upper bound of the first bucket holding the `q` quantile (cumulative counts), in seconds;
/// `None` without observations or when it falls in the open top bucket.
fn quantile(buckets: &BTreeMap<u64, u64>, q: f64) -> Option<f64> {
    let total = *buckets.get(&u64::MAX).or_else(|| buckets.values().last())?;
    if total == 0 {
        return None;
    }
    let wanted = (total as f64 * q).ceil() as u64;
    buckets.iter().find(|(_, n)| **n >= wanted).and_then(|(bound, _)| (*bound != u64::MAX).then(|| *bound as f64 / 1e6))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"# HELP open1688_calls_total x
# TYPE open1688_calls_total counter
open1688_calls_total{api="a",outcome="ok"} 95
open1688_calls_total{api="b",outcome="ok"} 3
open1688_calls_total{api="b",outcome="throttled"} 2
open1688_cache_requests_total{api="a",kind="offer",result="hit"} 30
open1688_cache_requests_total{api="a",kind="offer",result="miss"} 10
open1688_cache_requests_total{api="a",kind="offer",result="fresh"} 4
open1688_call_duration_seconds_bucket{api="a",le="0.05"} 50
open1688_call_duration_seconds_bucket{api="a",le="0.1"} 90
open1688_call_duration_seconds_bucket{api="a",le="0.25"} 95
open1688_call_duration_seconds_bucket{api="a",le="+Inf"} 95
open1688_call_duration_seconds_bucket{api="b",le="0.05"} 0
open1688_call_duration_seconds_bucket{api="b",le="0.1"} 0
open1688_call_duration_seconds_bucket{api="b",le="0.25"} 2
open1688_call_duration_seconds_bucket{api="b",le="+Inf"} 5
open1688_call_duration_seconds_sum{api="a"} 7.5
"#;

    #[test]
    fn rates_and_the_95th_percentile_come_from_the_figures() {
        let h = GatewayHealth::from_prometheus(TEXT);
        assert_eq!((h.calls, h.ok, h.throttled), (100, 98, 2));
        assert_eq!(h.success_rate(), Some(0.98));
        assert_eq!(h.hit_rate(), Some(0.75), "fresh reads are neither hits nor misses");
        // 100 observations: the 95th falls in the 0.25 s bucket (50 + 40 + 7 = 97 ≥ 95).
        assert_eq!(h.p95_seconds, Some(0.25));
    }

    #[test]
    fn no_figures_are_no_rates_and_garbage_is_skipped() {
        let h = GatewayHealth::from_prometheus("open1688_calls_total{outcome=\"ok\"} NaN\nnonsense\n\n{{{ 3");
        assert_eq!(h, GatewayHealth::default());
        assert_eq!(h.success_rate(), None);
        assert_eq!(h.p95_seconds, None);
    }

    #[test]
    fn a_quantile_in_the_open_top_bucket_is_unknown() {
        let text = "open1688_call_duration_seconds_bucket{le=\"0.1\"} 1\nopen1688_call_duration_seconds_bucket{le=\"+Inf\"} 10\n";
        assert_eq!(GatewayHealth::from_prometheus(text).p95_seconds, None);
    }
}
