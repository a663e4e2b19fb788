//! The one vocabulary of cost. What buying a quantity costs is always told with the same figures
//! ([`CostFigures`]), each with one machine name (the JSON field and the sheet column) and one
//! name a person reads in each language ([`Figure::label`]). The CLI, the workbook, the API, the
//! dashboard and MCP all take their names from here, so a figure cannot be called "unit price" on
//! one surface and mean the landed cost per unit needed on another.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::EngineError;
pub use crate::language::Language;
use crate::quantity::QuantityOption;

/// Where a freight figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FreightSource {
    /// An estimate from the freight model of the sourcing policy (`[sourcing.freight]`): the
    /// platform has not been asked.
    Estimate,
    /// The platform's own order preview for these lines (promotions included).
    Platform,
}

impl FreightSource {
    /// The machine name (as in JSON and in a sheet's `freight_source` column).
    pub fn key(self) -> &'static str {
        match self {
            Self::Estimate => "estimate",
            Self::Platform => "platform",
        }
    }

    /// How the source is said beside a freight figure.
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (Self::Estimate, Language::En) => "estimate",
            (Self::Estimate, Language::Zh) => "估算",
            (Self::Platform, Language::En) => "confirmed by 1688",
            (Self::Platform, Language::Zh) => "1688 已确认",
        }
    }
}

/// A figure of the cost vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Figure {
    /// Units the buyer needs.
    QuantityNeeded,
    /// Units bought (at least the need: a higher tier can cost less in all).
    QuantityBought,
    /// The unit price the ladder (or the SKU) gives at the quantity bought.
    UnitPrice,
    /// Unit price times units bought.
    GoodsTotal,
    /// Freight for the shipment (see [`FreightSource`]).
    Freight,
    /// Goods total plus freight.
    LandedTotal,
    /// Landed total divided by the units bought.
    LandedPerUnitBought,
    /// Landed total divided by the units needed: what comparisons rank by.
    LandedPerUnitNeeded,
}

impl Figure {
    /// Every figure, in the order tables show them.
    pub const ALL: [Figure; 8] = [
        Figure::QuantityNeeded,
        Figure::QuantityBought,
        Figure::UnitPrice,
        Figure::GoodsTotal,
        Figure::Freight,
        Figure::LandedTotal,
        Figure::LandedPerUnitBought,
        Figure::LandedPerUnitNeeded,
    ];

    /// The machine name: the field of [`CostFigures`] in JSON and the column of a sheet.
    pub fn key(self) -> &'static str {
        match self {
            Figure::QuantityNeeded => "quantity_needed",
            Figure::QuantityBought => "quantity_bought",
            Figure::UnitPrice => "unit_price",
            Figure::GoodsTotal => "goods_total",
            Figure::Freight => "freight",
            Figure::LandedTotal => "landed_total",
            Figure::LandedPerUnitBought => "landed_per_unit_bought",
            Figure::LandedPerUnitNeeded => "landed_per_unit_needed",
        }
    }

    /// The name a person reads.
    pub fn label(self, language: Language) -> &'static str {
        match language {
            Language::En => match self {
                Figure::QuantityNeeded => "Units needed",
                Figure::QuantityBought => "Units bought",
                Figure::UnitPrice => "Unit price",
                Figure::GoodsTotal => "Goods total",
                Figure::Freight => "Freight",
                Figure::LandedTotal => "Landed total",
                Figure::LandedPerUnitBought => "Landed per unit bought",
                Figure::LandedPerUnitNeeded => "Landed per unit needed",
            },
            Language::Zh => match self {
                Figure::QuantityNeeded => "需求数量",
                Figure::QuantityBought => "采购数量",
                Figure::UnitPrice => "单价",
                Figure::GoodsTotal => "货款",
                Figure::Freight => "运费",
                Figure::LandedTotal => "到岸总价",
                Figure::LandedPerUnitBought => "到岸单价（按采购数量）",
                Figure::LandedPerUnitNeeded => "到岸单价（按需求数量）",
            },
        }
    }
}

/// What buying a quantity for a need costs, delivered, in the one vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CostFigures {
    /// Units the buyer needs.
    pub quantity_needed: i64,
    /// Units bought (at least the need).
    pub quantity_bought: i64,
    /// Unit price at the quantity bought.
    pub unit_price: Decimal,
    /// Unit price times units bought.
    pub goods_total: Decimal,
    /// Freight for the shipment.
    pub freight: Decimal,
    /// Where the freight comes from: an estimate, or the platform's order preview.
    pub freight_source: FreightSource,
    /// Goods total plus freight.
    pub landed_total: Decimal,
    /// Landed total divided by the units bought.
    pub landed_per_unit_bought: Decimal,
    /// Landed total divided by the units needed (what comparisons rank by).
    pub landed_per_unit_needed: Decimal,
}

impl CostFigures {
    /// The figures of buying `quantity_bought` units at `unit_price` with `goods_total` and
    /// `freight`, for a need of `quantity_needed` units.
    pub fn new(
        quantity_needed: i64,
        quantity_bought: i64,
        unit_price: Decimal,
        goods_total: Decimal,
        freight: Decimal,
        freight_source: FreightSource,
    ) -> Result<Self, EngineError> {
        if quantity_needed <= 0 {
            return Err(EngineError::BadQuantity { quantity: quantity_needed });
        }
        if quantity_bought <= 0 {
            return Err(EngineError::BadQuantity { quantity: quantity_bought });
        }
        let landed_total = goods_total.checked_add(freight).ok_or(EngineError::Overflow)?;
        Ok(Self {
            quantity_needed,
            quantity_bought,
            unit_price,
            goods_total,
            freight,
            freight_source,
            landed_total,
            landed_per_unit_bought: landed_total / Decimal::from(quantity_bought),
            landed_per_unit_needed: landed_total / Decimal::from(quantity_needed),
        })
    }

    /// The figures of a quantity option the optimizer chose for a need of `quantity_needed`,
    /// with estimated freight. Holding cost, which the optimizer weighs in choosing the
    /// quantity, is not part of what is paid and so not of the landed figures.
    pub fn of_option(option: &QuantityOption, quantity_needed: i64) -> Result<Self, EngineError> {
        Self::new(
            quantity_needed,
            option.quantity,
            option.unit_price,
            option.goods,
            option.freight,
            FreightSource::Estimate,
        )
    }

    /// The same purchase as the platform's order preview charges it: its goods (after
    /// promotions) and its freight. The unit price stays the ladder's at the quantity bought.
    pub fn with_platform(&self, goods_total: Decimal, freight: Decimal) -> Result<Self, EngineError> {
        Self::new(
            self.quantity_needed,
            self.quantity_bought,
            self.unit_price,
            goods_total,
            freight,
            FreightSource::Platform,
        )
    }

    /// A figure's value (quantities as whole numbers).
    pub fn value(&self, figure: Figure) -> Decimal {
        match figure {
            Figure::QuantityNeeded => Decimal::from(self.quantity_needed),
            Figure::QuantityBought => Decimal::from(self.quantity_bought),
            Figure::UnitPrice => self.unit_price,
            Figure::GoodsTotal => self.goods_total,
            Figure::Freight => self.freight,
            Figure::LandedTotal => self.landed_total,
            Figure::LandedPerUnitBought => self.landed_per_unit_bought,
            Figure::LandedPerUnitNeeded => self.landed_per_unit_needed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_unit_bought_and_needed_are_the_same_total_divided_two_ways() {
        // The case: 312 bought for a need of 300, ¥2,720.64 goods and ¥7.36 freight.
        let c = CostFigures::new(
            300,
            312,
            "8.72".parse().unwrap(),
            "2720.64".parse().unwrap(),
            "7.36".parse().unwrap(),
            FreightSource::Estimate,
        )
        .unwrap();
        assert_eq!(c.landed_total, Decimal::from(2728));
        assert_eq!(c.landed_per_unit_bought.round_dp(2), "8.74".parse().unwrap());
        assert_eq!(c.landed_per_unit_needed.round_dp(2), "9.09".parse().unwrap());
        let confirmed = c.with_platform(c.goods_total, Decimal::ZERO).unwrap();
        assert_eq!(
            (confirmed.landed_total, confirmed.freight_source),
            ("2720.64".parse().unwrap(), FreightSource::Platform)
        );
    }

    #[test]
    fn every_figure_has_a_distinct_key_matching_its_json_field_and_two_names() {
        let c = CostFigures::new(1, 1, Decimal::ONE, Decimal::ONE, Decimal::ZERO, FreightSource::Estimate).unwrap();
        let json = serde_json::to_value(&c).unwrap();
        let mut keys = std::collections::HashSet::new();
        for f in Figure::ALL {
            assert!(keys.insert(f.key()), "{} twice", f.key());
            assert!(json.get(f.key()).is_some(), "{} is not a field", f.key());
            assert_ne!(f.label(Language::En), f.label(Language::Zh));
        }
        let labels: std::collections::HashSet<_> = Figure::ALL.iter().map(|f| f.label(Language::Zh)).collect();
        assert_eq!(labels.len(), Figure::ALL.len(), "two figures share a Chinese name");
    }

    #[test]
    fn a_freight_sources_key_is_its_json_value() {
        for source in [FreightSource::Estimate, FreightSource::Platform] {
            assert_eq!(serde_json::to_value(source).unwrap(), source.key());
        }
    }

    #[test]
    fn a_quantity_below_one_is_refused() {
        assert!(CostFigures::new(0, 1, Decimal::ONE, Decimal::ONE, Decimal::ZERO, FreightSource::Estimate).is_err());
        assert!(CostFigures::new(1, 0, Decimal::ONE, Decimal::ONE, Decimal::ZERO, FreightSource::Estimate).is_err());
    }
}
