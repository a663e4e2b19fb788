//! Push signatures against the ground-truth vectors M1 and M2 (`fixtures/push-signature-vectors.json`):
//! each verifies as received on the wire (form-encoded, `+` for spaces), a tampered message or
//! signature is refused, and the envelope decodes with its ids kept as text.

mod fixtures;

use open1688_types::{Params, PushError, verify_push};

fn vectors() -> Vec<(String, String, String, String)> {
    let v: serde_json::Value = serde_json::from_slice(&fixtures::read("push-signature-vectors.json")).unwrap();
    v["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            let s = |k: &str| x[k].as_str().unwrap().to_owned();
            (s("id"), s("app_secret"), s("message"), s("expected"))
        })
        .collect()
}

fn wire(message: &str, signature: &str) -> Vec<u8> {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("message", message)
        .append_pair("_aop_signature", signature)
        .finish()
        .into_bytes()
}

#[test]
fn the_vectors_verify_as_received_and_tampering_is_refused() {
    let all = vectors();
    assert!(all.iter().any(|v| v.0 == "M1") && all.iter().any(|v| v.0 == "M2"));
    for (id, secret, message, expected) in all {
        let body = wire(&message, &expected);
        let params = Params::from_form_bodies(&[b"", &body]);
        let push = verify_push(&params, secret.as_bytes()).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(push.raw, message, "{id}: the value as received");
        // Lower-case hex is accepted too (the SDK compares case-insensitively).
        let lower = Params::from_form_bodies(&[b"", &wire(&message, &expected.to_lowercase())]);
        assert!(verify_push(&lower, secret.as_bytes()).is_ok(), "{id}");
        let tampered = Params::from_form_bodies(&[b"", &wire(&message.replacen("1", "2", 1), &expected)]);
        assert_eq!(verify_push(&tampered, secret.as_bytes()), Err(PushError::Signature), "{id}");
        assert_eq!(verify_push(&params, b"another-secret"), Err(PushError::Signature), "{id}");
        // Re-serializing the JSON (here: reordering keys) breaks the signature: the raw text is signed.
        let reordered = serde_json::from_str::<serde_json::Value>(&message).unwrap().to_string();
        let again = Params::from_form_bodies(&[b"", &wire(&reordered, &expected)]);
        if reordered != message {
            assert_eq!(verify_push(&again, secret.as_bytes()), Err(PushError::Signature), "{id}");
        }
    }
}

#[test]
fn envelopes_decode_with_big_ids_as_text_and_product_offers_named() {
    let all = vectors();
    let m1 = all.iter().find(|v| v.0 == "M1").unwrap();
    let push = verify_push(&Params::from_form_bodies(&[b"", &wire(&m1.2, &m1.3)]), m1.1.as_bytes()).unwrap();
    assert_eq!((push.msg_id.as_str(), push.topic.as_str()), ("92705609220", "ORDER_BUYER_VIEW_ORDER_PAY"));
    assert!(push.raw.contains("2237938826932135493"), "the big order id is kept byte-exact");
    assert!(push.offer_ids.is_empty());
    // The live capture's order id passes 2^53 and is read exactly, with its status.
    assert_eq!(push.order_id, Some(2_237_938_826_932_135_493));
    assert_eq!(push.order_status.as_deref(), Some("waitsellersend"));
    let m2 = all.iter().find(|v| v.0 == "M2").unwrap();
    let m2 = verify_push(&Params::from_form_bodies(&[b"", &wire(&m2.2, &m2.3)]), m2.1.as_bytes()).unwrap();
    assert_eq!(m2.offer_ids, vec![620201390233]);
    assert_eq!(m2.born_ms, Some(1_700_000_000_000));
    assert_eq!((m2.order_id, m2.order_status.clone()), (None, None));
    // A logistics message names its order and node (spec §B.6).
    let trace = open1688_types::push::decode_envelope(
        r#"{"msgId":7,"type":"LOGISTICS_BUYER_VIEW_TRACE","data":{"OrderLogisticsTracingModel":{"logisticsId":"BX1","mailNo":"ZT1",
            "statusChanged":"ACCEPT","orderLogsItems":[{"orderId":2237938826932135493,"orderEntryId":1}]}}}"#,
    )
    .unwrap();
    assert_eq!((trace.order_id, trace.logistics_node.as_deref()), (Some(2_237_938_826_932_135_493), Some("ACCEPT")));
    let missing = Params::from_form_bodies(&[b"", b"message=%7B%7D"]);
    assert_eq!(verify_push(&missing, b"x"), Err(PushError::Missing("_aop_signature")));
}
