//! Never panics: the sandbox answers any form body (signed or not, any bytes, any parameter
//! value) with a gateway answer — never a 500 or a dropped connection — and decodes any upload
//! bytes into a picture or a refusal.

mod support;

use std::io::Cursor;

use open1688_sandbox::images::{Region, StoredImage};
use proptest::prelude::*;
use serde_json::{Value, json};
use support::{CB, Caller, small_sandbox};

/// Calls with a business parameter, as (namespace, API, parameter name).
const CALLS: &[(&str, &str, &str)] = &[
    (CB, "product.search.keywordQuery", "offerQueryParam"),
    (CB, "product.search.imageQuery", "offerQueryParam"),
    (CB, "product.search.querySellerOfferList", "offerQueryParam"),
    (CB, "product.search.queryProductDetail", "offerDetailParam"),
    (CB, "product.image.upload", "uploadImageParam"),
    ("com.alibaba.product", "alibaba.product.get", "productID"),
    ("com.alibaba.product", "alibaba.product.getByIdList", "productIdList"),
    ("com.alibaba.account", "alibaba.account.basic", "memberId"),
];

/// JSON documents with the right keys and odd values, and plain text.
fn param_value() -> impl Strategy<Value = String> {
    let odd = prop_oneof![
        Just(Value::Null),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,16}".prop_map(Value::from),
        Just(json!([])),
        Just(json!({})),
        Just(Value::from("9".repeat(40))),
    ];
    let key = prop::sample::select(vec![
        "keyword",
        "beginPage",
        "pageSize",
        "country",
        "offerId",
        "imageId",
        "imageAddress",
        "region",
        "priceStart",
        "priceEnd",
        "sort",
        "filter",
        "categoryId",
        "sellerOpenId",
        "imageBase64",
        "snId",
    ]);
    prop_oneof![
        prop::collection::btree_map(key, odd, 0..6)
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()).to_string()),
        ".{0,60}",
        "[0-9,\\[\\] -]{0,30}",
    ]
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([x as u8, y as u8, 7]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[test]
fn any_request_gets_a_gateway_answer() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let sandbox = rt.block_on(small_sandbox());
    let caller = Caller::demo(&sandbox);
    let config = ProptestConfig { cases: 256, ..ProptestConfig::default() };
    proptest!(config, |(
        which in 0..CALLS.len(),
        value in param_value(),
        extra in prop::collection::vec(("[a-zA-Z_]{1,12}", ".{0,20}"), 0..3),
        raw in prop::collection::vec(any::<u8>(), 0..512),
        garbage_form in r"([a-z_%=&+]{0,8}(%[0-9A-Fa-fZz]{0,2})?){0,20}",
    )| {
        let (ns, api, param) = CALLS[which];
        let mut pairs: Vec<(&str, &str)> = vec![(param, value.as_str())];
        pairs.extend(extra.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let signed = rt.block_on(caller.call(ns, api, &pairs));
        prop_assert!(signed.status < 500, "{api} {value:?}: {} {}", signed.status, signed.body);
        let path = caller.path(ns, api);
        let raw_text = String::from_utf8_lossy(&raw).into_owned();
        for body in [raw_text.as_str(), garbage_form.as_str()] {
            let answer = rt.block_on(caller.post(&path, body));
            prop_assert!(answer.status < 500, "{body:?}: {} {}", answer.status, answer.body);
        }
    });
    rt.block_on(sandbox.shutdown());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_upload_bytes_decode_or_are_refused(
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        cut in any::<prop::sample::Index>(),
        width in 1u32..40,
        height in 1u32..40,
        claimed in prop::option::of((any::<u32>(), any::<u32>())),
    ) {
        let mut bytes = png(width, height);
        // The header's width and height (IHDR at byte 16): a small file claiming a huge canvas.
        if let Some((w, h)) = claimed {
            bytes[16..20].copy_from_slice(&w.to_be_bytes());
            bytes[20..24].copy_from_slice(&h.to_be_bytes());
        }
        for (at, byte) in flips {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        bytes.truncate(cut.index(bytes.len() + 1).max(bytes.len() / 2));
        if let Ok(image) = StoredImage::decode(&bytes) {
            let _ = image.hash(Some(image.full_region()));
        }
    }

    #[test]
    fn any_region_text_parses_or_is_none(text in ".{0,30}", numbers in prop::collection::vec(any::<u32>(), 0..6)) {
        let _ = Region::parse(&text);
        let joined = numbers.iter().map(u32::to_string).collect::<Vec<_>>().join(",");
        if let Some(r) = Region::parse(&joined) {
            prop_assert!(r.x1 < r.x2 && r.y1 < r.y2);
        }
    }
}
