//! Every page of the dashboard, in Chinese and in English, on a laptop (1366×768) and a phone
//! (390×844), in a real headless Chromium against the real `open1688 serve` on the built-in
//! sandbox: no page scrolls sideways, none writes an error to the console (a script's, or a
//! style the CSP refuses), none says a word of the other language's catalog, and axe-core finds
//! no serious violation. The service holds a finished sourcing job, a watch with its offer's
//! history and an alert, and a plan cart, so the pages show what they show in use. Screenshots of
//! every page land in `target/dashboard-screenshots/`.

mod browser;
mod service;

use browser::{Browser, LAPTOP, PHONE};
use reqwest::Method as M;
use serde_json::json;
use service::{OFFER, call, key, start};

/// Catalog words that may appear on a page of the other language: names that are data there
/// (a sandbox title can hold any word) or that both languages write alike.
fn may_cross(word: &str) -> bool {
    word.chars().count() < 4 || word.starts_with("open1688")
}

/// The catalog's words of the language `page_lang` is not (`zh-CN` page: the English words) that
/// `text` contains as whole words.
fn foreign_words(text: &str, page_lang: &str) -> Vec<&'static str> {
    let whole = |hay: &str, word: &str| {
        hay.match_indices(word).any(|(at, _)| {
            let before = hay[..at].chars().next_back();
            let after = hay[at + word.len()..].chars().next();
            let joins = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
            !joins(before) && !joins(after)
        })
    };
    open1688_server::pages::WORDS
        .iter()
        .filter(|(_, en, zh)| en != zh)
        .map(|(_, en, zh)| if page_lang == "zh-CN" { *en } else { *zh })
        .filter(|word| !may_cross(word))
        .filter(|word| if page_lang == "zh-CN" { whole(text, word) } else { text.contains(word) })
        .collect()
}

#[test]
fn foreign_words_are_whole_words_of_the_other_catalog() {
    assert_eq!(foreign_words("价格 Price now ¥9", "zh-CN"), ["Price now", "Price"]);
    assert!(foreign_words("Pricey nowadays", "zh-CN").is_empty(), "a part of a longer word is not the word");
    assert!(foreign_words("Price now ¥9 · 真空保温杯", "en").is_empty());
    assert_eq!(foreign_words("Watches · 30 天内无变动", "en"), ["30 天内无变动"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_fits_both_screens_and_speaks_one_language() {
    if !browser::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let (_, writer) = key(dir.path(), &db, "buyer", "admin");
    let svc = start(dir.path(), &db, &["--no-monitor"]);
    let url = |path: &str| format!("{}{path}", svc.base);

    // A finished sourcing job, a watch of an offer whose page was read, and a plan cart.
    let (status, job) =
        call(M::POST, &url("/v1/jobs/source"), Some(&writer), Some(json!({"keyword": "保温杯", "need": 300}))).await;
    assert!(status.is_success(), "{job}");
    let job = job["id"].as_str().unwrap().to_owned();
    let report = loop {
        let (_, view) = call(M::GET, &url(&format!("/v1/jobs/{job}")), Some(&writer), None).await;
        if view["status"] != "running" && view["status"] != "queued" {
            assert_eq!(view["status"], "succeeded", "{view}");
            break call(M::GET, &url(&format!("/v1/jobs/{job}/result")), Some(&writer), None).await.1;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    let rows = report["comparison"]["rows"].as_array().unwrap();
    let pair = format!("offer={}&offer={}", rows[0]["offer_id"], rows[1]["offer_id"]);
    let (status, watch) = call(
        M::POST,
        &url("/v1/watches"),
        Some(&writer),
        Some(json!({"offer": OFFER.parse::<i64>().unwrap(), "below": "8", "at": 100, "rules": [{"kind": "sold_out"}]})),
    )
    .await;
    assert!(status.is_success(), "{watch}");
    let watch = watch["id"].as_i64().unwrap();

    let browser = Browser::start("tour", LAPTOP, "zh-CN").await;
    browser.log_in(&svc.base, &writer).await;
    browser.open(&url(&format!("/offers/{OFFER}?need=300"))).await;
    browser.click("form.add-to-plan button").await;
    browser.wait_for_address("/plan?cart=").await;

    let pages = [
        ("overview", "/".to_owned()),
        ("search", "/search?keyword=%E4%BF%9D%E6%B8%A9%E6%9D%AF&quantity=300".to_owned()),
        ("search-page-2", "/search?keyword=%E4%BF%9D%E6%B8%A9%E6%9D%AF&quantity=300&page=2".to_owned()),
        ("offer", format!("/offers/{OFFER}?need=300")),
        ("compare", format!("/compare?{pair}&quantity=300")),
        ("catalog", "/catalog".to_owned()),
        ("source-form", "/source".to_owned()),
        ("source-answer", format!("/source/{job}")),
        ("plan", "/plan".to_owned()),
        ("watches", "/watches".to_owned()),
        ("watch", format!("/watches/{watch}?days=30")),
        ("orders", "/orders".to_owned()),
        ("addresses", "/orders/addresses".to_owned()),
        ("keys", "/keys".to_owned()),
        ("unknown-offer", "/offers/1".to_owned()),
        ("missing-page", "/nope".to_owned()),
    ];
    // The search reads on page by page: the first page links to the second, which links back.
    browser.open(&url("/search?keyword=%E4%BF%9D%E6%B8%A9%E6%9D%AF&quantity=300")).await;
    browser.click("nav.pager a[rel=next]").await;
    browser.wait_for_address("page=2").await;
    browser.wait_for("nav.pager a[rel=prev]").await;
    assert_eq!(browser.texts("li.offer").await.len(), 20, "a full second page");

    // An offer 1688 does not have is said as such, on the page and over the API, without the
    // gateway call's internal name.
    browser.open(&url("/offers/1")).await;
    let said = browser.text("main").await;
    assert!(said.contains("没有找到") && said.contains("1688 上找不到商品 1"), "{said}");
    assert!(!said.contains("com.alibaba"), "{said}");
    let (status, problem) = call(M::GET, &url("/v1/offers/1"), Some(&writer), None).await;
    assert_eq!(status, reqwest::StatusCode::NOT_FOUND, "{problem}");
    assert!(!problem["detail"].as_str().unwrap().contains("com.alibaba"), "{problem}");

    // A form's error is said in the page's language, next to its field.
    browser.open(&url("/search?keyword=%E4%BF%9D%E6%B8%A9%E6%9D%AF&quantity=300&page=101")).await;
    assert_eq!(browser.text("#page-error").await, "请输入 1 到 100 之间的数");

    let mut failures = Vec::new();
    for (lang, tag) in [("zh-CN", "zh"), ("en", "en")] {
        browser.open(&url(&format!("/lang/{lang}?next=/"))).await;
        for (size, screen) in [(LAPTOP, "laptop"), (PHONE, "phone")] {
            browser.resize(size).await;
            browser.console_errors().await;
            for (name, path) in &pages {
                browser.open(&url(path)).await;
                let here = format!("{name} ({tag}, {screen})");
                assert_eq!(
                    browser.client.execute("return document.documentElement.lang;", vec![]).await.unwrap(),
                    json!(lang),
                    "{here}: the page's language"
                );
                if browser.overflows_sideways().await {
                    failures.push(format!("{here} scrolls sideways: {}", browser.too_wide().await));
                }
                // A page that answers 404 on purpose is logged by the browser as a failed load.
                let own_404 = |e: &String| e.starts_with(&url(path)) && e.contains("status of 404");
                let mut errors = browser.console_errors().await;
                if name.starts_with("unknown") || name.starts_with("missing") {
                    errors.retain(|e| !own_404(e));
                }
                if !errors.is_empty() {
                    failures.push(format!("{here} logs errors: {errors:?}"));
                }
                let text = browser.text("body").await;
                let foreign = foreign_words(&text, lang);
                if !foreign.is_empty() {
                    failures.push(format!("{here} says words of the other language: {foreign:?}"));
                }
                let violations = browser.accessibility_violations().await;
                if !violations.is_empty() {
                    failures.push(format!("{here} has serious accessibility violations: {violations:?}"));
                }
                browser.screenshot_page(&format!("{name}-{tag}-{screen}"), size).await;
            }
        }
    }
    browser.close().await;
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
}
