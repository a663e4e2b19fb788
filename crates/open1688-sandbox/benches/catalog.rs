//! Catalog generation: the default catalog (20,000 offers, 1,600 suppliers) must build in ≤ 2 s
//! and ≤ 300 MB. Prints the peak resident memory of one build, then times builds with criterion.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group};
use open1688_sandbox::catalog::{Catalog, CatalogConfig};

fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn build(c: &mut Criterion) {
    let mut group = c.benchmark_group("catalog");
    group.sample_size(10);
    group.bench_function("build_default_20000_offers", |b| b.iter(|| Catalog::build(CatalogConfig::default())));
    group.finish();
}

criterion_group!(benches, build);

fn main() {
    let before = peak_rss_mb().unwrap_or(0.0);
    let started = std::time::Instant::now();
    let catalog = Catalog::build(CatalogConfig::default());
    let elapsed = started.elapsed();
    let after = peak_rss_mb().unwrap_or(0.0);
    println!(
        "catalog: {} offers, {} suppliers, {} SKUs built in {:.2} s; peak RSS {:.0} MB (process before build {:.0} MB)",
        catalog.offers.len(),
        catalog.suppliers.len(),
        catalog.offers.iter().map(|o| o.skus.len()).sum::<usize>(),
        elapsed.as_secs_f64(),
        after,
        before
    );
    drop(catalog);
    benches();
    Criterion::default().configure_from_args().final_summary();
}
