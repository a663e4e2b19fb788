//! The buyer's trade APIs (spec §A): order preview, cross-border order creation, the payment
//! link, one order and the order list as the buyer sees them, and cancel. Money is in fen where
//! the platform writes fen (preview, creation) and in yuan where it writes yuan (the order).

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::{Map, Value, json};

use super::wire::{get_i64, get_str, image_path, image_url, json_object, platform_date_ms};
use crate::call::Call;
use crate::orders::book::NewOrder;
use crate::orders::destination::{Destination, saved_addresses};
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

/// Reads `addressParam` in the platform's priority: a saved address, then a district code with
/// the street, then text. Returns where the order goes, or why it is refused.
fn address(call: &Call<'_>, buyer: usize) -> Result<Destination, String> {
    let raw = call.params.get("addressParam").ok_or("addressParam is required")?;
    let a = json_object(raw, "addressParam")?;
    if let Some(id) = get_i64(&a, "addressId")? {
        let suppliers = &call.state.catalog.suppliers;
        let company = &suppliers[buyer.min(suppliers.len().saturating_sub(1))].company;
        return saved_addresses(buyer, company)
            .into_iter()
            .find(|d| d.address_id == Some(id))
            .ok_or_else(|| "AddressId invalid:AddressId invalid".to_owned());
    }
    if let Some(phone) = get_str(&a, "phone")
        && !phone.chars().all(|c| c.is_ascii_digit() || c == '-')
    {
        return Err(format!("phone {phone:?}: only a phone number (只能填电话号码)"));
    }
    let text = |key: &str| get_str(&a, key).map(|v| v.into_owned()).unwrap_or_default();
    let full_name = get_str(&a, "fullName").ok_or("addressParam.fullName is required")?.into_owned();
    let (mobile, phone) = (text("mobile"), text("phone"));
    if mobile.is_empty() && phone.is_empty() {
        return Err("addressParam needs a mobile or a phone".to_owned());
    }
    let street = get_str(&a, "address").ok_or("addressParam.address is required")?.into_owned();
    let (district, province) = (text("districtCode"), text("provinceText"));
    if district.is_empty() && province.is_empty() {
        return Err("addressParam needs a districtCode or provinceText".to_owned());
    }
    let city = text("cityText");
    if district.is_empty() && city.is_empty() {
        return Err("addressParam.cityText is required".to_owned());
    }
    Ok(Destination {
        address_id: None,
        full_name,
        mobile,
        phone,
        province,
        city,
        area: text("areaText"),
        area_code: district,
        town: text("townText"),
        town_code: String::new(),
        street,
        post: text("postCode"),
    })
}

/// The buyer and the cart priced, or the refusal.
fn priced(call: &Call<'_>) -> Result<(usize, Destination, Priced), Refusal> {
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

/// `alibaba.createOrder.preview`: one entry per order the platform would make of the cart.
pub fn preview(call: &Call<'_>) -> Reply {
    match priced(call) {
        Ok((_, _, p)) => {
            let flow = call.params.get("flow").unwrap_or("general");
            let entries: Vec<Value> =
                p.split(call.state.order_config.split_by_offer).iter().map(|p| preview_entry(p, flow)).collect();
            Reply::ok(&json!({"success": true, "orderPreviewResuslt": entries}))
        }
        Err(r) => Reply::business(r.code, &json!({"success": false, "errorCode": r.code, "errorMsg": r.message})),
    }
}

/// One order of the preview: sums in fen, line prices in yuan, the trade model as documented.
fn preview_entry(p: &Priced, flow: &str) -> Value {
    let cargo: Vec<Value> = p
        .lines
        .iter()
        .map(|l| {
            json!({
                "offerId": l.offer_id,
                "specId": l.spec_id,
                "skuId": l.sku_id,
                "amount": yuan(l.listed()),
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
    json!({
        "status": true,
        "flowFlag": flow,
        "sumPayment": fen(p.total()),
        "sumCarriage": fen(p.freight),
        "sumPaymentNoCarriage": fen(p.goods - p.discount),
        "discountFee": fen(p.discount),
        "additionalFee": 0,
        "tradeModeNameList": ["nzassure"],
        "tradeModelList": [{"tradeType": "nzassure", "name": "担保交易",
            "description": "买家下单5天内全款支付。自卖家发货起，买家需在10天内确认收货，确认收货后打款给卖家。", "opSupport": true}],
        "cargoList": cargo,
        "shopPromotionList": promotions,
        "taoSampleSinglePromotion": false,
    })
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
    {
        let earlier = call.state.orders.find_out_order(buyer, out);
        if !earlier.is_empty() {
            return created(&earlier);
        }
    }
    match priced(call) {
        Ok((buyer, destination, p)) => {
            let message = call.params.get("message").map(str::to_owned);
            let orders: Vec<SandboxOrder> = p
                .split(config.split_by_offer)
                .into_iter()
                .map(|priced| {
                    let placed = NewOrder {
                        app_key: call.app.app_key.clone(),
                        buyer,
                        priced,
                        out_order_id: out_order_id.clone(),
                        message: message.clone(),
                        destination: destination.clone(),
                    };
                    call.state.orders.create(placed, call.now_ms)
                })
                .collect();
            created(&orders)
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

/// The create answer: one order under `result.orderId` (the documented single-order form), or
/// `result.orderList` when the cart became several orders (the documented multi-order form).
fn created(orders: &[SandboxOrder]) -> Reply {
    if let [order] = orders {
        return Reply::ok(&json!({
            "success": true,
            "result": {
                "success": true,
                "orderId": order.id.to_string(),
                "totalSuccessAmount": fen(order.total()),
                "postFee": fen(order.freight),
                "failedOfferList": [],
            },
        }));
    }
    let list: Vec<Value> = orders
        .iter()
        .map(|o| {
            json!({
                "postFee": fen(o.freight),
                "orderAmmount": fen(o.total()),
                "discount": fen(o.discount),
                "sumPaymentNoCarriageFromClient": fen(o.goods),
                "mergePay": false,
                "orderId": o.id.to_string(),
                "chooseFreeFreight": false,
            })
        })
        .collect();
    Reply::ok(&json!({"result": {"success": true, "orderList": list}, "success": true}))
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
        // PRODUCT_TRADE_STAT_ERROR is the platform's stock-deduction failure, not this: an order
        // that is paid, closed or another buyer's is simply not payable.
        return pay_failure(
            "ORDER_STATUS_ERROR",
            "没有可支付的订单 (no order among those asked is waiting for payment)",
        );
    }
    Reply::ok(&json!({"success": true, "payUrl": cashier_url(&payable), "payFailureOrderList": refused}))
}

/// The 1688 cashier for `orders`, as both documented payment links give it: one address with
/// the order ids joined by `;`.
pub fn cashier_url(orders: &[i64]) -> String {
    let list: Vec<String> = orders.iter().map(i64::to_string).collect();
    format!("https://trade.1688.com/order/cashier.htm?orderId={}", list.join(";"))
}

fn pay_failure(code: &str, message: &str) -> Reply {
    Reply::business(code.to_owned(), &json!({"success": false, "errorCode": code, "erroMsg": message}))
}

/// An order as `TradeInfo` (spec §A.7), in the shape of the platform's documented
/// `get.buyerView` example (`fixtures/responses/docs/`): amounts in yuan, discounts in fen, ids
/// as both, each line's `itemAmount` after its promotion (`entryDiscount`, fen) so that the total
/// is ∑ `itemAmount` + `shippingFee`, shipments with a numeric `id` beside the `BX…`
/// `logisticsCode`, `businessType` `cn` (a `createCrossOrder` order) and the 5-day `payTimeout`.
pub fn trade_info(call: &Call<'_>, o: &SandboxOrder) -> Value {
    let catalog = &call.state.catalog;
    let seller = &catalog.suppliers[o.seller];
    let buyer = &catalog.suppliers[o.buyer.min(catalog.suppliers.len().saturating_sub(1))];
    let date = platform_date_ms;
    let logistics_status = match o.status {
        status::WAIT_BUYER_RECEIVE => 2,
        status::SUCCESS => 3,
        _ => 1,
    };
    let status_text = match o.status {
        status::WAIT_BUYER_PAY => "等待买家付款",
        status::WAIT_SELLER_SEND => "等待卖家发货",
        status::WAIT_BUYER_RECEIVE => "等待买家收货",
        status::SUCCESS => "交易成功",
        _ => "交易取消",
    };
    let line_id = |n: usize| o.id + 1 + n as i64;
    let items: Vec<Value> = o
        .lines
        .iter()
        .enumerate()
        .map(|(n, l)| {
            let offer = &catalog.offers[l.offer_index];
            let image = image_url(&call.state.base_url, &image_path(offer, 0));
            let attributes: Vec<Value> = l
                .sku
                .map(|k| {
                    offer.skus[k]
                        .values
                        .iter()
                        .zip(offer.category().axes)
                        .map(|(&v, axis)| json!({"name": axis.name, "value": axis.values[usize::from(v)].0}))
                        .collect()
                })
                .unwrap_or_default();
            let mut item = json!({
                "itemAmount": yuan(l.amount()),
                "name": l.name,
                "price": yuan(l.unit_price),
                "productID": l.offer_id,
                "productImgUrl": [image],
                "productSnapshotUrl": format!("https://trade.1688.com/order/offer_snapshot.htm?order_entry_id={}", line_id(n)),
                "quantity": l.quantity,
                "refund": 0,
                "skuID": l.sku_id,
                "status": o.status,
                "subItemID": line_id(n),
                "subItemIDString": line_id(n).to_string(),
                "type": "common",
                "unit": "件",
                "guaranteesTerms": [],
                "skuInfos": attributes,
                "entryDiscount": -fen(l.discount),
                "specId": l.spec_id,
                "quantityFactor": 1,
                "statusStr": status_text,
                "logisticsStatus": logistics_status,
                "gmtCreate": date(o.created_ms),
                "gmtModified": date(o.ended_ms.or(o.shipped_ms).or(o.paid_ms).unwrap_or(o.created_ms)),
            });
            if o.status == status::CANCEL {
                item["closeReason"] = json!(o.close_reason);
                item["gmtCompleted"] = json!(date(o.ended_ms.unwrap_or(o.created_ms)));
            }
            item
        })
        .collect();
    let contact = |s: &crate::catalog::Supplier| {
        json!({"phone": "86-0579-85550000", "email": format!("{}@example.1688.test", s.user_id), "name": s.login_id,
               "imInPlatform": s.login_id, "mobile": "13800000000", "companyName": s.company})
    };
    let d = &o.destination;
    let mut base = Map::new();
    let mut put = |k: &str, v: Value| {
        base.insert(k.to_owned(), v);
    };
    put("businessType", json!("cn"));
    put("buyerID", json!(buyer.member_id()));
    put("createTime", json!(date(o.created_ms)));
    put("id", json!(o.id));
    put("modifyTime", json!(date(o.ended_ms.or(o.shipped_ms).or(o.paid_ms).unwrap_or(o.created_ms))));
    put("refund", json!(0));
    put("sellerID", json!(seller.member_id()));
    put("shippingFee", yuan(o.freight));
    put("status", json!(o.status));
    put("totalAmount", yuan(o.total()));
    put("discount", json!(-fen(o.discount)));
    put("buyerContact", contact(buyer));
    put("sellerContact", contact(seller));
    put("tradeType", json!("50060"));
    put("refundPayment", json!(0));
    put("idOfStr", json!(o.id.to_string()));
    put(
        "receiverInfo",
        json!({"toFullName": d.full_name, "toDivisionCode": d.area_code, "toPost": d.post,
               "toTownCode": d.town_code, "toArea": d.area_text(), "toMobile": d.mobile}),
    );
    put("buyerLoginId", json!(buyer.login_id));
    put("sellerLoginId", json!(seller.login_id));
    put("buyerUserId", json!(buyer.user_id));
    put("sellerUserId", json!(seller.user_id));
    put("buyerAlipayId", json!(format!("2088{:012}", buyer.user_id % 1_000_000_000_000)));
    put("sellerAlipayId", json!(format!("2088{:012}", seller.user_id % 1_000_000_000_000)));
    put("sumProductPayment", yuan(o.goods - o.discount));
    put("stepPayAll", json!(false));
    put("payTimeout", json!(call.state.order_config.pay_timeout_hours * 3_600));
    put("outOrderId", json!(o.out_order_id));
    if let Some(paid) = o.paid_ms {
        put("payTime", json!(date(paid)));
        put("alipayTradeId", json!(format!("2026{:024}", o.id)));
    }
    if let Some(shipped) = o.shipped_ms {
        put("allDeliveredTime", json!(date(shipped)));
    }
    if let Some(done) = o.ended_ms {
        put("completeTime", json!(date(done)));
    }
    if let Some(reason) = &o.close_reason {
        put("closeReason", json!(reason));
    }
    if let Some(by) = o.close_operate_type {
        put("closeOperateType", json!(by));
    }
    // A closed unpaid order's term says so ("8"); a paid one "2"; an open one "1".
    let pay_status = match (o.paid_ms, o.status) {
        (Some(_), _) => "2",
        (None, status::CANCEL) => "8",
        _ => "1",
    };
    let mut term = json!({"payStatus": pay_status, "payWay": "1", "phasAmount": yuan(o.total()), "phase": o.id / 100});
    if let Some(paid) = o.paid_ms {
        term["payTime"] = json!(date(paid));
    }
    let mut logistics = json!({
        "address": d.street, "area": d.area, "areaCode": d.area_code, "city": d.city, "contactPerson": d.full_name,
        "mobile": d.mobile, "province": d.province, "zip": d.post, "town": d.town, "townCode": d.town_code,
    });
    if let (Some((code, bill)), Some(id)) = (o.waybill(), o.shipment_id()) {
        let shipped = date(o.shipped_ms.unwrap_or(o.created_ms));
        let lines: Vec<String> = (0..o.lines.len()).map(|n| line_id(n).to_string()).collect();
        logistics["logisticsItems"] = json!([{
            "deliveredTime": shipped, "logisticsCode": code, "type": "2", "id": id, "status": "alreadysend",
            "gmtModified": shipped, "gmtCreate": shipped, "fromPhone": "86-0579-85550000", "fromMobile": "13800000000",
            "fromProvince": seller.province, "fromCity": seller.city, "toProvince": d.province, "toCity": d.city,
            "logisticsBillNo": bill, "subItemIds": lines.join(","),
            "logisticsCompanyId": ZTO.0, "logisticsCompanyName": ZTO.1, "logisticsCompanyNo": ZTO.2,
        }]);
    }
    json!({
        "baseInfo": base,
        "nativeLogistics": logistics,
        "productItems": items,
        "tradeTerms": [term],
        "extAttributes": [],
        "orderRateInfo": {"buyerRateStatus": 5, "sellerRateStatus": 5},
    })
}

/// The sandbox's one carrier: its platform id, name and code.
pub const ZTO: (i64, &str, &str) = (8, "中通快递", "ZTO");

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
