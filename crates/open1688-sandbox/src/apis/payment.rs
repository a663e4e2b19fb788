//! The buyer's saved addresses (`alibaba.trade.receiveAddress.get`: two per buyer, whose ids
//! `addressParam.addressId` accepts), an address's district code (`alibaba.trade.addresscode.parse`)
//! and the Kuajingbao link (`alibaba.crossBorderPay.url.get`:
//! at most 30 orders, `success` as a String, unpayable orders listed in `cantPayOrderList`).

use serde_json::json;

use super::trade::saved_address_ids;
use crate::call::Call;
use crate::orders::status;
use crate::reply::Reply;

/// The most orders one Kuajingbao link covers.
const MAX_ORDERS: usize = 30;

/// `alibaba.trade.receiveAddress.get`.
pub fn receive_addresses(call: &Call<'_>) -> Reply {
    let buyer = call.member.unwrap_or(0);
    let [home, warehouse] = saved_address_ids(buyer);
    let member = &call.state.catalog.suppliers[buyer.min(call.state.catalog.suppliers.len().saturating_sub(1))];
    Reply::ok(&json!({"result": {"receiveAddressItems": [
        {"id": warehouse, "fullName": format!("{} 仓库", member.company), "address": "福田街道 1 号", "post": "322000",
         "mobilePhone": "13800000000", "addressCode": "330782", "addressCodeText": "浙江省 金华市 义乌市", "isDefault": true},
        {"id": home, "fullName": "张三", "address": "江干区 88 号", "post": "310000",
         "mobilePhone": "13900000000", "addressCode": "330104", "addressCodeText": "浙江省 杭州市 江干区", "isDefault": false},
    ]}}))
}

/// `alibaba.crossBorderPay.url.get`.
pub fn cross_border_pay_url(call: &Call<'_>) -> Reply {
    let fail = |code: &str, message: &str| {
        Reply::business(code.to_owned(), &json!({"success": "false", "errorCode": code, "errorMsg": message}))
    };
    let ids: Vec<i64> = match serde_json::from_str::<serde_json::Value>(call.params.get("orderIdList").unwrap_or("")) {
        Ok(serde_json::Value::Array(items)) => {
            items.iter().filter_map(|v| v.as_i64().or_else(|| v.as_str().and_then(|s| s.parse().ok()))).collect()
        }
        _ => return fail("400_1", "orderIdList must be a JSON list of order ids"),
    };
    if ids.is_empty() || ids.len() > MAX_ORDERS {
        return fail("400_1", &format!("1 to {MAX_ORDERS} orders a link, not {}", ids.len()));
    }
    let buyer = call.member.unwrap_or(0);
    let (payable, cannot): (Vec<i64>, Vec<i64>) = ids.iter().partition(|id| {
        call.state
            .orders
            .get(**id, call.now_ms, &call.state.order_config)
            .is_some_and(|o| o.buyer == buyer && o.status == status::WAIT_BUYER_PAY)
    });
    if payable.is_empty() {
        return fail("400_4", "无可用跨境宝支付的订单 (no order can be paid by Kuajingbao)");
    }
    let list: Vec<String> = payable.iter().map(i64::to_string).collect();
    Reply::ok(&json!({
        "success": "true",
        "payUrl": format!("https://pay.1688.com/kjb/cashier.htm?orderIds={}", list.join(",")),
        "cantPayOrderList": cannot,
    }))
}

/// `alibaba.trade.addresscode.parse`: the province and city found in the text (among the
/// sandbox's places), a district code derived from them (the same text, the same code), and the
/// rest of the address.
pub fn address_code(call: &Call<'_>) -> Reply {
    let text = call.params.get("addressInfo").unwrap_or("").trim();
    let places = &call.state.catalog.suppliers;
    let Some(place) = places.iter().find(|s| text.contains(s.province) && text.contains(s.city)) else {
        return Reply::business(
            "400",
            &json!({"errorCode": "400", "errorMessage": format!("no province and city found in {text:?}")}),
        );
    };
    let digest = format!("{}{}", place.province, place.city)
        .bytes()
        .fold(17u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    let code = format!("{}", 110_000 + digest % 800_000);
    let rest = text.replacen(place.province, "", 1).replacen(place.city, "", 1);
    Reply::ok(
        &json!({"result": {"addressCode": code, "province": place.province, "city": place.city, "address": rest.trim()}}),
    )
}
