//! Sign-and-encode and lenient-decode costs (targets: ≤ 5 µs and ≤ 300 µs).
//!
//! Run: `cargo bench -p open1688-types --bench wire`
#![allow(missing_docs)] // criterion_group! generates undocumented functions

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use open1688_types::api::search::{KeywordQuery, OfferQueryParam, SearchPage};
use open1688_types::business::CrossBorderResponse;
use open1688_types::{ApiRequest, Params};

fn keyword_request() -> KeywordQuery {
    KeywordQuery {
        query: OfferQueryParam {
            keyword: "蓝牙耳机 无线".into(),
            begin_page: 3,
            page_size: 50,
            country: "en".into(),
            sort: Some(r#"{"price":"asc"}"#.into()),
            price_start: Some("5.00".into()),
            price_end: Some("80.00".into()),
            filter: Some("shipInToday".into()),
            ..Default::default()
        },
    }
}

fn sign_and_encode(req: &KeywordQuery) -> String {
    let mut p: Params = req.params().unwrap();
    p.set_raw("access_token", "f14da3b8-b0b1-4f73-a5de-9bed637e0188");
    p.set_raw("_aop_timestamp", "1700000000000");
    let sig = p.signature(&req.api().sign_path("1000000"), b"test123");
    p.set_raw("_aop_signature", sig);
    p.to_form_body()
}

/// A 50-item page built from the documented sample item with distinct ids and prices.
fn page_of_50() -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/responses/product.search.keywordQuery.json");
    let mut doc: serde_json::Value = serde_json::from_slice(&std::fs::read(path).expect("fixture")).unwrap();
    let item = doc["result"]["result"]["data"][0].clone();
    let items: Vec<_> = (0..50)
        .map(|i| {
            let mut it = item.clone();
            it["offerId"] = (620201390233_i64 + i).into();
            it["priceInfo"]["price"] = format!("{}.{:02}", 5 + i, i).into();
            it
        })
        .collect();
    doc["result"]["result"]["data"] = items.into();
    serde_json::to_vec(&doc).unwrap()
}

fn benches(c: &mut Criterion) {
    let req = keyword_request();
    c.bench_function("sign_and_encode_keyword_search", |b| b.iter(|| sign_and_encode(black_box(&req))));
    let body = page_of_50();
    c.bench_function("decode_search_page_50_items", |b| {
        b.iter(|| {
            // As the SDK decodes: validate UTF-8 once, then parse from &str (serde_json then
            // skips re-validating every string).
            let text = std::str::from_utf8(black_box(&body)).unwrap();
            let page: CrossBorderResponse<SearchPage> = serde_json::from_str(text).unwrap();
            assert_eq!(page.into_payload().unwrap().data.len(), 50);
        })
    });
    c.bench_function("decode_search_page_50_items_from_slice", |b| {
        b.iter(|| {
            let page: CrossBorderResponse<SearchPage> = serde_json::from_slice(black_box(&body)).unwrap();
            assert_eq!(page.into_payload().unwrap().data.len(), 50);
        })
    });
}

criterion_group!(wire, benches);
criterion_main!(wire, base);

fn baselines(c: &mut Criterion) {
    let body = page_of_50();
    println!("page bytes: {}", body.len());
    c.bench_function("baseline_ignored_any", |b| {
        b.iter(|| serde_json::from_slice::<serde::de::IgnoredAny>(black_box(&body)).unwrap())
    });
    c.bench_function("baseline_value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(&body)).unwrap())
    });
}
criterion_group!(base, baselines);
