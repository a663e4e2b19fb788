//! The sourcing policy: every default and tolerance a job decides with, in one documented place,
//! loadable from the `[sourcing]` table of the config file.

use crate::field_refusal::FieldRefusal;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use sourcing::{CrossBorderTerms, DecisionPolicy, Freight, FreightModel, InternationalFreight, RiskPremiums, Strategy};

use crate::error::JobError;

/// The assumptions and tolerances behind every job's decisions. The defaults are what the CLI
/// has always used; a team can set its own in the config file:
///
/// ```toml
/// [sourcing]
/// strategy = "safest"
/// source_candidates = 50
/// risk_premiums.balanced = { warn = "20", accept = "5", prefer = "0" }
/// freight = { model = { kind = "flat", fee = "12" }, free_over = "500" }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SourcingPolicy {
    /// Freight assumed for each supplier's shipment (offers do not state it): by default ¥8 for
    /// the first kg and ¥3 each further kg, the domestic express rates 1688 sellers quote.
    pub freight: Freight,
    /// How the pick trades price for supplier safety: `cheapest`, `balanced` (default) or
    /// `safest` (see [`sourcing::decision`]); a request may ask for another.
    pub strategy: Strategy,
    /// A team's own risk premiums (percent of landed cost, by band action) for a strategy,
    /// replacing its documented ones.
    pub risk_premiums: BTreeMap<Strategy, RiskPremiums>,
    /// Title similarity (0–1) above which two listings count as the same item (default 0.35).
    pub same_item_threshold: f64,
    /// Offers whose details the `source` job reads (default 30, at most 50: one search page).
    pub source_candidates: usize,
    /// Candidates `compare` reads for a keyword or around an offer (default 40).
    pub compare_candidates: usize,
    /// Offer details in flight at once; the rate limiter still paces them (default 8).
    pub detail_concurrency: usize,
    /// Bins of the market report's price histogram, table and chart alike (default 10).
    pub histogram_bins: usize,
    /// Suppliers listed in the market report's top lists (default 10).
    pub top_suppliers: usize,
    /// Hours a supplier's profile (its listing and detail, read once) is kept before it is read
    /// again (default 24).
    pub supplier_profile_max_age_hours: u32,
    /// The scorecard preset or TOML file that scores suppliers (default `default`).
    pub scorecard: String,
    /// A cross-border buyer's terms (currency with dated rates, forwarder, duty, VAT, agent fee);
    /// with them, quotes also give the cost delivered abroad. None by default.
    pub cross_border: Option<CrossBorderTerms>,
}

impl Default for SourcingPolicy {
    fn default() -> Self {
        Self {
            freight: Freight {
                model: FreightModel::ByWeight {
                    first_kg: Decimal::ONE,
                    first_fee: Decimal::from(8),
                    additional_per_kg: Decimal::from(3),
                },
                free_over: None,
            },
            strategy: Strategy::default(),
            risk_premiums: BTreeMap::new(),
            same_item_threshold: 0.35,
            source_candidates: 30,
            compare_candidates: 40,
            detail_concurrency: 8,
            histogram_bins: 10,
            top_suppliers: 10,
            supplier_profile_max_age_hours: 24,
            scorecard: "default".into(),
            cross_border: None,
        }
    }
}

impl SourcingPolicy {
    /// The decision policy for `strategy` (the configured one when `None`), with the team's
    /// premiums for it when set.
    pub fn decision_policy(&self, strategy: Option<Strategy>) -> DecisionPolicy {
        let strategy = strategy.unwrap_or(self.strategy);
        let premiums = self.risk_premiums.get(&strategy).cloned().unwrap_or_else(|| RiskPremiums::of(strategy));
        DecisionPolicy { strategy, premiums }
    }

    /// Checks the values are usable; the error names the field (`sourcing.…`).
    pub fn validate(&self) -> Result<(), JobError> {
        if let Some(terms) = &self.cross_border {
            let percents = [
                ("duty_percent", terms.duty_percent),
                ("vat_percent", terms.vat_percent),
                ("agent_fee_percent", terms.agent_fee_percent),
            ];
            for (name, value) in percents {
                if value.is_sign_negative() || value > Decimal::from(1_000) {
                    let field = format!("sourcing.cross_border.{name}");
                    return Err(JobError::invalid(
                        field.clone(),
                        format!("{field} must be 0 to 1000 (percent), got {value}"),
                    ));
                }
            }
            let (rate, divisor) = match &terms.freight {
                InternationalFreight::Kg { rate, divisor } => (*rate, *divisor),
                InternationalFreight::CubicMetre { rate } => (*rate, Decimal::ONE),
            };
            if rate.is_sign_negative() || divisor <= Decimal::ZERO {
                return Err(JobError::invalid(
                    "sourcing.cross_border.freight",
                    "sourcing.cross_border.freight needs a rate of 0 or more (and a positive divisor)",
                ));
            }
            if terms.rates.rates.is_empty() || terms.rates.rates.iter().any(|(_, r)| *r <= Decimal::ZERO) {
                return Err(JobError::invalid(
                    "sourcing.cross_border.rates",
                    "sourcing.cross_border.rates needs at least one dated rate, each above 0",
                ));
            }
        }
        for (strategy, premiums) in &self.risk_premiums {
            for (name, value) in [("warn", premiums.warn), ("accept", premiums.accept), ("prefer", premiums.prefer)] {
                if value.is_sign_negative() || value > Decimal::from(1_000) {
                    let field = format!("sourcing.risk_premiums.{}.{name}", strategy.name());
                    return Err(JobError::invalid(
                        field.clone(),
                        format!("{field} must be 0 to 1000 (percent), got {value}"),
                    ));
                }
            }
        }
        if !(0.0..=1.0).contains(&self.same_item_threshold) {
            return Err(JobError::invalid(
                "sourcing.same_item_threshold",
                format!("sourcing.same_item_threshold must be between 0 and 1, got {}", self.same_item_threshold),
            ));
        }
        for (name, value, max) in [
            ("source_candidates", self.source_candidates, 50),
            ("compare_candidates", self.compare_candidates, 2_000),
            ("detail_concurrency", self.detail_concurrency, 64),
            ("histogram_bins", self.histogram_bins, 200),
            ("top_suppliers", self.top_suppliers, 1_000),
        ] {
            if value == 0 || value > max {
                return Err(JobError::refused(format!("sourcing.{name}"), FieldRefusal::between(1, max, value)));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partial_table_keeps_the_other_defaults_and_bad_values_are_named() {
        let policy: SourcingPolicy = toml::from_str(
            "strategy = \"safest\"\nsource_candidates = 20\nrisk_premiums.balanced = { warn = \"20\", accept = \"5\", prefer = \"0\" }",
        )
        .unwrap();
        assert_eq!(policy.decision_policy(None), DecisionPolicy::of(Strategy::Safest));
        assert_eq!(policy.decision_policy(Some(Strategy::Balanced)).premiums.warn, Decimal::from(20));
        assert_eq!(policy.source_candidates, 20);
        assert_eq!(policy.freight, SourcingPolicy::default().freight);
        assert!(policy.validate().is_ok());
        let bad = SourcingPolicy { same_item_threshold: 2.0, ..SourcingPolicy::default() };
        assert!(
            matches!(bad.validate(), Err(JobError::Invalid { field, .. }) if field == "sourcing.same_item_threshold")
        );
        assert!(toml::from_str::<SourcingPolicy>("tolerance = 3").is_err(), "unknown keys are refused");
    }
}
