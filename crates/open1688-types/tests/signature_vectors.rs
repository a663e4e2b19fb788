//! The mandatory signature vectors V1–V7 (spec §2.2) and signing properties.

mod fixtures;

use open1688_types::{Params, SortRule, sign, sign_with, verify};
use proptest::prelude::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Vector {
    id: String,
    sign_path: String,
    secret: String,
    params: serde_json::Map<String, serde_json::Value>,
    expected: String,
    expected_key_sorted: Option<String>,
}

fn vectors() -> Vec<Vector> {
    serde_json::from_slice(&fixtures::read("signature-vectors.json")).expect("signature-vectors.json parses")
}

fn wire(v: &Vector) -> Vec<(String, String)> {
    v.params.iter().map(|(k, val)| (k.clone(), val.as_str().expect("vector params are strings").to_owned())).collect()
}

#[test]
fn all_seven_vectors_reproduce_the_expected_signature() {
    let vectors = vectors();
    let ids: Vec<_> = vectors.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, ["V1", "V2", "V3", "V4", "V5", "V6", "V7"]);
    for v in &vectors {
        let params = wire(v);
        let got = sign(&v.sign_path, v.secret.as_bytes(), params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(got, v.expected, "vector {}", v.id);
        // The same through `Params`, the type the SDK signs with.
        let mut p = Params::new();
        for (k, val) in &params {
            p.set_raw(k, val.clone());
        }
        assert_eq!(p.signature(&v.sign_path, v.secret.as_bytes()), v.expected, "vector {} via Params", v.id);
        assert!(verify(SortRule::Official, &v.sign_path, v.secret.as_bytes(), p.iter(), &v.expected.to_lowercase()));
    }
}

#[test]
fn v5_official_differs_from_key_sorted() {
    let v5 = vectors().into_iter().find(|v| v.id == "V5").unwrap();
    let params = wire(&v5);
    let pairs = || params.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let key_sorted = sign_with(SortRule::ByKey, &v5.sign_path, v5.secret.as_bytes(), pairs());
    assert_eq!(Some(key_sorted.as_str()), v5.expected_key_sorted.as_deref());
    assert_ne!(key_sorted, v5.expected);
    assert!(!verify(SortRule::Official, &v5.sign_path, v5.secret.as_bytes(), pairs(), &key_sorted));
}

#[test]
fn v2_wire_body_is_exactly_the_documented_form() {
    let v2 = vectors().into_iter().find(|v| v.id == "V2").unwrap();
    let mut p = Params::new();
    // The documented body lists the fields in this order.
    for k in ["access_token", "_aop_timestamp", "offerQueryParam"] {
        p.set_raw(k, v2.params[k].as_str().unwrap());
    }
    let sig = p.signature(&v2.sign_path, v2.secret.as_bytes());
    p.set_raw("_aop_signature", sig);
    assert_eq!(
        p.to_form_body(),
        "access_token=f14da3b8-b0b1-4f73-a5de-9bed637e0188&_aop_timestamp=1700000000000&offerQueryParam=%7B%22keyword%22%3A%22%E9%A5%BC%E5%B9%B2%22%2C%22beginPage%22%3A1%2C%22pageSize%22%3A20%2C%22country%22%3A%22en%22%7D&_aop_signature=BC4C71D0132DDB3FF63DF0CE127FB2FF46F7069E"
    );
}

fn param_map() -> impl Strategy<Value = Vec<(String, String)>> {
    proptest::collection::btree_map("[a-zA-Z_][a-zA-Z0-9_]{0,12}", "\\PC{0,24}", 1..8)
        .prop_map(|m| m.into_iter().collect())
}

proptest! {
    #[test]
    fn insertion_order_never_matters(params in param_map(), seed in any::<u64>()) {
        let mut shuffled = params.clone();
        // A deterministic shuffle from the seed.
        let n = shuffled.len();
        let mut s = seed;
        for i in (1..n).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        let a = sign("param2/1/ns/name/1", b"k", params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let b = sign("param2/1/ns/name/1", b"k", shuffled.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        prop_assert_eq!(a, b);
    }

    #[test]
    fn any_change_to_a_value_changes_the_signature(params in param_map(), idx in any::<prop::sample::Index>(), extra in "\\PC{1,4}") {
        let base = sign("param2/1/ns/name/1", b"k", params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let mut changed = params.clone();
        let i = idx.index(changed.len());
        changed[i].1.push_str(&extra);
        let other = sign("param2/1/ns/name/1", b"k", changed.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        prop_assert_ne!(base, other);
    }
}
