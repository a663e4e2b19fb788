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
        /// Where it goes and its shipments.
        native_logistics: Option<NativeLogistics> = "nativeLogistics",
        /// Its payment terms (`[]` for an order cancelled unpaid, in some answers).
        trade_terms: Vec<TradeTerm> = "tradeTerms",
    }
}

crate::wire_struct! {
    /// Where an order goes (`nativeLogistics`), with its shipments once the seller ships.
    pub struct NativeLogistics {
        /// The receiver.
        contact_person: Option<String> = "contactPerson",
        /// The receiver's mobile.
        mobile: Option<String> = "mobile",
        /// Province.
        province: Option<String> = "province",
        /// City.
        city: Option<String> = "city",
        /// District.
        area: Option<String> = "area",
        /// District code.
        area_code: Option<String> = "areaCode",
        /// Town (street).
        town: Option<String> = "town",
        /// Town code.
        town_code: Option<String> = "townCode",
        /// Street and number (in the documented answer, with the city before it).
        address: Option<String> = "address",
        /// Post code.
        zip: Option<String> = "zip",
        /// The shipments.
        logistics_items: Vec<LogisticsItem> = "logisticsItems",
    }
}

crate::wire_struct! {
    /// One shipment of an order. Captured answers give `id` as a number and the `LP…`/`BX…`
    /// string as `logisticsCode`; the carrier's id is a number here and a string in the
    /// logistics API.
    pub struct LogisticsItem {
        /// The shipment's numeric id.
        id: Option<i64> = "id",
        /// The platform's logistics code (`BX…`, `LP…`).
        logistics_code: Option<String> = "logisticsCode",
        /// The carrier's waybill number (`不需要物流` when none is needed).
        bill_no: Option<String> = "logisticsBillNo",
        /// The carrier's id on the platform.
        company_id: Option<String> = "logisticsCompanyId",
        /// The carrier.
        company_name: Option<String> = "logisticsCompanyName",
        /// The carrier's code (`ZTO`).
        company_no: Option<String> = "logisticsCompanyNo",
        /// `alreadysend`, …
        status: Option<String> = "status",
        /// The order lines it carries, comma-separated.
        sub_item_ids: Option<String> = "subItemIds",
        /// When it was shipped.
        delivered_time: Option<chrono::DateTime<chrono::FixedOffset>> = "deliveredTime",
    }
}

impl LogisticsItem {
    /// The carrier as a person reads it: its name, else its code, else its platform id.
    pub fn carrier(&self) -> Option<String> {
        self.company_name
            .clone()
            .or_else(|| self.company_no.clone())
            .or_else(|| self.company_id.as_ref().map(|id| format!("#{id}")))
            .filter(|c| !c.is_empty())
    }
}

crate::wire_struct! {
    /// A payment term of an order (`payStatus` `"1"` unpaid, `"2"` paid, `"8"` closed unpaid).
    pub struct TradeTerm {
        /// The term's payment status.
        pay_status: Option<String> = "payStatus",
        /// How it is paid (`"1"` Alipay, `"13"` Kuajingbao).
        pay_way: Option<String> = "payWay",
        /// The amount of the term, yuan.
        amount: Option<Decimal> = "phasAmount",
        /// When it was paid.
        pay_time: Option<chrono::DateTime<chrono::FixedOffset>> = "payTime",
    }
}

crate::wire_struct! {
    /// Where the order goes as its header says (`receiverInfo`).
    pub struct ReceiverInfo {
        /// The receiver.
        full_name: Option<String> = "toFullName",
        /// The receiver's mobile.
        mobile: Option<String> = "toMobile",
        /// The receiver's landline.
        phone: Option<String> = "toPhone",
        /// Province, city, district and town as text.
        area: Option<String> = "toArea",
        /// District code.
        division_code: Option<String> = "toDivisionCode",
        /// Town code.
        town_code: Option<String> = "toTownCode",
        /// Post code.
        post: Option<String> = "toPost",
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
        /// Who closed it (`CLOSE_TRADE_BY_BUYER`).
        close_operate_type: Option<String> = "closeOperateType",
        /// When it ended (succeeded or closed).
        complete_time: Option<chrono::DateTime<chrono::FixedOffset>> = "completeTime",
        /// `cn` for orders made by `createCrossOrder`.
        business_type: Option<String> = "businessType",
        /// Seconds the buyer has to pay after creation.
        pay_timeout: Option<i64> = "payTimeout",
        /// Where it goes.
        receiver_info: Option<ReceiverInfo> = "receiverInfo",
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
        /// The line's discount, fen (negative or zero): `itemAmount` is after it.
        entry_discount: Option<i64> = "entryDiscount",
        /// The SKU's attributes.
        sku_infos: Vec<SkuAttribute> = "skuInfos",
        /// The line's status.
        status: Option<String> = "status",
        /// The unit (`件`).
        unit: Option<String> = "unit",
        /// The line's own id (may have gone through a double).
        sub_item_id: Option<i64> = "subItemID",
        /// The line's own id as a string (exact).
        sub_item_id_str: Option<i64> = "subItemIDString",
    }
}

crate::wire_struct! {
    /// One SKU attribute of an order line.
    pub struct SkuAttribute {
        /// The attribute (`颜色`).
        name: Option<String> = "name",
        /// Its value (`白色`).
        value: Option<String> = "value",
    }
}

impl TradeItem {
    /// The line's exact id: the string form when both came.
    pub fn line_id(&self) -> Option<i64> {
        self.sub_item_id_str.or(self.sub_item_id)
    }

    /// The line's discount in yuan (zero or negative), where the answer gives it.
    pub fn discount_yuan(&self) -> Option<Decimal> {
        self.entry_discount.map(fen_to_yuan)
    }
}

impl TradeInfo {
    /// The order's first shipment's carrier and waybill, where it has shipped.
    pub fn shipment(&self) -> Option<&LogisticsItem> {
        self.native_logistics.as_ref().and_then(|n| n.logistics_items.first())
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
