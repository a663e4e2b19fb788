//! Never panics: form bodies as a gateway receives them (any bytes, broken percent escapes,
//! repeated names), signature checks over them, and every lenient scalar decoder on any JSON.

use open1688_types::lenient;
use open1688_types::push::decode_envelope;
use open1688_types::{Params, SortRule, verify, verify_push};
use proptest::prelude::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Probe {
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    _a: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_decimal")]
    _b: Option<rust_decimal::Decimal>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    _c: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_datetime")]
    _d: Option<chrono::DateTime<chrono::FixedOffset>>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    _e: Option<String>,
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn form_bodies_and_signature_checks_never_panic(
        raw in prop::collection::vec(any::<u8>(), 0..256),
        form in r"([a-zA-Z_%=&+]{0,8}(%[0-9A-Fa-fZz]{0,2})?){0,24}",
        signature in "[0-9A-Fa-f]{0,44}",
        path in ".{0,40}",
    ) {
        for body in [raw.as_slice(), form.as_bytes()] {
            let params = Params::from_form_bodies(&[body, form.as_bytes()]);
            // A platform push arrives as the same kind of form.
            let _ = verify_push(&params, b"secret");
            let pairs: Vec<(String, String)> =
                params.iter().filter(|(k, _)| *k != "_aop_signature").map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
            for rule in [SortRule::Official, SortRule::ByKey] {
                let _ = verify(rule, &path, b"secret", pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), &signature);
            }
        }
    }

    #[test]
    fn order_answers_never_panic(
        text in ".{0,120}",
        id in prop_oneof![any::<i64>().prop_map(|n| n.to_string()), Just("\"87407346014789305\"".to_owned()), Just("1e400".to_owned()), Just("null".to_owned())],
        fen in prop_oneof![any::<i64>().prop_map(|n| n.to_string()), Just("\"x\"".to_owned()), Just("1.5".to_owned())],
        success in prop_oneof![Just("true"), Just("false"), Just("\"false\""), Just("null")],
    ) {
        use open1688_types::api::order::{CreateOrderResponse, PreviewResponse};
        use open1688_types::api::order_read::{OrderDetailResponse, OrderListResponse, PaymentUrlResponse};
        use open1688_types::business::ApiResponse;
        let created = format!(r#"{{"success":{success},"orderId":{id},"totalSuccessAmount":{fen},"result":{{"orderId":{id},"orderList":[{{"orderId":{id},"orderAmmount":{fen}}}]}}}}"#);
        let preview = format!(r#"{{"success":{success},"errorCode":{id},"orderPreviewResuslt":[{{"sumPayment":{fen},"cargoList":[{{"offerId":{id},"amount":{fen}}}]}}]}}"#);
        let detail = format!(r#"{{"result":{{"baseInfo":{{"id":{id},"idOfStr":{id},"discount":{fen},"status":{success}}}}}}}"#);
        for body in [text.as_str(), created.as_str(), preview.as_str(), detail.as_str()] {
            if let Ok(r) = serde_json::from_str::<CreateOrderResponse>(body) {
                let _ = r.business_failure();
                for order in r.created() { let _ = order.amount_yuan(); }
            }
            if let Ok(r) = serde_json::from_str::<PreviewResponse>(body) {
                let _ = r.business_failure();
                for entry in &r.previews { let _ = (entry.total_yuan(), entry.discount_yuan()); }
            }
            if let Ok(r) = serde_json::from_str::<OrderDetailResponse>(body) {
                let _ = r.business_failure();
                if let Some(base) = r.result.and_then(|o| o.base_info) { let _ = (base.order_id(), base.order_status(), base.discount_yuan()); }
            }
            let _ = serde_json::from_str::<OrderListResponse>(body).map(|r| r.business_failure());
            let _ = serde_json::from_str::<PaymentUrlResponse>(body).map(|r| r.business_failure());
        }
    }

    #[test]
    fn push_envelopes_never_panic(
        text in ".{0,120}",
        id in prop_oneof![any::<i64>().prop_map(|n| n.to_string()), Just("\"\"".to_owned()), Just("1e400".to_owned())],
        topic in "(PRODUCT_[A-Z_]{0,12}|FENXIAO_PRICE_CHANGE|ORDER_[A-Z]{0,6})",
        ids in "[0-9, a-z-]{0,40}",
    ) {
        let _ = decode_envelope(&text);
        let built = format!(r#"{{"msgId":{id},"type":"{topic}","data":{{"productIds":"{ids}","OfferInventoryChangeList":[{{"offerId":"{ids}"}}]}}}}"#);
        let _ = decode_envelope(&built);
    }

    #[test]
    fn scalar_decoders_never_panic(
        value in prop_oneof![
            ".{0,24}".prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<u64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, serde_json::Value::Number)),
            "[0-9０-９.．万千+%-]{0,12}".prop_map(serde_json::Value::from),
            "[0-9]{8,20}(\\+0800)?".prop_map(serde_json::Value::from),
        ],
    ) {
        for key in ["_a", "_b", "_c", "_d", "_e"] {
            let doc = serde_json::json!({ key: value.clone() });
            let _ = serde_json::from_value::<Probe>(doc);
        }
        if let Some(text) = value.as_str() {
            let _ = lenient::parse_count(text);
            let _ = lenient::parse_decimal(text);
            let _ = lenient::parse_rate(text);
            let _ = lenient::parse_datetime(text);
        }
    }
}
