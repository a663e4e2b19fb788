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
    /// A plan line names an offer that was not supplied.
    #[error("plan line {line}: offer {offer} was not supplied")]
    UnknownOffer {
        /// Line number (1-based).
        line: usize,
        /// The offer.
        offer: i64,
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
