//! Two `open1688 serve` instances on one PostgreSQL and one Redis, against one sandbox: their
//! monitors never check a watch twice, and their monitors and API requests together stay within
//! the app's quota (the sandbox throttles nothing). Without PostgreSQL or Redis the test is skipped with a
//! message, except under `CI=true`.

use std::time::{Duration, Instant};

use open1688_sandbox::Sandbox;
use open1688_sandbox::config::AppConfig;
use open1688_store::{NewWatch, SqlStore, Store};

mod service;

use service::{alert_ids, call, fleet_postgres as postgres, key, redis_url, start_with_env};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_services_on_one_database_never_check_a_watch_twice_and_share_the_quota() {
    let Some(redis) = redis_url() else { return };
    let Some((db, admin, schema)) = postgres().await else { return };
    // An app of this run's own: the shared Redis keeps cached answers and limiter state by app
    // key, and an earlier run's must not answer this one's lookups. 10 QPS with a burst of 2: a
    // call beyond the app's quota is throttled and counted.
    let app_key = format!("fleet{}{}", std::process::id(), chrono::Utc::now().timestamp_millis());
    let app = AppConfig {
        qps: 10.0,
        burst: 2,
        api_qps: 10.0,
        api_burst: 2,
        ..AppConfig::new(app_key.clone(), "fleet-secret")
    };
    let sandbox = Sandbox::builder().catalog_size(2_000, 200).app(app).start().await.unwrap();
    let tokens = sandbox.tokens(&app_key).unwrap().clone();
    let store = SqlStore::open(&db).await.unwrap();
    let offers: Vec<i64> = sandbox.catalog().offers.iter().map(|o| o.id).skip(100).take(40).collect();
    let now = chrono::Utc::now().timestamp_millis();
    for &id in &offers {
        store
            .add_watch(&NewWatch { offer_id: Some(id), interval_secs: 3600, ..Default::default() }, now)
            .await
            .unwrap();
    }

    let env = [
        ("OPEN1688_ENDPOINT", sandbox.base_url().to_owned()),
        ("OPEN1688_APP_KEY", app_key.clone()),
        ("OPEN1688_APP_SECRET", "fleet-secret".to_owned()),
        ("OPEN1688_ACCESS_TOKEN", tokens.access_token.clone()),
        ("OPEN1688_SECRET_KEY", "cd".repeat(32)),
        ("REDIS_URL", redis),
    ];
    let flags = ["--monitor-tick", "1", "--qps", "10"];
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let started = Instant::now();
    let (_, reader) = key(a.path(), &db, "erp", "read");
    let first = start_with_env(a.path(), &db, &flags, &env);
    let second = start_with_env(b.path(), &db, &flags, &env);

    // While the monitors run, callers read other offers through both services at once.
    let lookups: Vec<i64> = sandbox.catalog().offers.iter().map(|o| o.id).take(40).collect();
    let mut callers = Vec::new();
    for (n, chunk) in lookups.chunks(20).enumerate() {
        let base = if n == 0 { first.base.clone() } else { second.base.clone() };
        let (chunk, reader) = (chunk.to_vec(), reader.clone());
        callers.push(tokio::spawn(async move {
            for id in chunk {
                let (status, body) =
                    call(reqwest::Method::GET, &format!("{base}/v1/offers/{id}"), Some(&reader), None).await;
                assert_eq!(status, reqwest::StatusCode::OK, "{body}");
            }
        }));
    }
    for caller in callers {
        caller.await.unwrap();
    }

    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let watches = store.watches().await.unwrap();
        if watches.iter().all(|w| w.last_run_ms.is_some()) {
            break;
        }
        assert!(Instant::now() < deadline, "the services' monitors did not check every watch");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let elapsed = started.elapsed();
    // Let a late double check, if there were one, reach the sandbox before counting.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let stats = sandbox.stats();
    let throttled: u64 =
        ["gw.QosAppFrequencyLimit", "gw.QosApiFrequencyLimit"].iter().filter_map(|c| stats.total.by_code.get(*c)).sum();
    assert!(throttled <= 1, "no call over the app's QPS: {:?}", stats.total.by_code);
    // A call the gateway throttled (at most one, above) is retried: answered details count.
    let details = stats.api("product.search.queryProductDetail");
    let refused: u64 =
        ["gw.QosAppFrequencyLimit", "gw.QosApiFrequencyLimit"].iter().filter_map(|c| details.by_code.get(*c)).sum();
    assert_eq!(details.calls - refused, 80, "40 lookups, and each watch checked exactly once: {details:?}");
    let per_offer: Vec<(i64, i64)> =
        sqlx::query_as(&format!("SELECT offer_id, COUNT(*) FROM {schema}.snapshots GROUP BY offer_id"))
            .fetch_all(&admin)
            .await
            .unwrap();
    assert_eq!(per_offer.len(), 40);
    assert!(per_offer.iter().all(|(_, n)| *n == 1), "one snapshot per watch: {per_offer:?}");
    // 80 details at 10 QPS together take about 8 s; each service pacing alone would take 4.
    assert!(elapsed >= Duration::from_secs(7), "{} calls in {elapsed:?}", stats.total.calls);
    for service in [first, second] {
        let log = service.log();
        assert!(!log.contains("Redis is unreachable"), "{log}");
    }
    drop(store);
    sqlx::query(&format!("DROP SCHEMA {schema} CASCADE")).execute(&admin).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_on_each_instance_sees_every_alert_once_and_a_reconnect_gets_what_it_missed() {
    let Some((db, admin, schema)) = postgres().await else { return };
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (_, reader) = key(a.path(), &db, "screen", "read");
    // No monitor in either: the alerts come from another process (this test), as from a
    // separate `open1688 monitor`.
    let first = start_with_env(a.path(), &db, &["--no-monitor"], &[]);
    let second = start_with_env(b.path(), &db, &["--no-monitor"], &[]);
    let open = |base: String, last: Option<i64>| {
        let reader = reader.clone();
        async move {
            let mut request = reqwest::Client::new().get(format!("{base}/v1/alerts/stream")).bearer_auth(reader);
            if let Some(id) = last {
                request = request.header("Last-Event-ID", id.to_string());
            }
            let stream = request.send().await.unwrap();
            assert_eq!(stream.status(), reqwest::StatusCode::OK);
            stream
        }
    };
    let (mut on_first, mut on_second) = (open(first.base.clone(), None).await, open(second.base.clone(), None).await);
    // Streams start from the newest alert when they open; give both feeds a look first.
    tokio::time::sleep(Duration::from_millis(700)).await;

    let store = SqlStore::open(&db).await.unwrap();
    let watch =
        store.add_watch(&NewWatch { offer_id: Some(42), interval_secs: 3600, ..Default::default() }, 0).await.unwrap();
    let now = chrono::Utc::now().timestamp_millis();
    for i in 0..20 {
        let alert = open1688_store::Alert {
            offer_id: 42,
            at: chrono::DateTime::from_timestamp_millis(now + i).unwrap(),
            rule: "price_below".into(),
            message: format!("alert {i}"),
            order_id: None,
            event: None,
        };
        store.save_alerts(watch, &[alert], &[], now).await.unwrap();
    }
    let (seen_first, seen_second) = (alert_ids(&mut on_first, 20).await, alert_ids(&mut on_second, 20).await);
    let mut stored: Vec<i64> = store.alerts_after(0, 1_000).await.unwrap().iter().map(|a| a.id).collect();
    stored.sort_unstable();
    assert_eq!(seen_first, stored, "every alert once, in order, on the first instance");
    assert_eq!(seen_second, stored, "and on the second");
    // Nothing more arrives: no alert is sent twice.
    assert!(alert_ids(&mut on_first, 21).await.len() <= 20);

    // A client that lost its instance reconnects to the other with the last id it got.
    let mut resumed = open(second.base.clone(), Some(stored[9])).await;
    assert_eq!(alert_ids(&mut resumed, 10).await, stored[10..].to_vec(), "the ten it missed, then live");
    drop(store);
    sqlx::query(&format!("DROP SCHEMA {schema} CASCADE")).execute(&admin).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_keys_request_rate_is_one_limit_across_instances_sharing_redis() {
    let Some(redis) = redis_url() else { return };
    let Some((db, admin, schema)) = postgres().await else { return };
    // An app of this run's own: the limits in Redis are kept by app key and key id, and an
    // earlier run's key 1 must not share this one's.
    let app_key = format!("rate{}{}", std::process::id(), chrono::Utc::now().timestamp_millis());
    let sandbox = Sandbox::builder()
        .catalog_size(200, 30)
        .app(AppConfig::new(app_key.clone(), "rate-secret"))
        .start()
        .await
        .unwrap();
    let tokens = sandbox.tokens(&app_key).unwrap().clone();
    let env = [
        ("OPEN1688_ENDPOINT", sandbox.base_url().to_owned()),
        ("OPEN1688_APP_KEY", app_key.clone()),
        ("OPEN1688_APP_SECRET", "rate-secret".to_owned()),
        ("OPEN1688_ACCESS_TOKEN", tokens.access_token.clone()),
        ("OPEN1688_SECRET_KEY", "cd".repeat(32)),
        ("REDIS_URL", redis),
    ];
    let (a, b, c) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (_, reader) = key(a.path(), &db, "erp", "read");
    // Two requests a second per key, bursts of four.
    let flags = ["--no-monitor", "--key-rate", "2"];
    let first = start_with_env(a.path(), &db, &flags, &env);
    let second = start_with_env(b.path(), &db, &flags, &env);
    let started = Instant::now();
    let mut served = 0;
    for i in 0..20 {
        let base = if i % 2 == 0 { &first.base } else { &second.base };
        let status = reqwest::Client::new()
            .get(format!("{base}/v1/watches"))
            .bearer_auth(&reader)
            .send()
            .await
            .unwrap()
            .status();
        if status == reqwest::StatusCode::OK {
            served += 1;
        } else {
            assert_eq!(status, reqwest::StatusCode::TOO_MANY_REQUESTS);
        }
    }
    // Each instance alone would let its burst of four through and more; together they let four
    // through and then two a second.
    let allowed = 4 + 2 * started.elapsed().as_secs_f64().ceil() as usize;
    assert!(served <= allowed, "{served} of 20 served in {:?} through two instances", started.elapsed());
    assert!(served >= 4, "the burst is served");

    // The same database without Redis: the service says its pacing is not shared.
    let env_without_redis: Vec<(&str, String)> = env.iter().filter(|(k, _)| *k != "REDIS_URL").cloned().collect();
    let alone = start_with_env(c.path(), &db, &["--no-monitor"], &env_without_redis);
    let deadline = Instant::now() + Duration::from_secs(5);
    while !alone.log().contains("without REDIS_URL") && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(alone.log().contains("without REDIS_URL"), "{}", alone.log());
    sqlx::query(&format!("DROP SCHEMA {schema} CASCADE")).execute(&admin).await.unwrap();
}
