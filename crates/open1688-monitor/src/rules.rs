//! Alert rules evaluated: for an offer watch, on the newest snapshot given the history and the
//! changes since the previous one; snooze and a daily cap on top. Rules fire on crossings, so a
//! price that stays below its target alerts once, not at every check. Arithmetic on prices is
//! checked: a tiny previous price or a huge window never panics.

use chrono::{DateTime, Duration, Utc};
use open1688_store::{Alert, AlertEvent, AlertRule, Change, Happening, Snapshot, TierMove};
use rust_decimal::Decimal;

/// Alerts for the newest snapshot of `history` (oldest first) given the changes from the one
/// before it.
pub fn evaluate(rules: &[AlertRule], history: &[Snapshot], changes: &[Change]) -> Vec<Alert> {
    let Some(now) = history.last() else { return Vec::new() };
    let prev = history.len().checked_sub(2).map(|i| &history[i]);
    let mut out = Vec::new();
    let mut raise = |rule: &AlertRule, what: Happening| {
        out.push(Alert::of(now.offer_id, now.at, rule.name(), AlertEvent::new(what)));
    };
    for rule in rules {
        match rule {
            AlertRule::PriceBelow { quantity, target } => {
                let crossed = now.price_at(*quantity).is_some_and(|p| p < *target)
                    && prev.is_none_or(|p| p.price_at(*quantity).is_none_or(|x| x >= *target));
                if crossed {
                    let price = now.price_at(*quantity).unwrap_or_default();
                    raise(rule, Happening::PriceBelow { quantity: *quantity, price, target: *target });
                }
            }
            AlertRule::PriceAbove { quantity, target } => {
                let crossed = now.price_at(*quantity).is_some_and(|p| p > *target)
                    && prev.is_none_or(|p| p.price_at(*quantity).is_none_or(|x| x <= *target));
                if crossed {
                    let price = now.price_at(*quantity).unwrap_or_default();
                    raise(rule, Happening::PriceAbove { quantity: *quantity, price, target: *target });
                }
            }
            AlertRule::PercentChange { quantity, percent } => {
                if let (Some(old), Some(new)) = (prev.and_then(|p| p.price_at(*quantity)), now.price_at(*quantity))
                    && let Some(change) = sourcing::percent_change(old, new)
                    && change.abs() >= *percent
                {
                    raise(rule, Happening::PriceMoved { quantity: *quantity, percent: change.round_dp(1), old, new });
                }
            }
            AlertRule::LowestInDays { quantity, days } => {
                // A window reaching before any representable time covers all of the history.
                let since = Duration::try_days(*days)
                    .and_then(|d| now.at.checked_sub_signed(d))
                    .unwrap_or(DateTime::<Utc>::MIN_UTC);
                if let Some(p) = now.price_at(*quantity) {
                    let earlier: Vec<Decimal> = history[..history.len() - 1]
                        .iter()
                        .filter(|s| s.at >= since)
                        .filter_map(|s| s.price_at(*quantity))
                        .collect();
                    if !earlier.is_empty() && earlier.iter().all(|e| p < *e) {
                        raise(rule, Happening::LowestInDays { quantity: *quantity, price: p, days: *days });
                    }
                }
            }
            AlertRule::StockBelow { units } => {
                let below = |s: &Snapshot| s.stock.is_some_and(|x| x < *units);
                if below(now) && prev.is_none_or(|p| !below(p)) {
                    raise(rule, Happening::StockBelow { stock: now.stock.unwrap_or_default(), units: *units });
                }
            }
            AlertRule::SoldOut => {
                if changes.contains(&Change::SoldOut) {
                    raise(rule, Happening::SoldOut);
                }
            }
            AlertRule::BackInStock => {
                if changes.contains(&Change::BackInStock) {
                    raise(rule, Happening::BackInStock);
                }
            }
            AlertRule::AnyTierChange => {
                let tiers: Vec<TierMove> = changes
                    .iter()
                    .filter_map(|c| match c {
                        Change::TierPrice { start_quantity, old, new } => {
                            Some(TierMove { start_quantity: *start_quantity, old: *old, new: *new })
                        }
                        _ => None,
                    })
                    .collect();
                if !tiers.is_empty() {
                    raise(rule, Happening::TiersChanged { tiers });
                }
            }
            // Only keyword watches take it (see `AlertRule::unsupported_for`).
            AlertRule::NewOffer => {}
        }
    }
    out
}

/// Snooze and the daily cap: keeps the alerts that may be sent now, given how many were sent
/// today already.
pub fn throttle(
    alerts: Vec<Alert>,
    snooze_until: Option<DateTime<Utc>>,
    max_per_day: Option<u32>,
    sent_today: u32,
) -> Vec<Alert> {
    let mut left = max_per_day.map(|m| m.saturating_sub(sent_today) as usize);
    alerts
        .into_iter()
        .filter(|a| snooze_until.is_none_or(|until| a.at >= until))
        .filter(|_| match &mut left {
            Some(0) => false,
            Some(n) => {
                *n -= 1;
                true
            }
            None => true,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use open1688_store::detect;
    use std::collections::BTreeMap;

    fn snap(day: i64, price: i64, stock: i64) -> Snapshot {
        Snapshot {
            offer_id: 1,
            at: DateTime::<Utc>::UNIX_EPOCH + Duration::days(day),
            tiers: BTreeMap::from([(1, Decimal::new(price, 2))]),
            skus: BTreeMap::new(),
            stock: Some(stock),
            moq: Some(1),
            status: Some("published".into()),
            supplier_score: None,
        }
    }

    fn run(rules: &[AlertRule], history: &[Snapshot]) -> Vec<String> {
        let changes =
            if history.len() >= 2 { detect(&history[history.len() - 2], &history[history.len() - 1]) } else { vec![] };
        evaluate(rules, history, &changes).into_iter().map(|a| a.rule).collect()
    }

    #[test]
    fn crossings_fire_once() {
        let rules = [AlertRule::PriceBelow { quantity: 10, target: Decimal::new(900, 2) }];
        assert!(run(&rules, &[snap(0, 1000, 5), snap(1, 950, 5)]).is_empty());
        assert_eq!(run(&rules, &[snap(0, 1000, 5), snap(1, 850, 5)]), ["price_below"]);
        assert!(run(&rules, &[snap(1, 850, 5), snap(2, 840, 5)]).is_empty(), "still below: no repeat");
    }

    #[test]
    fn percent_lowest_stock_and_sold_out() {
        let rules = [
            AlertRule::PercentChange { quantity: 1, percent: Decimal::from(5) },
            AlertRule::LowestInDays { quantity: 1, days: 30 },
            AlertRule::StockBelow { units: 10 },
            AlertRule::SoldOut,
            AlertRule::BackInStock,
            AlertRule::AnyTierChange,
        ];
        let fired = run(&rules, &[snap(0, 1000, 50), snap(1, 1100, 50), snap(2, 900, 0)]);
        assert_eq!(fired, ["percent_change", "lowest_in_days", "stock_below", "sold_out", "any_tier_change"]);
        let back = run(&rules, &[snap(2, 900, 0), snap(3, 900, 40)]);
        assert_eq!(back, ["back_in_stock"]);
    }

    #[test]
    fn snooze_and_daily_cap() {
        let a = |day| Alert {
            offer_id: 1,
            at: DateTime::<Utc>::UNIX_EPOCH + Duration::days(day),
            rule: "x".into(),
            message: String::new(),
            order_id: None,
            event: None,
        };
        let kept =
            throttle(vec![a(1), a(2), a(3), a(4)], Some(DateTime::<Utc>::UNIX_EPOCH + Duration::days(2)), Some(2), 0);
        assert_eq!(kept.len(), 2);
        assert!(throttle(vec![a(5)], None, Some(3), 3).is_empty());
    }

    #[test]
    fn extreme_rule_values_and_tiny_prices_never_panic() {
        let rules = [
            AlertRule::LowestInDays { quantity: i64::MAX, days: 100_000_000 },
            AlertRule::LowestInDays { quantity: 1, days: i64::MAX },
            AlertRule::PercentChange { quantity: 1, percent: Decimal::ONE },
        ];
        let mut tiny = snap(0, 1, 5);
        tiny.tiers.insert(1, Decimal::new(1, 28));
        let mut huge = snap(1, 1, 5);
        huge.tiers.insert(1, Decimal::MAX);
        let fired = run(&rules, &[tiny, huge]);
        assert_eq!(fired, ["percent_change"], "a move from a tiny price saturates instead of overflowing");
    }
}
