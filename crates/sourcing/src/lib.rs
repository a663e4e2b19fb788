//! The open1688 domain model and decision engine. Pure: no IO, no async.
//!
//! ```
//! use rust_decimal::Decimal;
//! use sourcing::PriceLadder;
//!
//! let ladder = PriceLadder::parse("1-9件:¥10.00;10-99件:¥8.50;100件以上:¥7.20").unwrap();
//! assert_eq!(ladder.unit_price(50), Some(Decimal::new(850, 2)));
//! assert_eq!(ladder.unit_price(500), Some(Decimal::new(720, 2)));
//! ```

pub mod allocation;
pub mod batches;
pub mod compare;
pub mod comparison_row;
pub mod cost;
pub mod criterion_names;
pub mod cross_border;
pub mod decision;
pub mod error;
pub mod figures;
pub mod ladder;
pub mod language;
pub mod market;
pub mod model;
pub mod normalize;
pub mod plan;
pub mod quantity;
pub mod reasons;
pub mod same_item;
pub mod scorecard;
pub mod sku;
pub mod standard;
pub mod trend;

pub use allocation::{Allocation, AllocationRequest, Source, allocate};
pub use batches::{Risk, RiskThresholds, SplitOption, split_options};
pub use compare::{
    Candidate, Comparison, ComparisonRow, Excluded, Filters, Ranking, Recommendation, compare, rank, recommend,
};
pub use cost::{ExchangeRates, Freight, FreightModel, LandedCost, landed_cost};
pub use criterion_names::{band_name, criterion_name};
pub use cross_border::{CrossBorderCost, CrossBorderTerms, InternationalFreight, cross_border_cost};
pub use decision::{Decision, DecisionPolicy, PickReason, RiskPremiums, RunnerUp, Strategy, decide};
pub use error::EngineError;
pub use figures::{CostFigures, Figure, FreightSource, Language};
pub use ladder::{LadderError, PriceLadder, Tier};
pub use market::{Distribution, MarketReport, PricePoint, market_report, percent_change};
pub use model::{Offer, OfferSummary, QuoteType, Sku, Supplier};
pub use normalize::{
    NormalizeError, offer_from_detail, summary_from_search_item, supplier_from_account, supplier_from_detail,
};
pub use plan::{PlanLine, PlanOptions, PurchasePlan, Violation, plan};
pub use quantity::{Need, QuantityAdvice, QuantityOption, optimal_quantity};
pub use reasons::QuantityReason;
pub use same_item::{SameItemEvidence, SameItemRule, SameItemVerdict, judge as judge_same_item};
pub use scorecard::{Action, ScoreReport, Scorecard};
pub use sku::{select_sku, sku_for};
pub use standard::{Measure, SpecRules, SpecRulesError, StandardAttribute};
pub use trend::{Direction, Observation, Timing, Trend, trend};
