//! A watch's rules said in the reader's language: the threshold in words (`100 件单价低于 ¥9.00`),
//! not the rule's kind as stored (`price_below`). Every language is in one exhaustive `match`, so
//! a missing translation does not compile.

use open1688_store::AlertRule;
use sourcing::Language;

use super::comparison::yuan;

/// What `rule` alerts on, as a phrase in `language`.
pub fn rule_words(rule: &AlertRule, language: Language) -> String {
    use Language::{En, Zh};
    match (language, rule) {
        (En, AlertRule::PriceBelow { quantity, target }) => {
            format!("price at {quantity} units below {}", yuan(*target))
        }
        (Zh, AlertRule::PriceBelow { quantity, target }) => format!("{quantity} 件单价低于 {}", yuan(*target)),
        (En, AlertRule::PriceAbove { quantity, target }) => {
            format!("price at {quantity} units above {}", yuan(*target))
        }
        (Zh, AlertRule::PriceAbove { quantity, target }) => format!("{quantity} 件单价高于 {}", yuan(*target)),
        (En, AlertRule::PercentChange { quantity, percent }) => {
            format!("price at {quantity} units moves {}% or more", percent.normalize())
        }
        (Zh, AlertRule::PercentChange { quantity, percent }) => {
            format!("{quantity} 件单价变动 {}% 以上", percent.normalize())
        }
        (En, AlertRule::LowestInDays { quantity, days }) => format!("price at {quantity} units lowest in {days} days"),
        (Zh, AlertRule::LowestInDays { quantity, days }) => format!("{quantity} 件单价创 {days} 天新低"),
        (En, AlertRule::StockBelow { units }) => format!("stock below {units}"),
        (Zh, AlertRule::StockBelow { units }) => format!("库存低于 {units} 件"),
        (En, AlertRule::SoldOut) => "sold out".to_owned(),
        (Zh, AlertRule::SoldOut) => "售罄".to_owned(),
        (En, AlertRule::BackInStock) => "back in stock".to_owned(),
        (Zh, AlertRule::BackInStock) => "补货".to_owned(),
        (En, AlertRule::AnyTierChange) => "any tier price changes".to_owned(),
        (Zh, AlertRule::AnyTierChange) => "任一阶梯价变动".to_owned(),
        (En, AlertRule::NewOffer) => "a new offer in the results".to_owned(),
        (Zh, AlertRule::NewOffer) => "新商品进入搜索结果".to_owned(),
    }
}

/// The kind of rule a stored alert names (`price_below`, or `order_status` for an order's), in
/// `language`; an unknown kind as stored.
pub fn rule_kind(kind: &str, language: Language) -> String {
    let words = match (language, kind) {
        (Language::En, "price_below") => "below target",
        (Language::En, "price_above") => "above target",
        (Language::En, "percent_change") => "price move",
        (Language::En, "lowest_in_days") => "lowest price",
        (Language::En, "stock_below") => "low stock",
        (Language::En, "sold_out") => "sold out",
        (Language::En, "back_in_stock") => "back in stock",
        (Language::En, "any_tier_change") => "tier change",
        (Language::En, "new_offer") => "new offer",
        (Language::En, "order_status") => "order status",
        (Language::En, "order_stuck") => "order waiting",
        (Language::Zh, "price_below") => "低于目标价",
        (Language::Zh, "price_above") => "高于目标价",
        (Language::Zh, "percent_change") => "价格变动",
        (Language::Zh, "lowest_in_days") => "价格新低",
        (Language::Zh, "stock_below") => "库存不足",
        (Language::Zh, "sold_out") => "售罄",
        (Language::Zh, "back_in_stock") => "补货",
        (Language::Zh, "any_tier_change") => "阶梯价变动",
        (Language::Zh, "new_offer") => "新商品",
        (Language::Zh, "order_status") => "订单状态",
        (Language::Zh, "order_stuck") => "订单待处理",
        _ => return kind.to_owned(),
    };
    words.to_owned()
}

/// The quantity a watch reads prices at: the first price rule's, else 1.
pub fn watched_quantity(rules: &[AlertRule]) -> i64 {
    rules
        .iter()
        .find_map(|rule| match rule {
            AlertRule::PriceBelow { quantity, .. }
            | AlertRule::PriceAbove { quantity, .. }
            | AlertRule::PercentChange { quantity, .. }
            | AlertRule::LowestInDays { quantity, .. } => Some(*quantity),
            _ => None,
        })
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn every_rule() -> Vec<AlertRule> {
        vec![
            AlertRule::PriceBelow { quantity: 100, target: Decimal::new(900, 2) },
            AlertRule::PriceAbove { quantity: 100, target: Decimal::from(12) },
            AlertRule::PercentChange { quantity: 100, percent: Decimal::new(50, 1) },
            AlertRule::LowestInDays { quantity: 100, days: 30 },
            AlertRule::StockBelow { units: 500 },
            AlertRule::SoldOut,
            AlertRule::BackInStock,
            AlertRule::AnyTierChange,
            AlertRule::NewOffer,
        ]
    }

    #[test]
    fn every_rule_and_kind_reads_in_chinese_without_english_words() {
        for rule in every_rule() {
            let zh = rule_words(&rule, Language::Zh);
            assert!(!zh.chars().any(|c| c.is_ascii_alphabetic()), "{zh}");
            let kind = rule_kind(&rule.name(), Language::Zh);
            assert!(!kind.chars().any(|c| c.is_ascii_alphabetic()), "{kind}");
            assert_ne!(rule_kind(&rule.name(), Language::En), rule.name().replace('_', "-"));
        }
        assert!(!rule_kind("order_status", Language::Zh).is_ascii());
    }

    #[test]
    fn thresholds_read_with_their_figures() {
        let rules = every_rule();
        assert_eq!(rule_words(&rules[0], Language::Zh), "100 件单价低于 ¥9.00");
        assert_eq!(rule_words(&rules[2], Language::En), "price at 100 units moves 5% or more");
        assert_eq!(watched_quantity(&rules[4..]), 1);
        assert_eq!(watched_quantity(&rules[3..]), 100);
    }
}
