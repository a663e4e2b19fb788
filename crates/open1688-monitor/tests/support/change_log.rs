//! What a monitor should report, computed from the sandbox's own change log.

use std::collections::{BTreeMap, BTreeSet};

use open1688_sandbox::ChangeKind;

/// (offer, rule) pairs a stretch of the log calls for, for watches with the `any_tier_change`,
/// `sold_out` and `back_in_stock` rules checked at its start and its end.
pub fn expected(log: &[open1688_sandbox::Change]) -> BTreeSet<(i64, String)> {
    let mut tiers: BTreeMap<(i64, String), (String, String)> = BTreeMap::new();
    let mut stock_events: BTreeMap<i64, Vec<bool>> = BTreeMap::new();
    for c in log {
        match &c.kind {
            ChangeKind::TierPrice { start_quantity, old, new } => {
                tiers
                    .entry((c.offer_id, format!("tier {start_quantity}")))
                    .and_modify(|e| e.1 = new.to_string())
                    .or_insert((old.to_string(), new.to_string()));
            }
            ChangeKind::Moq { old, new } => {
                tiers
                    .entry((c.offer_id, "moq".into()))
                    .and_modify(|e| e.1 = new.to_string())
                    .or_insert((old.to_string(), new.to_string()));
            }
            ChangeKind::SoldOut => stock_events.entry(c.offer_id).or_default().push(true),
            ChangeKind::BackInStock => stock_events.entry(c.offer_id).or_default().push(false),
            _ => {}
        }
    }
    let mut out: BTreeSet<(i64, String)> =
        tiers.into_iter().filter(|(_, (a, b))| a != b).map(|((id, _), _)| (id, "any_tier_change".to_owned())).collect();
    for (id, events) in stock_events {
        let was_sold_out = !events[0];
        let is_sold_out = *events.last().unwrap();
        match (was_sold_out, is_sold_out) {
            (false, true) => {
                out.insert((id, "sold_out".into()));
            }
            (true, false) => {
                out.insert((id, "back_in_stock".into()));
            }
            _ => {}
        }
    }
    out
}
