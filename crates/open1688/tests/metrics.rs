//! Calls, retries and limiter waits are counted under the documented metric names.

mod support;

use std::time::Duration;

use metrics_util::debugging::{DebugValue, DebuggingRecorder};
use open1688::types::GatewayErrorCode;
use open1688::{Client, Params, RateLimits, RetryPolicy, telemetry};
use support::fake_gateway::{APP_KEY, APP_SECRET, FakeGateway, gateway_error};

#[tokio::test(flavor = "current_thread")]
async fn calls_and_retries_are_counted_by_api_and_outcome() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let _guard = metrics::set_default_local_recorder(&recorder);

    let gw = FakeGateway::start().await;
    gw.script("a.b", [gateway_error(GatewayErrorCode::QosAppFrequencyLimit, "App call exceeds limited frequency")]);
    let client = Client::builder()
        .app_key(APP_KEY)
        .app_secret(APP_SECRET)
        .endpoint(&gw.base_url)
        .access_token("AT-0")
        .sync_clock(false)
        .rate_limits(RateLimits::unlimited())
        .retry_policy(RetryPolicy { throttle_base_delay: Duration::from_millis(1), ..RetryPolicy::default() })
        .build()
        .unwrap();
    client.call("ns", "a.b", Params::new()).await.unwrap();

    // One snapshot: taking one drains the recorder.
    let snapshot = snapshotter.snapshot().into_vec();
    let counter = |name: &str, labels: &[(&str, &str)]| -> u64 {
        snapshot
            .iter()
            .filter(|(key, ..)| {
                key.key().name() == name
                    && labels.iter().all(|(k, v)| key.key().labels().any(|l| l.key() == *k && l.value() == *v))
            })
            .map(|(.., value)| match value {
                DebugValue::Counter(n) => *n,
                DebugValue::Histogram(h) => h.len() as u64,
                DebugValue::Gauge(_) => 0,
            })
            .sum()
    };
    let api = [("api", "ns:a.b-1")];
    assert_eq!(counter(telemetry::CALLS_TOTAL, &[api[0], ("outcome", "throttled")]), 1);
    assert_eq!(counter(telemetry::CALLS_TOTAL, &[api[0], ("outcome", "ok")]), 1);
    assert_eq!(counter(telemetry::RETRIES_TOTAL, &[api[0], ("class", "throttled")]), 1);
    assert_eq!(counter(telemetry::CALL_DURATION_SECONDS, &api), 2);
    assert_eq!(counter(telemetry::LIMITER_WAIT_SECONDS, &api), 2);
}
