//! Orders through the service, end to end against a sandbox server: a plan previewed over HTTP,
//! refused without `confirm` and above the cap, placed with it (a `read` key may preview but not
//! place), then paid through the sandbox's control: the platform's signed order pushes reach the
//! service, which reads each order again and records every status change — payment, shipping,
//! receipt — in the order's timeline, seen by push.

use std::time::Duration;

use open1688_sandbox::push_log::PushTarget;
use reqwest::{Method as M, StatusCode};
use serde_json::{Value, json};

mod browser;
mod service;

use browser::{Browser, LAPTOP, PHONE};
use service::{call, gateway_env, key, order_folder, order_sandbox, orderable_offers, start_with_env};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn orders_placed_over_http_are_followed_by_the_platforms_pushes() {
    let sandbox = order_sandbox().await;
    let (dir, db) = order_folder();
    let (_, writer) = key(dir.path(), &db, "erp", "write");
    let (_, reader) = key(dir.path(), &db, "viewer", "read");
    let svc = start_with_env(dir.path(), &db, &["--no-monitor"], &gateway_env(&sandbox));
    let url = |path: &str| format!("{}{path}", svc.base);
    sandbox.set_push_target(sandbox.app_key(), Some(PushTarget { url: url("/push/1688"), follows: Vec::new() }));

    let lines: Vec<Value> =
        orderable_offers(&sandbox, 3, 0).iter().map(|o| json!({"offer_id": o, "quantity": 20})).collect();
    let body = json!({"plan": {"lines": lines}});

    // Preview: any key; one order per supplier, each placeable.
    let (status, preview) = call(M::POST, &url("/v1/orders/preview"), Some(&reader), Some(body.clone())).await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(preview["orders"].as_array().unwrap().len(), 3);
    assert_eq!(preview["placeable"], true);

    // Placing needs a write key, `confirm`, and a total under the cap.
    let (status, _) = call(M::POST, &url("/v1/orders"), Some(&reader), Some(body.clone())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, unconfirmed) = call(M::POST, &url("/v1/orders"), Some(&writer), Some(body.clone())).await;
    assert_eq!(status, StatusCode::OK, "{unconfirmed}");
    assert!(unconfirmed["placed"].as_array().unwrap().is_empty());
    assert!(unconfirmed["notes"][0].as_str().unwrap().contains("confirmation"), "{unconfirmed}");
    let mut capped = body.clone();
    capped["confirm"] = json!(true);
    capped["spending_cap"] = json!("10");
    let (status, problem) = call(M::POST, &url("/v1/orders"), Some(&writer), Some(capped)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{problem}");
    assert_eq!(problem["field"], "spending_cap");
    assert!(sandbox.orders().is_empty(), "nothing was placed");

    let mut confirmed = body.clone();
    confirmed["confirm"] = json!(true);
    let (status, placed) = call(M::POST, &url("/v1/orders"), Some(&writer), Some(confirmed)).await;
    assert_eq!(status, StatusCode::OK, "{placed}");
    assert!(placed["pay_url"].as_str().unwrap().starts_with("https://"), "{placed}");
    let ids: Vec<i64> =
        placed["placed"].as_array().unwrap().iter().map(|p| p["order"]["order_id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 3);
    let (_, listed) = call(M::GET, &url("/v1/orders?open=true"), Some(&reader), None).await;
    assert_eq!(listed.as_array().unwrap().len(), 3);

    // The buyer pays; the seller ships after 4 h; the goods arrive after 72 h. Only pushes tell
    // the service (its monitor is off): each one makes it read the order again.
    for id in &ids {
        sandbox.pay_order(*id).unwrap();
    }
    let timeline = |id: i64| {
        let (url, reader) = (url(&format!("/v1/orders/{id}")), reader.clone());
        async move {
            let (_, shown) = call(M::GET, &url, Some(&reader), None).await;
            shown["timeline"].as_array().cloned().unwrap_or_default()
        }
    };
    let statuses = |id: i64| async move {
        timeline(id).await.iter().map(|e| e["status"].as_str().unwrap_or_default().to_owned()).collect::<Vec<_>>()
    };
    for expected in [&["waitbuyerpay", "waitsellersend"][..], &["waitbuyerpay", "waitsellersend", "waitbuyerreceive"]] {
        if expected.len() == 3 {
            sandbox.advance(Duration::from_secs(5 * 3600)).unwrap();
        }
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        for id in &ids {
            loop {
                let seen = statuses(*id).await;
                if seen.len() >= expected.len() {
                    assert_eq!(seen, expected, "order {id}");
                    break;
                }
                assert!(tokio::time::Instant::now() < deadline, "order {id}: {seen:?}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    let events = timeline(ids[0]).await;
    assert_eq!(events[0]["source"], "create");
    assert!(events[1..].iter().all(|e| e["source"] == "push"), "the changes came by push: {events:?}");
    assert!(events[2]["detail"].as_str().unwrap_or_default().contains("ZT"), "the waybill: {events:?}");

    sandbox.advance(Duration::from_secs(80 * 3600)).unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let (_, open) = call(M::GET, &url("/v1/orders?open=true"), Some(&reader), None).await;
        if open.as_array().unwrap().is_empty() {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "still open: {open}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let last = timeline(ids[2]).await.last().cloned().unwrap();
    assert_eq!((last["status"].as_str(), last["source"].as_str()), (Some("success"), Some("push")));

    // What the pushes told is alerted by a monitor all the same (here one run beside the
    // service, on its store), once, and the service's alert log names each order.
    let out = service::open1688(dir.path(), &db)
        .envs(gateway_env(&sandbox))
        .args(["monitor", "--once", "-q"])
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for id in &ids {
        assert!(printed.contains(&format!("order {id} (")), "{printed}");
    }
    assert_eq!(printed.matches("(seen by push)").count(), 9, "three changes of three orders: {printed}");
    let (_, log) = call(M::GET, &url("/v1/alerts?watch_id=0"), Some(&reader), None).await;
    let logged: Vec<i64> = log.as_array().unwrap().iter().filter_map(|a| a["order_id"].as_i64()).collect();
    assert_eq!(logged.len(), 9, "{log}");
    assert!(ids.iter().all(|id| logged.contains(id)), "{log}");

    // The dashboard's orders: the list, one order's timeline and trace.
    if browser::available() {
        let browser = Browser::start("orders", LAPTOP, "en").await;
        browser.open(&url("/login")).await;
        browser.fill("#key", &reader).await;
        browser.click("form.login button[type=submit]").await;
        browser.wait_for("nav[aria-label=sections]").await;
        // The order alerts are in the watches page's alert list, each leading to its order.
        browser.open(&url("/watches")).await;
        let to_order = format!("#live-alerts a[href='/orders/{}']", ids[0]);
        let lines = browser.texts(&to_order).await;
        assert!(lines.iter().any(|t| t.starts_with(&format!("order {} (", ids[0]))), "{lines:?}");
        browser.screenshot_page("alerts-en-laptop", LAPTOP).await;
        browser.open(&url("/orders")).await;
        assert!(browser.text("main").await.contains("No orders yet"), "every order is done");
        browser.open(&url("/orders?show=all")).await;
        browser.assert_accessible("the orders list").await;
        let rows = browser.texts("main tbody tr").await;
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert!(rows.iter().all(|r| r.contains("Received")), "{rows:?}");
        browser.screenshot_page("list-en-laptop", LAPTOP).await;
        browser.open(&url(&format!("/orders/{}", ids[0]))).await;
        browser.assert_accessible("an order's page").await;
        let steps = browser.texts("section[aria-labelledby=timeline-title] li").await;
        assert_eq!(steps.len(), 4, "{steps:?}");
        assert!(steps[0].starts_with("Awaiting payment") && steps[3].starts_with("Received"), "{steps:?}");
        let trace = browser.texts("section[aria-labelledby=trace-title] li").await;
        assert!(trace.first().is_some_and(|t| t.starts_with("卖家已发货")), "{trace:?}");
        assert!(trace.last().is_some_and(|t| t.starts_with("已签收")), "{trace:?}");
        assert!(browser.text("main").await.contains("o1688-"), "our number is shown");
        // What the platform said when the pushes made the service read it again: the same total.
        let now = browser.text("section[aria-labelledby=now-title]").await;
        assert!(now.contains("What the platform says now") && now.contains("义乌仓 张三"), "{now}");
        browser.wait_for("#no-changes").await;
        browser.screenshot_page("order-en-laptop", LAPTOP).await;
        // A read key may not ask the platform to read an order again (that records a change).
        browser.click("form[action$='/track'] button").await;
        // Wait for the answer's page, not the order's (whose elements go stale as it leaves).
        browser.wait_for_address("/track").await;
        assert!(browser.text("main").await.contains("scope"), "refused for a read key");
        browser.open(&url(&format!("/lang/zh-CN?next=/orders/{}", ids[1]))).await;
        browser.resize(PHONE).await;
        browser.wait_for("#timeline-title").await;
        assert!(browser.text("#timeline-title").await.contains("订单进度"));
        assert!(!browser.overflows_sideways().await, "the order page fits a phone");
        browser.assert_accessible("an order's page in Chinese on a phone").await;
        browser.screenshot_page("order-zh-phone", PHONE).await;
        // The saved delivery addresses, with the numbers an order can go to.
        browser.open(&url("/orders/addresses")).await;
        browser.wait_for("#addresses").await;
        let rows = browser.texts("#addresses tbody tr").await;
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert!(rows[0].contains("默认"), "{rows:?}");
        assert!(!browser.overflows_sideways().await, "the addresses fit a phone");
        browser.assert_accessible("the saved addresses in Chinese on a phone").await;
        browser.screenshot_page("addresses-zh-phone", PHONE).await;
        browser.open(&url("/lang/en?next=/orders/addresses")).await;
        browser.resize(LAPTOP).await;
        browser.wait_for("#addresses").await;
        assert!(browser.text("h1").await.contains("Saved delivery addresses"));
        browser.screenshot_page("addresses-en-laptop", LAPTOP).await;
        browser.close().await;
    }

    // An order placed elsewhere is not this service's to pay for or track.
    let (status, _) =
        call(M::POST, &url("/v1/orders/pay-url"), Some(&reader), Some(json!({"order_ids": [1234567]}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(M::POST, &url("/v1/orders/1234567/track"), Some(&writer), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
