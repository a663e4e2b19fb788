//! Buyer-side ordering (trade spec §A.2–A.4): the order preview and the cross-border order
//! creation, with the platform's traps decoded — amounts in fen (integer hundredths of a yuan) in
//! these answers but in yuan elsewhere, order ids as strings here and numbers elsewhere, and the
//! misspelled `orderPreviewResuslt`. Money leaves this module as exact `Decimal` yuan only.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::business::{ApiResponse, BusinessFailure, ResponseFamily};
use crate::params::{EncodeError, Params};
use crate::request::{ApiId, ApiRequest};

/// The trade namespace.
pub const TRADE: &str = "com.alibaba.trade";
/// `alibaba.createOrder.preview`.
pub const ORDER_PREVIEW: ApiId = ApiId::new(TRADE, "alibaba.createOrder.preview", 1);
/// `alibaba.trade.createCrossOrder`.
pub const CREATE_CROSS_ORDER: ApiId = ApiId::new(TRADE, "alibaba.trade.createCrossOrder", 1);
/// The most SKUs one order may carry (spec §A.2: 50; an older docstring says 100).
pub const MAX_ORDER_SKUS: usize = 50;

/// An amount in fen (what the preview and create answers carry) as exact yuan.
pub fn fen_to_yuan(fen: i64) -> Decimal {
    Decimal::new(fen, 2)
}

/// Where the goods go (spec §A.2 `addressParam`): a saved address by id wins over a district
/// code, which wins over the text fields; send the form you have.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AddressParam {
    /// A saved address (`alibaba.trade.receiveAddress.get`): enough on its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_id: Option<i64>,
    /// The receiver.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    /// Mobile number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
    /// Landline, digits only (the platform refuses anything else in it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Post code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_code: Option<String>,
    /// District code (`alibaba.trade.addresscode.parse`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub district_code: Option<String>,
    /// Province, as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub province_text: Option<String>,
    /// City, as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city_text: Option<String>,
    /// District, as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area_text: Option<String>,
    /// Town, as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub town_text: Option<String>,
    /// Street and number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// One line of an order (spec §A.2 `cargoParamList`): an offer, its SKU's spec id when it has
/// SKUs, and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CargoParam {
    /// The offer.
    pub offer_id: i64,
    /// The SKU's 32-hex spec id (left out for an offer without SKUs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec_id: Option<String>,
    /// Units (the platform reads a double; quantities here are whole).
    pub quantity: i64,
}

/// Checks an order's lines as the platform would, before it is asked: 1 to 50 lines, positive
/// quantities, no line twice. Callers check before they preview or place; the reason names the
/// line.
pub fn check_order_lines(cargo: &[CargoParam]) -> Result<(), String> {
    let bad = |why: String| why;
    if cargo.is_empty() || cargo.len() > MAX_ORDER_SKUS {
        return Err(bad(format!("an order has 1 to {MAX_ORDER_SKUS} lines, not {}", cargo.len())));
    }
    if let Some(line) = cargo.iter().find(|c| c.quantity <= 0) {
        return Err(bad(format!("offer {} asks for {} units", line.offer_id, line.quantity)));
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(line) = cargo.iter().find(|c| !seen.insert((c.offer_id, c.spec_id.clone()))) {
        return Err(bad(format!("offer {} (spec {:?}) is on two lines", line.offer_id, line.spec_id)));
    }
    Ok(())
}

/// `alibaba.createOrder.preview`: what the platform would charge for an order, and whether it
/// can be placed (orderable, one seller, stock, MOQ, mixed batch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderPreview {
    /// Where the goods go.
    pub address: AddressParam,
    /// The lines, all from one seller.
    pub cargo: Vec<CargoParam>,
    /// `general` (wholesale) unless said otherwise; `None` lets the platform pick the best.
    pub flow: Option<String>,
}

impl ApiRequest for OrderPreview {
    type Output = PreviewResponse;

    fn api(&self) -> ApiId {
        ORDER_PREVIEW
    }

    fn params(&self) -> Result<Params, EncodeError> {
        let mut p = Params::new();
        p.set_json("addressParam", &self.address)?;
        p.set_json("cargoParamList", &self.cargo)?;
        p.set_opt("flow", self.flow.as_deref())?;
        Ok(p)
    }
}

/// `alibaba.trade.createCrossOrder`: places an order. `out_order_id` is the caller's own id for
/// it, by which the order can be found again after a lost answer (whether the platform refuses a
/// second create with the same id is not documented: never rely on it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateCrossOrder {
    /// Where the goods go.
    pub address: AddressParam,
    /// The lines, all from one seller.
    pub cargo: Vec<CargoParam>,
    /// Required here: `general` for wholesale.
    pub flow: String,
    /// The caller's id for the order.
    pub out_order_id: String,
    /// A note to the seller.
    pub message: Option<String>,
}

impl ApiRequest for CreateCrossOrder {
    type Output = CreateOrderResponse;

    fn api(&self) -> ApiId {
        CREATE_CROSS_ORDER
    }

    /// A second create could make a second order.
    fn repeatable(&self) -> bool {
        false
    }

    fn params(&self) -> Result<Params, EncodeError> {
        let mut p = Params::new();
        p.set_json("addressParam", &self.address)?;
        p.set_json("cargoParamList", &self.cargo)?;
        p.set("flow", self.flow.as_str())?;
        p.set("outOrderId", self.out_order_id.as_str())?;
        p.set_opt("message", self.message.as_deref())?;
        Ok(p)
    }
}

crate::wire_struct! {
    /// The preview's answer (no `result` wrapper).
    pub struct PreviewResponse {
        /// `false` when the order cannot be placed as asked.
        success: Option<bool> = "success",
        /// `500_001` … `500_009` (see [`preview_error_meaning`]).
        error_code: Option<String> = "errorCode",
        /// The platform's words.
        error_msg: Option<String> = "errorMsg",
        /// One entry per order the platform would make (several when it splits).
        previews: Vec<PreviewEntry> = "orderPreviewResuslt",
    }
}

impl ApiResponse for PreviewResponse {
    fn business_failure(&self) -> Option<BusinessFailure> {
        (self.success == Some(false) || self.error_code.as_deref().is_some_and(|c| !c.is_empty())).then(|| {
            BusinessFailure {
                family: ResponseFamily::Trade,
                code: self.error_code.clone(),
                message: Some(match (&self.error_code, &self.error_msg) {
                    (Some(code), Some(msg)) => match preview_error_meaning(code) {
                        Some(meaning) => format!("{meaning} ({msg})"),
                        None => msg.clone(),
                    },
                    (Some(code), None) => preview_error_meaning(code).unwrap_or("the preview failed").to_owned(),
                    (None, msg) => msg.clone().unwrap_or_else(|| "the preview failed".to_owned()),
                }),
            }
        })
    }
}

/// What a documented preview error code means (spec §A.3); the platform writes `500_1` as well
/// as `500_001`.
pub fn preview_error_meaning(code: &str) -> Option<&'static str> {
    let n: u32 = code.strip_prefix("500_")?.parse().ok()?;
    Some(match n {
        1 => "an offer cannot be traded online",
        2 => "the lines are from more than one seller, or a SKU's spec id is missing",
        3 => "a spec id is not one of the offer's",
        4 => "not enough stock",
        5 => "below the minimum order quantity",
        6 => "the mixed-batch rule is not met",
        7 => "no consignment relation with the seller (saleproxy flow)",
        8 => "an offer's price is 0",
        9 => "below the wholesale minimum",
        _ => return None,
    })
}

crate::wire_struct! {
    /// One order the preview priced (amounts in fen on the wire; see the `_yuan` methods).
    pub struct PreviewEntry {
        /// Whether this order can be placed.
        status: Option<bool> = "status",
        /// The flow the platform chose (`general`).
        flow_flag: Option<String> = "flowFlag",
        /// Goods and freight, fen.
        sum_payment: Option<i64> = "sumPayment",
        /// Freight, fen.
        sum_carriage: Option<i64> = "sumCarriage",
        /// Goods, fen.
        sum_payment_no_carriage: Option<i64> = "sumPaymentNoCarriage",
        /// Discounts, fen.
        discount_fee: Option<i64> = "discountFee",
        /// Extra fees, fen.
        additional_fee: Option<i64> = "additionalFee",
        /// The lines as priced (amounts here in yuan).
        cargo: Vec<PreviewCargo> = "cargoList",
        /// Why this order cannot be placed.
        result_code: Option<String> = "resultCode",
        /// The platform's words on it.
        message: Option<String> = "message",
    }
}

impl PreviewEntry {
    /// Goods and freight, yuan.
    pub fn total_yuan(&self) -> Option<Decimal> {
        self.sum_payment.map(fen_to_yuan)
    }
    /// Freight, yuan.
    pub fn freight_yuan(&self) -> Option<Decimal> {
        self.sum_carriage.map(fen_to_yuan)
    }
    /// Goods, yuan.
    pub fn goods_yuan(&self) -> Option<Decimal> {
        self.sum_payment_no_carriage.map(fen_to_yuan)
    }
    /// Discounts, yuan.
    pub fn discount_yuan(&self) -> Option<Decimal> {
        self.discount_fee.map(fen_to_yuan)
    }
}

crate::wire_struct! {
    /// One line as the preview priced it (yuan, unlike the entry's sums).
    pub struct PreviewCargo {
        /// The offer.
        offer_id: Option<i64> = "offerId",
        /// The SKU's spec id.
        spec_id: Option<String> = "specId",
        /// The SKU's id.
        sku_id: Option<i64> = "skuId",
        /// The line's amount, yuan.
        amount: Option<Decimal> = "amount",
        /// The unit price after promotions, yuan.
        final_unit_price: Option<Decimal> = "finalUnitPrice",
        /// Why this line cannot be ordered.
        result_code: Option<String> = "resultCode",
        /// The platform's words on it.
        message: Option<String> = "message",
    }
}

impl PreviewCargo {
    /// What a line promotion took off this line of `quantity` units: `finalUnitPrice × quantity −
    /// amount` when the amount is lower. The platform then leaves the entry's `discountFee` null,
    /// so this is the only sign of the promotion. `None` when the line shows none.
    pub fn line_discount(&self, quantity: i64) -> Option<Decimal> {
        let listed = self.final_unit_price?.checked_mul(Decimal::from(quantity))?;
        let off = listed.checked_sub(self.amount?)?;
        (off > Decimal::ZERO).then_some(off)
    }
}

crate::wire_struct! {
    /// The create answer: `{"success","code","message","result":{…}}`.
    pub struct CreateOrderResponse {
        /// The outer flag.
        success: Option<bool> = "success",
        /// A failure code (`400`).
        code: Option<String> = "code",
        /// A failure message (`AddressId invalid:AddressId invalid`).
        message: Option<String> = "message",
        /// What was created.
        result: Option<CreateOrderResult> = "result",
        /// The single-order samples carry the order at the top level.
        order_id: Option<i64> = "orderId",
        /// Single-order sample: goods and freight, fen.
        total_success_amount: Option<i64> = "totalSuccessAmount",
    }
}

impl CreateOrderResponse {
    /// The orders the call created, whichever shape the answer took: `result.orderList`, or one
    /// order in `result.orderId` or at the top level.
    pub fn created(&self) -> Vec<CreatedOrder> {
        if let Some(result) = &self.result {
            if !result.orders.is_empty() {
                return result
                    .orders
                    .iter()
                    .filter(|o| o.order_id.is_some() && o.success != Some(false))
                    .cloned()
                    .collect();
            }
            if let Some(id) = result.order_id {
                return vec![CreatedOrder {
                    order_id: Some(id),
                    amount: result.total_success_amount,
                    post_fee: result.post_fee,
                    ..CreatedOrder::default()
                }];
            }
        }
        self.order_id
            .map(|id| CreatedOrder { order_id: Some(id), amount: self.total_success_amount, ..CreatedOrder::default() })
            .into_iter()
            .collect()
    }
}

impl ApiResponse for CreateOrderResponse {
    fn business_failure(&self) -> Option<BusinessFailure> {
        // An order id is the proof: the samples say `success:false` beside a created order.
        if !self.created().is_empty() {
            return None;
        }
        let inner = self.result.as_ref();
        Some(BusinessFailure {
            family: ResponseFamily::Trade,
            code: inner.and_then(|r| r.code.clone()).or_else(|| self.code.clone()),
            message: inner
                .and_then(|r| r.message.clone())
                .or_else(|| self.message.clone())
                .or_else(|| inner.and_then(|r| r.failed.first()).and_then(|f| f.error_message.clone()))
                .or_else(|| Some("the platform created no order".to_owned())),
        })
    }
}

crate::wire_struct! {
    /// The create answer's `result`.
    pub struct CreateOrderResult {
        /// The inner flag.
        success: Option<bool> = "success",
        /// A failure code.
        code: Option<String> = "code",
        /// A failure message.
        message: Option<String> = "message",
        /// The order, when one was made (a string on the wire).
        order_id: Option<i64> = "orderId",
        /// Goods and freight, fen.
        total_success_amount: Option<i64> = "totalSuccessAmount",
        /// Freight, fen.
        post_fee: Option<i64> = "postFee",
        /// Lines the platform refused.
        failed: Vec<FailedOffer> = "failedOfferList",
        /// Orders made, when one call made several.
        orders: Vec<CreatedOrder> = "orderList",
    }
}

crate::wire_struct! {
    /// One order a create call made.
    pub struct CreatedOrder {
        /// The order (a string on the wire, a number elsewhere).
        order_id: Option<i64> = "orderId",
        /// Goods and freight, fen (the platform's spelling).
        amount: Option<i64> = "orderAmmount",
        /// Freight, fen.
        post_fee: Option<i64> = "postFee",
        /// Whether this one succeeded.
        success: Option<bool> = "success",
        /// Goods before freight as the caller's lines priced them, fen.
        goods: Option<i64> = "sumPaymentNoCarriageFromClient",
        /// Discount, fen.
        discount: Option<i64> = "discount",
    }
}

impl CreatedOrder {
    /// Goods and freight, yuan.
    pub fn amount_yuan(&self) -> Option<Decimal> {
        self.amount.map(fen_to_yuan)
    }
    /// Freight, yuan.
    pub fn post_fee_yuan(&self) -> Option<Decimal> {
        self.post_fee.map(fen_to_yuan)
    }
}

crate::wire_struct! {
    /// A line the platform would not order.
    pub struct FailedOffer {
        /// The offer.
        offer_id: Option<i64> = "offerId",
        /// The SKU's spec id.
        spec_id: Option<String> = "specId",
        /// Why (code).
        error_code: Option<String> = "errorCode",
        /// Why (words).
        error_message: Option<String> = "errorMessage",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cargo(offer_id: i64, quantity: i64) -> CargoParam {
        CargoParam { offer_id, spec_id: None, quantity }
    }

    #[test]
    fn the_preview_sample_reads_in_yuan() {
        // Spec §A.3's sample, misspelled key and fen sums included.
        let body = r#"{"orderPreviewResuslt":[{"tradeModeNameList":["nzassure"],"status":true,"sumPayment":4400,
            "sumCarriage":800,"sumPaymentNoCarriage":3600,"flowFlag":"general","cargoList":[{"amount":36,"finalUnitPrice":18,
            "specId":"eb81c61de14f4adb405ffcc2c8a4a3fb","skuId":3332085412530,"offerId":548818919805,"cargoPromotionList":[]}],
            "shopPromotionList":[]}],"success":true}"#;
        let r: PreviewResponse = serde_json::from_str(body).unwrap();
        assert!(r.business_failure().is_none());
        let entry = &r.previews[0];
        assert_eq!(entry.total_yuan(), Some(Decimal::new(4400, 2)));
        assert_eq!(entry.freight_yuan(), Some(Decimal::from(8)));
        assert_eq!(entry.goods_yuan(), Some(Decimal::from(36)));
        assert_eq!(entry.cargo[0].amount, Some(Decimal::from(36)), "line amounts are already yuan");
        assert_eq!(entry.cargo[0].offer_id, Some(548_818_919_805));
    }

    #[test]
    fn a_preview_error_says_what_it_means() {
        let body = r#"{"success":false,"errorCode":"500_004","errorMsg":"[548818919805_eb81c61d]库存不足"}"#;
        let failure = serde_json::from_str::<PreviewResponse>(body).unwrap().business_failure().unwrap();
        assert_eq!(failure.code.as_deref(), Some("500_004"));
        assert!(failure.message.unwrap().starts_with("not enough stock ([548818919805_eb81c61d]"));
        assert_eq!(preview_error_meaning("500_5"), Some("below the minimum order quantity"));
        assert_eq!(preview_error_meaning("400_1"), None);
    }

    #[test]
    fn created_orders_are_found_in_every_documented_shape() {
        let list = r#"{"result":{"success":true,"orderList":[{"postFee":48000,"orderAmmount":4848000,"discount":0,
            "orderId":"105581756010628640","chooseFreeFreight":false}]},"success":true}"#;
        let r: CreateOrderResponse = serde_json::from_str(list).unwrap();
        let made = r.created();
        assert_eq!(made[0].order_id, Some(105_581_756_010_628_640), "a string id beyond 2^53 stays exact");
        assert_eq!(made[0].amount_yuan(), Some(Decimal::new(4_848_000, 2)));
        assert!(r.business_failure().is_none());
        // The doc's single-order sample says success:false beside the order it made.
        let bare = r#"{"totalSuccessAmount":156800,"orderId":"87407346014789305","success":false}"#;
        let r: CreateOrderResponse = serde_json::from_str(bare).unwrap();
        assert_eq!(r.created()[0].order_id, Some(87_407_346_014_789_305));
        assert!(r.business_failure().is_none(), "an order id is the proof");
        let refused = r#"{"success":false,"code":"400","message":"AddressId invalid:AddressId invalid"}"#;
        let failure = serde_json::from_str::<CreateOrderResponse>(refused).unwrap().business_failure().unwrap();
        assert_eq!(
            (failure.code.as_deref(), failure.message.as_deref()),
            (Some("400"), Some("AddressId invalid:AddressId invalid"))
        );
    }

    #[test]
    fn order_lines_are_encoded_and_checked() {
        let address = AddressParam { address_id: Some(593_861_699), ..AddressParam::default() };
        let preview = |cargo| OrderPreview { address: address.clone(), cargo, flow: Some("general".into()) };
        let p = preview(vec![cargo(1, 10)]).params().unwrap();
        assert_eq!(p.get("addressParam"), Some(r#"{"addressId":593861699}"#));
        assert_eq!(p.get("cargoParamList"), Some(r#"[{"offerId":1,"quantity":10}]"#));
        assert!(check_order_lines(&[cargo(1, 10)]).is_ok());
        assert!(check_order_lines(&[]).is_err());
        assert!(check_order_lines(&[cargo(1, 0)]).unwrap_err().contains("offer 1 asks for 0 units"));
        assert!(check_order_lines(&[cargo(1, 5), cargo(1, 6)]).is_err(), "the same line twice");
        assert!(check_order_lines(&(1..=51).map(|i| cargo(i, 1)).collect::<Vec<_>>()).is_err());
        let create = CreateCrossOrder {
            address,
            cargo: vec![cargo(1, 10)],
            flow: "general".into(),
            out_order_id: "o1688-7f3a".into(),
            message: None,
        };
        assert_eq!(create.params().unwrap().get("outOrderId"), Some("o1688-7f3a"));
    }
}
