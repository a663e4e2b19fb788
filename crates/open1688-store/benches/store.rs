//! Store speed on SQLite: snapshot rows imported in batched transactions (target ≥ 100,000
//! rows/s) and one offer's price history over a year of hourly snapshots (target ≤ 5 ms).
#![allow(missing_docs)]

use std::collections::BTreeMap;
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use criterion::Criterion;
use open1688_store::{Snapshot, SqlStore, Store};
use rust_decimal::Decimal;

fn snapshot(offer_id: i64, hour: i64) -> Snapshot {
    Snapshot {
        offer_id,
        at: DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000) + Duration::hours(hour),
        tiers: BTreeMap::from([(2, Decimal::new(1050 - hour % 7, 2)), (100, Decimal::new(980, 2))]),
        skus: BTreeMap::new(),
        stock: Some(1_000 - hour % 50),
        moq: Some(2),
        status: Some("published".into()),
        supplier_score: None,
    }
}

fn main() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = rt.block_on(SqlStore::open(&format!("sqlite://{}", dir.path().join("bench.db").display()))).unwrap();

    let rows: Vec<Snapshot> = (0..200_000).map(|i| snapshot(1_000 + i % 500, i / 500)).collect();
    let started = Instant::now();
    let added = rt.block_on(store.import_snapshots(&rows)).unwrap();
    let secs = started.elapsed().as_secs_f64();
    println!("import: {added} snapshot rows in {secs:.2} s = {:.0} rows/s", added as f64 / secs);

    let year: Vec<Snapshot> = (0..24 * 365).map(|h| snapshot(42, h)).collect();
    rt.block_on(store.import_snapshots(&year)).unwrap();
    let mut c = Criterion::default().configure_from_args();
    // The figure the target is about: prices and stock per fetch, as `open1688 history` reads.
    c.bench_function("price_history_one_offer_a_year_hourly", |b| {
        b.iter(|| rt.block_on(store.price_history(42, 0)).unwrap().len())
    });
    // Full snapshots (with SKUs), decoded from JSON: for comparison.
    c.bench_function("full_history_one_offer_a_year_hourly", |b| {
        b.iter(|| rt.block_on(store.history(42, 0)).unwrap().len())
    });
    c.final_summary();
}
