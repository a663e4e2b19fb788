//! Every API answers in its documented shape: same field names, nesting and JSON types as the
//! samples in `../shared/fixtures/responses` (spec §3–§6), type quirks included.

mod support;

use base64::Engine;
use serde_json::{Value, json};
use support::{CB, Caller, fixture, shape_differences, small_sandbox};

fn assert_shape(sample: &str, actual: &Value) {
    let diffs = shape_differences(&fixture(&format!("responses/{sample}")), actual);
    assert!(diffs.is_empty(), "{sample}: {diffs:#?}\nactual: {actual}");
}

#[tokio::test]
async fn keyword_query_matches_the_sample_and_its_quirks() {
    let sandbox = small_sandbox().await;
    let caller = Caller::demo(&sandbox);
    let answer = caller.keyword(json!({"keyword": "T恤", "beginPage": 1, "pageSize": 50, "country": "en"})).await;
    assert_eq!(answer.status, 200);
    let body = answer.json();
    assert_shape("product.search.keywordQuery.json", &body);
    assert_eq!(body["result"]["success"], json!(true), "boolean success in keywordQuery");
    assert!(body["result"]["result"]["data"][0]["priceInfo"]["price"].is_string(), "prices are strings");
}

#[tokio::test]
async fn detail_matches_the_sample() {
    let sandbox = small_sandbox().await;
    let caller = Caller::demo(&sandbox);
    // The sample shows a promoted, per-SKU-priced offer with colour SKUs; pick one like it.
    let offer = sandbox
        .catalog()
        .offers
        .iter()
        .find(|o| o.quote_type == 1 && o.promotion_pct.is_some() && o.category().axes[0].name == "颜色")
        .expect("such an offer exists");
    let body = caller.detail(offer.id).await.json();
    assert_shape("product.search.queryProductDetail.json", &body);
    assert_eq!(body["result"]["result"]["isSelect"], json!("false"), "isSelect is a string in detail");
    assert_eq!(body["result"]["result"]["offerId"], json!(offer.id));
}

#[tokio::test]
async fn seller_offer_list_has_the_search_shape_with_string_is_select() {
    let sandbox = small_sandbox().await;
    let caller = Caller::demo(&sandbox);
    let supplier = &sandbox.catalog().suppliers[3];
    let q = json!({"sellerOpenId": supplier.open_id, "beginPage": 1, "pageSize": 50, "country": "en"});
    let body =
        caller.call(CB, "product.search.querySellerOfferList", &[("offerQueryParam", &q.to_string())]).await.json();
    let data = body["result"]["result"]["data"].as_array().unwrap();
    assert!(!data.is_empty());
    assert!(data.iter().all(|item| item["isSelect"].is_string()));
    let own: Vec<i64> =
        sandbox.catalog().offers_of(3).iter().map(|&i| sandbox.catalog().offers[i as usize].id).collect();
    assert!(data.iter().all(|item| own.contains(&item["offerId"].as_i64().unwrap())));
    assert_eq!(body["result"]["result"]["totalRecords"], json!(own.len()));
}

#[tokio::test]
async fn image_upload_and_query_write_success_as_a_string() {
    let sandbox = small_sandbox().await;
    let caller = Caller::demo(&sandbox);
    let offer = &sandbox.catalog().offers[0];
    let png = reqwest::get(format!("{}/img/ibank/{}_0.png", sandbox.base_url(), offer.id))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let b64 = base64::engine::general_purpose::STANDARD.encode(&png);
    let upload = caller
        .call(CB, "product.image.upload", &[("uploadImageParam", &json!({"imageBase64": b64}).to_string())])
        .await
        .json();
    assert_shape("product.image.upload.json", &upload);
    let image_id = upload["result"]["result"].as_str().unwrap();
    let q = json!({"imageId": image_id, "beginPage": 1, "pageSize": 20, "country": "en"});
    let body = caller.call(CB, "product.search.imageQuery", &[("offerQueryParam", &q.to_string())]).await.json();
    assert_eq!(body["result"]["success"], json!("true"));
    let page = &body["result"]["result"];
    assert!(page["picRegionInfo"]["currentRegion"].is_string());
    let item = &page["data"][0];
    assert!(item["companyName"].is_string() && item["offerDataInfo"].is_object());
    assert!(item.get("aigcImageUrl").is_none() && item.get("whiteImage").is_none(), "not in image search items");
    // The search item sample applies to image results too, minus the fields imageQuery lacks.
    let mut sample = fixture("responses/product.search.keywordQuery.json");
    let sample_item = &mut sample["result"]["result"]["data"][0];
    sample_item.as_object_mut().unwrap().retain(|k, _| k != "aigcImageUrl" && k != "whiteImage");
    // Few image matches carry an offer identity; the field's type is what matters here.
    sample_item["offerIdentities"] = json!([]);
    sample["result"]["success"] = json!("true");
    let diffs = shape_differences(&sample, &body);
    assert!(diffs.is_empty(), "{diffs:#?}");
}

#[tokio::test]
async fn product_get_and_accounts_match_their_samples() {
    let sandbox = small_sandbox().await;
    let caller = Caller::demo(&sandbox);
    let catalog = sandbox.catalog();
    let own = catalog
        .offers_of(0)
        .iter()
        .map(|&i| &catalog.offers[i as usize])
        .find(|o| !o.skus.is_empty() && o.ladder.len() > 1)
        .expect("the demo member lists an offer with SKUs and tiers");
    let body = caller
        .call("com.alibaba.product", "alibaba.product.get", &[("productID", &own.id.to_string()), ("webSite", "1688")])
        .await
        .json();
    assert_shape("alibaba.product.get.json", &body);
    assert!(body["productInfo"]["saleInfo"]["priceRanges"][0]["price"].is_f64(), "prices are doubles here");
    assert!(body["productInfo"]["createTime"].as_str().unwrap().ends_with("+0800"));

    let list = caller
        .call("com.alibaba.product", "alibaba.product.getByIdList", &[("productIdList", &format!("[{}]", own.id))])
        .await
        .json();
    assert_eq!(list["success"], json!(true));
    assert_eq!(list["productList"][0]["productID"], json!(own.id));

    let basic = caller.call("com.alibaba.account", "alibaba.account.basic", &[]).await.json();
    assert_shape("alibaba.account.basic.json", &basic);
    assert_eq!(basic["result"]["loginId"], json!(catalog.suppliers[0].login_id));

    let other = &catalog.suppliers[7];
    let cross = caller
        .call("com.alibaba.account", "alibaba.account.agent.crossBasic", &[("domain", &other.domain())])
        .await
        .json();
    assert_shape("alibaba.account.agent.crossBasic.json", &cross);
    assert_eq!(cross["result"]["companyName"], json!(other.company));
    let missing = caller
        .call("com.alibaba.account", "alibaba.account.agent.crossBasic", &[("loginId", "nobody-here")])
        .await
        .json();
    assert_eq!(missing["success"], json!(false));
    assert_eq!(missing["errorCode"], json!("MEMBER_NOT_FOUND"));
}

#[tokio::test]
async fn gateway_errors_and_server_time_match_the_spec() {
    let sandbox = small_sandbox().await;
    let caller = Caller::demo(&sandbox);
    let mut wrong = Caller::demo(&sandbox);
    wrong.secret = "not-the-secret".into();
    let answer = wrong.call(CB, "product.search.keywordQuery", &[("offerQueryParam", "{}")]).await;
    assert_eq!(answer.status, 400);
    assert_shape("gateway-error.json", &answer.json());
    assert_eq!(answer.error_code(), "gw.SignatureInvalid");

    let millis = caller.post(&format!("param2/1/system/currentTimeMillis/{}", caller.app_key), "").await;
    assert_eq!(millis.body, sandbox.now_ms().to_string(), "a bare integer on the sandbox clock");
    let time = caller.call("system", "currentTime", &[]).await;
    assert_eq!(time.status, 200);
    assert_eq!(time.body, "\"20261101000000000+0800\"", "a quoted date string");
}
