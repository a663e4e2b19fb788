//! The words charts are drawn with, in Chinese and in English: axis names, legend entries and
//! the titles' fixed parts. Every word is a field of [`ChartWords`], filled for both languages
//! from one list, so a word one language lacks does not compile.

use sourcing::Language;

/// Defines [`ChartWords`] and its two tables from one list, each word's languages side by side.
macro_rules! chart_words {
    ($($(#[doc = $doc:literal])* $field:ident: $en:literal, $zh:literal;)*) => {
        /// Every word a chart shows.
        #[derive(Debug)]
        pub struct ChartWords {
            /// The language of these words.
            pub language: Language,
            $($(#[doc = $doc])* pub $field: &'static str,)*
        }

        static EN: ChartWords = ChartWords { language: Language::En, $($field: $en,)* };
        static ZH: ChartWords = ChartWords { language: Language::Zh, $($field: $zh,)* };

        #[cfg(test)]
        const ALL: &[(&str, &str, &str)] = &[$((stringify!($field), $en, $zh),)*];
    };
}

chart_words! {
    /// A money axis: the unit price.
    unit_price_axis: "Unit price (¥)", "单价（元）";
    /// A count axis: how many offers.
    offers_axis: "Offers", "商品数";
    /// The mean line's legend.
    mean: "Mean", "均值";
    /// The median line's legend.
    median: "Median", "中位数";
    /// After a supplier the scorecard advises against (with its brackets and spacing).
    not_advised: " (not advised)", "（不建议）";
    /// The supplier bars' axis.
    landed_per_unit_axis: "Landed cost per unit (¥)", "到岸单价（元）";
    /// The ladder's quantity axis.
    quantity_axis: "Quantity", "数量";
    /// The ladder's mark of the units needed.
    need: "Need", "需求";
    /// The ladder's mark of the units bought.
    buy: "Buy", "采购";
    /// The history's time axis.
    days_axis: "Days", "天";
    /// The history's stock axis and legend.
    stock: "Stock", "库存";
    /// A histogram's title, after the keyword.
    price_distribution: "price distribution", "价格分布";
    /// The supplier bars' title, after the keyword.
    landed_by_supplier: "landed cost per unit by supplier", "供应商到岸单价";
    /// A ladder's title, after the offer's title.
    price_ladder: "price ladder", "阶梯价";
    /// A history's title, after the offer.
    price_history: "price history", "价格走势";
    /// A radar's title, after the supplier.
    scorecard: "scorecard", "评分";
    /// An offer, before its id.
    offer: "offer", "商品";
}

impl ChartWords {
    /// The words in `language`.
    pub fn of(language: Language) -> &'static Self {
        match language {
            Language::En => &EN,
            Language::Zh => &ZH,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_said_in_both_languages() {
        for (field, en, zh) in ALL {
            assert!(!en.is_empty() && !zh.is_empty(), "{field}");
            assert!(en.is_ascii() || en.contains('¥'), "{field}: English is English");
            assert!(!zh.is_ascii(), "{field}: Chinese is Chinese");
        }
        assert_eq!(ChartWords::of(Language::Zh).stock, "库存");
    }
}
