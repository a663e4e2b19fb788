//! Shared pieces of the API answers: the cross-border envelope, reading JSON-object parameters
//! leniently, dates in the platform's two formats, image URLs, live prices.

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::catalog::Offer;
use crate::catalog::drift::LiveOffer;
pub use crate::clock::{platform_date_ms, search_date};
use crate::reply::Reply;

/// `success` as the API documents it: a boolean in most, the string `"true"` in some (§5.2).
#[derive(Clone, Copy, Debug)]
pub enum SuccessType {
    /// `true`/`false`.
    Bool,
    /// `"true"`/`"false"`.
    String,
}

#[derive(Serialize)]
#[serde(untagged)]
enum SuccessValue {
    Bool(bool),
    Str(&'static str),
}

impl SuccessType {
    fn value(self, ok: bool) -> SuccessValue {
        match self {
            SuccessType::Bool => SuccessValue::Bool(ok),
            SuccessType::String => SuccessValue::Str(if ok { "true" } else { "false" }),
        }
    }
}

#[derive(Serialize)]
struct Envelope<T> {
    result: Inner<T>,
}

#[derive(Serialize)]
struct Inner<T> {
    success: SuccessValue,
    code: &'static str,
    message: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    result: Option<T>,
}

#[derive(Serialize)]
struct Failure<'a> {
    result: FailureInner<'a>,
}

#[derive(Serialize)]
struct FailureInner<'a> {
    success: SuccessValue,
    code: &'a str,
    message: &'a str,
}

/// A cross-border success: `{"result":{"success":…,"code":"200","message":"成功","result":payload}}`.
pub fn crossborder_ok<T: Serialize>(success: SuccessType, payload: T) -> Reply {
    Reply::ok(&Envelope {
        result: Inner { success: success.value(true), code: "200", message: "成功", result: Some(payload) },
    })
}

/// A cross-border business failure: `{"result":{"success":false,"code":…,"message":…}}`.
pub fn crossborder_fail(success: SuccessType, code: &str, message: &str) -> Reply {
    Reply::business(code, &Failure { result: FailureInner { success: success.value(false), code, message } })
}

/// Parses a parameter that holds a JSON object (`offerQueryParam`…).
pub fn json_object(raw: &str, name: &str) -> Result<Map<String, Value>, String> {
    match serde_json::from_str::<Value>(raw) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(format!("{name} must be a JSON object")),
        Err(e) => Err(format!("{name} is not valid JSON: {e}")),
    }
}

/// An integer field given as a number or a numeric string.
pub fn get_i64(map: &Map<String, Value>, key: &str) -> Result<Option<i64>, String> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| format!("{key} must be an integer, got {n}")),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => {
            s.trim().parse().map(Some).map_err(|_| format!("{key} must be an integer, got {s:?}"))
        }
        Some(other) => Err(format!("{key} must be an integer, got {other}")),
    }
}

/// A decimal field given as a string or a number.
pub fn get_decimal(map: &Map<String, Value>, key: &str) -> Result<Option<Decimal>, String> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| format!("{key} must be a number, got {s:?}")),
        Some(Value::Number(n)) => {
            n.to_string().parse().map(Some).map_err(|_| format!("{key} must be a number, got {n}"))
        }
        Some(other) => Err(format!("{key} must be a number, got {other}")),
    }
}

/// A string field (numbers are accepted and written out).
pub fn get_str<'a>(map: &'a Map<String, Value>, key: &str) -> Option<std::borrow::Cow<'a, str>> {
    match map.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(std::borrow::Cow::Borrowed(s.as_str())),
        Value::Number(n) => Some(std::borrow::Cow::Owned(n.to_string())),
        _ => None,
    }
}

/// Relative path of gallery image `n` of an offer (`img/ibank/…`, as `alibaba.product.get` writes).
pub fn image_path(offer: &Offer, n: u8) -> String {
    format!("img/ibank/{}_{n}.png", offer.id)
}

/// Relative path of the image of a SKU colour value.
pub fn sku_image_path(offer: &Offer, value: u8) -> String {
    format!("img/sku/{}_{value}.png", offer.id)
}

/// Full URL of a relative image path.
pub fn image_url(base_url: &str, path: &str) -> String {
    format!("{base_url}/{path}")
}

/// Money as the cross-border models write it: a string with two decimals.
pub fn money(d: Decimal) -> String {
    format!("{:.2}", d.round_dp(2))
}

/// Money as a double, as the `alibaba.product.*` models carry it.
pub fn money_f64(d: Decimal) -> f64 {
    use rust_decimal::prelude::ToPrimitive;
    d.round_dp(2).to_f64().unwrap_or_default()
}

/// The lowest current unit price of an offer (tier 1, or the cheapest SKU for quote type 1).
pub fn live_price(offer: &Offer, live: &LiveOffer) -> Decimal {
    live.price(base_price(offer))
}

/// The lowest base unit price.
pub fn base_price(offer: &Offer) -> Decimal {
    if offer.quote_type == 1 {
        offer.skus.iter().map(|s| s.price).min().unwrap_or(offer.ladder[0].1)
    } else {
        offer.ladder[0].1
    }
}

/// The current ladder: the first tier starts at the current MOQ.
pub fn live_ladder(offer: &Offer, live: &LiveOffer) -> Vec<(i64, Decimal)> {
    live.ladder(offer)
}

/// A promotion price when the offer runs a promotion.
pub fn promotion(price: Decimal, pct: Option<u8>) -> Option<Decimal> {
    pct.map(|p| (price * Decimal::from(100 - u32::from(p)) / Decimal::from(100)).round_dp(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_platform_formats() {
        assert_eq!(search_date(1_713_571_200), "2024-04-20 08:00:00");
        assert_eq!(platform_date_ms(1_544_704_598_000), "20181213203638000+0800");
    }

    #[test]
    fn lenient_fields() {
        let map = json_object(r#"{"a":"12","b":3,"c":"x","d":"9.5"}"#, "p").unwrap();
        assert_eq!(get_i64(&map, "a"), Ok(Some(12)));
        assert_eq!(get_i64(&map, "b"), Ok(Some(3)));
        assert!(get_i64(&map, "c").unwrap_err().contains("c must be an integer"));
        assert_eq!(get_decimal(&map, "d"), Ok(Some(Decimal::new(95, 1))));
        assert!(json_object("[1]", "offerQueryParam").unwrap_err().contains("JSON object"));
    }
}
