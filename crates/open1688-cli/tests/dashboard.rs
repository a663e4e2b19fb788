//! The web dashboard in a real headless Chromium against the real `open1688 serve` binary over
//! its built-in sandbox: log in with a key, search and open an offer's ladder, work out a
//! quantity, make and revoke a key (and be refused with it), in Chinese and English, at laptop
//! and phone widths. Screenshots land in `target/dashboard-screenshots/`.

mod browser;
mod service;

use browser::{Browser, LAPTOP, PHONE};
use service::{OFFER, key, start};

/// Logs in at `base` with `key` through the form, after a page without a key sent there.
async fn log_in(browser: &Browser, base: &str, key: &str) {
    browser.open(&format!("{base}/")).await;
    assert!(browser.path().await.starts_with("/login"), "a page without a key sends to the log-in");
    browser.log_in(base, key).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_buyer_logs_in_searches_and_reads_an_offers_ladder() {
    if !browser::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let (_, reader) = key(dir.path(), &db, "buyer", "read");
    let svc = start(dir.path(), &db, &["--no-monitor"]);
    let browser = Browser::start("buyer", LAPTOP, "zh-CN").await;

    log_in(&browser, &svc.base, &reader).await;
    assert_eq!(browser.path().await, "/");
    assert_eq!(browser.text("main h1").await, "概览", "a Chinese browser gets Chinese pages");
    assert!(browser.text("#health").await.contains("服务状态"));
    browser.screenshot("overview-zh-laptop").await;

    // A wrong quantity is named next to its field, the keyword kept.
    browser.open(&format!("{}/search?keyword=保温杯&quantity=lots", svc.base)).await;
    assert_eq!(browser.text("#quantity-error").await, "“lots” 不是数字", "said in the page's language");
    assert_eq!(browser.wait_for("#keyword").await.prop("value").await.unwrap().as_deref(), Some("保温杯"));

    // The form: keyword and quantity, cards priced at that quantity with the supplier's band.
    browser.fill("#quantity", "300").await;
    browser.click("form.search button[type=submit]").await;
    browser.wait_for("ul.cards li.offer").await;
    let cards = browser.texts("ul.cards li.offer").await;
    assert!(!cards.is_empty());
    // Each figure under the engine's name: landed per unit needed at 300, and the unit price at
    // the quantity bought (never one called the other).
    assert!(cards.iter().all(|c| c.contains("到岸单价（按需求数量） (300)") && c.contains("单价 (")), "{cards:#?}");
    assert!(
        cards.iter().all(|c| c.contains("供应商: ") && !c.contains("供应商: —")),
        "priced cards name their supplier: {cards:#?}"
    );
    browser.screenshot_page("search-zh-laptop", LAPTOP).await;
    browser.assert_accessible("the search page").await;

    // An offer: the ladder drawn and tabled, the scorecard, and a quantity worked out.
    browser.open(&format!("{}/offers/{OFFER}?need=300", svc.base)).await;
    browser.wait_for("figure.chart svg[aria-labelledby='ladder-title ladder-desc']").await;
    let tiers = browser.texts("table.ladder tbody tr").await;
    assert!(!tiers.is_empty(), "the ladder's tiers are a table too");
    assert!(tiers.iter().all(|row| row.contains('¥')), "{tiers:?}");
    assert!(browser.text("p.answer").await.contains("推荐"), "a recommended quantity with its reason");
    assert!(browser.text("#scorecard").await.contains("供应商评分"));
    let listing = browser.wait_for(&format!("a[href='https://detail.1688.com/offer/{OFFER}.html']")).await;
    assert!(listing.text().await.unwrap().contains("在 1688 查看"), "the offer links to its listing on 1688");
    browser.screenshot_page("offer-zh-laptop", LAPTOP).await;
    browser.assert_accessible("the offer page").await;

    // The same page on a phone, in English after the switch: no sideways scrolling.
    browser.resize(PHONE).await;
    browser.click("a.lang").await;
    browser.wait_for("html[lang=en]").await;
    assert_eq!(browser.text("#ladder").await, "Price ladder");
    assert!(!browser.overflows_sideways().await, "the offer page fits a phone");
    browser.screenshot_page("offer-en-phone", PHONE).await;
    browser.open(&format!("{}/", svc.base)).await;
    assert!(!browser.overflows_sideways().await, "the overview fits a phone");
    browser.screenshot("overview-en-phone").await;

    // A read key does not reach the keys page.
    browser.open(&format!("{}/keys", svc.base)).await;
    assert!(browser.text("main").await.contains("scope"), "refused, saying why");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_makes_and_revokes_a_key_and_the_revoked_key_is_refused() {
    if !browser::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let (_, admin) = key(dir.path(), &db, "boss", "admin");
    let svc = start(dir.path(), &db, &["--no-monitor"]);
    let browser = Browser::start("admin", LAPTOP, "en").await;
    log_in(&browser, &svc.base, &admin).await;

    browser.open(&format!("{}/keys", svc.base)).await;
    // A blank name is refused next to the field (the browser's own check is bypassed on purpose).
    browser.client.execute("document.querySelector('#name').removeAttribute('required')", vec![]).await.unwrap();
    browser.click("form[action='/keys'] button[type=submit]").await;
    assert!(!browser.text("#name-error").await.is_empty());

    browser.fill("#name", "storefront import").await;
    browser.click("form[action='/keys'] button[type=submit]").await;
    let made = browser.wait_for("input.secret").await.prop("value").await.unwrap().unwrap();
    assert!(made.starts_with("o1688_"), "the new key is shown once: {made}");
    browser.screenshot("keys-made").await;
    browser.assert_accessible("the keys page").await;
    let listed = browser.texts("main table tbody tr").await;
    assert!(listed.iter().any(|row| row.contains("storefront import")), "{listed:?}");
    assert!(!browser.text("main table").await.contains(&made), "the list never shows a key");

    // Revoke it; then a browser that logs in with it is refused.
    browser.click("form[action$='/revoke'] button").await;
    browser.wait_for("tr.revoked").await;
    browser.screenshot("keys-revoked").await;
    let other = Browser::start("revoked", LAPTOP, "en").await;
    other.open(&format!("{}/login", svc.base)).await;
    other.fill("#key", &made).await;
    other.click("form.login button[type=submit]").await;
    assert!(other.text("#key-error").await.contains("revoked"));
    assert!(other.path().await.starts_with("/login"));
    other.screenshot("login-refused").await;

    // Logging out forgets the key: the overview asks for it again.
    browser.open(&format!("{}/", svc.base)).await;
    browser.click("header form[action='/logout'] button").await;
    browser.wait_for("form.login").await;
    browser.open(&format!("{}/", svc.base)).await;
    assert!(browser.path().await.starts_with("/login"));
    other.close().await;
    browser.close().await;
}
