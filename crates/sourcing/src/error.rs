//! Errors of the decision engine: bad input, said plainly, with the offer or line it concerns.

use chrono::NaiveDate;

/// Why a decision could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// A quantity of zero or less.
    #[error("quantity must be at least 1, got {quantity}")]
    BadQuantity {
        /// The quantity given.
        quantity: i64,
    },
    /// The offer carries no price (no ladder, no SKU price).
    #[error("offer {offer} has no price to buy at")]
    NoPrice {
        /// The offer.
        offer: i64,
    },
    /// A SKU id that the offer does not have.
    #[error("offer {offer} has no SKU {sku}")]
    UnknownSku {
        /// The offer.
        offer: i64,
        /// The SKU asked for.
        sku: i64,
    },
    /// SKU attributes that no SKU of the offer has.
    #[error("offer {offer} has no SKU {spec}; its SKUs: {choices}")]
    NoSuchSku {
        /// The offer.
        offer: i64,
        /// The attributes asked for (`颜色=黑色`).
        spec: String,
        /// The SKUs there are, by their attributes.
        choices: String,
    },
    /// SKU attributes that several SKUs share.
    #[error("offer {offer}: {spec} matches {count} SKUs ({choices}); name more attributes")]
    AmbiguousSku {
        /// The offer.
        offer: i64,
        /// The attributes asked for.
        spec: String,
        /// How many SKUs match.
        count: usize,
        /// The matching SKUs, by their attributes.
        choices: String,
    },
    /// A plan line names an offer that was not supplied.
    #[error("plan line {line}: offer {offer} was not supplied")]
    UnknownOffer {
        /// Line number (1-based).
        line: usize,
        /// The offer.
        offer: i64,
    },
    /// A plan line that contradicts itself.
    #[error("plan line {line} {reason}")]
    BadLine {
        /// Line number (1-based).
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The need (raised to the MOQ and batch) is more than what is bought has in stock.
    #[error("{}", not_enough_stock(*offer, *sku, *need, *order, *available))]
    NotEnoughStock {
        /// The offer.
        offer: i64,
        /// The SKU, when one was named.
        sku: Option<i64>,
        /// Units needed.
        need: i64,
        /// The smallest quantity that can be ordered for the need (MOQ and batch applied).
        order: i64,
        /// Units in stock.
        available: i64,
    },
    /// The offer lacks what cross-border freight is computed from.
    #[error("offer {offer} does not give its {missing}, needed for cross-border freight")]
    NoShippingData {
        /// The offer.
        offer: i64,
        /// What is missing (`weight`, `package dimensions`).
        missing: &'static str,
    },
    /// No allocation of the need over the offers given exists.
    #[error("no way to buy {need} units from these offers: {reason}")]
    CannotAllocate {
        /// Units needed.
        need: i64,
        /// Why (stock in all, MOQs and batches, the limits set).
        reason: String,
    },
    /// The allocation contradicts itself; a bug to report, not something a retry fixes.
    #[error("the allocation went wrong: {reason}")]
    Solver {
        /// What the solver said.
        reason: String,
    },
    /// A number too large for exact arithmetic.
    #[error("amount overflow: the quantities or prices are too large")]
    Overflow,
    /// No exchange rate on or before the date.
    #[error("no {currency} exchange rate on or before {on}")]
    NoExchangeRate {
        /// Target currency.
        currency: String,
        /// The date asked for.
        on: NaiveDate,
    },
    /// A scorecard whose weights do not sum to 100, or another definition problem.
    #[error("scorecard {name}: {reason}")]
    BadScorecard {
        /// The scorecard.
        name: String,
        /// What is wrong.
        reason: String,
    },
}

fn not_enough_stock(offer: i64, sku: Option<i64>, need: i64, order: i64, available: i64) -> String {
    let what = match sku {
        Some(sku) => format!("offer {offer} SKU {sku}"),
        None => format!("offer {offer}"),
    };
    let wanted = if order > need {
        format!("{order} (the need of {need}, raised to the MOQ or batch)")
    } else {
        need.to_string()
    };
    format!(
        "{what} has {available} in stock, {wanted} wanted: {} short; split the need across offers or lower it",
        order.saturating_sub(available)
    )
}
