//! Limiter accuracy: 1,000 calls at 200 QPS against a local fake gateway that throttles above
//! 200 QPS. Target: 5 s ± 2 % wall time and zero throttles seen by the server.
//!
//! Run: `cargo bench -p open1688 --bench limiter`

#[path = "../tests/support/fake_gateway.rs"]
mod fake_gateway;

use std::time::Instant;

use fake_gateway::{APP_KEY, APP_SECRET, FakeGateway};
use futures::StreamExt;
use open1688::{Client, Params, RateLimits, RetryPolicy};

const CALLS: usize = 1000;
const QPS: u32 = 200;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let gw = FakeGateway::start().await;
        // The server enforces the same rate with a small burst, as the sandbox does.
        gw.throttle_at(QPS, 5);
        let limits =
            RateLimits { app_qps: QPS.try_into().unwrap(), api_qps: QPS.try_into().unwrap(), ..RateLimits::default() };
        let client = Client::builder()
            .app_key(APP_KEY)
            .app_secret(APP_SECRET)
            .endpoint(&gw.base_url)
            .access_token("AT-0")
            .rate_limits(limits)
            .retry_policy(RetryPolicy::none())
            .sync_clock(false)
            .build()
            .unwrap();
        let started = Instant::now();
        let results: Vec<_> = futures::stream::iter(0..CALLS)
            .map(|i| {
                let c = client.clone();
                async move {
                    let mut p = Params::new();
                    p.set_raw("q", i.to_string());
                    c.call("com.alibaba.fenxiao.crossborder", "product.search.keywordQuery", p).await
                }
            })
            .buffer_unordered(64)
            .collect()
            .await;
        let elapsed = started.elapsed().as_secs_f64();
        let failed = results.iter().filter(|r| r.is_err()).count();
        let expected = (CALLS - 1) as f64 / f64::from(QPS);
        println!("limiter accuracy: {CALLS} calls at {QPS} QPS");
        println!(
            "  wall time        {elapsed:.3} s (ideal {expected:.3} s, deviation {:+.2} %)",
            (elapsed / expected - 1.0) * 100.0
        );
        println!("  achieved rate    {:.1} calls/s", CALLS as f64 / elapsed);
        println!("  server throttles {}", gw.throttled());
        println!("  failed calls     {failed}");
    });
}
