//! Where alerts go: the log (stdout), or a webhook (JSON body signed with HMAC-SHA256 in the
//! `X-Open1688-Signature` header, retried with backoff).

use std::time::Duration;

use async_trait::async_trait;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use open1688_store::Alert;

/// Why alerts could not be delivered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotifyError {
    /// The receiver refused them (an HTTP 4xx, an SMTP 5xx): sending the same alerts again will
    /// not help until the receiver or its settings change.
    #[error("{channel} refused the alerts: {reason}")]
    Refused {
        /// `webhook` or `email`.
        channel: &'static str,
        /// What the receiver answered.
        reason: String,
    },
    /// The receiver did not take them after every attempt: a later retry may help.
    #[error("{channel} unreachable after {attempts} attempts: {last}")]
    Unreachable {
        /// `webhook` or `email`.
        channel: &'static str,
        /// Attempts made.
        attempts: u32,
        /// The last failure.
        last: String,
    },
    /// The alerts could not be encoded for the channel (a bug, or an address that is invalid).
    #[error("the alerts could not be encoded for {channel}: {reason}")]
    Encode {
        /// `webhook` or `email`.
        channel: &'static str,
        /// What failed.
        reason: String,
    },
}

impl NotifyError {
    /// Whether trying again later may deliver the alerts.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Unreachable { .. })
    }
}

/// Delivers alerts.
#[async_trait]
pub trait Notifier: Send + Sync {
    /// Sends alerts; `Err` says why they could not be delivered.
    async fn notify(&self, alerts: &[Alert]) -> Result<(), NotifyError>;
}

/// Prints each alert as one line on stdout.
#[derive(Debug, Default, Clone, Copy)]
pub struct StdoutNotifier;

#[async_trait]
impl Notifier for StdoutNotifier {
    async fn notify(&self, alerts: &[Alert]) -> Result<(), NotifyError> {
        for a in alerts {
            println!("{} offer {} [{}] {}", a.at.to_rfc3339(), a.offer_id, a.rule, a.message);
        }
        Ok(())
    }
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
        f.debug_struct("WebhookNotifier").field("url", &self.url).finish_non_exhaustive()
    }
}

/// The signature header.
pub const SIGNATURE_HEADER: &str = "X-Open1688-Signature";

/// `sha256=` and the hex HMAC-SHA256 of the body under the secret.
pub fn sign_webhook(secret: &[u8], body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC accepts any key length");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    format!("sha256={}", digest.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

impl WebhookNotifier {
    /// A webhook with 4 attempts.
    pub fn new(url: impl Into<String>, secret: impl Into<Vec<u8>>) -> Self {
        // No redirects: the signed alerts go to the configured receiver or nowhere.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            // What `reqwest::Client::new()` would also panic on: no TLS backend could start.
            .expect("the HTTP client starts (rustls is compiled in)");
        Self { url: url.into(), secret: secret.into(), attempts: 4, http }
    }
}

#[async_trait]
impl Notifier for WebhookNotifier {
    async fn notify(&self, alerts: &[Alert]) -> Result<(), NotifyError> {
        if alerts.is_empty() {
            return Ok(());
        }
        let body = serde_json::to_vec(&serde_json::json!({ "alerts": alerts }))
            .map_err(|e| NotifyError::Encode { channel: "webhook", reason: e.to_string() })?;
        let signature = sign_webhook(&self.secret, &body);
        let mut last = String::new();
        for attempt in 0..self.attempts {
            if attempt > 0 {
                tokio::time::sleep(Duration::from_millis(200 << attempt)).await;
            }
            let sent = self
                .http
                .post(&self.url)
                .header("content-type", "application/json")
                .header(SIGNATURE_HEADER, &signature)
                .body(body.clone())
                .timeout(Duration::from_secs(10))
                .send()
                .await;
            match sent {
                Ok(r) if r.status().is_success() => return Ok(()),
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
    fn signature_is_the_documented_hmac() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        assert_eq!(
            sign_webhook(b"Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
