//! Cross-border landed cost: what a quantity costs delivered at the buyer's door abroad, in CNY
//! and in the buyer's currency. On top of the domestic landed cost (goods and the seller's
//! freight to the forwarder): a buying agent's fee on the goods, international freight by
//! chargeable weight (the larger of actual and volumetric weight, from the package's dimensions
//! when the offer gives them) or by volume, import duty on the customs value (goods, domestic and
//! international freight) and import VAT on the customs value plus duty.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::cost::{ExchangeRates, LandedCost};
use crate::error::EngineError;
use crate::model::Offer;

/// How the forwarder charges international freight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum InternationalFreight {
    /// A rate per chargeable kilogram: the larger of actual weight and volumetric weight
    /// (length × width × height in cm ÷ `divisor`; 6,000 for most express and air carriers,
    /// 5,000 for some).
    Kg {
        /// CNY per chargeable kg.
        rate: Decimal,
        /// cm³ per volumetric kg (default 6,000).
        #[serde(default = "default_divisor")]
        divisor: Decimal,
    },
    /// A rate per cubic metre (sea and rail freight).
    CubicMetre {
        /// CNY per m³.
        rate: Decimal,
    },
}

fn default_divisor() -> Decimal {
    Decimal::from(6_000)
}

/// A cross-border buyer's terms: currency, forwarder, duty, VAT and agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CrossBorderTerms {
    /// Dated rates from CNY into the buyer's currency.
    pub rates: ExchangeRates,
    /// International freight.
    pub freight: InternationalFreight,
    /// Import duty, percent of the customs value.
    #[serde(default)]
    pub duty_percent: Decimal,
    /// Import VAT, percent of the customs value plus duty.
    #[serde(default)]
    pub vat_percent: Decimal,
    /// The buying agent's fee, percent of the goods.
    #[serde(default)]
    pub agent_fee_percent: Decimal,
}

/// A quantity's cost delivered abroad.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CrossBorderCost {
    /// Units.
    pub quantity: i64,
    /// Goods, CNY.
    pub goods: Decimal,
    /// The seller's freight to the forwarder, CNY.
    pub domestic_freight: Decimal,
    /// The buying agent's fee, CNY.
    pub agent_fee: Decimal,
    /// Actual weight of the shipment, kg.
    pub actual_kg: Decimal,
    /// Volumetric weight, kg, when the package dimensions are known.
    pub volumetric_kg: Option<Decimal>,
    /// The weight charged (kg freight), or `None` when freight is by volume.
    pub chargeable_kg: Option<Decimal>,
    /// Volume of the shipment, m³, when the package dimensions are known.
    pub volume_m3: Option<Decimal>,
    /// International freight, CNY.
    pub international_freight: Decimal,
    /// Import duty, CNY.
    pub duty: Decimal,
    /// Import VAT, CNY.
    pub vat: Decimal,
    /// Everything, CNY.
    pub total_cny: Decimal,
    /// Everything per unit, CNY.
    pub per_unit_cny: Decimal,
    /// The buyer's currency.
    pub currency: String,
    /// Everything, in the buyer's currency (at the latest rate on or before the date asked).
    pub total: Decimal,
    /// Everything per unit, in the buyer's currency.
    pub per_unit: Decimal,
}

fn percent_of(amount: Decimal, percent: Decimal) -> Result<Decimal, EngineError> {
    amount.checked_mul(percent).map(|x| x / Decimal::ONE_HUNDRED).ok_or(EngineError::Overflow)
}

/// `landed` (a quantity of `offer` bought and shipped to the forwarder) delivered abroad on
/// `terms`, converted at the rate of `on`. Needs the offer's unit weight (and its dimensions for
/// freight by volume).
pub fn cross_border_cost(
    offer: &Offer,
    landed: &LandedCost,
    terms: &CrossBorderTerms,
    on: NaiveDate,
) -> Result<CrossBorderCost, EngineError> {
    let overflow = || EngineError::Overflow;
    let q = Decimal::from(landed.quantity);
    let unit_kg = offer.shipping.weight_kg.ok_or(EngineError::NoShippingData { offer: offer.id, missing: "weight" })?;
    let actual_kg = unit_kg.checked_mul(q).ok_or_else(overflow)?;
    // Dimensions come from the gateway: every product of them is checked.
    let unit_cm3 = match offer.shipping.dimensions_cm {
        Some([l, w, h]) => Some(l.checked_mul(w).and_then(|lw| lw.checked_mul(h)).ok_or_else(overflow)?),
        None => None,
    };
    let shipment_cm3 = unit_cm3.map(|cm3| cm3.checked_mul(q).ok_or_else(overflow)).transpose()?;
    let volume_m3 = shipment_cm3.map(|cm3| cm3 / Decimal::from(1_000_000));
    let (chargeable_kg, volumetric_kg, international_freight) = match &terms.freight {
        InternationalFreight::Kg { rate, divisor } => {
            if *divisor <= Decimal::ZERO {
                return Err(EngineError::NoShippingData { offer: offer.id, missing: "a positive volumetric divisor" });
            }
            let volumetric = shipment_cm3.map(|cm3| cm3 / *divisor);
            let chargeable = volumetric.map_or(actual_kg, |v| v.max(actual_kg));
            (Some(chargeable), volumetric, chargeable.checked_mul(*rate).ok_or_else(overflow)?)
        }
        InternationalFreight::CubicMetre { rate } => {
            let volume =
                volume_m3.ok_or(EngineError::NoShippingData { offer: offer.id, missing: "package dimensions" })?;
            (None, None, volume.checked_mul(*rate).ok_or_else(overflow)?)
        }
    };
    let add = |a: Decimal, b: Decimal| a.checked_add(b).ok_or_else(overflow);
    let agent_fee = percent_of(landed.goods, terms.agent_fee_percent)?;
    let customs_value = add(add(landed.goods, landed.freight)?, international_freight)?;
    let duty = percent_of(customs_value, terms.duty_percent)?;
    let vat = percent_of(add(customs_value, duty)?, terms.vat_percent)?;
    let total_cny = add(add(add(customs_value, agent_fee)?, duty)?, vat)?;
    let per_unit_cny = total_cny / q.max(Decimal::ONE);
    let total = terms.rates.convert(total_cny, on)?;
    Ok(CrossBorderCost {
        quantity: landed.quantity,
        goods: landed.goods,
        domestic_freight: landed.freight,
        agent_fee,
        actual_kg,
        volumetric_kg,
        chargeable_kg,
        volume_m3,
        international_freight,
        duty,
        vat,
        total_cny,
        per_unit_cny,
        currency: terms.rates.currency.clone(),
        total,
        per_unit: total / q.max(Decimal::ONE),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn terms(freight: InternationalFreight) -> CrossBorderTerms {
        CrossBorderTerms {
            rates: ExchangeRates {
                currency: "USD".into(),
                rates: vec![(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), d("0.14"))],
            },
            freight,
            duty_percent: d("10"),
            vat_percent: d("20"),
            agent_fee_percent: d("5"),
        }
    }

    fn landed(quantity: i64, goods: &str, freight: &str) -> LandedCost {
        LandedCost {
            quantity,
            unit_price: d(goods) / Decimal::from(quantity),
            goods: d(goods),
            freight: d(freight),
            total: d(goods) + d(freight),
        }
    }

    #[test]
    fn a_light_bulky_parcel_pays_for_its_volumetric_weight() {
        // 100 pillows, 0.5 kg each in a 40 × 30 × 20 cm bag: 50 kg actual, 400 kg volumetric.
        let mut offer = Offer::new(1, "抱枕");
        offer.shipping.weight_kg = Some(d("0.5"));
        offer.shipping.dimensions_cm = Some([d("40"), d("30"), d("20")]);
        let on = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let air = terms(InternationalFreight::Kg { rate: d("30"), divisor: d("6000") });
        let c = cross_border_cost(&offer, &landed(100, "1000", "50"), &air, on).unwrap();
        assert_eq!((c.actual_kg, c.volumetric_kg, c.chargeable_kg), (d("50.0"), Some(d("400")), Some(d("400"))));
        assert_eq!(c.international_freight, d("12000"));
        // Customs value 1000 + 50 + 12000 = 13050; duty 1305; VAT 20 % of 14355 = 2871; agent 50.
        assert_eq!((c.duty, c.vat, c.agent_fee), (d("1305"), d("2871"), d("50")));
        assert_eq!(c.total_cny, d("17276"));
        assert_eq!(c.per_unit_cny, d("172.76"));
        assert_eq!((c.currency.as_str(), c.total, c.per_unit), ("USD", d("2418.64"), d("24.1864")));
        // By sea the same parcel pays for 2.4 m³.
        let sea = terms(InternationalFreight::CubicMetre { rate: d("800") });
        let c = cross_border_cost(&offer, &landed(100, "1000", "50"), &sea, on).unwrap();
        assert_eq!((c.volume_m3, c.international_freight, c.chargeable_kg), (Some(d("2.4")), d("1920.0"), None));
    }

    #[test]
    fn a_dense_parcel_pays_for_its_actual_weight_and_missing_data_is_named() {
        let mut offer = Offer::new(2, "哑铃");
        offer.shipping.weight_kg = Some(d("5"));
        offer.shipping.dimensions_cm = Some([d("30"), d("10"), d("10")]);
        let on = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let air = terms(InternationalFreight::Kg { rate: d("30"), divisor: d("6000") });
        let c = cross_border_cost(&offer, &landed(10, "500", "20"), &air, on).unwrap();
        assert_eq!((c.actual_kg, c.chargeable_kg), (d("50"), Some(d("50"))), "0.5 kg volumetric each");
        let mut no_size = offer.clone();
        no_size.shipping.dimensions_cm = None;
        let sea = terms(InternationalFreight::CubicMetre { rate: d("800") });
        let e = cross_border_cost(&no_size, &landed(10, "500", "20"), &sea, on).unwrap_err();
        assert_eq!(e.to_string(), "offer 2 does not give its package dimensions, needed for cross-border freight");
        let mut huge = offer.clone();
        huge.shipping.dimensions_cm = Some([Decimal::MAX, Decimal::MAX, d("2")]);
        assert_eq!(cross_border_cost(&huge, &landed(10, "500", "20"), &air, on), Err(EngineError::Overflow));
        let early = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert!(matches!(
            cross_border_cost(&offer, &landed(10, "500", "20"), &air, early),
            Err(EngineError::NoExchangeRate { .. })
        ));
    }
}
