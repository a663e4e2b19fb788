//! The buyer APIs end to end against the in-process sandbox: search, detail, batches under a
//! quota, seller listings, image search, the cache, and faults turning into typed errors.

use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use open1688::{Client, Error, ImageSearch, ImageSource, MemberKey, RateLimits, RetryPolicy, SearchQuery, SortOrder};
use open1688_sandbox::{AppConfig, FaultPlan, FaultRates, Sandbox};

fn builder_for(sandbox: &Sandbox) -> open1688::ClientBuilder {
    Client::builder()
        .endpoint(sandbox.base_url())
        .app_key(sandbox.app_key())
        .app_secret(sandbox.app_secret())
        .access_token(sandbox.access_token())
        .refresh_token(sandbox.refresh_token())
}

async fn sandbox() -> Sandbox {
    Sandbox::builder().catalog_size(4_000, 320).quotas_off().start().await.unwrap()
}

#[tokio::test]
async fn search_then_detail_then_seller_and_normalize() {
    let sandbox = sandbox().await;
    let client = builder_for(&sandbox).rate_limits(RateLimits::unlimited()).build().unwrap();
    let query = SearchQuery::new("数据线").sort(SortOrder::PriceAscending).page_size(10).max_pages(1);
    let items: Vec<_> = client.search(&query).try_collect().await.unwrap();
    assert_eq!(items.len(), 10);
    let summaries: Vec<_> = items.iter().map(|i| sourcing::summary_from_search_item(i).unwrap()).collect();
    assert!(summaries.windows(2).all(|w| w[0].price <= w[1].price), "cheapest first");

    let detail = client.offer(summaries[0].id).await.unwrap();
    let offer = sourcing::offer_from_detail(&detail, chrono::Utc::now()).unwrap();
    assert_eq!(offer.id, summaries[0].id);
    let ladder = offer.ladder.as_ref().expect("a ladder");
    assert_eq!(ladder.unit_price(offer.moq.unwrap()), summaries[0].price, "tier 1 is the search price");
    assert!(offer.supplier.open_id.is_some() && !offer.images.is_empty());

    let seller = offer.supplier.open_id.clone().unwrap();
    let listed: Vec<_> = client.seller_offers(&seller, "en").try_collect().await.unwrap();
    assert!(listed.iter().any(|i| i.offer_id == Some(offer.id)), "the offer is among its seller's");

    let catalog = sandbox.catalog();
    let own = catalog.offers[catalog.offers_of(0)[0] as usize].id;
    let foreign = catalog.offers.iter().find(|o| o.supplier != 0).unwrap().id;
    assert_eq!(client.own_product(own).await.unwrap().product_id, Some(own));
    assert!(matches!(client.own_product(foreign).await, Err(Error::Business { .. })), "owner-scoped");
    let listed_own: Vec<_> =
        client.own_products(&[own, foreign]).await.unwrap().into_iter().filter_map(|p| p.product_id).collect();
    assert_eq!(listed_own, [own]);

    let mut supplier = sourcing::supplier_from_detail(&detail);
    supplier.merge(&summaries[0].supplier);
    assert!(supplier.open_id.is_some() && supplier.fulfillment_rate.is_some() && !supplier.identities.is_empty());

    let me = client.account().await.unwrap();
    assert_eq!(me.login_id.as_deref(), Some(sandbox.catalog().suppliers[0].login_id.as_str()));
    let other = &sandbox.catalog().suppliers[5];
    let member = client.member(MemberKey::Domain(other.domain())).await.unwrap();
    assert_eq!(member.company_name.as_deref(), Some(other.company.as_str()));
}

#[tokio::test]
async fn pages_add_up_to_total_records_and_stop_at_the_cap() {
    let sandbox = Sandbox::builder().catalog_size(12_000, 960).quotas_off().start().await.unwrap();
    let client = builder_for(&sandbox).rate_limits(RateLimits::unlimited()).build().unwrap();
    let pages: Vec<_> = client.search_pages(&SearchQuery::new("袜子").page_size(50)).try_collect().await.unwrap();
    let total = pages[0].total_records.unwrap() as usize;
    assert_eq!(pages.iter().map(|p| p.data.len()).sum::<usize>(), total);
    let calls = sandbox.stats().api("product.search.keywordQuery").calls as usize;
    assert_eq!(calls, total.div_ceil(50), "no call after the last page");

    let all = SearchQuery::new("wholesale").page_size(50);
    let count = client.search(&all).try_fold(0usize, |n, _| async move { Ok(n + 1) }).await.unwrap();
    assert_eq!(count, 2000, "the platform's cap");
    let err = client.search(&SearchQuery::new("x").page_size(51)).next().await.unwrap().unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err}");

    // A list read a page at a time: page 3 alone is the third page of the whole, and the last
    // page stops the stream even when more pages were allowed.
    let third: Vec<_> = client
        .search_pages(&SearchQuery::new("袜子").page_size(50).first_page(3).max_pages(1))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(third.len(), 1);
    assert_eq!(third[0].data, pages[2].data, "the same items as the third page read in order");
    let last_page = u32::try_from(total.div_ceil(50)).unwrap();
    let tail: Vec<_> =
        client.search_pages(&SearchQuery::new("袜子").page_size(50).first_page(last_page)).try_collect().await.unwrap();
    assert_eq!(tail.len(), 1, "nothing is read after the last page");
    let err = client.search(&SearchQuery::new("x").page_size(50).first_page(41)).next().await.unwrap().unwrap_err();
    assert!(err.to_string().contains("1–40"), "past the 2000-result cap: {err}");
}

#[tokio::test]
async fn a_batch_of_200_under_a_10_qps_quota_sees_no_throttling() {
    let demo = AppConfig { qps: 10.0, burst: 10, api_qps: 10.0, api_burst: 10, ..AppConfig::demo() };
    let sandbox = Sandbox::builder().catalog_size(4_000, 320).app(demo).start().await.unwrap();
    let limits = RateLimits { api_qps: NonZeroU32::new(10).unwrap(), ..RateLimits::default() };
    let client = builder_for(&sandbox).rate_limits(limits).build().unwrap();
    let ids: Vec<i64> = sandbox.catalog().offers.iter().take(199).map(|o| o.id).chain([1]).collect();
    let results = client.offers(&ids, "en", 16).await;
    assert_eq!(results.len(), 200);
    for (id, r) in ids.iter().zip(&results).take(199) {
        assert_eq!(r.as_ref().unwrap().offer_id, Some(*id), "input order");
    }
    assert!(matches!(&results[199], Err(Error::Business { .. })), "a bad id is its own error: {:?}", results[199]);
    let stats = sandbox.stats();
    assert_eq!(stats.total.by_code.get("gw.QosAppFrequencyLimit"), None, "{stats:?}");
    assert_eq!(stats.api("product.search.queryProductDetail").calls, 200);
}

#[tokio::test]
async fn image_search_puts_same_factory_siblings_in_the_top_5() {
    let sandbox = Sandbox::builder().quotas_off().start().await.unwrap();
    // The sandbox serves its pictures on this machine: allowed explicitly.
    let client =
        builder_for(&sandbox).rate_limits(RateLimits::unlimited()).allow_private_image_urls(true).build().unwrap();
    let mut groups: BTreeMap<u32, Vec<i64>> = BTreeMap::new();
    for o in &sandbox.catalog().offers {
        groups.entry(o.group).or_default().push(o.id);
    }
    for group in groups.values().filter(|g| g.len() >= 3).take(8) {
        let url = format!("{}/img/ibank/{}_0.png", sandbox.base_url(), group[0]);
        let options = ImageSearch { page_size: 10, max_pages: 1, ..ImageSearch::default() };
        let top: Vec<i64> = client
            .image_search(&ImageSource::Url(url), &options)
            .await
            .unwrap()
            .take(5)
            .map(|i| i.unwrap().offer_id.unwrap())
            .collect()
            .await;
        for sibling in group.iter().take(5) {
            assert!(top.contains(sibling), "{sibling} of {group:?} in {top:?}");
        }
    }
}

#[tokio::test]
async fn repeated_calls_come_from_the_cache_and_identical_concurrent_calls_share_one() {
    let sandbox = sandbox().await;
    let client = builder_for(&sandbox).rate_limits(RateLimits::unlimited()).build().unwrap();
    let id = sandbox.catalog().offers[3].id;
    let calls = futures::future::join_all((0..8).map(|_| client.offer(id))).await;
    assert!(calls.iter().all(Result::is_ok));
    client.offer(id).await.unwrap();
    assert_eq!(sandbox.stats().api("product.search.queryProductDetail").calls, 1, "one gateway call for nine asks");
    client.fresh().offer(id).await.unwrap();
    assert_eq!(sandbox.stats().api("product.search.queryProductDetail").calls, 2, "fresh() goes to the gateway");
    let uncached = builder_for(&sandbox).no_cache().rate_limits(RateLimits::unlimited()).build().unwrap();
    uncached.offer(id).await.unwrap();
    uncached.offer(id).await.unwrap();
    assert_eq!(sandbox.stats().api("product.search.queryProductDetail").calls, 4);
}

#[tokio::test]
async fn malformed_and_truncated_answers_are_typed_errors() {
    let sandbox = sandbox().await;
    let quick = RetryPolicy { max_attempts: 2, base_delay: Duration::from_millis(5), ..RetryPolicy::default() };
    let client =
        builder_for(&sandbox).rate_limits(RateLimits::unlimited()).retry_policy(quick).no_cache().build().unwrap();
    let id = sandbox.catalog().offers[0].id;
    for rates in [
        FaultRates { malformed: 1.0, ..Default::default() },
        FaultRates { truncated: 1.0, ..Default::default() },
        FaultRates { reset: 1.0, ..Default::default() },
        FaultRates { http_502: 1.0, ..Default::default() },
    ] {
        sandbox.set_faults(FaultPlan { all: Some(rates.clone()), ..Default::default() });
        let err = client.offer(id).await.unwrap_err();
        assert!(err.is_retryable(), "{rates:?}: {err}");
        assert!(matches!(err, Error::RetriesExhausted { attempts: 2, .. }), "{rates:?}: {err}");
    }
    sandbox.set_faults(FaultPlan::default());
    assert!(client.offer(id).await.is_ok());
}
