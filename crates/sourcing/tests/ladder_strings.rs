//! Ladder strings as sellers and older tools write them, and the broken ones.

use proptest::prelude::*;
use rust_decimal::Decimal;
use sourcing::{LadderError, PriceLadder};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Expected tiers: (min, max, price).
type Tiers = &'static [(i64, Option<i64>, &'static str)];

#[test]
fn real_world_formats() {
    let table: &[(&str, Tiers)] = &[
        (
            "1-9件:¥10.00;10-99件:¥8.50;100件以上:¥7.20",
            &[(1, Some(9), "10.00"), (10, Some(99), "8.50"), (100, None, "7.20")],
        ),
        (
            "2-49个：￥3.5；50-199个：￥3.2；≥200个：￥2.9",
            &[(2, Some(49), "3.5"), (50, Some(199), "3.2"), (200, None, "2.9")],
        ),
        ("１～９件：１０．５元，１０件以上：９．８元", &[(1, Some(9), "10.5"), (10, None, "9.8")]),
        ("3~99 ¥445.00 | >=100 ¥420.00", &[(3, Some(99), "445.00"), (100, None, "420.00")]),
        ("≥2:10.50;≥100:9.80", &[(2, Some(99), "10.50"), (100, None, "9.80")]),
        ("10+ 1.20元/件", &[(10, None, "1.20")]),
        ("5件起 ¥12", &[(5, None, "12")]),
        ("1-9件:¥10.00\n10件以上:¥10.00", &[(1, Some(9), "10.00"), (10, None, "10.00")]),
    ];
    for (text, want) in table {
        let ladder = PriceLadder::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        let got: Vec<(i64, Option<i64>, Decimal)> =
            ladder.tiers().iter().map(|t| (t.min_qty, t.max_qty, t.unit_price)).collect();
        let want: Vec<(i64, Option<i64>, Decimal)> = want.iter().map(|&(a, b, p)| (a, b, d(p))).collect();
        assert_eq!(got, want, "{text:?}");
    }
}

#[test]
fn broken_ladders_are_typed_errors_naming_the_tier() {
    assert_eq!(PriceLadder::parse(""), Err(LadderError::Empty));
    assert!(matches!(PriceLadder::parse("1-9件:¥10;10件以上:¥12"), Err(LadderError::NonMonotone { tier: 2, .. })));
    assert!(matches!(PriceLadder::parse("1-50件:¥10;20-99件:¥9"), Err(LadderError::Overlap { tier: 2, min_qty: 20 })));
    assert!(matches!(PriceLadder::parse("10件以上:¥9;1-9件:¥10"), Err(LadderError::Overlap { tier: 2, .. })));
    assert!(matches!(PriceLadder::parse("1-9件:-10.00"), Err(LadderError::Negative { tier: 1 })));
    assert!(matches!(PriceLadder::parse("0-9件:10"), Err(LadderError::Negative { tier: 1 })));
    assert!(matches!(PriceLadder::parse("9-1件:10"), Err(LadderError::Negative { tier: 1 })));
    assert!(matches!(PriceLadder::parse("面议"), Err(LadderError::Unreadable { tier: 1, .. })));
    assert!(matches!(PriceLadder::parse("¥10.00"), Err(LadderError::Unreadable { tier: 1, .. })));
    assert!(matches!(PriceLadder::parse("1-9件:10;10.5件以上:9"), Err(LadderError::Unreadable { tier: 2, .. })));
    let err = PriceLadder::parse("1-9件:¥10;10件以上:¥12").unwrap_err();
    assert_eq!(err.to_string(), "tier 2 costs 12, more than the previous tier's 10");
}

proptest! {
    /// Buying more never raises the unit price, and every quantity at or above the MOQ is priced.
    #[test]
    fn unit_price_never_rises_with_quantity(
        steps in proptest::collection::vec((1i64..500, 0u32..300), 1..5),
        base in 1u32..100_000,
        q in 1i64..5_000,
    ) {
        let mut start = 0;
        let mut price = i64::from(base);
        let mut tiers = Vec::new();
        for (gap, cut) in steps {
            start += gap;
            price = (price - i64::from(cut)).max(1);
            tiers.push((start, Decimal::new(price, 2)));
        }
        let ladder = PriceLadder::new(tiers).unwrap();
        let here = ladder.unit_price(q);
        let more = ladder.unit_price(q + 1);
        prop_assert_eq!(here.is_some(), q >= ladder.min_qty());
        if let (Some(a), Some(b)) = (here, more) {
            prop_assert!(b <= a);
        }
    }
}
