//! `catalog crawl` against the sandbox: a pass stopped in the middle and resumed stores every
//! offer once, reads no search page twice and fetches no stored detail again; sources merge.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use open1688_jobs::{CancellationToken, CrawlRequest, CrawlSource, JobError, Progress, ProgressEvent};
use open1688_store::{CatalogStore, SqlStore};

fn calls(sandbox: &open1688_sandbox::Sandbox, api: &str) -> u64 {
    sandbox.stats().by_api.get(api).map_or(0, |c| c.calls)
}

const DETAIL: &str = "product.search.queryProductDetail";
const SEARCH: &str = "product.search.keywordQuery";

#[tokio::test]
async fn a_stopped_crawl_resumes_without_fetching_a_stored_detail_again() {
    let (sandbox, jobs) = common::sandbox_jobs().await;
    let dir = tempfile::tempdir().unwrap();
    let store = SqlStore::open(&format!("sqlite://{}", dir.path().join("catalog.db").display())).await.unwrap();
    let request = CrawlRequest { sources: vec![CrawlSource::Keyword("保温杯".into())], pages: 2, category: None };

    // Stop after 30 details have arrived (as a kill would, between two of them).
    let token = CancellationToken::new();
    let advanced = Arc::new(AtomicU64::new(0));
    let progress = {
        let (stop, advanced) = (token.clone(), advanced.clone());
        Progress::new(move |e| {
            if matches!(e, ProgressEvent::Advance { .. }) && advanced.fetch_add(1, Ordering::SeqCst) + 1 == 30 {
                stop.cancel();
            }
        })
        .with_cancellation(token.clone())
    };
    let stopped = jobs.crawl(&store, None, &request, &progress).await;
    assert!(matches!(stopped, Err(JobError::Cancelled)), "{stopped:?}");
    // Calls the stopped run had sent are counted by the sandbox when it answers them.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let searched = calls(&sandbox, SEARCH);
    assert_eq!(searched, 2, "both pages were read before the details");
    let details_before = calls(&sandbox, DETAIL);
    let stored_before = store.catalog_age(i64::MAX / 2).await.unwrap().entries;
    assert!(stored_before >= 29, "{stored_before}");

    let report = jobs.crawl(&store, None, &request, &Progress::silent()).await.unwrap();
    let pass = &report.sources[0];
    assert!(pass.resumed);
    assert_eq!(calls(&sandbox, SEARCH), searched, "no page read again");
    assert_eq!(pass.already, stored_before, "{pass:?}");
    assert_eq!(pass.fetched + pass.already, pass.found, "{pass:?}");
    assert_eq!(calls(&sandbox, DETAIL) - details_before, pass.fetched, "only the missing details were fetched");
    // Lost at the stop: the calls in flight and the answers waiting in the fetcher's channel.
    let concurrency = jobs.sourcing_policy().detail_concurrency as u64;
    assert!(
        calls(&sandbox, DETAIL) <= pass.found + 2 * concurrency + 1,
        "only details fetched but not yet stored at the stop were fetched again: {} detail calls, {pass:?}, \
         {details_before} before the resumed run",
        calls(&sandbox, DETAIL)
    );
    assert_eq!(pass.found, 100);
    assert_eq!(report.age.entries, 100);

    // Every offer is stored: its catalog entry with standardized attributes, the offer and raw
    // answer, its supplier and a snapshot.
    let first = store.catalog_entries(0, 1).await.unwrap().remove(0);
    assert!(first.sources == ["keyword:保温杯"]);
    assert!(first.attributes.iter().any(|a| a.known_name), "{:?}", first.attributes);
    use open1688_store::Store;
    let offer = store.offer(first.offer.id).await.unwrap().unwrap();
    assert!(offer.raw.is_some());
    assert_eq!(store.history(first.offer.id, 0).await.unwrap().len(), 1);

    // A new crawl starts a new pass; an offer another keyword finds joins its sources.
    let again = jobs.crawl(&store, None, &request, &Progress::silent()).await.unwrap();
    assert!(!again.sources[0].resumed && again.sources[0].fetched == 100);
    let cup = CrawlRequest { sources: vec![CrawlSource::Keyword("车载保温杯".into())], pages: 1, category: None };
    let other = jobs.crawl(&store, None, &cup, &Progress::silent()).await.unwrap();
    let shared = store.catalog_entries(0, 10_000).await.unwrap();
    let merged = shared.iter().filter(|e| e.sources.len() == 2).count();
    assert!(merged > 0 && other.age.entries < 100 + other.sources[0].found, "duplicates merged: {merged}");
}

#[tokio::test]
async fn a_crawl_request_names_what_is_wrong() {
    let (_sandbox, jobs) = common::sandbox_jobs().await;
    let dir = tempfile::tempdir().unwrap();
    let store = SqlStore::open(&format!("sqlite://{}", dir.path().join("c.db").display())).await.unwrap();
    for (request, field) in [
        (CrawlRequest { sources: vec![], pages: 1, category: None }, "sources"),
        (CrawlRequest { sources: vec![CrawlSource::Keyword(" ".into())], pages: 1, category: None }, "sources"),
        (CrawlRequest { sources: vec![CrawlSource::Keyword("杯".into())], pages: 41, category: None }, "pages"),
    ] {
        let e = jobs.crawl(&store, None, &request, &Progress::silent()).await.unwrap_err();
        assert!(matches!(&e, JobError::Invalid { field: f, .. } if f == field), "{e:?}");
    }
}

#[tokio::test]
async fn a_crawled_supplier_with_a_fresh_profile_is_scored_from_it() {
    let (_sandbox, jobs) = common::sandbox_jobs().await;
    let open = |name: &str| {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join(name).display());
        async move { (SqlStore::open(&url).await.unwrap(), dir) }
    };
    let request = CrawlRequest { sources: vec![CrawlSource::Keyword("保温杯".into())], pages: 1, category: None };
    // A first catalog, without profiles: each supplier scored from its offer's detail.
    let (plain, _a) = open("plain.db").await;
    jobs.crawl(&plain, None, &request, &Progress::silent()).await.unwrap();
    let entries = plain.catalog_entries(0, 1_000).await.unwrap();
    let detail_score: std::collections::HashMap<i64, Option<rust_decimal::Decimal>> =
        entries.iter().map(|e| (e.offer.id, e.score)).collect();
    let sellers: Vec<(i64, String)> =
        entries.iter().filter_map(|e| Some((e.offer.id, e.offer.supplier.open_id.clone()?))).take(2).collect();
    let [(fresh_offer, fresh_seller), (stale_offer, stale_seller)] = <[_; 2]>::try_from(sellers).unwrap();

    // A second catalog whose store keeps profiles another job read: one fresh, one older than
    // the policy's 24 hours, both with signals far from the detail's.
    let (profiled, _b) = open("profiled.db").await;
    let now = chrono::Utc::now().timestamp_millis();
    let poor = |open_id: &str| sourcing::Supplier {
        open_id: Some(open_id.to_owned()),
        years_on_platform: Some(1),
        fulfillment_rate: Some(rust_decimal::Decimal::new(40, 2)),
        ..sourcing::Supplier::default()
    };
    for (open_id, fetched_ms) in [(&fresh_seller, now), (&stale_seller, now - 25 * 3_600_000)] {
        let profile = open1688_store::SupplierProfile { open_id: open_id.clone(), supplier: poor(open_id), fetched_ms };
        open1688_store::Store::save_supplier_profile(&profiled, &profile).await.unwrap();
    }
    jobs.crawl(&profiled, None, &request, &Progress::silent()).await.unwrap();
    let card = open1688_jobs::load_scorecard("default").unwrap();
    let scored = profiled.catalog_entry(fresh_offer).await.unwrap().unwrap();
    assert_eq!(scored.score, Some(card.score(&poor(&fresh_seller)).score), "the fresh profile scores it");
    assert_ne!(scored.score, detail_score[&fresh_offer], "the profile's score is not the detail's");
    let kept = profiled.catalog_entry(stale_offer).await.unwrap().unwrap();
    assert_eq!(kept.score, detail_score[&stale_offer], "a stale profile is not used");
}
