//! `open1688 monitor` processes against one sandbox: three of them sharing the Redis rate
//! limiter stay under the app's QPS as the sandbox counts it, and a monitor killed mid-cycle
//! leaves a consistent database that a restart completes without duplicate snapshots.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use open1688_sandbox::Sandbox;
use open1688_store::{AlertRule, JobStore, NewWatch, RunStatus, SqlStore, Store};

mod service;

use service::redis_url;

/// A monitor process on the sandbox's app with its own store.
fn monitor(sandbox: &Sandbox, db: &str, redis: Option<&str>, args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("open1688").expect("the binary is built");
    cmd.args(["monitor", "--once", "-q"])
        .args(args)
        .env("OPEN1688_CONFIG", "/nonexistent/open1688.toml")
        .env("OPEN1688_APP_KEY", sandbox.app_key())
        .env("OPEN1688_APP_SECRET", sandbox.app_secret())
        .env("OPEN1688_ACCESS_TOKEN", sandbox.access_token())
        .env("OPEN1688_ENDPOINT", sandbox.base_url())
        .env("OPEN1688_SECRET_KEY", "ab".repeat(32))
        .env("DATABASE_URL", db)
        .env_remove("OPEN1688_REFRESH_TOKEN")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    match redis {
        Some(url) => cmd.env("REDIS_URL", url),
        None => cmd.env_remove("REDIS_URL"),
    };
    cmd
}

async fn store_with_watches(dir: &Path, name: &str, offers: &[i64], now_ms: i64) -> (String, SqlStore) {
    let url = format!("sqlite://{}", dir.join(name).display());
    let store = SqlStore::open(&url).await.unwrap();
    for &id in offers {
        let rules = vec![AlertRule::AnyTierChange, AlertRule::SoldOut];
        let watch = NewWatch { offer_id: Some(id), interval_secs: 3600, rules, ..Default::default() };
        store.add_watch(&watch, now_ms).await.unwrap();
    }
    (url, store)
}

fn finish(child: Child) -> String {
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "monitor failed: {stderr}");
    stderr
}

fn throttled(sandbox: &Sandbox) -> u64 {
    let codes = sandbox.stats().total.by_code;
    ["gw.QosAppFrequencyLimit", "gw.QosApiFrequencyLimit"].iter().filter_map(|c| codes.get(*c)).sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_monitors_sharing_the_redis_limiter_stay_under_the_app_qps() {
    let Some(redis) = redis_url() else { return };
    // 10 QPS with a burst of 2: anything faster is throttled and counted.
    let sandbox = Sandbox::builder().catalog_size(2_000, 200).demo_limits(10.0, 2, 10.0, None).start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ids: Vec<i64> = sandbox.catalog().offers.iter().map(|o| o.id).take(90).collect();
    let mut dbs = Vec::new();
    for (n, chunk) in ids.chunks(15).enumerate() {
        dbs.push(store_with_watches(dir.path(), &format!("m{n}.db"), chunk, sandbox.now_ms()).await.0);
    }

    // Control: three monitors pacing alone (10 QPS each) overrun the app's 10 QPS.
    let alone: Vec<Child> =
        dbs[..3].iter().map(|db| monitor(&sandbox, db, None, &["--qps", "10"]).spawn().unwrap()).collect();
    alone.into_iter().for_each(|c| drop(finish(c)));
    assert!(throttled(&sandbox) > 3, "the control run should have been throttled, often");

    sandbox.reset_stats();
    let started = Instant::now();
    let shared: Vec<Child> =
        dbs[3..].iter().map(|db| monitor(&sandbox, db, Some(&redis), &["--qps", "10"]).spawn().unwrap()).collect();
    for child in shared {
        let stderr = finish(child);
        assert!(stderr.is_empty() || !stderr.contains("Redis is unreachable"), "{stderr}");
    }
    let elapsed = started.elapsed();
    let stats = sandbox.stats();
    // The control run above is throttled on most of its calls; sharing, at most one call in the
    // run may land early (three processes woken late by a loaded 2-core machine, seen once in
    // a dozen runs).
    assert!(throttled(&sandbox) <= 1, "no call over the app's QPS: {:?}", stats.total.by_code);
    let details = stats.api("product.search.queryProductDetail").calls;
    assert_eq!(details, 45, "each watch checked once");
    // 45 details (and each process's clock check) at 10 QPS together take over 4 s; alone, each
    // process would have needed 1.5 s.
    assert!(elapsed >= Duration::from_millis(4_300), "{} calls in {elapsed:?}", stats.total.calls);
    for db in &dbs[3..] {
        let store = SqlStore::open(db).await.unwrap();
        assert!(store.watches().await.unwrap().iter().all(|w| w.last_run_ms.is_some() && w.failures == 0));
    }
    sandbox.shutdown().await;
}

async fn count(db: &str, sql: &str) -> i64 {
    let pool = sqlx::SqlitePool::connect(db).await.unwrap();
    let n: i64 = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
    pool.close().await;
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_monitor_killed_mid_cycle_is_completed_by_its_restart_without_duplicates() {
    let sandbox = Sandbox::builder().catalog_size(2_000, 200).quotas_off().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ids: Vec<i64> = sandbox.catalog().offers.iter().map(|o| o.id).take(60).collect();
    let (db, store) = store_with_watches(dir.path(), "kill.db", &ids, sandbox.now_ms()).await;

    // 60 checks at 15 QPS take 4 s; the kill comes after the first dozen snapshots.
    let mut child = monitor(&sandbox, &db, None, &["--qps", "15", "--worker", "w1"]).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while count(&db, "SELECT COUNT(*) FROM snapshots").await < 12 {
        assert!(Instant::now() < deadline, "the monitor made no progress");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let before = count(&db, "SELECT COUNT(*) FROM snapshots").await;
    assert!((12..60).contains(&before), "killed mid-cycle after {before} snapshots");
    let runs = store.runs(10).await.unwrap();
    assert_eq!(runs[0].status, RunStatus::Running, "the killed run never finished");

    let stderr = finish(monitor(&sandbox, &db, None, &["--qps", "50", "--worker", "w1"]).spawn().unwrap());
    assert!(stderr.is_empty() || !stderr.contains("error"), "{stderr}");
    let pool = sqlx::SqlitePool::connect(&db).await.unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&pool).await.unwrap();
    pool.close().await;
    assert_eq!(check, "ok");
    let per_offer = count(&db, "SELECT COUNT(*) FROM (SELECT offer_id FROM snapshots GROUP BY offer_id)").await;
    assert_eq!((count(&db, "SELECT COUNT(*) FROM snapshots").await, per_offer), (60, 60), "one snapshot per offer");
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM snapshot_tiers WHERE snapshot_id NOT IN (SELECT id FROM snapshots)").await,
        0
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM watches WHERE claimed_by IS NOT NULL OR last_run_ms IS NULL").await, 0);
    let runs = store.runs(10).await.unwrap();
    assert_eq!((runs[0].status, runs[1].status), (RunStatus::Completed, RunStatus::Interrupted));
    // The restart checks what was left and what was in flight at the kill (at most 8 at once),
    // reusing a snapshot the killed run had already taken.
    let rechecked = runs[0].progress.checks - (60 - before);
    assert!((0..=8).contains(&rechecked), "restart checked {} of {}", runs[0].progress.checks, 60 - before);
    sandbox.shutdown().await;
}
