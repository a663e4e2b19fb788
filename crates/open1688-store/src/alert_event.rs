//! What an alert says, as data: the product or keyword it is about and what happened, with its
//! figures. Each surface renders it in its reader's language ([`AlertEvent::render`]: every
//! language in one exhaustive `match`, so a missing translation does not compile); the alert's
//! stored `message` is the English rendering, kept for programs that read it.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sourcing::Language;
use sourcing::reasons::yuan;

/// An alert's subject and what happened to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AlertEvent {
    /// The product's title, when it was known at the check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// The keyword whose results raised it (keyword watches).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
    /// What happened.
    pub what: Happening,
}

/// A tier's price before and after (`None`: the tier did not exist on that side).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TierMove {
    /// The tier's first quantity.
    pub start_quantity: i64,
    /// Before.
    pub old: Option<Decimal>,
    /// After.
    pub new: Option<Decimal>,
}

/// What happened, with the figures a sentence about it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Happening {
    /// The unit price at `quantity` fell below the target.
    PriceBelow {
        /// Units the price is read at.
        quantity: i64,
        /// The price now.
        price: Decimal,
        /// The target.
        target: Decimal,
    },
    /// The unit price at `quantity` rose above the target.
    PriceAbove {
        /// Units the price is read at.
        quantity: i64,
        /// The price now.
        price: Decimal,
        /// The target.
        target: Decimal,
    },
    /// The unit price at `quantity` moved by `percent` % since the last check.
    PriceMoved {
        /// Units the price is read at.
        quantity: i64,
        /// The move in percent (negative: cheaper), one decimal.
        percent: Decimal,
        /// Before.
        old: Decimal,
        /// After.
        new: Decimal,
    },
    /// The unit price at `quantity` is the lowest of the last `days` days.
    LowestInDays {
        /// Units the price is read at.
        quantity: i64,
        /// The price now.
        price: Decimal,
        /// The window.
        days: i64,
    },
    /// Stock fell below the threshold.
    StockBelow {
        /// Stock now.
        stock: i64,
        /// The threshold.
        units: i64,
    },
    /// Nothing can be bought any more.
    SoldOut,
    /// Stock came back.
    BackInStock,
    /// Tier prices changed.
    TiersChanged {
        /// Each tier that moved.
        tiers: Vec<TierMove>,
    },
    /// A listing's price (in a keyword's results) changed.
    ListingPriceChanged {
        /// Before.
        old: Option<Decimal>,
        /// After.
        new: Option<Decimal>,
    },
    /// A new offer entered a keyword's results.
    NewListing {
        /// Its price, when the results show one.
        price: Option<Decimal>,
    },
    /// An order's platform status changed.
    OrderStatus {
        /// The platform's order id.
        order_id: i64,
        /// The supplier.
        supplier: String,
        /// The status before, if one was seen.
        from: Option<String>,
        /// The status now.
        to: String,
        /// What saw it (`push`, `poll`…).
        seen_by: String,
    },
    /// An order waits for payment too long.
    OrderUnpaid {
        /// The platform's order id.
        order_id: i64,
        /// The supplier.
        supplier: String,
        /// Hours since it was placed.
        hours: u64,
    },
    /// A paid order waits for shipment too long.
    OrderUnshipped {
        /// The platform's order id.
        order_id: i64,
        /// The supplier.
        supplier: String,
        /// Hours since it was paid.
        hours: u64,
    },
}

fn maybe_yuan(amount: Option<Decimal>, language: Language) -> String {
    match (amount, language) {
        (Some(a), _) => yuan(a),
        (None, Language::En) => "none".to_owned(),
        (None, Language::Zh) => "无".to_owned(),
    }
}

/// A 1688 order status (`waitbuyerpay`) in `language`; an unknown one as the platform wrote it.
pub fn order_status_name(status: &str, language: Language) -> String {
    let known = match (language, status.trim().to_ascii_lowercase().as_str()) {
        (Language::En, "waitbuyerpay") => "awaiting payment",
        (Language::En, "waitsellersend") => "paid, awaiting shipment",
        (Language::En, "waitlogisticstakein") => "awaiting the carrier",
        (Language::En, "waitbuyerreceive") => "shipped",
        (Language::En, "waitbuyersign") => "delivered, awaiting signature",
        (Language::En, "signinsuccess") => "signed for",
        (Language::En, "confirm_goods" | "confirm_goods_and_has_subsidy") => "receipt confirmed",
        (Language::En, "success") => "received",
        (Language::En, "cancel") => "cancelled",
        (Language::En, "terminated") => "ended",
        (Language::Zh, "waitbuyerpay") => "待付款",
        (Language::Zh, "waitsellersend") => "已付款，待发货",
        (Language::Zh, "waitlogisticstakein") => "等待物流揽收",
        (Language::Zh, "waitbuyerreceive") => "已发货",
        (Language::Zh, "waitbuyersign") => "已送达，待签收",
        (Language::Zh, "signinsuccess") => "已签收",
        (Language::Zh, "confirm_goods" | "confirm_goods_and_has_subsidy") => "已确认收货",
        (Language::Zh, "success") => "交易成功",
        (Language::Zh, "cancel") => "已取消",
        (Language::Zh, "terminated") => "交易终止",
        _ => return status.to_owned(),
    };
    known.to_owned()
}

impl Happening {
    /// What happened, as a sentence in `language` (without the product's name).
    pub fn render(&self, language: Language) -> String {
        use Language::{En, Zh};
        match (language, self) {
            (En, Self::PriceBelow { quantity, price, target }) => {
                format!("{} at {quantity} units, below the target {}", yuan(*price), yuan(*target))
            }
            (Zh, Self::PriceBelow { quantity, price, target }) => {
                format!("{quantity} 件的单价 {}，低于目标价 {}", yuan(*price), yuan(*target))
            }
            (En, Self::PriceAbove { quantity, price, target }) => {
                format!("{} at {quantity} units, above the target {}", yuan(*price), yuan(*target))
            }
            (Zh, Self::PriceAbove { quantity, price, target }) => {
                format!("{quantity} 件的单价 {}，高于目标价 {}", yuan(*price), yuan(*target))
            }
            (En, Self::PriceMoved { quantity, percent, old, new }) => {
                format!("price at {quantity} units moved {percent}% ({} → {})", yuan(*old), yuan(*new))
            }
            (Zh, Self::PriceMoved { quantity, percent, old, new }) => {
                format!("{quantity} 件的单价变动 {percent}%（{} → {}）", yuan(*old), yuan(*new))
            }
            (En, Self::LowestInDays { quantity, price, days }) => {
                format!("{} at {quantity} units is the lowest in {days} days", yuan(*price))
            }
            (Zh, Self::LowestInDays { quantity, price, days }) => {
                format!("{quantity} 件的单价 {} 为 {days} 天内最低", yuan(*price))
            }
            (En, Self::StockBelow { stock, units }) => format!("stock {stock} is below {units}"),
            (Zh, Self::StockBelow { stock, units }) => format!("库存 {stock} 件，低于 {units} 件"),
            (En, Self::SoldOut) => "sold out".to_owned(),
            (Zh, Self::SoldOut) => "已售罄".to_owned(),
            (En, Self::BackInStock) => "back in stock".to_owned(),
            (Zh, Self::BackInStock) => "已补货".to_owned(),
            (_, Self::TiersChanged { tiers }) => {
                let moves: Vec<String> = tiers
                    .iter()
                    .map(|t| {
                        let (old, new) = (maybe_yuan(t.old, language), maybe_yuan(t.new, language));
                        match language {
                            En => format!("from {}: {old} → {new}", t.start_quantity),
                            Zh => format!("{} 件起：{old} → {new}", t.start_quantity),
                        }
                    })
                    .collect();
                match language {
                    En => format!("price tiers changed: {}", moves.join(", ")),
                    Zh => format!("阶梯价变动：{}", moves.join("；")),
                }
            }
            (En, Self::ListingPriceChanged { old, new }) => {
                format!("price {} → {}", maybe_yuan(*old, En), maybe_yuan(*new, En))
            }
            (Zh, Self::ListingPriceChanged { old, new }) => {
                format!("价格 {} → {}", maybe_yuan(*old, Zh), maybe_yuan(*new, Zh))
            }
            (En, Self::NewListing { price }) => match price {
                Some(p) => format!("new in the results ({})", yuan(*p)),
                None => "new in the results (no price)".to_owned(),
            },
            (Zh, Self::NewListing { price }) => match price {
                Some(p) => format!("新进入搜索结果（{}）", yuan(*p)),
                None => "新进入搜索结果（无价格）".to_owned(),
            },
            // In English the statuses stay as 1688 writes them: programs read this sentence.
            (En, Self::OrderStatus { order_id, supplier, from, to, seen_by }) => {
                let from = from.as_deref().unwrap_or("—");
                format!("order {order_id} ({supplier}): {from} → {to} (seen by {seen_by})")
            }
            (Zh, Self::OrderStatus { order_id, supplier, from, to, .. }) => {
                let from = from.as_deref().map_or("—".to_owned(), |s| order_status_name(s, Zh));
                format!("订单 {order_id}（{supplier}）：{from} → {}", order_status_name(to, Zh))
            }
            (En, Self::OrderUnpaid { order_id, supplier, hours }) => {
                format!("order {order_id} ({supplier}) is unpaid after {hours} h: pay it or cancel it")
            }
            (Zh, Self::OrderUnpaid { order_id, supplier, hours }) => {
                format!("订单 {order_id}（{supplier}）下单 {hours} 小时仍未付款：请付款或取消")
            }
            (En, Self::OrderUnshipped { order_id, supplier, hours }) => {
                format!("order {order_id} ({supplier}) is paid and not shipped after {hours} h")
            }
            (Zh, Self::OrderUnshipped { order_id, supplier, hours }) => {
                format!("订单 {order_id}（{supplier}）付款 {hours} 小时仍未发货")
            }
        }
    }
}

impl AlertEvent {
    /// What happened, with nothing more known about its subject.
    pub fn new(what: Happening) -> Self {
        Self { product: None, keyword: None, what }
    }

    /// The same, raised by a keyword's results.
    pub fn in_results_of(mut self, keyword: &str) -> Self {
        self.keyword = Some(keyword.to_owned());
        self
    }

    /// The alert as a sentence in `language`, naming the keyword and the product when known
    /// (`「保温杯」 真空保温杯 500ml：已售罄`).
    pub fn render(&self, language: Language) -> String {
        let mut out = String::new();
        if let Some(keyword) = &self.keyword {
            out.push_str(&format!("「{keyword}」 "));
        }
        if let Some(product) = self.product.as_deref().filter(|p| !p.trim().is_empty()) {
            out.push_str(product.trim());
            out.push_str(match language {
                Language::En => ": ",
                Language::Zh => "：",
            });
        }
        out.push_str(&self.what.render(language));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_happening() -> Vec<Happening> {
        let d = |v: i64| Decimal::new(v, 2);
        vec![
            Happening::PriceBelow { quantity: 100, price: d(850), target: d(900) },
            Happening::PriceAbove { quantity: 100, price: d(950), target: d(900) },
            Happening::PriceMoved { quantity: 1, percent: Decimal::new(-52, 1), old: d(1000), new: d(948) },
            Happening::LowestInDays { quantity: 1, price: d(900), days: 30 },
            Happening::StockBelow { stock: 7, units: 10 },
            Happening::SoldOut,
            Happening::BackInStock,
            Happening::TiersChanged { tiers: vec![TierMove { start_quantity: 2, old: Some(d(1000)), new: None }] },
            Happening::ListingPriceChanged { old: None, new: Some(d(990)) },
            Happening::NewListing { price: None },
            Happening::OrderStatus {
                order_id: 7,
                supplier: "义乌".into(),
                from: Some("waitbuyerpay".into()),
                to: "waitbuyerreceive".into(),
                seen_by: "push".into(),
            },
            Happening::OrderUnpaid { order_id: 7, supplier: "义乌".into(), hours: 25 },
            Happening::OrderUnshipped { order_id: 7, supplier: "义乌".into(), hours: 49 },
        ]
    }

    #[test]
    fn every_happening_reads_in_both_languages_and_chinese_has_no_english_words() {
        for what in every_happening() {
            let (en, zh) = (what.render(Language::En), what.render(Language::Zh));
            assert!(!en.is_empty() && en != zh, "{what:?}");
            let english_word = zh.split(|c: char| !c.is_ascii_alphabetic()).any(|w| w.len() > 2);
            assert!(!english_word, "English inside the Chinese sentence: {zh}");
        }
    }

    #[test]
    fn the_sentences_keep_their_figures() {
        let moved = Happening::PriceMoved {
            quantity: 1,
            percent: Decimal::new(-52, 1),
            old: Decimal::TEN,
            new: Decimal::new(948, 2),
        };
        assert_eq!(moved.render(Language::En), "price at 1 units moved -5.2% (¥10.00 → ¥9.48)");
        assert_eq!(moved.render(Language::Zh), "1 件的单价变动 -5.2%（¥10.00 → ¥9.48）");
        let status = &every_happening()[10];
        assert_eq!(status.render(Language::Zh), "订单 7（义乌）：待付款 → 已发货");
        assert_eq!(status.render(Language::En), "order 7 (义乌): waitbuyerpay → waitbuyerreceive (seen by push)");
        assert_eq!(order_status_name("somethingnew", Language::Zh), "somethingnew");
    }

    #[test]
    fn the_product_and_the_keyword_lead_the_sentence() {
        let mut event = AlertEvent::new(Happening::SoldOut).in_results_of("保温杯");
        event.product = Some("真空保温杯 500ml".into());
        assert_eq!(event.render(Language::Zh), "「保温杯」 真空保温杯 500ml：已售罄");
        assert_eq!(event.render(Language::En), "「保温杯」 真空保温杯 500ml: sold out");
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(json["what"]["kind"], "sold_out");
        assert_eq!(serde_json::from_value::<AlertEvent>(json).unwrap(), event);
    }
}
