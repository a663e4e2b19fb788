//! Normalization alone: a detail with 30 SKUs and a 3-tier ladder into an `Offer` (target ≥ 50,000
//! offers/s), and a search item into an `OfferSummary`.
#![allow(missing_docs)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use open1688_types::api::detail::ProductDetail;
use open1688_types::api::search::SearchPage;
use open1688_types::business::CrossBorderResponse;
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/responses").join(name);
    serde_json::from_str(&std::fs::read_to_string(path).expect("the fixtures folder of the repository")).unwrap()
}

fn detail_with_30_skus() -> ProductDetail {
    let mut v = fixture("product.search.queryProductDetail.json");
    let d = &mut v["result"]["result"];
    let sku = d["productSkuInfos"][0].clone();
    d["productSkuInfos"] = Value::Array(
        (0..30)
            .map(|i| {
                let mut s = sku.clone();
                s["skuId"] = (5104790281451i64 + i).into();
                s
            })
            .collect(),
    );
    d["productSaleInfo"]["priceRangeList"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"startQuantity": 500, "price": "9.20"}));
    serde_json::from_value::<CrossBorderResponse<ProductDetail>>(v).unwrap().into_payload().unwrap()
}

fn normalize(c: &mut Criterion) {
    let detail = detail_with_30_skus();
    let now = chrono::Utc::now();
    let mut group = c.benchmark_group("normalize");
    group.throughput(Throughput::Elements(1));
    group
        .bench_function("offer_from_detail_30_skus", |b| b.iter(|| sourcing::offer_from_detail(&detail, now).unwrap()));
    let page: CrossBorderResponse<SearchPage> =
        serde_json::from_value(fixture("product.search.keywordQuery.json")).unwrap();
    let item = page.into_payload().unwrap().data.remove(0);
    group.bench_function("summary_from_search_item", |b| b.iter(|| sourcing::summary_from_search_item(&item).unwrap()));
    group.finish();
}

criterion_group!(benches, normalize);
criterion_main!(benches);
