//! A whole failing run, logged at TRACE, never shows the app secret or a token.

mod support;

use std::time::Duration;

use open1688::types::GatewayErrorCode;
use open1688::{Client, Params, RateLimits, RetryPolicy};
use support::fake_gateway::{APP_KEY, APP_SECRET, FakeGateway, gateway_error};
use support::log_capture::Capture;

#[tokio::test(flavor = "current_thread")]
async fn captured_logs_and_errors_of_a_failing_run_contain_no_secret() {
    let (capture, _guard) = Capture::install(tracing::Level::TRACE);

    let gw = FakeGateway::start().await;
    gw.revoke_all_access_tokens();
    let access = "AT-0";
    let refresh = "RT-EXPIRED-7c1d";
    let client = Client::builder()
        .app_key(APP_KEY)
        .app_secret(APP_SECRET)
        .endpoint(&gw.base_url)
        .access_token(access)
        .refresh_token(refresh)
        .rate_limits(RateLimits::unlimited())
        .retry_policy(RetryPolicy {
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let mut errors = Vec::new();
    let mut p = Params::new();
    p.set_raw("q", "x");
    // 401, then a refresh with an invalid refresh token.
    errors.push(client.call("ns", "a.b", p.clone()).await.unwrap_err());
    // A body echoing token-looking fields, and a transient failure chain.
    gw.state.valid_access.lock().unwrap().insert(access.to_owned());
    let echo = format!(r#"{{"access_token":"{access}","refresh_token":"{refresh}","x":"{APP_SECRET}""#);
    gw.script("a.b", std::iter::repeat_n((200, echo), 10));
    errors.push(client.call("ns", "a.b", p.clone()).await.unwrap_err());
    gw.script(
        "a.b",
        std::iter::repeat_n(
            gateway_error(GatewayErrorCode::QosAppFrequencyLimit, "App call exceeds limited frequency"),
            10,
        ),
    );
    errors.push(client.call("ns", "a.b", p.clone()).await.unwrap_err());
    // A wrong code at the OAuth endpoint (carries client_secret in its form).
    errors.push(client.exchange_code("CODE-BAD", "http://127.0.0.1/cb").await.unwrap_err());

    let logs = capture.text();
    assert!(logs.contains("open1688.call"), "the run was logged");
    let shown: String = errors.iter().map(|e| format!("{e}\n{e:?}\n")).collect();
    for (what, text) in [("logs", &logs), ("errors", &shown)] {
        for secret in [APP_SECRET, access, refresh] {
            assert!(!text.contains(secret), "{what} contain {secret}:\n{text}");
        }
    }
    assert!(format!("{client:?}").find(APP_SECRET).is_none());
}
