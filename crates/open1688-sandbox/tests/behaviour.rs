//! What the APIs do with their data: search semantics, owner scoping, image search, determinism,
//! faults at their configured rates, and clock-driven changes that match the change log.

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use base64::Engine;
use open1688_sandbox::{ChangeKind, FaultPlan, FaultRates, Sandbox};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use support::{CB, Caller, small_sandbox};

fn data(body: &Value) -> &Vec<Value> {
    body["result"]["result"]["data"].as_array().expect("a data array")
}

#[tokio::test]
async fn keyword_search_pages_sorts_filters_and_caps_at_2000() {
    let sandbox = Sandbox::builder().quotas_off().start().await.unwrap();
    let caller = Caller::demo(&sandbox);
    // A broad English word matches more than 2000 offers: totalRecords stops at the cap.
    let body =
        caller.keyword(json!({"keyword": "wholesale", "beginPage": 1, "pageSize": 50, "country": "en"})).await.json();
    let page = &body["result"]["result"];
    assert_eq!(page["totalRecords"], json!(2000));
    assert_eq!(page["totalPage"], json!(41), "at the cap, total / pageSize + 1, as the live gateway counts");
    let beyond =
        caller.keyword(json!({"keyword": "wholesale", "beginPage": 41, "pageSize": 50, "country": "en"})).await.json();
    assert!(data(&beyond).is_empty(), "nothing past the cap");

    // Every page of a smaller result set adds up to totalRecords, without repeats.
    let mut seen = std::collections::HashSet::new();
    let mut total = None;
    for page_no in 1.. {
        let body = caller
            .keyword(json!({"keyword": "雨伞", "beginPage": page_no, "pageSize": 50, "country": "en"}))
            .await
            .json();
        total.get_or_insert(body["result"]["result"]["totalRecords"].as_u64().unwrap());
        let items = data(&body);
        if items.is_empty() {
            break;
        }
        for item in items {
            assert!(
                item["subject"].as_str().unwrap().contains("雨伞") || item["subject"].as_str().unwrap().contains("伞")
            );
            assert!(seen.insert(item["offerId"].as_i64().unwrap()));
        }
    }
    assert_eq!(Some(seen.len() as u64), total);

    let sorted = caller
        .keyword(json!({"keyword": "Socks", "beginPage": 1, "pageSize": 50, "country": "en", "sort": "{\"price\":\"asc\"}", "priceStart": "2", "priceEnd": "6"}))
        .await
        .json();
    let prices: Vec<Decimal> =
        data(&sorted).iter().map(|i| i["priceInfo"]["price"].as_str().unwrap().parse().unwrap()).collect();
    assert!(!prices.is_empty());
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "ascending: {prices:?}");
    assert!(prices.iter().all(|p| *p >= Decimal::from(2) && *p <= Decimal::from(6)));

    let by_category = caller
        .keyword(json!({"keyword": "Wholesale", "categoryId": 32, "pageSize": 50, "beginPage": 1, "country": "en"}))
        .await
        .json();
    assert!(data(&by_category).iter().all(|i| i["thirdCategoryId"] == json!(32)));

    let too_big =
        caller.keyword(json!({"keyword": "袜子", "beginPage": 1, "pageSize": 51, "country": "en"})).await.json();
    assert_eq!(too_big["result"]["success"], json!(false));
    assert!(too_big["result"]["message"].as_str().unwrap().contains("pageSize must be at most 50"));
    let no_country = caller.keyword(json!({"keyword": "袜子", "beginPage": 1, "pageSize": 5})).await.json();
    assert!(no_country["result"]["message"].as_str().unwrap().contains("country"));
}

#[tokio::test]
async fn product_get_is_owner_scoped() {
    let sandbox = small_sandbox().await;
    let caller = Caller::demo(&sandbox);
    let catalog = sandbox.catalog();
    let own = catalog.offers[catalog.offers_of(0)[0] as usize].id;
    let foreign = catalog.offers.iter().find(|o| o.supplier != 0).unwrap().id;
    let ok = caller
        .call("com.alibaba.product", "alibaba.product.get", &[("productID", &own.to_string()), ("webSite", "1688")])
        .await
        .json();
    assert_eq!(ok["success"], json!(true));
    let refused = caller
        .call("com.alibaba.product", "alibaba.product.get", &[("productID", &foreign.to_string()), ("webSite", "1688")])
        .await;
    assert_eq!(refused.status, 200);
    let refused = refused.json();
    assert_eq!(refused["success"], json!(false));
    assert!(refused["errMsg"].as_str().unwrap().contains("does not belong"));
    let list = caller
        .call("com.alibaba.product", "alibaba.product.getByIdList", &[("productIdList", &format!("[{own},{foreign}]"))])
        .await
        .json();
    let ids: Vec<i64> =
        list["productList"].as_array().unwrap().iter().map(|p| p["productID"].as_i64().unwrap()).collect();
    assert_eq!(ids, [own], "only the member's own offers");

    // Another member's token sees that member's offers instead.
    let other = sandbox
        .issue_tokens(
            sandbox.app_key(),
            Some(&catalog.suppliers[catalog.offer(foreign).unwrap().supplier as usize].login_id),
        )
        .unwrap();
    let mut as_other = Caller::demo(&sandbox);
    as_other.token = Some(other.access_token);
    let seen = as_other
        .call("com.alibaba.product", "alibaba.product.get", &[("productID", &foreign.to_string()), ("webSite", "1688")])
        .await
        .json();
    assert_eq!(seen["success"], json!(true));
}

async fn upload(caller: &Caller, bytes: &[u8]) -> Value {
    let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
    caller
        .call(CB, "product.image.upload", &[("uploadImageParam", &json!({"imageBase64": b64}).to_string())])
        .await
        .json()
}

#[tokio::test]
async fn image_search_finds_same_factory_siblings_first() {
    let sandbox = Sandbox::builder().quotas_off().start().await.unwrap();
    let caller = Caller::demo(&sandbox);
    let catalog = sandbox.catalog();
    let mut groups: BTreeMap<u32, Vec<i64>> = BTreeMap::new();
    for o in &catalog.offers {
        groups.entry(o.group).or_default().push(o.id);
    }
    let multi: Vec<&Vec<i64>> = groups.values().filter(|g| g.len() >= 3).take(30).collect();
    assert_eq!(multi.len(), 30, "the catalog has same-factory groups");
    for group in multi {
        let png = reqwest::get(format!("{}/img/ibank/{}_0.png", sandbox.base_url(), group[0]))
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let id = upload(&caller, &png).await["result"]["result"].as_str().unwrap().to_owned();
        let q = json!({"imageId": id, "beginPage": 1, "pageSize": 10, "country": "en"});
        let body = caller.call(CB, "product.search.imageQuery", &[("offerQueryParam", &q.to_string())]).await.json();
        let top: Vec<i64> = data(&body).iter().take(5).map(|i| i["offerId"].as_i64().unwrap()).collect();
        for sibling in group.iter().take(5) {
            assert!(top.contains(sibling), "sibling {sibling} of group {group:?} in the top 5 {top:?}");
        }
    }

    let not_an_image = upload(&caller, b"%PDF-1.7 not a picture").await;
    assert_eq!(not_an_image["result"]["success"], json!("false"));
    assert_eq!(not_an_image["result"]["code"], json!("IMAGE_FORMAT_ERROR"));

    // A crop of the image, and a platform URL instead of an imageId.
    let first = catalog.offers[0].id;
    let png =
        reqwest::get(format!("{}/img/ibank/{first}_0.png", sandbox.base_url())).await.unwrap().bytes().await.unwrap();
    let id = upload(&caller, &png).await["result"]["result"].as_str().unwrap().to_owned();
    let q = json!({"imageId": id, "region": "0,160,0,160", "beginPage": 1, "pageSize": 10, "country": "en"});
    let cropped = caller.call(CB, "product.search.imageQuery", &[("offerQueryParam", &q.to_string())]).await.json();
    assert_eq!(cropped["result"]["result"]["picRegionInfo"]["currentRegion"], json!("0,160,0,160"));
    let q = json!({"imageAddress": format!("{}/img/ibank/{first}_0.png", sandbox.base_url()), "beginPage": 1, "pageSize": 5, "country": "en"});
    let by_url = caller.call(CB, "product.search.imageQuery", &[("offerQueryParam", &q.to_string())]).await.json();
    assert_eq!(data(&by_url)[0]["offerId"], json!(first));
    let q = json!({"imageAddress": "https://example.com/cat.jpg", "beginPage": 1, "pageSize": 5, "country": "en"});
    let elsewhere = caller.call(CB, "product.search.imageQuery", &[("offerQueryParam", &q.to_string())]).await.json();
    assert_eq!(elsewhere["result"]["code"], json!("SYSTEM_ERROR"));
}

#[tokio::test]
async fn two_starts_with_one_seed_answer_the_same_bytes() {
    let a = small_sandbox().await;
    let b = small_sandbox().await;
    let offer = a.catalog().offers[17].id;
    let (ca, cb) = (Caller::demo(&a), Caller::demo(&b));
    assert_eq!(a.access_token(), b.access_token(), "tokens derive from the seed");
    let q = json!({"keyword": "Phone Case", "beginPage": 2, "pageSize": 20, "country": "en"});
    let normalize = |s: &Sandbox, body: String| body.replace(s.base_url(), "BASE");
    for (x, y) in
        [(ca.keyword(q.clone()).await, cb.keyword(q.clone()).await), (ca.detail(offer).await, cb.detail(offer).await)]
    {
        assert_eq!(normalize(&a, x.body), normalize(&b, y.body));
    }
    let png_a = reqwest::get(format!("{}/img/ibank/{offer}_1.png", a.base_url())).await.unwrap().bytes().await.unwrap();
    let png_b = reqwest::get(format!("{}/img/ibank/{offer}_1.png", b.base_url())).await.unwrap().bytes().await.unwrap();
    assert_eq!(png_a, png_b, "same image bytes");
    let other = Sandbox::builder().catalog_size(3_000, 240).seed(99).simulated_clock(None).start().await.unwrap();
    assert_ne!(other.catalog().offers[17].id, offer);
}

#[tokio::test]
async fn faults_appear_at_their_configured_rates() {
    let sandbox = Sandbox::builder().catalog_size(3_000, 240).quotas_off().start().await.unwrap();
    let rates = FaultRates {
        http_503: 0.1,
        truncated: 0.05,
        malformed: 0.05,
        throttle: 0.05,
        reset: 0.05,
        ..Default::default()
    };
    sandbox.set_faults(FaultPlan { seed: 3, all: None, apis: BTreeMap::from([("currentTime".to_owned(), rates)]) });
    let caller = Caller::demo(&sandbox);
    let http = reqwest::Client::new();
    let mut outcomes: BTreeMap<&str, u32> = BTreeMap::new();
    for _ in 0..1000 {
        let mut params = open1688_types::Params::new();
        let path = caller.path("system", "currentTime");
        let sig = params.signature(&path, caller.secret.as_bytes());
        params.set_raw("_aop_signature", sig);
        let kind = match http
            .post(format!("{}/openapi/{path}", sandbox.base_url()))
            .body(params.to_form_body())
            .send()
            .await
        {
            Err(_) => "reset",
            Ok(r) => {
                let status = r.status().as_u16();
                match (status, r.text().await) {
                    (_, Err(_)) => "reset",
                    (503, _) => "503",
                    (400, Ok(b)) if b.contains("QosAppFrequencyLimit") => "throttle",
                    (200, Ok(b)) if b.starts_with('"') && b.ends_with('"') && b.len() > 2 => "ok",
                    (200, Ok(b)) if b.starts_with("<html") => "malformed",
                    (200, Ok(_)) => "truncated",
                    _ => "other",
                }
            }
        };
        *outcomes.entry(kind).or_default() += 1;
    }
    let within = |kind: &str, expected: u32| {
        let n = outcomes.get(kind).copied().unwrap_or(0);
        assert!(n.abs_diff(expected) <= expected / 2 + 10, "{kind}: {n}, expected about {expected}: {outcomes:?}");
    };
    within("503", 100);
    within("truncated", 50);
    within("malformed", 50);
    within("throttle", 50);
    within("reset", 50);
    within("ok", 700);
    assert_eq!(outcomes.get("other"), None);
    let faults = sandbox.stats().api("currentTime").faults;
    assert_eq!(u64::from(1000 - outcomes["ok"]), faults, "the counters saw every fault");
}

#[tokio::test]
async fn clock_driven_changes_match_the_change_log() {
    let sandbox = Sandbox::builder()
        .catalog_size(3_000, 240)
        .simulated_clock(None)
        .drift_share(0.3)
        .quotas_off()
        .start()
        .await
        .unwrap();
    let mut caller = Caller::demo(&sandbox);
    let start = sandbox.now_ms();
    let catalog = sandbox.catalog();
    sandbox.advance(Duration::from_secs(3 * 86_400)).unwrap();
    // Three days outlive the 10-hour access token.
    caller.token = Some(sandbox.issue_tokens(sandbox.app_key(), None).unwrap().access_token);
    let changes = sandbox.changes(start, sandbox.now_ms());
    assert!(changes.len() > 100, "three days of drift on 30 % of offers: {}", changes.len());
    assert!(changes.iter().all(|c| c.at_ms > start && c.at_ms <= sandbox.now_ms()));

    // The latest logged value of each field is what the API shows now.
    let mut last_stock: BTreeMap<(i64, Option<i64>), i64> = BTreeMap::new();
    let mut last_tier: BTreeMap<(i64, usize), Decimal> = BTreeMap::new();
    let mut last_moq: BTreeMap<i64, i64> = BTreeMap::new();
    let mut delisted: BTreeMap<i64, bool> = BTreeMap::new();
    for c in &changes {
        match &c.kind {
            ChangeKind::Stock { sku_id, new, .. } => {
                last_stock.insert((c.offer_id, *sku_id), *new);
            }
            ChangeKind::TierPrice { new, start_quantity, .. } => {
                let offer = catalog.offer(c.offer_id).unwrap();
                let tier = offer.ladder.iter().position(|t| t.0 == *start_quantity).unwrap_or(0);
                last_tier.insert((c.offer_id, tier), *new);
            }
            ChangeKind::Moq { new, .. } => {
                last_moq.insert(c.offer_id, *new);
            }
            ChangeKind::Delisted => {
                delisted.insert(c.offer_id, true);
            }
            ChangeKind::Relisted => {
                delisted.insert(c.offer_id, false);
            }
            _ => {}
        }
    }
    let mut checked = 0;
    for ((offer_id, sku), stock) in last_stock.iter().take(40) {
        let body = caller.detail(*offer_id).await.json();
        let detail = &body["result"]["result"];
        let shown = match sku {
            Some(sku) => detail["productSkuInfos"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["skuId"] == json!(sku))
                .unwrap()["amountOnSale"]
                .as_i64(),
            None => detail["productSaleInfo"]["amountOnSale"].as_i64(),
        };
        assert_eq!(shown, Some(*stock), "offer {offer_id} sku {sku:?}: {body}");
        checked += 1;
    }
    for ((offer_id, tier), price) in last_tier.iter().take(40) {
        let body = caller.detail(*offer_id).await.json();
        let shown = &body["result"]["result"]["productSaleInfo"]["priceRangeList"][*tier]["price"];
        assert_eq!(shown.as_str().unwrap().parse::<Decimal>().unwrap(), *price, "offer {offer_id} tier {tier}");
        checked += 1;
    }
    for (offer_id, moq) in last_moq.iter().take(20) {
        let body = caller.detail(*offer_id).await.json();
        assert_eq!(body["result"]["result"]["minOrderQuantity"], json!(moq));
        checked += 1;
    }
    for (offer_id, gone) in &delisted {
        let body = caller.detail(*offer_id).await.json();
        assert_eq!(body["result"]["result"]["status"], json!(if *gone { "expired" } else { "published" }));
        checked += 1;
    }
    assert!(checked > 50);
    // Unchanged offers show their creation values.
    let changed: std::collections::HashSet<i64> = changes.iter().map(|c| c.offer_id).collect();
    let calm = catalog.offers.iter().find(|o| !changed.contains(&o.id) && o.skus.is_empty()).unwrap();
    let body = caller.detail(calm.id).await.json();
    assert_eq!(body["result"]["result"]["productSaleInfo"]["amountOnSale"], json!(calm.stock));

    // The control endpoint serves the same log.
    let log: Value = reqwest::get(format!("{}/_sandbox/changes?from_ms={start}", sandbox.base_url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(log.as_array().unwrap().len(), changes.len());
}

#[tokio::test]
async fn control_endpoints_move_the_clock_and_reset() {
    let sandbox = small_sandbox().await;
    let http = reqwest::Client::new();
    let base = sandbox.base_url();
    let before = sandbox.now_ms();
    let moved: Value = http
        .post(format!("{base}/_sandbox/clock"))
        .json(&json!({"advance_days": 2}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(moved["now_ms"], json!(before + 2 * 86_400_000));
    let back = http.post(format!("{base}/_sandbox/clock")).json(&json!({"set_ms": before})).send().await.unwrap();
    assert_eq!(back.status(), 409, "time does not run backwards");
    let caller = Caller::demo(&sandbox);
    caller.call("system", "currentTime", &[]).await;
    let stats: Value = http.get(format!("{base}/_sandbox/stats")).send().await.unwrap().json().await.unwrap();
    assert_eq!(stats["by_api"]["currentTime"]["calls"], json!(1));
    let reset: Value = http.post(format!("{base}/_sandbox/reset")).send().await.unwrap().json().await.unwrap();
    assert_eq!(reset["access_token"], json!(sandbox.access_token()), "the demo token comes back the same");
    assert_eq!(sandbox.now_ms(), before);
    assert_eq!(sandbox.stats().total.calls, 0);
    let revoked: Value = http
        .post(format!("{base}/_sandbox/tokens/revoke"))
        .json(&json!({"app_key": sandbox.app_key()}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(revoked["revoked"], json!(1));
    let answer = caller.call("com.alibaba.account", "alibaba.account.basic", &[]).await;
    assert_eq!(answer.status, 401);
}
