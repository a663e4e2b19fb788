//! The fault soak: watched offers checked once a simulated day against a sandbox that fails one
//! call in ten (5xx, resets, stalls past the client's timeout, throttles, truncated and malformed
//! bodies), a webhook receiver that is down for one day in the middle, and a monitor killed in
//! the middle of a cycle every seventh day. Afterwards the store and the receiver are checked
//! against the sandbox's change log. Used by the `fault_soak` test (small) and bench (full size).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Utc};
use open1688::{RateLimits, RetryPolicy};
use open1688_monitor::webhook::{DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify_webhook};
use open1688_monitor::{Monitor, WebhookNotifier};
use open1688_sandbox::{FaultPlan, FaultRates, Sandbox};
use open1688_store::{Alert, AlertRule, NewWatch, SqlStore, Store};

use super::change_log::expected;
use super::sandbox_client::client_builder;

/// How big a soak is.
#[derive(Debug, Clone, Copy)]
pub struct SoakSize {
    /// Offers watched.
    pub offers: usize,
    /// Simulated days.
    pub days: i64,
    /// Retries as the SDK's default policy makes them (`false`: a faster policy for tests).
    pub default_retries: bool,
}

/// What a soak saw.
#[derive(Debug, Default)]
pub struct SoakReport {
    /// Checks run, and those that failed after the SDK's retries.
    pub checks: u64,
    /// Checks that failed after the SDK's retries (the watch is checked again the next day).
    pub failed_checks: u64,
    /// Calls the sandbox answered with an injected fault.
    pub faults: u64,
    /// Calls the sandbox answered in all.
    pub calls: u64,
    /// Monitor cycles that returned an error, or panicked.
    pub crashes: u64,
    /// Cycles killed on purpose (aborted mid-cycle) and resumed by a new monitor.
    pub kills: u64,
    /// Snapshots stored.
    pub snapshots: u64,
    /// Checks that finished well on a day without leaving that day's snapshot.
    pub lost_snapshots: u64,
    /// Offer-days with more than one snapshot.
    pub duplicated_snapshots: u64,
    /// Alerts the change log calls for, between each offer's consecutive snapshots.
    pub expected_alerts: u64,
    /// Of those, alerts not stored.
    pub missed_alerts: Vec<(i64, String)>,
    /// Alerts stored that the change log does not call for.
    pub false_alarms: Vec<(i64, String)>,
    /// Alerts stored.
    pub stored_alerts: u64,
    /// Distinct delivery ids the receiver accepted.
    pub deliveries: u64,
    /// Deliveries the receiver accepted more than once (same id).
    pub redelivered: u64,
    /// Deliveries the receiver refused (down, or a bad signature).
    pub refused: u64,
    /// Stored alerts that reached the receiver in no delivery.
    pub undelivered_alerts: u64,
    /// Alerts received more than once under different delivery ids.
    pub alerts_in_two_deliveries: u64,
    /// Seconds the soak took.
    pub seconds: f64,
}

#[derive(Default)]
struct Receiver {
    down: bool,
    by_id: BTreeMap<String, (u32, Vec<Alert>)>,
    refused: u64,
}

async fn receiver(secret: Vec<u8>) -> (String, Arc<Mutex<Receiver>>) {
    let state: Arc<Mutex<Receiver>> = Arc::default();
    let shared = state.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let (state, secret) = (shared.clone(), secret.clone());
            async move {
                let header =
                    |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
                let mut state = state.lock().unwrap();
                let (ts, id, sig) = (header(TIMESTAMP_HEADER), header(DELIVERY_HEADER), header(SIGNATURE_HEADER));
                let fresh = Duration::from_secs(300);
                if state.down || verify_webhook(&secret, &ts, &id, &sig, &body, Utc::now(), fresh).is_err() {
                    state.refused += 1;
                    return StatusCode::SERVICE_UNAVAILABLE;
                }
                let alerts: Vec<Alert> = serde_json::from_slice::<serde_json::Value>(&body)
                    .ok()
                    .and_then(|v| serde_json::from_value(v["alerts"].clone()).ok())
                    .unwrap_or_default();
                let entry = state.by_id.entry(id).or_insert((0, alerts));
                entry.0 += 1;
                StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/hook"), state)
}

fn at(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap()
}

/// Runs a soak and checks what it left.
pub async fn soak(size: SoakSize) -> SoakReport {
    let started = Instant::now();
    let sandbox = Sandbox::builder()
        .catalog_size((size.offers * 4).max(3_000), 240)
        .simulated_clock(None)
        .drift_share(0.3)
        .quotas_off()
        .start()
        .await
        .unwrap();
    let first = sandbox.now_ms();
    sandbox.advance(Duration::from_secs(86_400)).unwrap();
    // Offers that drift first (they raise alerts), then any others.
    let drifting: BTreeSet<i64> = sandbox.changes(first, sandbox.now_ms()).iter().map(|c| c.offer_id).collect();
    let mut watched: Vec<i64> = drifting.iter().copied().take(size.offers).collect();
    for o in &sandbox.catalog().offers {
        if watched.len() >= size.offers {
            break;
        }
        if !drifting.contains(&o.id) {
            watched.push(o.id);
        }
    }
    // One call in ten fails: 5xx, resets, stalls past the client's 1 s timeout, throttles,
    // truncated and malformed bodies.
    let rates = FaultRates {
        http_500: 0.015,
        http_502: 0.01,
        http_503: 0.015,
        reset: 0.015,
        truncated: 0.015,
        malformed: 0.01,
        throttle: 0.015,
        stall: 0.005,
        stall_ms: 1_500,
        ..Default::default()
    };
    sandbox.set_faults(FaultPlan { seed: 13, all: Some(rates), ..Default::default() });

    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> =
        Arc::new(SqlStore::open(&format!("sqlite://{}", dir.path().join("soak.db").display())).await.unwrap());
    let rules = vec![AlertRule::AnyTierChange, AlertRule::SoldOut, AlertRule::BackInStock];
    let mut watch_of = BTreeMap::new();
    for &id in &watched {
        let watch = NewWatch { offer_id: Some(id), interval_secs: 86_400, rules: rules.clone(), ..Default::default() };
        watch_of.insert(store.add_watch(&watch, sandbox.now_ms()).await.unwrap(), id);
    }
    let secret = b"soak-webhook-secret-of-32-bytes!".to_vec();
    let (url, received) = receiver(secret.clone()).await;
    let retries = if size.default_retries {
        RetryPolicy::default()
    } else {
        RetryPolicy {
            base_delay: Duration::from_millis(20),
            throttle_base_delay: Duration::from_millis(50),
            ..RetryPolicy::default()
        }
    };
    let new_monitor = || {
        let client = client_builder(&sandbox)
            .rate_limits(RateLimits::unlimited())
            .retry_policy(retries.clone())
            .request_timeout(Duration::from_secs(1))
            .build()
            .unwrap();
        let hook = WebhookNotifier::new(url.clone(), secret.clone()).unwrap().attempts(1);
        Monitor::new(store.clone(), client, "soak").notify_with(Arc::new(hook))
    };

    let mut report = SoakReport::default();
    let mut monitor = new_monitor();
    let down_day = size.days / 2;
    for day in 0..=size.days {
        if day > 0 {
            sandbox.advance(Duration::from_secs(86_400)).unwrap();
        }
        received.lock().unwrap().down = day == down_day;
        let now = at(sandbox.now_ms());
        if day % 7 == 3 {
            // Killed in the middle of a cycle: a new monitor of the same worker resumes.
            let mut doomed = monitor;
            let task = tokio::spawn(async move { doomed.run_due(now).await.map(|_| doomed.stats()) });
            tokio::time::sleep(Duration::from_millis(20)).await;
            task.abort();
            if let Ok(Ok(stats)) = task.await {
                report.checks += stats.checks;
                report.failed_checks += stats.checks - stats.succeeded;
            } else {
                report.kills += 1;
            }
            monitor = new_monitor();
        }
        let before = monitor.stats();
        match monitor.run_due(now).await {
            Ok(_) => {}
            Err(e) => {
                eprintln!("day {day}: the cycle failed: {e}");
                report.crashes += 1;
            }
        }
        let after = monitor.stats();
        report.checks += after.checks - before.checks;
        report.failed_checks += (after.checks - after.succeeded) - (before.checks - before.succeeded);
        // Every watch that finished well today left exactly today's snapshot.
        let day_start = now.timestamp_millis() - 86_400_000 + 1;
        for w in store.watches().await.unwrap() {
            let offer = watch_of[&w.id];
            let today = store.history(offer, day_start).await.unwrap();
            if today.len() > 1 {
                report.duplicated_snapshots += 1;
            }
            if w.last_run_ms == Some(now.timestamp_millis()) && w.failures == 0 && today.is_empty() {
                report.lost_snapshots += 1;
            }
        }
    }
    // The receiver is back; deliveries still waiting (their retry not yet due) go out.
    monitor.run_due(at(sandbox.now_ms() + 2 * 3_600_000)).await.unwrap();

    // Alerts against the change log, between each offer's consecutive snapshots.
    let stored = stored_alerts(&*store, &watch_of).await;
    report.stored_alerts = stored.len() as u64;
    let mut want = BTreeSet::new();
    for &offer in watch_of.values() {
        let history = store.history(offer, 0).await.unwrap();
        report.snapshots += history.len() as u64;
        for pair in history.windows(2) {
            let (from, to) = (pair[0].at.timestamp_millis(), pair[1].at.timestamp_millis());
            let log: Vec<_> = sandbox.changes(from, to).into_iter().filter(|c| c.offer_id == offer).collect();
            want.extend(expected(&log).into_iter().map(|(o, rule)| (o, to, rule)));
        }
    }
    let got: BTreeSet<(i64, i64, String)> =
        stored.iter().map(|a| (a.offer_id, a.at.timestamp_millis(), a.rule.clone())).collect();
    report.expected_alerts = want.len() as u64;
    report.missed_alerts = want.difference(&got).map(|(o, _, r)| (*o, r.clone())).collect();
    report.false_alarms = got.difference(&want).map(|(o, _, r)| (*o, r.clone())).collect();

    // Alerts against what the receiver took.
    let rx = std::mem::take(&mut *received.lock().unwrap());
    report.deliveries = rx.by_id.len() as u64;
    report.redelivered = rx.by_id.values().filter(|(n, _)| *n > 1).count() as u64;
    report.refused = rx.refused;
    let mut seen: BTreeMap<(i64, i64, String), u32> = BTreeMap::new();
    for (_, alerts) in rx.by_id.values() {
        for a in alerts {
            *seen.entry((a.offer_id, a.at.timestamp_millis(), a.rule.clone())).or_default() += 1;
        }
    }
    report.undelivered_alerts = got.iter().filter(|k| !seen.contains_key(k)).count() as u64;
    report.alerts_in_two_deliveries = seen.values().filter(|n| **n > 1).count() as u64;
    let stats = sandbox.stats();
    report.calls = stats.total.calls;
    report.faults = stats.total.faults;
    report.seconds = started.elapsed().as_secs_f64();
    sandbox.shutdown().await;
    report
}

async fn stored_alerts(store: &dyn Store, watch_of: &BTreeMap<i64, i64>) -> Vec<Alert> {
    let mut all = Vec::new();
    for &watch in watch_of.keys() {
        all.extend(store.alerts(watch, 0).await.unwrap());
    }
    all
}
