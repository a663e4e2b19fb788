//! Jobs over the store alone (a temporary SQLite file, no gateway): watches from a buyer's terms,
//! their state as the monitor left it, snoozing, and history.

use chrono::{Duration, Utc};
use open1688_jobs::watches::{WatchRequest, add_watch, list_watches, parse_rules, remove_watch, snooze_watch};
use open1688_jobs::{ErrorKind, JobError};
use open1688_store::{AlertRule, FailurePolicy, SqlStore, Store, WatchState};

async fn store() -> (tempfile::TempDir, SqlStore) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("store.db").display());
    (dir, SqlStore::open(&url).await.unwrap())
}

#[tokio::test]
async fn a_watch_is_paused_as_its_monitor_decided_not_by_the_default_policy() {
    let (_dir, store) = store().await;
    let now = Utc::now();
    let request =
        WatchRequest { offer: Some(42), below: Some("8".parse().unwrap()), at: 100, ..WatchRequest::default() };
    let added = add_watch(&store, &request, now).await.unwrap();
    let list = list_watches(&store, now).await.unwrap();
    assert_eq!(list.watches[0].rules, ["price_below"]);
    assert_eq!(list.watches[0].state, WatchState::Active);

    // A monitor that pauses after 2 failures (the default is 5).
    let policy = FailurePolicy { pause_after: 2, ..FailurePolicy::default() };
    for _ in 0..2 {
        store.finish(added.id, "monitor", Some("gateway timeout"), now.timestamp_millis(), &policy).await.unwrap();
    }
    let row = &list_watches(&store, now).await.unwrap().watches[0];
    assert_eq!((row.failures, row.state, row.last_error.as_deref()), (2, WatchState::Paused, Some("gateway timeout")));
    assert_eq!(list_watches(&store, now + Duration::days(2)).await.unwrap().watches[0].state, WatchState::Active);
    store.finish(added.id, "monitor", None, now.timestamp_millis(), &policy).await.unwrap();
    let row = &list_watches(&store, now).await.unwrap().watches[0];
    assert_eq!((row.state, row.last_error.as_deref()), (WatchState::Active, None), "a success resumes it");

    snooze_watch(&store, added.id, 3, now).await.unwrap();
    assert_eq!(list_watches(&store, now).await.unwrap().watches[0].state, WatchState::Snoozed);
    remove_watch(&store, added.id).await.unwrap();
    assert!(matches!(remove_watch(&store, added.id).await, Err(JobError::NotFound(_))));
}

#[tokio::test]
async fn rules_that_do_not_fit_and_bad_terms_are_refused_with_the_reason() {
    let (_dir, store) = store().await;
    let now = Utc::now();
    let keyword = WatchRequest { keyword: Some("保温杯".into()), stock_below: Some(5), ..WatchRequest::default() };
    let err = add_watch(&store, &keyword, now).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(err.to_string().contains("stock_below needs an offer watch"), "{err}");
    let never = WatchRequest { offer: Some(1), every_minutes: i64::MAX, ..WatchRequest::default() };
    assert!(add_watch(&store, &never, now).await.unwrap_err().to_string().contains("too long"));
    assert_eq!(snooze_watch(&store, 1, -1, now).await.unwrap_err().to_string(), "hours must be 1 to 8784, got -1");

    let rules = parse_rules("[[rules]]\nkind = \"price_below\"\nquantity = 10\ntarget = \"5\"\n", "r.toml").unwrap();
    assert_eq!(rules, [AlertRule::PriceBelow { quantity: 10, target: 5.into() }]);
    let bad = parse_rules("[[rules]]\nkind = \"cheaper\"\n", "r.toml").unwrap_err();
    assert!(bad.to_string().starts_with("rules file r.toml"), "{bad}");
}

#[tokio::test]
async fn history_without_snapshots_is_not_found_and_days_are_checked() {
    let (_dir, store) = store().await;
    let err = open1688_jobs::history::history(&store, 7, 30, Utc::now()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(err.to_string().contains("no history for offer 7"), "{err}");
    let err = open1688_jobs::history::history(&store, 7, 100_000_000, Utc::now()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
}
