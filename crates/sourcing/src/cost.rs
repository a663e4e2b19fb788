//! Landed cost: goods at the applicable price, freight from a configurable model, optional
//! conversion with dated exchange rates the user supplies. `Decimal` throughout; rounding to
//! cents happens only for display.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::EngineError;
use crate::model::{Offer, QuoteType};

/// How a shipment's freight is charged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FreightModel {
    /// No freight (the seller ships free, or the buyer collects).
    Free,
    /// One fee per shipment.
    Flat {
        /// The fee.
        fee: Decimal,
    },
    /// First weight plus each additional kilogram or part of one (首重 + 续重).
    ByWeight {
        /// Weight covered by the first fee, in kg.
        first_kg: Decimal,
        /// Fee for the first weight.
        first_fee: Decimal,
        /// Fee per additional kg (rounded up to whole kg).
        additional_per_kg: Decimal,
    },
}

/// Freight terms: a model and an optional free-shipping threshold on the goods amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Freight {
    /// How freight is charged below the threshold.
    pub model: FreightModel,
    /// Goods amount from which shipping is free.
    pub free_over: Option<Decimal>,
}

impl Default for Freight {
    fn default() -> Self {
        Self { model: FreightModel::Free, free_over: None }
    }
}

impl Freight {
    /// Freight of one shipment.
    pub fn cost(&self, goods: Decimal, weight_kg: Decimal) -> Decimal {
        if self.free_over.is_some_and(|t| goods >= t) {
            return Decimal::ZERO;
        }
        match &self.model {
            FreightModel::Free => Decimal::ZERO,
            FreightModel::Flat { fee } => *fee,
            FreightModel::ByWeight { first_kg, first_fee, additional_per_kg } => {
                if weight_kg <= *first_kg {
                    *first_fee
                } else {
                    *first_fee + (weight_kg - *first_kg).ceil() * *additional_per_kg
                }
            }
        }
    }
}

/// Dated exchange rates from CNY into one currency, as the user supplies them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ExchangeRates {
    /// Target currency code (`USD`).
    pub currency: String,
    /// (date, units of the target currency per 1 CNY), any order.
    pub rates: Vec<(NaiveDate, Decimal)>,
}

impl ExchangeRates {
    /// Converts a CNY amount with the latest rate on or before `on`.
    pub fn convert(&self, cny: Decimal, on: NaiveDate) -> Result<Decimal, EngineError> {
        let rate = self
            .rates
            .iter()
            .filter(|(d, _)| *d <= on)
            .max_by_key(|(d, _)| *d)
            .map(|(_, r)| *r)
            .ok_or_else(|| EngineError::NoExchangeRate { currency: self.currency.clone(), on })?;
        cny.checked_mul(rate).ok_or(EngineError::Overflow)
    }
}

/// What buying a quantity costs, delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LandedCost {
    /// Units bought.
    pub quantity: i64,
    /// Unit price applied.
    pub unit_price: Decimal,
    /// Goods amount.
    pub goods: Decimal,
    /// Freight.
    pub freight: Decimal,
    /// Goods plus freight.
    pub total: Decimal,
}

impl LandedCost {
    /// Total per unit.
    pub fn per_unit(&self) -> Decimal {
        self.total / Decimal::from(self.quantity.max(1))
    }
}

/// The unit price of `quantity` units of an offer (or of one of its SKUs when the offer is priced
/// per SKU).
pub fn unit_price(offer: &Offer, sku: Option<i64>, quantity: i64) -> Result<Decimal, EngineError> {
    if quantity <= 0 {
        return Err(EngineError::BadQuantity { quantity });
    }
    if let Some(sku_id) = sku
        && offer.quote_type.is_some_and(QuoteType::is_priced_per_sku)
    {
        let sku = offer
            .skus
            .iter()
            .find(|s| s.id == sku_id)
            .ok_or(EngineError::UnknownSku { offer: offer.id, sku: sku_id })?;
        return sku.price.ok_or(EngineError::NoPrice { offer: offer.id });
    }
    if let Some(sku_id) = sku
        && !offer.skus.iter().any(|s| s.id == sku_id)
    {
        return Err(EngineError::UnknownSku { offer: offer.id, sku: sku_id });
    }
    let ladder = offer.ladder.as_ref().ok_or(EngineError::NoPrice { offer: offer.id })?;
    // Below the first tier the first tier's price applies (the MOQ check is separate).
    Ok(ladder.unit_price(quantity).unwrap_or(ladder.tiers()[0].unit_price))
}

/// Landed cost of buying `quantity` units in one shipment.
pub fn landed_cost(
    offer: &Offer,
    sku: Option<i64>,
    quantity: i64,
    freight: &Freight,
) -> Result<LandedCost, EngineError> {
    let unit_price = unit_price(offer, sku, quantity)?;
    let goods = unit_price.checked_mul(Decimal::from(quantity)).ok_or(EngineError::Overflow)?;
    let weight = offer
        .shipping
        .weight_kg
        .unwrap_or_default()
        .checked_mul(Decimal::from(quantity))
        .ok_or(EngineError::Overflow)?;
    let freight = freight.cost(goods, weight);
    Ok(LandedCost { quantity, unit_price, goods, freight, total: goods + freight })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freight_models() {
        let by_weight = Freight {
            model: FreightModel::ByWeight {
                first_kg: Decimal::ONE,
                first_fee: Decimal::from(8),
                additional_per_kg: Decimal::from(3),
            },
            free_over: Some(Decimal::from(500)),
        };
        assert_eq!(by_weight.cost(Decimal::from(100), Decimal::new(5, 1)), Decimal::from(8));
        assert_eq!(by_weight.cost(Decimal::from(100), Decimal::new(21, 1)), Decimal::from(14), "2.1 kg: 8 + 2 × 3");
        assert_eq!(by_weight.cost(Decimal::from(500), Decimal::from(40)), Decimal::ZERO, "free from 500");
    }

    #[test]
    fn dated_rates_use_the_latest_on_or_before() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let usd = ExchangeRates {
            currency: "USD".into(),
            rates: vec![(d("2026-11-01"), Decimal::new(14, 2)), (d("2026-11-20"), Decimal::new(13, 2))],
        };
        assert_eq!(usd.convert(Decimal::from(100), d("2026-11-10")).unwrap(), Decimal::from(14));
        assert_eq!(usd.convert(Decimal::from(100), d("2026-11-21")).unwrap(), Decimal::from(13));
        assert!(matches!(usd.convert(Decimal::ONE, d("2026-10-01")), Err(EngineError::NoExchangeRate { .. })));
    }
}
