//! Buy now or in k split batches: each batch is priced at its own tier and ships on its own, and
//! stock turnover (days to sell what arrives) decides the risk.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::cost::{Freight, landed_cost};
use crate::error::EngineError;
use crate::model::Offer;

/// Stock risk by turnover days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Risk {
    /// Sells within the medium threshold.
    Low,
    /// Above the medium threshold.
    Medium,
    /// Above the high threshold.
    High,
}

impl std::fmt::Display for Risk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Risk::Low => "low",
            Risk::Medium => "medium",
            Risk::High => "high",
        })
    }
}

/// Turnover thresholds in days (defaults: medium above 45, high above 90).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RiskThresholds {
    /// Days above which risk is medium.
    pub medium_days: Decimal,
    /// Days above which risk is high.
    pub high_days: Decimal,
}

impl Default for RiskThresholds {
    fn default() -> Self {
        Self { medium_days: Decimal::from(45), high_days: Decimal::from(90) }
    }
}

impl RiskThresholds {
    /// The risk of holding stock for `days`.
    pub fn risk(&self, days: Decimal) -> Risk {
        if days > self.high_days {
            Risk::High
        } else if days > self.medium_days {
            Risk::Medium
        } else {
            Risk::Low
        }
    }
}

/// One way of splitting the purchase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SplitOption {
    /// Number of batches (1 = buy now).
    pub batches: i64,
    /// Units per batch (the last may be smaller).
    pub per_batch: i64,
    /// Unit price of a full batch.
    pub unit_price: Decimal,
    /// Goods + freight over all batches.
    pub total: Decimal,
    /// Extra cost against buying everything now.
    pub extra_cost: Decimal,
    /// Days to sell one batch at the daily rate.
    pub turnover_days: Decimal,
    /// Risk of that turnover.
    pub risk: Risk,
}

/// Daily sales from an offer's monthly sales (monthly / 30), when no better figure is given.
pub fn daily_sales(offer: &Offer) -> Option<Decimal> {
    offer.monthly_sales.filter(|&m| m > 0).map(|m| Decimal::from(m) / Decimal::from(30))
}

/// Buy-now versus 2..=`max_batches` batches of `quantity` units.
pub fn split_options(
    offer: &Offer,
    sku: Option<i64>,
    quantity: i64,
    daily: Decimal,
    max_batches: i64,
    freight: &Freight,
    thresholds: &RiskThresholds,
) -> Result<Vec<SplitOption>, EngineError> {
    if quantity <= 0 {
        return Err(EngineError::BadQuantity { quantity });
    }
    if daily <= Decimal::ZERO {
        return Err(EngineError::BadQuantity { quantity: 0 });
    }
    let mut out: Vec<SplitOption> = Vec::new();
    for k in 1..=max_batches.clamp(1, quantity) {
        let per = (quantity + k - 1) / k;
        let last = quantity - per * (k - 1);
        let full = landed_cost(offer, sku, per, freight)?;
        let tail = if last == per { full.clone() } else { landed_cost(offer, sku, last.max(1), freight)? };
        let total = full.total * Decimal::from(k - 1) + tail.total;
        let turnover = Decimal::from(per) / daily;
        out.push(SplitOption {
            batches: k,
            per_batch: per,
            unit_price: full.unit_price,
            total,
            extra_cost: Decimal::ZERO,
            turnover_days: turnover.round_dp(1),
            risk: thresholds.risk(turnover),
        });
    }
    let now = out[0].total;
    for o in &mut out {
        o.extra_cost = o.total - now;
    }
    Ok(out)
}
