//! The monitor against the sandbox over 30 simulated days: the alerts raised match the sandbox's
//! own change log (no misses, no false alarms), a re-run adds no duplicates, and the webhook
//! notifier signs and retries.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use open1688::RateLimits;
use open1688_monitor::webhook::{DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify_webhook};
use open1688_monitor::{Monitor, Notifier, WebhookNotifier};
use open1688_sandbox::Sandbox;
use open1688_store::{Alert, AlertRule, NewWatch, SqlStore, Store};
use support::change_log::expected;
use support::sandbox_client::client_builder;

fn now(sandbox: &Sandbox) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(sandbox.now_ms()).unwrap()
}

#[tokio::test]
async fn thirty_days_of_alerts_match_the_change_log() {
    let sandbox = Sandbox::builder()
        .catalog_size(3_000, 240)
        .simulated_clock(None)
        .drift_share(0.3)
        .quotas_off()
        .start()
        .await
        .unwrap();
    let start = sandbox.now_ms();
    sandbox.advance(Duration::from_secs(86_400)).unwrap();
    let drifting: BTreeSet<i64> = sandbox.changes(start, sandbox.now_ms()).iter().map(|c| c.offer_id).collect();
    let watched: BTreeSet<i64> = drifting.into_iter().take(20).collect();
    assert_eq!(watched.len(), 20);
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> =
        Arc::new(SqlStore::open(&format!("sqlite://{}", dir.path().join("m.db").display())).await.unwrap());
    let rules = vec![AlertRule::AnyTierChange, AlertRule::SoldOut, AlertRule::BackInStock];
    for &id in &watched {
        store
            .add_watch(
                &NewWatch { offer_id: Some(id), interval_secs: 86_400, rules: rules.clone(), ..Default::default() },
                sandbox.now_ms(),
            )
            .await
            .unwrap();
    }
    let client = client_builder(&sandbox).rate_limits(RateLimits::unlimited()).build().unwrap();
    let mut monitor = Monitor::new(store.clone(), client, "test");
    let first = monitor.run_due(now(&sandbox)).await.unwrap();
    assert!(first.is_empty(), "the first check only records: {first:?}");
    let (mut misses, mut false_alarms, mut total) = (Vec::new(), Vec::new(), 0);
    for day in 1..=30 {
        let from = sandbox.now_ms();
        sandbox.advance(Duration::from_secs(86_400)).unwrap();
        let log: Vec<_> =
            sandbox.changes(from, sandbox.now_ms()).into_iter().filter(|c| watched.contains(&c.offer_id)).collect();
        let want = expected(&log);
        let got: BTreeSet<(i64, String)> =
            monitor.run_due(now(&sandbox)).await.unwrap().into_iter().map(|a| (a.offer_id, a.rule)).collect();
        total += want.len();
        misses.extend(want.difference(&got).map(|x| (day, x.clone())));
        false_alarms.extend(got.difference(&want).map(|x| (day, x.clone())));
    }
    assert!(total > 20, "a month of drift raises alerts: {total}");
    assert!(misses.is_empty(), "missed {} of {total}: {misses:?}", misses.len());
    assert!(false_alarms.is_empty(), "false alarms: {false_alarms:?}");
    let stats = monitor.stats();
    assert_eq!((stats.checks, stats.succeeded), (20 * 31, 20 * 31));
    assert_eq!(stats.alerts as usize, total);

    // Running the same day again (a restarted monitor) changes nothing and raises nothing.
    for w in store.watches().await.unwrap() {
        store.finish(w.id, "test", None, sandbox.now_ms() - 86_400_000, &Default::default()).await.unwrap();
    }
    assert!(monitor.run_due(now(&sandbox)).await.unwrap().is_empty(), "no duplicate alerts on a re-run");
}

#[tokio::test]
async fn webhook_alerts_are_signed_and_retried() {
    // Each delivery as received: its timestamp, delivery id and signature headers, and its body.
    type Received = Vec<([String; 3], Bytes)>;
    let received: Arc<Mutex<Received>> = Arc::default();
    let failures_left = Arc::new(Mutex::new(2));
    let (rx, left) = (received.clone(), failures_left.clone());
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let (rx, left) = (rx.clone(), left.clone());
            async move {
                let mut left = left.lock().unwrap();
                if *left > 0 {
                    *left -= 1;
                    return StatusCode::SERVICE_UNAVAILABLE;
                }
                let header =
                    |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
                let seen = [header(TIMESTAMP_HEADER), header(DELIVERY_HEADER), header(SIGNATURE_HEADER)];
                let mut rx = rx.lock().unwrap();
                rx.push((seen, body));
                // The first delivery that gets through is answered 429 once, to be retried.
                if rx.len() == 1 {
                    return StatusCode::TOO_MANY_REQUESTS;
                }
                StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let secret = b"hook-secret-of-thirty-two-bytes!".to_vec();
    let hook = WebhookNotifier::new(format!("http://{addr}/hook"), secret.clone()).unwrap();
    let alert = Alert {
        offer_id: 7,
        at: Utc::now(),
        rule: "sold_out".into(),
        message: "sold out".into(),
        order_id: None,
        event: None,
    };
    hook.notify("delivery-1", &[alert]).await.unwrap();
    let got = received.lock().unwrap();
    assert_eq!(got.len(), 2, "after two 503s, a 429 and then the delivery");
    assert_eq!(got[0].0, got[1].0, "every attempt carries the same timestamp, delivery id and signature");
    let [timestamp, delivery, signature] = &got[1].0;
    assert_eq!(delivery, "delivery-1", "the outbox's delivery id is sent as given");
    let fresh = Duration::from_secs(300);
    verify_webhook(&secret, timestamp, delivery, signature, &got[1].1, Utc::now(), fresh)
        .expect("the signature verifies");
    let json: serde_json::Value = serde_json::from_slice(&got[1].1).unwrap();
    assert_eq!(json["alerts"][0]["offer_id"], 7);
}

#[tokio::test]
async fn keyword_watches_report_new_offers_and_price_changes_once() {
    let sandbox = Sandbox::builder().catalog_size(2_000, 200).simulated_clock(None).quotas_off().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> =
        Arc::new(SqlStore::open(&format!("sqlite://{}", dir.path().join("k.db").display())).await.unwrap());
    let rules = vec![AlertRule::NewOffer, AlertRule::AnyTierChange];
    let new = NewWatch { keyword: Some("保温杯".into()), interval_secs: 3600, rules, ..Default::default() };
    let id = store.add_watch(&new, sandbox.now_ms()).await.unwrap();
    let client = client_builder(&sandbox).rate_limits(RateLimits::unlimited()).build().unwrap();
    let mut monitor = Monitor::new(store.clone(), client, "kw");
    let t0 = now(&sandbox);
    assert!(monitor.run_due(t0).await.unwrap().is_empty(), "the first check only records");
    let name = format!("watch:{id}:results");
    let mut seen: BTreeMap<i64, open1688_monitor::keyword::Listing> =
        serde_json::from_str(&store.checkpoint(&name).await.unwrap().unwrap()).unwrap();
    assert!(seen.len() >= 10, "{} results remembered", seen.len());

    // Pretend the last check saw one offer fewer and another at a different price. The sandbox's
    // clock stands still, so its results are the same as before.
    let gone = *seen.keys().next().unwrap();
    seen.remove(&gone);
    let (&repriced, listing) = seen.iter_mut().find(|(_, l)| l.price.is_some()).unwrap();
    listing.price = Some("0.01".parse().unwrap());
    store.set_checkpoint(&name, &serde_json::to_string(&seen).unwrap(), 0).await.unwrap();
    let later = t0 + chrono::Duration::hours(2);
    let got: BTreeSet<(i64, String)> =
        monitor.run_due(later).await.unwrap().into_iter().map(|a| (a.offer_id, a.rule)).collect();
    let want: BTreeSet<(i64, String)> =
        [(gone, "new_offer".to_owned()), (repriced, "any_tier_change".to_owned())].into();
    assert_eq!(got, want);
    let again = monitor.run_due(later + chrono::Duration::hours(2)).await.unwrap();
    assert!(again.is_empty(), "nothing changed since: {again:?}");
    let runs = store.runs(10).await.unwrap();
    assert_eq!(runs.len(), 3);
    assert!(runs.iter().all(|r| r.status == open1688_store::RunStatus::Completed && r.progress.checks == 1));
    assert_eq!(monitor.stats().fresh_reads, 3, "each check searched fresh");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_watch_failing_five_times_in_a_row_is_paused_and_reported() {
    let sandbox = Sandbox::builder().catalog_size(500, 50).simulated_clock(None).quotas_off().start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> =
        Arc::new(SqlStore::open(&format!("sqlite://{}", dir.path().join("p.db").display())).await.unwrap());
    // No such offer: every check fails with a business error (not retryable).
    let watch = NewWatch { offer_id: Some(1), interval_secs: 600, ..Default::default() };
    let id = store.add_watch(&watch, sandbox.now_ms()).await.unwrap();
    let client = client_builder(&sandbox).rate_limits(RateLimits::unlimited()).build().unwrap();
    let policy = open1688_store::FailurePolicy { pause_after: 5, cooldown_ms: 3_600_000, max_cooldown_ms: 86_400_000 };
    let mut monitor = Monitor::new(store.clone(), client, "pause").failure_policy(policy);
    let mut at = now(&sandbox);
    for round in 1..=5 {
        monitor.run_due(at).await.unwrap();
        let w = store.watches().await.unwrap().into_iter().find(|w| w.id == id).unwrap();
        assert_eq!(w.failures, round);
        let wait = if round < 5 { 600_000 } else { 3_600_000 };
        assert_eq!(w.next_due_ms - at.timestamp_millis(), wait, "round {round}");
        assert_eq!(monitor.stats().paused, u64::from(round == 5));
        at += chrono::Duration::milliseconds(wait);
    }
    let stats = monitor.stats();
    assert_eq!((stats.checks, stats.succeeded, stats.paused), (5, 0, 1));
    // The paused watch says why it failed, and the gateway's words carry no secret.
    let why = store.watch(id).await.unwrap().unwrap().last_error.expect("the last error is kept");
    assert!(why.contains('1') && !why.contains(sandbox.app_secret()), "{why}");
    sandbox.shutdown().await;
}
