//! One monitor cycle over 10,000 watched offers against the sandbox with quotas off (target:
//! ≤ 30 s and ≤ 200 MB peak memory). Prints figures; run with
//! `cargo bench -p open1688-store --bench monitor_cycle`. `MONITOR_CONCURRENCY` overrides the
//! default of 8 checks at once.
#![allow(missing_docs)]

use std::sync::Arc;
use std::time::Instant;

use chrono::{DateTime, Utc};
use open1688::RateLimits;
use open1688_monitor::Monitor;
use open1688_sandbox::Sandbox;
use open1688_store::{AlertRule, NewWatch, SqlStore, Store};

#[path = "../tests/support/sandbox_client.rs"]
mod sandbox_client;
use sandbox_client::client_builder;

/// Peak resident memory of this process so far (VmHWM), in MB.
fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(f64::NAN);
    kb / 1024.0
}

fn main() {
    const WATCHES: usize = 10_000;
    let concurrency = std::env::var("MONITOR_CONCURRENCY").ok().and_then(|v| v.parse().ok()).unwrap_or(8);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let sandbox = Sandbox::builder().quotas_off().start().await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> =
            Arc::new(SqlStore::open(&format!("sqlite://{}", dir.path().join("bench.db").display())).await.unwrap());
        let rules = vec![
            AlertRule::AnyTierChange,
            AlertRule::SoldOut,
            AlertRule::BackInStock,
            AlertRule::LowestInDays { quantity: 100, days: 30 },
        ];
        let now_ms = sandbox.now_ms();
        for offer in sandbox.catalog().offers.iter().take(WATCHES) {
            let watch =
                NewWatch { offer_id: Some(offer.id), interval_secs: 3600, rules: rules.clone(), ..Default::default() };
            store.add_watch(&watch, now_ms).await.unwrap();
        }
        // The client as the CLI builds it (in-memory cache on), without rate limits.
        let client = client_builder(&sandbox).rate_limits(RateLimits::unlimited()).build().unwrap();
        let before = peak_mb();
        let mut monitor = Monitor::new(store.clone(), client, "bench").concurrency(concurrency);
        let started = Instant::now();
        let now = DateTime::<Utc>::from_timestamp_millis(sandbox.now_ms()).unwrap();
        monitor.run_due(now).await.unwrap();
        let secs = started.elapsed().as_secs_f64();
        let stats = monitor.stats();
        assert_eq!(stats.succeeded as usize, WATCHES, "every watch checked: {stats:?}");
        println!(
            "monitor cycle: {WATCHES} watched offers in {secs:.2} s ({:.0} checks/s, concurrency {concurrency}), \
             check latency mean {:.1} ms p95 {:.1} ms",
            WATCHES as f64 / secs,
            stats.mean_latency_ms,
            stats.p95_latency_ms
        );
        println!(
            "peak memory: {:.0} MB for the whole process (sandbox with its 20,000-offer catalog included); \
             {before:.0} MB before the cycle",
            peak_mb()
        );
        sandbox.shutdown().await;
    });
}
