//! The sandbox clock: the machine's time (optionally skewed), or simulated time that moves only
//! when told. Token lifetimes, timestamps, daily quotas, catalog drift and orders all read it;
//! its moments are written in the platform's two date formats by [`search_date`] and
//! [`platform_date_ms`].

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, FixedOffset};

use crate::config::{ClockConfig, DEFAULT_SIMULATED_START_MS};

/// Why the clock refused to move.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ClockError {
    /// Real time cannot be set or advanced; only its skew can change.
    #[error("the sandbox clock follows real time; start it with a simulated clock to move it")]
    NotSimulated,
    /// Time never runs backwards: drift and the change log depend on it.
    #[error("the sandbox clock cannot go back in time ({requested_ms} is before {now_ms})")]
    Backwards {
        /// Current time.
        now_ms: i64,
        /// Requested time.
        requested_ms: i64,
    },
}

/// The clock.
#[derive(Debug)]
pub struct SandboxClock {
    simulated: bool,
    start_ms: i64,
    /// Simulated: the current time. Real: the skew added to the machine clock.
    value: AtomicI64,
}

fn system_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl SandboxClock {
    /// A clock as configured.
    pub fn new(config: &ClockConfig) -> Self {
        if config.simulated {
            let start = config.start_ms.unwrap_or(DEFAULT_SIMULATED_START_MS);
            Self { simulated: true, start_ms: start, value: AtomicI64::new(start) }
        } else {
            Self { simulated: false, start_ms: system_ms() + config.skew_ms, value: AtomicI64::new(config.skew_ms) }
        }
    }

    /// Now, in epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        if self.simulated {
            self.value.load(Ordering::Acquire)
        } else {
            system_ms() + self.value.load(Ordering::Acquire)
        }
    }

    /// When the clock started (the catalog's drift epoch).
    pub fn start_ms(&self) -> i64 {
        self.start_ms
    }

    /// Whether time is simulated.
    pub fn is_simulated(&self) -> bool {
        self.simulated
    }

    /// Moves simulated time forward.
    pub fn advance(&self, ms: i64) -> Result<i64, ClockError> {
        if !self.simulated {
            return Err(ClockError::NotSimulated);
        }
        if ms < 0 {
            let now = self.now_ms();
            return Err(ClockError::Backwards { now_ms: now, requested_ms: now + ms });
        }
        Ok(self.value.fetch_add(ms, Ordering::AcqRel) + ms)
    }

    /// Sets simulated time (never backwards).
    pub fn set(&self, at_ms: i64) -> Result<i64, ClockError> {
        if !self.simulated {
            return Err(ClockError::NotSimulated);
        }
        let now = self.now_ms();
        if at_ms < now {
            return Err(ClockError::Backwards { now_ms: now, requested_ms: at_ms });
        }
        self.value.store(at_ms, Ordering::Release);
        Ok(at_ms)
    }

    /// Sets the skew of a real clock (ms ahead of the machine; negative is behind).
    pub fn set_skew(&self, skew_ms: i64) -> Result<(), ClockError> {
        if self.simulated {
            return Err(ClockError::NotSimulated);
        }
        self.value.store(skew_ms, Ordering::Release);
        Ok(())
    }

    /// Back to the start (simulated clocks only; real clocks keep running).
    pub fn reset(&self) {
        if self.simulated {
            self.value.store(self.start_ms, Ordering::Release);
        }
    }
}

fn china(secs: i64) -> DateTime<FixedOffset> {
    let offset = FixedOffset::east_opt(8 * 3600).expect("+08:00 is a valid offset");
    DateTime::from_timestamp(secs, 0).unwrap_or_default().with_timezone(&offset)
}

/// `yyyy-MM-dd HH:mm:ss` in China time (cross-border models).
pub fn search_date(secs: i64) -> String {
    china(secs).format("%Y-%m-%d %H:%M:%S").to_string()
}

/// `yyyyMMddHHmmssSSS+0800` (alibaba.* models, tokens).
pub fn platform_date_ms(ms: i64) -> String {
    let offset = FixedOffset::east_opt(8 * 3600).expect("+08:00 is a valid offset");
    DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&offset)
        .format("%Y%m%d%H%M%S%3f%z")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simulated_time_moves_only_forward_and_only_when_told() {
        let clock = SandboxClock::new(&ClockConfig { simulated: true, start_ms: Some(1_000), skew_ms: 0 });
        assert_eq!(clock.now_ms(), 1_000);
        assert_eq!(clock.advance(500), Ok(1_500));
        assert_eq!(clock.set(400), Err(ClockError::Backwards { now_ms: 1_500, requested_ms: 400 }));
        assert_eq!(clock.set(9_000), Ok(9_000));
        assert!(clock.set_skew(5).is_err());
        clock.reset();
        assert_eq!(clock.now_ms(), 1_000);
    }

    #[test]
    fn real_time_can_be_skewed() {
        let clock = SandboxClock::new(&ClockConfig { simulated: false, start_ms: None, skew_ms: 0 });
        clock.set_skew(-3_600_000).unwrap();
        assert!((system_ms() - 3_600_000 - clock.now_ms()).abs() < 1_000);
        assert_eq!(clock.advance(1), Err(ClockError::NotSimulated));
    }
}
