//! How many to buy: the quantity q ≥ max(need, MOQ), a multiple of the batch number, that
//! minimizes landed cost (plus holding cost of the extra units when sales are known).
//!
//! Within one price tier the goods amount grows with q, weight-based freight does not fall and
//! holding cost grows, so the optimum is the smallest feasible q, a tier start above it, or the
//! first q that reaches the free-shipping threshold. Only those candidates are priced, and none
//! above the stock of what is bought (a need the stock cannot meet is an error saying by how much).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::cost::{Freight, landed_cost};
use crate::error::EngineError;
use crate::model::{Offer, QuoteType};
use crate::reasons::QuantityReason;

/// What the buyer needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Need {
    /// Units needed.
    pub quantity: i64,
    /// Expected sales per day (for holding cost).
    pub daily_sales: Option<Decimal>,
    /// Cost of keeping one unit one day.
    pub holding_cost_per_unit_day: Option<Decimal>,
    /// At most this many units above the need (the MOQ may still force more).
    pub max_overstock: Option<i64>,
    /// The variant wanted, by SKU attributes (`容量` → `750ml`): each offer is priced and its
    /// stock read for the one SKU these name (see [`crate::select_sku`]); empty: the offer as a
    /// whole.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub spec: BTreeMap<String, String>,
}

impl Need {
    /// Exactly `quantity` units, no holding cost, no overstock limit.
    pub fn units(quantity: i64) -> Self {
        Self {
            quantity,
            daily_sales: None,
            holding_cost_per_unit_day: None,
            max_overstock: None,
            spec: BTreeMap::new(),
        }
    }
}

/// One priced candidate quantity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QuantityOption {
    /// Units.
    pub quantity: i64,
    /// Unit price at that quantity.
    pub unit_price: Decimal,
    /// Goods amount.
    pub goods: Decimal,
    /// Freight.
    pub freight: Decimal,
    /// Holding cost of the extra units until sold.
    pub holding: Decimal,
    /// Goods + freight + holding.
    pub total: Decimal,
    /// Units above the need.
    pub extra_units: i64,
    /// Saving against buying the smallest feasible quantity (negative: dearer).
    pub saving: Decimal,
}

/// The options table and the recommendation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QuantityAdvice {
    /// Candidates, smallest quantity first.
    pub options: Vec<QuantityOption>,
    /// Index of the recommended option.
    pub recommended: usize,
    /// One English line saying why (`why` rendered).
    pub reason: String,
    /// Why, as figures, for each surface to say in its reader's language (always given; absent
    /// only in reports stored before it existed, which keep their English `reason`).
    #[serde(default)]
    pub why: Option<QuantityReason>,
}

impl QuantityAdvice {
    /// The recommended option.
    pub fn best(&self) -> &QuantityOption {
        &self.options[self.recommended]
    }
}

/// `q` rounded up to a multiple of the batch number; batch numbers come from the gateway, so the
/// arithmetic is checked.
fn round_up_to(q: i64, batch: Option<i64>) -> Result<i64, EngineError> {
    match batch {
        Some(b) if b > 1 => q.checked_add(b - 1).map(|x| x / b * b).ok_or(EngineError::Overflow),
        _ => Ok(q),
    }
}

/// The smallest quantity that can be ordered for a need.
pub fn smallest_order(offer: &Offer, need: i64) -> Result<i64, EngineError> {
    if need <= 0 {
        return Err(EngineError::BadQuantity { quantity: need });
    }
    round_up_to(need.max(offer.moq.unwrap_or(1)), offer.batch_number)
}

fn holding(need: &Need, extra: i64) -> Decimal {
    match (need.daily_sales, need.holding_cost_per_unit_day) {
        (Some(daily), Some(cost)) if daily > Decimal::ZERO && extra > 0 => {
            // The extra units sell off after the need; on average each waits half that time.
            let extra = Decimal::from(extra);
            extra * cost * (extra / daily) / Decimal::TWO
        }
        _ => Decimal::ZERO,
    }
}

/// Prices one quantity for a need.
pub fn price_quantity(
    offer: &Offer,
    sku: Option<i64>,
    need: &Need,
    q: i64,
    freight: &Freight,
) -> Result<QuantityOption, EngineError> {
    let cost = landed_cost(offer, sku, q, freight)?;
    let extra_units = (q - need.quantity).max(0);
    let holding = holding(need, extra_units);
    Ok(QuantityOption {
        quantity: q,
        unit_price: cost.unit_price,
        goods: cost.goods,
        freight: cost.freight,
        holding,
        total: cost.total + holding,
        extra_units,
        saving: Decimal::ZERO,
    })
}

/// The candidate quantities (sorted, unique) for a need.
fn candidates(offer: &Offer, sku: Option<i64>, need: &Need, freight: &Freight) -> Result<Vec<i64>, EngineError> {
    let q0 = smallest_order(offer, need.quantity)?;
    let stock = offer.available(sku);
    if let Some(available) = stock
        && q0 > available
    {
        return Err(EngineError::NotEnoughStock { offer: offer.id, sku, need: need.quantity, order: q0, available });
    }
    let batch = offer.batch_number;
    let mut qs = vec![q0];
    let per_sku = sku.is_some() && offer.quote_type.is_some_and(QuoteType::is_priced_per_sku);
    if !per_sku && let Some(ladder) = &offer.ladder {
        for tier in ladder.tiers() {
            let q = round_up_to(tier.min_qty, batch)?;
            if q > q0 {
                qs.push(q);
            }
        }
    }
    if let Some(threshold) = freight.free_over {
        // In each tier segment, the first quantity whose goods amount reaches the threshold.
        let mut starts: Vec<i64> = qs.clone();
        starts.sort_unstable();
        for (i, &start) in starts.iter().enumerate() {
            let price = crate::cost::unit_price(offer, sku, start)?;
            if price <= Decimal::ZERO {
                continue;
            }
            let q = round_up_to((threshold / price).ceil().try_into().map_err(|_| EngineError::Overflow)?, batch)?
                .max(start);
            let end = starts.get(i + 1).copied().unwrap_or(i64::MAX);
            if q < end {
                qs.push(q);
            }
        }
    }
    if let Some(limit) = need.max_overstock {
        qs.retain(|&q| q == q0 || q - need.quantity <= limit);
    }
    // Never more than is on sale.
    if let Some(available) = stock {
        qs.retain(|&q| q <= available);
    }
    qs.sort_unstable();
    qs.dedup();
    Ok(qs)
}

/// The options table for a need, and the cheapest option (ties go to the smaller quantity). The
/// SKU is `sku`, else the one the need's spec names.
pub fn optimal_quantity(
    offer: &Offer,
    sku: Option<i64>,
    need: &Need,
    freight: &Freight,
) -> Result<QuantityAdvice, EngineError> {
    let sku = match sku {
        Some(id) => Some(id),
        None => crate::sku::select_sku(offer, &need.spec)?,
    };
    let qs = candidates(offer, sku, need, freight)?;
    let mut options =
        qs.into_iter().map(|q| price_quantity(offer, sku, need, q, freight)).collect::<Result<Vec<_>, _>>()?;
    let base = options[0].total;
    for o in &mut options {
        o.saving = base - o.total;
    }
    let recommended =
        options.iter().enumerate().min_by(|a, b| a.1.total.cmp(&b.1.total).then(a.0.cmp(&b.0))).map_or(0, |(i, _)| i);
    let best = &options[recommended];
    let first = &options[0];
    let why = if recommended == 0 {
        if first.quantity > need.quantity {
            QuantityReason::MinimumAboveNeed { buy: first.quantity, need: need.quantity }
        } else {
            QuantityReason::NoLargerCheaper { buy: first.quantity }
        }
    } else if best.freight < first.freight && best.unit_price == first.unit_price {
        QuantityReason::FreeShipping { buy: best.quantity, instead_of: first.quantity, saving: best.saving }
    } else {
        QuantityReason::CheaperTier {
            buy: best.quantity,
            instead_of: first.quantity,
            unit_price: best.unit_price,
            saving: best.saving,
        }
    };
    let reason = why.to_string();
    Ok(QuantityAdvice { options, recommended, reason, why: Some(why) })
}
