//! The stored catalog through the service: offers crawled by the CLI, then searched by
//! `GET /v1/catalog/search` (with its facets and field-naming refusals), `/v1/catalog/age`, and
//! the dashboard's `/catalog` page in a real headless Chromium (facet links narrow and widen the
//! search; checked with axe-core; screenshots in `target/dashboard-screenshots/`).

mod browser;
mod service;

use browser::{Browser, LAPTOP, PHONE};
use reqwest::{Method, StatusCode};
use rust_decimal::Decimal;
use serde_json::Value;
use service::{call, key, open1688, start};

/// Crawls one page of `保温杯` from the built-in sandbox into the store; returns the offer count.
fn crawl(dir: &std::path::Path, db: &str) -> u64 {
    let out = open1688(dir, db)
        .args(["catalog", "crawl", "--keyword", "保温杯", "--pages", "1", "--format", "json", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["data age"][0]["entries"].as_u64().unwrap()
}

fn price(hit: &Value) -> Option<Decimal> {
    hit["price"].as_str().map(|p| p.parse().unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_catalog_is_searched_through_the_api_and_the_dashboard() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let stored = crawl(dir.path(), &db);
    assert!(stored >= 20, "{stored} offers crawled");
    let (_, reader) = key(dir.path(), &db, "reader", "read");
    let svc = start(dir.path(), &db, &["--no-monitor"]);
    let base = format!("{}/v1/catalog", svc.base);

    // Words, a price bound at a quantity and a sort: every hit is within the bound, cheapest first.
    let url = format!("{base}/search?q=保温杯&at=100&price_max=30&sort=price&limit=50");
    let (status, found) = call(Method::GET, &url, Some(&reader), None).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["engine"], "embedded");
    let hits = found["hits"].as_array().unwrap();
    assert!(!hits.is_empty() && found["total"].as_u64() == Some(hits.len() as u64), "{found}");
    let prices: Vec<Decimal> = hits.iter().map(|h| price(h).expect("a price at 100")).collect();
    assert!(prices.iter().all(|p| *p <= Decimal::from(30)), "{prices:?}");
    assert!(prices.windows(2).all(|w| w[0] <= w[1]), "cheapest first: {prices:?}");
    // Facets count every match: the provinces add up to the total.
    let provinces: u64 = found["facets"]["province"].as_array().unwrap().iter().map(|p| p[1].as_u64().unwrap()).sum();
    assert_eq!(provinces, found["total"].as_u64().unwrap(), "{}", found["facets"]);

    // A facet's value narrows the search to exactly its count.
    let (province, count) = {
        let first = &found["facets"]["province"][0];
        (first[0].as_str().unwrap().to_owned(), first[1].as_u64().unwrap())
    };
    let narrowed = format!("{url}&province={province}");
    let (_, only) = call(Method::GET, &narrowed, Some(&reader), None).await;
    assert_eq!(only["total"].as_u64(), Some(count), "{only}");
    assert!(only["hits"].as_array().unwrap().iter().all(|h| h["province"] == province.as_str()));

    // Refusals name the parameter.
    for (query, field) in [("at=0", "at"), ("limit=5000", "limit"), ("price_min=9&price_max=3", "price_min")] {
        let (status, problem) = call(Method::GET, &format!("{base}/search?{query}"), Some(&reader), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {problem}");
        assert_eq!(problem["field"], field, "{query}: {problem}");
    }
    let (status, problem) = call(Method::GET, &format!("{base}/search?colour=red"), Some(&reader), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert!(problem["detail"].as_str().unwrap().contains("colour"), "{problem}");
    let (status, _) = call(Method::GET, &format!("{base}/search"), None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // The data age: every crawled offer, all fresh.
    let (status, age) = call(Method::GET, &format!("{base}/age"), Some(&reader), None).await;
    assert_eq!(status, StatusCode::OK, "{age}");
    assert_eq!((age["entries"].as_u64(), age["under_10_min"].as_u64()), (Some(stored), Some(stored)), "{age}");

    if !browser::available() {
        return;
    }
    let browser = Browser::start("catalog", LAPTOP, "en").await;
    browser.open(&format!("{}/login", svc.base)).await;
    browser.fill("#key", &reader).await;
    browser.click("form.login button[type=submit]").await;
    browser.wait_for("nav[aria-label=sections]").await;

    // The whole catalog at first; the line above the table says no call was made.
    browser.open(&format!("{}/catalog", svc.base)).await;
    browser.assert_accessible("the catalog page").await;
    assert!(browser.text("main").await.contains(&format!("{stored} offers stored")));
    assert!(browser.text("main").await.contains("no gateway call"));
    assert_eq!(browser.text("#hits-title").await, format!("{stored} results"));
    // Without a quantity every offer is priced at its MOQ, so no row lacks a price.
    assert!(browser.text("section[aria-labelledby=hits-title] thead").await.contains("Price at MOQ"));
    let prices = browser.texts("section[aria-labelledby=hits-title] tbody td:nth-child(2)").await;
    assert!(!prices.is_empty() && prices.iter().all(|p| p.starts_with('¥')), "{prices:?}");

    // Words and a price bound typed in the form.
    browser.fill("#q", "保温杯").await;
    browser.fill("#at", "100").await;
    browser.fill("#price_max", "30").await;
    browser.click("form[action='/catalog'] button[type=submit]").await;
    browser.wait_for_address("price_max=30").await;
    let total = found["total"].as_u64().unwrap();
    assert_eq!(browser.text("#hits-title").await, format!("{total} results"));
    let rows = browser.texts("section[aria-labelledby=hits-title] tbody tr").await;
    assert_eq!(rows.len() as u64, total, "{rows:?}");
    browser.screenshot_page("catalog-en-laptop", LAPTOP).await;

    // A province from the facets narrows it; its "remove" widens it again.
    browser.click("aside a[href*='province=']").await;
    browser.wait_for_address("province=").await;
    let narrowed_total: u64 = browser.text("#hits-title").await.split_whitespace().next().unwrap().parse().unwrap();
    assert!(narrowed_total <= total && narrowed_total > 0);
    let removal = browser.texts("aside li").await;
    assert!(removal.iter().any(|r| r.ends_with("remove")), "{removal:?}");
    browser.assert_accessible("the catalog page, narrowed").await;

    // A wrong field is named next to it, and the page says so with 400.
    browser.open(&format!("{}/catalog?q=杯&moq_max=few", svc.base)).await;
    assert!(browser.text("#moq_max-error").await.contains("not a number"));

    // In Chinese on a phone.
    browser.open(&format!("{}/lang/zh-CN?next=/catalog%3Fq%3D保温杯%26at%3D100", svc.base)).await;
    browser.resize(PHONE).await;
    browser.wait_for("#hits-title").await;
    assert!(browser.text("h1").await.contains("商品库"));
    assert!(!browser.overflows_sideways().await, "the catalog page fits a phone");
    browser.assert_accessible("the catalog page in Chinese on a phone").await;
    browser.screenshot("zh-phone-first-screen").await;
    browser.client.execute("document.querySelector('#hits-title').scrollIntoView()", vec![]).await.unwrap();
    browser.screenshot("zh-phone-hits").await;

    // Filters are choices among the values the offers have, named in the reader's language.
    let options = browser
        .client
        .execute("return [...document.querySelectorAll('#identity option')].map(o => o.textContent);", vec![])
        .await
        .unwrap();
    let options: Vec<String> = serde_json::from_value(options).unwrap();
    assert!(options[0] == "不限" && options.iter().any(|o| o.starts_with("诚信通会员 (")), "{options:?}");
    browser.client.execute("document.querySelector('#identity').value = 'tp_member';", vec![]).await.unwrap();
    browser.click("form[action='/catalog'] button[type=submit]").await;
    browser.wait_for_address("identity=tp_member").await;
    assert!(browser.text("aside").await.contains("诚信通会员"), "the set filter by its name");
    assert!(browser.text("main").await.contains("未调用网关 (内置索引)"), "the index named in Chinese");
    browser.close().await;
}
