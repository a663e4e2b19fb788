//! One decision on every surface: the same sourcing request through the CLI (`--format json`),
//! the service's API (a background job) and an MCP client of the service gives the same pick, the
//! same quantities, the same money and the same supplier score and band, field by field — over
//! several keywords, needs and strategies. All three read one sandbox and one store, so they
//! share suppliers' profiles as two instances of a deployment would.

mod mcp;
mod service;

use reqwest::Method as M;
use rmcp::ServiceExt as _;
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use service::{call, gateway_env, key, open1688, start_with_env};

/// The requests compared: keyword, need, strategy.
const CASES: [(&str, i64, &str); 4] =
    [("保温杯", 300, "balanced"), ("保温杯", 1000, "cheapest"), ("手机壳", 50, "safest"), ("数据线", 200, "balanced")];

/// The decision's figures as one surface gave them: money rounded to cents and scores to one
/// decimal, as the CLI's table shows them.
#[derive(Debug, PartialEq)]
struct Figures {
    offer_id: i64,
    sku_id: Option<i64>,
    quantity_needed: i64,
    quantity_bought: i64,
    money: Vec<(&'static str, Decimal)>,
    score: Decimal,
    band: String,
}

const MONEY: [&str; 6] =
    ["unit_price", "goods_total", "freight", "landed_total", "landed_per_unit_bought", "landed_per_unit_needed"];

fn decimal(v: &Value) -> Decimal {
    match v {
        Value::String(s) => s.parse().unwrap_or_else(|e| panic!("{s:?} is not a decimal: {e}")),
        Value::Number(n) => n.to_string().parse().unwrap(),
        other => panic!("not a decimal: {other}"),
    }
}

/// From the CLI's summary row.
fn from_summary(row: &Value) -> Figures {
    Figures {
        offer_id: row["offer_id"].as_str().map_or_else(|| row["offer_id"].as_i64().unwrap(), |s| s.parse().unwrap()),
        sku_id: row["sku_id"].as_str().map(|s| s.parse().unwrap()).or_else(|| row["sku_id"].as_i64()),
        quantity_needed: row["quantity_needed"].as_i64().unwrap(),
        quantity_bought: row["quantity_bought"].as_i64().unwrap(),
        money: MONEY.iter().map(|m| (*m, decimal(&row[*m]).round_dp(2))).collect(),
        score: decimal(&row["score"]).round_dp(1),
        band: row["band"].as_str().unwrap().to_owned(),
    }
}

/// From a sourcing report (the API's job result, the MCP tool's answer).
fn from_report(report: &Value) -> Figures {
    let d = &report["decision"];
    let cost = &d["cost"];
    let pick = report["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["offer"]["id"] == d["offer_id"])
        .expect("the pick is a candidate");
    Figures {
        offer_id: d["offer_id"].as_i64().unwrap(),
        sku_id: d["sku_id"].as_i64(),
        quantity_needed: cost["quantity_needed"].as_i64().unwrap(),
        quantity_bought: cost["quantity_bought"].as_i64().unwrap(),
        money: MONEY.iter().map(|m| (*m, decimal(&cost[*m]).round_dp(2))).collect(),
        score: decimal(&pick["score"]["score"]).round_dp(1),
        band: pick["score"]["band"].as_str().unwrap().to_owned(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_cli_the_api_and_mcp_give_the_same_decision() {
    let sandbox = open1688_sandbox::Sandbox::builder().quotas_off().start().await.unwrap();
    let env = gateway_env(&sandbox);
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let (_, writer) = key(dir.path(), &db, "parity", "write");
    let service = start_with_env(dir.path(), &db, &["--no-monitor"], &env);
    let url = |path: &str| format!("{}{path}", service.base);
    let mut config = StreamableHttpClientTransportConfig::with_uri(format!("{}/mcp", service.base));
    config = config.auth_header(writer.clone());
    let agent = ().serve(StreamableHttpClientTransport::from_config(config)).await.expect("an MCP session");

    for (keyword, need, strategy) in CASES {
        let case = format!("{keyword} × {need} ({strategy})");
        let out = open1688(dir.path(), &db)
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .args(["source", keyword, "--need", &need.to_string(), "--strategy", strategy])
            .args(["--out", dir.path().join("out").to_str().unwrap(), "--format", "json", "-q"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{case}: {}", String::from_utf8_lossy(&out.stderr));
        let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
        let summary = printed.get("summary").map_or(&printed[0], |s| &s[0]);
        let cli = from_summary(summary);

        let request = json!({"keyword": keyword, "need": need, "strategy": strategy});
        let (status, job) = call(M::POST, &url("/v1/jobs/source"), Some(&writer), Some(request.clone())).await;
        assert!(status.is_success(), "{case}: {job}");
        let id = job["id"].as_str().unwrap().to_owned();
        let report = loop {
            let (_, view) = call(M::GET, &url(&format!("/v1/jobs/{id}")), Some(&writer), None).await;
            if view["status"] != "running" {
                assert_eq!(view["status"], "succeeded", "{case}: {view}");
                break call(M::GET, &url(&format!("/v1/jobs/{id}/result")), Some(&writer), None).await.1;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        };
        let api = from_report(&report);

        let answer = mcp::ok("source", &mcp::call(&agent, "source", request).await);
        // The tool answers the report beside the files it wrote.
        let mcp_report = if answer.get("decision").is_some() { &answer } else { &answer["report"] };
        let from_mcp = from_report(mcp_report);

        assert_eq!(cli, api, "{case}: the CLI and the API differ");
        assert_eq!(api, from_mcp, "{case}: the API and MCP differ");
        assert_eq!(report["decision"], mcp_report["decision"], "{case}: the decisions differ in full precision");
        assert_eq!(report["comparison"]["rows"], mcp_report["comparison"]["rows"], "{case}: the comparisons differ");
    }
    agent.cancel().await.unwrap();
}
