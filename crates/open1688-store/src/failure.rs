//! What happens to a watch whose checks keep failing: it stays on its schedule for a few failures
//! (the SDK has already retried each call), then it is paused with an exponential cool-down and
//! reported, so a dead offer or a revoked permission does not burn the quota every interval.

use serde::Serialize;

/// When a failing watch is paused and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FailurePolicy {
    /// Failures in a row that pause a watch (default 5).
    pub pause_after: i64,
    /// The first pause (default 1 hour); each further failure doubles it.
    pub cooldown_ms: i64,
    /// The longest pause (default 1 day).
    pub max_cooldown_ms: i64,
}

impl Default for FailurePolicy {
    fn default() -> Self {
        Self { pause_after: 5, cooldown_ms: 3_600_000, max_cooldown_ms: 86_400_000 }
    }
}

/// Where a watch stands after a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Finished {
    /// Failures in a row (0 after a success).
    pub failures: i64,
    /// Next check (epoch ms).
    pub next_due_ms: i64,
    /// Whether this check paused the watch (or kept it paused).
    pub paused: bool,
}

impl FailurePolicy {
    /// The schedule after a check at `now_ms` that left `failures` failures in a row.
    pub fn schedule(&self, interval_secs: i64, failures: i64, now_ms: i64) -> Finished {
        let interval_ms = interval_secs.max(1).saturating_mul(1000);
        if failures < self.pause_after.max(1) {
            return Finished { failures, next_due_ms: now_ms + interval_ms, paused: false };
        }
        let doublings = (failures - self.pause_after.max(1)).clamp(0, 30);
        let pause = self.cooldown_ms.max(1).saturating_mul(1 << doublings).min(self.max_cooldown_ms.max(1));
        Finished { failures, next_due_ms: now_ms + pause.max(interval_ms), paused: true }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_pause_with_a_doubling_cooldown_up_to_a_day() {
        let policy = FailurePolicy::default();
        let due = |failures| policy.schedule(600, failures, 0);
        for f in 0..5 {
            assert_eq!(due(f), Finished { failures: f, next_due_ms: 600_000, paused: false }, "{f} failures");
        }
        let pauses: Vec<i64> = (5..11).map(|f| due(f).next_due_ms / 60_000).collect();
        assert_eq!(pauses, [60, 120, 240, 480, 960, 1440]);
        assert!(due(40).paused && due(40).next_due_ms == 86_400_000, "capped, no overflow");
        // A pause is never shorter than the watch's own interval.
        assert_eq!(policy.schedule(3 * 86_400, 5, 0).next_due_ms, 3 * 86_400_000);
    }
}
