//! Change detection against the truth: watch offers of the sandbox while its simulated clock runs
//! 30 days; every net change the sandbox logged shows up as a detected change, and nothing else.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use open1688::RateLimits;
use open1688_sandbox::{ChangeKind, Sandbox};
use open1688_store::{Change, Snapshot, detect};
use support::sandbox_client::client_builder;

/// What a day's log says changed, net: (offer, field) pairs whose first old and last new differ.
fn net_changes(log: &[open1688_sandbox::Change]) -> BTreeSet<(i64, String)> {
    let mut first_last: BTreeMap<(i64, String), (String, String)> = BTreeMap::new();
    for c in log {
        let (field, old, new) = match &c.kind {
            ChangeKind::TierPrice { start_quantity, old, new } => {
                (format!("tier {start_quantity}"), old.to_string(), new.to_string())
            }
            ChangeKind::Moq { old, new } => ("moq".into(), old.to_string(), new.to_string()),
            ChangeKind::Stock { sku_id, old, new } => (format!("stock {sku_id:?}"), old.to_string(), new.to_string()),
            ChangeKind::SkuPrice { sku_id, old, new } => {
                (format!("sku price {sku_id}"), old.to_string(), new.to_string())
            }
            _ => continue,
        };
        first_last.entry((c.offer_id, field)).and_modify(|e| e.1 = new.clone()).or_insert((old, new));
    }
    // A first tier whose start moved with the MOQ is checked through the MOQ (see `detected`).
    let moq_ends: BTreeMap<i64, (String, String)> =
        first_last.iter().filter(|((_, f), _)| f == "moq").map(|((id, _), v)| (*id, v.clone())).collect();
    first_last
        .into_iter()
        .filter(|(_, (a, b))| a != b)
        .map(|(k, _)| k)
        .filter(|(id, field)| match (moq_ends.get(id), field.strip_prefix("tier ")) {
            (Some((a, b)), Some(start)) if a != b => start != a && start != b,
            _ => true,
        })
        .collect()
}

fn detected(offer_id: i64, changes: &[Change]) -> BTreeSet<(i64, String)> {
    // The first tier starts at the MOQ: when the MOQ moves, the tier that appears and the one that
    // vanishes are the MOQ change the sandbox logged, not price changes.
    let moq_ends: Vec<i64> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Moq { old, new } => Some([*old, *new]),
            _ => None,
        })
        .flatten()
        .flatten()
        .collect();
    let moq_moved = !moq_ends.is_empty();
    changes
        .iter()
        .filter_map(|c| match c {
            Change::TierPrice { start_quantity, .. } if moq_moved && moq_ends.contains(start_quantity) => None,
            Change::TierPrice { start_quantity, .. } => Some(format!("tier {start_quantity}")),
            Change::Moq { .. } => Some("moq".into()),
            Change::Stock { sku_id, .. } => Some(format!("stock {sku_id:?}")),
            Change::SkuPrice { sku_id, .. } => Some(format!("sku price {sku_id}")),
            _ => None,
        })
        .map(|f| (offer_id, f))
        .collect()
}

#[tokio::test]
async fn thirty_simulated_days_of_changes_are_all_detected() {
    let sandbox = Sandbox::builder()
        .catalog_size(3_000, 240)
        .simulated_clock(None)
        .drift_share(0.3)
        .quotas_off()
        .start()
        .await
        .unwrap();
    let start = sandbox.now_ms();
    // Offers that drift, found from a first day of changes, plus calm ones as a control.
    sandbox.advance(Duration::from_secs(86_400)).unwrap();
    let mut watched: BTreeSet<i64> =
        sandbox.changes(start, sandbox.now_ms()).iter().map(|c| c.offer_id).take(25).collect();
    watched.extend(sandbox.catalog().offers.iter().rev().take(5).map(|o| o.id));
    let client = client_builder(&sandbox).rate_limits(RateLimits::unlimited()).no_cache().build().unwrap();
    let snapshot = |detail: &open1688::types::api::detail::ProductDetail| {
        let offer = sourcing::offer_from_detail(detail, chrono::Utc::now()).unwrap();
        Snapshot::of(&offer, None)
    };
    let mut last: BTreeMap<i64, Snapshot> = BTreeMap::new();
    for &id in &watched {
        last.insert(id, snapshot(&client.offer(id).await.unwrap()));
    }
    let (mut expected_total, mut missed, mut spurious) = (0, Vec::new(), Vec::new());
    for _day in 0..30 {
        let from = sandbox.now_ms();
        sandbox.advance(Duration::from_secs(86_400)).unwrap();
        let log: Vec<_> =
            sandbox.changes(from, sandbox.now_ms()).into_iter().filter(|c| watched.contains(&c.offer_id)).collect();
        let expected = net_changes(&log);
        let mut seen = BTreeSet::new();
        for &id in &watched {
            let now = snapshot(&client.offer(id).await.unwrap());
            seen.extend(detected(id, &detect(&last[&id], &now)));
            last.insert(id, now);
        }
        expected_total += expected.len();
        missed.extend(expected.difference(&seen).cloned());
        spurious.extend(seen.difference(&expected).cloned());
    }
    assert!(expected_total > 50, "30 days should change things: {expected_total}");
    assert!(missed.is_empty(), "missed {} of {expected_total}: {missed:?}", missed.len());
    assert!(spurious.is_empty(), "detected what did not happen: {spurious:?}");
}
