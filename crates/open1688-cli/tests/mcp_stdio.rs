//! End to end over stdio: the real `open1688 mcp` binary, started by an independent client (the
//! official Rust SDK's), against the built-in sandbox. Every tool is called with valid and invalid
//! arguments; the sourcing job reports progress, writes resources and can be cancelled; watches
//! gather history through the real monitor, and its chart is read back as a resource.

mod mcp;
mod service;

use std::process::Stdio;
use std::time::Duration;

use base64::Engine as _;
use mcp::{Recorder, call, error, ok};
use rmcp::ServiceExt as _;
use rmcp::model::{
    CallToolRequestParams, ClientRequest, GetPromptRequestParams, ReadResourceRequestParams, ResourceContents,
};
use rmcp::service::PeerRequestOptions;
use rmcp::transport::TokioChildProcess;
use serde_json::{Value, json};
use service::{OFFER, TINY_PNG, find, open1688};

/// The declared input schema's own consistency: an object whose required fields exist and whose
/// every reference resolves inside it.
fn check_input_schema(name: &str, schema: &serde_json::Map<String, Value>) {
    assert_eq!(schema["type"], "object", "{name}");
    let properties = schema.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
    for required in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
        assert!(properties.contains_key(required.as_str().unwrap()), "{name}: required {required} is not a property");
    }
    let text = Value::Object(schema.clone()).to_string();
    for reference in text.split("\"$ref\":\"").skip(1) {
        let target = reference.split('"').next().unwrap();
        let name_in_defs = target.strip_prefix("#/$defs/").unwrap_or_else(|| panic!("{name}: reference {target}"));
        assert!(schema["$defs"].get(name_in_defs).is_some(), "{name}: {target} does not resolve");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_tool_resource_and_prompt_answers_over_stdio() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let outputs = dir.path().join("mcp");
    let mut command = tokio::process::Command::from(open1688(dir.path(), &db));
    command.args(["mcp", "--outputs-dir", outputs.to_str().unwrap()]);
    let (transport, _) = TokioChildProcess::builder(command).stderr(Stdio::null()).spawn().unwrap();
    let recorder = Recorder::default();
    let client = recorder.clone().serve(transport).await.expect("the server initializes");

    let info = client.peer_info().expect("the server introduced itself");
    assert_eq!(info.server_info.as_ref().map(|i| i.name.as_str()), Some("open1688"));
    assert!(info.instructions.as_deref().unwrap_or_default().contains("SANDBOX"), "says it runs on the sandbox");

    // Tools: twenty, each with an object input schema that holds together and a cost.
    let tools = client.list_all_tools().await.unwrap();
    assert_eq!(tools.len(), 21);
    for tool in &tools {
        check_input_schema(&tool.name, &tool.input_schema);
        assert!(tool.output_schema.is_some(), "{} has an output schema", tool.name);
        assert!(tool.description.as_deref().unwrap_or_default().contains("Cost:"), "{}", tool.name);
    }

    // Lookups.
    let found = ok("search_offers", &call(&client, "search_offers", json!({"keyword": "保温杯", "limit": 3})).await);
    assert_eq!(found["offers"].as_array().unwrap().len(), 3, "{found}");
    let e = error("search_offers", &call(&client, "search_offers", json!({"keyword": "杯", "sort": "cheapest"})).await);
    assert!(e.contains("sort"), "{e}");
    let picture = dir.path().join("cup.png");
    std::fs::write(&picture, TINY_PNG).unwrap();
    let like = ok("search_by_image", &call(&client, "search_by_image", json!({"picture": picture, "limit": 4})).await);
    assert!(!like["offers"].as_array().unwrap().is_empty(), "{like}");
    let e = error("search_by_image", &call(&client, "search_by_image", json!({"picture": "/no/such.png"})).await);
    assert!(e.contains("no picture at /no/such.png"), "{e}");
    let offer: i64 = OFFER.parse().unwrap();
    let detail = ok("get_offer", &call(&client, "get_offer", json!({"offer_ids": [offer]})).await);
    assert_eq!(detail["offers"][0]["offer"]["id"], offer);
    let e = error("get_offer", &call(&client, "get_offer", json!({"offer_ids": [1]})).await);
    assert!(e.contains("offer 1"), "{e}");
    let open_id = find(&detail, "open_id").expect("the offer names its seller");
    let seller = ok("supplier_report", &call(&client, "supplier_report", json!({"seller": open_id})).await);
    assert!(seller["score"]["band"].is_string(), "{seller}");
    let e = error("supplier_report", &call(&client, "supplier_report", json!({"seller": " "})).await);
    assert!(e.contains("empty"), "{e}");
    let market =
        ok("analyze_market", &call(&client, "analyze_market", json!({"keyword": "保温杯", "quantity": 100})).await);
    assert_eq!(market["quantity"], 100);
    let e = error("analyze_market", &call(&client, "analyze_market", json!({"keyword": "保温杯", "limit": 500})).await);
    assert!(e.contains("limit must be 1 to 100"), "{e}");

    // The stored catalog: searched without a gateway call (empty here: nothing was crawled).
    let catalog = ok("search_catalog", &call(&client, "search_catalog", json!({"text": "保温杯", "at": 100})).await);
    assert_eq!((catalog["total"].as_u64(), catalog["engine"].as_str()), (Some(0), Some("embedded")), "{catalog}");
    let e = error("search_catalog", &call(&client, "search_catalog", json!({"text": "杯", "at": 0})).await);
    assert!(e.contains("at must be at least 1"), "{e}");
    let e = error("search_catalog", &call(&client, "search_catalog", json!({"words": "杯"})).await);
    assert!(e.contains("unknown field `words`"), "{e}");

    // Orders: previewed (the built-in sandbox's orders last as long as the server); placing is
    // off unless the server was started to allow it.
    let ship_to =
        json!({"name": "义乌仓", "mobile": "13800000000", "province": "浙江省", "city": "金华市", "street": "1 号"});
    let plan = json!({"lines": [{"offer_id": offer, "sku_id": null, "quantity": 300}]});
    let e = error("preview_order", &call(&client, "preview_order", json!({"plan": plan})).await);
    assert!(e.contains("ship_to"), "no address configured: {e}");
    let e = error(
        "place_order",
        &call(&client, "place_order", json!({"plan": plan, "ship_to": ship_to, "confirm": true})).await,
    );
    assert!(e.contains("placing orders is off"), "{e}");
    let listed = ok("list_orders", &call(&client, "list_orders", json!({"open": true})).await);
    assert_eq!(listed["orders"], json!([]));
    let e = error("track_order", &call(&client, "track_order", json!({"order_id": 42})).await);
    assert!(e.contains("order 42"), "{e}");
    let book = ok("order_addresses", &call(&client, "order_addresses", json!({})).await);
    let addresses = book["addresses"].as_array().unwrap();
    assert_eq!(addresses.len(), 2, "{book}");
    assert!(addresses.iter().all(|a| a["address_id"].is_i64() && a["town"].is_string()), "{book}");

    // Decisions.
    let quote = ok("quote", &call(&client, "quote", json!({"offer_id": offer, "need": 300})).await);
    assert!(quote["advice"]["options"].as_array().is_some_and(|o| !o.is_empty()), "{quote}");
    let e = error("quote", &call(&client, "quote", json!({"offer_id": offer, "need": 0})).await);
    assert!(e.contains("at least 1"), "{e}");
    // A tool speaks the language it is asked to (its report is the same in both).
    let asked = json!({"offer_id": offer, "need": 0, "language": "zh"});
    assert_eq!(error("quote", &call(&client, "quote", asked).await), "need 不能小于 1（收到 0）");
    let e = error("get_offer", &call(&client, "get_offer", json!({"offer_ids": [1], "language": "zh"})).await);
    assert!(e.contains("1688 上找不到") && !e.contains("com.alibaba"), "{e}");
    let chinese = ok("quote", &call(&client, "quote", json!({"offer_id": offer, "need": 300, "language": "zh"})).await);
    assert_eq!(chinese["advice"], quote["advice"], "the report does not change with the language");
    let e = error("quote", &call(&client, "quote", json!({"offer_id": offer, "need": 300, "language": "fr"})).await);
    assert_eq!(e, "language must be one of zh, en, got \"fr\"");
    let ranked = ok(
        "compare",
        &call(&client, "compare", json!({"target": {"keyword": "保温杯"}, "need": 100, "candidates": 5})).await,
    );
    assert!(ranked["comparison"].is_object(), "{ranked}");
    let e = error("compare", &call(&client, "compare", json!({"target": {"title": "x"}, "need": 100})).await);
    assert!(e.contains("compare"), "{e}");
    let same = ok(
        "find_same_item",
        &call(&client, "find_same_item", json!({"offer_id": offer, "need": 50, "candidates": 5})).await,
    );
    assert!(same["comparison"].is_object(), "{same}");
    let e = error("find_same_item", &call(&client, "find_same_item", json!({"need": 50})).await);
    assert!(e.contains("offer_id"), "{e}");
    let plan = ok(
        "plan_purchase",
        &call(&client, "plan_purchase", json!({"lines": [{"offer_id": offer, "quantity": 300}]})).await,
    );
    assert!(plan.to_string().contains(OFFER), "{plan}");
    let e = error(
        "plan_purchase",
        &call(&client, "plan_purchase", json!({"lines": [{"offer_id": 0, "quantity": 3}]})).await,
    );
    assert!(e.contains("offer"), "{e}");

    // The sourcing job: progress, then its files as resource links and resources.
    let sourced = call(&client, "source", json!({"keyword": "保温杯", "need": 300, "candidates": 8})).await;
    let report = ok("source", &sourced);
    assert_eq!(report["keyword"], "保温杯");
    let links: Vec<String> =
        sourced.content.iter().filter_map(|c| c.as_resource_link().map(|r| r.uri.clone())).collect();
    assert!(links.contains(&"open1688://source/last/sourcing.xlsx".to_owned()), "{links:?}");
    let progress = recorder.progress.lock().unwrap().clone();
    assert!(progress.iter().any(|p| p.message.as_deref().is_some_and(|m| m.starts_with("2/4"))), "{progress:?}");
    // The client handles notifications concurrently, so their order here is not the sending
    // order; the figure's monotony is the counter's unit test. Here: out of 4 stages, all reached.
    let job: Vec<_> = progress.iter().filter(|p| p.total == Some(4.0)).collect();
    assert!(job.iter().all(|p| (0.0..=4.0).contains(&p.progress)), "{job:?}");
    assert!(job.iter().any(|p| p.progress == 3.0 && p.message.as_deref() == Some("4/4: writing the workbook")));
    let e = error("source", &call(&client, "source", json!({"keyword": "", "need": 300})).await);
    assert!(e.contains("keyword"), "{e}");

    // Cancelling a second sourcing job: it stops, and the first job's files stay.
    let request = ClientRequest::CallToolRequest(rmcp::model::Request::new(
        CallToolRequestParams::new("source")
            .with_arguments(json!({"keyword": "保温杯", "need": 200, "candidates": 50}).as_object().cloned().unwrap()),
    ));
    let before = recorder.progress.lock().unwrap().len();
    let handle = client.send_cancellable_request(request, PeerRequestOptions::no_options()).await.unwrap();
    let started = std::time::Instant::now();
    while recorder.progress.lock().unwrap().len() == before && started.elapsed() < Duration::from_secs(30) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    handle.cancel(Some("the buyer changed their mind".into())).await.unwrap();
    // Long enough for the whole job to have finished had it not stopped.
    tokio::time::sleep(Duration::from_secs(12)).await;
    let kept =
        client.read_resource(ReadResourceRequestParams::new("open1688://source/last/report.json")).await.unwrap();
    let ResourceContents::TextResourceContents { text, .. } = &kept.contents[0] else { panic!("report.json is text") };
    let kept: Value = serde_json::from_str(text).unwrap();
    assert_eq!(kept["need"], 300, "the cancelled job (need 200) wrote nothing");

    // Watches, the real monitor, history and alerts.
    let added =
        ok("watch_offer", &call(&client, "watch_offer", json!({"offer": offer, "below": "9", "at": 100})).await);
    let watch_id = added["id"].as_i64().expect("the watch's id");
    let e = error("watch_offer", &call(&client, "watch_offer", json!({"keyword": "杯", "stock_below": 5})).await);
    assert!(e.contains("stock_below needs an offer watch"), "{e}");
    let e = error("price_history", &call(&client, "price_history", json!({"offer_id": offer})).await);
    assert!(e.contains("watch"), "no history before the monitor ran: {e}");
    let out = open1688(dir.path(), &db).args(["monitor", "--once", "--worker", "mcp-e2e", "-q"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let listed = ok("list_watches", &call(&client, "list_watches", json!({})).await);
    assert_eq!(listed["watches"][0]["id"], watch_id);
    let e = error("list_watches", &call(&client, "list_watches", json!({"all": true})).await);
    assert!(e.contains("unknown field `all`"), "{e}");
    let history = ok("price_history", &call(&client, "price_history", json!({"offer_id": offer, "days": 7})).await);
    assert!(!history["points"].as_array().unwrap().is_empty(), "{history}");
    let e = error("price_history", &call(&client, "price_history", json!({"offer_id": "x"})).await);
    assert!(e.contains("offer_id"), "{e}");
    let alerts = ok("list_alerts", &call(&client, "list_alerts", json!({"watch_id": watch_id})).await);
    assert_eq!(alerts["alerts"][0]["watch_id"], watch_id, "{alerts}");
    let e = error("list_alerts", &call(&client, "list_alerts", json!({"hours": 0})).await);
    assert!(e.contains("hours must be at least 1"), "{e}");

    // An unknown tool is a protocol error, not a crash; the session goes on.
    assert!(client.call_tool(CallToolRequestParams::new("pay_order")).await.is_err());

    // Resources: the scorecard, the job's workbook, the watched offer's chart.
    let resources = client.list_all_resources().await.unwrap();
    let uris: Vec<&str> = resources.iter().map(|r| r.uri.as_str()).collect();
    let chart_uri = format!("open1688://offers/{OFFER}/history.png");
    for uri in ["open1688://scorecard", "open1688://source/last/sourcing.xlsx", chart_uri.as_str()] {
        assert!(uris.contains(&uri), "{uri} in {uris:?}");
    }
    let blob = |contents: &ResourceContents| match contents {
        ResourceContents::BlobResourceContents { blob, .. } => {
            base64::engine::general_purpose::STANDARD.decode(blob).unwrap()
        }
        other => panic!("expected a blob, got {other:?}"),
    };
    let workbook =
        client.read_resource(ReadResourceRequestParams::new("open1688://source/last/sourcing.xlsx")).await.unwrap();
    assert!(blob(&workbook.contents[0]).starts_with(b"PK"), "an xlsx is a zip");
    let chart = client.read_resource(ReadResourceRequestParams::new(format!("{chart_uri}?days=90"))).await.unwrap();
    assert!(blob(&chart.contents[0]).starts_with(b"\x89PNG"));
    let card = client.read_resource(ReadResourceRequestParams::new("open1688://scorecard")).await.unwrap();
    let ResourceContents::TextResourceContents { text, .. } = &card.contents[0] else {
        panic!("the scorecard is text")
    };
    assert!(serde_json::from_str::<Value>(text).is_ok());
    assert!(client.read_resource(ReadResourceRequestParams::new("open1688://offers/1/history.png")).await.is_err());
    assert!(
        client.read_resource(ReadResourceRequestParams::new("open1688://source/last/../../store.db")).await.is_err()
    );
    let templates = client.list_all_resource_templates().await.unwrap();
    assert_eq!(templates[0].uri_template, "open1688://offers/{offer_id}/history.png");

    // Prompts.
    let prompts = client.list_all_prompts().await.unwrap();
    assert_eq!(prompts.len(), 2);
    let args = json!({"product": "保温杯", "quantity": "300"}).as_object().cloned().unwrap();
    let prompt = client.get_prompt(GetPromptRequestParams::new("source_product").with_arguments(args)).await.unwrap();
    assert!(format!("{:?}", prompt.messages[0]).contains("保温杯"));
    assert!(client.get_prompt(GetPromptRequestParams::new("source_product")).await.is_err());

    client.cancel().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_spent_quota_is_a_tool_error_that_says_when_to_retry() {
    // A gateway whose app may make four calls a day.
    let sandbox = open1688_sandbox::Sandbox::builder()
        .catalog_size(200, 30)
        .demo_limits(50.0, 50, 50.0, Some(4))
        .start()
        .await
        .unwrap();
    let offers: Vec<i64> = sandbox.catalog().offers.iter().take(8).map(|o| o.id).collect();
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let mut command = tokio::process::Command::from(open1688(dir.path(), &db));
    command
        .args(["mcp", "--outputs-dir", dir.path().join("mcp").to_str().unwrap()])
        .env("OPEN1688_ENDPOINT", sandbox.base_url())
        .env("OPEN1688_APP_KEY", sandbox.app_key())
        .env("OPEN1688_APP_SECRET", sandbox.app_secret())
        .env("OPEN1688_ACCESS_TOKEN", sandbox.access_token());
    let (transport, _) = TokioChildProcess::builder(command).stderr(Stdio::null()).spawn().unwrap();
    let client = ().serve(transport).await.expect("the server initializes");
    let info = client.peer_info().and_then(|i| i.instructions.clone()).unwrap_or_default();
    assert!(!info.contains("SANDBOX") && info.contains("real 1688"), "with an app key it says so: {info}");
    ok("get_offer", &call(&client, "get_offer", json!({"offer_ids": [offers[0]]})).await);
    let mut spent = None;
    for offer in &offers[1..] {
        let result = call(&client, "get_offer", json!({"offer_ids": [offer]})).await;
        if result.is_error == Some(true) {
            spent = Some(result);
            break;
        }
    }
    let spent = spent.expect("the quota runs out within eight offers");
    let message = error("get_offer", &spent);
    assert!(message.contains("quota is spent; retry in 60 min"), "{message}");
    let meta = spent.meta.expect("the failure's figures");
    assert_eq!(meta.0["open1688/error"]["kind"], "quota_exhausted");
    assert_eq!(meta.0["open1688/error"]["retry_after_seconds"], 3600);
    client.cancel().await.unwrap();
}
