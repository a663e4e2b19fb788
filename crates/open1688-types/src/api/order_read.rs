//! Reading and acting on placed orders (trade spec §A.6–A.8): the payment link, one order and
//! the buyer's order list, cancelling an unpaid order. Order amounts in these answers are yuan
//! (except `discount`, fen); ids arrive as numbers beyond 2^53 or as strings, and are read exactly.

use std::fmt;

use rust_decimal::Decimal;

use crate::business::{ApiResponse, BusinessFailure, ResponseFamily};
use crate::params::{EncodeError, Params};
use crate::request::{ApiId, ApiRequest};

use super::order::{TRADE, fen_to_yuan};

/// `alibaba.alipay.url.get`.
pub const ALIPAY_URL: ApiId = ApiId::new(TRADE, "alibaba.alipay.url.get", 1);
/// `alibaba.trade.get.buyerView`.
pub const ORDER_DETAIL: ApiId = ApiId::new(TRADE, "alibaba.trade.get.buyerView", 1);
/// `alibaba.trade.getBuyerOrderList`.
pub const ORDER_LIST: ApiId = ApiId::new(TRADE, "alibaba.trade.getBuyerOrderList", 1);
/// `alibaba.trade.cancel`.
pub const ORDER_CANCEL: ApiId = ApiId::new(TRADE, "alibaba.trade.cancel", 1);
/// The most orders one payment link may cover.
pub const MAX_PAY_ORDERS: usize = 100;

/// Where an order is (spec §A.7 `baseInfo.status`); a status the spec does not list is kept as
/// written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OrderStatus {
    /// Placed, not paid.
    WaitBuyerPay,
    /// Paid, not shipped.
    WaitSellerSend,
    /// Waiting for the carrier to collect.
    WaitLogisticsTakeIn,
    /// Shipped.
    WaitBuyerReceive,
    /// Delivered, waiting for the buyer to sign.
    WaitBuyerSign,
    /// Signed for.
    SignInSuccess,
    /// Receipt confirmed.
    ConfirmGoods,
    /// Done.
    Success,
    /// Cancelled.
    Cancel,
    /// Ended otherwise.
    Terminated,
    /// Any other status, as written.
    Other(String),
}

impl OrderStatus {
    /// Reads a status as the platform writes it (case-insensitive).
    pub fn parse(text: &str) -> Self {
        match text.trim().to_ascii_lowercase().as_str() {
            "waitbuyerpay" => Self::WaitBuyerPay,
            "waitsellersend" => Self::WaitSellerSend,
            "waitlogisticstakein" => Self::WaitLogisticsTakeIn,
            "waitbuyerreceive" => Self::WaitBuyerReceive,
            "waitbuyersign" => Self::WaitBuyerSign,
            "signinsuccess" => Self::SignInSuccess,
            "confirm_goods" | "confirm_goods_and_has_subsidy" => Self::ConfirmGoods,
            "success" => Self::Success,
            "cancel" => Self::Cancel,
            "terminated" => Self::Terminated,
            _ => Self::Other(text.trim().to_owned()),
        }
    }

    /// Whether nothing more will happen to the order.
    pub fn is_final(&self) -> bool {
        matches!(self, Self::Success | Self::Cancel | Self::Terminated)
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::WaitBuyerPay => "waitbuyerpay",
            Self::WaitSellerSend => "waitsellersend",
            Self::WaitLogisticsTakeIn => "waitlogisticstakein",
            Self::WaitBuyerReceive => "waitbuyerreceive",
            Self::WaitBuyerSign => "waitbuyersign",
            Self::SignInSuccess => "signinsuccess",
            Self::ConfirmGoods => "confirm_goods",
            Self::Success => "success",
            Self::Cancel => "cancel",
            Self::Terminated => "terminated",
            Self::Other(text) => text,
        })
    }
}

/// `alibaba.alipay.url.get`: the cashier link for up to 100 unpaid orders. The buyer pays there,
/// logged in to 1688; nothing here pays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentUrl {
    /// The orders to pay.
    pub order_ids: Vec<i64>,
}

impl ApiRequest for PaymentUrl {
    type Output = PaymentUrlResponse;

    fn api(&self) -> ApiId {
        ALIPAY_URL
    }

    fn params(&self) -> Result<Params, EncodeError> {
        let mut p = Params::new();
        p.set_json("orderIdList", &self.order_ids)?;
        Ok(p)
    }
}

crate::wire_struct! {
    /// The payment link's answer (flat; `erroMsg` is the platform's spelling).
    pub struct PaymentUrlResponse {
        /// `false` when no link was made (may be `true` with some orders left out).
        success: Option<bool> = "success",
        /// The cashier's address.
        pay_url: Option<String> = "payUrl",
        /// A failure code.
        error_code: Option<String> = "errorCode",
        /// A failure message.
        error_msg: Option<String> = "erroMsg",
    }
}

impl ApiResponse for PaymentUrlResponse {
    fn business_failure(&self) -> Option<BusinessFailure> {
        (self.success == Some(false) || self.pay_url.is_none()).then(|| BusinessFailure {
            family: ResponseFamily::Trade,
            code: self.error_code.clone(),
            message: self.error_msg.clone().or_else(|| Some("the platform made no payment link".to_owned())),
        })
    }
}

/// `alibaba.trade.get.buyerView`: one order as the buyer sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderDetail {
    /// The order.
    pub order_id: i64,
}

impl ApiRequest for OrderDetail {
    type Output = OrderDetailResponse;

    fn api(&self) -> ApiId {
        ORDER_DETAIL
    }

    fn params(&self) -> Result<Params, EncodeError> {
        let mut p = Params::new();
        p.set("webSite", "1688")?;
        p.set("orderId", self.order_id)?;
        Ok(p)
    }
}

/// `alibaba.trade.getBuyerOrderList`: the buyer's orders, a page at a time; `out_order_id`
/// finds the order placed with that id of the caller's (how a lost create answer is recovered).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrderList {
    /// The page, from 1.
    pub page: u32,
    /// Orders a page.
    pub page_size: u32,
    /// Only orders in this status.
    pub status: Option<String>,
    /// Only the order placed with this id of the caller's.
    pub out_order_id: Option<String>,
}

impl ApiRequest for OrderList {
    type Output = OrderListResponse;

    fn api(&self) -> ApiId {
        ORDER_LIST
    }

    fn params(&self) -> Result<Params, EncodeError> {
        let mut p = Params::new();
        p.set("page", self.page.max(1))?;
        p.set("pageSize", self.page_size.clamp(1, 50))?;
        p.set_opt("orderStatus", self.status.as_deref())?;
        p.set_opt("outOrderId", self.out_order_id.as_deref())?;
        Ok(p)
    }
}

/// `alibaba.trade.cancel`: cancels an unpaid order (`tradeID`, the platform's capitals).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelOrder {
    /// The order.
    pub order_id: i64,
    /// `buyerCancel`, `sellerGoodsLack` or `other`.
    pub reason: String,
    /// Words for the seller.
    pub remark: Option<String>,
}

impl ApiRequest for CancelOrder {
    type Output = CancelResponse;

    fn api(&self) -> ApiId {
        ORDER_CANCEL
    }

    fn params(&self) -> Result<Params, EncodeError> {
        let mut p = Params::new();
        p.set("webSite", "1688")?;
        p.set("tradeID", self.order_id)?;
        p.set("cancelReason", self.reason.as_str())?;
        p.set_opt("remark", self.remark.as_deref())?;
        Ok(p)
    }
}

crate::wire_struct! {
    /// The cancel answer (flat).
    pub struct CancelResponse {
        /// Whether it was cancelled.
        success: Option<bool> = "success",
        /// `ORDER_STATUS_ERROR` (only unpaid orders), `CLOSE_ORDER_TOO_FAST` (< 10 s old)…
        error_code: Option<String> = "errorCode",
        /// The platform's words.
        error_message: Option<String> = "errorMessage",
    }
}

impl ApiResponse for CancelResponse {
    fn business_failure(&self) -> Option<BusinessFailure> {
        (self.success != Some(true)).then(|| BusinessFailure {
            family: ResponseFamily::Trade,
            code: self.error_code.clone(),
            message: self.error_message.clone(),
        })
    }
}

crate::wire_struct! {
    /// One order's answer: `{"result": TradeInfo, "success", "errorCode", "errorMessage"}`.
    pub struct OrderDetailResponse {
        /// The order.
        result: Option<TradeInfo> = "result",
        /// A failure code.
        error_code: Option<String> = "errorCode",
        /// A failure message.
        error_message: Option<String> = "errorMessage",
    }
}

impl ApiResponse for OrderDetailResponse {
    fn business_failure(&self) -> Option<BusinessFailure> {
        self.result.is_none().then(|| BusinessFailure {
            family: ResponseFamily::Trade,
            code: self.error_code.clone(),
            message: self.error_message.clone().or_else(|| Some("no order in the answer".to_owned())),
        })
    }
}

crate::wire_struct! {
    /// The order list's answer.
    pub struct OrderListResponse {
        /// The orders of the page.
        result: Vec<TradeInfo> = "result",
        /// Orders in all.
        total_record: Option<i64> = "totalRecord",
        /// A failure code.
        error_code: Option<String> = "errorCode",
        /// A failure message.
        error_message: Option<String> = "errorMessage",
    }
}

impl ApiResponse for OrderListResponse {
    fn business_failure(&self) -> Option<BusinessFailure> {
        self.error_code.as_deref().is_some_and(|c| !c.is_empty()).then(|| BusinessFailure {
            family: ResponseFamily::Trade,
            code: self.error_code.clone(),
            message: self.error_message.clone(),
        })
    }
}

crate::wire_struct! {
    /// An order (the fields open1688 reads; the rest stays in `extra`).
    pub struct TradeInfo {
        /// Its header.
        base_info: Option<TradeBaseInfo> = "baseInfo",
        /// Its lines.
        product_items: Vec<TradeItem> = "productItems",
    }
}

crate::wire_struct! {
    /// An order's header: amounts in yuan except `discount` (fen).
    pub struct TradeBaseInfo {
        /// The order id (`idOfStr` is the exact one when the number went through a double).
        id: Option<i64> = "id",
        /// The order id as a string.
        id_of_str: Option<i64> = "idOfStr",
        /// Status as written (see [`OrderStatus::parse`]).
        status: Option<String> = "status",
        /// Goods and freight, yuan.
        total_amount: Option<Decimal> = "totalAmount",
        /// Goods, yuan.
        sum_product_payment: Option<Decimal> = "sumProductPayment",
        /// Freight, yuan.
        shipping_fee: Option<Decimal> = "shippingFee",
        /// Discount, fen (may be negative).
        discount: Option<i64> = "discount",
        /// The seller's login id.
        seller_login_id: Option<String> = "sellerLoginId",
        /// The caller's own id for the order.
        out_order_id: Option<String> = "outOrderId",
        /// Placed.
        create_time: Option<chrono::DateTime<chrono::FixedOffset>> = "createTime",
        /// Paid.
        pay_time: Option<chrono::DateTime<chrono::FixedOffset>> = "payTime",
        /// Why it closed.
        close_reason: Option<String> = "closeReason",
    }
}

impl TradeBaseInfo {
    /// The exact order id: the string form when both came (the number may have been rounded).
    pub fn order_id(&self) -> Option<i64> {
        self.id_of_str.or(self.id)
    }

    /// The status read.
    pub fn order_status(&self) -> Option<OrderStatus> {
        self.status.as_deref().map(OrderStatus::parse)
    }

    /// The discount in yuan.
    pub fn discount_yuan(&self) -> Option<Decimal> {
        self.discount.map(fen_to_yuan)
    }
}

crate::wire_struct! {
    /// One line of an order (yuan).
    pub struct TradeItem {
        /// The offer.
        product_id: Option<i64> = "productID",
        /// The SKU.
        sku_id: Option<i64> = "skuID",
        /// The SKU's spec id.
        spec_id: Option<String> = "specId",
        /// The title.
        name: Option<String> = "name",
        /// Unit price, yuan.
        price: Option<Decimal> = "price",
        /// Units (a decimal on the wire).
        quantity: Option<Decimal> = "quantity",
        /// The line's amount, yuan.
        item_amount: Option<Decimal> = "itemAmount",
        /// 1 unshipped, 2 shipped, 3 received, 4 returned, 5 partly shipped, 8 no logistics.
        logistics_status: Option<i64> = "logisticsStatus",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_read_and_unknown_ones_kept() {
        assert_eq!(OrderStatus::parse("waitbuyerpay"), OrderStatus::WaitBuyerPay);
        assert_eq!(OrderStatus::parse("WAITSELLERSEND"), OrderStatus::WaitSellerSend);
        assert_eq!(OrderStatus::parse("confirm_goods_and_has_subsidy"), OrderStatus::ConfirmGoods);
        assert_eq!(OrderStatus::parse("frozen"), OrderStatus::Other("frozen".into()));
        assert!(OrderStatus::parse("cancel").is_final() && !OrderStatus::WaitBuyerReceive.is_final());
        assert_eq!(OrderStatus::parse("success").to_string(), "success");
    }

    #[test]
    fn an_order_reads_its_exact_id_and_yuan_amounts() {
        // The spec's precision trap: the number went through a double, the string did not.
        let body = r#"{"result":{"baseInfo":{"id":58218860983545944,"idOfStr":"58218860983545941","status":"waitbuyerpay",
            "totalAmount":12.5,"sumProductPayment":"10.00","shippingFee":2.5,"discount":-150,
            "createTime":"20180801102232000+0800","outOrderId":"o1688-7f3a"},
            "productItems":[{"productID":548818919805,"skuID":3332085412530,"price":"1.25","quantity":8.0,"itemAmount":10}]},
            "success":"true"}"#;
        let r: OrderDetailResponse = serde_json::from_str(body).unwrap();
        assert!(r.business_failure().is_none());
        let order = r.result.unwrap();
        let base = order.base_info.unwrap();
        assert_eq!(base.order_id(), Some(58_218_860_983_545_941));
        assert_eq!(base.order_status(), Some(OrderStatus::WaitBuyerPay));
        assert_eq!(base.total_amount, Some(Decimal::new(125, 1)));
        assert_eq!(base.discount_yuan(), Some(Decimal::new(-150, 2)));
        assert!(base.create_time.is_some(), "the platform's date with its offset");
        assert_eq!(order.product_items[0].quantity, Some(Decimal::from(8)));
        let missing = r#"{"errorCode":"ORDER_NOT_EXIST","errorMessage":"订单不存在"}"#;
        let failure = serde_json::from_str::<OrderDetailResponse>(missing).unwrap().business_failure().unwrap();
        assert_eq!(failure.code.as_deref(), Some("ORDER_NOT_EXIST"));
    }

    #[test]
    fn payment_links_and_cancels_say_when_they_failed() {
        let ok = r#"{"payUrl":"https://trade.1688.com/order/cashier.htm?orderId=154051432607498520","success":true}"#;
        assert!(serde_json::from_str::<PaymentUrlResponse>(ok).unwrap().business_failure().is_none());
        let manual = r#"{"success":false,"erroMsg":"Batch pay : not surport MANUAL-TRADE!"}"#;
        let failure = serde_json::from_str::<PaymentUrlResponse>(manual).unwrap().business_failure().unwrap();
        assert!(failure.message.unwrap().contains("MANUAL-TRADE"));
        let pay = PaymentUrl { order_ids: vec![154_051_432_607_498_520] }.params().unwrap();
        assert_eq!(pay.get("orderIdList"), Some("[154051432607498520]"));
        let too_fast = r#"{"success":false,"errorCode":"CLOSE_ORDER_TOO_FAST"}"#;
        assert!(serde_json::from_str::<CancelResponse>(too_fast).unwrap().business_failure().is_some());
        let cancel = CancelOrder { order_id: 7, reason: "buyerCancel".into(), remark: None }.params().unwrap();
        assert_eq!((cancel.get("tradeID"), cancel.get("webSite")), (Some("7"), Some("1688")));
    }
}
