//! The catalog's embedded search against offers crawled from the sandbox: a query of each
//! title's distinctive words finds its offer in the top 5, filters and facets agree with a
//! brute-force pass over the stored entries, and an index out of step is rebuilt.

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};

use open1688_jobs::{CrawlRequest, CrawlSource, Progress, search_catalog};
use open1688_store::{CatalogEntry, CatalogIndex, CatalogQuery, CatalogSort, CatalogStore, SqlStore};
use rust_decimal::Decimal;

async fn crawled() -> (tempfile::TempDir, SqlStore, CatalogIndex, Vec<CatalogEntry>) {
    let (_sandbox, jobs) = common::sandbox_jobs().await;
    let dir = tempfile::tempdir().unwrap();
    let store = SqlStore::open(&format!("sqlite://{}", dir.path().join("c.db").display())).await.unwrap();
    let index = CatalogIndex::open(&dir.path().join("index")).unwrap();
    let sources = ["保温杯", "数据线", "手机壳", "袜子", "收纳盒"].map(|k| CrawlSource::Keyword(k.into())).to_vec();
    let request = CrawlRequest { sources, pages: 3, category: None };
    jobs.crawl(&store, Some(&index), &request, &Progress::silent()).await.unwrap();
    let entries = store.catalog_entries(i64::MIN, 100_000).await.unwrap();
    (dir, store, index, entries)
}

/// Up to six of the title's words that the fewest titles share, longest first among equals,
/// leaving out a word inside one already taken (jieba also yields `三合` inside `三合一`).
fn distinctive(index: &CatalogIndex, title: &str, df: &HashMap<String, usize>) -> String {
    let mut words: Vec<String> = index.words(title).into_iter().collect::<HashSet<_>>().into_iter().collect();
    words.sort_by_key(|w| (df[w], std::cmp::Reverse(w.chars().count()), w.clone()));
    let mut taken: Vec<String> = Vec::new();
    for w in words {
        if taken.len() < 6 && !taken.iter().any(|t| t.contains(&w) || w.contains(t.as_str())) {
            taken.push(w);
        }
    }
    taken.join(" ")
}

#[tokio::test(flavor = "multi_thread")]
async fn distinctive_words_find_their_offer_and_facets_match_a_brute_force_count() {
    let (_dir, store, index, entries) = crawled().await;
    assert!(entries.len() >= 500, "{} offers crawled", entries.len());
    assert_eq!(index.len(), entries.len() as u64, "every stored offer was indexed as it was stored");

    // Recall@5 over 500 offers.
    let sample = &entries[..500];
    let mut df: HashMap<String, usize> = HashMap::new();
    for e in &entries {
        for w in index.words(&e.offer.title).into_iter().collect::<HashSet<_>>() {
            *df.entry(w).or_default() += 1;
        }
    }
    let mut found = 0;
    for e in sample {
        let mut q = CatalogQuery::text(distinctive(&index, &e.offer.title, &df));
        q.limit = 5;
        let results = search_catalog(&store, &index, &q).await.unwrap();
        let hit = results.results.hits.iter().any(|h| h.offer_id == e.offer.id);
        found += usize::from(hit);
        if !hit && std::env::var("DEBUG_RECALL").is_ok() {
            let same = entries.iter().filter(|o| o.offer.title == e.offer.title).count();
            eprintln!(
                "miss {} {:?} q={:?} total={} same_title={same}",
                e.offer.id, e.offer.title, q.text, results.results.total
            );
        }
    }
    let recall = found as f64 / sample.len() as f64;
    println!("recall@5 = {recall:.3} ({found}/{})", sample.len());
    assert!(recall >= 0.95, "recall@5 {recall:.3}");

    // English words find the English titles too.
    let english = entries.iter().find_map(|e| e.offer.title_en.clone()).unwrap();
    let word = english.split_whitespace().max_by_key(|w| w.len()).unwrap().to_lowercase();
    let results = search_catalog(&store, &index, &CatalogQuery::text(&word)).await.unwrap();
    assert!(results.results.total > 0, "{word}");

    // Filters and facets against a brute-force pass over the stored entries.
    let at = 100;
    let max = Decimal::from(20);
    let mut query = CatalogQuery::text("保温杯");
    query.at = at;
    query.price_max = Some(max);
    query.sort = CatalogSort::Price;
    query.limit = 1_000;
    let report = search_catalog(&store, &index, &query).await.unwrap().results;
    let matches_words = |e: &CatalogEntry| {
        let words: HashSet<String> = index
            .words(&format!(
                "{} {} {} {} {}",
                e.offer.title,
                e.offer.title_en.clone().unwrap_or_default(),
                e.offer.category.leaf_name.clone().unwrap_or_default(),
                e.offer.supplier.company.clone().unwrap_or_default(),
                e.attributes.iter().map(|a| format!("{} {}", a.value, a.raw_value)).collect::<Vec<_>>().join(" ")
            ))
            .into_iter()
            .collect();
        index.words("保温杯").iter().all(|w| words.contains(w))
    };
    let price_at = |e: &CatalogEntry| e.offer.ladder.as_ref().and_then(|l| l.unit_price(at));
    let brute: Vec<&CatalogEntry> =
        entries.iter().filter(|e| matches_words(e) && price_at(e).is_some_and(|p| p <= max)).collect();
    assert!(!brute.is_empty());
    assert_eq!(report.total, brute.len() as u64);
    let ids: HashSet<i64> = report.hits.iter().map(|h| h.offer_id).collect();
    assert_eq!(ids, brute.iter().map(|e| e.offer.id).collect());
    assert!(report.hits.windows(2).all(|w| w[0].price <= w[1].price), "cheapest first");
    for hit in &report.hits {
        let e = brute.iter().find(|e| e.offer.id == hit.offer_id).unwrap();
        assert_eq!(hit.price, price_at(e), "price at {at} of {}", hit.offer_id);
    }
    let mut provinces: BTreeMap<String, u64> = BTreeMap::new();
    let mut identities: BTreeMap<String, u64> = BTreeMap::new();
    for e in &brute {
        if let Some(p) = e.place().0 {
            *provinces.entry(p.to_owned()).or_default() += 1;
        }
        for i in &e.supplier.identities {
            *identities.entry(i.clone()).or_default() += 1;
        }
    }
    assert_eq!(report.facets.province.iter().cloned().collect::<BTreeMap<_, _>>(), provinces);
    assert_eq!(report.facets.identity.iter().cloned().collect::<BTreeMap<_, _>>(), identities);
    assert_eq!(report.facets.price.iter().map(|(_, n)| n).sum::<u64>(), report.total);

    // An identity filter keeps exactly the offers whose supplier has it.
    let (identity, count) = identities.iter().next().map(|(k, v)| (k.clone(), *v)).unwrap();
    query.identity = Some(identity.clone());
    let filtered = search_catalog(&store, &index, &query).await.unwrap().results;
    assert_eq!(filtered.total, count, "{identity}");

    // An index that lost its documents is rebuilt from the store before answering.
    index.clear().unwrap();
    let rebuilt = search_catalog(&store, &index, &CatalogQuery::text("保温杯")).await.unwrap();
    assert_eq!(rebuilt.reindexed, entries.len() as u64);
    assert!(rebuilt.results.total > 0);

    // Bad queries name their field; query syntax in the words is just words.
    let mut bad = CatalogQuery::text("杯");
    bad.at = 0;
    assert!(search_catalog(&store, &index, &bad).await.unwrap_err().to_string().contains("quantity"));
    let odd = search_catalog(&store, &index, &CatalogQuery::text("保温杯 +\"-: (")).await.unwrap();
    assert!(odd.results.total > 0);
}
