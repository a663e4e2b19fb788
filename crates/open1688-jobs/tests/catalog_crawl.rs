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
