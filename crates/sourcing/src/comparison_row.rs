//! One row of a comparison: a candidate priced for the need and scored. Below both the
//! comparison that makes rows and the decision that picks among them.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::figures::CostFigures;
use crate::scorecard::Action;

/// One compared candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ComparisonRow {
    /// Offer.
    pub offer_id: i64,
    /// The SKU priced, when the need names a variant.
    pub sku_id: Option<i64>,
    /// Supplier company or key.
    pub supplier: String,
    /// What buying the quantity the optimizer chose for the need costs, in the one vocabulary.
    pub cost: CostFigures,
    /// Supplier score.
    pub score: Decimal,
    /// The scorecard's action for that score.
    pub action: Action,
    /// 1 = cheapest per unit.
    pub cost_rank: usize,
    /// 1 = best supplier score.
    pub score_rank: usize,
    /// No other candidate is both cheaper and better scored.
    pub pareto: bool,
}
