//! Never panics: whatever the gateway or a seller writes, decoding and normalizing return a
//! value or an error. Property tests feed arbitrary text to the ladder parser, and the documented
//! response samples — mutated value by value, truncated and corrupted byte by byte — to every
//! lenient decoder, then to the normalizers and the quantity optimizer.

use chrono::{DateTime, Utc};
use open1688_types::api::account::AccountInfo;
use open1688_types::api::detail::ProductDetail;
use open1688_types::api::product::ProductGetResponse;
use open1688_types::api::search::SearchPage;
use open1688_types::business::{AccountResponse, CrossBorderResponse};
use open1688_types::oauth::TokenResponse;
use open1688_types::{ApiResponse, BusinessFailure, GatewayErrorBody};
use proptest::prelude::*;
use serde_json::Value;
use sourcing::{Freight, Need, PriceLadder};

fn sample(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/responses").join(name);
    serde_json::from_slice(&std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

const SAMPLES: &[&str] = &[
    "product.search.keywordQuery.json",
    "product.search.queryProductDetail.json",
    "alibaba.product.get.json",
    "alibaba.account.basic.json",
    "alibaba.account.agent.crossBasic.json",
    "oauth-get-token.json",
    "product.image.upload.json",
    "gateway-error.json",
];

/// Decodes `text` as the answer `name` documents, and uses what decodes; any panic fails.
fn use_answer(name: &str, text: &str) {
    let at = DateTime::<Utc>::UNIX_EPOCH;
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        let _ = BusinessFailure::detect(&v);
    }
    let (_, _skipped) = open1688_types::collect_skipped(|| match name {
        "product.search.keywordQuery.json" => {
            if let Ok(r) = serde_json::from_str::<CrossBorderResponse<SearchPage>>(text) {
                let _ = r.business_failure();
                for item in r.into_payload().map(|p| p.data).unwrap_or_default() {
                    let _ = sourcing::summary_from_search_item(&item);
                }
            }
        }
        "product.search.queryProductDetail.json" => {
            if let Ok(r) = serde_json::from_str::<CrossBorderResponse<ProductDetail>>(text)
                && let Some(detail) = r.into_payload()
            {
                let _ = sourcing::supplier_from_detail(&detail);
                if let Ok(offer) = sourcing::offer_from_detail(&detail, at) {
                    for need in [1, 7, 1_000, 1_000_000_000, i64::MAX] {
                        let _ = sourcing::optimal_quantity(&offer, None, &Need::units(need), &Freight::default());
                    }
                    // A variant named by the first SKU's attributes, and the cost delivered abroad
                    // from whatever weight and dimensions the answer gives.
                    let spec = offer.skus.first().map(|s| s.attributes.iter().cloned().collect()).unwrap_or_default();
                    let _ = sourcing::select_sku(&offer, &spec);
                    if let Ok(landed) = sourcing::landed_cost(&offer, None, 7, &Freight::default()) {
                        for terms in cross_border_terms() {
                            let _ = sourcing::cross_border_cost(&offer, &landed, &terms, at.date_naive());
                        }
                    }
                }
            }
        }
        "alibaba.product.get.json" => {
            if let Ok(r) = serde_json::from_str::<ProductGetResponse>(text) {
                let _ = r.business_failure();
            }
        }
        "alibaba.account.basic.json" | "alibaba.account.agent.crossBasic.json" => {
            if let Ok(r) = serde_json::from_str::<AccountResponse<AccountInfo>>(text)
                && let Some(info) = r.result
            {
                let _ = sourcing::supplier_from_account(&info);
            }
        }
        "oauth-get-token.json" => {
            let _ = serde_json::from_str::<TokenResponse>(text);
        }
        "product.image.upload.json" => {
            let _ = serde_json::from_str::<CrossBorderResponse<String>>(text).map(|r| r.business_failure());
        }
        _ => {
            let _ = serde_json::from_str::<GatewayErrorBody>(text);
        }
    });
}

/// Air freight by kg and sea freight by m³, with a rate that converts at any date.
fn cross_border_terms() -> Vec<sourcing::CrossBorderTerms> {
    let rates = sourcing::ExchangeRates {
        currency: "USD".into(),
        rates: vec![(chrono::NaiveDate::MIN, rust_decimal::Decimal::new(14, 2))],
    };
    [
        sourcing::InternationalFreight::Kg { rate: 35.into(), divisor: 6_000.into() },
        sourcing::InternationalFreight::CubicMetre { rate: 800.into() },
    ]
    .into_iter()
    .map(|freight| sourcing::CrossBorderTerms {
        rates: rates.clone(),
        freight,
        duty_percent: 5.into(),
        vat_percent: 20.into(),
        agent_fee_percent: 3.into(),
    })
    .collect()
}

/// Every value's JSON pointer in `v`.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            m.iter().for_each(|(k, x)| pointers(x, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out))
        }
        Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| pointers(x, format!("{at}/{i}"), out)),
        _ => {}
    }
}

/// Values the platform sends where it should not, and plain random ones.
fn odd_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop::sample::select(vec![
            "",
            "1万+",
            "46%",
            "A",
            "-1",
            "0",
            "1e400",
            "99999999999999999999999",
            "20121222222222+0800",
            "2026-13-45 25:61:61",
            "¥",
            "1-9件:¥10.00;10件以上:",
            "NaN",
            "true",
            "null",
            "０．５",
        ])
        .prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn ladder_strings_never_panic(text in ".{0,80}") {
        if let Ok(ladder) = PriceLadder::parse(&text) {
            for q in [i64::MIN, -1, 0, 1, ladder.min_qty(), i64::MAX] {
                let _ = ladder.unit_price(q);
            }
        }
    }

    #[test]
    fn ladder_like_strings_never_panic(text in r"([0-9０-９]{0,20}[-~～+件个以上≥>=:：¥￥元.．,，;；| \n]{0,3}){0,8}") {
        let _ = PriceLadder::parse(&text);
    }

    #[test]
    fn mutated_samples_never_panic(
        which in 0..SAMPLES.len(),
        picks in prop::collection::vec((any::<prop::sample::Index>(), odd_value()), 1..4),
    ) {
        let name = SAMPLES[which];
        let mut v = sample(name);
        for (pick, replacement) in picks {
            let mut all = Vec::new();
            pointers(&v, String::new(), &mut all);
            let at = pick.get(&all).clone();
            match v.pointer_mut(&at) {
                Some(slot) => *slot = replacement,
                None => v = replacement,
            }
        }
        use_answer(name, &v.to_string());
    }

    #[test]
    fn corrupted_sample_bytes_never_panic(
        which in 0..SAMPLES.len(),
        cut in any::<prop::sample::Index>(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
    ) {
        let name = SAMPLES[which];
        let mut bytes = sample(name).to_string().into_bytes();
        for (at, byte) in flips {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        bytes.truncate(cut.index(bytes.len() + 1));
        use_answer(name, &String::from_utf8_lossy(&bytes));
    }
}
