//! The sandbox's trade answers have the shape of the platform's own documentation examples
//! (`fixtures/responses/docs/`: every documented field present, nesting alike) and decode through
//! the SDK's types with the same fields filled, through an order's whole life: previewed, placed
//! (one order, then a cart the platform splits into two), listed, paid for, shipped, traced and
//! cancelled.

mod support;

use std::time::Duration;

use open1688_sandbox::Sandbox;
use open1688_sandbox::catalog::Offer;
use open1688_sandbox::orders::OrderConfig;
use open1688_types::ApiResponse;
use open1688_types::api::logistics::{LogisticsInfosResponse, LogisticsTraceResponse};
use open1688_types::api::order::{CreateOrderResponse, PreviewResponse};
use open1688_types::api::order_read::{
    CancelResponse, OrderDetailResponse, OrderListResponse, PaymentUrlResponse, TradeInfo,
};
use open1688_types::api::payment::{AddressCodeResponse, CrossBorderPayUrlResponse, ReceiveAddressesResponse};
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use support::{Caller, doc_shape_differences, fixture};

const TRADE: &str = "com.alibaba.trade";
const LOGISTICS: &str = "com.alibaba.logistics";

fn assert_doc_shape(doc: &str, actual: &Value) {
    let diffs = doc_shape_differences(&fixture(&format!("responses/docs/{doc}")), actual);
    assert!(diffs.is_empty(), "{doc}: {diffs:#?}\nactual: {actual}");
}

fn decode<T: DeserializeOwned + ApiResponse>(body: &Value) -> T {
    let answer: T = serde_json::from_value(body.clone()).unwrap();
    assert!(answer.business_failure().is_none(), "{body}");
    answer
}

async fn sandbox(split: bool) -> Sandbox {
    Sandbox::builder()
        .catalog_size(2_000, 160)
        .quotas_off()
        .simulated_clock(None)
        .drift_share(0.0)
        .orders(OrderConfig { split_by_offer: split, ..OrderConfig::default() })
        .start()
        .await
        .unwrap()
}

/// Two offers of one seller that can be ordered as they are, each with its MOQ.
fn two_offers(sandbox: &Sandbox) -> [(&Offer, i64); 2] {
    let live = sandbox.state().live();
    let catalog = sandbox.catalog();
    let fits = |o: &Offer| {
        let n = catalog.offer_index(o.id).unwrap();
        !live.offers[n].delisted && o.batch_number <= 1 && live.offers[n].moq <= 50
    };
    for a in catalog.offers.iter().filter(|o| fits(o)) {
        if let Some(b) = catalog.offers.iter().find(|b| b.id != a.id && b.supplier == a.supplier && fits(b)) {
            let moq = |o: &Offer| live.offers[catalog.offer_index(o.id).unwrap()].moq.max(60);
            return [(a, moq(a)), (b, moq(b))];
        }
    }
    panic!("no seller has two orderable offers");
}

fn cargo(lines: &[(&Offer, i64)]) -> String {
    let list: Vec<Value> = lines
        .iter()
        .map(|(o, q)| json!({"offerId": o.id, "specId": o.skus.first().map(|s| s.spec_id.clone()), "quantity": q}))
        .collect();
    Value::Array(list).to_string()
}

fn address(saved: i64) -> String {
    json!({"addressId": saved}).to_string()
}

async fn create(caller: &Caller, saved: i64, lines: &[(&Offer, i64)], out: &str) -> Value {
    let cargo = cargo(lines);
    let address = address(saved);
    caller
        .call(
            TRADE,
            "alibaba.trade.createCrossOrder",
            &[("addressParam", &address), ("cargoParamList", &cargo), ("flow", "general"), ("outOrderId", out)],
        )
        .await
        .json()
}

fn view(body: &Value) -> TradeInfo {
    decode::<OrderDetailResponse>(body).result.unwrap()
}

#[tokio::test]
async fn an_orders_life_answers_as_documented() {
    let sandbox = sandbox(false).await;
    let caller = Caller::demo(&sandbox);
    let [(a, qa), _] = two_offers(&sandbox);

    // Saved addresses: the documented envelope, with towns.
    let saved = caller.call(TRADE, "alibaba.trade.receiveAddress.get", &[]).await.json();
    assert_doc_shape("alibaba.trade.receiveAddress.get.json", &saved);
    let addresses = decode::<ReceiveAddressesResponse>(&saved).addresses();
    assert_eq!(addresses.len(), 2);
    assert!(addresses.iter().all(|a| a.id.is_some() && a.town_name.is_some() && a.town_code.is_some()));
    let saved_id = addresses[0].id.unwrap();

    // A written address parsed into the documented fields.
    let place = &sandbox.catalog().suppliers[0];
    let written = format!("{}{}福田街道 1 号", place.province, place.city);
    let parsed = caller.call(TRADE, "alibaba.trade.addresscode.parse", &[("addressInfo", &written)]).await.json();
    assert_doc_shape("alibaba.trade.addresscode.parse.json", &parsed);
    let parsed = decode::<AddressCodeResponse>(&parsed).result.unwrap();
    assert!(parsed.district_code().is_some() && parsed.post_code.is_some() && parsed.is_default.is_some());

    // The preview: sums in fen, the documented trade model.
    let (cargo_a, address_a) = (cargo(&[(a, qa)]), address(saved_id));
    let preview = caller
        .call(TRADE, "alibaba.createOrder.preview", &[("addressParam", &address_a), ("cargoParamList", &cargo_a)])
        .await
        .json();
    assert_doc_shape("alibaba.createOrder.preview.json", &preview);
    let previewed = decode::<PreviewResponse>(&preview);
    assert_eq!(previewed.previews.len(), 1);
    let total = previewed.previews[0].total_yuan().unwrap();

    // One order made: the documented single-order answer.
    let made = create(&caller, saved_id, &[(a, qa)], "o1688-doc-1").await;
    let made = decode::<CreateOrderResponse>(&made).created();
    assert_eq!(made.len(), 1);
    let id = made[0].order_id.unwrap();

    // Read back: every documented field of get.buyerView, in its types.
    let body = caller
        .call(TRADE, "alibaba.trade.get.buyerView", &[("webSite", "1688"), ("orderId", &id.to_string())])
        .await
        .json();
    let mut unshipped = fixture("responses/docs/alibaba.trade.get.buyerView.json");
    // Before shipping there is nothing to deliver: compare the rest, then the shipment below.
    for key in ["allDeliveredTime", "payTime", "alipayTradeId", "refundStatus"] {
        unshipped["result"]["baseInfo"].as_object_mut().unwrap().remove(key);
    }
    unshipped["result"]["nativeLogistics"].as_object_mut().unwrap().remove("logisticsItems");
    for item in unshipped["result"]["productItems"].as_array_mut().unwrap() {
        for key in ["refundStatus", "refundId", "gmtPayExpireTime", "payTime"] {
            item.as_object_mut().unwrap().remove(key);
        }
    }
    unshipped["result"]["tradeTerms"][0].as_object_mut().unwrap().remove("payTime");
    let diffs = doc_shape_differences(&unshipped, &body);
    assert!(diffs.is_empty(), "{diffs:#?}\n{body}");
    let order = view(&body);
    let base = order.base_info.as_ref().unwrap();
    assert_eq!((base.order_id(), base.business_type.as_deref()), (Some(id), Some("cn")));
    assert_eq!(base.pay_timeout, Some(432_000), "5 days, as every capture says");
    assert_eq!(base.total_amount, Some(total));
    let lines: Decimal = order.product_items.iter().filter_map(|i| i.item_amount).sum();
    assert_eq!(lines + base.shipping_fee.unwrap(), total, "total = ∑ itemAmount + shippingFee");
    for item in &order.product_items {
        let listed = item.price.unwrap() * item.quantity.unwrap();
        assert_eq!(
            item.item_amount.unwrap(),
            listed + item.discount_yuan().unwrap(),
            "itemAmount is after entryDiscount"
        );
    }
    let receiver = base.receiver_info.as_ref().unwrap();
    assert_eq!(receiver.full_name, addresses[0].full_name);
    assert!(receiver.area.as_deref().unwrap().contains(addresses[0].town_name.as_deref().unwrap()));
    assert_eq!(order.trade_terms[0].pay_status.as_deref(), Some("1"));

    // The list: the same order, found by our id.
    let listed = caller
        .call(
            TRADE,
            "alibaba.trade.getBuyerOrderList",
            &[("page", "1"), ("pageSize", "10"), ("outOrderId", "o1688-doc-1")],
        )
        .await
        .json();
    let mut documented = fixture("responses/docs/alibaba.trade.getBuyerOrderList.json");
    {
        // The documented list shows a paid-then-cancelled order; ours is open and unpaid, so the
        // fields of paying and closing are not there yet.
        let order = &mut documented["result"][0];
        for key in ["closeReason", "completeTime", "alipayTradeId"] {
            order["baseInfo"].as_object_mut().unwrap().remove(key);
        }
        for key in ["closeReason", "productCargoNumber"] {
            order["productItems"][0].as_object_mut().unwrap().remove(key);
        }
        order["tradeTerms"][0].as_object_mut().unwrap().remove("payTime");
        // Evidence conflicts here: this example gives idOfStr as a JSON number, get.buyerView's
        // as a string. The SDK reads both; the sandbox sends the string in both (a 19-digit
        // number is not exact in a double).
        order["baseInfo"]["idOfStr"] = json!("0");
    }
    let diffs = doc_shape_differences(&documented, &listed);
    assert!(diffs.is_empty(), "{diffs:#?}\n{listed}");
    assert_eq!(decode::<OrderListResponse>(&listed).result[0].base_info.as_ref().unwrap().order_id(), Some(id));

    // Payment links: the 1688 cashier, for the Alipay and the Kuajingbao way alike.
    let ids = json!([id]).to_string();
    let link = caller.call(TRADE, "alibaba.alipay.url.get", &[("orderIdList", &ids)]).await.json();
    assert_doc_shape("alibaba.alipay.url.get-single.json", &link);
    assert_eq!(
        decode::<PaymentUrlResponse>(&link).pay_url,
        Some(format!("https://trade.1688.com/order/cashier.htm?orderId={id}"))
    );
    let kjb = caller.call(TRADE, "alibaba.crossBorderPay.url.get", &[("orderIdList", &ids)]).await.json();
    assert_eq!(
        decode::<CrossBorderPayUrlResponse>(&kjb).pay_url,
        Some(format!("https://trade.1688.com/order/cashier.htm?orderId={id}"))
    );

    // The seller changes the freight: the total read back moves with it.
    sandbox.change_order_freight(id, Decimal::new(1_234, 2)).unwrap();
    let body = caller
        .call(TRADE, "alibaba.trade.get.buyerView", &[("webSite", "1688"), ("orderId", &id.to_string())])
        .await
        .json();
    let moved = view(&body).base_info.unwrap();
    assert_eq!(moved.shipping_fee, Some(Decimal::new(1_234, 2)));
    assert_eq!(moved.total_amount, Some(lines + Decimal::new(1_234, 2)));

    // Paid, shipped and traced: the shipment and trace as documented.
    sandbox.pay_order(id).unwrap();
    // Shipped 4 h after payment (and within the access token's 10 h).
    sandbox.advance(Duration::from_secs(5 * 3600)).unwrap();
    let body = caller
        .call(TRADE, "alibaba.trade.get.buyerView", &[("webSite", "1688"), ("orderId", &id.to_string())])
        .await
        .json();
    let mut shipped = fixture("responses/docs/alibaba.trade.get.buyerView.json");
    shipped["result"]["baseInfo"].as_object_mut().unwrap().remove("refundStatus");
    for item in shipped["result"]["productItems"].as_array_mut().unwrap() {
        for key in ["refundStatus", "refundId", "gmtPayExpireTime"] {
            item.as_object_mut().unwrap().remove(key);
        }
    }
    let diffs = doc_shape_differences(&shipped, &body);
    assert!(diffs.is_empty(), "{diffs:#?}\n{body}");
    let order = view(&body);
    let shipment = order.shipment().unwrap();
    assert!(shipment.id.is_some(), "a numeric id");
    assert!(shipment.logistics_code.as_deref().unwrap().starts_with("BX"), "the BX string is logisticsCode");
    assert_eq!(shipment.company_id.as_deref(), Some("8"));
    assert!(shipment.sub_item_ids.is_some() && shipment.carrier().is_some());
    assert_eq!(order.trade_terms[0].pay_status.as_deref(), Some("2"));

    let infos = caller
        .call(
            LOGISTICS,
            "alibaba.trade.getLogisticsInfos.buyerView",
            &[("orderId", &id.to_string()), ("webSite", "1688")],
        )
        .await
        .json();
    assert_doc_shape("alibaba.trade.getLogisticsInfos.buyerView.json", &infos);
    let shipment = &decode::<LogisticsInfosResponse>(&infos).result[0];
    assert_eq!(shipment.company_id.as_deref(), Some("8"));
    assert!(infos["result"][0]["logisticsCompanyId"].is_string(), "a string in this API");
    assert_eq!(shipment.receiver.as_ref().unwrap().name, addresses[0].full_name);
    let trace = caller
        .call(
            LOGISTICS,
            "alibaba.trade.getLogisticsTraceInfo.buyerView",
            &[("orderId", &id.to_string()), ("webSite", "1688")],
        )
        .await
        .json();
    assert_doc_shape("alibaba.trade.getLogisticsTraceInfo.buyerView.json", &trace);
    assert!(!decode::<LogisticsTraceResponse>(&trace).traces[0].steps.is_empty());

    // Nothing left to pay: refused, and not with the stock-deduction code.
    let refused = caller.call(TRADE, "alibaba.alipay.url.get", &[("orderIdList", &ids)]).await.json();
    assert_ne!(refused["errorCode"], "PRODUCT_TRADE_STAT_ERROR", "{refused}");
    let refused = caller.call(TRADE, "alibaba.crossBorderPay.url.get", &[("orderIdList", &ids)]).await.json();
    assert_eq!(refused["errorMsg"], "无可使用支付渠道[跨境宝]付款的订单");
}

#[tokio::test]
async fn a_cancelled_order_says_who_closed_it_and_when() {
    let sandbox = sandbox(false).await;
    let caller = Caller::demo(&sandbox);
    let [(a, qa), _] = two_offers(&sandbox);
    let saved =
        decode::<ReceiveAddressesResponse>(&caller.call(TRADE, "alibaba.trade.receiveAddress.get", &[]).await.json())
            .addresses();
    let made = create(&caller, saved[0].id.unwrap(), &[(a, qa)], "o1688-doc-2").await;
    let id = decode::<CreateOrderResponse>(&made).created()[0].order_id.unwrap();
    sandbox.advance(Duration::from_secs(11)).unwrap();
    let cancelled = caller
        .call(
            TRADE,
            "alibaba.trade.cancel",
            &[("webSite", "1688"), ("tradeID", &id.to_string()), ("cancelReason", "buyerCancel")],
        )
        .await
        .json();
    assert_doc_shape("alibaba.trade.cancel.json", &cancelled);
    assert_eq!(decode::<CancelResponse>(&cancelled).success, Some(true));
    let body = caller
        .call(TRADE, "alibaba.trade.get.buyerView", &[("webSite", "1688"), ("orderId", &id.to_string())])
        .await
        .json();
    let order = view(&body);
    let base = order.base_info.as_ref().unwrap();
    assert_eq!(base.status.as_deref(), Some("cancel"));
    assert_eq!(base.close_operate_type.as_deref(), Some("CLOSE_TRADE_BY_BUYER"));
    assert!(base.complete_time.is_some());
    assert_eq!(order.trade_terms[0].pay_status.as_deref(), Some("8"), "closed unpaid");
    let item = &body["result"]["productItems"][0];
    assert_eq!(item["closeReason"], "buyerCancel");
    assert!(item["gmtCompleted"].is_string());
}

#[tokio::test]
async fn a_cart_the_platform_splits_is_answered_as_several_orders() {
    let sandbox = sandbox(true).await;
    let caller = Caller::demo(&sandbox);
    let [(a, qa), (b, qb)] = two_offers(&sandbox);
    let saved =
        decode::<ReceiveAddressesResponse>(&caller.call(TRADE, "alibaba.trade.receiveAddress.get", &[]).await.json())
            .addresses();
    let (cargo_ab, address_ab) = (cargo(&[(a, qa), (b, qb)]), address(saved[0].id.unwrap()));
    let preview = caller
        .call(TRADE, "alibaba.createOrder.preview", &[("addressParam", &address_ab), ("cargoParamList", &cargo_ab)])
        .await
        .json();
    let entries = decode::<PreviewResponse>(&preview).previews;
    assert_eq!(entries.len(), 2, "one entry per order the platform would make");
    let previewed: Decimal = entries.iter().filter_map(|e| e.total_yuan()).sum();

    let made = create(&caller, saved[0].id.unwrap(), &[(a, qa), (b, qb)], "o1688-doc-3").await;
    assert_doc_shape("alibaba.trade.createCrossOrder-multi.json", &made);
    let made = decode::<CreateOrderResponse>(&made).created();
    assert_eq!(made.len(), 2);
    assert_eq!(made.iter().filter_map(|o| o.amount_yuan()).sum::<Decimal>(), previewed);
    let ids: Vec<i64> = made.iter().filter_map(|o| o.order_id).collect();
    let link = caller.call(TRADE, "alibaba.alipay.url.get", &[("orderIdList", &json!(ids).to_string())]).await.json();
    assert_doc_shape("alibaba.alipay.url.get-multi.json", &link);
    assert_eq!(
        decode::<PaymentUrlResponse>(&link).pay_url,
        Some(format!("https://trade.1688.com/order/cashier.htm?orderId={};{}", ids[0], ids[1]))
    );
    let listed = caller
        .call(
            TRADE,
            "alibaba.trade.getBuyerOrderList",
            &[("page", "1"), ("pageSize", "10"), ("outOrderId", "o1688-doc-3")],
        )
        .await
        .json();
    assert_eq!(decode::<OrderListResponse>(&listed).result.len(), 2, "both carry our outOrderId");
}
