//! The catalog's two search engines — the embedded index and PostgreSQL's own — against offers
//! crawled from the sandbox: a query of each title's distinctive words finds its offer in the top
//! 5, filters and facets agree with a brute-force pass over the stored entries, and entries the
//! engine missed are indexed before it answers.

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::Utc;
use open1688_jobs::{CatalogEngine, CrawlRequest, CrawlSource, JobError, Progress};
use open1688_store::catalog_words::words;
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
fn distinctive(title: &str, df: &HashMap<String, usize>) -> String {
    let mut words: Vec<String> = words(title).into_iter().collect::<HashSet<_>>().into_iter().collect();
    words.sort_by_key(|w| (df[w], std::cmp::Reverse(w.chars().count()), w.clone()));
    let mut taken: Vec<String> = Vec::new();
    for w in words {
        if taken.len() < 6 && !taken.iter().any(|t| t.contains(&w) || w.contains(t.as_str())) {
            taken.push(w);
        }
    }
    taken.join(" ")
}

/// Recall, filters and facets of one engine over `entries` (all stored in `store`).
async fn engine_finds_what_brute_force_finds(store: &SqlStore, engine: &CatalogEngine, entries: &[CatalogEntry]) {
    let name = engine.name();
    // Recall@5 over 500 offers.
    let sample = &entries[..500];
    let mut df: HashMap<String, usize> = HashMap::new();
    for e in entries {
        for w in words(&e.offer.title).into_iter().collect::<HashSet<_>>() {
            *df.entry(w).or_default() += 1;
        }
    }
    let mut found = 0;
    for e in sample {
        let mut q = CatalogQuery::text(distinctive(&e.offer.title, &df));
        q.limit = 5;
        let results = engine.search(store, &q).await.unwrap();
        assert_eq!(results.engine, name);
        let hit = results.results.hits.iter().any(|h| h.offer_id == e.offer.id);
        found += usize::from(hit);
        if !hit && std::env::var("DEBUG_RECALL").is_ok() {
            let same = entries.iter().filter(|o| o.offer.title == e.offer.title).count();
            eprintln!(
                "{name}: miss {} {:?} q={:?} total={} same_title={same}",
                e.offer.id, e.offer.title, q.text, results.results.total
            );
        }
    }
    let recall = found as f64 / sample.len() as f64;
    println!("{name}: recall@5 = {recall:.3} ({found}/{})", sample.len());
    assert!(recall >= 0.95, "{name}: recall@5 {recall:.3}");

    // English words find the English titles too.
    let english = entries.iter().find_map(|e| e.offer.title_en.clone()).unwrap();
    let word = english.split_whitespace().max_by_key(|w| w.len()).unwrap().to_lowercase();
    let results = engine.search(store, &CatalogQuery::text(&word)).await.unwrap();
    assert!(results.results.total > 0, "{name}: {word}");

    // Filters and facets against a brute-force pass over the stored entries.
    let at = 100;
    let max = Decimal::from(20);
    let mut query = CatalogQuery::text("保温杯");
    query.at = Some(at);
    query.price_max = Some(max);
    query.sort = CatalogSort::Price;
    query.limit = 1_000;
    let report = engine.search(store, &query).await.unwrap().results;
    let matches_words = |e: &CatalogEntry| {
        let all: HashSet<String> = words(&format!(
            "{} {} {} {} {}",
            e.offer.title,
            e.offer.title_en.clone().unwrap_or_default(),
            e.offer.category.leaf_name.clone().unwrap_or_default(),
            e.offer.supplier.company.clone().unwrap_or_default(),
            e.attributes.iter().map(|a| format!("{} {}", a.value, a.raw_value)).collect::<Vec<_>>().join(" ")
        ))
        .into_iter()
        .collect();
        words("保温杯").iter().all(|w| all.contains(w))
    };
    let price_at = |e: &CatalogEntry| e.offer.ladder.as_ref().and_then(|l| l.unit_price(at));
    let brute: Vec<&CatalogEntry> =
        entries.iter().filter(|e| matches_words(e) && price_at(e).is_some_and(|p| p <= max)).collect();
    assert!(!brute.is_empty());
    assert_eq!(report.total, brute.len() as u64, "{name}");
    let ids: HashSet<i64> = report.hits.iter().map(|h| h.offer_id).collect();
    assert_eq!(ids, brute.iter().map(|e| e.offer.id).collect(), "{name}");
    assert!(report.hits.windows(2).all(|w| w[0].price <= w[1].price), "{name}: cheapest first");
    for hit in &report.hits {
        let e = brute.iter().find(|e| e.offer.id == hit.offer_id).unwrap();
        assert_eq!(hit.price, price_at(e), "{name}: price at {at} of {}", hit.offer_id);
    }
    let mut provinces: BTreeMap<String, u64> = BTreeMap::new();
    let mut identities: BTreeMap<String, u64> = BTreeMap::new();
    let mut categories: BTreeMap<String, u64> = BTreeMap::new();
    for e in &brute {
        if let Some(p) = e.place().0 {
            *provinces.entry(p.to_owned()).or_default() += 1;
        }
        for i in e.supplier.identities.iter().collect::<HashSet<_>>() {
            *identities.entry(i.clone()).or_default() += 1;
        }
        if let Some(c) = e.offer.category.ids.last() {
            *categories.entry(c.to_string()).or_default() += 1;
        }
    }
    let facets = &report.facets;
    assert_eq!(facets.province.iter().cloned().collect::<BTreeMap<_, _>>(), provinces, "{name}");
    assert_eq!(facets.identity.iter().cloned().collect::<BTreeMap<_, _>>(), identities, "{name}");
    assert_eq!(facets.category.iter().cloned().collect::<BTreeMap<_, _>>(), categories, "{name}");
    assert_eq!(facets.price.iter().map(|(_, n)| n).sum::<u64>(), report.total, "{name}");
    assert_eq!(facets.moq.iter().map(|(_, n)| n).sum::<u64>(), report.total, "{name}");

    // Without a quantity, every hit is priced at its MOQ: its ladder's first tier.
    let mut from = CatalogQuery::text("保温杯");
    from.limit = 1_000;
    let from = engine.search(store, &from).await.unwrap().results;
    assert!(from.hits.iter().any(|h| h.price.is_some()), "{name}: some price without a quantity");
    for hit in &from.hits {
        let e = entries.iter().find(|e| e.offer.id == hit.offer_id).unwrap();
        let first = e.offer.ladder.as_ref().and_then(|l| l.tiers().first()).map(|t| t.unit_price);
        assert_eq!(hit.price, first, "{name}: price at the MOQ of {}", hit.offer_id);
    }

    // Pages of the same search, read one after another, are the whole list in the same order.
    let whole: Vec<i64> = report.hits.iter().map(|h| h.offer_id).collect();
    let mut paged = Vec::new();
    for page in 0.. {
        let mut one = query.clone();
        (one.limit, one.offset) = (7, page * 7);
        let hits = engine.search(store, &one).await.unwrap().results;
        assert_eq!(hits.total, report.total, "{name}: every page counts every match");
        if hits.hits.is_empty() {
            break;
        }
        paged.extend(hits.hits.iter().map(|h| h.offer_id));
    }
    assert_eq!(paged, whole, "{name}: pages of 7");

    // An identity filter keeps exactly the offers whose supplier has it.
    let (identity, count) = identities.iter().next().map(|(k, v)| (k.clone(), *v)).unwrap();
    query.identity = Some(identity.clone());
    let filtered = engine.search(store, &query).await.unwrap().results;
    assert_eq!(filtered.total, count, "{name}: {identity}");

    // Bad queries name their field; query syntax in the words is just words.
    let mut bad = CatalogQuery::text("杯");
    bad.at = Some(0);
    let refused = engine.search(store, &bad).await.unwrap_err();
    assert!(matches!(&refused, JobError::Invalid { field, .. } if field == "at"), "{refused}");
    assert_eq!(refused.to_string(), "at must be at least 1, got 0");
    for odd in ["保温杯 +\"-: (", "保温杯 ' & | ! <-> \\"] {
        let results = engine.search(store, &CatalogQuery::text(odd)).await.unwrap();
        assert!(results.results.total > 0, "{name}: {odd:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn both_engines_find_offers_by_their_distinctive_words_and_count_facets_right() {
    let (_dir, store, index, entries) = crawled().await;
    assert!(entries.len() >= 500, "{} offers crawled", entries.len());
    assert_eq!(index.len(), entries.len() as u64, "every stored offer was indexed as it was stored");
    let embedded = CatalogEngine::embedded(index);
    engine_finds_what_brute_force_finds(&store, &embedded, &entries).await;

    // An index that lost its documents is rebuilt from the store before answering.
    embedded.index().unwrap().clear().unwrap();
    let rebuilt = embedded.search(&store, &CatalogQuery::text("保温杯")).await.unwrap();
    assert_eq!(rebuilt.reindexed, entries.len() as u64);
    assert!(rebuilt.results.total > 0);

    // Two searches that find the index out of step at once (the service shares one engine):
    // one rebuilds, the other waits for it and searches the rebuilt index.
    embedded.index().unwrap().clear().unwrap();
    let query = CatalogQuery::text("保温杯");
    let (a, b) = tokio::join!(embedded.search(&store, &query), embedded.search(&store, &query));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.reindexed + b.reindexed, entries.len() as u64, "rebuilt once: {} + {}", a.reindexed, b.reindexed);
    assert_eq!(a.results, b.results);
    assert_eq!(a.results, rebuilt.results);

    // The same entries in PostgreSQL, searched there.
    let Some((url, schema, admin)) = postgres().await else { return };
    let pg = SqlStore::open(&url).await.unwrap();
    for e in &entries {
        pg.put_catalog_entry(e).await.unwrap();
    }
    let database = CatalogEngine::database();
    engine_finds_what_brute_force_finds(&pg, &database, &entries).await;

    // A broad answer is kept and served again while the catalog is unchanged, and never after a
    // change: the most common title word, searched twice, then once more after a new offer.
    let mut df: HashMap<String, usize> = HashMap::new();
    for e in &entries {
        for w in words(&e.offer.title).into_iter().collect::<HashSet<_>>() {
            *df.entry(w).or_default() += 1;
        }
    }
    let (common, count) = df.iter().max_by_key(|(w, n)| (**n, (*w).clone())).map(|(w, n)| (w.clone(), *n)).unwrap();
    assert!(count >= 200, "{common} is in {count} titles");
    let broad = CatalogQuery::text(common.clone());
    let first = database.search(&pg, &broad).await.unwrap().results;
    assert!(first.total >= count as u64, "{} < {count}", first.total);
    let kept: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM {schema}.catalog_answer_cache WHERE query_key LIKE '[[\"' || $1 || '\"]%'"
    ))
    .bind(&common)
    .fetch_one(&admin)
    .await
    .unwrap();
    assert_eq!(kept, 1, "the broad answer is kept");
    assert_eq!(database.search(&pg, &broad).await.unwrap().results, first, "and served as computed");
    let mut newer = entries[0].clone();
    newer.offer.id = entries.iter().map(|e| e.offer.id).max().unwrap() + 1;
    newer.offer.title = format!("{common} 新款");
    pg.put_catalog_entry(&newer).await.unwrap();
    let after = database.search(&pg, &broad).await.unwrap().results;
    assert_eq!(after.total, first.total + 1, "a change is seen at once: the kept answer is not served");
    // Entries without a search row (stored before the migration that added them) get one before
    // the next search answers; `reindex` rebuilds every row.
    let search_path = format!("SET search_path TO {schema}");
    let mut conn = admin.acquire().await.unwrap();
    sqlx::query(&search_path).execute(&mut *conn).await.unwrap();
    let first: Vec<i64> = entries.iter().map(|e| e.offer.id).take(7).collect();
    sqlx::query("DELETE FROM catalog_search WHERE offer_id = ANY($1)").bind(&first).execute(&mut *conn).await.unwrap();
    sqlx::query("INSERT INTO catalog_unsearchable (offer_id) SELECT unnest($1::bigint[])")
        .bind(&first)
        .execute(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    let healed = database.search(&pg, &CatalogQuery::text("保温杯")).await.unwrap();
    assert_eq!(healed.reindexed, 7);
    assert_eq!(database.rebuild(&pg).await.unwrap(), entries.len() as u64 + 1, "the entries and the newer one");
    drop(pg);
    sqlx::query(&format!("DROP SCHEMA {schema} CASCADE")).execute(&admin).await.unwrap();
}

/// A PostgreSQL URL with a fresh schema (and the schema and an admin pool, to drop it), or `None`
/// (skip) when no server answers; under `CI=true` the server must answer.
async fn postgres() -> Option<(String, String, sqlx::PgPool)> {
    let base = std::env::var("OPEN1688_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = format!("c{}_{}", std::process::id(), Utc::now().timestamp_millis());
    let pool = match sqlx::PgPool::connect(&base).await {
        Ok(p) => p,
        Err(e) if std::env::var("CI").as_deref() == Ok("true") => panic!("PostgreSQL must run under CI=true: {e}"),
        Err(e) => {
            eprintln!("SKIPPED: no PostgreSQL at {base} ({e}); the database search engine is not tested");
            return None;
        }
    };
    sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&pool).await.unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    Some((format!("{base}{sep}options=-c%20search_path%3D{schema}"), schema, pool))
}
