//! End to end: the real `open1688 serve` binary over its built-in sandbox, driven over HTTP —
//! keys and scopes (401, 403, a revoked key), problem documents for bad input, lookups,
//! decisions, watches from creation to removal, body limits, health.

use reqwest::StatusCode;
use serde_json::{Value, json};

mod service;

use service::{OFFER, call, find, key, open1688, start};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_answers_with_keys_scopes_and_problems() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let (_, reader) = key(dir.path(), &db, "dashboard", "read");
    let (writer_id, writer) = key(dir.path(), &db, "erp", "write");
    // Without the monitor: the history below must still be empty when it is asked for.
    let svc = start(dir.path(), &db, &["--no-monitor", "--sandbox-pushes"]);
    let url = |path: &str| format!("{}{path}", svc.base);
    use reqwest::Method as M;

    // Health needs no key; everything under /v1 does.
    assert_eq!(call(M::GET, &url("/healthz"), None, None).await.0, StatusCode::OK);
    let (status, ready) = call(M::GET, &url("/readyz"), None, None).await;
    assert_eq!((status, ready["store"].as_str()), (StatusCode::OK, Some("ok")));
    assert_eq!(ready["gateway_token"], "valid", "{ready}");
    let (status, p) = call(M::GET, &url("/v1/watches"), None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{p}");
    // The same key with its last digit changed (to another digit, whatever it was).
    let last = if writer.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{last}", &writer[..writer.len() - 1]);
    assert_eq!(call(M::GET, &url("/v1/watches"), Some(&forged), None).await.0, StatusCode::UNAUTHORIZED);
    let (status, p) = call(M::POST, &url("/v1/watches"), Some(&reader), Some(json!({"offer": 1}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a read key cannot change anything: {p}");
    assert!(p["detail"].as_str().unwrap().contains("needs write"), "{p}");

    // Lookups.
    let (status, found) = call(M::GET, &url("/v1/search?keyword=保温杯&limit=3&sort=price"), Some(&reader), None).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    let (status, p) = call(M::GET, &url("/v1/search?keyword=杯&sort=cheapest"), Some(&reader), None).await;
    assert_eq!((status, p["field"].as_str()), (StatusCode::BAD_REQUEST, Some("query")), "{p}");
    let (status, offer) = call(M::GET, &url(&format!("/v1/offers/{OFFER}")), Some(&reader), None).await;
    assert_eq!(status, StatusCode::OK, "{offer}");
    assert!(offer.to_string().contains(OFFER));
    let (status, p) = call(M::GET, &url("/v1/offers/-5"), Some(&reader), None).await;
    assert_eq!((status, p["field"].as_str()), (StatusCode::BAD_REQUEST, Some("id")), "{p}");
    let (status, p) = call(M::GET, &url("/v1/offers/abc"), Some(&reader), None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{p}");
    // The same item by picture, as `open1688 same-item` answers it; a bad limit is named.
    let (status, same) = call(M::GET, &url(&format!("/v1/same-item/{OFFER}?limit=8")), Some(&reader), None).await;
    assert_eq!(status, StatusCode::OK, "{same}");
    assert_eq!(same["reference"].to_string(), OFFER);
    let listings = same["listings"].as_array().unwrap();
    assert!(!listings.is_empty() && listings.len() <= 8, "{same}");
    let (status, p) = call(M::GET, &url(&format!("/v1/same-item/{OFFER}?limit=0")), Some(&reader), None).await;
    assert_eq!((status, p["field"].as_str()), (StatusCode::BAD_REQUEST, Some("limit")), "{p}");
    assert_eq!(call(M::GET, &url("/v1/nothing"), Some(&reader), None).await.0, StatusCode::NOT_FOUND);
    // A problem is said in the caller's language (Accept-Language); its fields for programs are
    // the same in both.
    let in_language = |path: &str, key: Option<&str>, language: &'static str| {
        let mut req = reqwest::Client::new().get(url(path)).header("accept-language", language);
        if let Some(key) = key {
            req = req.bearer_auth(key);
        }
        async move {
            let res = req.send().await.unwrap();
            let said = res.headers().get("content-language").map(|v| v.to_str().unwrap().to_owned());
            let vary = res.headers().get("vary").map(|v| v.to_str().unwrap().to_owned());
            (res.status(), said, vary, res.json::<Value>().await.unwrap())
        }
    };
    let (status, said, vary, p) =
        in_language("/v1/catalog/search?limit=0", Some(&reader), "zh-CN,zh;q=0.9,en;q=0.8").await;
    assert_eq!((status, said.as_deref(), p["field"].as_str()), (StatusCode::BAD_REQUEST, Some("zh-CN"), Some("limit")));
    assert_eq!(p["detail"], "limit 须在 1 到 1000 之间（收到 0）", "{p}");
    assert_eq!(p["title"], "请求有误", "{p}");
    assert!(vary.is_some_and(|v| v.to_ascii_lowercase().contains("accept-language")));
    let (_, said, _, p) = in_language("/v1/catalog/search?limit=0", Some(&reader), "en-GB,en;q=0.9").await;
    assert_eq!((said.as_deref(), p["detail"].as_str()), (Some("en"), Some("limit must be 1 to 1000, got 0")), "{p}");
    let (status, _, _, p) = in_language("/v1/offers/1", Some(&reader), "zh-CN").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{p}");
    assert_eq!(p["detail"], "1688 上找不到商品 1：可能已下架，或编号有误", "{p}");
    let (status, _, _, p) = in_language("/v1/watches", None, "zh").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{p}");
    assert!(p["detail"].as_str().unwrap().starts_with("需要 API 密钥"), "{p}");
    // An address that is nothing: a page in the browser's language with a way on, or a problem
    // document for a program.
    let http = reqwest::Client::new();
    let page = http
        .get(url("/nope"))
        .header("accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
        .header("accept-language", "zh-CN,zh;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(page.headers().contains_key("content-security-policy"), "the page carries the pages' headers");
    let html = page.text().await.unwrap();
    assert!(
        html.contains("没有这个页面") && html.contains("href=\"/search\"") && html.contains("lang=\"zh-CN\""),
        "{html}"
    );
    let problem = http.get(url("/nope")).header("accept", "application/json").send().await.unwrap();
    assert_eq!(problem.status(), StatusCode::NOT_FOUND);
    assert!(problem.headers()["content-type"].to_str().unwrap().starts_with("application/problem+json"));

    // The seller behind the offer, the market for a keyword, a picture uploaded or refused.
    let open_id = find(&offer, "open_id").expect("the offer names its seller");
    let (status, seller) = call(M::GET, &url(&format!("/v1/sellers/{open_id}")), Some(&reader), None).await;
    assert_eq!(status, StatusCode::OK, "{seller}");
    let bad_card = url(&format!("/v1/sellers/{open_id}?scorecard=/etc/passwd"));
    let (status, p) = call(M::GET, &bad_card, Some(&reader), None).await;
    assert_eq!((status, p["field"].as_str()), (StatusCode::BAD_REQUEST, Some("scorecard")), "{p}");
    let (status, market) = call(M::GET, &url("/v1/analyze?keyword=数据线&quantity=100"), Some(&reader), None).await;
    assert_eq!(status, StatusCode::OK, "{market}");
    let png = service::TINY_PNG;
    let http = reqwest::Client::new();
    let upload = http.post(url("/v1/image-search?limit=5")).bearer_auth(&reader).header("content-type", "image/png");
    let pictured = upload.body(png.to_vec()).send().await.unwrap();
    assert_eq!(pictured.status(), StatusCode::OK, "{}", pictured.text().await.unwrap());
    let private = Some(json!({"url": "http://127.0.0.1:1/x.png"}));
    let (status, p) = call(M::POST, &url("/v1/image-search"), Some(&reader), private).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a private address is refused: {p}");
    let text = http.post(url("/v1/image-search")).bearer_auth(&reader).header("content-type", "text/plain");
    assert_eq!(text.body("hi").send().await.unwrap().status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // Decisions (computations: a read key may ask): a quote, and a bad need named by its field.
    let (status, quote) = call(
        M::POST,
        &url("/v1/quote"),
        Some(&reader),
        Some(json!({"offer_id": OFFER.parse::<i64>().unwrap(), "need": 300})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    assert!(quote["advice"].is_object(), "{quote}");
    let (status, p) =
        call(M::POST, &url("/v1/quote"), Some(&writer), Some(json!({"offer_id": 1, "need": "lots"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{p}");

    // A plan as an uploaded CSV file, a malformed line named, and recommendations.
    let http = reqwest::Client::new();
    let csv = format!("offer_id,sku_id,quantity\n{OFFER},,300\n");
    let plan = http.post(url("/v1/plan?optimize=true")).bearer_auth(&reader).header("content-type", "text/csv");
    let planned = plan.body(csv).send().await.unwrap();
    assert_eq!(planned.status(), StatusCode::OK, "{}", planned.text().await.unwrap());
    let bad = http.post(url("/v1/plan")).bearer_auth(&reader).header("content-type", "text/csv");
    let bad = bad.body("offer_id,sku_id,quantity\nabc,,3\n").send().await.unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let problem: Value = bad.json().await.unwrap();
    assert!(problem["detail"].as_str().unwrap().contains("line"), "the line is named: {problem}");
    let wanted = json!({"search": {"keyword": "保温杯", "limit": 10}, "recommend": {"quantity": 100}});
    let (status, picks) = call(M::POST, &url("/v1/recommend"), Some(&reader), Some(wanted)).await;
    assert_eq!(status, StatusCode::OK, "{picks}");

    // Watches from creation to removal.
    let (status, added) = call(
        M::POST,
        &url("/v1/watches"),
        Some(&writer),
        Some(json!({"offer": OFFER.parse::<i64>().unwrap(), "below": "8", "at": 100})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    let id = added["id"].as_i64().unwrap();
    let (_, list) = call(M::GET, &url("/v1/watches"), Some(&reader), None).await;
    assert!(list.to_string().contains(OFFER), "{list}");
    // Replaced: another rule and interval, the same id; a bad replacement is named.
    let replacement = json!({"offer": OFFER.parse::<i64>().unwrap(), "above": "99", "at": 10, "every_minutes": 30});
    let (status, replaced) = call(M::PUT, &url(&format!("/v1/watches/{id}")), Some(&writer), Some(replacement)).await;
    assert_eq!((status, replaced["id"].as_i64()), (StatusCode::OK, Some(id)), "{replaced}");
    let (_, list) = call(M::GET, &url("/v1/watches"), Some(&reader), None).await;
    assert!(list.to_string().contains("price_above"), "{list}");
    let (status, p) =
        call(M::PUT, &url(&format!("/v1/watches/{id}")), Some(&writer), Some(json!({"every_minutes": 30}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{p}");
    let (status, _) = call(M::PUT, &url("/v1/watches/999999"), Some(&writer), Some(json!({"offer": 1}))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let snooze = url(&format!("/v1/watches/{id}/snooze"));
    assert_eq!(call(M::POST, &snooze, Some(&writer), Some(json!({"hours": 2}))).await.0, StatusCode::NO_CONTENT);
    let (status, alerts) = call(M::GET, &url(&format!("/v1/watches/{id}/alerts")), Some(&reader), None).await;
    assert_eq!((status, alerts), (StatusCode::OK, json!([])));
    let (status, p) = call(M::GET, &url(&format!("/v1/offers/{OFFER}/history")), Some(&reader), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no history before the monitor ran: {p}");
    assert_eq!(call(M::GET, &url("/v1/runs"), Some(&reader), None).await.0, StatusCode::OK);
    let watch = url(&format!("/v1/watches/{id}"));
    assert_eq!(call(M::DELETE, &watch, Some(&writer), None).await.0, StatusCode::NO_CONTENT);
    assert_eq!(call(M::DELETE, &watch, Some(&writer), None).await.0, StatusCode::NOT_FOUND);

    // A job bound to fail is refused at once, naming the field, instead of started.
    let (status, p) =
        call(M::POST, &url("/v1/jobs/source"), Some(&writer), Some(json!({"keyword": "保温杯", "need": 0}))).await;
    assert_eq!((status, p["field"].as_str()), (StatusCode::BAD_REQUEST, Some("need")), "{p}");

    // The sourcing job runs in the background: 202, progress, the report, its files, cancel.
    let (status, job) =
        call(M::POST, &url("/v1/jobs/source"), Some(&writer), Some(json!({"keyword": "保温杯", "need": 300}))).await;
    assert_eq!((status, job["status"].as_str()), (StatusCode::ACCEPTED, Some("running")), "{job}");
    let id = job["id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 32, "128 random bits");
    let (status, p) = call(M::GET, &url(&format!("/v1/jobs/{id}/result")), Some(&writer), None).await;
    assert!(status == StatusCode::CONFLICT || status == StatusCode::OK, "{status} {p}");
    let done = loop {
        let (_, view) = call(M::GET, &url(&format!("/v1/jobs/{id}")), Some(&writer), None).await;
        if view["status"] != "running" {
            break view;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(done["status"], "succeeded", "{done}");
    let (status, report) = call(M::GET, &url(&format!("/v1/jobs/{id}/result")), Some(&writer), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(report["decision"].is_object() || report.to_string().contains("offer_id"), "{report}");
    let files: Vec<String> = done["files"].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_owned()).collect();
    assert!(files.iter().any(|f| f == "sourcing.xlsx"), "{files:?}");
    let workbook = reqwest::Client::new()
        .get(url(&format!("/v1/jobs/{id}/files/sourcing.xlsx")))
        .bearer_auth(&writer)
        .send()
        .await
        .unwrap();
    assert_eq!(workbook.status(), StatusCode::OK);
    assert_eq!(&workbook.bytes().await.unwrap()[..2], b"PK", "an XLSX (zip) file");
    let (status, _) = call(M::GET, &url(&format!("/v1/jobs/{id}/files/..%2Fstore.db")), Some(&writer), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "only the job's listed files");
    assert_eq!(call(M::GET, &url("/v1/jobs/0123"), Some(&writer), None).await.0, StatusCode::NOT_FOUND);
    let (status, _) =
        call(M::POST, &url("/v1/jobs/source"), Some(&reader), Some(json!({"keyword": "杯", "need": 1}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "jobs need write");
    let (_, second) =
        call(M::POST, &url("/v1/jobs/source"), Some(&writer), Some(json!({"keyword": "保温杯", "need": 300}))).await;
    let second_id = second["id"].as_str().unwrap();
    let (status, _) = call(M::DELETE, &url(&format!("/v1/jobs/{second_id}")), Some(&writer), None).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let ended = loop {
        let (_, view) = call(M::GET, &url(&format!("/v1/jobs/{second_id}")), Some(&writer), None).await;
        if view["status"] != "running" {
            break view;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert!(ended["status"] == "cancelled" || ended["status"] == "succeeded", "{ended}");

    // A body over the limit is refused before it is read whole.
    let huge = json!({"offer": 1, "keyword": "x".repeat(2 * 1024 * 1024)});
    assert_eq!(call(M::POST, &url("/v1/watches"), Some(&writer), Some(huge)).await.0, StatusCode::PAYLOAD_TOO_LARGE);

    // Platform pushes: signed with the app secret (here the built-in sandbox's), stored once per
    // msgId, refused when the signature does not match; no API key involved.
    let message = format!(
        r#"{{"msgId":77001,"gmtBorn":1700000000000,"type":"PRODUCT_RELATION_VIEW_PRODUCT_NEW_OR_MODIFY","userInfo":"b2b-1","data":{{"productIds":"{OFFER}","msgSendTime":"2023-11-15 06:13:20"}}}}"#
    );
    let secret = open1688_sandbox::DEMO_APP_SECRET.as_bytes();
    let signature = open1688::types::sign("", secret, [("message", message.as_str())]);
    let form = |m: &str, s: &str| {
        form_urlencoded::Serializer::new(String::new())
            .append_pair("message", m)
            .append_pair("_aop_signature", s)
            .finish()
    };
    let push = |body: String| {
        reqwest::Client::new()
            .post(url("/push/1688"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    assert_eq!(push(form(&message, &signature)).await.unwrap().status(), StatusCode::NO_CONTENT);
    assert_eq!(push(form(&message, &signature)).await.unwrap().status(), StatusCode::NO_CONTENT, "a redelivery");
    let tampered = message.replace("77001", "77002");
    assert_eq!(push(form(&tampered, &signature)).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(push("message=%7B%7D".into()).await.unwrap().status(), StatusCode::BAD_REQUEST);
    let pool = sqlx::SqlitePool::connect(&db).await.unwrap();
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM push_messages").fetch_one(&pool).await.unwrap();
    assert_eq!(stored, 1, "stored once, the tampered one not at all");
    let raw: String = sqlx::query_scalar("SELECT message FROM push_messages").fetch_one(&pool).await.unwrap();
    assert_eq!(raw, message, "kept exactly as received");

    // A key revoked by another process is refused within the 2 s a verified key is trusted.
    let out = open1688(dir.path(), &db).args(["serve", "keys", "revoke", &writer_id.to_string()]).output().unwrap();
    assert!(out.status.success());
    let revoked = std::time::Instant::now();
    while call(M::GET, &url("/v1/watches"), Some(&writer), None).await.0 != StatusCode::UNAUTHORIZED {
        assert!(revoked.elapsed() < std::time::Duration::from_secs(3), "the revoked key still works");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let listed = open1688(dir.path(), &db).args(["serve", "keys", "list", "--format", "json"]).output().unwrap();
    let listed = String::from_utf8(listed.stdout).unwrap();
    assert!(listed.contains("erp") && !listed.contains(&writer[writer.len() - 20..]), "{listed}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_monitor_inside_the_service_streams_alerts_as_they_are_raised() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let (_, reader) = key(dir.path(), &db, "screen", "read");
    let (_, writer) = key(dir.path(), &db, "erp", "write");
    let svc = start(dir.path(), &db, &["--monitor-tick", "1", "--key-rate", "1"]);
    let mut stream =
        reqwest::Client::new().get(format!("{}/v1/alerts/stream", svc.base)).bearer_auth(&reader).send().await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    // A target far above the price: the first check crosses it and raises one alert.
    let watch = json!({"offer": OFFER.parse::<i64>().unwrap(), "below": "100000", "at": 100});
    let (status, _) =
        call(reqwest::Method::POST, &format!("{}/v1/watches", svc.base), Some(&writer), Some(watch)).await;
    assert_eq!(status, StatusCode::CREATED);
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
    while !seen.contains("event: alert") {
        let chunk = tokio::time::timeout_at(deadline, stream.chunk()).await.expect("an alert within 30 s").unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk.expect("the stream stays open")));
    }
    let data = seen.split("event: alert").nth(1).unwrap();
    assert!(data.contains(OFFER) && data.contains("price_below"), "{seen}");
    assert!(data.contains("\nid: "), "each alert carries its delivery id: {seen}");

    // One request a second per key (bursts of two): a flood gets 429 with Retry-After, and
    // another key is not held back.
    let flood = reqwest::Client::new();
    let mut limited = None;
    for _ in 0..5 {
        let r = flood.get(format!("{}/v1/watches", svc.base)).bearer_auth(&writer).send().await.unwrap();
        if r.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(r);
            break;
        }
    }
    let limited = limited.expect("the flood was limited");
    assert!(limited.headers().contains_key("retry-after"));
    let (status, _) = call(reqwest::Method::GET, &format!("{}/v1/runs", svc.base), Some(&reader), None).await;
    assert!(status == StatusCode::OK || status == StatusCode::TOO_MANY_REQUESTS);
}
