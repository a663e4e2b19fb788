//! One test suite, run against SQLite, a real PostgreSQL (127.0.0.1:5432, database `test`; set
//! `OPEN1688_TEST_PG` to use another) and a real MariaDB or MySQL (127.0.0.1:3306, root, database
//! `test`; `OPEN1688_TEST_MYSQL`). Without a server its part is skipped with a message, except
//! under `CI=true`, where it must run.

use std::sync::Arc;

#[path = "suites/orders.rs"]
mod orders;
#[path = "suites/plan_carts.rs"]
mod plan_carts;
#[path = "suites/service_jobs.rs"]
mod service_jobs;
#[path = "suites/supplier_profiles.rs"]
mod supplier_profiles;

use chrono::{DateTime, Duration, Utc};
use open1688::{Token, TokenStore};
use open1688_store::{
    Alert, AlertQuery, AlertRule, FailurePolicy, NewWatch, Observation, RunProgress, RunStatus, Snapshot, SqlStore,
    Store,
};
use open1688_store::{EncryptedTokenStore, SecretKey};
use rust_decimal::Decimal;
use secrecy::ExposeSecret;
use sourcing::{Offer, PriceLadder};

fn offer(id: i64, ladder: &str, day: i64) -> Offer {
    let mut o = Offer::new(id, "不锈钢保温杯");
    o.ladder = Some(PriceLadder::parse(ladder).unwrap());
    o.moq = Some(2);
    o.stock = Some(100);
    o.status = Some("published".into());
    o.fetched_at = DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000 + day);
    o
}

async fn suite(store: &dyn Store, base_id: i64) {
    // Snapshots and change detection, in one transaction each; a repeat is ignored.
    let a = offer(base_id, "2-99:10.20;100+:9.80", 0);
    let first = store.record(&Observation::new(&a, &Snapshot::of(&a, None))).await.unwrap();
    assert!(first.inserted && first.changes.is_empty());
    let b = offer(base_id, "2-99:10.05;100+:9.80", 1);
    let second = store.record(&Observation::new(&b, &Snapshot::of(&b, None))).await.unwrap();
    assert_eq!(second.changes.len(), 1, "{:?}", second.changes);
    // The latest offer keeps its raw answer; its supplier is kept with an exact score.
    let mut supplier =
        sourcing::Supplier { company: Some("义乌丰源".into()), years_on_platform: Some(6), ..Default::default() };
    supplier.open_id = Some(format!("open-{base_id}"));
    let mut c = offer(base_id, "2-99:10.05;100+:9.80", 2);
    c.supplier.open_id = supplier.open_id.clone();
    let scored = Snapshot::of(&c, Some("87.25".parse().unwrap()));
    let raw = r#"{"offerId":1,"subject":"不锈钢保温杯"}"#;
    store.record(&Observation::new(&c, &scored).raw(raw).supplier(&supplier)).await.unwrap();
    let kept = store.offer(base_id).await.unwrap().unwrap();
    assert_eq!((kept.offer.supplier.open_id.as_deref(), kept.raw.as_deref()), (supplier.open_id.as_deref(), Some(raw)));
    let stored = store.supplier(&format!("open-{base_id}")).await.unwrap().unwrap();
    assert_eq!((stored.supplier, stored.score.map(|s| s.to_string())), (supplier, Some("87.25".to_owned())));
    let c2 = offer(base_id, "2-99:10.05;100+:9.80", 3);
    store.record(&Observation::new(&c2, &Snapshot::of(&c2, None))).await.unwrap();
    assert_eq!(store.offer(base_id).await.unwrap().unwrap().raw.as_deref(), Some(raw), "a record without raw keeps it");
    assert!(store.offer(base_id + 5_000_000).await.unwrap().is_none());
    let again = store.record(&Observation::new(&b, &Snapshot::of(&b, None))).await.unwrap();
    assert!(!again.inserted && again.changes.is_empty(), "no duplicate on a re-run");
    let history = store.history(base_id, 0).await.unwrap();
    assert_eq!(history.len(), 4);
    let history = &history[..2];
    assert_eq!(history[1].tiers[&2], "10.05".parse::<Decimal>().unwrap(), "money round-trips exactly");
    assert_eq!(history[1].tiers[&2].to_string(), "10.05");
    let prices = store.price_history(base_id, 0).await.unwrap();
    assert_eq!(prices.len(), 4);
    for (point, snap) in prices.iter().zip(history) {
        assert_eq!((point.at, &point.tiers, point.stock, point.moq), (snap.at, &snap.tiers, snap.stock, snap.moq));
        assert_eq!(point.status, snap.status);
    }
    assert_eq!(store.price_history(base_id, b.fetched_at.timestamp_millis()).await.unwrap().len(), 3);
    assert!(store.price_history(base_id + 1_000_000, 0).await.unwrap().is_empty());
    // Imported history reads back the same way.
    let mut imported = Snapshot::of(&b, None);
    imported.offer_id = base_id + 1;
    imported.status = None;
    assert_eq!(store.import_snapshots(std::slice::from_ref(&imported)).await.unwrap(), 1);
    let back = store.price_history(base_id + 1, 0).await.unwrap();
    assert_eq!((back.len(), &back[0].tiers, back[0].status.as_deref()), (1, &imported.tiers, None));

    // Watches: claim, lease, finish, back-off, snooze, remove.
    let now = 1_800_000_000_000;
    let rules = vec![AlertRule::PriceBelow { quantity: 10, target: Decimal::from(10) }, AlertRule::SoldOut];
    let id = store
        .add_watch(
            &NewWatch { offer_id: Some(base_id), interval_secs: 3600, rules: rules.clone(), ..Default::default() },
            now,
        )
        .await
        .unwrap();
    let listed = store.watches().await.unwrap();
    let mine = listed.iter().find(|w| w.id == id).unwrap();
    assert_eq!(mine.rules, rules);
    let claimed = store.claim_due("w1", now, 60_000, 100).await.unwrap();
    assert!(claimed.iter().any(|w| w.id == id));
    let again = store.claim_due("w2", now + 1_000, 60_000, 100).await.unwrap();
    assert!(!again.iter().any(|w| w.id == id), "claimed within the lease");
    // A long cycle renews its claims: past the first lease, w2 still cannot take the watch.
    assert!(store.renew_claims("w1", now + 50_000).await.unwrap() >= 1);
    let renewed = store.claim_due("w2", now + 70_000, 60_000, 100).await.unwrap();
    assert!(!renewed.iter().any(|w| w.id == id), "the renewed claim holds");
    assert!(
        store.finish(id, "w2", None, now, &FailurePolicy::default()).await.unwrap().is_none(),
        "only the claim's holder finishes"
    );
    assert_eq!(store.watches().await.unwrap().into_iter().find(|w| w.id == id).unwrap().last_run_ms, None);
    store.finish(id, "w1", None, now, &FailurePolicy::default()).await.unwrap();
    let w = store.watches().await.unwrap().into_iter().find(|w| w.id == id).unwrap();
    assert_eq!((w.next_due_ms, w.failures), (now + 3_600_000, 0));
    // Four failures keep the schedule; the fifth pauses the watch, each further one doubles it.
    let policy = FailurePolicy { pause_after: 5, cooldown_ms: 7_200_000, max_cooldown_ms: 86_400_000 };
    for n in 1..=8 {
        let finished = store.finish(id, "w1", Some("the gateway said no"), now, &policy).await.unwrap().unwrap();
        let w = store.watches().await.unwrap().into_iter().find(|w| w.id == id).unwrap();
        assert_eq!((w.failures, w.next_due_ms, finished.paused), (n, finished.next_due_ms, n >= 5));
        let expected = if n < 5 { 3_600_000 } else { (7_200_000i64 << (n - 5)).min(86_400_000) };
        assert_eq!(w.next_due_ms - now, expected, "after {n} failures");
        assert_eq!(w.last_error.as_deref(), Some("the gateway said no"), "a failing watch says why");
    }
    assert!(store.finish(id + 1_000_000, "w1", None, now, &policy).await.unwrap().is_none(), "a removed watch");
    // One watch read alone is the one listed; the database counts states as `Watch::state` does.
    let alone = store.watch(id).await.unwrap().expect("the watch by its id");
    assert_eq!(Some(&alone), store.watches().await.unwrap().iter().find(|w| w.id == id));
    assert_eq!(alone.state(now), open1688_store::WatchState::Paused);
    assert!(store.watch(id + 1_000_000).await.unwrap().is_none());
    let summary = store.watch_summary(now).await.unwrap();
    assert!(summary.paused >= 1 && summary.oldest_run_ms.is_some_and(|ms| ms <= now), "{summary:?}");
    let later = store.watch_summary(i64::MAX / 2).await.unwrap();
    assert_eq!((later.paused, later.snoozed), (0, 0), "pauses and snoozes end");
    assert_eq!(store.watch_page(0, 1).await.unwrap().len(), 1);
    assert!(store.watch_page(i64::MAX / 2, 10).await.unwrap().is_empty());
    assert!(store.snooze(id, now + 10).await.unwrap());
    assert_eq!(
        store.watches().await.unwrap().into_iter().find(|w| w.id == id).unwrap().snooze_until_ms,
        Some(now + 10)
    );

    // Alerts are stored once, with what they say as data.
    let mut alert = Alert::of(
        base_id,
        b.fetched_at,
        "price_below",
        open1688_store::AlertEvent::new(open1688_store::Happening::PriceBelow {
            quantity: 100,
            price: Decimal::new(1005, 2),
            target: Decimal::new(1100, 2),
        }),
    );
    alert.name_product("保温杯 500ml");
    assert_eq!(alert.message, "保温杯 500ml: ¥10.05 at 100 units, below the target ¥11.00");
    // Their deliveries are queued with them, one per channel (channels unique to this run: a
    // shared PostgreSQL keeps earlier runs' rows).
    let hook = format!("webhook-{base_id}");
    let mail = format!("email-{base_id}");
    let channels = [hook.as_str(), mail.as_str()];
    let new = store.save_alerts(id, std::slice::from_ref(&alert), &channels, now).await.unwrap();
    assert_eq!(new, vec![alert.clone()]);
    let again = store.save_alerts(id, std::slice::from_ref(&alert), &channels, now).await.unwrap();
    assert!(again.is_empty(), "a re-run adds no duplicate alert and queues nothing");
    assert_eq!(store.alerts_since(id, 0).await.unwrap(), 1);
    let kept = store.alerts(id, 0).await.unwrap();
    assert_eq!(kept, vec![alert.clone()], "the event comes back as it was stored");
    assert_eq!(kept[0].text(sourcing::Language::Zh), "保温杯 500ml：100 件的单价 ¥10.05，低于目标价 ¥11.00");
    let claimed = store.claim_deliveries("w1", &[hook.as_str()], now, 60_000, 10).await.unwrap();
    assert_eq!(claimed.len(), 1, "only the asked channel");
    let d = &claimed[0];
    assert_eq!((d.watch_id, &d.alerts, d.attempts), (id, &vec![alert.clone()], 0));
    assert_eq!(d.delivery_id, open1688_store::delivery_id(id, std::slice::from_ref(&alert)));
    assert!(
        store.claim_deliveries("w2", &[hook.as_str()], now + 59_999, 60_000, 10).await.unwrap().is_empty(),
        "a claimed delivery is not claimed again within its lease"
    );
    // A killed sender's claim runs out; a failed attempt is retried when asked, with the same id.
    let retaken = store.claim_deliveries("w2", &[hook.as_str()], now + 60_000, 60_000, 10).await.unwrap();
    assert_eq!(retaken.iter().map(|d| d.row).collect::<Vec<_>>(), vec![d.row]);
    store.delivery_failed(d.row, "HTTP 503", now + 120_000).await.unwrap();
    assert!(store.claim_deliveries("w2", &[hook.as_str()], now + 119_999, 1, 10).await.unwrap().is_empty());
    let retry = store.claim_deliveries("w2", &[hook.as_str()], now + 120_000, 60_000, 10).await.unwrap();
    assert_eq!((retry[0].attempts, &retry[0].delivery_id), (1, &d.delivery_id));
    store.delivered(d.row, now + 120_001).await.unwrap();
    assert!(store.claim_deliveries("w2", &[hook.as_str()], i64::MAX / 2, 1, 10).await.unwrap().is_empty(), "sent");
    let mail_due = store.claim_deliveries("w1", &[mail.as_str()], now, 60_000, 10).await.unwrap();
    assert_eq!(mail_due.len(), 1, "the other channel still waits");
    store.delivered(mail_due[0].row, now).await.unwrap();
    assert!(store.remove_watch(id).await.unwrap());
    assert!(!store.remove_watch(id).await.unwrap());

    // Watches that make no sense are refused with the reason.
    let rule = |r: AlertRule| NewWatch { offer_id: Some(1), interval_secs: 3600, rules: vec![r], ..Default::default() };
    let bad = [
        (rule(AlertRule::LowestInDays { quantity: 1, days: 100_000_000 }), "days 100000000 is outside 1..=3650"),
        (rule(AlertRule::PriceBelow { quantity: i64::MAX, target: Decimal::ONE }), "quantity 9223372036854775807"),
        (rule(AlertRule::PriceAbove { quantity: 1, target: Decimal::ZERO }), "target 0 is outside"),
        (rule(AlertRule::PercentChange { quantity: 1, percent: Decimal::MAX }), "percent"),
        (rule(AlertRule::StockBelow { units: -5 }), "units -5"),
        (NewWatch { offer_id: Some(1), interval_secs: i64::MAX, ..Default::default() }, "one year"),
        (NewWatch { offer_id: Some(1), interval_secs: 3600, max_per_day: Some(0), ..Default::default() }, "at least 1"),
    ];
    for (watch, why) in bad {
        let err = store.add_watch(&watch, now).await.unwrap_err().to_string();
        assert!(err.contains(why), "{err} should say {why}");
    }
    let bad = [
        (NewWatch { interval_secs: 3600, ..Default::default() }, "either an offer id or a keyword"),
        (NewWatch { keyword: Some(" ".into()), interval_secs: 3600, ..Default::default() }, "keyword is empty"),
        (NewWatch { offer_id: Some(1), interval_secs: 5, ..Default::default() }, "60 s minimum"),
        (
            NewWatch {
                keyword: Some("杯".into()),
                interval_secs: 3600,
                rules: vec![AlertRule::SoldOut],
                ..Default::default()
            },
            "rule sold_out needs an offer watch",
        ),
        (
            NewWatch { offer_id: Some(1), interval_secs: 3600, rules: vec![AlertRule::NewOffer], ..Default::default() },
            "rule new_offer needs a keyword watch",
        ),
    ];
    for (watch, why) in bad {
        let err = store.add_watch(&watch, now).await.unwrap_err();
        assert!(err.to_string().contains(why), "{err}");
    }
    jobs_suite(store, now).await;
}

/// Job runs: a killed run is found by the worker's next run, which takes back its claims.
async fn jobs_suite(store: &dyn Store, now: i64) {
    let worker = format!("worker-{now}");
    let watch = NewWatch { keyword: Some("保温杯".into()), interval_secs: 600, ..Default::default() };
    let id = store.add_watch(&watch, now).await.unwrap();
    let first = store.start_run("monitor", &worker, now).await.unwrap();
    assert!(first.interrupted.is_empty());
    assert!(store.claim_due(&worker, now, 600_000, 10).await.unwrap().iter().any(|w| w.id == id));
    let progress = RunProgress { checks: 1, succeeded: 0, alerts: 0 };
    store.heartbeat(first.id, progress, now + 5).await.unwrap();
    // The worker dies here. Its next run marks the run interrupted and releases the claim.
    let second = store.start_run("monitor", &worker, now + 60_000).await.unwrap();
    assert_eq!((second.interrupted, second.released_claims), (vec![first.id], 1));
    assert!(store.claim_due(&worker, now + 60_000, 600_000, 10).await.unwrap().iter().any(|w| w.id == id));
    store.finish(id, &worker, None, now + 60_000, &FailurePolicy::default()).await.unwrap();
    store.finish_run(second.id, RunStatus::Completed, progress, now + 61_000).await.unwrap();
    let runs = store.runs(10).await.unwrap();
    let status = |run: i64| runs.iter().find(|r| r.id == run).map(|r| (r.status, r.progress, r.worker.clone()));
    assert_eq!(status(first.id), Some((RunStatus::Interrupted, progress, worker.clone())));
    assert_eq!(status(second.id), Some((RunStatus::Completed, progress, worker.clone())));

    // Checkpoints hold the latest value.
    let name = format!("watch:{id}:results");
    assert_eq!(store.checkpoint(&name).await.unwrap(), None);
    store.set_checkpoint(&name, "{\"1\":1}", now).await.unwrap();
    store.set_checkpoint(&name, "{\"1\":2}", now + 1).await.unwrap();
    assert_eq!(store.checkpoint(&name).await.unwrap().as_deref(), Some("{\"1\":2}"));
    store.remove_watch(id).await.unwrap();
}

/// Pushes: each msgId once; a product push makes its offers' watches due.
async fn push_suite(store: &SqlStore, base: i64) {
    let raw =
        format!(r#"{{"msgId":{base},"type":"PRODUCT_RELATION_VIEW_PRODUCT_CHANGE","data":{{"productIds":"{base}"}}}}"#);
    let push = open1688::types::push::decode_envelope(&raw).unwrap();
    assert_eq!(push.offer_ids, vec![base]);
    assert!(store.record_push(&push, 5).await.unwrap());
    assert!(!store.record_push(&push, 6).await.unwrap(), "a redelivery stores nothing");
    let id = store
        .add_watch(&NewWatch { offer_id: Some(base), interval_secs: 3600, ..Default::default() }, 1_000)
        .await
        .unwrap();
    store.finish(id, "w", None, 1_000, &FailurePolicy::default()).await.unwrap();
    assert_eq!(store.make_due(&push.offer_ids, 2_000).await.unwrap(), 1);
    let w = store.watches().await.unwrap().into_iter().find(|w| w.id == id).unwrap();
    assert_eq!(w.next_due_ms, 2_000, "due now instead of in an hour");
    // Replaced in place: what and how, due now; an unknown id or a bad watch changes nothing.
    let replaced = NewWatch { keyword: Some("杯".into()), interval_secs: 7_200, ..Default::default() };
    assert!(store.replace_watch(id, &replaced, 3_000).await.unwrap());
    let w = store.watches().await.unwrap().into_iter().find(|w| w.id == id).unwrap();
    assert_eq!((w.offer_id, w.keyword.as_deref(), w.interval_secs, w.next_due_ms), (None, Some("杯"), 7_200, 3_000));
    assert!(!store.replace_watch(-1, &replaced, 3_000).await.unwrap());
    assert!(store.replace_watch(id, &NewWatch { interval_secs: 7_200, ..Default::default() }, 4_000).await.is_err());
    store.remove_watch(id).await.unwrap();
}

/// The service-wide alert log: newest first, filtered, acknowledged once.
async fn alert_log_suite(store: &SqlStore, base: i64) {
    // Lists name offers by their recorded title and main picture, a page of them at once.
    let mut pictured = offer(base + 7, "1+:5.00", 0);
    pictured.images = vec!["https://cbu01.alicdn.com/a.jpg".into(), "https://cbu01.alicdn.com/b.jpg".into()];
    store.record(&Observation::new(&pictured, &Snapshot::of(&pictured, None))).await.unwrap();
    let labels = store.offer_labels(&[base + 7, base + 7, -1]).await.unwrap();
    assert_eq!(labels.len(), 1, "an unknown id is left out: {labels:?}");
    assert_eq!(
        labels[&(base + 7)],
        open1688_store::OfferLabel {
            title: "不锈钢保温杯".into(),
            picture: Some("https://cbu01.alicdn.com/a.jpg".into())
        }
    );
    let watch = |offer| NewWatch { offer_id: Some(offer), interval_secs: 3600, ..Default::default() };
    let (w1, w2) =
        (store.add_watch(&watch(base), 0).await.unwrap(), store.add_watch(&watch(base + 1), 0).await.unwrap());
    let at = |ms| DateTime::<Utc>::from_timestamp_millis(ms).unwrap();
    let alert = |offer, ms, rule: &str| Alert {
        offer_id: offer,
        at: at(ms),
        rule: rule.into(),
        message: "m".into(),
        order_id: None,
        event: None,
    };
    store
        .save_alerts(w1, &[alert(base, 1_000, "sold_out"), alert(base, 3_000, "back_in_stock")], &[], 0)
        .await
        .unwrap();
    store.save_alerts(w2, &[alert(base + 1, 2_000, "price_below")], &[], 0).await.unwrap();
    let all = |q: AlertQuery| async move {
        let mut rows = store.alert_log(&q).await.unwrap();
        rows.retain(|a| a.watch_id == w1 || a.watch_id == w2);
        rows
    };
    let every = all(AlertQuery { limit: 100, ..Default::default() }).await;
    let times: Vec<i64> = every.iter().map(|a| a.alert.at.timestamp_millis()).collect();
    assert_eq!(times, [3_000, 2_000, 1_000], "newest first");
    let mine = all(AlertQuery { watch_id: Some(w2), limit: 100, ..Default::default() }).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(all(AlertQuery { since_ms: 2_000, limit: 100, ..Default::default() }).await.len(), 2);

    let first = store.acknowledge_alert(every[0].id, "erp", 5_000).await.unwrap().unwrap();
    assert_eq!(
        (first.acknowledged_at.map(|t| t.timestamp_millis()), first.acknowledged_by.as_deref()),
        (Some(5_000), Some("erp"))
    );
    let again = store.acknowledge_alert(every[0].id, "someone else", 9_000).await.unwrap().unwrap();
    assert_eq!(again, first, "the first acknowledgement stays");
    assert!(store.acknowledge_alert(-1, "erp", 5_000).await.unwrap().is_none());
    let open = all(AlertQuery { unacknowledged: true, limit: 100, ..Default::default() }).await;
    assert_eq!(open.len(), 2);
    assert!(open.iter().all(|a| a.id != every[0].id));
    // What live streams read: every alert after an id, in id order, whoever stored it.
    let oldest = every.iter().map(|a| a.id).min().unwrap();
    let after: Vec<i64> = store.alerts_after(oldest - 1, 1_000).await.unwrap().iter().map(|a| a.id).collect();
    let mut ids: Vec<i64> = every.iter().map(|a| a.id).collect();
    ids.sort_unstable();
    assert_eq!(after.iter().filter(|id| ids.contains(id)).copied().collect::<Vec<_>>(), ids, "in id order");
    assert!(store.newest_alert_id().await.unwrap() >= *ids.last().unwrap());
    assert_eq!(store.alerts_after(oldest, 1).await.unwrap().len(), 1, "at most the limit");
    for id in [w1, w2] {
        store.remove_watch(id).await.unwrap();
    }
}

/// API keys: shown once, stored hashed, refused when altered or revoked.
async fn keys_suite(store: &SqlStore) {
    use open1688_store::Scope;
    let made = store.add_api_key(" erp ", Scope::Write, 7).await.unwrap();
    assert_eq!((made.key.name.as_str(), made.key.scope), ("erp", Scope::Write));
    assert!(made.text.starts_with(&format!("o1688_{}_", made.key.id)));
    assert_eq!(store.authenticate_api_key(&made.text).await.unwrap(), Some(made.key.clone()));
    let secret = made.text.rsplit('_').next().unwrap();
    let listed = store.api_keys().await.unwrap();
    assert!(listed.iter().any(|k| k.id == made.key.id));
    // Nothing stored or listed carries the secret.
    assert!(!format!("{listed:?}").contains(secret));
    let mut altered = made.text.clone();
    altered.pop();
    altered.push(if made.text.ends_with('0') { '1' } else { '0' });
    assert_eq!(store.authenticate_api_key(&altered).await.unwrap(), None, "another secret");
    let other_id = made.text.replacen(&format!("_{}_", made.key.id), &format!("_{}_", made.key.id + 100_000), 1);
    assert_eq!(store.authenticate_api_key(&other_id).await.unwrap(), None, "another id");
    assert_eq!(store.authenticate_api_key("Bearer nonsense").await.unwrap(), None);
    assert!(store.revoke_api_key(made.key.id, 9).await.unwrap());
    assert!(!store.revoke_api_key(made.key.id, 9).await.unwrap(), "revoked once");
    assert_eq!(store.authenticate_api_key(&made.text).await.unwrap(), None, "revoked");
    assert!(store.add_api_key("  ", Scope::Read, 7).await.unwrap_err().to_string().contains("needs a name"));
}

/// Tokens are stored encrypted: readable with the key, refused with another, never in clear.
async fn token_suite(store: Arc<SqlStore>) {
    let key = SecretKey::from_hex(&"ab".repeat(32)).unwrap();
    let tokens = EncryptedTokenStore::new(store.clone(), "1000000", key);
    assert!(tokens.load().await.unwrap().is_none());
    let mut token = Token::from_access_token("AT-secret-value");
    token.refresh_token = Some("RT-secret-value".to_owned().into());
    token.member_id = Some("b2b-1".into());
    tokens.save(&token).await.unwrap();
    let back = tokens.load().await.unwrap().unwrap();
    assert_eq!(back.access_token.expose_secret(), "AT-secret-value");
    assert_eq!(back.refresh_token.unwrap().expose_secret(), "RT-secret-value");
    let (_, sealed) = store.load_sealed("1000000").await.unwrap().unwrap();
    assert!(!sealed.contains("secret-value"), "ciphertext only");
    let wrong = EncryptedTokenStore::new(store.clone(), "1000000", SecretKey::from_hex(&"cd".repeat(32)).unwrap());
    let err = wrong.load().await.unwrap_err();
    assert!(err.to_string().contains("cannot be decrypted"), "{err}");
    // A row copied under another app key does not decrypt there: the app key is bound to it.
    let (nonce, sealed) = store.load_sealed("1000000").await.unwrap().unwrap();
    store.save_sealed("2000000", &nonce, &sealed, 0).await.unwrap();
    let other = EncryptedTokenStore::new(store.clone(), "2000000", SecretKey::from_hex(&"ab".repeat(32)).unwrap());
    assert!(other.load().await.unwrap_err().to_string().contains("another app key"));
    other.clear().await.unwrap();
    // A row sealed before rows were bound (no associated data) still reads, and is sealed again,
    // bound, on that first read.
    {
        use aes_gcm::aead::{Aead, KeyInit};
        use base64::Engine;
        let cipher = aes_gcm::Aes256Gcm::new_from_slice(&[0xab; 32]).unwrap();
        let nonce = [7u8; 12];
        let plain = br#"{"access_token":"AT-old","refresh_token":null}"#;
        let old = cipher.encrypt(aes_gcm::Nonce::from_slice(&nonce), plain.as_ref()).unwrap();
        let b64 = base64::engine::general_purpose::STANDARD;
        store.save_sealed("1000000", &b64.encode(nonce), &b64.encode(old), 0).await.unwrap();
    }
    assert_eq!(tokens.load().await.unwrap().unwrap().access_token.expose_secret(), "AT-old");
    let (nonce, _) = store.load_sealed("1000000").await.unwrap().unwrap();
    assert!(nonce.starts_with("v2:"), "upgraded on read: {nonce}");
    assert_eq!(tokens.load().await.unwrap().unwrap().access_token.expose_secret(), "AT-old");
    tokens.clear().await.unwrap();
    assert!(tokens.load().await.unwrap().is_none());
}

/// The response cache kept in the store: fresh answers only, each namespace apart, TTL left,
/// replacement, statistics per API, pruning and clearing.
async fn cache_suite(store: Arc<SqlStore>) {
    use open1688::{ResponseCache, SecondLevelCache};
    use open1688_store::StoreCache;
    let now = 1_900_000_000_000;
    let detail = "ns:product.search.queryProductDetail-1\u{1f}offerId=1";
    store.cache_response("app-a", detail, b"{\"a\":1}", now, now + 60_000).await.unwrap();
    store
        .cache_response("app-a", "ns:product.search.keywordQuery-1\u{1f}q=x", b"[1,2]", now, now + 1_000)
        .await
        .unwrap();
    let (body, left) = store.cached_response("app-a", detail, now + 10_000).await.unwrap().unwrap();
    assert_eq!((body.as_slice(), left), (&b"{\"a\":1}"[..], 50_000));
    assert!(store.cached_response("app-b", detail, now).await.unwrap().is_none(), "namespaces never mix");
    assert!(store.cached_response("app-a", detail, now + 60_000).await.unwrap().is_none(), "expired is a miss");
    store.cache_response("app-a", detail, b"{\"a\":2}", now + 5, now + 90_000).await.unwrap();
    assert_eq!(store.cached_response("app-a", detail, now + 70_000).await.unwrap().unwrap().0, b"{\"a\":2}");

    let stats = store.response_cache_stats(now + 2_000).await.unwrap();
    assert_eq!((stats.fresh, stats.expired, stats.bytes), (1, 1, 12));
    assert_eq!(stats.by_api.len(), 1);
    assert_eq!(stats.by_api[0].api, "ns:product.search.queryProductDetail-1");
    assert_eq!((stats.by_api[0].entries, stats.by_api[0].bytes), (1, 7));
    assert_eq!(stats.oldest_fresh_age_ms, Some(1_995));
    assert_eq!(store.clear_response_cache(true, now + 2_000).await.unwrap(), 1, "only the expired row goes");
    assert_eq!(store.clear_response_cache(false, now).await.unwrap(), 1);
    assert_eq!(store.response_cache_stats(now).await.unwrap(), Default::default());

    // Through the client's trait, on the wall clock.
    let cache = StoreCache::new(store.clone(), "app-c");
    cache.put("k", bytes::Bytes::from_static(b"body"), std::time::Duration::from_secs(60)).await;
    let (body, left) = cache.get_with_ttl("k").await.unwrap();
    assert_eq!(body.as_ref(), b"body");
    assert!(left <= std::time::Duration::from_secs(60) && left > std::time::Duration::from_secs(50), "{left:?}");
    cache.remove("k").await;
    assert!(cache.get("k").await.is_none());
    store.clear_response_cache(false, now).await.unwrap();
}

/// The catalog: entries replace each other and merge their sources, ages are banded, and stale
/// entries come most overdue first with watched offers on their own target.
async fn catalog_suite(store: &SqlStore, base: i64) {
    use open1688_store::{CatalogEntry, CatalogStore};
    let now = 1_950_000_000_000;
    let entry = |id: i64, age_ms: i64, source: &str| {
        let mut o = offer(id, "2-99:10.20;100+:9.80", 0);
        o.shipping.ship_from = Some("浙江省 义乌市".into());
        CatalogEntry {
            offer: o,
            supplier: sourcing::Supplier { identities: vec!["super_factory".into()], ..Default::default() },
            score: Some("71.5".parse().unwrap()),
            band: Some("good".into()),
            attributes: sourcing::SpecRules::default().standardize_all([("容量", "0.35L")]),
            sources: vec![source.to_owned()],
            fetched_ms: now - age_ms,
        }
    };
    let minute = 60_000;
    store.put_catalog_entry(&entry(base, 5 * minute, "keyword:保温杯")).await.unwrap();
    store.put_catalog_entry(&entry(base, 2 * minute, "keyword:水杯")).await.unwrap();
    let kept = store.catalog_entry(base).await.unwrap().unwrap();
    assert_eq!(kept.sources, ["keyword:水杯", "keyword:保温杯"], "one entry, both crawls");
    assert_eq!(kept.fetched_ms, now - 2 * minute);
    assert_eq!(kept.attributes[0].value, "350 ml");
    assert_eq!(kept.lowest_price(), Some("9.80".parse().unwrap()));
    store.put_catalog_entry(&entry(base + 1, 30 * minute, "keyword:保温杯")).await.unwrap();
    store.put_catalog_entry(&entry(base + 2, 3 * 60 * minute, "keyword:保温杯")).await.unwrap();
    store.put_catalog_entry(&entry(base + 3, 48 * 60 * minute, "keyword:保温杯")).await.unwrap();

    let age = store.catalog_age(now).await.unwrap();
    assert_eq!((age.entries, age.under_10_min, age.under_1_h, age.under_24_h, age.older), (4, 1, 1, 1, 1));
    assert_eq!(age.oldest_ms, Some(48 * 60 * minute));
    let done = store.catalog_fetched_since(&[base, base + 1, base + 2, base + 9], now - 40 * minute).await.unwrap();
    assert_eq!(done, [base, base + 1].into_iter().collect());
    let all = store.catalog_entries(0, 10).await.unwrap();
    assert_eq!(all.iter().map(|e| e.offer.id).collect::<Vec<_>>(), [base, base + 1, base + 2, base + 3]);

    // Watched: 10 minutes; others: 24 hours. The watched 30-minute-old entry is stale (3× its
    // target) and goes first, the 2-day-old one (2×) next; the 3-hour-old unwatched one is fresh.
    store
        .add_watch(&NewWatch { offer_id: Some(base + 1), interval_secs: 600, ..Default::default() }, now)
        .await
        .unwrap();
    let stale = store.stale_entries(now, 10 * minute, 24 * 60 * minute, 10).await.unwrap();
    let ids: Vec<(i64, bool)> = stale.iter().map(|s| (s.offer_id, s.watched)).collect();
    assert_eq!(ids, [(base + 1, true), (base + 3, false)]);
    assert_eq!(stale[0].age_ms, 30 * minute);
    assert_eq!(store.catalog_age(now + 1).await.unwrap().entries, 4);
}

#[tokio::test]
async fn sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqlStore::open(&format!("sqlite://{}", dir.path().join("open1688.db").display())).await.unwrap();
    suite(&store, 1).await;
    // Reopening applies no migration twice and keeps the data.
    drop(store);
    let store = SqlStore::open(&format!("sqlite://{}", dir.path().join("open1688.db").display())).await.unwrap();
    assert_eq!(store.history(1, 0).await.unwrap().len(), 4);
    keys_suite(&store).await;
    push_suite(&store, 9_100_000_001).await;
    alert_log_suite(&store, 9_100_100_001).await;
    catalog_suite(&store, 9_300_000_001).await;
    orders::order_suite(&store, 9_400_000_001).await;
    service_jobs::service_job_suite(&store, 9_500_000_001).await;
    supplier_profiles::supplier_profile_suite(&store, 9_600_000_001).await;
    plan_carts::plan_cart_suite(&store, 9_700_000_001).await;
    let store = Arc::new(store);
    cache_suite(store.clone()).await;
    token_suite(store).await;
}

/// A PostgreSQL URL with a fresh schema for this run (and the schema, to drop), or `None` (skip)
/// when no server answers.
#[cfg(feature = "postgres")]
async fn postgres_url() -> Option<(String, String, sqlx::PgPool)> {
    let base = std::env::var("OPEN1688_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = format!("t{}_{}", std::process::id(), Utc::now().timestamp_millis());
    let pool = match sqlx::PgPool::connect(&base).await {
        Ok(p) => p,
        Err(e) if std::env::var("CI").as_deref() == Ok("true") => panic!("PostgreSQL must run under CI=true: {e}"),
        Err(e) => {
            eprintln!("SKIPPED: no PostgreSQL at {base} ({e}); start it to run the PostgreSQL half");
            return None;
        }
    };
    sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&pool).await.unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    Some((format!("{base}{sep}options=-c%20search_path%3D{schema}"), schema, pool))
}

/// Everything a server database must do beyond what SQLite does, from two stores on `url`:
/// the whole suite, then two monitors claiming at once (each due watch goes to exactly one).
async fn server_suite(url: &str) {
    let store = SqlStore::open(url).await.unwrap();
    suite(&store, 1).await;
    keys_suite(&store).await;
    let base = 9_200_000_000 + chrono::Utc::now().timestamp_millis() % 1_000_000_000;
    push_suite(&store, base).await;
    alert_log_suite(&store, base + 100_000).await;
    catalog_suite(&store, base + 200_000).await;
    orders::order_suite(&store, base + 300_000).await;
    service_jobs::service_job_suite(&store, base + 400_000).await;
    supplier_profiles::supplier_profile_suite(&store, base + 500_000).await;
    plan_carts::plan_cart_suite(&store, base + 600_000).await;
    cache_suite(Arc::new(SqlStore::open(url).await.unwrap())).await;
    token_suite(Arc::new(SqlStore::open(url).await.unwrap())).await;

    let now = 1_900_000_000_000;
    let mut ids = Vec::new();
    for i in 0..40 {
        ids.push(
            store
                .add_watch(&NewWatch { offer_id: Some(1000 + i), interval_secs: 60, ..Default::default() }, now)
                .await
                .unwrap(),
        );
    }
    let other = SqlStore::open(url).await.unwrap();
    let (a, b) = tokio::join!(store.claim_due("a", now, 60_000, 25), other.claim_due("b", now, 60_000, 25));
    let (a, b) = (a.unwrap(), b.unwrap());
    let mut all: Vec<i64> = a.iter().chain(&b).map(|w| w.id).collect();
    all.sort_unstable();
    let before = all.len();
    all.dedup();
    assert_eq!(before, all.len(), "no watch claimed twice");
    assert_eq!(all.len(), 40, "every due watch claimed once");
}

#[cfg(feature = "postgres")]
#[tokio::test]
async fn postgres() {
    let Some((url, schema, admin)) = postgres_url().await else { return };
    server_suite(&url).await;
    sqlx::query(&format!("DROP SCHEMA {schema} CASCADE")).execute(&admin).await.unwrap();
}

/// A MySQL/MariaDB URL with a fresh database for this run (and the database, to drop), or `None`
/// (skip) when no server answers.
#[cfg(feature = "mysql")]
async fn mysql_url() -> Option<(String, String, sqlx::MySqlPool)> {
    let base = std::env::var("OPEN1688_TEST_MYSQL").unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into());
    let database = format!("t{}_{}", std::process::id(), Utc::now().timestamp_millis());
    let pool = match sqlx::MySqlPool::connect(&base).await {
        Ok(p) => p,
        Err(e) if std::env::var("CI").as_deref() == Ok("true") => panic!("MariaDB/MySQL must run under CI=true: {e}"),
        Err(e) => {
            eprintln!("SKIPPED: no MySQL/MariaDB at {base} ({e}); start it to run the MySQL third");
            return None;
        }
    };
    sqlx::query(&format!("CREATE DATABASE {database}")).execute(&pool).await.unwrap();
    let (server, _) = base.rsplit_once('/').expect("a MySQL URL names its database");
    Some((format!("{server}/{database}"), database, pool))
}

#[cfg(feature = "mysql")]
#[tokio::test]
async fn mysql() {
    let Some((url, database, admin)) = mysql_url().await else { return };
    server_suite(&url).await;
    // The same URL spelled for MariaDB opens the same database, and migrates nothing twice.
    let again = SqlStore::open(&url.replacen("mysql://", "mariadb://", 1)).await.unwrap();
    assert_eq!(again.history(1, 0).await.unwrap().len(), 4);
    sqlx::query(&format!("DROP DATABASE {database}")).execute(&admin).await.unwrap();
}

/// A database from before the compact history lines gets them filled in by the migration.
#[tokio::test]
async fn the_history_line_migration_fills_existing_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old-migrations");
    std::fs::create_dir(&old).unwrap();
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
    for name in ["0001_init.sql", "0002_tokens.sql", "0003_jobs.sql"] {
        std::fs::copy(source.join(name), old.join(name)).unwrap();
    }
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::migrate::Migrator::new(old.as_path()).await.unwrap().run(&pool).await.unwrap();
    let a = offer(7, "2-99:10.20;100+:9.80", 0);
    let snap = Snapshot::of(&a, None);
    sqlx::query("INSERT INTO snapshots (offer_id, at_ms, stock, moq, status, data) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(7i64)
        .bind(snap.at.timestamp_millis())
        .bind(snap.stock)
        .bind(snap.moq)
        .bind(snap.status.clone())
        .bind(serde_json::to_string(&snap).unwrap())
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let store = SqlStore::open(&url.replace("?mode=rwc", "")).await.unwrap();
    let points = store.price_history(7, 0).await.unwrap();
    assert_eq!(points.len(), 1);
    assert_eq!((&points[0].tiers, points[0].stock, points[0].moq), (&snap.tiers, snap.stock, snap.moq));
    assert_eq!(points[0].status.as_deref(), Some("published"));
}
