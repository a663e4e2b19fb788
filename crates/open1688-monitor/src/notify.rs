//! Where alerts go: the [`Notifier`] trait, its typed error, and the stdout notifier. The signed
//! webhook is in [`crate::webhook`], email in `crate::email`.

use async_trait::async_trait;

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

/// Delivers alerts. The monitor queues every new alert for each notifier's [`channel`] in the
/// transaction that stores it, and calls [`notify`] until the receiver took it: a notifier may be
/// called more than once with the same delivery id (after a crash, or a failed attempt) and
/// should pass the id on, so a receiver can drop repeats.
///
/// [`channel`]: Notifier::channel
/// [`notify`]: Notifier::notify
#[async_trait]
pub trait Notifier: Send + Sync {
    /// The name deliveries for this notifier are queued under (`stdout`, `webhook`, `email`): it
    /// must stay the same across restarts, or queued deliveries wait for a notifier that is gone.
    fn channel(&self) -> &'static str;

    /// Sends one delivery of alerts; `Err` says why they could not be delivered.
    async fn notify(&self, delivery_id: &str, alerts: &[Alert]) -> Result<(), NotifyError>;
}

/// Prints each alert as one line on stdout.
#[derive(Debug, Default, Clone, Copy)]
pub struct StdoutNotifier;

#[async_trait]
impl Notifier for StdoutNotifier {
    fn channel(&self) -> &'static str {
        "stdout"
    }

    async fn notify(&self, _delivery_id: &str, alerts: &[Alert]) -> Result<(), NotifyError> {
        for a in alerts {
            println!("{} offer {} [{}] {}", a.at.to_rfc3339(), a.offer_id, a.rule, a.message);
        }
        Ok(())
    }
}
