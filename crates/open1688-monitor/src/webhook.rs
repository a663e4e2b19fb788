//! Alerts posted to a webhook: a JSON body signed with HMAC-SHA256 over the timestamp, the
//! delivery id and the body, so a receiver can check who sent it, refuse a replay (an old
//! timestamp) and deduplicate a re-delivery (the same delivery id). Retries send identical headers;
//! redirects are not followed; 429 waits as long as `Retry-After` says.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use open1688_store::Alert;
use sha2::Sha256;

use crate::notify::{Notifier, NotifyError};

/// The signature header: `sha256=` and the hex HMAC-SHA256 of `{timestamp}.{delivery}.{body}`.
pub const SIGNATURE_HEADER: &str = "X-Open1688-Signature";
/// The header with the Unix time (seconds) the delivery was signed at.
pub const TIMESTAMP_HEADER: &str = "X-Open1688-Timestamp";
/// The header with the delivery id: the same for every attempt to deliver the same alerts.
pub const DELIVERY_HEADER: &str = "X-Open1688-Delivery";
/// The shortest secret accepted (bytes): an HMAC key shorter than its hash is guessable sooner.
pub const MIN_SECRET_BYTES: usize = 32;
/// The longest wait a `Retry-After` may ask for before the delivery counts as failed.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// A webhook secret too short to sign with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the webhook secret has {len} bytes; use at least {MIN_SECRET_BYTES} (for example `openssl rand -hex 32`)")]
pub struct WeakSecret {
    /// Its length in bytes.
    pub len: usize,
}

/// `sha256=` and the hex HMAC-SHA256 of `{timestamp}.{delivery}.{body}` under the secret.
pub fn sign_webhook(secret: &[u8], timestamp: i64, delivery: &str, body: &[u8]) -> String {
    format!("sha256={}", hex::encode(mac(secret, timestamp, delivery, body).finalize().into_bytes()))
}

fn mac(secret: &[u8], timestamp: i64, delivery: &str, body: &[u8]) -> Hmac<Sha256> {
    // HMAC takes a key of any length; the error type exists only for fixed-size MACs.
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(secret).unwrap_or_else(|_| unreachable!("HMAC keys may have any length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(delivery.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// Why a received webhook was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// A header is missing or unreadable.
    #[error("the {0} header is missing or malformed")]
    Header(&'static str),
    /// The timestamp is further from now than the tolerance: a replay, or a clock far off.
    #[error("the delivery was signed {age_seconds} s from now, beyond the {tolerance_seconds} s accepted")]
    Stale {
        /// Seconds between the timestamp and now (negative: in the future).
        age_seconds: i64,
        /// The tolerance.
        tolerance_seconds: i64,
    },
    /// The signature does not match (another secret, or the body was changed).
    #[error("the signature does not match")]
    Signature,
}

/// Checks a received webhook, as a receiver should: the timestamp within `tolerance` of `now`,
/// then the signature, compared in constant time. Deduplicate on the delivery id afterwards.
pub fn verify_webhook(
    secret: &[u8],
    timestamp: &str,
    delivery: &str,
    signature: &str,
    body: &[u8],
    now: DateTime<Utc>,
    tolerance: Duration,
) -> Result<(), VerifyError> {
    let at: i64 = timestamp.trim().parse().map_err(|_| VerifyError::Header(TIMESTAMP_HEADER))?;
    if delivery.is_empty() {
        return Err(VerifyError::Header(DELIVERY_HEADER));
    }
    let tolerance_seconds = i64::try_from(tolerance.as_secs()).unwrap_or(i64::MAX);
    let age_seconds = now.timestamp().saturating_sub(at);
    if age_seconds.saturating_abs() > tolerance_seconds {
        return Err(VerifyError::Stale { age_seconds, tolerance_seconds });
    }
    let given = signature.trim().strip_prefix("sha256=").ok_or(VerifyError::Header(SIGNATURE_HEADER))?;
    let given = hex::decode(given).map_err(|_| VerifyError::Header(SIGNATURE_HEADER))?;
    mac(secret, at, delivery, body).verify_slice(&given).map_err(|_| VerifyError::Signature)
}

/// Posts alerts as JSON to a URL, signed with a shared secret.
#[derive(Clone)]
pub struct WebhookNotifier {
    url: String,
    secret: Vec<u8>,
    attempts: u32,
    http: reqwest::Client,
}

impl std::fmt::Debug for WebhookNotifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may carry a token in its path or query: only the host is shown.
        let host = reqwest::Url::parse(&self.url).ok().and_then(|u| u.host_str().map(str::to_owned));
        f.debug_struct("WebhookNotifier").field("host", &host).finish_non_exhaustive()
    }
}

impl WebhookNotifier {
    /// A webhook with 4 attempts; the secret must have at least [`MIN_SECRET_BYTES`] bytes.
    pub fn new(url: impl Into<String>, secret: impl Into<Vec<u8>>) -> Result<Self, WeakSecret> {
        let secret = secret.into();
        if secret.len() < MIN_SECRET_BYTES {
            return Err(WeakSecret { len: secret.len() });
        }
        // No redirects: the signed alerts go to the configured receiver or nowhere.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            // What `reqwest::Client::new()` would also panic on: no TLS backend could start.
            .expect("the HTTP client starts (rustls is compiled in)");
        Ok(Self { url: url.into(), secret, attempts: 4, http })
    }

    /// How many times one call tries before it reports the receiver unreachable (default 4, at
    /// least 1). The monitor's outbox retries later on its own schedule either way.
    pub fn attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts.max(1);
        self
    }
}

/// How long a 429 asks to wait (`Retry-After` in seconds), if it says and it is not too long.
fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let seconds: u64 = response.headers().get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim().parse().ok()?;
    Some(Duration::from_secs(seconds))
}

#[async_trait]
impl Notifier for WebhookNotifier {
    fn channel(&self) -> &'static str {
        "webhook"
    }

    async fn notify(&self, delivery: &str, alerts: &[Alert]) -> Result<(), NotifyError> {
        if alerts.is_empty() {
            return Ok(());
        }
        let body = serde_json::to_vec(&serde_json::json!({ "alerts": alerts }))
            .map_err(|e| NotifyError::Encode { channel: "webhook", reason: e.to_string() })?;
        // Signed once: every attempt carries the same timestamp, delivery id and signature.
        let timestamp = Utc::now().timestamp();
        let signature = sign_webhook(&self.secret, timestamp, delivery, &body);
        let mut last = String::new();
        let mut wait = Duration::ZERO;
        for attempt in 0..self.attempts {
            if attempt > 0 {
                tokio::time::sleep(wait.max(Duration::from_millis(200 << attempt))).await;
            }
            let sent = self
                .http
                .post(&self.url)
                .header("content-type", "application/json")
                .header(TIMESTAMP_HEADER, timestamp.to_string())
                .header(DELIVERY_HEADER, delivery)
                .header(SIGNATURE_HEADER, &signature)
                .body(body.clone())
                .timeout(Duration::from_secs(10))
                .send()
                .await;
            wait = Duration::ZERO;
            match sent {
                Ok(r) if r.status().is_success() => return Ok(()),
                // Too many requests: wait as asked (within reason) and try again.
                Ok(r) if r.status() == reqwest::StatusCode::TOO_MANY_REQUESTS => {
                    match retry_after(&r) {
                        Some(asked) if asked > MAX_RETRY_AFTER => {
                            let reason = format!("HTTP 429 asking to wait {} s", asked.as_secs());
                            return Err(NotifyError::Unreachable {
                                channel: "webhook",
                                attempts: attempt + 1,
                                last: reason,
                            });
                        }
                        asked => wait = asked.unwrap_or_default(),
                    }
                    last = "HTTP 429".into();
                }
                Ok(r) if r.status().is_client_error() => {
                    return Err(NotifyError::Refused { channel: "webhook", reason: format!("HTTP {}", r.status()) });
                }
                // A redirect is not followed (the signed alerts go to the configured receiver
                // only), and asking again would be redirected again.
                Ok(r) if r.status().is_redirection() => {
                    let reason = format!("HTTP {} (redirects are not followed; configure the final URL)", r.status());
                    return Err(NotifyError::Refused { channel: "webhook", reason });
                }
                Ok(r) => last = format!("HTTP {}", r.status()),
                // Without the URL: it may carry a token.
                Err(e) => last = e.without_url().to_string(),
            }
        }
        Err(NotifyError::Unreachable { channel: "webhook", attempts: self.attempts, last })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_once_and_only_unchanged_and_fresh() {
        let secret = [7u8; 32];
        let now = Utc::now();
        let body = br#"{"alerts":[]}"#;
        let sig = sign_webhook(&secret, now.timestamp(), "d1", body);
        let ok =
            |ts: &str, d: &str, s: &str, b: &[u8]| verify_webhook(&secret, ts, d, s, b, now, Duration::from_secs(300));
        let ts = now.timestamp().to_string();
        assert_eq!(ok(&ts, "d1", &sig, body), Ok(()));
        assert_eq!(ok(&ts, "d1", &sig, br#"{"alerts":[1]}"#), Err(VerifyError::Signature), "a changed body");
        assert_eq!(ok(&ts, "d2", &sig, body), Err(VerifyError::Signature), "another delivery id");
        let old = (now.timestamp() - 3600).to_string();
        let replay = sign_webhook(&secret, now.timestamp() - 3600, "d1", body);
        assert!(matches!(ok(&old, "d1", &replay, body), Err(VerifyError::Stale { .. })), "a replay an hour later");
        assert_eq!(ok("soon", "d1", &sig, body), Err(VerifyError::Header(TIMESTAMP_HEADER)));
        assert_eq!(ok(&ts, "d1", "md5=00", body), Err(VerifyError::Header(SIGNATURE_HEADER)));
    }

    #[test]
    fn secrets_must_be_long() {
        assert_eq!(WebhookNotifier::new("http://127.0.0.1:1/", b"short".to_vec()).unwrap_err(), WeakSecret { len: 5 });
        assert!(WebhookNotifier::new("http://127.0.0.1:1/", vec![1u8; 32]).is_ok());
    }
}
