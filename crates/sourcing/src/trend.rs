//! Trends that feed a decision, from observations of one offer over time (the store's snapshots
//! of a watched offer): where the price stands against its 30-day low and median, which way it
//! moved in the last 7 days, how fast stock falls (implied sales, restocks ignored), and from
//! those a stated buy-now-or-wait advice. Every figure says what it was computed from.

use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One observation: the unit price at the quantity that matters, and the stock then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Observation {
    /// When it was seen.
    pub at: DateTime<Utc>,
    /// Unit price at the need's quantity.
    pub unit_price: Decimal,
    /// Units in stock, when known.
    pub stock: Option<i64>,
}

/// Which way the price went over the last 7 days (a move under 1 % is steady).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Up by 1 % or more.
    Rising,
    /// Down by 1 % or more.
    Falling,
    /// Within 1 %.
    Steady,
}

/// Buy now, or wait for a better price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Timing {
    /// Waiting is not expected to pay.
    BuyNow,
    /// The price is expected to come down.
    Wait,
}

/// What the history says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Trend {
    /// What the figures were computed from, for a person.
    pub basis: String,
    /// The latest price.
    pub current: Decimal,
    /// Lowest price in the 30 days before the latest observation.
    pub low_30d: Decimal,
    /// Median price in those 30 days (of the observations, not weighted by time).
    pub median_30d: Decimal,
    /// Change against the price 7 days before, in percent (`None`: no observation that old).
    pub change_7d_pct: Option<Decimal>,
    /// Rising, falling or steady over those 7 days.
    pub direction: Direction,
    /// Units sold a day, implied by falling stock (restocks ignored; `None`: no stock seen fall).
    pub units_per_day: Option<Decimal>,
    /// Days until the stock runs out at that pace.
    pub days_to_sell_out: Option<Decimal>,
    /// Buy now or wait.
    pub timing: Timing,
    /// Why, in one sentence (the signals that decided).
    pub why: String,
}

impl Trend {
    /// The advice in one line for a person: `buy now: at its 30-day low of ¥8.50 (12
    /// observations over 29 days …)`.
    pub fn summary(&self) -> String {
        let timing = match self.timing {
            Timing::BuyNow => "buy now",
            Timing::Wait => "wait",
        };
        format!("{timing}: {} ({})", self.why, self.basis)
    }
}

/// Selling out sooner than this many days makes waiting a risk.
const SELL_OUT_DAYS: i64 = 14;

/// The trend of `observations` (any order); `None` with fewer than two.
pub fn trend(observations: &[Observation]) -> Option<Trend> {
    let mut obs: Vec<Observation> = observations.to_vec();
    obs.sort_by_key(|o| o.at);
    let last = *obs.last()?;
    let first = obs.first()?;
    if obs.len() < 2 {
        return None;
    }
    let window: Vec<&Observation> = obs.iter().filter(|o| o.at >= last.at - Duration::days(30)).collect();
    let mut prices: Vec<Decimal> = window.iter().map(|o| o.unit_price).collect();
    prices.sort_unstable();
    let low = prices[0];
    let median = if prices.len() % 2 == 1 {
        prices[prices.len() / 2]
    } else {
        (prices[prices.len() / 2 - 1] + prices[prices.len() / 2]) / Decimal::TWO
    };
    let week_ago = obs.iter().rev().find(|o| o.at <= last.at - Duration::days(7));
    let change_7d_pct = week_ago.and_then(|o| crate::market::percent_change(o.unit_price, last.unit_price));
    let direction = match change_7d_pct {
        Some(p) if p >= Decimal::ONE => Direction::Rising,
        Some(p) if p <= -Decimal::ONE => Direction::Falling,
        _ => Direction::Steady,
    };
    let (units_per_day, days_to_sell_out) = sales_pace(&obs);
    let span = Decimal::from((last.at - first.at).num_hours()) / Decimal::from(24);
    let basis = format!(
        "{} observations over {} days of the store's history (prices at the need's quantity)",
        obs.len(),
        span.round_dp(1)
    );
    let (timing, why) = advise(last.unit_price, low, median, direction, change_7d_pct, days_to_sell_out);
    Some(Trend {
        basis,
        current: last.unit_price,
        low_30d: low,
        median_30d: median,
        change_7d_pct: change_7d_pct.map(|p| p.round_dp(2)),
        direction,
        units_per_day,
        days_to_sell_out,
        timing,
        why,
    })
}

/// Units sold a day (stock decreases only, over the whole span) and the days the last stock
/// lasts at that pace.
fn sales_pace(obs: &[Observation]) -> (Option<Decimal>, Option<Decimal>) {
    let stocked: Vec<(DateTime<Utc>, i64)> = obs.iter().filter_map(|o| Some((o.at, o.stock?))).collect();
    let (Some(first), Some(last)) = (stocked.first(), stocked.last()) else { return (None, None) };
    let sold: i64 = stocked.windows(2).map(|w| (w[0].1 - w[1].1).max(0)).fold(0, i64::saturating_add);
    let hours = (last.0 - first.0).num_hours();
    if sold == 0 || hours <= 0 {
        return (None, None);
    }
    let per_day = Decimal::from(sold) * Decimal::from(24) / Decimal::from(hours);
    let days = (Decimal::from(last.1.max(0)) / per_day).round_dp(1);
    (Some(per_day.round_dp(2)), Some(days))
}

/// The advice, first signal that applies wins: selling out soon, at its 30-day low, rising —
/// buy now; above its 30-day median (falling or steady) — wait, prices tend back to it;
/// otherwise buy now. (Waiting on every fall was tried and backtested worse: a fall below the
/// median tends to be followed by a rise; see BENCHMARKS.md.)
fn advise(
    current: Decimal,
    low: Decimal,
    median: Decimal,
    direction: Direction,
    change: Option<Decimal>,
    days_left: Option<Decimal>,
) -> (Timing, String) {
    let pct = change.map_or_else(String::new, |p| format!(" ({}% in 7 days)", p.round_dp(1)));
    if let Some(days) = days_left.filter(|d| *d < Decimal::from(SELL_OUT_DAYS)) {
        return (Timing::BuyNow, format!("selling out in about {days} days at the recent pace"));
    }
    if current <= low {
        return (Timing::BuyNow, format!("at its 30-day low of ¥{low:.2}"));
    }
    match direction {
        Direction::Rising => (Timing::BuyNow, format!("price rising{pct}")),
        Direction::Falling if current > median => {
            (Timing::Wait, format!("price falling{pct} and still above its 30-day median of ¥{median:.2}"))
        }
        Direction::Falling => (Timing::BuyNow, format!("price fell{pct} to below its 30-day median of ¥{median:.2}")),
        Direction::Steady if current > median => {
            (Timing::Wait, format!("above its 30-day median of ¥{median:.2}; prices tend back to it"))
        }
        Direction::Steady => (Timing::BuyNow, format!("at or below its 30-day median of ¥{median:.2}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: i64, price: &str, stock: Option<i64>) -> Observation {
        let start: DateTime<Utc> = "2026-11-01T00:00:00Z".parse().unwrap();
        Observation { at: start + Duration::days(day), unit_price: price.parse().unwrap(), stock }
    }

    #[test]
    fn signals_from_the_history() {
        assert_eq!(trend(&[at(0, "10", None)]), None, "one observation is no trend");
        let falling =
            trend(&[at(0, "9", None), at(10, "12.5", None), at(20, "13", None), at(28, "12.6", None)]).unwrap();
        let expected = ("9".parse().unwrap(), "12.55".parse().unwrap(), Direction::Falling);
        assert_eq!((falling.low_30d, falling.median_30d, falling.direction), expected);
        assert_eq!(falling.timing, Timing::Wait);
        assert!(falling.why.starts_with("price falling (-3.1% in 7 days) and still above"), "{}", falling.why);
        let fell = trend(&[at(0, "9", None), at(10, "12", None), at(20, "11", None), at(28, "10.5", None)]).unwrap();
        assert_eq!(fell.timing, Timing::BuyNow, "{}", fell.why);
        let low = trend(&[at(0, "10", None), at(10, "9", None), at(20, "8.5", None)]).unwrap();
        assert_eq!((low.timing, low.why.as_str()), (Timing::BuyNow, "at its 30-day low of ¥8.50"));
        // 1,000 units gone in 10 days (a restock of 500 ignored): 100 a day, 3 days left.
        let selling = trend(&[
            at(0, "10", Some(1_000)),
            at(5, "11", Some(500)),
            at(6, "11", Some(1_000)),
            at(10, "12", Some(300)),
        ])
        .unwrap();
        assert_eq!(selling.units_per_day, Some(Decimal::from(120)));
        assert_eq!(selling.days_to_sell_out, Some("2.5".parse().unwrap()));
        assert_eq!(selling.timing, Timing::BuyNow);
        assert!(selling.basis.starts_with("4 observations over 10 days"), "{}", selling.basis);
    }
}
