//! Alerts by email over SMTP (lettre): one plain-text message per batch of alerts, retried with
//! backoff. The SMTP URL carries the credentials, so it is never logged or shown.

use std::time::Duration;

use async_trait::async_trait;
use lettre::message::header::ContentTransferEncoding;
use lettre::message::{Mailbox, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::notify::{Notifier, NotifyError};
use open1688_store::Alert;
use sourcing::Language;

/// The email notifier could not be set up (says which setting is wrong).
#[derive(Debug, thiserror::Error)]
pub enum EmailError {
    /// The SMTP URL is malformed (its text is not repeated: it may hold a password).
    #[error(
        "the SMTP URL is not usable ({0}); expected smtp://host:port, smtp://host:587?tls=required or smtps://user:password@host:465"
    )]
    Url(String),
    /// An address does not parse.
    #[error("{field} address {address:?} is not an email address: {reason}")]
    Address {
        /// `from` or `to`.
        field: &'static str,
        /// The address given.
        address: String,
        /// Why.
        reason: String,
    },
    /// No recipient.
    #[error("an email notifier needs at least one recipient")]
    NoRecipient,
}

/// Sends alerts by email.
#[derive(Clone)]
pub struct EmailNotifier {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    to: Vec<Mailbox>,
    attempts: u32,
    language: Language,
}

impl std::fmt::Debug for EmailNotifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailNotifier").field("from", &self.from).field("to", &self.to).finish_non_exhaustive()
    }
}

fn mailbox(field: &'static str, address: &str) -> Result<Mailbox, EmailError> {
    address.parse().map_err(|e: lettre::address::AddressError| EmailError::Address {
        field,
        address: address.to_owned(),
        reason: e.to_string(),
    })
}

impl EmailNotifier {
    /// A notifier sending through `smtp_url` from `from` to each of `to`, with 3 attempts.
    /// Call it inside a Tokio runtime (the connection pool lives there).
    pub fn new(smtp_url: &str, from: &str, to: &[String]) -> Result<Self, EmailError> {
        let from = mailbox("from", from)?;
        if to.is_empty() {
            return Err(EmailError::NoRecipient);
        }
        let to = to.iter().map(|a| mailbox("to", a)).collect::<Result<_, _>>()?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| EmailError::Url(e.to_string()))?
            .timeout(Some(Duration::from_secs(15)))
            .build();
        Ok(Self { transport, from, to, attempts: 3, language: Language::Zh })
    }

    /// Writes the messages in `language` (Chinese unless set).
    pub fn language(mut self, language: Language) -> Self {
        self.language = language;
        self
    }

    fn message(&self, delivery_id: &str, alerts: &[Alert]) -> Result<Message, NotifyError> {
        let subject = match (alerts, self.language) {
            ([one], Language::En) => format!("open1688 alert: {}", one.text(Language::En)),
            ([one], Language::Zh) => format!("open1688 提醒：{}", one.text(Language::Zh)),
            (many, Language::En) => format!("open1688: {} alerts", many.len()),
            (many, Language::Zh) => format!("open1688：{} 条提醒", many.len()),
        };
        let body: String = alerts.iter().map(|a| alert_line(a, self.language)).collect();
        // The delivery id as the Message-ID: a re-sent delivery is the same message to mail
        // clients and to filters that drop duplicates.
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(subject)
            .message_id(Some(format!("<{delivery_id}@open1688.alerts>")));
        for to in &self.to {
            builder = builder.to(to.clone());
        }
        // Titles and messages are Chinese: base64 keeps every mail client's rendering exact.
        let part = SinglePart::builder()
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .header(ContentTransferEncoding::Base64)
            .body(body);
        builder.singlepart(part).map_err(|e| NotifyError::Encode { channel: "email", reason: e.to_string() })
    }
}

/// One alert as a line of the message: when (UTC), what it is about, and what happened.
fn alert_line(alert: &Alert, language: Language) -> String {
    let at = alert.at.format("%Y-%m-%d %H:%M UTC");
    let about = match (alert.order_id, language) {
        (Some(order), Language::En) => format!("order {order}"),
        (Some(order), Language::Zh) => format!("订单 {order}"),
        (None, Language::En) => format!("offer {}", alert.offer_id),
        (None, Language::Zh) => format!("商品 {}", alert.offer_id),
    };
    format!("{at}  {about}  {}\n", alert.text(language))
}

#[async_trait]
impl Notifier for EmailNotifier {
    fn channel(&self) -> &'static str {
        "email"
    }

    async fn notify(&self, delivery_id: &str, alerts: &[Alert]) -> Result<(), NotifyError> {
        if alerts.is_empty() {
            return Ok(());
        }
        let message = self.message(delivery_id, alerts)?;
        let mut last = String::new();
        for attempt in 0..self.attempts {
            if attempt > 0 {
                tokio::time::sleep(Duration::from_millis(500 << attempt)).await;
            }
            match self.transport.send(message.clone()).await {
                Ok(_) => return Ok(()),
                // 5xx: the server refuses this message for good (bad recipient, policy).
                Err(e) if e.is_permanent() => {
                    return Err(NotifyError::Refused { channel: "email", reason: e.to_string() });
                }
                Err(e) => last = e.to_string(),
            }
        }
        Err(NotifyError::Unreachable { channel: "email", attempts: self.attempts, last })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn bad_settings_say_what_is_wrong_without_echoing_the_url() {
        let err = EmailNotifier::new("ftp://user:hunter2@x", "a@b.c", &["d@e.f".into()]).unwrap_err();
        assert!(!err.to_string().contains("hunter2"), "{err}");
        let err = EmailNotifier::new("smtp://127.0.0.1:2525", "not an address", &["d@e.f".into()]).unwrap_err();
        assert!(err.to_string().starts_with("from address \"not an address\""), "{err}");
        let err = EmailNotifier::new("smtp://127.0.0.1:2525", "a@b.c", &[]).unwrap_err();
        assert!(matches!(err, EmailError::NoRecipient));
    }
}
