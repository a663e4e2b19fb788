//! The gateway's clock as seen from here: local time plus a measured offset.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use chrono::{DateTime, Utc};

/// Local time corrected by the offset measured with `system/currentTimeMillis`.
///
/// `_aop_timestamp` and token lifetimes use this clock, so a skewed machine (or a sandbox whose
/// clock was advanced) still produces timestamps the gateway accepts.
#[derive(Debug, Default)]
pub struct ServerClock {
    offset_ms: AtomicI64,
    synced: AtomicBool,
}

impl ServerClock {
    /// A clock with no offset.
    pub fn new() -> Self {
        Self::default()
    }

    /// Server time now.
    pub fn now(&self) -> DateTime<Utc> {
        let ms = Utc::now().timestamp_millis() + self.offset_ms.load(Ordering::Relaxed);
        DateTime::from_timestamp_millis(ms).unwrap_or_else(Utc::now)
    }

    /// Server time now in epoch milliseconds (the `_aop_timestamp` value).
    pub fn now_millis(&self) -> i64 {
        self.now().timestamp_millis()
    }

    /// The current offset (server minus local) in milliseconds.
    pub fn offset_ms(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// Whether an offset has been measured.
    pub fn is_synced(&self) -> bool {
        self.synced.load(Ordering::Acquire)
    }

    /// Records a measurement: the server said `server_ms` for a request sent at local
    /// `sent_ms` and answered at local `received_ms`; the midpoint cancels half the latency.
    pub fn record(&self, server_ms: i64, sent_ms: i64, received_ms: i64) -> i64 {
        let offset = server_ms - (sent_ms + (received_ms - sent_ms) / 2);
        self.offset_ms.store(offset, Ordering::Relaxed);
        self.synced.store(true, Ordering::Release);
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_uses_the_round_trip_midpoint() {
        let c = ServerClock::new();
        assert_eq!(c.record(10_500, 1_000, 1_200), 9_400);
        assert!(c.is_synced());
        let skew = c.now_millis() - Utc::now().timestamp_millis();
        assert!((9_300..=9_500).contains(&skew), "{skew}");
    }
}
