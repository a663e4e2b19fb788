//! Watches as stored: an offer or a keyword checked on an interval with alert rules, its lease,
//! failure schedule and state.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::alerts::AlertRule;
use crate::error::{Result, StoreError};

/// A watch: an offer (or a keyword) checked on an interval with alert rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Watch {
    /// Id.
    pub id: i64,
    /// The offer watched.
    pub offer_id: Option<i64>,
    /// Or a keyword search watched.
    pub keyword: Option<String>,
    /// Seconds between checks.
    pub interval_secs: i64,
    /// Alert rules.
    pub rules: Vec<AlertRule>,
    /// No alerts before this moment (epoch ms).
    pub snooze_until_ms: Option<i64>,
    /// At most this many alerts a day.
    pub max_per_day: Option<i64>,
    /// Next check (epoch ms).
    pub next_due_ms: i64,
    /// Last check (epoch ms).
    pub last_run_ms: Option<i64>,
    /// Failures in a row.
    pub failures: i64,
    /// Paused by the monitor's failure policy until this moment (epoch ms), if it is.
    pub paused_until_ms: Option<i64>,
    /// Why the last check failed, while the watch is failing (cleared by a success).
    #[serde(default)]
    pub last_error: Option<String>,
}

/// Where a watch stands, from what is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WatchState {
    /// Checked on its schedule, alerts on.
    Active,
    /// Checked, but no alerts until the snooze ends.
    Snoozed,
    /// Failing: paused by the monitor's failure policy until its cool-down ends.
    Paused,
}

impl std::fmt::Display for WatchState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            WatchState::Active => "active",
            WatchState::Snoozed => "snoozed",
            WatchState::Paused => "paused",
        })
    }
}

impl Watch {
    /// The watch's state at `now_ms`, as the monitor that last checked it left it (whatever
    /// failure policy that monitor ran with).
    pub fn state(&self, now_ms: i64) -> WatchState {
        if self.paused_until_ms.is_some_and(|t| t > now_ms) {
            WatchState::Paused
        } else if self.snooze_until_ms.is_some_and(|t| t > now_ms) {
            WatchState::Snoozed
        } else {
            WatchState::Active
        }
    }
}

/// Watches counted by state, and how old the oldest data is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, utoipa::ToSchema)]
pub struct WatchSummary {
    /// Checked on schedule with alerts on.
    pub active: i64,
    /// Checked, alerts silenced.
    pub snoozed: i64,
    /// Paused after failing.
    pub paused: i64,
    /// The oldest last check among the watches that ran (epoch ms).
    pub oldest_run_ms: Option<i64>,
}

impl WatchSummary {
    /// Every watch.
    pub fn total(&self) -> i64 {
        self.active + self.snoozed + self.paused
    }
}

/// A watch to create.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewWatch {
    /// The offer.
    pub offer_id: Option<i64>,
    /// Or a keyword.
    pub keyword: Option<String>,
    /// Seconds between checks.
    pub interval_secs: i64,
    /// Alert rules.
    pub rules: Vec<AlertRule>,
    /// At most this many alerts a day.
    pub max_per_day: Option<i64>,
}

/// The longest interval between checks (a year): longer ones are a typo, and would overflow
/// schedules.
pub const MAX_INTERVAL_SECS: i64 = 365 * 86_400;

impl NewWatch {
    /// The rules as stored (JSON), once the watch is checked ([`NewWatch::validate`]).
    pub(crate) fn checked_rules(&self) -> Result<String> {
        self.validate()?;
        serde_json::to_string(&self.rules).map_err(|e| StoreError::Corrupt(e.to_string()))
    }

    /// Checks the watch names exactly one target and rules that fit it.
    pub fn validate(&self) -> Result<()> {
        let keyword = match (&self.offer_id, &self.keyword) {
            (Some(_), None) => false,
            (None, Some(k)) if !k.trim().is_empty() => true,
            (None, Some(_)) => return Err(StoreError::InvalidWatch("the keyword is empty".into())),
            _ => return Err(StoreError::InvalidWatch("a watch needs either an offer id or a keyword".into())),
        };
        if self.interval_secs < 60 {
            return Err(StoreError::InvalidWatch(format!(
                "interval of {} s is below the 60 s minimum",
                self.interval_secs
            )));
        }
        if self.interval_secs > MAX_INTERVAL_SECS {
            return Err(StoreError::InvalidWatch(format!(
                "interval of {} s is above the {MAX_INTERVAL_SECS} s (one year) maximum",
                self.interval_secs
            )));
        }
        if let Some(cap) = self.max_per_day
            && cap < 1
        {
            return Err(StoreError::InvalidWatch(format!("max per day {cap} must be at least 1")));
        }
        for rule in &self.rules {
            if let Some(why) = rule.unsupported_for(keyword) {
                return Err(StoreError::InvalidWatch(format!("rule {} {why}", rule.name())));
            }
            if let Some(why) = rule.out_of_range() {
                return Err(StoreError::InvalidWatch(format!("rule {}: {why}", rule.name())));
            }
        }
        Ok(())
    }
}

pub(crate) fn watch_from_row<R: Row>(row: &R) -> Result<Watch>
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let rules: String = row.try_get("rules")?;
    Ok(Watch {
        id: row.try_get("id")?,
        offer_id: row.try_get("offer_id")?,
        keyword: row.try_get("keyword")?,
        interval_secs: row.try_get("interval_secs")?,
        rules: serde_json::from_str(&rules).map_err(|e| StoreError::Corrupt(format!("watch rules: {e}")))?,
        snooze_until_ms: row.try_get("snooze_until_ms")?,
        max_per_day: row.try_get("max_per_day")?,
        next_due_ms: row.try_get("next_due_ms")?,
        last_run_ms: row.try_get("last_run_ms")?,
        failures: row.try_get("failures")?,
        paused_until_ms: row.try_get("paused_until_ms")?,
        last_error: row.try_get("last_error")?,
    })
}

pub(crate) const WATCH_COLUMNS: &str = "id, offer_id, keyword, interval_secs, rules, snooze_until_ms, max_per_day, next_due_ms, last_run_ms, failures, paused_until_ms, last_error";
