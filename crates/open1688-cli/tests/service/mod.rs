//! The service as the end-to-end tests drive it: the real binary on a free port over a store of
//! the test's own, keys made with the CLI, and calls that check every error is a problem document.

#![allow(dead_code)] // Each test file uses its own part of this.

use std::io::{BufRead, BufReader};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use assert_cmd::cargo::CommandCargoExt;
use reqwest::StatusCode;
use serde_json::Value;

/// A 1×1 PNG picture.
pub const TINY_PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xDE, 0x00, 0x00, 0x00, 0x0C, 0x49,
    0x44, 0x41, 0x54, 0x08, 0xD7, 0x63, 0xF8, 0xCF, 0xC0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00, 0x18, 0xDD, 0x8D, 0xB0,
    0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

pub const OFFER: &str = "630526089341";

pub fn open1688(dir: &Path, db: &str) -> Command {
    let mut cmd = Command::cargo_bin("open1688").expect("the binary is built");
    cmd.env("OPEN1688_CONFIG", dir.join("config.toml"))
        .env("DATABASE_URL", db)
        .env_remove("OPEN1688_APP_KEY")
        .env_remove("OPEN1688_APP_SECRET")
        .env_remove("OPEN1688_ACCESS_TOKEN")
        .env_remove("OPEN1688_REFRESH_TOKEN")
        .env_remove("OPEN1688_ENDPOINT")
        .env_remove("REDIS_URL")
        .env("OPEN1688_DATA_DIR", dir.join("data"))
        .current_dir(dir);
    cmd
}

/// Makes a key with `scope`; returns (id, key).
pub fn key(dir: &Path, db: &str, name: &str, scope: &str) -> (i64, String) {
    let out = open1688(dir, db)
        .args(["serve", "keys", "add", "--name", name, "--scope", scope, "--format", "json", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = &v[0];
    (row["id"].as_i64().unwrap(), row["key"].as_str().unwrap().to_owned())
}

pub struct Service {
    pub child: Child,
    pub base: String,
    /// Everything the service wrote to stderr so far.
    pub log: Arc<Mutex<String>>,
}

impl Service {
    /// Stops the service as a service manager would (SIGTERM) and waits for it to exit.
    pub fn stop(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().expect("kill runs");
        assert!(sent.success());
        self.child.wait().unwrap()
    }

    /// What the service logged so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The environment that points the binary at `sandbox` as its gateway, with its credentials.
pub fn gateway_env(sandbox: &open1688_sandbox::Sandbox) -> [(&'static str, String); 5] {
    [
        ("OPEN1688_ENDPOINT", sandbox.base_url().to_owned()),
        ("OPEN1688_APP_KEY", sandbox.app_key().to_owned()),
        ("OPEN1688_APP_SECRET", sandbox.app_secret().to_owned()),
        ("OPEN1688_ACCESS_TOKEN", sandbox.access_token().to_owned()),
        ("OPEN1688_REFRESH_TOKEN", sandbox.refresh_token().to_owned()),
    ]
}

/// Starts `open1688 serve` with `flags` over its built-in sandbox; returns once it says where it
/// listens.
pub fn start(dir: &Path, db: &str, flags: &[&str]) -> Service {
    start_with_env(dir, db, flags, &[])
}

/// Starts `open1688 serve` with `flags` and environment variables (a gateway and credentials).
pub fn start_with_env(dir: &Path, db: &str, flags: &[&str], env: &[(&str, String)]) -> Service {
    let jobs = dir.join("jobs");
    let mut command = open1688(dir, db);
    command.args(["serve", "--jobs-dir", jobs.to_str().unwrap()]);
    // Any free port, unless the test names one.
    if !flags.contains(&"--listen") {
        command.args(["--listen", "127.0.0.1:0"]);
    }
    let mut child = command
        .args(flags)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    // What the service said before it listened (warnings about its settings) is kept too.
    let mut said = String::new();
    let base = loop {
        line.clear();
        assert!(err.read_line(&mut line).unwrap() > 0, "the service says where it listens: {said}");
        said.push_str(&line);
        if let Some(rest) = line.split("serving on ").nth(1) {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    // Keep draining stderr so the service never blocks on a full pipe, and keep it for the test.
    let log = Arc::new(Mutex::new(said));
    let sink = log.clone();
    std::thread::spawn(move || {
        for line in err.lines().map_while(Result::ok) {
            let mut log = sink.lock().unwrap();
            log.push_str(&line);
            log.push('\n');
        }
    });
    Service { child, base, log }
}

/// The first string under `key` anywhere in `v`.
pub fn find(v: &Value, key: &str) -> Option<String> {
    match v {
        Value::Object(m) => {
            m.get(key).and_then(Value::as_str).map(str::to_owned).or_else(|| m.values().find_map(|x| find(x, key)))
        }
        Value::Array(a) => a.iter().find_map(|x| find(x, key)),
        _ => None,
    }
}

pub async fn call(method: reqwest::Method, url: &str, key: Option<&str>, body: Option<Value>) -> (StatusCode, Value) {
    let mut req = reqwest::Client::new().request(method, url);
    if let Some(key) = key {
        req = req.bearer_auth(key);
    }
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    let problem = res.headers().get("content-type").is_some_and(|v| v.as_bytes() == b"application/problem+json");
    let text = res.text().await.unwrap();
    let value = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
    if !status.is_success() {
        assert!(problem, "errors are problem documents: {status} {value}");
        assert_eq!(value["status"], status.as_u16(), "{value}");
    }
    (status, value)
}

/// Says a server the test needs is missing: a skip with a message, a failure under `CI=true`.
pub fn required(what: &str, url: &str) {
    assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "{what} must run under CI=true ({url})");
    eprintln!("SKIPPED: no {what} at {url}");
}

/// The shared Redis, or `None` to skip.
pub fn redis_url() -> Option<String> {
    let url = std::env::var("OPEN1688_TEST_REDIS").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let host = url.trim_start_matches("redis://").split('/').next().unwrap_or_default().to_owned();
    let up = host
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .is_some_and(|a| TcpStream::connect_timeout(&a, Duration::from_secs(1)).is_ok());
    if !up {
        required("Redis", &url);
    }
    up.then_some(url)
}

/// Offers of `sandbox` an order can take 20 of: no SKUs or lots, MOQ at most 10, 100 in stock,
/// listed, from `n` different suppliers (after skipping the first `skip` suppliers found).
pub fn orderable_offers(sandbox: &open1688_sandbox::Sandbox, n: usize, skip: usize) -> Vec<i64> {
    let live = sandbox.state().live();
    let mut seen = std::collections::HashSet::new();
    sandbox
        .catalog()
        .offers
        .iter()
        .enumerate()
        .filter(|(i, o)| {
            let state = &live.offers[*i];
            o.skus.is_empty() && o.batch_number <= 1 && state.moq <= 10 && !state.delisted && state.stock[0] >= 100
        })
        .filter(|(_, o)| seen.insert(o.supplier))
        .skip(skip)
        .take(n)
        .map(|(_, o)| o.id)
        .collect()
}

/// The `[order]` config the order tests use: a delivery address and a cap well above their plans.
pub const ORDER_CONFIG: &str = r#"[order]
spending_cap = "100000"
ship_to = { name = "义乌仓 张三", mobile = "13800000000", province = "浙江省", city = "金华市", district = "义乌市", street = "福田街道 1 号" }
"#;

/// A sandbox for the order tests: a small catalog that does not drift, no quotas, a simulated
/// clock the tests move (so sellers ship and carriers deliver on demand).
pub async fn order_sandbox() -> open1688_sandbox::Sandbox {
    open1688_sandbox::Sandbox::builder()
        .catalog_size(2_000, 160)
        .quotas_off()
        .simulated_clock(None)
        .drift_share(0.0)
        .start()
        .await
        .unwrap()
}

/// A test folder holding the order config, and its SQLite store's URL.
pub fn order_folder() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.toml"), ORDER_CONFIG).unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    (dir, db)
}

/// A PostgreSQL URL on a fresh schema of this test's own (and the admin pool and the schema's
/// name, to drop it), or `None` to skip (a failure under `CI=true`).
pub async fn fleet_postgres() -> Option<(String, sqlx::PgPool, String)> {
    let base = std::env::var("OPEN1688_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let Ok(pool) = sqlx::PgPool::connect(&base).await else {
        required("PostgreSQL", &base);
        return None;
    };
    // Tests of one file run at once: each gets a schema of its own even within one millisecond.
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let schema = format!("fleet{}_{}_{n}", std::process::id(), chrono::Utc::now().timestamp_millis());
    sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&pool).await.unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    Some((format!("{base}{sep}options=-c%20search_path%3D{schema}"), pool, schema))
}

/// Reads a live alert stream until it has carried `n` alerts (or 20 s pass); their event ids,
/// in the order they came.
pub async fn alert_ids(stream: &mut reqwest::Response, n: usize) -> Vec<i64> {
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let ids = |seen: &str| -> Vec<i64> {
        seen.split("\n\n")
            .filter(|event| event.lines().any(|l| l == "event: alert"))
            .filter_map(|event| event.lines().find_map(|l| l.strip_prefix("id: ")?.parse().ok()))
            .collect()
    };
    while ids(&seen).len() < n {
        let Ok(chunk) = tokio::time::timeout_at(deadline, stream.chunk()).await else { break };
        seen.push_str(&String::from_utf8_lossy(&chunk.unwrap().expect("the stream stays open")));
    }
    ids(&seen)
}
