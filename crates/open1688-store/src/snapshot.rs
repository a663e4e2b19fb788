//! Offer snapshots and the changes between two of them: a tier's price, the MOQ, each SKU's
//! price and stock, SKUs added or removed, sold out / back in stock, delisted, and a drop in the
//! supplier's score.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sourcing::Offer;

/// What an offer looked like at one fetch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Snapshot {
    /// The offer.
    pub offer_id: i64,
    /// When it was fetched.
    pub at: DateTime<Utc>,
    /// Tiers: start quantity → unit price.
    pub tiers: BTreeMap<i64, Decimal>,
    /// SKUs: id → (price, stock).
    pub skus: BTreeMap<i64, (Option<Decimal>, Option<i64>)>,
    /// Total stock.
    pub stock: Option<i64>,
    /// Minimum order quantity.
    pub moq: Option<i64>,
    /// `published`, `expired`…
    pub status: Option<String>,
    /// Supplier score at the time (when scored).
    pub supplier_score: Option<Decimal>,
}

impl Snapshot {
    /// The snapshot of a normalized offer.
    pub fn of(offer: &Offer, supplier_score: Option<Decimal>) -> Self {
        Self {
            offer_id: offer.id,
            at: offer.fetched_at,
            tiers: offer.ladder.iter().flat_map(|l| l.tiers()).map(|t| (t.min_qty, t.unit_price)).collect(),
            skus: offer.skus.iter().map(|s| (s.id, (s.price, s.stock))).collect(),
            stock: offer.stock,
            moq: offer.moq,
            status: offer.status.clone(),
            supplier_score,
        }
    }

    /// Whether nothing can be bought.
    pub fn sold_out(&self) -> bool {
        let skus_empty = !self.skus.is_empty() && self.skus.values().all(|(_, s)| *s == Some(0));
        self.stock == Some(0) || skus_empty
    }

    /// Whether the offer is delisted.
    pub fn delisted(&self) -> bool {
        self.status.as_deref().is_some_and(|s| s != "published")
    }

    /// The unit price at a quantity (the tier in force), if priced.
    pub fn price_at(&self, quantity: i64) -> Option<Decimal> {
        self.tiers.range(..=quantity).next_back().map(|(_, p)| *p).or_else(|| self.tiers.values().next().copied())
    }
}

/// One detected change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// A tier's price changed (or a tier appeared or vanished: `None` on that side).
    TierPrice {
        /// The tier's start quantity.
        start_quantity: i64,
        /// Before.
        old: Option<Decimal>,
        /// After.
        new: Option<Decimal>,
    },
    /// The MOQ changed.
    Moq {
        /// Before.
        old: Option<i64>,
        /// After.
        new: Option<i64>,
    },
    /// A SKU's price changed.
    SkuPrice {
        /// The SKU.
        sku_id: i64,
        /// Before.
        old: Option<Decimal>,
        /// After.
        new: Option<Decimal>,
    },
    /// A SKU's (or the offer's) stock changed.
    Stock {
        /// The SKU (`None`: the offer's total).
        sku_id: Option<i64>,
        /// Before.
        old: Option<i64>,
        /// After.
        new: Option<i64>,
    },
    /// A SKU appeared.
    SkuAdded {
        /// The SKU.
        sku_id: i64,
    },
    /// A SKU disappeared.
    SkuRemoved {
        /// The SKU.
        sku_id: i64,
    },
    /// Nothing can be bought any more.
    SoldOut,
    /// Stock came back.
    BackInStock,
    /// The offer was taken down.
    Delisted,
    /// The offer is listed again.
    Relisted,
    /// The supplier's score fell.
    SupplierScoreDrop {
        /// Before.
        old: Decimal,
        /// After.
        new: Decimal,
    },
}

/// The changes from `before` to `after` (same offer), in a stable order.
pub fn detect(before: &Snapshot, after: &Snapshot) -> Vec<Change> {
    let mut out = Vec::new();
    let starts: std::collections::BTreeSet<i64> = before.tiers.keys().chain(after.tiers.keys()).copied().collect();
    for start in starts {
        let (old, new) = (before.tiers.get(&start).copied(), after.tiers.get(&start).copied());
        if old != new {
            out.push(Change::TierPrice { start_quantity: start, old, new });
        }
    }
    if before.moq != after.moq {
        out.push(Change::Moq { old: before.moq, new: after.moq });
    }
    for (id, (price, stock)) in &after.skus {
        match before.skus.get(id) {
            None => out.push(Change::SkuAdded { sku_id: *id }),
            Some((old_price, old_stock)) => {
                if old_price != price {
                    out.push(Change::SkuPrice { sku_id: *id, old: *old_price, new: *price });
                }
                if old_stock != stock {
                    out.push(Change::Stock { sku_id: Some(*id), old: *old_stock, new: *stock });
                }
            }
        }
    }
    for id in before.skus.keys().filter(|id| !after.skus.contains_key(id)) {
        out.push(Change::SkuRemoved { sku_id: *id });
    }
    if after.skus.is_empty() && before.stock != after.stock {
        out.push(Change::Stock { sku_id: None, old: before.stock, new: after.stock });
    }
    match (before.sold_out(), after.sold_out()) {
        (false, true) => out.push(Change::SoldOut),
        (true, false) => out.push(Change::BackInStock),
        _ => {}
    }
    match (before.delisted(), after.delisted()) {
        (false, true) => out.push(Change::Delisted),
        (true, false) => out.push(Change::Relisted),
        _ => {}
    }
    if let (Some(old), Some(new)) = (before.supplier_score, after.supplier_score)
        && new < old
    {
        out.push(Change::SupplierScoreDrop { old, new });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(tiers: &[(i64, i64)], skus: &[(i64, i64, i64)], status: &str) -> Snapshot {
        Snapshot {
            offer_id: 1,
            at: DateTime::<Utc>::UNIX_EPOCH,
            tiers: tiers.iter().map(|&(q, p)| (q, Decimal::new(p, 2))).collect(),
            skus: skus.iter().map(|&(id, p, s)| (id, (Some(Decimal::new(p, 2)), Some(s)))).collect(),
            stock: Some(skus.iter().map(|s| s.2).sum()),
            moq: Some(2),
            status: Some(status.into()),
            supplier_score: None,
        }
    }

    #[test]
    fn every_kind_of_change_is_seen() {
        let a = snap(&[(2, 1000), (100, 900)], &[(7, 1000, 5), (8, 1000, 3)], "published");
        let b = snap(&[(2, 950), (100, 900)], &[(7, 1000, 0), (9, 1000, 0)], "published");
        let changes = detect(&a, &b);
        assert!(changes.contains(&Change::TierPrice {
            start_quantity: 2,
            old: Some(Decimal::new(1000, 2)),
            new: Some(Decimal::new(950, 2))
        }));
        assert!(changes.contains(&Change::Stock { sku_id: Some(7), old: Some(5), new: Some(0) }));
        assert!(changes.contains(&Change::SkuAdded { sku_id: 9 }));
        assert!(changes.contains(&Change::SkuRemoved { sku_id: 8 }));
        assert!(changes.contains(&Change::SoldOut));
        let c = snap(&[(2, 950), (100, 900)], &[(7, 1000, 4), (9, 1000, 0)], "expired");
        let back = detect(&b, &c);
        assert!(back.contains(&Change::BackInStock) && back.contains(&Change::Delisted));
        assert!(detect(&c, &c).is_empty(), "no change, no event");
    }

    #[test]
    fn price_at_follows_the_tier_in_force() {
        let s = snap(&[(2, 1000), (100, 900)], &[], "published");
        assert_eq!(s.price_at(1), Some(Decimal::new(1000, 2)));
        assert_eq!(s.price_at(99), Some(Decimal::new(1000, 2)));
        assert_eq!(s.price_at(500), Some(Decimal::new(900, 2)));
    }
}
