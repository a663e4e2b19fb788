//! End to end over streamable HTTP: `/mcp` inside the real `open1688 serve`, reached by the
//! official Rust SDK's client, with and without an API key. The key is the caller: each tool
//! needs the scope its API route needs (a read key cannot add a watch, run a sourcing job or
//! record an order's timeline), and each key sees only its own sourcing job's files.

mod mcp;
mod service;

use mcp::{Recorder, call, error, ok};
use rmcp::ServiceExt as _;
use rmcp::model::{CallToolRequestParams, ReadResourceRequestParams};
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use serde_json::json;
use service::{OFFER, key, start};

fn transport(base: &str, key: Option<&str>) -> StreamableHttpClientTransport<reqwest::Client> {
    let mut config = StreamableHttpClientTransportConfig::with_uri(format!("{base}/mcp"));
    if let Some(key) = key {
        config = config.auth_header(key);
    }
    StreamableHttpClientTransport::from_config(config)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_service_answers_mcp_clients_by_their_keys() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let (_, reader) = key(dir.path(), &db, "agent", "read");
    let (_, writer) = key(dir.path(), &db, "ops-agent", "write");
    let mcp_dir = dir.path().join("mcp");
    let mut service = start(dir.path(), &db, &["--no-monitor", "--mcp-dir", mcp_dir.to_str().unwrap()]);
    let base = service.base.clone();

    // Without a key, or with a wrong one, the session never starts.
    assert!(().serve(transport(&base, None)).await.is_err(), "no key, no session");
    assert!(().serve(transport(&base, Some("o1688_1_wrong"))).await.is_err(), "an unknown key, no session");

    // A read key: every read tool, no watch.
    let recorder = Recorder::default();
    let agent = recorder.clone().serve(transport(&base, Some(&reader))).await.expect("a read key starts a session");
    assert!(agent.peer_info().and_then(|i| i.instructions.clone()).unwrap_or_default().contains("SANDBOX"));
    assert_eq!(agent.list_all_tools().await.unwrap().len(), 21);
    let offer: i64 = OFFER.parse().unwrap();
    let detail = ok("get_offer", &call(&agent, "get_offer", json!({"offer_ids": [offer]})).await);
    assert_eq!(detail["offers"][0]["offer"]["id"], offer);
    let refused = error("watch_offer", &call(&agent, "watch_offer", json!({"offer": offer, "below": "9"})).await);
    assert!(refused.contains("scope read") && refused.contains("write"), "{refused}");
    let e = error("search_by_image", &call(&agent, "search_by_image", json!({"picture": "/etc/passwd"})).await);
    assert!(e.contains("https:// URL"), "no file on the service's machine is read: {e}");
    let e = error(
        "supplier_report",
        &call(&agent, "supplier_report", json!({"seller": "x", "scorecard": "/etc/x.toml"})).await,
    );
    assert!(e.contains("legacy_credit") && !e.contains("x.toml"), "{e}");

    // Every tool needs what the API route doing its work needs: with a read key, each tool that
    // is not read-only (the scope table says write for its route) is refused for its scope, and
    // no read-only one is.
    for tool in agent.list_all_tools().await.unwrap() {
        let read_only = tool.annotations.as_ref().and_then(|a| a.read_only_hint).unwrap_or(false);
        let asked = CallToolRequestParams::new(tool.name.clone()).with_arguments(serde_json::Map::new());
        let answer = agent.call_tool(asked).await.unwrap();
        let refused_for_scope = answer.is_error == Some(true)
            && serde_json::to_string(&answer.content).unwrap().contains("needs a key with scope write");
        assert_eq!(refused_for_scope, !read_only, "{}: {answer:?}", tool.name);
    }
    let e = error("source", &call(&agent, "source", json!({"keyword": "保温杯", "need": 300})).await);
    assert!(e.contains("scope read") && e.contains("write"), "a sourcing job needs write, as /v1/jobs/source: {e}");
    let e = error("track_order", &call(&agent, "track_order", json!({"order_id": 42})).await);
    assert!(e.contains("needs a key with scope write"), "recording an order's timeline needs write: {e}");

    // A write key: the sourcing job over HTTP, progress notifications on the request's stream,
    // files as resources; and watches.
    let ops_recorder = Recorder::default();
    let ops = ops_recorder.clone().serve(transport(&base, Some(&writer))).await.expect("a write key starts a session");
    let sourced = ok("source", &call(&ops, "source", json!({"keyword": "保温杯", "need": 300, "candidates": 6})).await);
    assert_eq!(sourced["need"], 300);
    assert!(ops_recorder.progress.lock().unwrap().iter().any(|p| p.total == Some(4.0)), "progress reached the client");
    let workbook = ReadResourceRequestParams::new("open1688://source/last/sourcing.xlsx");
    assert!(ops.read_resource(workbook.clone()).await.is_ok());
    let added = ok("watch_offer", &call(&ops, "watch_offer", json!({"offer": offer, "below": "9", "at": 100})).await);
    assert!(added["id"].as_i64().is_some_and(|id| id > 0), "{added}");
    let listed = ok("list_watches", &call(&agent, "list_watches", json!({})).await);
    assert_eq!(listed["watches"].as_array().unwrap().len(), 1, "the read key sees the watch: {listed}");
    // The read key does not see the write key's job.
    assert!(agent.read_resource(workbook).await.is_err(), "one key never reads another's job files");
    let uris: Vec<String> = agent.list_all_resources().await.unwrap().into_iter().map(|r| r.uri).collect();
    assert!(!uris.iter().any(|u| u.starts_with("open1688://source/last/")), "{uris:?}");

    // A message over the limit is refused before it is read.
    let huge = format!(
        "{{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\",\"params\":{{\"pad\":\"{}\"}}}}",
        "x".repeat(2 << 20)
    );
    let refused = reqwest::Client::new()
        .post(format!("{base}/mcp"))
        .bearer_auth(&reader)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), reqwest::StatusCode::PAYLOAD_TOO_LARGE);

    // The calls are counted for operators.
    let (status, metrics) = service::call(reqwest::Method::GET, &format!("{base}/metrics"), Some(&reader), None).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    let metrics = metrics.as_str().unwrap_or_default().to_owned();
    assert!(metrics.contains(r#"open1688_mcp_tool_calls_total{tool="get_offer",outcome="ok"} 1"#), "{metrics}");
    assert!(metrics.contains(r#"route="/mcp""#), "{metrics}");

    // Open sessions do not hold the service up when it is stopped.
    let stopping = std::time::Instant::now();
    let status = tokio::task::spawn_blocking(move || service.stop()).await.unwrap();
    assert!(status.success(), "{status:?}");
    assert!(stopping.elapsed() < std::time::Duration::from_secs(8), "stopped in {:?}", stopping.elapsed());
    drop((agent, ops));
}

#[tokio::test(flavor = "multi_thread")]
async fn no_mcp_leaves_the_route_unserved() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let (_, reader) = key(dir.path(), &db, "agent", "read");
    let service = start(dir.path(), &db, &["--no-monitor", "--no-mcp"]);
    let url = format!("{}/mcp", service.base);
    let (status, _) = service::call(reqwest::Method::POST, &url, Some(&reader), Some(json!({}))).await;
    assert_eq!(status, reqwest::StatusCode::NOT_FOUND);
}
