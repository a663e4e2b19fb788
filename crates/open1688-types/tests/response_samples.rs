//! Every documented response sample decodes (the samples are ground truth; never edit them).

mod fixtures;

use open1688_types::api::search::SearchPage;
use open1688_types::business::CrossBorderResponse;
use open1688_types::oauth::TokenResponse;
use open1688_types::{ApiResponse, GatewayErrorBody, GatewayErrorCode};
use rust_decimal::Decimal;

fn sample(name: &str) -> Vec<u8> {
    fixtures::read(&format!("responses/{name}"))
}

#[test]
fn keyword_query_sample() {
    let resp: CrossBorderResponse<SearchPage> =
        serde_json::from_slice(&sample("product.search.keywordQuery.json")).unwrap();
    assert!(resp.business_failure().is_none());
    let page = resp.into_payload().unwrap();
    assert_eq!(
        (page.total_records, page.total_page, page.page_size, page.current_page),
        (Some(2000), Some(100), Some(20), Some(1))
    );
    let item = &page.data[0];
    assert_eq!(item.offer_id, Some(620201390233));
    assert_eq!(item.subject_trans.as_deref(), Some("Biscuit gift box"));
    let price = item.price_info.as_ref().unwrap();
    assert_eq!(price.price, Some(Decimal::new(1050, 2)));
    assert_eq!(price.jxhy_price, None, "an empty price string is absent, not zero");
    assert_eq!(item.month_sold, Some(1213));
    assert_eq!(item.sales7d, Some(35));
    assert_eq!(item.seller_identities, ["super_factory"]);
    assert_eq!(item.create_date.unwrap().to_rfc3339(), "2024-04-20T08:00:00+08:00");
    let seller = item.seller_data_info.as_ref().unwrap();
    assert_eq!(seller.tp_year, Some(5));
    assert_eq!(seller.trade_medal_level, Some(3));
    assert_eq!(seller.repeat_purchase_percent, Some(Decimal::new(46, 2)));
    // Unknown fields are kept.
    assert!(item.extra.contains_key("traceInfo"));
    assert!(item.extra.contains_key("productTradeInfo"));
}

#[test]
fn token_sample() {
    let t: TokenResponse = serde_json::from_slice(&sample("oauth-get-token.json")).unwrap();
    assert_eq!(t.expires_in, Some(36000));
    assert_eq!(t.resource_owner.as_deref(), Some("龙江味道88"));
    assert_eq!(t.member_id.as_deref(), Some("b2b-1711749575"));
    assert_eq!(t.refresh_token_timeout.unwrap().to_rfc3339(), "2017-01-26T09:45:56+08:00");
    assert_eq!(t.access_token.as_deref(), Some("81dfefd1-7bf0-46a3-8a7b-a9b53a21b292"));
}

#[test]
fn gateway_error_sample() {
    let e = GatewayErrorBody::from_json(&sample("gateway-error.json")).unwrap();
    assert_eq!(e.code(), Some(GatewayErrorCode::AclDecline));
    assert_eq!(e.request_id.as_deref(), Some("2146a21517799488479778174e1539"));
}

#[test]
fn image_upload_sample_has_string_success() {
    let r: CrossBorderResponse<String> = serde_json::from_slice(&sample("product.image.upload.json")).unwrap();
    assert!(r.business_failure().is_none());
    assert_eq!(r.into_payload().as_deref(), Some("1234567890123456789"));
}

#[test]
fn no_sample_is_mistaken_for_a_failure() {
    for name in [
        "alibaba.account.agent.crossBasic.json",
        "alibaba.account.basic.json",
        "alibaba.product.get.json",
        "product.search.keywordQuery.json",
        "product.image.upload.json",
        "product.search.queryProductDetail.json",
    ] {
        let v: serde_json::Value = serde_json::from_slice(&sample(name)).unwrap();
        assert!(v.business_failure().is_none(), "{name}");
        assert!(GatewayErrorBody::from_json(&sample(name)).is_none(), "{name}");
    }
}

#[test]
fn detail_sample_decodes_with_ladder_skus_and_quirks() {
    use open1688_types::api::detail::ProductDetail;
    let r: CrossBorderResponse<ProductDetail> =
        serde_json::from_slice(&sample("product.search.queryProductDetail.json")).unwrap();
    assert!(r.business_failure().is_none());
    let d = r.into_payload().unwrap();
    assert_eq!(d.offer_id, Some(620201390233));
    let sale = d.product_sale_info.as_ref().unwrap();
    assert_eq!(sale.quote_type, Some(1));
    let ladder: Vec<_> = sale.price_range_list.iter().map(|t| (t.start_quantity, t.price)).collect();
    assert_eq!(ladder, [(Some(2), Some(Decimal::new(1050, 2))), (Some(100), Some(Decimal::new(980, 2)))]);
    assert_eq!(d.product_sku_infos[0].sku_id, Some(5104790281451));
    assert_eq!(d.product_sku_infos[0].sku_attributes[0].value.as_deref(), Some("红色"));
    assert_eq!(d.is_select, Some(false), "the string \"false\"");
    assert_eq!(d.sold_out, Some(12342), "a number written as a string");
    let mix = d.seller_mix_setting.as_ref().unwrap();
    assert_eq!((mix.general_hunpi, mix.mix_amount, mix.mix_number), (Some(true), Some(Decimal::from(100)), Some(2)));
    assert_eq!(d.product_shipping_info.as_ref().unwrap().weight, Some(Decimal::new(5, 1)));
}

#[test]
fn account_samples_decode() {
    use open1688_types::api::account::AccountInfo;
    use open1688_types::business::AccountResponse;
    let basic: AccountResponse<AccountInfo> = serde_json::from_slice(&sample("alibaba.account.basic.json")).unwrap();
    let info = basic.result.unwrap();
    assert_eq!((info.user_id, info.member_id.as_deref()), (Some(1623492085), Some("b2b-1623492085")));
    assert!(info.create_date.is_some());
    let cross: AccountResponse<AccountInfo> =
        serde_json::from_slice(&sample("alibaba.account.agent.crossBasic.json")).unwrap();
    assert_eq!(cross.result.unwrap().shop_url.as_deref(), Some("https://trgm66666.1688.com"));
}
