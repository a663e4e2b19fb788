//! The buyer's logistics APIs (spec §A.9, namespace `com.alibaba.logistics`): the shipment of an
//! order and its carrier's trace, once the seller shipped (before that, `500_2`).

use serde_json::{Value, json};

use super::trade::ZTO;
use crate::call::Call;
use crate::orders::SandboxOrder;
use crate::orders::destination::{district_code_of, parent_codes};
use crate::reply::Reply;

/// The caller's shipped order `orderId`, or the reply that says why not.
fn shipped(call: &Call<'_>) -> Result<(SandboxOrder, String, String), Reply> {
    let Some(id) = call.params.get("orderId").and_then(|i| i.parse::<i64>().ok()) else {
        return Err(Reply::param_missing("orderId"));
    };
    let fail = |code: &str, message: String| {
        Reply::business(code.to_owned(), &json!({"success": false, "errorCode": code, "errorMessage": message}))
    };
    let order = match call.state.orders.get(id, call.now_ms, &call.state.order_config) {
        Some(o) if Some(o.buyer) == call.member => o,
        Some(_) => return Err(fail("order.nopermission.buyer", format!("order {id} is not this buyer's"))),
        None => return Err(fail("404", format!("no order {id}"))),
    };
    match order.waybill() {
        Some((logistics_id, bill)) => Ok((order, logistics_id, bill)),
        None => Err(fail("500_2", "订单尚未发货，暂无物流详情".to_owned())),
    }
}

/// `alibaba.trade.getLogisticsInfos.buyerView`.
pub fn infos(call: &Call<'_>) -> Reply {
    let (order, logistics_id, bill) = match shipped(call) {
        Ok(s) => s,
        Err(reply) => return reply,
    };
    let seller = &call.state.catalog.suppliers[order.seller];
    let to = &order.destination;
    let from_code = district_code_of(seller.province, seller.city);
    let (from_province, from_city) = parent_codes(&from_code);
    let (to_province, to_city) = parent_codes(&to.area_code);
    let status = if order.trace_reached >= crate::orders::book::TRACE_NODES.len() { "SIGN" } else { "TRANSPORT" };
    let goods: Vec<Value> =
        order.lines.iter().map(|l| json!({"goodName": l.name, "quantity": l.quantity, "unit": "件"})).collect();
    Reply::ok(&json!({
        "success": true,
        "result": [{
            "logisticsId": logistics_id,
            "logisticsBillNo": bill,
            "orderEntryIds": (1..=order.lines.len()).map(|n| (order.id + n as i64).to_string()).collect::<Vec<_>>().join(","),
            "status": status,
            // A string here, a number in the order's `logisticsItems` (as documented).
            "logisticsCompanyId": ZTO.0.to_string(),
            "logisticsCompanyNo": ZTO.2,
            "logisticsCompanyName": ZTO.1,
            "remarks": "",
            "gmtSystemSend": crate::apis::wire::platform_date_ms(order.shipped_ms.unwrap_or(order.created_ms)),
            "sendGoods": goods,
            "sender": {"senderName": seller.company, "senderProvince": seller.province, "senderProvinceCode": from_province,
                       "senderCity": seller.city, "senderCityCode": from_city, "senderCounty": "", "senderCountyCode": from_code,
                       "senderAddress": format!("{}{}", seller.province, seller.city), "senderMobile": "13800000000",
                       "senderPhone": "", "encrypt": "CN"},
            "receiver": {"receiverName": to.full_name, "receiverMobile": to.mobile, "receiverPhone": to.phone,
                         "receiverProvince": to.province, "receiverProvinceCode": to_province, "receiverCity": to.city,
                         "receiverCityCode": to_city, "receiverCounty": to.area, "receiverCountyCode": to.area_code,
                         "receiverAddress": to.street, "encrypt": "CN"},
        }],
    }))
}

/// `alibaba.trade.getLogisticsTraceInfo.buyerView`.
pub fn trace(call: &Call<'_>) -> Reply {
    let (order, logistics_id, bill) = match shipped(call) {
        Ok(s) => s,
        Err(reply) => return reply,
    };
    let steps: Vec<Value> = order
        .trace(&call.state.order_config)
        .into_iter()
        .map(|(at, _, remark)| json!({"acceptTime": crate::apis::wire::search_date(at.div_euclid(1000)), "remark": remark}))
        .collect();
    Reply::ok(&json!({
        "success": true,
        "logisticsTrace": [{"logisticsId": logistics_id, "orderId": order.id, "logisticsBillNo": bill, "logisticsSteps": steps}],
    }))
}
