//! The MCP server's benchmark (issue 17): what a tool call over stdio costs on top of calling the
//! job directly, and the sourcing job through MCP against the CLI's `source`.
//!
//! `cargo run --release -p open1688-mcp --example mcp_bench -- target/release/open1688 [calls]`
//! (`scripts/bench-mcp.sh` builds the binary and runs this).
//!
//! 1. Overhead: `get_offer` (one offer, warm cache) and `list_watches` (empty store) called
//!    `calls` times through `open1688 mcp` by the official Rust client, against the same job
//!    called directly in this process over its own built-in sandbox; percentiles of each and
//!    their difference.
//! 2. The sourcing job (保温杯 × 300, 30 candidates, both cold processes with their built-in
//!    sandbox and its default quota): `open1688 source` against starting `open1688 mcp`,
//!    initializing and calling `source`; five runs each, alternating, medians.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use open1688_jobs::{Jobs, Progress};
use open1688_sandbox::Sandbox;
use rmcp::ServiceExt as _;
use rmcp::model::CallToolRequestParams;
use rmcp::service::{Peer, RoleClient};
use rmcp::transport::TokioChildProcess;
use serde_json::{Value, json};

const OFFER: i64 = 630526089341;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64) * p).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn report(label: &str, mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let (p50, p99) = (percentile(&samples, 0.50), percentile(&samples, 0.99));
    println!("  {label:<34} p50 {:>8.3} ms   p99 {:>8.3} ms", ms(p50), ms(p99));
    (p50, p99)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}

fn mcp_command(binary: &str, dir: &std::path::Path) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(binary);
    command
        .args(["mcp", "-q", "--outputs-dir"])
        .arg(dir.join("mcp"))
        .env("DATABASE_URL", format!("sqlite://{}", dir.join("mcp.db").display()))
        .env("OPEN1688_CONFIG", dir.join("none.toml"))
        .env("OPEN1688_LOG", "error")
        .env_remove("OPEN1688_APP_KEY")
        .env_remove("REDIS_URL");
    command
}

async fn call(peer: &Peer<RoleClient>, tool: &'static str, arguments: Value) -> Duration {
    let arguments = arguments.as_object().cloned().unwrap_or_default();
    let started = Instant::now();
    let result = peer.call_tool(CallToolRequestParams::new(tool).with_arguments(arguments)).await.expect("the call");
    let took = started.elapsed();
    assert_eq!(result.is_error, Some(false), "{tool} failed: {:?}", result.content);
    took
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let binary = args.next().expect("usage: mcp_bench <path to open1688> [calls]");
    let calls: usize = args.next().map_or(2_000, |n| n.parse().expect("calls is a number"));
    let dir = tempfile::tempdir().unwrap();

    println!("== (1) tool-call overhead over stdio, {calls} calls each (warm cache)");
    let sandbox = Sandbox::builder().start().await.unwrap();
    let client = open1688::Client::builder()
        .endpoint(sandbox.base_url())
        .app_key(sandbox.app_key())
        .app_secret(sandbox.app_secret())
        .access_token(sandbox.access_token())
        .build()
        .unwrap();
    let jobs = Arc::new(Jobs::new(client));
    let store =
        open1688_store::SqlStore::open(&format!("sqlite://{}", dir.path().join("direct.db").display())).await.unwrap();
    let silent = Progress::silent();
    jobs.offers(&[OFFER], &silent).await.unwrap();
    let mut direct_offer = Vec::with_capacity(calls);
    let mut direct_watches = Vec::with_capacity(calls);
    for _ in 0..calls {
        let started = Instant::now();
        let report = jobs.offers(&[OFFER], &silent).await.unwrap();
        std::hint::black_box(serde_json::to_value(&report).unwrap());
        direct_offer.push(started.elapsed());
        let started = Instant::now();
        let list = open1688_jobs::watches::list_watches(&store, chrono::Utc::now()).await.unwrap();
        std::hint::black_box(serde_json::to_value(&list).unwrap());
        direct_watches.push(started.elapsed());
    }

    let (transport, _) =
        TokioChildProcess::builder(mcp_command(&binary, dir.path())).stderr(Stdio::null()).spawn().unwrap();
    let session = ().serve(transport).await.expect("the server starts");
    call(&session, "get_offer", json!({"offer_ids": [OFFER]})).await;
    let mut mcp_offer = Vec::with_capacity(calls);
    let mut mcp_watches = Vec::with_capacity(calls);
    for _ in 0..calls {
        mcp_offer.push(call(&session, "get_offer", json!({"offer_ids": [OFFER]})).await);
        mcp_watches.push(call(&session, "list_watches", json!({})).await);
    }
    session.cancel().await.unwrap();

    let (d50, d99) = report("get_offer, direct job call", direct_offer);
    let (m50, m99) = report("get_offer, through open1688 mcp", mcp_offer);
    println!("  overhead: p50 {:.3} ms, p99 {:.3} ms (target ≤ 2 ms at p99)", ms(m50) - ms(d50), ms(m99) - ms(d99));
    let (d50, d99) = report("list_watches, direct job call", direct_watches);
    let (m50, m99) = report("list_watches, through open1688 mcp", mcp_watches);
    println!("  overhead: p50 {:.3} ms, p99 {:.3} ms (target ≤ 2 ms at p99)", ms(m50) - ms(d50), ms(m99) - ms(d99));

    println!("== (2) source 保温杯 × 300 (30 candidates), cold processes, 5 runs each");
    let mut cli = Vec::new();
    let mut mcp = Vec::new();
    for run in 0..5 {
        let started = Instant::now();
        let status = Command::new(&binary)
            .args(["source", "保温杯", "--need", "300", "--candidates", "30", "-q", "--format", "json", "--out"])
            .arg(dir.path().join(format!("cli-{run}")))
            .env("DATABASE_URL", format!("sqlite://{}", dir.path().join("cli.db").display()))
            .env("OPEN1688_CONFIG", dir.path().join("none.toml"))
            .env_remove("OPEN1688_APP_KEY")
            .env_remove("REDIS_URL")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        cli.push(started.elapsed());

        let started = Instant::now();
        let (transport, _) =
            TokioChildProcess::builder(mcp_command(&binary, dir.path())).stderr(Stdio::null()).spawn().unwrap();
        let session = ().serve(transport).await.expect("the server starts");
        call(&session, "source", json!({"keyword": "保温杯", "need": 300, "candidates": 30})).await;
        session.cancel().await.unwrap();
        mcp.push(started.elapsed());
    }
    cli.sort();
    mcp.sort();
    let (c, m) = (cli[2], mcp[2]);
    println!(
        "  CLI `open1688 source`            median {:>8.1} ms  (runs {:?})",
        ms(c),
        cli.iter().map(|d| ms(*d).round()).collect::<Vec<_>>()
    );
    println!(
        "  MCP start + initialize + source  median {:>8.1} ms  (runs {:?})",
        ms(m),
        mcp.iter().map(|d| ms(*d).round()).collect::<Vec<_>>()
    );
    println!("  ratio MCP / CLI: {:.3} (target ≤ 1.05)", m.as_secs_f64() / c.as_secs_f64());
}
