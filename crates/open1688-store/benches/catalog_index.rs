//! The catalog's search at scale, on both engines: index 100,000 offers (target ≤ 60 s), then
//! faceted queries over them (targets: p99 ≤ 20 ms embedded, ≤ 50 ms in PostgreSQL). Offers are
//! generated from a small vocabulary, like the sandbox's titles. The PostgreSQL half runs when a
//! server answers at `OPEN1688_TEST_PG` (default: the local one), in a schema it drops after.
//! Run with `cargo bench -p open1688-store --bench catalog_index`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use open1688_store::{CatalogEntry, CatalogIndex, CatalogQuery, CatalogSort, CatalogStore, SqlStore};
use rust_decimal::Decimal;
use sourcing::{Offer, PriceLadder, SpecRules, Supplier};

const OFFERS: i64 = 100_000;

const PREFIXES: &[&str] =
    &["批发", "外贸", "现货", "跨境", "厂家直销", "亚马逊", "爆款", "新品", "一件代发", "2025新款"];
const ADJECTIVES: &[&str] =
    &["不锈钢", "大容量", "便携", "加长", "磨砂", "纯棉", "防摔", "超薄", "可折叠", "耐用", "定制logo", "网红"];
const PRODUCTS: &[&str] =
    &["保温杯", "数据线", "手机壳", "袜子", "收纳盒", "雨伞", "拖鞋", "背包", "水杯", "充电器", "毛巾", "台灯"];
const SUFFIXES: &[&str] = &["批发", "工厂直供", "现货速发", ""];
const PLACES: &[&str] =
    &["浙江省 义乌市", "浙江省 金华市", "广东省 深圳市", "广东省 广州市", "福建省 泉州市", "江苏省 苏州市"];
const IDENTITIES: &[&str] = &["super_factory", "tp_member", "powerful_merchant"];

struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn entry(id: i64, rng: &mut Lcg, rules: &SpecRules) -> CatalogEntry {
    let title = format!(
        "{}{}{}{}",
        PREFIXES[rng.below(PREFIXES.len())],
        ADJECTIVES[rng.below(ADJECTIVES.len())],
        PRODUCTS[rng.below(PRODUCTS.len())],
        SUFFIXES[rng.below(SUFFIXES.len())]
    );
    let mut offer = Offer::new(id, title);
    let cents = 100 + rng.below(5_000) as i64;
    let first = Decimal::new(cents, 2);
    let second = Decimal::new(cents * 9 / 10, 2);
    let moq = [1, 2, 10, 50, 100][rng.below(5)];
    offer.ladder = PriceLadder::parse(&format!("{moq}-{}:{first};{}+:{second}", moq * 10 - 1, moq * 10)).ok();
    offer.moq = Some(moq);
    offer.shipping.ship_from = Some(PLACES[rng.below(PLACES.len())].to_owned());
    offer.category.ids = vec![1, 2, 100 + rng.below(12) as i64];
    offer.title_en = Some("Wholesale Stainless Steel Tumbler".into());
    let identities = (0..rng.below(3)).map(|_| IDENTITIES[rng.below(IDENTITIES.len())].to_owned()).collect();
    let capacity = ["350ml", "500ml", "0.75L", "1000毫升"][rng.below(4)];
    CatalogEntry {
        offer,
        supplier: Supplier { identities, ..Default::default() },
        score: Some(Decimal::new(4_000 + rng.below(5_000) as i64, 2)),
        band: Some(["good", "fair", "excellent"][rng.below(3)].to_owned()),
        attributes: rules.standardize_all([("颜色", "黑色"), ("容量", capacity)]),
        sources: vec!["keyword:bench".into()],
        fetched_ms: 1_900_000_000_000,
    }
}

fn queries() -> Vec<CatalogQuery> {
    let mut queries = Vec::new();
    for (i, product) in PRODUCTS.iter().enumerate() {
        let mut q = CatalogQuery::text(*product);
        q.at = Some(100);
        q.price_max = Some(Decimal::from(20));
        if i % 2 == 0 {
            q.identity = Some("super_factory".into());
        }
        if i % 3 == 0 {
            q.province = Some("浙江省".into());
        }
        q.sort = if i % 2 == 0 { CatalogSort::Price } else { CatalogSort::Relevance };
        queries.push(q);
        queries.push(CatalogQuery::text(format!("{} {}", ADJECTIVES[i % ADJECTIVES.len()], product)));
    }
    let mut broad = CatalogQuery::text("批发");
    broad.sort = CatalogSort::Score;
    queries.push(broad);
    queries
}

/// Prints the latency percentiles of `times` (20 rounds less the first, a warm-up).
fn report(engine: &str, mut times: Vec<Duration>, matched: u64) {
    times.sort();
    let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
    println!(
        "{engine}: {} faceted queries (filters, facets, sort): p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms; {:.0} matches a query on average",
        times.len(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.95).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        times.last().unwrap().as_secs_f64() * 1e3,
        matched as f64 / times.len() as f64
    );
}

fn main() {
    let rules = SpecRules::default();
    let mut rng = Lcg(1688);
    let entries: Vec<CatalogEntry> = (1..=OFFERS).map(|id| entry(id, &mut rng, &rules)).collect();
    embedded(&entries);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(postgres(entries));
}

fn embedded(entries: &[CatalogEntry]) {
    let dir = tempfile::tempdir().unwrap();
    let index = CatalogIndex::open(&dir.path().join("index")).unwrap();
    let started = Instant::now();
    for batch in entries.chunks(10_000) {
        index.upsert(batch).unwrap();
    }
    let took = started.elapsed();
    println!(
        "embedded: indexed {} offers in {:.1} s ({:.0} offers/s)",
        index.len(),
        took.as_secs_f64(),
        OFFERS as f64 / took.as_secs_f64()
    );
    let (mut times, mut matched) = (Vec::new(), 0);
    for round in 0..20 {
        for q in &queries() {
            let t = Instant::now();
            let results = index.search(q).unwrap();
            if round > 0 {
                times.push(t.elapsed());
                matched += results.total;
            }
        }
    }
    report("embedded", times, matched);
}

async fn postgres(entries: Vec<CatalogEntry>) {
    let base = std::env::var("OPEN1688_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let Ok(admin) = sqlx::PgPool::connect(&base).await else {
        println!("postgres: SKIPPED, no server at {base}");
        return;
    };
    // OPEN1688_BENCH_PG_SCHEMA keeps the schema (and reuses its rows) for looking at plans.
    let kept = std::env::var("OPEN1688_BENCH_PG_SCHEMA").ok();
    let schema = kept.clone().unwrap_or_else(|| format!("bench{}", std::process::id()));
    sqlx::query(&format!("CREATE SCHEMA IF NOT EXISTS {schema}")).execute(&admin).await.unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    let store = Arc::new(SqlStore::open(&format!("{base}{sep}options=-c%20search_path%3D{schema}")).await.unwrap());
    let reuse = kept.is_some() && store.catalog_len().await.unwrap() == OFFERS as u64;
    // Stored as crawls store them: one transaction per entry, eight writers at a time.
    let started = Instant::now();
    let entries = Arc::new(entries);
    let mut writers = Vec::new();
    for w in 0..if reuse { 0 } else { 8 } {
        let (store, entries) = (store.clone(), entries.clone());
        writers.push(tokio::spawn(async move {
            for e in entries.iter().skip(w).step_by(8) {
                store.put_catalog_entry(e).await.unwrap();
            }
        }));
    }
    for w in writers {
        w.await.unwrap();
    }
    let stored = started.elapsed();
    let started = Instant::now();
    let reindexed = if reuse { OFFERS as u64 } else { store.reindex_catalog_in_database().await.unwrap().unwrap() };
    let rebuilt = started.elapsed();
    sqlx::query(&format!("ANALYZE {schema}.catalog")).execute(&admin).await.unwrap();
    println!(
        "postgres: stored and indexed {} offers in {:.1} s ({:.0} offers/s, 8 writers); a full reindex takes {:.1} s",
        reindexed,
        stored.as_secs_f64(),
        OFFERS as f64 / stored.as_secs_f64(),
        rebuilt.as_secs_f64()
    );
    let (mut times, mut matched) = (Vec::new(), 0);
    let mut slowest: Vec<(Duration, String)> = Vec::new();
    // The first round computes every answer (the broad ones are then kept while the catalog does
    // not change); it is reported on its own, as what a search costs right after a crawl.
    let mut first_round = Vec::new();
    for round in 0..20 {
        for q in &queries() {
            let t = Instant::now();
            let (results, _) = store.search_catalog_in_database(q).await.unwrap().unwrap();
            if round == 0 {
                first_round.push((t.elapsed(), format!("{:?} ({} matches)", q.text, results.total)));
            }
            if round > 0 {
                times.push(t.elapsed());
                matched += results.total;
                slowest.push((t.elapsed(), format!("{:?} ({:?}, {} matches)", q.text, q.sort, results.total)));
            }
        }
    }
    first_round.sort_by_key(|f| f.0);
    println!(
        "postgres: first round (every answer computed): median {:.2} ms, max {:.2} ms ({})",
        first_round[first_round.len() / 2].0.as_secs_f64() * 1e3,
        first_round.last().unwrap().0.as_secs_f64() * 1e3,
        first_round.last().unwrap().1
    );
    report("postgres", times, matched);
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (took, query) in slowest.iter().take(5) {
        println!("postgres: slow: {:.1} ms {query}", took.as_secs_f64() * 1e3);
    }
    drop(store);
    if kept.is_none() {
        sqlx::query(&format!("DROP SCHEMA {schema} CASCADE")).execute(&admin).await.unwrap();
    }
}
