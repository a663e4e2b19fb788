//! Sending the alert outbox: deliveries the store queued with the alerts are claimed, handed to
//! the notifier of their channel, and marked sent — or retried later on [`retry_delay`]'s
//! schedule. Nothing is dropped: a receiver that refuses (a 4xx, a bad address) is retried at the
//! longest delay until its settings are fixed, so fixing them delivers what waited.

use std::sync::Arc;

use chrono::Duration;
use open1688_store::{Store, StoreError};

use crate::notify::{Notifier, NotifyError};

/// How long a sender holds a claimed delivery before another may send it (a killed sender's
/// deliveries are picked up after this).
const LEASE_MS: i64 = 5 * 60_000;
/// How many deliveries are claimed at a time.
const BATCH: i64 = 64;

/// The wait before the next attempt after `failed` failed attempts: 1 minute, doubling, at most an
/// hour; a refusal waits the longest, since only a change of settings can help it.
pub fn retry_delay(failed: i64, error: &NotifyError) -> Duration {
    let longest = Duration::hours(1);
    if !error.is_retryable() {
        return longest;
    }
    let shift = u32::try_from(failed.clamp(1, 7) - 1).unwrap_or(0);
    Duration::minutes(1i64 << shift).min(longest)
}

/// What one pass over the outbox did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxPass {
    /// Deliveries the receivers took.
    pub delivered: u64,
    /// Deliveries that failed this time and wait for a retry.
    pub failed: u64,
}

/// Sends every delivery due at `now_ms` through the notifier of its channel, as `worker`.
pub async fn send_due(
    store: &dyn Store,
    notifiers: &[Arc<dyn Notifier>],
    worker: &str,
    now_ms: i64,
) -> Result<OutboxPass, StoreError> {
    let channels: Vec<&str> = notifiers.iter().map(|n| n.channel()).collect();
    let mut pass = OutboxPass::default();
    loop {
        let due = store.claim_deliveries(worker, &channels, now_ms, LEASE_MS, BATCH).await?;
        if due.is_empty() {
            return Ok(pass);
        }
        for delivery in due {
            let Some(notifier) = notifiers.iter().find(|n| n.channel() == delivery.channel) else { continue };
            match notifier.notify(&delivery.delivery_id, &delivery.alerts).await {
                Ok(()) => {
                    store.delivered(delivery.row, now_ms).await?;
                    pass.delivered += 1;
                }
                Err(e) => {
                    let failed = delivery.attempts.saturating_add(1);
                    let next = now_ms.saturating_add(retry_delay(failed, &e).num_milliseconds());
                    tracing::warn!(
                        watch = delivery.watch_id,
                        delivery = %delivery.delivery_id,
                        attempts = failed,
                        error = %e,
                        "alerts not delivered yet; retrying later"
                    );
                    store.delivery_failed(delivery.row, &e.to_string(), next).await?;
                    pass.failed += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_from_a_minute_to_an_hour_and_refusals_wait_longest() {
        let down = NotifyError::Unreachable { channel: "webhook", attempts: 4, last: "HTTP 503".into() };
        let minutes: Vec<i64> = (1..=9).map(|n| retry_delay(n, &down).num_minutes()).collect();
        assert_eq!(minutes, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(retry_delay(i64::MAX, &down).num_minutes(), 60);
        assert_eq!(retry_delay(0, &down).num_minutes(), 1);
        let refused = NotifyError::Refused { channel: "webhook", reason: "HTTP 410".into() };
        assert_eq!(retry_delay(1, &refused).num_minutes(), 60);
    }
}
