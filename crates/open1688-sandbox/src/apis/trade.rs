//! The buyer's trade APIs (spec §A): order preview, cross-border order creation, the payment
//! link, one order and the order list as the buyer sees them, and cancel. Money is in fen where
//! the platform writes fen (preview, creation) and in yuan where it writes yuan (the order).

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Map, Value, json};

use super::wire::{get_i64, get_str, json_object, platform_date_ms};
use crate::call::Call;
use crate::orders::book::NewOrder;
use crate::orders::pricing::{self, Priced, Refusal};
use crate::orders::{SandboxOrder, status};
use crate::reply::Reply;

/// The most orders one payment link covers.
const MAX_PAY_ORDERS: usize = 100;

fn fen(yuan: Decimal) -> i64 {
    (yuan * Decimal::from(100)).round().to_i64().unwrap_or(i64::MAX)
}

fn yuan(amount: Decimal) -> Value {
    json!(amount.round_dp(2).to_f64().unwrap_or_default())
}

/// The buyer's saved addresses' ids (`alibaba.trade.receiveAddress.get` would list them).
pub fn saved_address_ids(buyer: usize) -> [i64; 2] {
    let base = 593_861_699 + i64::try_from(buyer).unwrap_or(0) * 10;
    [base, base + 1]
}

/// Reads `addressParam` in the platform's priority: a saved address, then a district code with
/// the street, then text. Returns the address as one line, or why it is refused.
fn address(call: &Call<'_>, buyer: usize) -> Result<String, String> {
    let raw = call.params.get("addressParam").ok_or("addressParam is required")?;
    let a = json_object(raw, "addressParam")?;
    if let Some(id) = get_i64(&a, "addressId")? {
        return if saved_address_ids(buyer).contains(&id) {
            Ok(format!("saved address {id}"))
        } else {
            Err("AddressId invalid:AddressId invalid".to_owned())
        };
    }
    if let Some(phone) = get_str(&a, "phone")
        && !phone.chars().all(|c| c.is_ascii_digit() || c == '-')
    {
        return Err(format!("phone {phone:?}: only a phone number (只能填电话号码)"));
    }
    let name = get_str(&a, "fullName").ok_or("addressParam.fullName is required")?;
    get_str(&a, "mobile").or_else(|| get_str(&a, "phone")).ok_or("addressParam needs a mobile or a phone")?;
    let street = get_str(&a, "address").ok_or("addressParam.address is required")?;
    if let Some(code) = get_str(&a, "districtCode") {
        return Ok(format!("{name}, {street} ({code})"));
    }
    let province = get_str(&a, "provinceText").ok_or("addressParam needs a districtCode or provinceText")?;
    let city = get_str(&a, "cityText").ok_or("addressParam.cityText is required")?;
    Ok(format!("{name}, {province}{city}{}{street}", get_str(&a, "areaText").unwrap_or_default()))
}

/// The buyer and the cart priced, or the refusal.
fn priced(call: &Call<'_>) -> Result<(usize, String, Priced), Refusal> {
    let buyer = call.member.unwrap_or(0);
    let address = address(call, buyer).map_err(|message| Refusal { code: "400", message })?;
    let raw = call.params.get("cargoParamList").unwrap_or("[]");
    let cargo = pricing::parse_cargo(raw)?;
    let state = call.state;
    let live = state.live();
    let priced =
        pricing::price(&state.catalog, &live, &cargo, call.params.get("flow"), &state.order_config, |o, s| {
            state.orders.reserved(o, s)
        })?;
    Ok((buyer, address, priced))
}

/// `alibaba.createOrder.preview`.
pub fn preview(call: &Call<'_>) -> Reply {
    match priced(call) {
        Ok((_, _, p)) => {
            let cargo: Vec<Value> = p
                .lines
                .iter()
                .map(|l| {
                    json!({
                        "offerId": l.offer_id,
                        "specId": l.spec_id,
                        "skuId": l.sku_id,
                        "amount": yuan(l.unit_price * Decimal::from(l.quantity)),
                        "finalUnitPrice": yuan(l.unit_price),
                        "cargoPromotionList": [],
                    })
                })
                .collect();
            let promotions: Vec<Value> = p
                .promotions
                .iter()
                .map(|(offer, pct, off)| {
                    json!({"promotionId": format!("shop-{offer}"), "selected": true, "text": format!("{}折", (100 - u32::from(*pct)) / 10),
                           "desc": format!("offer {offer}: {pct}% off"), "freePostage": false, "discountFee": fen(*off)})
                })
                .collect();
            Reply::ok(&json!({
                "success": true,
                "orderPreviewResuslt": [{
                    "status": true,
                    "flowFlag": call.params.get("flow").unwrap_or("general"),
                    "sumPayment": fen(p.total()),
                    "sumCarriage": fen(p.freight),
                    "sumPaymentNoCarriage": fen(p.goods - p.discount),
                    "discountFee": fen(p.discount),
                    "additionalFee": 0,
                    "tradeModeNameList": ["assureTrade"],
                    "tradeModelList": [{"name": "担保交易", "description": "担保交易", "tradeType": "assureTrade", "opSupport": true}],
                    "cargoList": cargo,
                    "shopPromotionList": promotions,
                    "taoSampleSinglePromotion": false,
                }],
            }))
        }
        Err(r) => Reply::business(r.code, &json!({"success": false, "errorCode": r.code, "errorMsg": r.message})),
    }
}

/// `alibaba.trade.createCrossOrder`.
pub fn create_cross_order(call: &Call<'_>) -> Reply {
    if call.params.get("flow").is_none_or(str::is_empty) {
        return failure("400", "flow is required");
    }
    let out_order_id = call.params.get("outOrderId").filter(|o| !o.is_empty()).map(str::to_owned);
    let buyer = call.member.unwrap_or(0);
    let config = &call.state.order_config;
    if config.dedupe_out_order_id
        && let Some(out) = &out_order_id
        && let Some(earlier) = call.state.orders.find_out_order(buyer, out)
    {
        return created(&earlier);
    }
    match priced(call) {
        Ok((buyer, address, p)) => {
            let message = call.params.get("message").map(str::to_owned);
            let placed =
                NewOrder { app_key: call.app.app_key.clone(), buyer, priced: p, out_order_id, message, address };
            let order = call.state.orders.create(placed, call.now_ms);
            created(&order)
        }
        Err(r) => {
            let failed: Vec<Value> = match serde_json::from_str::<Value>(call.params.get("cargoParamList").unwrap_or("[]")) {
                Ok(Value::Array(items)) => items
                    .iter()
                    .map(|i| json!({"offerId": i["offerId"], "specId": i["specId"], "errorCode": r.code, "errorMessage": r.message}))
                    .collect(),
                _ => Vec::new(),
            };
            Reply::business(
                r.code,
                &json!({"success": false, "code": r.code, "message": r.message,
                        "result": {"success": false, "code": r.code, "message": r.message, "failedOfferList": failed}}),
            )
        }
    }
}

fn created(order: &SandboxOrder) -> Reply {
    Reply::ok(&json!({
        "success": true,
        "result": {
            "success": true,
            "orderId": order.id.to_string(),
            "totalSuccessAmount": fen(order.total()),
            "postFee": fen(order.freight),
            "failedOfferList": [],
        },
    }))
}

fn failure(code: &str, message: &str) -> Reply {
    Reply::business(code.to_owned(), &json!({"success": false, "code": code, "message": message}))
}

/// Reads a JSON list of order ids (numbers or strings).
fn order_ids(raw: Option<&str>) -> Result<Vec<i64>, String> {
    let raw = raw.ok_or("orderIdList is required")?;
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(raw) else {
        return Err("orderIdList must be a JSON list of order ids".into());
    };
    items
        .iter()
        .map(|v| match v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        })
        .map(|id| id.ok_or_else(|| "orderIdList holds something that is not an order id".to_owned()))
        .collect()
}

/// `alibaba.alipay.url.get`: the cashier link for the buyer's unpaid orders among those asked.
pub fn alipay_url(call: &Call<'_>) -> Reply {
    let ids = match order_ids(call.params.get("orderIdList")) {
        Ok(ids) if !ids.is_empty() && ids.len() <= MAX_PAY_ORDERS => ids,
        Ok(ids) => return pay_failure("400", &format!("1 to {MAX_PAY_ORDERS} orders a link, not {}", ids.len())),
        Err(e) => return pay_failure("400", &e),
    };
    let buyer = call.member.unwrap_or(0);
    let (mut payable, mut refused) = (Vec::new(), Vec::new());
    for id in ids {
        match call.state.orders.get(id, call.now_ms, &call.state.order_config) {
            Some(o) if o.buyer == buyer && o.status == status::WAIT_BUYER_PAY => payable.push(id),
            _ => refused.push(id),
        }
    }
    if payable.is_empty() {
        return pay_failure("PRODUCT_TRADE_STAT_ERROR", "Failed to operate on stock: PRODUCT_TRADE_STAT_ERROR");
    }
    let list: Vec<String> = payable.iter().map(i64::to_string).collect();
    let url = if payable.len() == 1 {
        format!("https://trade.1688.com/order/cashier.htm?orderId={}", list[0])
    } else {
        format!("https://cashier.alipay.com/standard/batch.htm?orderIds={}", list.join(";"))
    };
    Reply::ok(&json!({"success": true, "payUrl": url, "payFailureOrderList": refused}))
}

fn pay_failure(code: &str, message: &str) -> Reply {
    Reply::business(code.to_owned(), &json!({"success": false, "errorCode": code, "erroMsg": message}))
}

/// An order as `TradeInfo` (spec §A.7): amounts in yuan, the discount in fen, ids as both.
pub fn trade_info(call: &Call<'_>, o: &SandboxOrder) -> Value {
    let catalog = &call.state.catalog;
    let seller = &catalog.suppliers[o.seller];
    let buyer = &catalog.suppliers[o.buyer.min(catalog.suppliers.len().saturating_sub(1))];
    let logistics_status = match o.status {
        status::WAIT_BUYER_RECEIVE => 2,
        status::SUCCESS => 3,
        _ => 1,
    };
    let items: Vec<Value> = o
        .lines
        .iter()
        .enumerate()
        .map(|(n, l)| {
            json!({
                "subItemID": o.id + 1 + n as i64,
                "subItemIDString": (o.id + 1 + n as i64).to_string(),
                "productID": l.offer_id,
                "skuID": l.sku_id,
                "specId": l.spec_id,
                "name": l.name,
                "price": yuan(l.unit_price),
                "quantity": l.quantity,
                "itemAmount": yuan(l.unit_price * Decimal::from(l.quantity)),
                "unit": "件",
                "status": o.status,
                "logisticsStatus": logistics_status,
            })
        })
        .collect();
    let mut base = Map::new();
    let mut put = |k: &str, v: Value| {
        base.insert(k.to_owned(), v);
    };
    put("id", json!(o.id));
    put("idOfStr", json!(o.id.to_string()));
    put("status", json!(o.status));
    put("businessType", json!("cb"));
    put("buyerID", json!(buyer.member_id()));
    put("sellerID", json!(seller.member_id()));
    put("buyerLoginId", json!(buyer.login_id));
    put("sellerLoginId", json!(seller.login_id));
    put("createTime", json!(platform_date_ms(o.created_ms)));
    put("modifyTime", json!(platform_date_ms(o.ended_ms.or(o.shipped_ms).or(o.paid_ms).unwrap_or(o.created_ms))));
    put("totalAmount", yuan(o.total()));
    put("sumProductPayment", yuan(o.goods));
    put("shippingFee", yuan(o.freight));
    put("discount", json!(-fen(o.discount)));
    put("payTimeout", json!(call.state.order_config.pay_timeout_hours * 3_600));
    put("tradeType", json!("50060"));
    put("outOrderId", json!(o.out_order_id));
    if let Some(paid) = o.paid_ms {
        put("payTime", json!(platform_date_ms(paid)));
    }
    if let Some(shipped) = o.shipped_ms {
        put("allDeliveredTime", json!(platform_date_ms(shipped)));
    }
    if let (status::SUCCESS, Some(done)) = (o.status, o.ended_ms) {
        put("completeTime", json!(platform_date_ms(done)));
    }
    if let Some(reason) = &o.close_reason {
        put("closeReason", json!(reason));
    }
    let mut info = json!({
        "baseInfo": base,
        "productItems": items,
        "tradeTerms": [{"payStatus": if o.paid_ms.is_some() { "2" } else { "1" }, "payWay": "1", "payWayDesc": "支付宝",
                        "phasAmount": yuan(o.total())}],
    });
    if let Some((logistics_id, bill)) = o.waybill() {
        info["nativeLogistics"] = json!({"address": o.address, "logisticsItems": [{
            "id": logistics_id, "logisticsId": logistics_id, "logisticsCompanyName": "中通快递", "logisticsCompanyNo": "ZTO",
            "logisticsBillNo": bill, "status": "alreadysend", "type": "1",
            "deliveredTime": platform_date_ms(o.shipped_ms.unwrap_or(o.created_ms)),
        }]});
    }
    info
}

/// `alibaba.trade.get.buyerView`.
pub fn buyer_view(call: &Call<'_>) -> Reply {
    let Some(id) = call.params.get("orderId").and_then(|i| i.parse::<i64>().ok()) else {
        return Reply::param_missing("orderId");
    };
    match call.state.orders.get(id, call.now_ms, &call.state.order_config) {
        Some(o) if Some(o.buyer) == call.member => {
            Reply::ok(&json!({"success": "true", "result": trade_info(call, &o)}))
        }
        _ => Reply::business(
            "ORDER_NOT_EXIST",
            &json!({"success": "false", "errorCode": "ORDER_NOT_EXIST", "errorMessage": format!("订单不存在: {id}")}),
        ),
    }
}

/// `alibaba.trade.getBuyerOrderList`: newest first, filtered by status and `outOrderId`.
pub fn buyer_order_list(call: &Call<'_>) -> Reply {
    let p = call.params;
    let page = p.get("page").and_then(|v| v.parse::<usize>().ok()).unwrap_or(1).max(1);
    let size = p.get("pageSize").and_then(|v| v.parse::<usize>().ok()).unwrap_or(20).clamp(1, 50);
    let orders = call.state.orders.of_buyer(call.member.unwrap_or(0), call.now_ms, &call.state.order_config);
    let matching: Vec<&SandboxOrder> = orders
        .iter()
        .filter(|o| p.get("orderStatus").is_none_or(|s| s.is_empty() || s == o.status))
        .filter(|o| p.get("outOrderId").is_none_or(|s| s.is_empty() || Some(s) == o.out_order_id.as_deref()))
        .collect();
    let result: Vec<Value> =
        matching.iter().skip((page - 1).saturating_mul(size)).take(size).map(|o| trade_info(call, o)).collect();
    Reply::ok(&json!({"result": result, "totalRecord": matching.len()}))
}

/// `alibaba.trade.cancel`: only the buyer's unpaid order, not within 10 s of its creation.
pub fn cancel(call: &Call<'_>) -> Reply {
    let Some(id) = call.params.get("tradeID").and_then(|i| i.parse::<i64>().ok()) else {
        return Reply::param_missing("tradeID");
    };
    let reason = call.params.get("cancelReason").unwrap_or("buyerCancel");
    if !["buyerCancel", "sellerGoodsLack", "other"].contains(&reason) {
        return Reply::business(
            "400",
            &json!({"success": false, "errorCode": "400", "errorMessage": format!("cancelReason {reason:?} is not buyerCancel, sellerGoodsLack or other")}),
        );
    }
    let buyer = call.member.unwrap_or(0);
    match call.state.orders.cancel(id, buyer, reason, call.now_ms, &call.state.order_config) {
        Ok(_) => Reply::ok(&json!({"success": true})),
        Err(e) => Reply::business(e.code, &json!({"success": false, "errorCode": e.code, "errorMessage": e.message})),
    }
}
