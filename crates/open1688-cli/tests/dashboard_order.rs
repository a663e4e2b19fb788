//! From an answer to placed orders in a real headless Chromium against the real `open1688 serve`:
//! comparison rows and an offer's SKUs added to the key's plan cart (kept in the store), the
//! cart shown with titles, SKUs and pictures, a quantity changed and a line removed, the orders
//! previewed with 1688, placed with the person's confirmation under the spending cap, and the
//! payment link shown. In English on a laptop and in Chinese on a phone; every page is checked
//! with axe-core and for sideways scrolling. Screenshots land in `target/dashboard-screenshots/`.

mod browser;
mod service;

use browser::{Browser, LAPTOP, PHONE};
use service::{OFFER, key, start};

/// The built-in sandbox's saved delivery address.
const ADDRESS: &str = "593861699";

/// Clicks `css` (a button posting a form that comes back to the plan page) and waits for the
/// plan page to say what happened; returns the notice.
async fn to_cart(browser: &Browser, css: &str) -> String {
    // The plan page comes back to a plan page: wait for the new one, not for its address.
    browser.click_to_new_page(css).await;
    browser.wait_for_address("/plan?cart=").await;
    browser.text("#cart-notice").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_buyer_carries_an_answer_to_placed_orders_in_the_browser() {
    if !browser::available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), "[order]\nspending_cap = \"500000\"\n").unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let (_, writer) = key(dir.path(), &db, "buyer", "write");
    let (_, reader) = key(dir.path(), &db, "viewer", "read");
    let svc = start(dir.path(), &db, &["--no-monitor"]);
    let browser = Browser::start("order", LAPTOP, "en").await;
    browser.log_in(&svc.base, &writer).await;

    // An empty cart says where its lines come from; every page says the figures are simulated.
    browser.open(&format!("{}/plan", svc.base)).await;
    assert!(browser.text("p.simulated").await.starts_with("Simulated data"));
    assert!(browser.text("#cart-empty").await.contains("Add to plan"));

    // Two offers found by a search at a quantity, compared; the cheapest row goes to the cart.
    browser.open(&format!("{}/search?keyword=保温杯&quantity=300", svc.base)).await;
    let picks =
        browser.client.find_all(fantoccini::Locator::Css("input[name=offer][form=compare-form]")).await.unwrap();
    assert!(picks.len() >= 3);
    let mut card_scores = Vec::new();
    for pick in &picks[..3] {
        pick.click().await.unwrap();
        card_scores.push(pick.prop("value").await.unwrap().unwrap());
    }
    let scores = |css: &'static str| {
        let browser = &browser;
        async move {
            let mut out = std::collections::BTreeMap::new();
            for row in browser.client.find_all(fantoccini::Locator::Css(css)).await.unwrap() {
                let link = row.find(fantoccini::Locator::Css("a[href^='/offers/']")).await.unwrap();
                let href = link.attr("href").await.unwrap().unwrap();
                let offer = href.trim_start_matches("/offers/").split('?').next().unwrap().to_owned();
                let score = row.find(fantoccini::Locator::Css("span.score")).await.unwrap().text().await.unwrap();
                out.insert(offer, score);
            }
            out
        }
    };
    let on_cards = scores("li.offer").await;
    browser.click("#compare-form button[type=submit]").await;
    browser.wait_for_address("/compare?").await;
    let rows = "section[aria-labelledby=comparison] tbody tr";
    assert_eq!(browser.texts(rows).await.len(), 3);
    // A supplier scores the same on the search card, the comparison and its offer's page.
    let on_rows = scores("section[aria-labelledby=comparison] tbody tr").await;
    for offer in &card_scores {
        assert_eq!(on_rows.get(offer), on_cards.get(offer), "offer {offer}: {on_rows:?} against {on_cards:?}");
    }
    browser.assert_accessible("the comparison with its add buttons").await;
    let notice = to_cart(&browser, &format!("{rows}:nth-child(1) form.add-to-plan button")).await;
    assert_eq!(notice, "Added to the plan cart.");
    let lines = browser.texts("#cart tbody tr").await;
    assert_eq!(lines.len(), 1, "{lines:?}");
    let title = browser.text("#cart tbody tr a").await;
    assert!(title.chars().any(|c| !c.is_ascii_digit()), "a line shows its title, not an id: {title}");
    browser.wait_for("#cart tbody tr img.thumb").await;
    // The same row again sets its quantity instead of adding a line.
    browser.client.back().await.unwrap();
    browser.wait_for_address("/compare?").await;
    let notice = to_cart(&browser, &format!("{rows}:nth-child(1) form.add-to-plan button")).await;
    assert!(notice.starts_with("Already in the plan cart"), "{notice}");
    browser.client.back().await.unwrap();
    browser.wait_for_address("/compare?").await;
    to_cart(&browser, &format!("{rows}:nth-child(2) form.add-to-plan button")).await;
    assert_eq!(browser.texts("#cart tbody tr").await.len(), 2);

    let (scored_offer, row_score) = on_rows.iter().next().unwrap();
    browser.open(&format!("{}/offers/{scored_offer}", svc.base)).await;
    assert_eq!(&browser.text("#scorecard span.score").await, row_score, "the offer page's score");

    // An offer's SKU row, at the quantity worked out for a need.
    browser.open(&format!("{}/offers/{OFFER}?need=50", svc.base)).await;
    browser.assert_accessible("an offer with its add forms").await;
    to_cart(&browser, "section[aria-labelledby=skus] form.add-to-plan button").await;
    assert_eq!(browser.texts("#cart tbody tr").await.len(), 3);
    let sku_lines = browser.texts("#cart .sku").await;
    assert!(!sku_lines.is_empty(), "the SKU's attributes are named");

    // A quantity changed (doubled: whole batches stay whole) and changed back (the double may be
    // more than the stock), then a line removed.
    let field = "#cart tbody tr:first-child form.quantity input[name=quantity]";
    let chosen = browser.wait_for(field).await.prop("value").await.unwrap().unwrap();
    let doubled = (chosen.parse::<i64>().unwrap() * 2).to_string();
    for quantity in [&doubled, &chosen] {
        browser.fill(field, quantity).await;
        assert_eq!(to_cart(&browser, "#cart tbody tr:first-child form.quantity button").await, "Quantity changed.");
        assert_eq!(&browser.wait_for(field).await.prop("value").await.unwrap().unwrap(), quantity);
    }
    let last = "#cart article.order:last-of-type tbody tr:last-child form.remove button";
    assert_eq!(to_cart(&browser, last).await, "Line removed.");
    assert_eq!(browser.texts("#cart tbody tr").await.len(), 2);
    assert!(browser.text("#cart-totals").await.contains('¥'));
    browser.screenshot_page("plan-cart-en-laptop", LAPTOP).await;
    browser.assert_accessible("the plan cart").await;

    // The preview needs an address (the service has no default); 1688 then prices the orders.
    browser.client.execute("document.querySelector('form.preview').noValidate = true", vec![]).await.unwrap();
    browser.click("form.preview button[type=submit]").await;
    assert!(browser.text("#address_id-error").await.contains("saved delivery address"));
    browser.fill("#address_id", ADDRESS).await;
    browser.click("form.preview button[type=submit]").await;
    let preview = browser.wait_for("#order-preview").await.text().await.unwrap();
    assert!(preview.contains("1688's total") && preview.contains("Spending cap"), "{preview}");
    let total = browser.text("#preview-total").await;
    assert!(total.starts_with('¥'), "{total}");
    browser.screenshot_page("plan-preview-en-laptop", LAPTOP).await;
    browser.assert_accessible("the order preview").await;
    browser.resize(PHONE).await;
    browser.screenshot_page("plan-preview-en-phone", PHONE).await;
    assert!(!browser.overflows_sideways().await, "the preview fits a phone: {}", browser.too_wide().await);
    browser.resize(LAPTOP).await;

    // Placing without the tick is refused; with it, each order is placed and the link to pay is
    // shown (nothing is paid here); the cart is empty afterwards.
    browser.client.execute("document.querySelector('form.place').noValidate = true", vec![]).await.unwrap();
    browser.click("form.place button[type=submit]").await;
    assert!(browser.text("p.form-error").await.contains("Tick the confirmation"));
    browser.fill("#address_id", ADDRESS).await;
    browser.click("form.preview button[type=submit]").await;
    browser.click("#confirm").await;
    browser.click("form.place button[type=submit]").await;
    browser.wait_for("#placed").await;
    let placed = browser.texts("#placed tbody tr").await;
    assert!(!placed.is_empty() && placed.iter().all(|p| p.contains("Placed")), "{placed:?}");
    let order_link = browser.wait_for("#placed tbody tr a").await.attr("href").await.unwrap().unwrap();
    assert!(order_link.starts_with("/orders/"), "{order_link}");
    let cashier = browser.wait_for("#cashier").await.attr("href").await.unwrap().unwrap();
    assert!(cashier.starts_with("https://"), "{cashier}");
    browser.screenshot_page("orders-placed-en-laptop", LAPTOP).await;
    browser.assert_accessible("the placed orders").await;
    browser.open(&format!("{}/plan", svc.base)).await;
    browser.wait_for("#cart-empty").await;
    browser.open(&format!("{}{order_link}", svc.base)).await;
    browser.wait_for("#order-title").await;
    browser.close().await;

    // In Chinese on a phone: a read key cannot change a cart.
    let phone = Browser::start("order-zh", PHONE, "zh-CN").await;
    phone.log_in(&svc.base, &reader).await;
    phone.open(&format!("{}/offers/{OFFER}?need=50", svc.base)).await;
    phone.click("section[aria-labelledby=skus] form.add-to-plan button").await;
    phone.wait_for("section[role=alert]").await;
    assert!(phone.text("main").await.contains("权限"), "a read key is refused in Chinese");
    phone.close().await;

    let phone = Browser::start("order-zh", PHONE, "zh-CN").await;
    phone.log_in(&svc.base, &writer).await;
    phone.open(&format!("{}/offers/{OFFER}?need=50", svc.base)).await;
    assert!(!phone.overflows_sideways().await, "the offer's SKU rows fit a phone");
    let why = phone.text("section[aria-labelledby=quantity] p.answer").await;
    assert!(why.contains("买 ") && !why.contains("buy "), "the quantity's reason is said in Chinese: {why}");
    phone.screenshot_page("offer-skus-zh-phone", PHONE).await;
    assert_eq!(to_cart(&phone, "section[aria-labelledby=skus] form.add-to-plan button").await, "已加入进货单。");
    assert_eq!(phone.text("#cart-heading").await, "进货单 (1)");
    assert!(phone.text("p.simulated").await.starts_with("模拟数据"));
    phone.fill("#address_id", ADDRESS).await;
    phone.click("form.preview button[type=submit]").await;
    let preview = phone.wait_for("#order-preview").await.text().await.unwrap();
    assert!(preview.contains("1688 报价合计"), "{preview}");
    phone.screenshot_page("plan-preview-zh-phone", PHONE).await;
    assert!(!phone.overflows_sideways().await, "the cart and preview fit a phone: {}", phone.too_wide().await);
    phone.assert_accessible("the Chinese preview on a phone").await;
    phone.resize(LAPTOP).await;
    phone.screenshot_page("plan-preview-zh-laptop", LAPTOP).await;
    // A page that cannot be made says so in the reader's language, naming the field, with a way on.
    phone.resize(PHONE).await;
    phone.open(&format!("{}/offers/0", svc.base)).await;
    let trouble = phone.text("section[role=alert]").await;
    assert!(
        trouble.contains("请求中有内容不正确") && trouble.contains("字段") && trouble.contains("概览"),
        "{trouble}"
    );
    assert!(!phone.overflows_sideways().await, "{}", phone.too_wide().await);
    phone.screenshot_page("trouble-zh-phone", PHONE).await;
    phone.close().await;
}
