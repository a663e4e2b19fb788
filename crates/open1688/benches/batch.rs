//! Batch offer detail against the sandbox (a separate server task in this process):
//! 1,000 offers under a 50 QPS app quota (target ≤ 1.05 × 20 s, no throttling), and with quotas
//! off at concurrency 32, end to end including normalization (target ≥ 5,000 offers/s).
#![allow(missing_docs)]

use std::num::NonZeroU32;
use std::time::Instant;

use open1688::{Client, RateLimits};
use open1688_sandbox::{AppConfig, Sandbox};

fn client(sandbox: &Sandbox, limits: RateLimits) -> Client {
    Client::builder()
        .endpoint(sandbox.base_url())
        .app_key(sandbox.app_key())
        .app_secret(sandbox.app_secret())
        .access_token(sandbox.access_token())
        .rate_limits(limits)
        .no_cache()
        .build()
        .unwrap()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let demo = AppConfig { qps: 50.0, burst: 50, api_qps: 50.0, api_burst: 50, ..AppConfig::demo() };
    let sandbox = Sandbox::builder().app(demo).start().await.unwrap();
    let ids: Vec<i64> = sandbox.catalog().offers.iter().take(1_000).map(|o| o.id).collect();

    let fifty = NonZeroU32::new(50).unwrap();
    let limited = client(&sandbox, RateLimits { app_qps: fifty, api_qps: fifty, ..RateLimits::default() });
    let started = Instant::now();
    let results = limited.offers(&ids, "en", 16).await;
    let elapsed = started.elapsed().as_secs_f64();
    let failed = results.iter().filter(|r| r.is_err()).count();
    let throttled = sandbox.stats().total.by_code.get("gw.QosAppFrequencyLimit").copied().unwrap_or(0);
    println!(
        "batch detail, 1,000 offers at 50 QPS: {elapsed:.2} s (ideal 20.0 s, ratio {:.3}), {failed} failed, {throttled} throttled",
        elapsed / 20.0
    );

    let unlimited = Sandbox::builder().quotas_off().start().await.unwrap();
    let ids: Vec<i64> = unlimited.catalog().offers.iter().take(5_000).map(|o| o.id).collect();
    let fast = client(&unlimited, RateLimits::unlimited());
    let started = Instant::now();
    let results = fast.offers(&ids, "en", 32).await;
    let now = chrono::Utc::now();
    let offers: Vec<_> = results.into_iter().map(|r| sourcing::offer_from_detail(&r.unwrap(), now).unwrap()).collect();
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "batch detail, quotas off, concurrency 32: {} offers in {elapsed:.2} s = {:.0} offers/s including normalization",
        offers.len(),
        offers.len() as f64 / elapsed
    );
}
