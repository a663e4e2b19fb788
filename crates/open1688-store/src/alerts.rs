//! Alert rules and alerts as the store keeps them: price below or above a target at a quantity, a
//! % change since the last check, the lowest price in N days, stock below N, sold out, back in
//! stock, any tier change, a new offer in a keyword's results. How rules are evaluated is the
//! monitor's (`open1688-monitor`); the store only keeps them with their watch.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sourcing::Language;

use crate::alert_event::AlertEvent;

/// One rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
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

/// The largest quantity a rule may read a price at, or a stock threshold (a billion units).
pub const MAX_RULE_UNITS: i64 = 1_000_000_000;
/// The longest `lowest_in_days` window (ten years).
pub const MAX_RULE_DAYS: i64 = 3_650;
/// The largest price target (¥1 billion a unit).
const MAX_RULE_PRICE: i64 = 1_000_000_000;
/// The largest percent change threshold.
const MAX_RULE_PERCENT: i64 = 100_000;

impl AlertRule {
    /// Why this rule's values are out of range (a quantity of 0, a window of 10^8 days, a negative
    /// target), or `None` when they make sense. Values are checked when a watch is stored, so the
    /// monitor never meets one it cannot compute with.
    pub fn out_of_range(&self) -> Option<String> {
        let quantity = |q: i64| {
            (!(1..=MAX_RULE_UNITS).contains(&q)).then(|| format!("quantity {q} is outside 1..={MAX_RULE_UNITS}"))
        };
        let price = |p: Decimal| {
            (p <= Decimal::ZERO || p > Decimal::from(MAX_RULE_PRICE))
                .then(|| format!("target {p} is outside 0 (exclusive) to {MAX_RULE_PRICE}"))
        };
        match self {
            Self::PriceBelow { quantity: q, target } | Self::PriceAbove { quantity: q, target } => {
                quantity(*q).or_else(|| price(*target))
            }
            Self::PercentChange { quantity: q, percent } => quantity(*q).or_else(|| {
                (*percent <= Decimal::ZERO || *percent > Decimal::from(MAX_RULE_PERCENT))
                    .then(|| format!("percent {percent} is outside 0 (exclusive) to {MAX_RULE_PERCENT}"))
            }),
            Self::LowestInDays { quantity: q, days } => quantity(*q).or_else(|| {
                (!(1..=MAX_RULE_DAYS).contains(days)).then(|| format!("days {days} is outside 1..={MAX_RULE_DAYS}"))
            }),
            Self::StockBelow { units } => (!(1..=MAX_RULE_UNITS).contains(units))
                .then(|| format!("units {units} is outside 1..={MAX_RULE_UNITS}")),
            Self::SoldOut | Self::BackInStock | Self::AnyTierChange | Self::NewOffer => None,
        }
    }

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Alert {
    /// The offer.
    pub offer_id: i64,
    /// When (the snapshot's time).
    pub at: DateTime<Utc>,
    /// The rule, as its TOML kind.
    pub rule: String,
    /// What happened, in English words (the rendering of `event`, kept for programs that read
    /// it; alerts stored before events were kept have only this).
    pub message: String,
    /// The platform's order id, for an alert about an order (which no watch raised).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<i64>,
    /// What happened, as data: each surface says it in its reader's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<AlertEvent>,
}

impl Alert {
    /// An alert about `offer_id` at `at` raised by `rule`, its message the event in English.
    pub fn of(offer_id: i64, at: DateTime<Utc>, rule: impl Into<String>, event: AlertEvent) -> Self {
        Self {
            offer_id,
            at,
            rule: rule.into(),
            message: event.render(Language::En),
            order_id: None,
            event: Some(event),
        }
    }

    /// What happened, in `language` (the stored English message for an alert kept without its
    /// event).
    pub fn text(&self, language: Language) -> String {
        self.event.as_ref().map_or_else(|| self.message.clone(), |e| e.render(language))
    }

    /// Names the product the alert is about, in its event and its message.
    pub fn name_product(&mut self, title: &str) {
        if let Some(event) = &mut self.event
            && !title.trim().is_empty()
        {
            event.product = Some(title.trim().to_owned());
            self.message = event.render(Language::En);
        }
    }
}

impl AlertRule {
    /// The rule's kind as written in rule files and shown in lists (`price_below`, `sold_out`).
    pub fn name(&self) -> String {
        serde_json::to_value(self).ok().and_then(|v| v["kind"].as_str().map(str::to_owned)).unwrap_or_default()
    }
}
