//! The platform's own documentation examples (`fixtures/responses/docs/`, copied verbatim from
//! each API's page) decode through the SDK's types with their values: not just "it parses".

mod fixtures;

use open1688_types::ApiResponse;
use open1688_types::api::logistics::{LogisticsInfosResponse, LogisticsTraceResponse};
use open1688_types::api::order::{CreateOrderResponse, PreviewResponse};
use open1688_types::api::order_read::{
    CancelResponse, OrderDetailResponse, OrderListResponse, OrderStatus, PaymentUrlResponse,
};
use open1688_types::api::payment::{AddressCodeResponse, ReceiveAddressesResponse};
use open1688_types::api::search::SearchItem;
use open1688_types::business::CrossBorderResult;
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;

fn doc<T: DeserializeOwned>(name: &str) -> T {
    let bytes = fixtures::read(&format!("responses/docs/{name}"));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("docs/{name} does not decode: {e}"))
}

fn yuan(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

#[test]
fn order_preview() {
    let r: PreviewResponse = doc("alibaba.createOrder.preview.json");
    assert!(r.business_failure().is_none());
    assert_eq!(r.success, Some(true));
    let entry = &r.previews[0];
    assert_eq!(entry.status, Some(true));
    assert_eq!(entry.flow_flag.as_deref(), Some("general"));
    assert_eq!(
        (entry.total_yuan(), entry.freight_yuan(), entry.goods_yuan()),
        (Some(yuan(4400)), Some(yuan(800)), Some(yuan(3600)))
    );
    assert_eq!(entry.discount_fee, None);
    let line = &entry.cargo[0];
    assert_eq!((line.offer_id, line.sku_id), (Some(548_818_919_805), Some(3_332_085_412_530)));
    assert_eq!(line.spec_id.as_deref(), Some("eb81c61de14f4adb405ffcc2c8a4a3fb"));
    assert_eq!((line.amount, line.final_unit_price), (Some(Decimal::from(36)), Some(Decimal::from(18))));
    assert_eq!(line.line_discount(2), None, "36 = 18 × 2: no line promotion");
    assert_eq!(line.line_discount(3), Some(Decimal::from(18)), "54 listed, 36 charged");
    assert_eq!(entry.extra["tradeModelList"][0]["name"], "担保交易");
}

#[test]
fn create_cross_order_in_each_documented_shape() {
    let alipay: CreateOrderResponse = doc("alibaba.trade.createCrossOrder-alipay.json");
    assert!(alipay.business_failure().is_none(), "success:false beside an order id is a created order");
    let made = alipay.created();
    assert_eq!(made.len(), 1);
    assert_eq!((made[0].order_id, made[0].amount_yuan()), (Some(87_407_346_014_789_305), Some(yuan(156_800))));

    let period: CreateOrderResponse = doc("alibaba.trade.createCrossOrder-period.json");
    assert_eq!(period.created()[0].order_id, Some(87_407_346_015_789_305));
    assert_eq!(period.extra["accountPeriod"]["tapDate"], 360);

    let multi: CreateOrderResponse = doc("alibaba.trade.createCrossOrder-multi.json");
    assert!(multi.business_failure().is_none());
    let made = multi.created();
    assert_eq!(
        made.iter().map(|o| o.order_id).collect::<Vec<_>>(),
        [Some(105_581_756_010_628_640), Some(105_637_283_010_628_640)]
    );
    assert_eq!(
        made.iter().map(|o| o.amount_yuan()).collect::<Vec<_>>(),
        [Some(yuan(4_848_000)), Some(yuan(5_050_000))]
    );
    assert_eq!(made.iter().map(|o| o.post_fee_yuan()).collect::<Vec<_>>(), [Some(yuan(48_000)), Some(yuan(50_000))]);
    assert_eq!(made.iter().map(|o| o.goods).collect::<Vec<_>>(), [Some(4_800_000), Some(5_000_000)]);
}

#[test]
fn payment_links() {
    let single: PaymentUrlResponse = doc("alibaba.alipay.url.get-single.json");
    assert!(single.business_failure().is_none());
    assert_eq!(single.pay_url.as_deref(), Some("https://trade.1688.com/order/cashier.htm?orderId=151923545459498520"));
    let multi: PaymentUrlResponse = doc("alibaba.alipay.url.get-multi.json");
    assert!(multi.business_failure().is_none());
    assert_eq!(
        multi.pay_url.as_deref(),
        Some("https://trade.1688.com/order/cashier.htm?orderId=154051432607498520;151923545459498520")
    );
}

#[test]
fn cancel() {
    let r: CancelResponse = doc("alibaba.trade.cancel.json");
    assert_eq!(r.success, Some(true));
    assert!(r.business_failure().is_none());
}

#[test]
fn one_order_as_the_buyer_sees_it() {
    let r: OrderDetailResponse = doc("alibaba.trade.get.buyerView.json");
    assert!(r.business_failure().is_none());
    let order = r.result.unwrap();
    let base = order.base_info.as_ref().unwrap();
    assert_eq!(base.order_id(), Some(58_218_860_983_545_941), "idOfStr, not the id that went through a double");
    assert_eq!(base.id, Some(58_218_860_983_545_944));
    assert_eq!(base.order_status(), Some(OrderStatus::WaitBuyerReceive));
    assert_eq!(base.business_type.as_deref(), Some("cn"));
    assert_eq!(
        (base.total_amount, base.shipping_fee, base.sum_product_payment),
        (Some(yuan(615)), Some(Decimal::from(6)), Some(yuan(30)))
    );
    assert_eq!(base.discount_yuan(), Some(Decimal::ZERO));
    assert_eq!(base.create_time.unwrap().to_rfc3339(), "2017-09-13T23:17:08-07:00");
    let receiver = base.receiver_info.as_ref().unwrap();
    assert_eq!(receiver.full_name.as_deref(), Some("童恩杰"));
    assert_eq!(receiver.area.as_deref(), Some("浙江省 杭州市 滨江区 长河街道"));
    assert_eq!((receiver.division_code.as_deref(), receiver.town_code.as_deref()), (Some("330108"), Some("330108002")));
    assert_eq!(receiver.post.as_deref(), Some("312000"));

    let logistics = order.native_logistics.as_ref().unwrap();
    assert_eq!((logistics.province.as_deref(), logistics.town.as_deref()), (Some("浙江省"), Some("长河街道")));
    assert_eq!(logistics.contact_person.as_deref(), Some("童恩杰"));
    let shipment = order.shipment().unwrap();
    assert_eq!(shipment.id, Some(107_450_035_961_376), "a number");
    assert_eq!(shipment.logistics_code.as_deref(), Some("BX107450035961376"), "the BX string is logisticsCode");
    assert_eq!(shipment.bill_no.as_deref(), Some("不需要物流"));
    assert_eq!(shipment.sub_item_ids.as_deref(), Some("58218860984545941,58218860985545941,58218860986545941"));
    assert_eq!(shipment.delivered_time.unwrap().to_rfc3339(), "2017-09-13T23:19:17-07:00");

    assert_eq!(order.product_items.len(), 3);
    let first = &order.product_items[0];
    assert_eq!((first.product_id, first.sku_id), (Some(547_486_647_009), Some(3_315_536_521_048)));
    assert_eq!(first.line_id(), Some(128_403_042_259_997_715), "subItemIDString is exact");
    assert_eq!((first.price, first.quantity, first.item_amount), (Some(yuan(30)), Some(Decimal::ONE), Some(yuan(30))));
    assert_eq!(
        first.sku_infos.iter().map(|a| (a.name.as_deref(), a.value.as_deref())).collect::<Vec<_>>(),
        [(Some("颜色"), Some("白色")), (Some("容量"), Some("1.1L-2L"))]
    );
    assert_eq!(first.discount_yuan(), Some(Decimal::ZERO));
    let half = &order.product_items[1];
    assert_eq!((half.price, half.item_amount), (Some(yuan(10)), Some(yuan(5))), "itemAmount is after discounts");
    // Test-account data: its lines (0.40) do not add up to its header (0.30 goods, 6.15 in all),
    // so the rule total = ∑ itemAmount + shippingFee comes from captured answers, not from here.
    let lines: Decimal = order.product_items.iter().filter_map(|i| i.item_amount).sum();
    assert_eq!(lines, yuan(40));

    let term = &order.trade_terms[0];
    assert_eq!(
        (term.pay_status.as_deref(), term.pay_way.as_deref(), term.amount),
        (Some("2"), Some("1"), Some(yuan(615)))
    );
}

#[test]
fn the_order_list() {
    let r: OrderListResponse = doc("alibaba.trade.getBuyerOrderList.json");
    assert!(r.business_failure().is_none());
    assert_eq!(r.total_record, Some(537));
    let order = &r.result[0];
    let base = order.base_info.as_ref().unwrap();
    assert_eq!(base.id_of_str, Some(196_965_465_451_498_520), "idOfStr as a JSON number, read exactly");
    assert_eq!(base.order_id(), Some(196_965_465_451_498_520));
    assert_eq!(base.order_status(), Some(OrderStatus::Cancel));
    assert_eq!(base.close_reason.as_deref(), Some("BUYER_NO_PAY"));
    assert_eq!(base.discount_yuan(), Some(yuan(-3989)));
    assert_eq!(base.complete_time.unwrap().to_rfc3339(), "2018-08-06T10:44:25+08:00");
    assert_eq!((base.total_amount, base.sum_product_payment), (Some(yuan(1)), Some(yuan(3990))));
    let item = &order.product_items[0];
    assert_eq!(
        (item.price, item.item_amount, item.discount_yuan()),
        (Some(yuan(3990)), Some(yuan(1)), Some(yuan(-3989)))
    );
    assert_eq!(item.extra["productCargoNumber"], "KY");
    assert_eq!(order.trade_terms[0].pay_status.as_deref(), Some("8"), "closed unpaid");
    assert!(order.shipment().is_none());
}

#[test]
fn saved_addresses() {
    let r: ReceiveAddressesResponse = doc("alibaba.trade.receiveAddress.get.json");
    assert!(r.business_failure().is_none());
    assert_eq!(r.success, Some(true));
    let all = r.addresses();
    assert_eq!(all.len(), 6);
    let first = &all[0];
    assert_eq!(first.id, Some(560_954_849));
    assert_eq!(first.full_name.as_deref(), Some("b2b-测试账号006"));
    assert_eq!((first.post_code.as_deref(), first.mobile.as_deref()), (Some("810600"), Some("13071801119")));
    assert_eq!(first.address_code.as_deref(), Some("632122"));
    assert_eq!((first.town_code.as_deref(), first.town_name.as_deref()), (Some("630222100"), Some("川口镇")));
    assert_eq!(first.one_line(), "青海省 海东市 民和回族土族自治县 川口镇 AAAAb2b-测试账号00613071801119");
    assert_eq!(all[3].phone.as_deref(), Some(""));
    assert_eq!(all[5].address_code_text.as_deref(), Some("广东省 东莞市"));
}

#[test]
fn a_parsed_address() {
    let r: AddressCodeResponse = doc("alibaba.trade.addresscode.parse.json");
    assert!(r.business_failure().is_none());
    let parsed = r.result.unwrap();
    assert_eq!(parsed.district_code(), Some("330108"));
    assert_eq!((parsed.address.as_deref(), parsed.post_code.as_deref()), (Some("网商路699号"), Some("310051")));
    assert_eq!((parsed.is_default, parsed.latest), (Some(false), Some(false)));
}

#[test]
fn shipments() {
    let r: LogisticsInfosResponse = doc("alibaba.trade.getLogisticsInfos.buyerView.json");
    assert!(r.business_failure().is_none());
    let shipment = &r.result[0];
    assert_eq!(shipment.logistics_id.as_deref(), Some("BX111841674232006"));
    assert_eq!(shipment.status.as_deref(), Some("SIGN"));
    assert_eq!(shipment.company_id.as_deref(), Some("8"), "a string here");
    assert_eq!(shipment.order_entry_ids.as_deref(), Some("149989279191615400"));
    let sent = &shipment.send_goods[0];
    assert_eq!(
        (sent.name.as_deref(), sent.quantity, sent.unit.as_deref()),
        (Some("【茂茂回归】12.9公开-sku区间价-淘货源"), Some(Decimal::from(2)), Some("个"))
    );
    let to = shipment.receiver.as_ref().unwrap();
    assert_eq!(
        (to.name.as_deref(), to.city.as_deref(), to.county_code.as_deref()),
        (Some("XXX"), Some("上海市"), Some("310105"))
    );
    assert_eq!(to.address.as_deref(), Some("XXX街道 XX路999"));
    assert_eq!(shipment.extra["sender"]["senderCity"], "杭州市");
}

#[test]
fn a_carriers_trace() {
    let r: LogisticsTraceResponse = doc("alibaba.trade.getLogisticsTraceInfo.buyerView.json");
    assert!(r.business_failure().is_none());
    let trace = &r.traces[0];
    assert_eq!(
        (trace.logistics_id.as_deref(), trace.bill_no.as_deref()),
        (Some("LP00106397027178"), Some("3832890717253"))
    );
    assert_eq!(trace.extra["orderId"], 188_983_797_838_441_800_i64);
    assert_eq!(trace.steps.len(), 9);
    assert_eq!(trace.steps[0].accept_time.as_deref(), Some("2018-07-24 21:55:33"));
    assert_eq!(trace.steps[8].remark.as_deref(), Some("快件已被 已签收 签收"));
}

#[test]
fn recommended_offers() {
    let r: CrossBorderResult<Vec<SearchItem>> = doc("product.search.offerRecommend.json");
    assert_eq!((r.success, r.code.as_deref()), (Some(true), Some("200")));
    let items = r.result.unwrap();
    assert_eq!(items.len(), 10);
    let first = &items[0];
    assert_eq!(first.offer_id, Some(666_353_603_800));
    assert_eq!(first.is_one_psale, Some(false), "onePsale, not isOnePsale");
    assert!(!first.extra.contains_key("onePsale"));
    assert_eq!(first.price_info.as_ref().unwrap().price, Some(yuan(170)));
    assert_eq!((first.month_sold, first.repurchase_rate.as_deref()), (Some(4861), Some("22%")));
    assert_eq!(first.subject.as_deref(), Some("不锈钢玉米刨 剥玉米神器家用厨房脱粒器玉米粒分离器剥离器工具"));
    assert_eq!(items[7].seller_identities, ["super_factory", "powerful_merchants"]);
    assert_eq!(first.extra["class"], "com.alibaba.cbu.offer.model.ProductInfoModel");
}
