//! End to end, the service's operations side: its OpenAPI document, metrics, request ids and
//! logs, keys managed over HTTP by an admin key, the alert log and acknowledgements, history
//! charts, multipart uploads, CORS when configured, and a graceful stop that keeps jobs' results
//! and records interrupted ones.

use std::time::Duration;

use reqwest::{Method as M, StatusCode};
use serde_json::{Value, json};

mod service;

use service::{OFFER, call, key, start};

/// Polls `GET path` until `done` holds (at most 30 s).
async fn wait_for(url: &str, key: &str, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let (status, value) = call(M::GET, url, Some(key), None).await;
        if status == StatusCode::OK && done(&value) {
            return value;
        }
        assert!(tokio::time::Instant::now() < deadline, "gave up waiting on {url}: {status} {value}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_documents_measures_and_manages_itself() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let (_, reader) = key(dir.path(), &db, "dashboard", "read");
    let (_, writer) = key(dir.path(), &db, "erp", "write");
    let (_, admin) = key(dir.path(), &db, "ops", "admin");
    let mut svc = start(
        dir.path(),
        &db,
        &["--monitor-tick", "1", "--cors-origin", "https://erp.example.com", "--shutdown-grace", "0"],
    );
    let url = |path: &str| format!("{}{path}", svc.base);
    let http = reqwest::Client::new();

    // The document served is the one checked in, and needs a key like every /v1 route.
    assert_eq!(call(M::GET, &url("/v1/openapi.json"), None, None).await.0, StatusCode::UNAUTHORIZED);
    let (status, served) = call(M::GET, &url("/v1/openapi.json"), Some(&reader), None).await;
    assert_eq!(status, StatusCode::OK);
    let checked_in: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(served, checked_in);

    // Request ids: a caller's sane id comes back, otherwise a fresh one.
    let r = http.get(url("/healthz")).header("x-request-id", "erp-order-77").send().await.unwrap();
    assert_eq!(r.headers()["x-request-id"], "erp-order-77");
    let r = http.get(url("/healthz")).header("x-request-id", "no spaces allowed").send().await.unwrap();
    assert_eq!(r.headers()["x-request-id"].len(), 16);

    // Keys over HTTP need admin; a key made there works at once and stops when revoked.
    let (status, p) = call(M::GET, &url("/v1/keys"), Some(&writer), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{p}");
    let (status, made) =
        call(M::POST, &url("/v1/keys"), Some(&admin), Some(json!({"name": "storefront", "scope": "read"}))).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let secret = made["secret"].as_str().unwrap().to_owned();
    let id = made["key"]["id"].as_i64().unwrap();
    assert_eq!(call(M::GET, &url("/v1/watches"), Some(&secret), None).await.0, StatusCode::OK);
    let (_, listed) = call(M::GET, &url("/v1/keys"), Some(&admin), None).await;
    assert!(listed.to_string().contains("storefront") && !listed.to_string().contains(&secret[10..]), "{listed}");
    let (status, p) = call(M::POST, &url("/v1/keys"), Some(&admin), Some(json!({"name": " ", "scope": "read"}))).await;
    assert_eq!((status, p["field"].as_str()), (StatusCode::BAD_REQUEST, Some("name")), "{p}");
    let (status, _) = call(M::POST, &url("/v1/keys"), Some(&admin), Some(json!({"name": "x", "scope": "root"}))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(call(M::DELETE, &url(&format!("/v1/keys/{id}")), Some(&admin), None).await.0, StatusCode::NO_CONTENT);
    assert_eq!(call(M::DELETE, &url(&format!("/v1/keys/{id}")), Some(&admin), None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(call(M::GET, &url("/v1/watches"), Some(&secret), None).await.0, StatusCode::UNAUTHORIZED);

    // A watch whose target the first check crosses: the monitor raises an alert, the log lists
    // it, a writer acknowledges it (a reader may not), and the open list no longer shows it.
    let watch = json!({"offer": OFFER.parse::<i64>().unwrap(), "below": "100000", "at": 100});
    let (status, added) = call(M::POST, &url("/v1/watches"), Some(&writer), Some(watch)).await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    let alerts = wait_for(&url("/v1/alerts"), &reader, |v| v.as_array().is_some_and(|a| !a.is_empty())).await;
    let alert = &alerts[0];
    assert_eq!(
        (alert["offer_id"].to_string(), alert["rule"].as_str()),
        (OFFER.to_owned(), Some("price_below")),
        "{alert}"
    );
    assert!(alert["acknowledged_at"].is_null());
    let ack = url(&format!("/v1/alerts/{}/acknowledge", alert["id"]));
    assert_eq!(call(M::POST, &ack, Some(&reader), None).await.0, StatusCode::FORBIDDEN);
    let (status, acked) = call(M::POST, &ack, Some(&writer), None).await;
    assert_eq!((status, acked["acknowledged_by"].as_str()), (StatusCode::OK, Some("erp")), "{acked}");
    let (_, open) = call(M::GET, &url("/v1/alerts?unacknowledged=true"), Some(&reader), None).await;
    assert!(open.as_array().unwrap().iter().all(|a| a["id"] != alert["id"]), "{open}");
    assert_eq!(
        call(M::POST, &url("/v1/alerts/999999/acknowledge"), Some(&writer), None).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, p) = call(M::GET, &url("/v1/alerts?limit=ten"), Some(&reader), None).await;
    assert_eq!((status, p["field"].as_str()), (StatusCode::BAD_REQUEST, Some("query")));

    // The history the monitor keeps, drawn.
    let png = http.get(url(&format!("/v1/offers/{OFFER}/history.png"))).bearer_auth(&reader).send().await.unwrap();
    assert_eq!((png.status(), png.headers()["content-type"].to_str().unwrap()), (StatusCode::OK, "image/png"));
    assert_eq!(&png.bytes().await.unwrap()[..4], b"\x89PNG");
    let svg =
        http.get(url(&format!("/v1/offers/{OFFER}/history.svg?days=7"))).bearer_auth(&reader).send().await.unwrap();
    assert_eq!(svg.status(), StatusCode::OK);
    assert!(svg.text().await.unwrap().contains("<svg"));
    let (status, _) = call(M::GET, &url("/v1/offers/1/history.png"), Some(&reader), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no snapshot, no chart");

    // A picture as a multipart upload; a form without a file is named.
    let picture = service::TINY_PNG.to_vec();
    let form = reqwest::multipart::Form::new()
        .part("picture", reqwest::multipart::Part::bytes(picture).file_name("cup.png").mime_str("image/png").unwrap());
    let found = http.post(url("/v1/image-search?limit=3")).bearer_auth(&reader).multipart(form).send().await.unwrap();
    assert_eq!(found.status(), StatusCode::OK, "{}", found.text().await.unwrap());
    let empty = reqwest::multipart::Form::new().text("note", "no file here");
    let refused = http.post(url("/v1/image-search")).bearer_auth(&reader).multipart(empty).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert_eq!(refused.json::<Value>().await.unwrap()["field"], "picture");

    // CORS for the configured origin only; a preflight needs no key.
    let preflight = |origin: &'static str| {
        http.request(M::OPTIONS, url("/v1/watches"))
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "authorization")
            .send()
    };
    let allowed = preflight("https://erp.example.com").await.unwrap();
    assert_eq!(allowed.headers()["access-control-allow-origin"], "https://erp.example.com");
    let other = preflight("https://evil.example").await.unwrap();
    assert!(!other.headers().contains_key("access-control-allow-origin"));

    // Metrics: behind a key, with the service's, the SDK's and the store's figures.
    assert_eq!(call(M::GET, &url("/metrics"), None, None).await.0, StatusCode::UNAUTHORIZED);
    let metrics = http.get(url("/metrics")).bearer_auth(&reader).send().await.unwrap();
    assert_eq!(metrics.status(), StatusCode::OK);
    let text = metrics.text().await.unwrap();
    for figure in [
        "open1688_http_requests_total{",
        "open1688_http_request_duration_seconds_bucket{",
        "open1688_calls_total{",
        "open1688_call_duration_seconds_bucket{",
        &format!("open1688_watch_data_age_seconds{{watch=\"{}\"}}", added["id"]),
        "open1688_watches{state=\"active\"} 1",
        "open1688_service_jobs{status=\"running\"} 0",
        "open1688_alert_deliveries_pending",
    ] {
        assert!(text.contains(figure), "{figure} is missing from /metrics:\n{text}");
    }
    assert!(text.contains("route=\"/v1/offers/{id}/history.png\""), "routes are labelled by template");

    // The sourcing job survives a stop: finished before it, its report is still served after a
    // restart; still running at it (no grace), it is recorded as interrupted.
    let (status, job) =
        call(M::POST, &url("/v1/jobs/source"), Some(&writer), Some(json!({"keyword": "保温杯", "need": 300}))).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let id = job["id"].as_str().unwrap().to_owned();
    let exit = svc.stop();
    assert!(exit.success(), "a stopped service exits cleanly: {exit:?}");
    let log = svc.log();
    assert!(log.contains("stopped ("), "{log}");
    // Request lines carry the request id and the key's id, never a key.
    assert!(log.contains("erp-order-77") && log.contains("answered"), "{log}");
    for secret in [&reader, &writer, &admin] {
        assert!(!log.contains(&secret[secret.len() - 16..]), "a key leaked into the log");
    }
    drop(svc);

    let svc = start(dir.path(), &db, &["--no-monitor"]);
    let url = |path: &str| format!("{}{path}", svc.base);
    let (status, view) = call(M::GET, &url(&format!("/v1/jobs/{id}")), Some(&writer), None).await;
    assert_eq!(status, StatusCode::OK, "the job is known after a restart: {view}");
    // Done before the stop, or handed back to the queue by it and run again now: either way it
    // ends with one result.
    let view = wait_for(&url(&format!("/v1/jobs/{id}")), &writer, |v| v["status"] != "running").await;
    assert_eq!(view["status"], "succeeded", "{view}");
    let (status, report) = call(M::GET, &url(&format!("/v1/jobs/{id}/result")), Some(&writer), None).await;
    assert_eq!(status, StatusCode::OK, "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopping_instance_drops_readiness_sends_streams_elsewhere_and_frees_its_port_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let (_, reader) = key(dir.path(), &db, "screen", "read");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let listen = format!("127.0.0.1:{port}");
    let flags = ["--listen", listen.as_str(), "--no-monitor", "--drain-seconds", "2"];
    let svc = service::start(dir.path(), &db, &flags);
    let url = |path: &str| format!("{}{path}", svc.base);
    let (status, _) = call(M::GET, &url("/readyz"), None, None).await;
    assert_eq!(status, StatusCode::OK);
    let mut stream = reqwest::Client::new().get(url("/v1/alerts/stream")).bearer_auth(&reader).send().await.unwrap();
    assert_eq!(stream.status(), StatusCode::OK);

    let stopped_at = std::time::Instant::now();
    let pid = svc.child.id().to_string();
    assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    // The stream is told to reconnect (elsewhere) at once…
    let mut seen = String::new();
    while !seen.contains("event: reconnect") {
        let chunk = tokio::time::timeout(Duration::from_secs(2), stream.chunk()).await.expect("told within 2 s");
        match chunk.unwrap() {
            Some(bytes) => seen.push_str(&String::from_utf8_lossy(&bytes)),
            None => break,
        }
    }
    assert!(seen.contains("event: reconnect") && seen.contains("retry: 500"), "{seen}");
    // …readiness is gone while the service still answers for the drain…
    let (status, problem) = call(M::GET, &url("/readyz"), None, None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{problem}");
    assert_eq!(call(M::GET, &url("/healthz"), None, None).await.0, StatusCode::OK);
    // …and then it exits, and a new instance takes the same port at once.
    let mut svc = svc;
    let exit = svc.child.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
    let took = stopped_at.elapsed();
    assert!(took < Duration::from_secs(5), "the stop took {took:?} with a 2 s drain");
    let again = service::start(dir.path(), &db, &flags);
    assert_eq!(call(M::GET, &format!("{}/readyz", again.base), None, None).await.0, StatusCode::OK);
}
