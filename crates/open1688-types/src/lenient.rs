//! Lenient decoders for the platform's type quirks (spec "Reading versus writing").
//!
//! The gateway sends `success` as `true` or `"true"`, `expires_in` as `"36000"` or `36000`,
//! prices as strings in some models and doubles in others, and two date formats. Every decoder
//! here reads all of those, treats `null` and `""` as absent, and fails with a clear message on
//! anything else. Use them as `#[serde(default, deserialize_with = "lenient::opt_…")]`. The
//! [`tolerant`] variants turn a value they cannot read into `None` instead: response models use
//! them, so one odd value (`"A"` for a count) does not fail a whole page.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, TimeZone};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

/// China Standard Time, the zone of every date the platform writes without an offset.
pub fn china_offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("+08:00 is a valid offset")
}

/// A scalar as it arrived: the visitor collects one of these, then each decoder converts it.
enum Scalar<'a> {
    Absent,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(std::borrow::Cow<'a, str>),
    /// An object or array where a scalar was expected, read to its end (so a tolerant decoder
    /// can skip it and the rest of the document still decodes).
    Structured(&'static str),
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number, boolean or null")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Scalar::I64(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Scalar::U64(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Scalar::F64(v))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(v.into()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Str(v.to_owned().into()))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Scalar::Str(v.into()))
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Absent)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Absent)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<de::IgnoredAny, de::IgnoredAny>()?.is_some() {}
        Ok(Scalar::Structured("an object"))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(Scalar::Structured("an array"))
    }
}

fn scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Scalar<'de>, D::Error> {
    match d.deserialize_any(ScalarVisitor)? {
        Scalar::Str(s) if s.trim().is_empty() => Ok(Scalar::Absent),
        other => Ok(other),
    }
}

/// `true`, `false`, `"true"`, `"false"`, `1`, `0`, `"1"`, `"0"`, `"Y"`/`"N"`.
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    to_bool(scalar(d)?).map_err(de::Error::custom)
}

fn to_bool(v: Scalar<'_>) -> Result<Option<bool>, String> {
    match v {
        Scalar::Absent => Ok(None),
        Scalar::Bool(b) => Ok(Some(b)),
        Scalar::I64(0) | Scalar::U64(0) => Ok(Some(false)),
        Scalar::I64(1) | Scalar::U64(1) => Ok(Some(true)),
        Scalar::Str(s) => parse_bool(s.trim()).map(Some).ok_or_else(|| format!("expected a boolean, got string {s:?}")),
        Scalar::I64(_) | Scalar::U64(_) | Scalar::F64(_) => Err("expected a boolean, got a number".into()),
        Scalar::Structured(what) => Err(format!("expected a boolean, got {what}")),
    }
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "true" | "TRUE" | "True" | "1" | "Y" | "y" => Some(true),
        "false" | "FALSE" | "False" | "0" | "N" | "n" => Some(false),
        _ => None,
    }
}

/// An `i64` from a number or a decimal string; a double is accepted only when it is integral.
/// Counts as sellers write them are read too: `"1,234"`, `"1万+"` (10,000), `"2.5万"`, `"500+"`.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    to_i64(scalar(d)?).map_err(de::Error::custom)
}

fn to_i64(v: Scalar<'_>) -> Result<Option<i64>, String> {
    match v {
        Scalar::Absent => Ok(None),
        Scalar::I64(v) => Ok(Some(v)),
        Scalar::U64(v) => i64::try_from(v).map(Some).map_err(|_| format!("integer {v} does not fit in i64")),
        Scalar::F64(v) => integral_f64(v).map(Some).ok_or_else(|| format!("expected an integer, got {v}")),
        Scalar::Str(s) => {
            let t = s.trim();
            t.parse::<i64>()
                .ok()
                .or_else(|| t.parse::<f64>().ok().and_then(integral_f64))
                .or_else(|| parse_count(t))
                .map(Some)
                .ok_or_else(|| format!("expected an integer, got string {s:?}"))
        }
        Scalar::Bool(_) => Err("expected an integer, got a boolean".into()),
        Scalar::Structured(what) => Err(format!("expected an integer, got {what}")),
    }
}

/// A count as shown to buyers: thousands commas, a trailing `+` (at least), and the Chinese
/// magnitudes 万 (10⁴) and 亿 (10⁸): `"1万+"` → 10,000, `"2.5万"` → 25,000. `None` when it is not
/// one, or does not fit.
pub fn parse_count(s: &str) -> Option<i64> {
    let t = s.trim().trim_end_matches('+').trim().replace(',', "");
    let (number, scale) = if let Some(n) = t.strip_suffix('万') {
        (n, Decimal::from(10_000))
    } else if let Some(n) = t.strip_suffix('亿') {
        (n, Decimal::from(100_000_000))
    } else {
        (t.as_str(), Decimal::ONE)
    };
    let value = Decimal::from_str(number.trim()).ok()?.checked_mul(scale)?;
    use rust_decimal::prelude::ToPrimitive;
    value.trunc().to_i64()
}

fn integral_f64(v: f64) -> Option<i64> {
    // 2^63 is exactly representable; anything at or beyond it does not fit.
    (v.fract() == 0.0 && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&v)).then_some(v as i64)
}

/// An exact [`Decimal`] from a string (`"10.50"`, `"¥10.50"`, `"1,234.5"`) or a JSON number.
///
/// Doubles go through their shortest decimal representation, so `445.0` becomes `445` and
/// `1.21` becomes `1.21`, never `1.2099999…`.
pub fn opt_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    to_decimal(scalar(d)?).map_err(de::Error::custom)
}

fn to_decimal(v: Scalar<'_>) -> Result<Option<Decimal>, String> {
    match v {
        Scalar::Absent => Ok(None),
        Scalar::I64(v) => Ok(Some(Decimal::from(v))),
        Scalar::U64(v) => Ok(Some(Decimal::from(v))),
        Scalar::F64(v) => {
            decimal_from_f64(v).map(Some).ok_or_else(|| format!("number {v} is not a representable decimal"))
        }
        Scalar::Str(s) => {
            parse_decimal(&s).map(Some).ok_or_else(|| format!("expected a decimal amount, got string {s:?}"))
        }
        Scalar::Bool(_) => Err("expected a decimal amount, got a boolean".into()),
        Scalar::Structured(what) => Err(format!("expected a decimal amount, got {what}")),
    }
}

/// Converts a double through its shortest round-trip text, which is what the sender meant.
pub fn decimal_from_f64(v: f64) -> Option<Decimal> {
    if !v.is_finite() {
        return None;
    }
    let text = v.to_string();
    Decimal::from_str(&text).or_else(|_| Decimal::from_scientific(&text)).ok().map(|d| d.normalize())
}

/// Parses an amount the way sellers write it: optional `¥`/`￥`, thousands commas, `元` suffix.
pub fn parse_decimal(s: &str) -> Option<Decimal> {
    let t = s.trim().trim_start_matches(['¥', '￥']).trim_end_matches('元').trim();
    if t.contains(',') { Decimal::from_str(&t.replace(',', "")).ok() } else { Decimal::from_str(t).ok() }
}

/// A rate as a fraction: `"13%"` → 0.13, `"99.12%"` → 0.9912, `"0.46"` → 0.46.
pub fn parse_rate(s: &str) -> Option<Decimal> {
    let t = s.trim();
    match t.strip_suffix('%') {
        Some(p) => parse_decimal(p).map(|d| d / Decimal::ONE_HUNDRED),
        None => parse_decimal(t),
    }
}

/// A string from a string or a number (ids such as `attributeId` arrive as both).
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    to_text(d.deserialize_any(ScalarVisitor)?).map_err(de::Error::custom)
}

fn to_text(v: Scalar<'_>) -> Result<Option<String>, String> {
    match v {
        Scalar::Absent => Ok(None),
        Scalar::Str(s) => Ok(Some(s.into_owned())),
        Scalar::I64(v) => Ok(Some(v.to_string())),
        Scalar::U64(v) => Ok(Some(v.to_string())),
        Scalar::F64(v) => Ok(Some(v.to_string())),
        Scalar::Bool(b) => Ok(Some(b.to_string())),
        Scalar::Structured(what) => Err(format!("expected a string, got {what}")),
    }
}

/// A date in either platform format: `20170126094556000+0800` (`alibaba.*`, OAuth) or
/// `2024-04-20 08:00:00` (cross-border, China time). Epoch milliseconds are accepted too.
pub fn opt_datetime<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
    to_datetime(scalar(d)?).map_err(de::Error::custom)
}

fn to_datetime(v: Scalar<'_>) -> Result<Option<DateTime<FixedOffset>>, String> {
    match v {
        Scalar::Absent => Ok(None),
        Scalar::I64(ms) => from_epoch_ms(ms).map(Some).ok_or_else(|| "timestamp out of range".into()),
        Scalar::U64(ms) => {
            i64::try_from(ms).ok().and_then(from_epoch_ms).map(Some).ok_or_else(|| "timestamp out of range".into())
        }
        Scalar::Str(s) => parse_datetime(&s).map(Some).ok_or_else(|| format!("unrecognised date {s:?}")),
        Scalar::F64(_) | Scalar::Bool(_) => Err("expected a date string".into()),
        Scalar::Structured(what) => Err(format!("expected a date string, got {what}")),
    }
}

/// Tolerant decoding for the optional fields of response models: a value that cannot be read as
/// the field's type (`"A"` for a number, an object for a date) becomes `None` and the rest of the
/// item still decodes. Only a malformed document (bad JSON) is an error.
pub mod tolerant {
    use super::*;

    /// An integer or count, else `None`.
    pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        Ok(to_i64(scalar(d)?).unwrap_or(None))
    }
    /// A decimal amount, else `None`.
    pub fn opt_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        Ok(to_decimal(scalar(d)?).unwrap_or(None))
    }
    /// A boolean, else `None`.
    pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        Ok(to_bool(scalar(d)?).unwrap_or(None))
    }
    /// A date in any platform format, else `None`.
    pub fn opt_datetime<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
        Ok(to_datetime(scalar(d)?).unwrap_or(None))
    }
    /// A string from a string or a number, else `None` (an object or array).
    pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(to_text(d.deserialize_any(ScalarVisitor)?).unwrap_or(None))
    }
}

fn from_epoch_ms(ms: i64) -> Option<DateTime<FixedOffset>> {
    DateTime::from_timestamp_millis(ms).map(|t| t.with_timezone(&china_offset()))
}

/// Parses either platform date format; see [`opt_datetime`].
pub fn parse_datetime(s: &str) -> Option<DateTime<FixedOffset>> {
    let t = s.trim().trim_matches('"');
    // Hand-parsed: these run for every item of every page, and chrono's format parser is the
    // slowest step of decoding a search page.
    parse_compact(t).or_else(|| parse_dashed(t)).or_else(|| DateTime::parse_from_rfc3339(t).ok())
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
}

fn assemble(date: [u32; 3], time: [u32; 4], offset: FixedOffset) -> Option<DateTime<FixedOffset>> {
    let d = chrono::NaiveDate::from_ymd_opt(i32::try_from(date[0]).ok()?, date[1], date[2])?;
    let naive = d.and_hms_milli_opt(time[0], time[1], time[2], time[3])?;
    offset.from_local_datetime(&naive).single()
}

/// `yyyyMMddHHmmssSSS±zzzz`, or without the milliseconds (`yyyyMMddHHmmss±zzzz`, as some OAuth
/// answers write `refresh_token_timeout`).
fn parse_compact(t: &str) -> Option<DateTime<FixedOffset>> {
    let b = t.as_bytes();
    let zone_at = match b.len() {
        22 => 17,
        19 => 14,
        _ => return None,
    };
    if !matches!(b[zone_at], b'+' | b'-') {
        return None;
    }
    let zone = i32::try_from(digits(&b[zone_at + 1..zone_at + 3])? * 3600 + digits(&b[zone_at + 3..zone_at + 5])? * 60)
        .ok()?;
    let offset = FixedOffset::east_opt(if b[zone_at] == b'-' { -zone } else { zone })?;
    let millis = if zone_at == 17 { digits(&b[14..17])? } else { 0 };
    assemble(
        [digits(&b[0..4])?, digits(&b[4..6])?, digits(&b[6..8])?],
        [digits(&b[8..10])?, digits(&b[10..12])?, digits(&b[12..14])?, millis],
        offset,
    )
}

/// `yyyy-MM-dd HH:mm:ss[.SSS]` (or with `T`), China time.
fn parse_dashed(t: &str) -> Option<DateTime<FixedOffset>> {
    let b = t.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b' ' | b'T') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let millis = match &b[19..] {
        [] => 0,
        [b'.', frac @ ..] if (1..=9).contains(&frac.len()) => {
            let n = digits(frac)?;
            let scale = 10u32.pow(u32::try_from(frac.len()).ok()?);
            u32::try_from(u64::from(n) * 1000 / u64::from(scale)).ok()?
        }
        _ => return None,
    };
    assemble(
        [digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?],
        [digits(&b[11..13])?, digits(&b[14..16])?, digits(&b[17..19])?, millis],
        china_offset(),
    )
}

/// Formats a date the way `alibaba.*` models write it: `yyyyMMddHHmmssSSS+0800`.
pub fn format_platform_datetime(t: &DateTime<FixedOffset>) -> String {
    t.format("%Y%m%d%H%M%S%3f%z").to_string()
}

/// `null` as the type's default (an empty list, usually).
pub fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: serde::Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Deserialize, Debug)]
    struct Probe {
        #[serde(default, deserialize_with = "opt_bool")]
        b: Option<bool>,
        #[serde(default, deserialize_with = "opt_i64")]
        i: Option<i64>,
        #[serde(default, deserialize_with = "opt_decimal")]
        d: Option<Decimal>,
        #[serde(default, deserialize_with = "opt_datetime")]
        t: Option<DateTime<FixedOffset>>,
        #[serde(default, deserialize_with = "opt_string")]
        s: Option<String>,
    }

    fn probe(v: serde_json::Value) -> Result<Probe, serde_json::Error> {
        serde_json::from_value(v)
    }

    #[test]
    fn booleans() {
        for (v, want) in [(json!(true), true), (json!("true"), true), (json!("false"), false), (json!(0), false)] {
            assert_eq!(probe(json!({ "b": v })).unwrap().b, Some(want));
        }
        assert_eq!(probe(json!({ "b": null })).unwrap().b, None);
        assert_eq!(probe(json!({})).unwrap().b, None);
        assert!(probe(json!({ "b": "maybe" })).unwrap_err().to_string().contains("maybe"));
    }

    #[test]
    fn integers() {
        assert_eq!(probe(json!({ "i": "36000" })).unwrap().i, Some(36000));
        assert_eq!(probe(json!({ "i": 36000 })).unwrap().i, Some(36000));
        assert_eq!(probe(json!({ "i": 24000.0 })).unwrap().i, Some(24000));
        assert_eq!(probe(json!({ "i": 9223372036854775807_i64 })).unwrap().i, Some(i64::MAX));
        assert_eq!(probe(json!({ "i": "" })).unwrap().i, None);
        assert!(probe(json!({ "i": 1.5 })).is_err());
        assert!(probe(json!({ "i": 18446744073709551615_u64 })).is_err());
    }

    #[test]
    fn decimals_are_exact() {
        let d = |v| probe(json!({ "d": v })).unwrap().d.unwrap().to_string();
        assert_eq!(d(json!("10.50")), "10.50");
        assert_eq!(d(json!(445.0)), "445");
        assert_eq!(d(json!(1.21)), "1.21");
        assert_eq!(d(json!(0.1)), "0.1");
        assert_eq!(d(json!("¥1,234.50")), "1234.50");
        assert_eq!(d(json!("7.2元")), "7.2");
        assert!(probe(json!({ "d": "abc" })).is_err());
    }

    #[test]
    fn rates() {
        assert_eq!(parse_rate("13%").unwrap().to_string(), "0.13");
        assert_eq!(parse_rate("99.12%").unwrap().to_string(), "0.9912");
        assert_eq!(parse_rate("0.46").unwrap().to_string(), "0.46");
        assert_eq!(parse_rate("n/a"), None);
    }

    #[test]
    fn both_date_formats() {
        let t = probe(json!({ "t": "20170126094556000+0800" })).unwrap().t.unwrap();
        assert_eq!(t.to_rfc3339(), "2017-01-26T09:45:56+08:00");
        assert_eq!(format_platform_datetime(&t), "20170126094556000+0800");
        let t = probe(json!({ "t": "2024-04-20 08:00:00" })).unwrap().t.unwrap();
        assert_eq!(t.to_rfc3339(), "2024-04-20T08:00:00+08:00");
        let t = probe(json!({ "t": "2024-04-20 08:00:00.123" })).unwrap().t.unwrap();
        assert_eq!(t.timestamp_subsec_millis(), 123);
        let t = probe(json!({ "t": 1700000000000_i64 })).unwrap().t.unwrap();
        assert_eq!(t.timestamp(), 1_700_000_000);
        assert!(probe(json!({ "t": "yesterday" })).is_err());
    }

    #[test]
    fn strings_from_numbers() {
        assert_eq!(probe(json!({ "s": 3216 })).unwrap().s.as_deref(), Some("3216"));
        assert_eq!(probe(json!({ "s": "1398" })).unwrap().s.as_deref(), Some("1398"));
    }

    #[test]
    fn counts_as_sellers_write_them() {
        for (text, want) in [("1万+", 10_000), ("2.5万", 25_000), ("1,234", 1_234), ("500+", 500), ("3亿", 300_000_000)]
        {
            assert_eq!(parse_count(text), Some(want), "{text}");
        }
        assert_eq!(parse_count("many"), None);
        assert_eq!(parse_count("99999999999999亿"), None, "does not fit");
        assert_eq!(probe(json!({ "i": "1万+" })).unwrap().i, Some(10_000));
    }

    #[test]
    fn tolerant_decoders_skip_odd_values_but_not_bad_json() {
        #[derive(Deserialize, Debug)]
        struct Tolerant {
            #[serde(default, deserialize_with = "tolerant::opt_i64")]
            i: Option<i64>,
            #[serde(default, deserialize_with = "tolerant::opt_decimal")]
            d: Option<Decimal>,
            #[serde(default, deserialize_with = "tolerant::opt_string")]
            s: Option<String>,
            #[serde(default, deserialize_with = "tolerant::opt_bool")]
            b: Option<bool>,
            next: i64,
        }
        let t: Tolerant = serde_json::from_str(r#"{"i":"A","d":{"x":[1,2]},"s":[1],"b":"maybe","next":7}"#).unwrap();
        assert_eq!((t.i, t.d, t.s, t.b, t.next), (None, None, None, None, 7), "odd values skipped, the rest read");
        assert!(serde_json::from_str::<Tolerant>(r#"{"i":"A","next":"#).is_err(), "truncated JSON still fails");
        assert!(probe(json!({ "i": "A" })).is_err(), "the strict decoders still refuse");
    }
}
