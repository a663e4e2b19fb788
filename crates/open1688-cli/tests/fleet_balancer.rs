//! Many instances, one service: three `open1688 serve` behind a real HAProxy (round robin, no
//! stickiness) on one PostgreSQL and one Redis, against one sandbox. A sourcing job submitted and
//! polled through the balancer, its workbook downloaded; the instance running a job killed with
//! SIGKILL and the job still finishing once, elsewhere; an MCP client making ten tool calls
//! through the balancer; a live stream on each instance and one through the balancer each seeing
//! every alert once; a key revoked through one instance refused by all within a second. The same
//! suite then runs on one instance with SQLite (the kill restarts it). Without PostgreSQL, Redis
//! or HAProxy the test is skipped with a message, except under `CI=true`.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use open1688_sandbox::Sandbox;
use open1688_sandbox::config::AppConfig;
use open1688_store::{NewWatch, SqlStore, Store};
use reqwest::{Method as M, StatusCode};
use rmcp::ServiceExt as _;
use serde_json::{Value, json};

mod mcp;
mod service;

use service::{Service, alert_ids, call, fleet_postgres as postgres, key, redis_url, required, start_with_env};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// HAProxy in front of `backends`, round robin, checking `/readyz` twice a second; killed when
/// dropped.
struct Balancer {
    child: Child,
    base: String,
}

impl Drop for Balancer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn haproxy(dir: &std::path::Path, backends: &[&str]) -> Option<Balancer> {
    if Command::new("haproxy").arg("-v").output().is_err() {
        required("HAProxy", "haproxy on the PATH (Debian: apt-get install haproxy)");
        return None;
    }
    // The deployment example itself, with this test's ports.
    let port = free_port();
    let example = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../deploy/haproxy.cfg")).unwrap();
    let mut config = String::new();
    let mut servers = backends.iter();
    for line in example.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("bind ") {
            config.push_str(&format!("  bind 127.0.0.1:{port}\n"));
        } else if trimmed.starts_with("server ") {
            let name = trimmed.split_whitespace().nth(1).unwrap();
            let backend = servers.next().expect("as many servers as instances");
            config.push_str(&format!("  server {name} {} check\n", backend.trim_start_matches("http://")));
        } else {
            config.push_str(line);
            config.push('\n');
        }
    }
    assert!(servers.next().is_none(), "as many instances as servers in the example");
    let path = dir.join("haproxy.cfg");
    std::fs::write(&path, config).unwrap();
    let child = Command::new("haproxy")
        .arg("-db")
        .arg("-f")
        .arg(&path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "HAProxy did not listen");
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(Balancer { child, base })
}

/// Polls job `id` at `base` until it is no longer running (at most 120 s).
async fn finished(base: &str, key: &str, id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let (status, view) = call(M::GET, &format!("{base}/v1/jobs/{id}"), Some(key), None).await;
        assert_eq!(status, StatusCode::OK, "the job is known on every instance: {view}");
        if view["status"] != "running" {
            return view;
        }
        assert!(Instant::now() < deadline, "job {id} never ended: {view}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The instance (by process id) holding job `id`'s lease, once one does.
async fn runner_of(store: &SqlStore, id: &str) -> (u32, i64) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(job) = store.service_job(id).await.unwrap()
            && job.status == open1688_store::ServiceJobStatus::Running
        {
            let owner = store.service_job_lease_owner(id).await.unwrap();
            if let Some(pid) = owner.and_then(|o| o.split('-').next()?.parse().ok()) {
                return (pid, job.attempts);
            }
        }
        assert!(Instant::now() < deadline, "no instance took job {id}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The suite, against `entry` (the balancer, or the one instance) with `instances` behind it.
/// `kill_and_recover` kills the instance with this process id and brings the service back to
/// answering (restarting it when there is no other).
async fn fleet_suite(
    db: &str,
    entry: &str,
    instances: &mut Vec<Service>,
    keys: &Keys,
    offer: i64,
    restart: impl Fn() -> Service,
) {
    let store = SqlStore::open(db).await.unwrap();
    let request = json!({"keyword": "保温杯", "need": 300, "candidates": 20});

    // A sourcing job submitted and polled through the entry, its workbook downloaded.
    let (status, job) =
        call(M::POST, &format!("{entry}/v1/jobs/source"), Some(&keys.writer), Some(request.clone())).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    let id = job["id"].as_str().unwrap().to_owned();
    let view = finished(entry, &keys.writer, &id).await;
    assert_eq!(view["status"], "succeeded", "{view}");
    let workbook = view["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .find(|f| f.ends_with(".xlsx"))
        .unwrap()
        .to_owned();
    let bytes = reqwest::Client::new()
        .get(format!("{entry}/v1/jobs/{id}/files/{workbook}"))
        .bearer_auth(&keys.writer)
        .send()
        .await
        .unwrap();
    assert_eq!(bytes.status(), StatusCode::OK);
    assert!(bytes.bytes().await.unwrap().starts_with(b"PK"), "an XLSX (zip) workbook");
    let (status, report) = call(M::GET, &format!("{entry}/v1/jobs/{id}/result"), Some(&keys.writer), None).await;
    assert_eq!(status, StatusCode::OK, "{report}");

    // The instance running a job is killed: the job still ends, once, on another (or on the
    // instance restarted).
    let (status, job) = call(M::POST, &format!("{entry}/v1/jobs/source"), Some(&keys.writer), Some(request)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    let id = job["id"].as_str().unwrap().to_owned();
    let (pid, attempts) = runner_of(&store, &id).await;
    assert_eq!(attempts, 1);
    let victim = instances.iter().position(|s| s.child.id() == pid).expect("the runner is one of ours");
    let mut killed = instances.remove(victim);
    let _ = killed.child.kill(); // SIGKILL
    let _ = killed.child.wait();
    let killed_at = Instant::now();
    if instances.is_empty() {
        instances.push(restart());
    }
    let (_, attempts) = loop {
        let (pid, attempts) = runner_of(&store, &id).await;
        if attempts > 1 {
            break (pid, attempts);
        }
        let view = store.service_job(&id).await.unwrap().unwrap();
        assert!(
            !view.status.is_final() || view.attempts > 1,
            "the killed instance's job ended without running again: {view:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let resumed_after = killed_at.elapsed();
    assert_eq!(attempts, 2);
    assert!(resumed_after <= Duration::from_secs(20), "resumed {resumed_after:?} after the kill (two leases: 20 s)");
    eprintln!("BENCH killed instance -> job resumed elsewhere: {:.2} s", resumed_after.as_secs_f64());
    let view = finished(entry, &keys.writer, &id).await;
    assert_eq!(view["status"], "succeeded", "{view}");
    let stored = store.service_job(&id).await.unwrap().unwrap();
    assert_eq!(stored.attempts, 2, "run once more, and ended once");

    // An MCP client makes ten tool calls through the entry (no session to lose between them).
    let transport = rmcp::transport::StreamableHttpClientTransport::from_config(
        rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig::with_uri(format!("{entry}/mcp"))
            .auth_header(keys.reader.clone()),
    );
    let agent = mcp::Recorder::default().serve(transport).await.expect("the agent connects through the entry");
    for n in 0..10 {
        let answer = if n % 2 == 0 {
            mcp::call(&agent, "get_offer", json!({"offer_ids": [offer]})).await
        } else {
            mcp::call(&agent, "list_watches", json!({})).await
        };
        assert_ne!(answer.is_error, Some(true), "call {n}: {answer:?}");
    }
    let _ = agent.cancel().await;

    // A live stream on each instance and one through the entry: every alert once on each.
    let open = |base: String| {
        let reader = keys.reader.clone();
        async move {
            let stream = reqwest::Client::new()
                .get(format!("{base}/v1/alerts/stream"))
                .bearer_auth(reader)
                .send()
                .await
                .unwrap();
            assert_eq!(stream.status(), StatusCode::OK);
            stream
        }
    };
    let mut streams = Vec::new();
    for base in instances.iter().map(|s| s.base.clone()).chain([entry.to_owned()]) {
        streams.push(open(base).await);
    }
    tokio::time::sleep(Duration::from_millis(800)).await;
    let watch = store
        .add_watch(&NewWatch { offer_id: Some(offer), interval_secs: 3600, ..Default::default() }, 0)
        .await
        .unwrap();
    let now = chrono::Utc::now().timestamp_millis();
    for i in 0..10 {
        let alert = open1688_store::Alert {
            offer_id: offer,
            at: chrono::DateTime::from_timestamp_millis(now + i).unwrap(),
            rule: "price_below".into(),
            message: format!("alert {i}"),
            order_id: None,
            event: None,
        };
        store.save_alerts(watch, &[alert], &[], now).await.unwrap();
    }
    let mut expected: Vec<i64> =
        store.alerts_after(0, 1_000).await.unwrap().iter().filter(|a| a.watch_id == watch).map(|a| a.id).collect();
    expected.sort_unstable();
    for stream in &mut streams {
        assert_eq!(alert_ids(stream, 10).await, expected, "each stream sees every alert once");
    }

    // A key revoked through the entry is refused by every instance within a second.
    let (status, _) = call(M::DELETE, &format!("{entry}/v1/keys/{}", keys.reader_id), Some(&keys.admin), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let revoked_at = Instant::now();
    for instance in instances.iter() {
        loop {
            let (status, _) = call(M::GET, &format!("{}/v1/watches", instance.base), Some(&keys.reader), None).await;
            if status == StatusCode::UNAUTHORIZED {
                break;
            }
            assert!(revoked_at.elapsed() < Duration::from_secs(1), "{} still took the revoked key", instance.base);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    eprintln!("BENCH revocation reached every instance in {:.0} ms", revoked_at.elapsed().as_secs_f64() * 1000.0);
}

struct Keys {
    reader: String,
    reader_id: i64,
    writer: String,
    admin: String,
}

fn keys(dir: &std::path::Path, db: &str) -> Keys {
    let (reader_id, reader) = key(dir, db, "agent", "read");
    let (_, writer) = key(dir, db, "buyer", "write");
    let (_, admin) = key(dir, db, "ops", "admin");
    Keys { reader, reader_id, writer, admin }
}

/// A sandbox of this run's own app (Redis keeps limits and answers by app key) and the
/// environment that points a service at it.
async fn sandbox() -> (Sandbox, Vec<(&'static str, String)>) {
    let app_key = format!("lb{}{}", std::process::id(), chrono::Utc::now().timestamp_millis());
    let sandbox = Sandbox::builder()
        .catalog_size(2_000, 200)
        .app(AppConfig::new(app_key.clone(), "lb-secret"))
        .start()
        .await
        .unwrap();
    let tokens = sandbox.tokens(&app_key).unwrap().clone();
    let env = vec![
        ("OPEN1688_ENDPOINT", sandbox.base_url().to_owned()),
        ("OPEN1688_APP_KEY", app_key),
        ("OPEN1688_APP_SECRET", "lb-secret".to_owned()),
        ("OPEN1688_ACCESS_TOKEN", tokens.access_token.clone()),
        ("OPEN1688_SECRET_KEY", "cd".repeat(32)),
    ];
    (sandbox, env)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_behind_haproxy_on_postgresql_and_redis_are_one_service() {
    let Some(redis) = redis_url() else { return };
    let Some((db, admin, schema)) = postgres().await else { return };
    let (sandbox, mut env) = sandbox().await;
    let offer = sandbox.catalog().offers[0].id;
    env.push(("REDIS_URL", redis));
    let dirs: Vec<tempfile::TempDir> = (0..4).map(|_| tempfile::tempdir().unwrap()).collect();
    let keys = keys(dirs[3].path(), &db);
    let flags = ["--no-monitor"];
    let mut instances: Vec<Service> = dirs[..3].iter().map(|d| start_with_env(d.path(), &db, &flags, &env)).collect();
    let backends: Vec<&str> = instances.iter().map(|s| s.base.as_str()).collect();
    let Some(balancer) = haproxy(dirs[3].path(), &backends) else { return };
    // Every instance passes the balancer's health check before the suite starts.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    fleet_suite(&db, &balancer.base, &mut instances, &keys, offer, || unreachable!("two instances are left")).await;
    drop(instances);
    sqlx::query(&format!("DROP SCHEMA {schema} CASCADE")).execute(&admin).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_instance_on_sqlite_keeps_the_same_promises_across_a_kill() {
    let (sandbox, env) = sandbox().await;
    let offer = sandbox.catalog().offers[0].id;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let keys = keys(dir.path(), &db);
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let flags = ["--no-monitor", "--listen", listen.as_str()];
    let mut instances = vec![start_with_env(dir.path(), &db, &flags, &env)];
    let entry = instances[0].base.clone();
    // Killed, it comes back on the same address, and runs its job again once the lease is out.
    let restart = || start_with_env(dir.path(), &db, &flags, &env);
    fleet_suite(&db, &entry, &mut instances, &keys, offer, restart).await;
}

#[test]
fn the_systemd_unit_starts_the_service_with_options_it_has() {
    let unit = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../deploy/open1688@.service")).unwrap();
    let exec = unit.lines().find_map(|l| l.strip_prefix("ExecStart=")).expect("an ExecStart line");
    let help = assert_cmd::Command::cargo_bin("open1688").unwrap().args(["serve", "--help"]).output().unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    for flag in exec.split_whitespace().filter(|w| w.starts_with("--")) {
        assert!(help.contains(flag), "{flag} is not an option of open1688 serve");
    }
    assert!(exec.starts_with("/usr/bin/open1688 serve "), "{exec}");
    for needed in ["[Unit]", "[Service]", "[Install]", "TimeoutStopSec=", "EnvironmentFile="] {
        assert!(unit.contains(needed), "{needed}");
    }
}
