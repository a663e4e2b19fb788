//! Market statistics over a result set at a given quantity: price distribution, MOQ, histogram,
//! top suppliers by listings and by sales, category mix.

use std::collections::HashMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

use crate::error::EngineError;
use crate::model::{Offer, OfferSummary};

/// One listing as the statistics see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PricePoint {
    /// Offer.
    pub offer_id: i64,
    /// Unit price at the quantity asked.
    pub price: Decimal,
    /// MOQ.
    pub moq: Option<i64>,
    /// Supplier name or key.
    pub supplier: String,
    /// Monthly sales.
    pub sales: Option<i64>,
    /// Leaf category id.
    pub category: Option<i64>,
}

impl PricePoint {
    /// From a full offer, priced at `quantity` on its ladder; `None` when it has no price.
    pub fn from_offer(offer: &Offer, quantity: i64) -> Option<Self> {
        let ladder = offer.ladder.as_ref()?;
        Some(Self {
            offer_id: offer.id,
            price: ladder.unit_price(quantity).unwrap_or(ladder.tiers()[0].unit_price),
            moq: offer.moq,
            supplier: crate::plan::supplier_key(offer),
            sales: offer.monthly_sales,
            category: offer.category.ids.last().copied(),
        })
    }

    /// From a search result (its first-tier price).
    pub fn from_summary(s: &OfferSummary) -> Option<Self> {
        Some(Self {
            offer_id: s.id,
            price: s.price?,
            moq: s.moq,
            supplier: s.supplier.company.clone().unwrap_or_else(|| format!("offer:{}", s.id)),
            sales: s.monthly_sales,
            category: s.category_ids.last().copied(),
        })
    }
}

/// Distribution of a set of values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Distribution {
    /// Values.
    pub count: usize,
    /// Smallest.
    pub min: Decimal,
    /// 10th percentile.
    pub p10: Decimal,
    /// 25th percentile.
    pub p25: Decimal,
    /// Median.
    pub median: Decimal,
    /// Mean.
    pub mean: Decimal,
    /// 75th percentile.
    pub p75: Decimal,
    /// 90th percentile.
    pub p90: Decimal,
    /// Largest.
    pub max: Decimal,
}

impl Distribution {
    /// The distribution of `values`; `None` when empty.
    pub fn of(mut values: Vec<Decimal>) -> Option<Self> {
        if values.is_empty() {
            return None;
        }
        values.sort_unstable();
        // Linear interpolation between closest ranks (the common "type 7" definition).
        let pct = |p: i64| {
            let h = Decimal::from(values.len() as i64 - 1) * Decimal::new(p, 2);
            let lo = h.floor();
            let i = lo.to_usize().unwrap_or(0).min(values.len() - 1);
            let next = values.get(i + 1).copied().unwrap_or(values[i]);
            values[i] + (h - lo) * (next - values[i])
        };
        let sum: Decimal = values.iter().sum();
        Some(Self {
            count: values.len(),
            min: values[0],
            p10: pct(10),
            p25: pct(25),
            median: pct(50),
            mean: sum / Decimal::from(values.len() as i64),
            p75: pct(75),
            p90: pct(90),
            max: values[values.len() - 1],
        })
    }
}

/// One histogram bin `[from, to)` (the last bin includes `to`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Bin {
    /// Lower edge.
    pub from: Decimal,
    /// Upper edge.
    pub to: Decimal,
    /// Listings in the bin.
    pub count: usize,
}

/// Statistics of a result set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MarketReport {
    /// Unit prices.
    pub price: Distribution,
    /// MOQs (of listings that state one).
    pub moq: Option<Distribution>,
    /// Price histogram.
    pub histogram: Vec<Bin>,
    /// Suppliers with most listings.
    pub top_by_listings: Vec<(String, usize)>,
    /// Suppliers with most monthly sales.
    pub top_by_sales: Vec<(String, i64)>,
    /// Listings per leaf category.
    pub category_mix: Vec<(i64, usize)>,
}

/// Statistics over price points, with `bins` histogram bins and the top `top` suppliers.
pub fn market_report(points: &[PricePoint], bins: usize, top: usize) -> Result<MarketReport, EngineError> {
    let price =
        Distribution::of(points.iter().map(|p| p.price).collect()).ok_or(EngineError::BadQuantity { quantity: 0 })?;
    let moq = Distribution::of(points.iter().filter_map(|p| p.moq).map(Decimal::from).collect());
    let bins = bins.max(1);
    let width = (price.max - price.min) / Decimal::from(bins as i64);
    let mut histogram: Vec<Bin> = (0..bins)
        .map(|i| Bin {
            from: price.min + width * Decimal::from(i as i64),
            to: price.min + width * Decimal::from(i as i64 + 1),
            count: 0,
        })
        .collect();
    for p in points {
        let i = if width.is_zero() {
            0
        } else {
            ((p.price - price.min) / width).floor().to_usize().unwrap_or(0).min(bins - 1)
        };
        histogram[i].count += 1;
    }
    let mut listings: HashMap<&str, usize> = HashMap::new();
    let mut sales: HashMap<&str, i64> = HashMap::new();
    let mut categories: HashMap<i64, usize> = HashMap::new();
    for p in points {
        *listings.entry(&p.supplier).or_default() += 1;
        *sales.entry(&p.supplier).or_default() += p.sales.unwrap_or(0);
        if let Some(c) = p.category {
            *categories.entry(c).or_default() += 1;
        }
    }
    let mut top_by_listings: Vec<(String, usize)> = listings.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    top_by_listings.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top_by_listings.truncate(top);
    let mut top_by_sales: Vec<(String, i64)> = sales.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    top_by_sales.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top_by_sales.truncate(top);
    let mut category_mix: Vec<(i64, usize)> = categories.into_iter().collect();
    category_mix.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(MarketReport { price, moq, histogram, top_by_listings, top_by_sales, category_mix })
}

/// The change from `from` to `to` in percent; `None` when `from` is zero (no base to compare
/// with). Checked: a move too large to represent (from a tiny price, between extremes) saturates
/// at `Decimal::MAX` or `Decimal::MIN` instead of overflowing.
pub fn percent_change(from: Decimal, to: Decimal) -> Option<Decimal> {
    if from.is_zero() {
        return None;
    }
    let saturated = if (to > from) == from.is_sign_positive() { Decimal::MAX } else { Decimal::MIN };
    Some(
        to.checked_sub(from)
            .and_then(|d| d.checked_div(from))
            .and_then(|r| r.checked_mul(Decimal::ONE_HUNDRED))
            .unwrap_or(saturated),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_change_is_checked() {
        assert_eq!(percent_change(Decimal::from(10), Decimal::from(8)), Some(Decimal::from(-20)));
        assert_eq!(percent_change(Decimal::ZERO, Decimal::from(8)), None);
        assert_eq!(percent_change(Decimal::new(1, 28), Decimal::MAX), Some(Decimal::MAX));
        assert_eq!(percent_change(Decimal::MAX, Decimal::MIN), Some(Decimal::MIN));
    }

    #[test]
    fn percentiles_interpolate_between_ranks() {
        let values = (1..=11).map(Decimal::from).collect();
        let d = Distribution::of(values).unwrap();
        assert_eq!(
            (d.min, d.p10, d.p25, d.median, d.p75, d.p90, d.max),
            (1.into(), 2.into(), Decimal::new(35, 1), 6.into(), Decimal::new(85, 1), 10.into(), 11.into())
        );
        assert_eq!(d.mean, Decimal::from(6));
        assert!(Distribution::of(Vec::new()).is_none());
    }
}
