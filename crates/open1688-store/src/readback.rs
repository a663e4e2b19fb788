//! What the platform says of a placed order when it is read back — its current total, freight,
//! receiver, carrier and lines — as the store keeps it (a plain record, below the orders that
//! carry it).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Where the platform says an order goes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderReceiver {
    /// The receiver's name.
    pub name: Option<String>,
    /// Province, city, district and town.
    pub area: Option<String>,
    /// Street and number.
    pub address: Option<String>,
    /// Post code.
    pub post: Option<String>,
    /// Mobile.
    pub mobile: Option<String>,
}

/// One line as the platform now lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReadbackLine {
    /// The offer.
    pub offer_id: Option<i64>,
    /// The SKU's spec id.
    pub spec_id: Option<String>,
    /// The title.
    pub title: Option<String>,
    /// The SKU's attributes (`颜色: 白色; 容量: 500ml`).
    pub attributes: Option<String>,
    /// Units.
    pub quantity: Option<i64>,
    /// Unit price (CNY).
    pub unit_price: Option<Decimal>,
    /// What the line costs after its promotion (CNY).
    pub amount: Option<Decimal>,
}

/// An order as the platform described it when last read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderReadback {
    /// When it was read (epoch ms).
    pub read_ms: i64,
    /// Goods and freight, what the buyer pays now (CNY).
    pub total: Option<Decimal>,
    /// Goods after promotions (CNY).
    pub goods: Option<Decimal>,
    /// Freight (CNY).
    pub freight: Option<Decimal>,
    /// Promotions taken off (CNY, zero or negative as the platform writes it).
    pub discount: Option<Decimal>,
    /// Where it goes.
    pub receiver: Option<OrderReceiver>,
    /// The carrier, once shipped.
    pub carrier: Option<String>,
    /// The carrier's waybill number, once shipped.
    pub waybill: Option<String>,
    /// The lines.
    pub lines: Vec<ReadbackLine>,
}
