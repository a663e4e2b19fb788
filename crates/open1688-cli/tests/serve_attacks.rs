//! The service under attack, against the real binary: each test is a way in that an attacker on
//! the company network tried (issue "the service under attack"), now refused — a file of the
//! service's folder named as a scorecard, a redirect to another site after log-in or a language
//! switch.

use reqwest::{Method as M, StatusCode};

mod service;

use service::{call, key, start};

/// A client that shows redirects instead of following them.
fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_of_the_services_folder_is_never_read_for_a_remote_caller() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let secret = "DATABASE_URL=postgres://buyer:hunter2-very-secret@db.internal/erp";
    std::fs::write(dir.path().join(".env"), format!("{secret}\n")).unwrap();
    std::fs::write(dir.path().join("card.toml"), "name = \"mine\"\n").unwrap();
    let (_, reader) = key(dir.path(), &db, "viewer", "read");
    let svc = start(dir.path(), &db, &["--no-monitor"]);
    let url = |path: &str| format!("{}{path}", svc.base);

    let mut answers = Vec::new();
    for name in [".env", "card.toml", "no-such-file.toml", "../.env", "%2e%2e%2f.env", "/etc/passwd"] {
        let (status, problem) =
            call(M::GET, &url(&format!("/v1/sellers/b2b-x?scorecard={name}")), Some(&reader), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{name}: {problem}");
        let text = problem.to_string();
        assert!(
            !text.contains("hunter2") && !text.contains("DATABASE_URL") && !text.contains("mine"),
            "{name}: {text}"
        );
        answers.push(problem["detail"].clone());
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "a file there and a file missing answer alike: {answers:?}");
    // A preset, and the service's own scorecard by `active`, are still chosen by name.
    for name in ["legacy_credit", "active"] {
        let (status, problem) =
            call(M::GET, &url(&format!("/v1/sellers/b2b-x?scorecard={name}")), Some(&reader), None).await;
        assert_ne!(status, StatusCode::BAD_REQUEST, "{name}: {problem}");
        assert_ne!(problem["field"], "scorecard", "{name}: {problem}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_in_and_the_language_switch_go_only_to_pages_of_this_site() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let (_, reader) = key(dir.path(), &db, "viewer", "read");
    let svc = start(dir.path(), &db, &["--no-monitor"]);
    let http = no_redirects();
    let bad = [
        "/%09/evil.example",
        "/%0a/evil.example",
        "%0d%0aSet-Cookie:%20x=1",
        "//evil.example",
        "/%5Cevil.example",
        "%5C%5Cevil.example",
        "https://evil.example/",
        "/%E3%80%80",
    ];
    for next in bad {
        let switched = http.get(format!("{}/lang/en?next={next}", svc.base)).send().await.unwrap();
        assert_eq!(switched.status(), StatusCode::BAD_REQUEST, "lang, next={next}");
        assert!(switched.headers().get("location").is_none(), "lang, next={next}");
        let form = http.get(format!("{}/login?next={next}", svc.base)).send().await.unwrap();
        assert_eq!(form.status(), StatusCode::BAD_REQUEST, "login form, next={next}");
        let posted =
            post_form(&http, &format!("{}/login", svc.base), &[("key", &reader), ("next", &percent_decoded(next))])
                .await;
        assert_eq!(posted.status(), StatusCode::BAD_REQUEST, "log-in, next={next}");
        assert!(posted.headers().get("set-cookie").is_none(), "no session for a bad next={next}");
    }
    // A page of this site is where they go.
    let switched = http.get(format!("{}/lang/zh-CN?next=/orders%3Fshow%3Dall", svc.base)).send().await.unwrap();
    assert_eq!(switched.status(), StatusCode::SEE_OTHER);
    assert_eq!(switched.headers()["location"], "/orders?show=all");
    let posted = post_form(&http, &format!("{}/login", svc.base), &[("key", &reader), ("next", "/watches")]).await;
    assert_eq!(posted.status(), StatusCode::SEE_OTHER);
    assert_eq!(posted.headers()["location"], "/watches");
}

/// Logs in to the dashboard with `key`; the session cookie (`name=value`) it set.
async fn log_in(base: &str, key: &str) -> String {
    let answer = post_form(&no_redirects(), &format!("{base}/login"), &[("key", key), ("next", "/")]).await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER, "logged in");
    let set = answer.headers()["set-cookie"].to_str().unwrap().to_owned();
    set.split(';').next().unwrap().to_owned()
}

/// Posts a form as a browser would.
async fn post_form(http: &reqwest::Client, url: &str, pairs: &[(&str, &str)]) -> reqwest::Response {
    let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    http.post(url).header("content-type", "application/x-www-form-urlencoded").body(body).send().await.unwrap()
}

/// `text` with its `%XX` escapes decoded (what a form field carries after the browser's).
fn percent_decoded(text: &str) -> String {
    form_urlencoded::parse(format!("x={}", text.replace('+', "%2B")).as_bytes()).next().unwrap().1.into_owned()
}

/// Reads `response`'s body until it ends; how long that took, or `None` if it did not end
/// within `limit`.
async fn ends_within(mut response: reqwest::Response, limit: std::time::Duration) -> Option<std::time::Duration> {
    let started = std::time::Instant::now();
    tokio::time::timeout(limit, async { while let Ok(Some(_)) = response.chunk().await {} }).await.ok()?;
    Some(started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_key_loses_its_live_streams_here_and_from_another_process() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let (reader_id, reader) = key(dir.path(), &db, "viewer", "read");
    let (other_id, other) = key(dir.path(), &db, "wallboard", "read");
    let (_, admin) = key(dir.path(), &db, "admin", "admin");
    let svc = start(dir.path(), &db, &["--no-monitor"]);
    let url = |path: &str| format!("{}{path}", svc.base);
    let http = reqwest::Client::new();
    let open_stream = |key: String| {
        let http = http.clone();
        let url = url("/v1/alerts/stream");
        async move {
            let response = http.get(url).bearer_auth(key).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            response
        }
    };

    // Revoked over HTTP: its stream ends at once.
    let stream = open_stream(reader.clone()).await;
    let (status, _) = call(M::DELETE, &url(&format!("/v1/keys/{reader_id}")), Some(&admin), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let took = ends_within(stream, std::time::Duration::from_secs(5)).await.expect("the stream ended");
    assert!(took < std::time::Duration::from_secs(2), "ended in {took:?}");
    assert_eq!(call(M::GET, &url("/v1/alerts"), Some(&reader), None).await.0, StatusCode::UNAUTHORIZED);

    // Revoked by another process (the command line, on the same store): within a second or so.
    let stream = open_stream(other.clone()).await;
    let out =
        service::open1688(dir.path(), &db).args(["serve", "keys", "revoke", &other_id.to_string()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let took = ends_within(stream, std::time::Duration::from_secs(5)).await.expect("the stream ended");
    assert!(took < std::time::Duration::from_millis(1_500), "ended in {took:?}");
    assert_eq!(call(M::GET, &url("/v1/alerts"), Some(&other), None).await.0, StatusCode::UNAUTHORIZED);
}

/// Sends one MCP message over streamable HTTP with `key` (and `session`); the answer's status, its
/// session header and its body.
async fn mcp(
    base: &str,
    key: &str,
    session: Option<&str>,
    message: serde_json::Value,
) -> (StatusCode, Option<String>, String) {
    let mut request = reqwest::Client::new()
        .post(format!("{base}/mcp"))
        .bearer_auth(key)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .body(message.to_string());
    if let Some(session) = session {
        request = request.header("mcp-session-id", session);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let opened = response.headers().get("mcp-session-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
    (status, opened, response.text().await.unwrap_or_default())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mcp_requests_are_their_keys_alone_with_no_session_to_take_and_end_with_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let (agent_id, agent) = key(dir.path(), &db, "agent", "read");
    let (_, intruder) = key(dir.path(), &db, "intruder", "read");
    let (_, admin) = key(dir.path(), &db, "admin", "admin");
    let svc = start(dir.path(), &db, &["--no-monitor"]);
    let base = svc.base.clone();
    let init = serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}}});
    let (status, session, body) = mcp(&base, &agent, None, init).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("serverInfo"), "{body}");
    assert_eq!(session, None, "stateless: no session is opened, so none can be taken over or lost");
    let list = serde_json::json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"});
    let (status, _, body) = mcp(&base, &agent, None, list.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("search_offers"));

    // A request naming a session id (as an older client would) reaches only its own answer,
    // checked for its own key: the intruder's read key is refused what a read key may not do.
    let watch = serde_json::json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
        "params": {"name": "watch_offer", "arguments": {"offer": 630526089341_i64, "below": "9"}}});
    let (status, _, body) = mcp(&base, &intruder, Some("made-up-or-stolen"), watch).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("scope read") && !body.contains("\"watch_id\""), "{body}");

    // Revoking the key refuses its next request on every instance within a second.
    let (status, _) = call(M::DELETE, &format!("{base}/v1/keys/{agent_id}"), Some(&admin), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let revoked_at = std::time::Instant::now();
    loop {
        if mcp(&base, &agent, None, list.clone()).await.0 == StatusCode::UNAUTHORIZED {
            break;
        }
        assert!(revoked_at.elapsed() < std::time::Duration::from_secs(1), "still answered after a second");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_is_seen_only_by_the_key_that_submitted_it_and_admins() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let (_, owner) = key(dir.path(), &db, "erp", "write");
    let (_, other) = key(dir.path(), &db, "other-team", "write");
    let (_, reader) = key(dir.path(), &db, "viewer", "read");
    let (_, admin) = key(dir.path(), &db, "admin", "admin");
    let svc = start(dir.path(), &db, &["--no-monitor"]);
    let url = |path: &str| format!("{}{path}", svc.base);
    let body = serde_json::json!({"keyword": "保温杯", "need": 300, "candidates": 4});
    let (status, job) = call(M::POST, &url("/v1/jobs/source"), Some(&owner), Some(body)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    let id = job["id"].as_str().unwrap().to_owned();
    let at = |tail: &str| url(&format!("/v1/jobs/{id}{tail}"));
    // Wait for it to finish, as its owner.
    let mut view = job.clone();
    for _ in 0..300 {
        view = call(M::GET, &at(""), Some(&owner), None).await.1;
        if view["status"] != "running" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(view["status"], "succeeded", "{view}");
    let file = view["files"][0].as_str().unwrap().to_owned();

    for stranger in [&other, &reader] {
        for path in [at(""), at("/result"), at(&format!("/files/{file}"))] {
            let (status, problem) = call(M::GET, &path, Some(stranger), None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {problem}");
        }
    }
    assert_eq!(call(M::DELETE, &at(""), Some(&other), None).await.0, StatusCode::NOT_FOUND);
    for allowed in [&owner, &admin] {
        assert_eq!(call(M::GET, &at("/result"), Some(allowed), None).await.0, StatusCode::OK);
    }
    // The dashboard's list of jobs: the owner's shows it, another key's does not.
    let (owner_session, other_session) = (log_in(&svc.base, &owner).await, log_in(&svc.base, &other).await);
    let page = |cookie: String| {
        let (http, url) = (reqwest::Client::new(), url("/source"));
        async move { http.get(url).header("cookie", cookie).send().await.unwrap().text().await.unwrap() }
    };
    assert!(page(owner_session).await.contains(&id));
    assert!(!page(other_session.clone()).await.contains(&id));
    let (http, shown) = (no_redirects(), url(&format!("/source/{id}")));
    let other_view = http.get(&shown).header("cookie", other_session).send().await.unwrap();
    assert_eq!(other_view.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushes_are_small_few_and_off_for_the_public_sandbox_secret() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let message = r#"{"msgId":88001,"gmtBorn":1700000000000,"type":"PRODUCT_RELATION_VIEW_PRODUCT_NEW_OR_MODIFY","userInfo":"b2b-1","data":{"productIds":"630526089341","msgSendTime":"2023-11-15 06:13:20"}}"#;
    let signature = open1688::types::sign("", open1688_sandbox::DEMO_APP_SECRET.as_bytes(), [("message", message)]);
    let form = |m: &str, s: &str| {
        form_urlencoded::Serializer::new(String::new())
            .append_pair("message", m)
            .append_pair("_aop_signature", s)
            .finish()
    };
    let push = |base: String, body: String| async move {
        reqwest::Client::new()
            .post(format!("{base}/push/1688"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap()
            .status()
    };

    // The built-in sandbox's secret is public: its pushes are refused unless asked for.
    let mut svc = start(dir.path(), &db, &["--no-monitor"]);
    assert_eq!(push(svc.base.clone(), form(message, &signature)).await, StatusCode::SERVICE_UNAVAILABLE);
    svc.stop();
    let svc = start(dir.path(), &db, &["--no-monitor", "--sandbox-pushes"]);
    assert_eq!(push(svc.base.clone(), form(message, &signature)).await, StatusCode::NO_CONTENT);

    // A push larger than any real one is refused unread.
    let padded = form(&format!("{message}{}", " ".repeat(100 * 1024)), &signature);
    assert_eq!(push(svc.base.clone(), padded).await, StatusCode::PAYLOAD_TOO_LARGE);

    // A flood is held to the push rate: 800 as fast as eight connections send them, and some are
    // told to come back later.
    let http = reqwest::Client::new();
    let senders: Vec<_> = (0..8)
        .map(|_| {
            let (http, url, body) = (http.clone(), format!("{}/push/1688", svc.base), form("{}", "x"));
            tokio::spawn(async move {
                let mut limited = 0;
                for _ in 0..100 {
                    let sent = http
                        .post(&url)
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(body.clone())
                        .send();
                    if sent.await.unwrap().status() == StatusCode::TOO_MANY_REQUESTS {
                        limited += 1;
                    }
                }
                limited
            })
        })
        .collect();
    let mut limited = 0;
    for sender in senders {
        limited += sender.await.unwrap();
    }
    assert!(limited > 0, "none of 800 pushes in a burst was limited");
    let pool = sqlx::SqlitePool::connect(&db).await.unwrap();
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM push_messages").fetch_one(&pool).await.unwrap();
    assert_eq!(stored, 1, "only the one signed push");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_and_preface_only_connections_never_starve_the_service() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let svc = start(dir.path(), &db, &["--no-monitor"]);
    // The common limit of 1,024 open files, set on the running service.
    let limited = std::process::Command::new("prlimit")
        .args(["--pid", &svc.child.id().to_string(), "--nofile=1024:1024"])
        .status()
        .expect("prlimit (util-linux) runs");
    assert!(limited.success());
    let addr = svc.base.trim_start_matches("http://").to_owned();

    // 1,100 connections that never send a request: half nothing at all, half an HTTP/2 preface.
    let mut held = Vec::new();
    for n in 0..1_100 {
        let Ok(mut stream) = tokio::net::TcpStream::connect(&addr).await else { continue };
        if n % 2 == 1 {
            let _ = stream.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").await;
        }
        held.push(stream);
    }
    assert!(held.len() >= 1_000, "the connections were made: {}", held.len());

    // Health keeps answering, quickly, while they are held.
    let http = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let mut slowest = std::time::Duration::ZERO;
    for _ in 0..20 {
        let started = std::time::Instant::now();
        let answer =
            tokio::time::timeout(std::time::Duration::from_secs(5), http.get(format!("{}/healthz", svc.base)).send())
                .await
                .expect("/healthz answered within 5 s")
                .expect("/healthz answered");
        assert_eq!(answer.status(), StatusCode::OK);
        slowest = slowest.max(started.elapsed());
    }
    assert!(slowest < std::time::Duration::from_secs(1), "slowest /healthz {slowest:?}");

    // Within the header deadline (10 s) and a little, the held connections are closed by the server.
    tokio::time::sleep(std::time::Duration::from_secs(13)).await;
    let mut closed = 0;
    for stream in &mut held {
        // An HTTP/2 connection got the server's settings first; then the end.
        let mut sent = Vec::new();
        let read = tokio::time::timeout(std::time::Duration::from_millis(50), stream.read_to_end(&mut sent)).await;
        if matches!(read, Ok(Ok(_)) | Ok(Err(_))) {
            closed += 1;
        }
    }
    assert_eq!(closed, held.len(), "every idle connection was closed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboards_cookie_is_a_session_that_ends_on_log_out_and_with_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let (reader_id, reader) = key(dir.path(), &db, "viewer", "read");
    let (_, admin) = key(dir.path(), &db, "admin", "admin");
    let svc = start(dir.path(), &db, &["--no-monitor"]);
    let http = no_redirects();
    let page = |cookie: &str| {
        let request = http.get(format!("{}/orders", svc.base)).header("cookie", cookie.to_owned());
        async move { request.send().await.unwrap().status() }
    };

    // The cookie is a random session token: not the key, not even part of it.
    let answer = post_form(&http, &format!("{}/login", svc.base), &[("key", &reader), ("next", "/")]).await;
    let set = answer.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        set.starts_with("o1688_session=s_") && set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    assert!(!set.contains(&reader[reader.len() - 16..]), "the key is not in the cookie: {set}");
    assert!(!set.contains("Secure"), "plain HTTP: {set}");
    let session = set.split(';').next().unwrap().to_owned();
    assert_eq!(page(&session).await, StatusCode::OK);
    // The key itself as a cookie is nothing.
    assert_eq!(page(&format!("o1688_session={reader}")).await, StatusCode::SEE_OTHER);

    // Log-out ends the session in the store: a copy of the cookie stops working too.
    let copy = session.clone();
    let out = http.post(format!("{}/logout", svc.base)).header("cookie", &session).send().await.unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(page(&copy).await, StatusCode::SEE_OTHER, "to the log-in page");

    // Behind a proxy that says HTTPS, the cookie is Secure; revoking the key ends the session.
    let answer = http
        .post(format!("{}/login", svc.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-forwarded-proto", "https")
        .body(form_urlencoded::Serializer::new(String::new()).append_pair("key", &reader).finish())
        .send()
        .await
        .unwrap();
    let set = answer.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(set.contains("Secure"), "{set}");
    let session = set.split(';').next().unwrap().to_owned();
    assert_eq!(page(&session).await, StatusCode::OK);
    let (status, _) = call(M::DELETE, &format!("{}/v1/keys/{reader_id}", svc.base), Some(&admin), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(page(&session).await, StatusCode::SEE_OTHER, "a revoked key's session is over");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_request_cannot_ask_for_hundreds_of_gateway_calls() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let (_, reader) = key(dir.path(), &db, "viewer", "read");
    let svc = start(dir.path(), &db, &["--no-monitor"]);
    let url = |path: &str| format!("{}{path}", svc.base);
    let (status, p) = call(M::GET, &url("/v1/search?keyword=保温杯&pages=40"), Some(&reader), None).await;
    assert_eq!((status, p["field"].as_str()), (StatusCode::BAD_REQUEST, Some("pages")), "{p}");
    let (status, p) = call(M::GET, &url("/v1/search?keyword=保温杯&limit=2000"), Some(&reader), None).await;
    assert_eq!((status, p["field"].as_str()), (StatusCode::BAD_REQUEST, Some("limit")), "{p}");
    let body = serde_json::json!({"search": {"keyword": "保温杯", "limit": 2000, "pages": 40}, "recommend": {"quantity": 100}});
    let (status, p) = call(M::POST, &url("/v1/recommend"), Some(&reader), Some(body)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{p}");
    // Within the ceiling it answers, and the document states the ceiling.
    let (status, found) = call(M::GET, &url("/v1/search?keyword=保温杯&pages=2&limit=100"), Some(&reader), None).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    let (_, doc) = call(M::GET, &url("/v1/openapi.json"), Some(&reader), None).await;
    let params = doc["paths"]["/v1/search"]["get"]["parameters"].as_array().unwrap();
    let pages = params.iter().find(|p| p["name"] == "pages").unwrap();
    assert_eq!(pages["schema"]["maximum"], 5, "{pages}");
}

/// One search by `key` for `keyword` (uncached: each keyword is new): its status, its
/// `Retry-After`, and how long it took.
async fn timed_search(base: &str, key: &str, keyword: &str) -> (StatusCode, Option<u64>, std::time::Duration) {
    let started = std::time::Instant::now();
    let url = reqwest::Url::parse_with_params(&format!("{base}/v1/search"), &[("keyword", keyword)]).unwrap();
    let answer = reqwest::Client::new().get(url).bearer_auth(key).send().await.unwrap();
    let retry_after = answer.headers().get("retry-after").and_then(|v| v.to_str().ok()?.parse().ok());
    let status = answer.status();
    let _ = answer.bytes().await;
    (status, retry_after, started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_over_its_share_of_gateway_calls_is_slowed_while_another_stays_fast() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let (_, heavy) = key(dir.path(), &db, "import-script", "read");
    let (_, light) = key(dir.path(), &db, "buyer", "read");
    // Two gateway calls a second per key, four back to back; a request waits at most 5 s for one.
    let svc = start(dir.path(), &db, &["--no-monitor", "--key-calls", "2", "--key-call-burst", "4"]);
    let base = svc.base.clone();
    // The heavy key asks for 20 uncached searches at once: 4 go at once, the next 10 wait their
    // turn (up to 5 s), and the rest would wait longer, so they are refused with Retry-After.
    let flood: Vec<_> = (0..20)
        .map(|i| {
            let (base, heavy) = (base.clone(), heavy.clone());
            tokio::spawn(async move { timed_search(&base, &heavy, &format!("保温杯 批次{i}")).await })
        })
        .collect();
    // Meanwhile the other key's searches answer at their usual speed.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    for i in 0..4 {
        let (status, _, took) = timed_search(&base, &light, &format!("收纳盒 {i}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(took < std::time::Duration::from_millis(1_500), "the other key waited {took:?}");
    }
    let mut answers = Vec::new();
    for f in flood {
        answers.push(f.await.unwrap());
    }
    let served: Vec<_> = answers.iter().filter(|a| a.0 == StatusCode::OK).collect();
    let refused: Vec<_> = answers.iter().filter(|a| a.0 == StatusCode::TOO_MANY_REQUESTS).collect();
    assert_eq!(served.len() + refused.len(), 20, "{answers:?}");
    assert!((12..=16).contains(&served.len()), "the burst and the waits within 5 s are served: {answers:?}");
    assert!(
        served.iter().any(|a| a.2 >= std::time::Duration::from_secs(3)),
        "the heavy key's later calls waited their turn: {answers:?}"
    );
    assert!(refused.iter().all(|a| a.1.is_some_and(|s| (1..=10).contains(&s))), "{answers:?}");
    // Its share refills: after the wait it asked for, the heavy key is served again.
    let wait = refused.iter().filter_map(|a| a.1).max().unwrap_or(1);
    tokio::time::sleep(std::time::Duration::from_secs(wait + 2)).await;
    let (status, _, _) = timed_search(&base, &heavy, "保温杯 再来").await;
    assert_eq!(status, StatusCode::OK);
}
