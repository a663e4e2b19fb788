//! `catalog refresh`: entries aged past their targets are fetched again, the most stale for its
//! target first, within the run's budget; watched offers (10 minutes) before others (24 hours).

mod common;

use open1688_jobs::{CrawlRequest, CrawlSource, Progress, RefreshRequest};
use open1688_store::{CatalogStore, NewWatch, SqlStore, Store};

#[tokio::test]
async fn stale_entries_are_refreshed_watched_first_within_the_budget() {
    let (sandbox, jobs) = common::sandbox_jobs().await;
    let dir = tempfile::tempdir().unwrap();
    let store = SqlStore::open(&format!("sqlite://{}", dir.path().join("c.db").display())).await.unwrap();
    let crawl = CrawlRequest { sources: vec![CrawlSource::Keyword("保温杯".into())], pages: 1, category: None };
    jobs.crawl(&store, None, &crawl, &Progress::silent()).await.unwrap();
    let entries = store.catalog_entries(i64::MIN, 1_000).await.unwrap();
    assert_eq!(entries.len(), 50);

    // Age them as time passing would: 3 watched offers 30 minutes old, 10 others 2 days old,
    // 5 others 3 hours old (still within a day); the rest were just fetched.
    let now = chrono::Utc::now().timestamp_millis();
    let minute = 60_000;
    let aged = |i: usize| match i {
        0..3 => Some(30 * minute),
        3..13 => Some(2 * 24 * 60 * minute),
        13..18 => Some(3 * 60 * minute),
        _ => None,
    };
    for (i, entry) in entries.iter().enumerate() {
        if let Some(age) = aged(i) {
            let mut old = entry.clone();
            old.fetched_ms = now - age;
            store.put_catalog_entry(&old).await.unwrap();
        }
        if i < 3 {
            let watch = NewWatch { offer_id: Some(entry.offer.id), interval_secs: 600, ..Default::default() };
            store.add_watch(&watch, now).await.unwrap();
        }
    }
    let before = sandbox.stats().total.calls;
    let request = RefreshRequest { max_offers: 8, ..RefreshRequest::default() };
    let first = jobs.refresh_catalog(&store, None, &request, now, &Progress::silent()).await.unwrap();
    assert_eq!((first.stale, first.stale_watched, first.refreshed, first.still_stale), (13, 3, 8, 5), "{first:?}");
    assert_eq!(sandbox.stats().total.calls - before, 8, "the budget bounds the calls");
    for entry in &entries[..3] {
        let fresh = store.catalog_entry(entry.offer.id).await.unwrap().unwrap();
        assert!(fresh.fetched_ms >= now, "watched offers go first");
        assert_eq!(fresh.sources, entry.sources, "a refresh keeps the crawls that found it");
    }

    let second = jobs.refresh_catalog(&store, None, &request, now, &Progress::silent()).await.unwrap();
    assert_eq!((second.stale, second.refreshed, second.still_stale), (5, 5, 0), "{second:?}");
    assert_eq!(second.age.entries, 50);
    assert_eq!(second.age.under_24_h, 5, "the 3-hour-old ones were left alone");
    assert_eq!(second.age.older, 0);
    let third = jobs.refresh_catalog(&store, None, &request, now, &Progress::silent()).await.unwrap();
    assert_eq!(third.refreshed, 0, "nothing is stale");
    let bad = RefreshRequest { max_offers: 0, ..RefreshRequest::default() };
    assert!(jobs.refresh_catalog(&store, None, &bad, now, &Progress::silent()).await.is_err());
}
