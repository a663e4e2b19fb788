//! The server in process, over an in-memory pipe, with the official client: what `tools/list`
//! answers is the tool table, arguments are checked before any job runs, and an unknown tool is a
//! protocol error while a failing job is a tool error.

use std::sync::Arc;

use open1688_jobs::Jobs;
use open1688_mcp::SourcingServer;
use rmcp::ServiceExt as _;
use rmcp::model::CallToolRequestParams;
use serde_json::json;

async fn session() -> (rmcp::service::RunningService<rmcp::RoleClient, ()>, open1688_sandbox::Sandbox, tempfile::TempDir)
{
    let sandbox = open1688_sandbox::Sandbox::builder().start().await.unwrap();
    let client = open1688::Client::builder()
        .endpoint(sandbox.base_url())
        .app_key(sandbox.app_key())
        .app_secret(sandbox.app_secret())
        .access_token(sandbox.access_token())
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store =
        open1688_store::SqlStore::open(&format!("sqlite://{}", dir.path().join("s.db").display())).await.unwrap();
    let server = SourcingServer::builder(Arc::new(Jobs::new(client)), Arc::new(store))
        .outputs_dir(dir.path().join("out"))
        .sandbox(true)
        .build();
    let (server_io, client_io) = tokio::io::duplex(1 << 20);
    tokio::spawn(async move {
        if let Ok(running) = server.serve(server_io).await {
            let _ = running.waiting().await;
        }
    });
    let client = ().serve(client_io).await.unwrap();
    (client, sandbox, dir)
}

#[tokio::test]
async fn the_listed_tools_are_the_table_and_failures_reach_the_model() {
    let (client, sandbox, _dir) = session().await;
    let tools = client.list_all_tools().await.unwrap();
    assert_eq!(tools, open1688_mcp::tools::listed().to_vec());

    let before = sandbox.stats().total.calls;
    let args = json!({"offer_ids": [630526089341_i64], "language": "fr"}).as_object().cloned().unwrap();
    let result = client.call_tool(CallToolRequestParams::new("get_offer").with_arguments(args)).await.unwrap();
    assert_eq!(result.is_error, Some(true));
    assert_eq!(sandbox.stats().total.calls, before, "a refused argument costs no gateway call");

    let args = json!({"offer_ids": [1]}).as_object().cloned().unwrap();
    let result = client.call_tool(CallToolRequestParams::new("get_offer").with_arguments(args)).await.unwrap();
    assert_eq!(result.is_error, Some(true), "an unknown offer is the tool's failure, not the protocol's");
    let meta = result.meta.expect("the failure's kind is machine-readable");
    assert_eq!(meta.0["open1688/error"]["kind"], "not_found");

    let unknown = client.call_tool(CallToolRequestParams::new("pay_order")).await;
    assert!(unknown.is_err(), "an unknown tool is a protocol error");
    client.cancel().await.unwrap();
}
