//! A refresh token close to expiry is reported once, without showing the token.

mod support;

use std::sync::Arc;

use chrono::Utc;
use open1688::{Client, MemoryTokenStore, Params, RateLimits, Token};
use support::fake_gateway::{APP_KEY, APP_SECRET, FakeGateway};
use support::log_capture::Capture;

#[tokio::test(flavor = "current_thread")]
async fn warns_once_when_the_refresh_token_expires_within_14_days() {
    let (capture, _guard) = Capture::install(tracing::Level::INFO);

    let gw = FakeGateway::start().await;
    let mut token = Token::from_access_token("AT-0");
    token.refresh_token = Some("RT-0".to_owned().into());
    token.access_expires_at = Some(Utc::now() + chrono::Duration::hours(5));
    token.refresh_expires_at = Some(Utc::now() + chrono::Duration::days(3));
    let client = Client::builder()
        .app_key(APP_KEY)
        .app_secret(APP_SECRET)
        .endpoint(&gw.base_url)
        .rate_limits(RateLimits::unlimited())
        .token_store(Arc::new(MemoryTokenStore::with_token(token)))
        .build()
        .unwrap();
    for _ in 0..3 {
        client.call("ns", "a.b", Params::new()).await.unwrap();
    }
    let logs = capture.text();
    assert_eq!(logs.matches("the refresh token expires soon").count(), 1, "{logs}");
    assert!(logs.contains("days_left=2") || logs.contains("days_left=3"), "{logs}");
    assert!(!logs.contains("RT-0"));
}
