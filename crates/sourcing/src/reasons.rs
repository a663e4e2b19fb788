//! Why the engine decided what it did, as figures: the quantity's reason and what each plan
//! violation asks for (the pick's reason is [`crate::decision::PickReason`]). Each renders itself in a [`Language`] (every language in
//! one exhaustive `match`, so a missing translation does not compile); `Display` is the English
//! sentence the CLI, the workbook and the JSON `reason` fields carry.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::language::Language;
use crate::plan::Violation;
use crate::scorecard::Action;

/// Money in a sentence: two decimals.
pub fn yuan(amount: Decimal) -> String {
    format!("¥{:.2}", amount.round_dp(2))
}

/// What a band's action advises, in `language`.
pub fn action_name(action: Action, language: Language) -> &'static str {
    match (language, action) {
        (Language::En, Action::Prefer) => "prefer",
        (Language::En, Action::Accept) => "accept",
        (Language::En, Action::Warn) => "warn",
        (Language::En, Action::Block) => "block",
        (Language::Zh, Action::Prefer) => "优先采购",
        (Language::Zh, Action::Accept) => "可以采购",
        (Language::Zh, Action::Warn) => "谨慎采购",
        (Language::Zh, Action::Block) => "不建议采购",
    }
}

/// Why the recommended quantity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuantityReason {
    /// The least that can be ordered (MOQ or batch) is above the need.
    MinimumAboveNeed {
        /// Units to buy.
        buy: i64,
        /// Units needed.
        need: i64,
    },
    /// No larger quantity costs less in all.
    NoLargerCheaper {
        /// Units to buy.
        buy: i64,
    },
    /// Buying more reaches free shipping and costs less in all.
    FreeShipping {
        /// Units to buy.
        buy: i64,
        /// The quantity it replaces.
        instead_of: i64,
        /// What it saves in all.
        saving: Decimal,
    },
    /// Buying more reaches a cheaper tier and costs less in all.
    CheaperTier {
        /// Units to buy.
        buy: i64,
        /// The quantity it replaces.
        instead_of: i64,
        /// The tier's unit price.
        unit_price: Decimal,
        /// What it saves in all.
        saving: Decimal,
    },
}

impl QuantityReason {
    /// The sentence in `language`.
    pub fn render(&self, language: Language) -> String {
        match (language, self) {
            (Language::En, Self::MinimumAboveNeed { buy, need }) => {
                format!("buy {buy}: the minimum order (MOQ or batch) is above the need of {need}")
            }
            (Language::Zh, Self::MinimumAboveNeed { buy, need }) => {
                format!("买 {buy} 件：起订量或批量高于需求的 {need} 件")
            }
            (Language::En, Self::NoLargerCheaper { buy }) => {
                format!("buy {buy}: no larger quantity costs less in total")
            }
            (Language::Zh, Self::NoLargerCheaper { buy }) => format!("买 {buy} 件：多买不会更省"),
            (Language::En, Self::FreeShipping { buy, instead_of, saving }) => format!(
                "buy {buy} instead of {instead_of}: free shipping from that amount makes it {} cheaper in total",
                saving.round_dp(2)
            ),
            (Language::Zh, Self::FreeShipping { buy, instead_of, saving }) => {
                format!("买 {buy} 件而不是 {instead_of} 件：达到包邮金额，总价省 {}", yuan(*saving))
            }
            (Language::En, Self::CheaperTier { buy, instead_of, unit_price, saving }) => format!(
                "buy {buy} instead of {instead_of}: the ¥{} tier makes {buy} units {} cheaper in total",
                unit_price.round_dp(2),
                saving.round_dp(2)
            ),
            (Language::Zh, Self::CheaperTier { buy, instead_of, unit_price, saving }) => format!(
                "买 {buy} 件而不是 {instead_of} 件：{} 的阶梯价让 {buy} 件总价省 {}",
                yuan(*unit_price),
                yuan(*saving)
            ),
        }
    }
}

impl std::fmt::Display for QuantityReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Language::En))
    }
}

impl Violation {
    /// What to do about it, in `language` (the English is its `Display`).
    pub fn render(&self, language: Language) -> String {
        match (language, self) {
            (Language::En, Violation::BelowMoq { offer_id, quantity, moq, add_units }) => {
                format!("offer {offer_id}: {quantity} below MOQ {moq}, add {add_units}")
            }
            (Language::Zh, Violation::BelowMoq { offer_id, quantity, moq, add_units }) => {
                format!("商品 {offer_id}：{quantity} 件低于起订量 {moq}，需再加 {add_units} 件")
            }
            (Language::En, Violation::NotBatchMultiple { offer_id, quantity, batch, add_units }) => {
                format!("offer {offer_id}: {quantity} not a multiple of {batch}, add {add_units}")
            }
            (Language::Zh, Violation::NotBatchMultiple { offer_id, quantity, batch, add_units }) => {
                format!("商品 {offer_id}：{quantity} 件不是 {batch} 的倍数，需再加 {add_units} 件")
            }
            (Language::En, Violation::OverStock { offer_id, sku_id, quantity, stock, remove_units }) => {
                let what =
                    sku_id.map_or_else(|| format!("offer {offer_id}"), |sku| format!("offer {offer_id} SKU {sku}"));
                format!("{what}: {quantity} exceeds the {stock} in stock, remove {remove_units} and buy them elsewhere")
            }
            (Language::Zh, Violation::OverStock { offer_id, sku_id, quantity, stock, remove_units }) => {
                let what =
                    sku_id.map_or_else(|| format!("商品 {offer_id}"), |sku| format!("商品 {offer_id} 的 SKU {sku}"));
                format!("{what}：{quantity} 件超过库存 {stock} 件，请减少 {remove_units} 件并从别处采购")
            }
            (Language::En, Violation::MixMinimum { top_up_offer, top_up_units, top_up_cost, .. }) => format!(
                "mixed batch below the seller's minimum: add {top_up_units} of offer {top_up_offer} (¥{})",
                top_up_cost.round_dp(2)
            ),
            (Language::Zh, Violation::MixMinimum { top_up_offer, top_up_units, top_up_cost, .. }) => {
                format!("混批未达卖家起批要求：商品 {top_up_offer} 再加 {top_up_units} 件（{}）", yuan(*top_up_cost))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decision::{PickReason, Strategy};

    fn han(text: &str) -> bool {
        text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_sentence_reads_in_both_languages_with_its_figures() {
        let pick = PickReason {
            strategy: Strategy::Balanced,
            landed_per_unit_needed: Decimal::new(906, 2),
            need: 300,
            premium_percent: Decimal::from(5),
            action: Action::Accept,
            risk_adjusted: Decimal::new(9513, 3),
            dearer_than_cheapest: Some(Decimal::new(40, 2)),
        };
        assert_eq!(
            pick.to_string(),
            "lowest risk-adjusted cost (balanced strategy): ¥9.06 landed per unit needed (300 units), +5% for a \
             supplier whose band says accept = ¥9.51; ¥0.40 a unit dearer than the cheapest unblocked offer, for a \
             safer supplier"
        );
        let zh = pick.render(Language::Zh);
        assert!(han(&zh) && zh.contains("¥9.06") && zh.contains("300") && zh.contains("¥0.40"), "{zh}");
        let quantities = [
            QuantityReason::MinimumAboveNeed { buy: 312, need: 300 },
            QuantityReason::NoLargerCheaper { buy: 300 },
            QuantityReason::FreeShipping { buy: 350, instead_of: 300, saving: Decimal::new(1250, 2) },
            QuantityReason::CheaperTier {
                buy: 500,
                instead_of: 300,
                unit_price: Decimal::new(795, 2),
                saving: Decimal::new(37, 0),
            },
        ];
        for q in &quantities {
            let (en, zh) = (q.render(Language::En), q.render(Language::Zh));
            assert!(!han(&en) && han(&zh), "{en} / {zh}");
            assert_eq!(en, q.to_string());
        }
        let violations = [
            Violation::BelowMoq { offer_id: 7, quantity: 2, moq: 10, add_units: 8 },
            Violation::NotBatchMultiple { offer_id: 7, quantity: 13, batch: 12, add_units: 11 },
            Violation::OverStock { offer_id: 7, sku_id: Some(9), quantity: 600, stock: 518, remove_units: 82 },
            Violation::MixMinimum {
                amount: Decimal::from(100),
                min_amount: Some(Decimal::from(300)),
                pieces: 10,
                min_pieces: None,
                top_up_offer: 8,
                top_up_sku: None,
                top_up_units: 20,
                top_up_cost: Decimal::from(200),
            },
        ];
        for v in &violations {
            let (en, zh) = (v.render(Language::En), v.render(Language::Zh));
            assert!(!han(&en) && han(&zh), "{en} / {zh}");
            assert_eq!(en, v.to_string());
        }
        assert!(violations[2].render(Language::Zh).contains("82"));
    }
}
