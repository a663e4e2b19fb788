//! The sourcing job's answer in one paragraph, as a person reads it first: in English (the
//! terminal's, and what scripts have long read) or in Chinese. The figures are the engine's, named
//! as every surface names them.

use rust_decimal::Decimal;
use sourcing::{CostFigures, Figure, Language};

use crate::source::SourceReport;
use crate::split::SplitAnswer;

/// Money as a person reads it: yuan with two decimals.
fn yuan(amount: Decimal) -> String {
    format!("¥{:.2}", amount.round_dp(2))
}

impl SourceReport {
    /// What a person reads first: the single offer to buy (with the cost delivered abroad when
    /// asked), and a cheaper split beside it; or, when no single offer holds the need, the split.
    pub fn summary_line(&self) -> String {
        let Some(d) = &self.decision else {
            return match &self.split {
                Some(split) => format!(
                    "no single offer holds the need of {}; split across {} suppliers: {}{}",
                    self.need,
                    split.allocation.suppliers,
                    figures_line(&split.cost),
                    split_lines(split, Language::En)
                ),
                None => format!("no answer for {} units", self.need),
            };
        };
        let c = &d.cost;
        let single = format!(
            "buy {} × offer {} from {}: {}. {}",
            c.quantity_bought,
            d.offer_id,
            d.supplier,
            figures_line(c),
            self.advice.as_ref().map_or("", |a| a.reason.as_str())
        );
        let single = match (&self.cross_border, &self.cross_border_missing) {
            (Some(c), _) => format!(
                "{single}\ndelivered abroad: {} ({} {:.2} a unit)",
                yuan(c.total_cny),
                c.currency,
                c.per_unit.round_dp(2)
            ),
            (None, Some(missing)) => format!("{single}\nno cross-border cost: {missing}"),
            (None, None) => single,
        };
        match &self.split {
            Some(split) => format!(
                "{single}\nor split across {} suppliers for {} landed in all, {} less{}",
                split.allocation.suppliers,
                yuan(split.cost.landed_total),
                yuan(split.saving.unwrap_or_default()),
                split_lines(split, Language::En)
            ),
            None => single,
        }
    }
}

impl SourceReport {
    /// [`SourceReport::summary_line`] in `language`.
    pub fn summary_line_in(&self, language: Language) -> String {
        match language {
            Language::En => self.summary_line(),
            Language::Zh => self.chinese_summary(),
        }
    }

    fn chinese_summary(&self) -> String {
        let Some(d) = &self.decision else {
            return match &self.split {
                Some(split) => format!(
                    "没有一个商品能满足 {} 件的需求；分给 {} 家供应商：{}{}",
                    self.need,
                    split.allocation.suppliers,
                    chinese_figures(&split.cost),
                    split_lines(split, Language::Zh)
                ),
                None => format!("{} 件没有答案", self.need),
            };
        };
        let c = &d.cost;
        let why = match self.advice.as_ref() {
            Some(advice) => advice.why.as_ref().map_or_else(|| advice.reason.clone(), |why| why.render(Language::Zh)),
            None => String::new(),
        };
        let single =
            format!("买 {} 件商品 {}（{}）：{}。{why}", c.quantity_bought, d.offer_id, d.supplier, chinese_figures(c));
        let single = match (&self.cross_border, &self.cross_border_missing) {
            (Some(cost), _) => format!(
                "{single}\n送达海外：{}（每件 {} {:.2}）",
                yuan(cost.total_cny),
                cost.currency,
                cost.per_unit.round_dp(2)
            ),
            (None, Some(missing)) => format!("{single}\n无法计算跨境成本：{missing}"),
            (None, None) => single,
        };
        match &self.split {
            Some(split) => format!(
                "{single}\n或分给 {} 家供应商：{} {}，省 {}{}",
                split.allocation.suppliers,
                Figure::LandedTotal.label(Language::Zh),
                yuan(split.cost.landed_total),
                yuan(split.saving.unwrap_or_default()),
                split_lines(split, Language::Zh)
            ),
            None => single,
        }
    }
}

/// A purchase's figures in one line, each by its name.
fn figures_line(c: &sourcing::CostFigures) -> String {
    format!(
        "{} landed in all ({} a unit, freight {}, {}) = {} landed per unit needed, {} per unit bought",
        yuan(c.landed_total),
        yuan(c.unit_price),
        yuan(c.freight),
        c.freight_source.label(sourcing::Language::En),
        yuan(c.landed_per_unit_needed),
        yuan(c.landed_per_unit_bought),
    )
}

/// A split's lines after a colon (`: 288 × offer 1, 12 × offer 2 SKU 3`, `：商品 1 × 288 件`),
/// and a word when the split is not proven the cheapest, in `language`.
fn split_lines(split: &SplitAnswer, language: Language) -> String {
    let lines: Vec<String> = split
        .allocation
        .lines
        .iter()
        .map(|l| match (language, l.sku_id) {
            (Language::En, Some(sku)) => format!("{} × offer {} SKU {sku}", l.quantity, l.offer_id),
            (Language::En, None) => format!("{} × offer {}", l.quantity, l.offer_id),
            (Language::Zh, Some(sku)) => format!("商品 {} SKU {sku} × {} 件", l.offer_id, l.quantity),
            (Language::Zh, None) => format!("商品 {} × {} 件", l.offer_id, l.quantity),
        })
        .collect();
    let proof = match (language, split.allocation.exact) {
        (_, true) => "",
        (Language::En, false) => " (searched in steps of several units: not proven the cheapest)",
        (Language::Zh, false) => "（按若干件的步长搜索，未证明最省）",
    };
    match language {
        Language::En => format!(": {}{proof}", lines.join(", ")),
        Language::Zh => format!("：{}{proof}", lines.join("，")),
    }
}

/// [`figures_line`] in Chinese, each figure by its name.
fn chinese_figures(c: &CostFigures) -> String {
    let name = |figure: Figure| figure.label(Language::Zh);
    format!(
        "{} {}（{} {}，{} {}，{}），{} {}，{} {}",
        name(Figure::LandedTotal),
        yuan(c.landed_total),
        name(Figure::UnitPrice),
        yuan(c.unit_price),
        name(Figure::Freight),
        yuan(c.freight),
        c.freight_source.label(Language::Zh),
        name(Figure::LandedPerUnitNeeded),
        yuan(c.landed_per_unit_needed),
        name(Figure::LandedPerUnitBought),
        yuan(c.landed_per_unit_bought),
    )
}
