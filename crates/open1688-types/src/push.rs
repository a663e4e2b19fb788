//! Message pushes (spec trade-and-messages §B): the platform POSTs `message=<JSON>` and
//! `_aop_signature` to an app's registered URL. The signature is the API rule without a path —
//! UPPER_HEX(HMAC_SHA1(appSecret, sorted key+value of every received parameter but the
//! signature)) — over the value exactly as received (URL-decoded, never re-serialized: key order,
//! number formatting and ids above 2^53 must stay byte-identical).

use serde::Deserialize;

use crate::params::Params;
use crate::signing::{SIGNATURE_PARAM, SortRule, verify};

/// A received push, checked and decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct PushMessage {
    /// The dedupe key (`msgId`), kept as the text received.
    pub msg_id: String,
    /// The topic (`ORDER_BUYER_VIEW_ORDER_PAY`, `PRODUCT_RELATION_VIEW_PRODUCT_CHANGE`).
    pub topic: String,
    /// The member the message is for (`userInfo`).
    pub user_info: Option<String>,
    /// When the platform made it (`gmtBorn`, epoch ms).
    pub born_ms: Option<i64>,
    /// The `message` value exactly as received.
    pub raw: String,
    /// Offer ids a product message names (`data.productIds` "1,2", `productId`, or
    /// `OfferInventoryChangeList[].offerId`); empty for other topics.
    pub offer_ids: Vec<i64>,
    /// The order an order or logistics message is about (`data.orderId`, or the first of
    /// `orderLogsItems`), read exactly whatever its size.
    pub order_id: Option<i64>,
    /// An order message's `currentStatus` (`waitsellersend`, `success`, `cancel`, …).
    pub order_status: Option<String>,
    /// A logistics message's node (`CONSIGN`, `ACCEPT`, `TRANSPORT`, `DELIVERING`, `SIGN`,
    /// `FAILED`).
    pub logistics_node: Option<String>,
}

/// Why a push was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PushError {
    /// The form has no `message` or no `_aop_signature` (answer 400).
    #[error("the push has no {0} field")]
    Missing(&'static str),
    /// The signature does not match the app secret (answer 401).
    #[error("the push signature does not match")]
    Signature,
    /// The message is not the documented envelope (answer 400).
    #[error("the push message is not a message envelope: {0}")]
    Envelope(String),
}

/// Checks a received push form (query and body parameters together) against the app secret and
/// decodes its envelope.
pub fn verify_push(params: &Params, app_secret: &[u8]) -> Result<PushMessage, PushError> {
    let message = params.get("message").ok_or(PushError::Missing("message"))?;
    let signature = params.get(SIGNATURE_PARAM).ok_or(PushError::Missing(SIGNATURE_PARAM))?;
    if !verify(SortRule::Official, "", app_secret, params.iter(), signature) {
        return Err(PushError::Signature);
    }
    decode_envelope(message)
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "msgId")]
    msg_id: serde_json::Value,
    #[serde(rename = "type")]
    topic: String,
    #[serde(rename = "userInfo", default)]
    user_info: Option<String>,
    #[serde(rename = "gmtBorn", default)]
    born: Option<serde_json::Value>,
    #[serde(default)]
    data: serde_json::Value,
}

fn number_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    }
}

/// Decodes the envelope of a `message` value (already verified).
pub fn decode_envelope(raw: &str) -> Result<PushMessage, PushError> {
    let envelope: Envelope = serde_json::from_str(raw).map_err(|e| PushError::Envelope(e.to_string()))?;
    let msg_id = number_text(&envelope.msg_id).ok_or_else(|| PushError::Envelope("msgId is missing".into()))?;
    let born_ms = envelope.born.as_ref().and_then(number_text).and_then(|t| t.parse().ok());
    let mut offer_ids = Vec::new();
    if envelope.topic.starts_with("PRODUCT_") || envelope.topic.starts_with("FENXIAO_") {
        let data = &envelope.data;
        for key in ["productIds", "productId", "offerId"] {
            if let Some(text) = data.get(key).and_then(number_text) {
                offer_ids.extend(text.split(',').filter_map(|id| id.trim().parse::<i64>().ok()));
            }
        }
        if let Some(list) = data.get("OfferInventoryChangeList").and_then(|l| l.as_array()) {
            offer_ids.extend(list.iter().filter_map(|i| i.get("offerId").and_then(number_text)?.parse::<i64>().ok()));
        }
        offer_ids.sort_unstable();
        offer_ids.dedup();
    }
    let data = &envelope.data;
    let (mut order_id, mut order_status, mut logistics_node) = (None, None, None);
    if envelope.topic.starts_with("ORDER_") {
        order_id = data.get("orderId").and_then(number_text).and_then(|t| t.parse().ok());
        order_status = data.get("currentStatus").and_then(|s| s.as_str()).map(str::to_owned);
    } else if envelope.topic.starts_with("LOGISTICS_") {
        let model = data.get("OrderLogisticsTracingModel").or_else(|| data.get("MailNoChangeModel"));
        let first = model.and_then(|m| m.get("orderLogsItems")).and_then(|l| l.get(0));
        order_id = first.and_then(|i| i.get("orderId")).and_then(number_text).and_then(|t| t.parse().ok());
        logistics_node = model.and_then(|m| m.get("statusChanged")).and_then(|s| s.as_str()).map(str::to_owned);
    }
    Ok(PushMessage {
        msg_id,
        topic: envelope.topic,
        user_info: envelope.user_info,
        born_ms,
        raw: raw.to_owned(),
        offer_ids,
        order_id,
        order_status,
        logistics_node,
    })
}
