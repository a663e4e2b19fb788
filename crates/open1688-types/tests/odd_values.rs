//! One odd value must not fail a whole answer: the documented keyword-search sample, mutated the
//! ways real answers differ (counts as sellers write them, a percentage where a number belongs, a
//! letter, an empty model, an object where a scalar belongs), still decodes; the odd fields are
//! `None` or read the way a buyer reads them, and every other field is intact.

mod fixtures;

use open1688_types::api::search::SearchPage;
use open1688_types::business::CrossBorderResponse;
use open1688_types::oauth::TokenResponse;
use serde_json::{Value, json};

fn sample() -> Value {
    serde_json::from_slice(&fixtures::read("responses/product.search.keywordQuery.json")).unwrap()
}

fn decode(v: &Value) -> SearchPage {
    let resp: CrossBorderResponse<SearchPage> = serde_json::from_str(&v.to_string()).expect("the page decodes");
    resp.into_payload().unwrap()
}

#[test]
fn a_page_with_odd_values_in_one_item_keeps_every_item() {
    let mut v = sample();
    let items = v["result"]["result"]["data"].as_array_mut().unwrap();
    // A second, untouched copy of the item beside the odd one.
    let untouched = items[0].clone();
    items.push(untouched);
    let count = items.len();
    let odd = &mut items[0];
    odd["monthSold"] = json!("1万+");
    odd["sales7d"] = json!("A");
    odd["minOrderQuantity"] = json!({"min": 2});
    odd["priceInfo"] = json!("");
    odd["tradeScore"] = json!("46%");
    odd["createDate"] = json!("yesterday");
    odd["isOnePsale"] = json!([true]);
    let page = decode(&v);
    assert_eq!(page.data.len(), count, "no item was lost");
    let item = &page.data[0];
    assert_eq!(item.month_sold, Some(10_000), "1万+ is at least ten thousand");
    assert_eq!(item.sales7d, None);
    assert_eq!(item.min_order_quantity, None, "an object where a count belongs");
    assert!(item.price_info.is_none(), "an empty model");
    assert_eq!(item.trade_score, None);
    assert_eq!(item.create_date, None);
    assert_eq!(item.is_one_psale, None);
    assert_eq!(item.offer_id, Some(620201390233), "the rest of the item is intact");
    assert_eq!(page.data[count - 1], decode(&sample()).data[0], "the other items are untouched");
}

#[test]
fn a_page_with_a_structurally_bad_item_skips_it_reports_it_and_keeps_the_rest() {
    let mut v = sample();
    let items = v["result"]["result"]["data"].as_array_mut().unwrap();
    let good = items[0].clone();
    items.insert(0, json!("620201390233"));
    items.push(json!(null));
    items.push(good.clone());
    let (page, skipped) = open1688_types::collect_skipped(|| {
        serde_json::from_str::<CrossBorderResponse<SearchPage>>(&v.to_string()).map(|r| r.into_payload().unwrap())
    });
    let page = page.expect("the page survives");
    assert_eq!(page.data.len(), 2, "both good items");
    assert_eq!(page.data[0], page.data[1]);
    let said: Vec<String> = skipped.iter().map(ToString::to_string).collect();
    assert_eq!(
        said,
        ["SearchItem #0: a string where the model belongs", "SearchItem #2: null where the model belongs"]
    );
    // Unknown top-level fields of the wrappers are kept.
    v["requestId"] = json!("r-1");
    let resp: CrossBorderResponse<SearchPage> = serde_json::from_str(&v.to_string()).unwrap();
    assert_eq!(resp.extra["requestId"], "r-1");
}

#[test]
fn malformed_json_still_fails() {
    let text = sample().to_string();
    let truncated = &text[..text.len() / 2];
    assert!(serde_json::from_str::<CrossBorderResponse<SearchPage>>(truncated).is_err());
}

#[test]
fn a_refresh_token_timeout_without_milliseconds_or_unreadable_never_fails_the_token() {
    let t: TokenResponse = serde_json::from_value(json!({
        "access_token": "AT", "refresh_token": "RT", "refresh_token_timeout": "20121222222222+0800"
    }))
    .unwrap();
    assert_eq!(t.refresh_token_timeout.unwrap().to_rfc3339(), "2012-12-22T22:22:22+08:00");
    let t: TokenResponse = serde_json::from_value(json!({
        "access_token": "AT", "refresh_token_timeout": "someday"
    }))
    .unwrap();
    assert_eq!((t.access_token.as_deref(), t.refresh_token_timeout), (Some("AT"), None));
}

#[test]
fn an_empty_err_msg_is_not_a_failure() {
    use open1688_types::ApiResponse;
    use open1688_types::api::product::ProductGetResponse;
    let ok: ProductGetResponse =
        serde_json::from_value(json!({"productInfo": {"productID": 1}, "errMsg": ""})).unwrap();
    assert!(ok.business_failure().is_none());
    let failed: ProductGetResponse = serde_json::from_value(json!({"errMsg": "not your product"})).unwrap();
    assert_eq!(failed.business_failure().unwrap().message.as_deref(), Some("not your product"));
}
