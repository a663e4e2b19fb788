//! The dashboard's working pages in a real headless Chromium against the real `open1688 serve`:
//! a sourcing job from its form to its answer (with the Pareto scatter and downloads) and into the
//! plan cart, offers
//! ticked on the search page and compared, a purchase plan typed in, and a watch added from its
//! form whose alert arrives live once the sandbox's clock moves on, with its history drawn.
//! Every page is checked with axe-core; screenshots land in `target/dashboard-screenshots/`.

mod browser;
mod service;

use std::time::Duration;

use browser::{Browser, LAPTOP, PHONE};
use open1688_sandbox::config::PushConfig;
use open1688_sandbox::push_log::PushTarget;
use service::{OFFER, gateway_env, key, start, start_with_env};

/// Logs in at `base` with `key` through the form, its page checked with axe first.
async fn log_in(browser: &Browser, base: &str, key: &str) {
    browser.open(&format!("{base}/login")).await;
    browser.assert_accessible("the log-in page").await;
    browser.log_in(base, key).await;
}

/// Reloads the page until `css` matches, for up to `seconds`.
async fn reload_until(browser: &Browser, css: &str, seconds: u64) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(seconds);
    loop {
        if !browser.client.find_all(fantoccini::Locator::Css(css)).await.unwrap().is_empty() {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "no {css} after {seconds} s on {}", browser.path().await);
        tokio::time::sleep(Duration::from_millis(500)).await;
        browser.client.refresh().await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_buyer_sources_compares_and_plans_in_the_browser() {
    if !browser::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let (_, writer) = key(dir.path(), &db, "buyer", "write");
    let svc = start(dir.path(), &db, &["--no-monitor"]);
    let browser = Browser::start("work", LAPTOP, "en").await;
    log_in(&browser, &svc.base, &writer).await;
    browser.assert_accessible("the overview").await;

    // The sourcing form: a need of zero is named next to its field, before any job starts.
    browser.open(&format!("{}/source", svc.base)).await;
    browser.assert_accessible("the sourcing form").await;
    browser.fill("#keyword", "保温杯").await;
    browser.fill("#need", "0").await;
    // The browser's own check would stop this; the service's check is the one under test.
    browser
        .client
        .execute("document.querySelector(\"form[action='/source']\").noValidate = true", vec![])
        .await
        .unwrap();
    browser.click("form[action='/source'] button[type=submit]").await;
    let refused = browser.text("#need-error").await;
    assert_eq!(refused, "a number from 1 to 1,000,000,000", "no command-line flag on a web form");
    browser.fill("#need", "300").await;
    // Freight confirmed by the platform: the three best orders previewed to a saved address.
    browser.click("#confirm_freight").await;
    browser.fill("#address_id", "593861699").await;
    browser.click("form[action='/source'] button[type=submit]").await;
    // Live progress while it runs; the page turns into the answer when the job ends.
    browser.wait_for_address("/source/").await;
    reload_until(&browser, "#answer", 120).await;
    let answer = browser.text("p.answer").await;
    assert!(answer.starts_with("Buy ") && answer.contains("Supplier"), "{answer}");
    let confirmed = browser.text("section[aria-labelledby=freight-confirmed]").await;
    assert!(confirmed.contains("Freight confirmed by 1688") && confirmed.contains("Preview calls: 3"), "{confirmed}");
    let facts = browser.text("section.answer-card dl.facts").await;
    assert!(facts.contains("Landed per unit needed") && facts.contains("confirmed by 1688"), "{facts}");
    assert!(browser.text("main").await.contains("Why"), "the answer says why");
    let scatter = browser.wait_for("svg[aria-labelledby='pareto-title pareto-desc']").await;
    assert!(scatter.find(fantoccini::Locator::Css("circle.mark")).await.is_ok(), "the pick is marked");
    let rows = browser.texts("#comparison ~ div table tbody tr, section[aria-labelledby=comparison] tbody tr").await;
    assert!(rows.len() >= 2, "{rows:?}");
    let downloads = browser.texts("section[aria-labelledby=downloads] li").await;
    assert!(downloads.iter().any(|d| d.ends_with(".xlsx")), "{downloads:?}");
    assert!(downloads.iter().any(|d| d == "report.json"), "{downloads:?}");
    browser.screenshot_page("source-answer-en-laptop", LAPTOP).await;
    browser.assert_accessible("the sourcing answer").await;
    browser.resize(PHONE).await;
    browser.screenshot_page("source-answer-en-phone", PHONE).await;
    assert!(!browser.overflows_sideways().await, "the answer fits a phone: {}", browser.too_wide().await);
    browser.resize(LAPTOP).await;
    // The answer goes to the plan cart at the quantity it buys, with its SKU.
    let bought = browser.text("p.answer strong").await;
    browser.click("section.answer-card form.add-to-plan button").await;
    browser.wait_for_address("/plan?cart=added").await;
    let quantity = browser.wait_for("#cart tbody tr form.quantity input[name=quantity]").await;
    assert_eq!(quantity.prop("value").await.unwrap().unwrap(), bought.replace(',', ""));

    // Search: tick two cards and compare them at the quantity typed.
    browser.open(&format!("{}/search?keyword=保温杯&quantity=200", svc.base)).await;
    browser.assert_accessible("the search results").await;
    let picks =
        browser.client.find_all(fantoccini::Locator::Css("input[name=offer][form=compare-form]")).await.unwrap();
    assert!(picks.len() >= 2);
    picks[0].click().await.unwrap();
    picks[1].click().await.unwrap();
    browser.click("#compare-form button[type=submit]").await;
    browser.wait_for("svg[aria-labelledby='pareto-title pareto-desc']").await;
    assert!(browser.path().await.starts_with("/compare?"));
    assert_eq!(browser.texts("section[aria-labelledby=comparison] tbody tr").await.len(), 2);
    browser.screenshot_page("compare-en-laptop", LAPTOP).await;
    browser.assert_accessible("the comparison").await;

    // Search by picture: a private address is refused next to its field; a file finds offers.
    browser.open(&format!("{}/search", svc.base)).await;
    browser.click("details summary").await;
    browser.fill("#url", "http://127.0.0.1:1/x.png").await;
    browser.click("form[action='/search/picture'] button[type=submit]").await;
    assert!(!browser.text("#url-error").await.is_empty(), "a private address is not fetched");
    let picture = dir.path().join("cup.png");
    std::fs::write(&picture, service::TINY_PNG).unwrap();
    browser.fill("#url", "").await;
    browser.wait_for("#picture").await.send_keys(picture.to_str().unwrap()).await.unwrap();
    browser.click("form[action='/search/picture'] button[type=submit]").await;
    browser.wait_for("ul.cards li.offer").await;
    browser.assert_accessible("the picture search").await;

    // A plan typed in: the plan by supplier with its totals; a bad line is named.
    browser.open(&format!("{}/plan", svc.base)).await;
    browser.assert_accessible("the plan form").await;
    browser.fill("#lines", "offer_id,sku_id,quantity\n630526089341,,many\n").await;
    browser.click("form[action='/plan'] button[type=submit]").await;
    assert!(browser.text("#lines-error").await.contains("many"));
    browser.fill("#lines", &format!("offer_id,sku_id,quantity\n{OFFER},,7\n")).await;
    browser.click("#optimize").await;
    browser.click("form[action='/plan'] button[type=submit]:not([formaction])").await;
    browser.wait_for("section[aria-labelledby=plan]").await;
    assert!(browser.text("section[aria-labelledby=plan] dl.facts").await.contains('¥'));
    assert!(!browser.texts("article.order").await.is_empty());
    browser.screenshot_page("plan-en-laptop", LAPTOP).await;
    browser.assert_accessible("the plan").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watch_added_in_the_browser_alerts_live_when_the_sandbox_clock_moves() {
    if !browser::available() {
        return;
    }
    let sandbox = open1688_sandbox::Sandbox::builder()
        .catalog_size(400, 40)
        .simulated_clock(None)
        .drift_share(1.0)
        .push_delivery(PushConfig { retry_ms: 20, ..PushConfig::default() })
        .start()
        .await
        .unwrap();
    let watched = sandbox.catalog().offers[0].id;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let (_, writer) = key(dir.path(), &db, "buyer", "write");
    let gateway = gateway_env(&sandbox);
    let svc = start_with_env(dir.path(), &db, &["--monitor-tick", "1"], &gateway);
    let browser = Browser::start("watch", LAPTOP, "zh-CN").await;
    log_in(&browser, &svc.base, &writer).await;

    // The form: a watch of one offer, alerting on any tier change, checked hourly.
    browser.open(&format!("{}/watches", svc.base)).await;
    browser.assert_accessible("the watch list").await;
    browser.fill("#offer", &watched.to_string()).await;
    browser.fill("#every", "60").await;
    browser.click("#any_tier_change").await;
    browser.click("form.watch-form button[type=submit]").await;
    browser.wait_for("#history").await;
    let watch_page = browser.path().await;
    assert!(watch_page.starts_with("/watches/"), "{watch_page}");
    // The monitor's first check records the offer's first snapshot.
    reload_until(&browser, "section[aria-labelledby=history] figure.chart", 30).await;

    // The list listens for alerts; the platform pushes the offer's changes as its clock moves,
    // the service checks the watch at once, and the alert arrives without a reload.
    browser.open(&format!("{}/watches", svc.base)).await;
    let live = browser.wait_for("#live-status").await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while live.text().await.unwrap() != "实时：新告警会出现在这里。" {
        assert!(tokio::time::Instant::now() < deadline, "the live stream never opened");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(browser.texts("#live-alerts li").await.is_empty(), "no alert before the clock moves");
    sandbox.set_push_target(
        sandbox.app_key(),
        Some(PushTarget { url: format!("{}/push/1688", svc.base), follows: vec![watched] }),
    );
    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    while browser.client.find_all(fantoccini::Locator::Css("#live-alerts li.new")).await.unwrap().is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "no live alert after the clock moved");
        sandbox.advance(Duration::from_secs(6 * 3600)).unwrap();
        tokio::time::sleep(Duration::from_millis(700)).await;
    }
    // The alert names the product and says what happened in Chinese.
    let title = sandbox.catalog().offers[0].subject.clone();
    let arrived = browser.text("#live-alerts li.new").await;
    assert!(arrived.contains(&title) && arrived.contains("阶梯价变动："), "{arrived}");
    browser.screenshot("watches-live-alert-zh-laptop").await;

    // The list tells the watch apart: picture, title, price now, a 30-day line, the rule in words.
    browser.open(&format!("{}/watches", svc.base)).await;
    let row = browser.text("table.watches tbody tr").await;
    assert!(row.contains(&title) && row.contains("任一阶梯价变动") && row.contains('¥'), "{row}");
    browser.wait_for("table.watches tbody tr img.thumb").await;
    browser.wait_for("table.watches tbody tr svg.spark path.line").await;
    browser.resize(PHONE).await;
    browser.screenshot_page("watches-zh-phone", PHONE).await;
    assert!(!browser.overflows_sideways().await, "the watch list fits a phone: {}", browser.too_wide().await);
    browser.resize(LAPTOP).await;

    // The watch's page: the tier prices and stock drawn, its changes listed, zoomable.
    browser.open(&format!("{}{watch_page}?days=7", svc.base)).await;
    assert_eq!(browser.text("nav.zoom a[aria-current=true]").await, "7 天");
    browser.wait_for("svg[aria-labelledby='tiers-title tiers-desc'] path.line").await;
    browser.wait_for("svg[aria-labelledby='stock-title stock-desc']").await;
    let changes = browser.texts("section[aria-labelledby=changes] li").await;
    assert!(changes.iter().any(|c| c.contains("阶梯价变动") && c.contains(&title)), "{changes:?}");
    assert!(changes.iter().all(|c| !c.contains("any_tier_change")), "the rule in words: {changes:?}");
    browser.screenshot_page("watch-history-zh-laptop", LAPTOP).await;
    browser.assert_accessible("a watch's page").await;
    browser.resize(PHONE).await;
    browser.screenshot_page("watch-history-zh-phone", PHONE).await;
    assert!(!browser.overflows_sideways().await, "a watch's page fits a phone");
    browser.resize(LAPTOP).await;

    // Snoozed from the list, then removed.
    browser.open(&format!("{}/watches", svc.base)).await;
    browser.click("td.actions form[action$='/snooze'] button").await;
    browser.wait_for("span.state.snoozed").await;
    browser.screenshot_page("watches-snoozed-zh-laptop", LAPTOP).await;
    browser.click("td.actions form[action$='/remove'] button").await;
    // The list comes back without the watch, saying which went, with a way to undo it.
    let notice = browser.wait_for("div.notice").await.text().await.unwrap();
    assert!(notice.contains("已删除监控") && notice.contains("撤销"), "{notice}");
    assert!(browser.texts("table.watches tbody tr").await.is_empty());
    browser.click("div.notice button").await;
    browser.wait_for("#history").await;
    browser.open(&format!("{}/watches", svc.base)).await;
    let rows = browser.texts("table.watches tbody tr").await;
    assert_eq!(rows.len(), 1, "undone: the watch is back with its rule: {rows:?}");
    assert!(rows[0].contains("任一阶梯价变动"), "{rows:?}");
    browser.close().await;
    sandbox.shutdown().await;
}
