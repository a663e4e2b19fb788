//! No lost alert: alerts are stored with their pending deliveries, so a monitor whose receiver is
//! down (or that is killed before sending) leaves them queued, and the next run — of the same
//! monitor or another — sends each delivery, with the same delivery id, until the receiver takes it.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use open1688::RateLimits;
use open1688_monitor::{Monitor, Notifier, NotifyError};
use open1688_sandbox::Sandbox;
use open1688_store::{Alert, AlertRule, NewWatch, SqlStore, Store};
use support::sandbox_client::client_builder;

/// A receiver that is up or down, and records what it took by delivery id.
#[derive(Default)]
struct Receiver {
    down: Mutex<bool>,
    taken: Mutex<Vec<(String, Vec<Alert>)>>,
}

struct Hook(Arc<Receiver>);

#[async_trait]
impl Notifier for Hook {
    fn channel(&self) -> &'static str {
        "webhook"
    }

    async fn notify(&self, delivery_id: &str, alerts: &[Alert]) -> Result<(), NotifyError> {
        if *self.0.down.lock().unwrap() {
            return Err(NotifyError::Unreachable { channel: "webhook", attempts: 1, last: "HTTP 503".into() });
        }
        self.0.taken.lock().unwrap().push((delivery_id.to_owned(), alerts.to_vec()));
        Ok(())
    }
}

fn at(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap()
}

#[tokio::test]
async fn alerts_raised_while_the_receiver_is_down_are_delivered_once_it_is_back() {
    let sandbox = Sandbox::builder()
        .catalog_size(2_000, 200)
        .simulated_clock(None)
        .drift_share(0.5)
        .quotas_off()
        .start()
        .await
        .unwrap();
    let start = sandbox.now_ms();
    sandbox.advance(Duration::from_secs(86_400)).unwrap();
    let drifting: BTreeSet<i64> = sandbox.changes(start, sandbox.now_ms()).iter().map(|c| c.offer_id).collect();
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> =
        Arc::new(SqlStore::open(&format!("sqlite://{}", dir.path().join("o.db").display())).await.unwrap());
    for &id in drifting.iter().take(15) {
        let rules = vec![AlertRule::AnyTierChange, AlertRule::SoldOut, AlertRule::BackInStock];
        let watch = NewWatch { offer_id: Some(id), interval_secs: 86_400, rules, ..Default::default() };
        store.add_watch(&watch, sandbox.now_ms()).await.unwrap();
    }
    let receiver = Arc::new(Receiver::default());
    let client = || client_builder(&sandbox).rate_limits(RateLimits::unlimited()).build().unwrap();

    // A monitor whose receiver is down for three days: its alerts are stored and queued.
    *receiver.down.lock().unwrap() = true;
    let mut first = Monitor::new(store.clone(), client(), "a").notify_with(Arc::new(Hook(receiver.clone())));
    first.run_due(at(sandbox.now_ms())).await.unwrap();
    let mut raised = Vec::new();
    for _ in 0..3 {
        sandbox.advance(Duration::from_secs(86_400)).unwrap();
        raised.extend(first.run_due(at(sandbox.now_ms())).await.unwrap());
    }
    assert!(raised.len() >= 3, "three days of drift raise alerts: {raised:?}");
    let stats = first.stats();
    assert_eq!(stats.delivered, 0);
    assert!(stats.delivery_failures > 0 && stats.pending_deliveries > 0, "{stats:?}");
    assert!(receiver.taken.lock().unwrap().is_empty());
    // The first monitor is gone (as if killed); another one, with the receiver back, sends what
    // waited before it checks anything, even with no watch due.
    drop(first);
    *receiver.down.lock().unwrap() = false;
    let mut second = Monitor::new(store.clone(), client(), "b").notify_with(Arc::new(Hook(receiver.clone())));
    let later = sandbox.now_ms() + 2 * 3_600_000;
    second.run_due(at(later)).await.unwrap();
    let taken = receiver.taken.lock().unwrap().clone();
    let by_id: BTreeMap<&str, &Vec<Alert>> = taken.iter().map(|(id, alerts)| (id.as_str(), alerts)).collect();
    assert_eq!(by_id.len(), taken.len(), "each delivery id arrives once");
    let delivered: Vec<&Alert> = taken.iter().flat_map(|(_, alerts)| alerts).collect();
    let mut want: Vec<&Alert> = raised.iter().collect();
    let key = |a: &&Alert| (a.offer_id, a.at, a.rule.clone());
    want.sort_by_key(key);
    let mut got = delivered.clone();
    got.sort_by_key(key);
    assert_eq!(got, want, "every raised alert is delivered, none twice");
    assert_eq!(second.stats().pending_deliveries, 0);
    // Another pass sends nothing again.
    second.run_due(at(later + 60_000)).await.unwrap();
    assert_eq!(receiver.taken.lock().unwrap().len(), taken.len());
    sandbox.shutdown().await;
}
