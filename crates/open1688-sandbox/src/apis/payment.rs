//! The buyer's saved addresses (`alibaba.trade.receiveAddress.get`: two per buyer, whose ids
//! `addressParam.addressId` accepts), an address's district code (`alibaba.trade.addresscode.parse`)
//! and the Kuajingbao link (`alibaba.crossBorderPay.url.get`:
//! at most 30 orders, `success` as a String, unpayable orders listed in `cantPayOrderList`).
//! The shapes are the documentation examples' (`fixtures/responses/docs/`): the address list
//! under `result.receiveAddressItems` beside `success`, each with `townCode`/`townName`; the parse
//! with `addressCode`, `addressCodeText`, `postCode`, `isDefault` and `latest`; both payment links
//! the 1688 cashier with the order ids joined by `;`.

use serde_json::json;

use super::trade::cashier_url;
use crate::call::Call;
use crate::orders::destination::{district_code_of, saved_addresses};
use crate::orders::status;
use crate::reply::Reply;

/// The most orders one Kuajingbao link covers.
const MAX_ORDERS: usize = 30;

/// `alibaba.trade.receiveAddress.get`.
pub fn receive_addresses(call: &Call<'_>) -> Reply {
    let buyer = call.member.unwrap_or(0);
    let member = &call.state.catalog.suppliers[buyer.min(call.state.catalog.suppliers.len().saturating_sub(1))];
    let items: Vec<serde_json::Value> = saved_addresses(buyer, &member.company)
        .iter()
        .enumerate()
        .map(|(n, d)| {
            json!({"id": d.address_id, "fullName": d.full_name, "address": d.street, "post": d.post, "phone": d.phone,
                   "mobilePhone": d.mobile, "addressCode": d.area_code, "addressCodeText": d.code_text(),
                   "townCode": d.town_code, "townName": d.town, "isDefault": n == 0})
        })
        .collect();
    Reply::ok(&json!({"result": {"receiveAddressItems": items}, "success": true}))
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
        return fail("400_4", "无可使用支付渠道[跨境宝]付款的订单");
    }
    Reply::ok(&json!({"success": "true", "payUrl": cashier_url(&payable), "cantPayOrderList": cannot}))
}

/// `alibaba.trade.addresscode.parse`: the province and city found in the text (among the
/// sandbox's places), a district code derived from them (the same text, the same code), and the
/// rest of the address, in the documented fields.
pub fn address_code(call: &Call<'_>) -> Reply {
    let text = call.params.get("addressInfo").unwrap_or("").trim();
    let places = &call.state.catalog.suppliers;
    let Some(place) = places.iter().find(|s| text.contains(s.province) && text.contains(s.city)) else {
        return Reply::business(
            "400",
            &json!({"success": false, "code": "400", "message": format!("no province and city found in {text:?}")}),
        );
    };
    let code = district_code_of(place.province, place.city);
    let post = format!("{}00", &code[..4]);
    let rest = text.replacen(place.province, "", 1).replacen(place.city, "", 1);
    Reply::ok(&json!({"result": {
        "address": rest.trim(), "addressCode": code, "addressCodeText": format!("{} {}", place.province, place.city),
        "postCode": post, "isDefault": false, "latest": false,
    }}))
}
