//! Where alerts go: the log (stdout), or a webhook (JSON body signed with HMAC-SHA256 in the
//! `X-Open1688-Signature` header, retried with backoff).

use std::time::Duration;

use async_trait::async_trait;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use open1688_store::Alert;

/// Delivers alerts.
#[async_trait]
pub trait Notifier: Send + Sync {
    /// Sends alerts; `Err` says why they could not be delivered.
    async fn notify(&self, alerts: &[Alert]) -> Result<(), String>;
}

/// Prints each alert as one line on stdout.
#[derive(Debug, Default, Clone, Copy)]
pub struct StdoutNotifier;

#[async_trait]
impl Notifier for StdoutNotifier {
    async fn notify(&self, alerts: &[Alert]) -> Result<(), String> {
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
        Self { url: url.into(), secret: secret.into(), attempts: 4, http: reqwest::Client::new() }
    }
}

#[async_trait]
impl Notifier for WebhookNotifier {
    async fn notify(&self, alerts: &[Alert]) -> Result<(), String> {
        if alerts.is_empty() {
            return Ok(());
        }
        let body = serde_json::to_vec(&serde_json::json!({ "alerts": alerts })).map_err(|e| e.to_string())?;
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
                    return Err(format!("webhook refused the alerts: HTTP {}", r.status()));
                }
                Ok(r) => last = format!("HTTP {}", r.status()),
                Err(e) => last = e.to_string(),
            }
        }
        Err(format!("webhook unreachable after {} attempts: {last}", self.attempts))
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
