//! Alert rules and alerts as the store keeps them: price below or above a target at a quantity, a
//! % change since the last check, the lowest price in N days, stock below N, sold out, back in
//! stock, any tier change, a new offer in a keyword's results. How rules are evaluated is the
//! monitor's (`open1688-monitor`); the store only keeps them with their watch.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AlertRule {
    /// The unit price at `quantity` falls below `target`.
    PriceBelow {
        /// Quantity the price is read at.
        quantity: i64,
        /// Target price.
        target: Decimal,
    },
    /// The unit price at `quantity` rises above `target`.
    PriceAbove {
        /// Quantity the price is read at.
        quantity: i64,
        /// Target price.
        target: Decimal,
    },
    /// The unit price at `quantity` moved by at least `percent` % since the last check.
    PercentChange {
        /// Quantity the price is read at.
        quantity: i64,
        /// Threshold in percent.
        percent: Decimal,
    },
    /// The unit price at `quantity` is the lowest of the last `days` days.
    LowestInDays {
        /// Quantity the price is read at.
        quantity: i64,
        /// Window in days.
        days: i64,
    },
    /// Total stock falls below `units`.
    StockBelow {
        /// Threshold.
        units: i64,
    },
    /// Nothing can be bought any more.
    SoldOut,
    /// Stock came back.
    BackInStock,
    /// Any tier's price changed, or a tier appeared or vanished.
    AnyTierChange,
    /// A new offer entered a keyword's results (keyword watches only).
    NewOffer,
}

impl AlertRule {
    /// Why this rule cannot apply to a keyword watch (search results carry no stock and no
    /// per-offer history), or to an offer watch; `None` when it can.
    pub fn unsupported_for(&self, keyword_watch: bool) -> Option<&'static str> {
        match self {
            Self::LowestInDays { .. } if keyword_watch => Some("needs an offer watch (it reads the offer's history)"),
            Self::StockBelow { .. } | Self::SoldOut | Self::BackInStock if keyword_watch => {
                Some("needs an offer watch (search results report no stock)")
            }
            Self::NewOffer if !keyword_watch => Some("needs a keyword watch (it compares search results)"),
            _ => None,
        }
    }
}

/// A raised alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    /// The offer.
    pub offer_id: i64,
    /// When (the snapshot's time).
    pub at: DateTime<Utc>,
    /// The rule, as its TOML kind.
    pub rule: String,
    /// What happened, in words.
    pub message: String,
}

impl AlertRule {
    /// The rule's kind as written in rule files and shown in lists (`price_below`, `sold_out`).
    pub fn name(&self) -> String {
        serde_json::to_value(self).ok().and_then(|v| v["kind"].as_str().map(str::to_owned)).unwrap_or_default()
    }
}
