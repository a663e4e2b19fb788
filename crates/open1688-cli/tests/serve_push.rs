//! End to end, platform pushes over the real path: the sandbox's catalog drifts, the sandbox
//! pushes signed product messages to the running `open1688 serve` — some twice, some out of
//! order, some with a corrupted signature — and the service stores each message once, refuses
//! the forged attempts (the sandbox then retries them signed), and reads the offers a message
//! names at once instead of at the watch's next hour.

use std::time::Duration;

use open1688_sandbox::config::PushConfig;
use open1688_sandbox::push_log::PushTarget;
use reqwest::{Method as M, StatusCode};
use serde_json::json;

mod service;

use service::{call, gateway_env, key, start_with_env};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushes_arrive_once_each_verified_and_make_watches_due() {
    let sandbox = open1688_sandbox::Sandbox::builder()
        .catalog_size(400, 40)
        .simulated_clock(None)
        .drift_share(1.0)
        .push_delivery(PushConfig {
            duplicate: 0.3,
            reorder: 0.3,
            bad_signature: 0.2,
            retry_ms: 20,
            seed: 7,
            ..PushConfig::default()
        })
        .start()
        .await
        .unwrap();
    let followed: Vec<i64> = sandbox.catalog().offers.iter().take(8).map(|o| o.id).collect();

    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("store.db").display());
    let (_, writer) = key(dir.path(), &db, "erp", "write");
    let gateway = gateway_env(&sandbox);
    let svc = start_with_env(dir.path(), &db, &["--monitor-tick", "1"], &gateway);
    let url = |path: &str| format!("{}{path}", svc.base);

    // A watch of a followed offer, checked hourly: only a push can bring its next check forward.
    let watched = followed[0];
    let (status, added) =
        call(M::POST, &url("/v1/watches"), Some(&writer), Some(json!({"offer": watched, "every_minutes": 60}))).await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    let snapshots = || async {
        let (status, history) = call(M::GET, &url(&format!("/v1/offers/{watched}/history")), Some(&writer), None).await;
        if status == StatusCode::OK { history["points"].as_array().map_or(0, Vec::len) } else { 0 }
    };
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while snapshots().await == 0 {
        assert!(tokio::time::Instant::now() < deadline, "the monitor never checked the new watch");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // The platform registers the service as the app's callback; the catalog drifts for two days.
    sandbox.set_push_target(sandbox.app_key(), Some(PushTarget { url: url("/push/1688"), follows: followed.clone() }));
    for _ in 0..8 {
        sandbox.advance(Duration::from_secs(6 * 3600)).unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let stats = loop {
        let stats = sandbox.push_stats();
        if stats.messages > 0 && stats.delivered + stats.failed >= stats.messages + stats.duplicates {
            break stats;
        }
        assert!(tokio::time::Instant::now() < deadline, "pushes still in flight: {stats:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(stats.failed, 0, "every message was acknowledged in the end: {stats:?}");
    assert!(
        stats.duplicates > 0 && stats.reordered > 0 && stats.bad_signatures > 0,
        "every fault switch fired: {stats:?}"
    );
    assert!(stats.refused_attempts >= stats.bad_signatures, "forged attempts were refused: {stats:?}");

    // Each message stored exactly once, whatever the duplicates.
    let pool = sqlx::SqlitePool::connect(&db).await.unwrap();
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM push_messages").fetch_one(&pool).await.unwrap();
    let distinct: i64 =
        sqlx::query_scalar("SELECT COUNT(DISTINCT msg_id) FROM push_messages").fetch_one(&pool).await.unwrap();
    assert_eq!((stored, distinct), (stats.messages as i64, stats.messages as i64), "{stats:?}");

    // A message naming the watched offer made its watch due: a second check within seconds.
    let named: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM push_messages WHERE message LIKE ?")
        .bind(format!("%{watched}%"))
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(named > 0, "the drift touched the watched offer");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while snapshots().await < 2 {
        assert!(tokio::time::Instant::now() < deadline, "the push did not bring the watch's check forward");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
