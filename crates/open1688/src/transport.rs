//! One attempt on the wire: add system parameters, sign, POST the form, interpret the answer.
//!
//! Every attempt calls [`build_form`] afresh, so a retry after a token refresh or a clock
//! resync carries a new timestamp and a new signature.

use open1688_types::{
    ACCESS_TOKEN, ApiId, ApiResponse, GatewayErrorBody, GatewayErrorCode, Params, TIMESTAMP, oauth::OAuthErrorBody,
    signing::SIGNATURE_PARAM,
};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;

use crate::error::{DecodeCategory, Error};
use crate::retry::TransportErrorKind;

/// How much of a body an error keeps.
const BODY_SNIPPET_CHARS: usize = 300;

/// What one attempt sends besides the business parameters.
pub(crate) struct AttemptAuth<'a> {
    pub app_key: &'a str,
    pub app_secret: &'a SecretString,
    pub access_token: Option<&'a SecretString>,
    pub timestamp_ms: Option<i64>,
    pub sign: bool,
}

/// The signed form for one attempt.
pub(crate) fn build_form(api: &ApiId, business: &Params, auth: &AttemptAuth<'_>) -> Params {
    let mut params = business.clone();
    if let Some(token) = auth.access_token {
        params.set_raw(ACCESS_TOKEN, token.expose_secret());
    }
    if let Some(ts) = auth.timestamp_ms {
        params.set_raw(TIMESTAMP, ts.to_string());
    }
    params.remove(SIGNATURE_PARAM);
    if auth.sign {
        let signature = params.signature(&api.sign_path(auth.app_key), auth.app_secret.expose_secret().as_bytes());
        params.set_raw(SIGNATURE_PARAM, signature);
    }
    params
}

/// Sends one attempt and returns the status and body.
pub(crate) async fn post(
    http: &reqwest::Client,
    url: reqwest::Url,
    form: &Params,
    api: &ApiId,
) -> Result<(u16, bytes::Bytes), Error> {
    let response = http
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded; charset=UTF-8")
        .header(reqwest::header::ACCEPT, "application/json")
        .body(form.to_form_body())
        .send()
        .await
        .map_err(|e| transport_error(api, &e))?;
    let status = response.status().as_u16();
    let body = read_capped(response, MAX_BODY_BYTES).await.map_err(|e| match e {
        CappedRead::TooLarge => Error::Transport {
            api: api.to_string(),
            kind: TransportErrorKind::TooLarge,
            message: format!("the answer is larger than {MAX_BODY_BYTES} bytes"),
        },
        CappedRead::Failed(e) => transport_error(api, &e),
    })?;
    Ok((status, body))
}

/// The largest answer read from the gateway. The largest documented answers (a 50-item page, a
/// detail with hundreds of SKUs) are well under 1 MiB; anything near this is not a gateway answer,
/// and reading it whole would only fill memory.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Why a capped read stopped.
pub(crate) enum CappedRead {
    /// The body is longer than the limit (said by its length, or found while reading).
    TooLarge,
    /// The connection failed while reading.
    Failed(reqwest::Error),
}

/// Reads a body of at most `limit` bytes, refusing a larger one as soon as it shows.
pub(crate) async fn read_capped(mut response: reqwest::Response, limit: usize) -> Result<bytes::Bytes, CappedRead> {
    if response.content_length().is_some_and(|n| n > limit as u64) {
        return Err(CappedRead::TooLarge);
    }
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(CappedRead::Failed)? {
        if body.len() + chunk.len() > limit {
            return Err(CappedRead::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

fn transport_error(api: &ApiId, e: &reqwest::Error) -> Error {
    let kind = if e.is_timeout() {
        TransportErrorKind::Timeout
    } else if e.is_connect() {
        TransportErrorKind::Connect
    } else if e.is_builder() {
        TransportErrorKind::Setup
    } else {
        TransportErrorKind::Interrupted
    };
    Error::Transport { api: api.to_string(), kind, message: describe(e) }
}

/// The error and its causes on one line, with the endpoint URL left out.
fn describe(e: &reqwest::Error) -> String {
    let mut message = e.to_string();
    if let Some(url) = e.url() {
        message = message.replace(url.as_str(), "<endpoint>");
    }
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// Interprets a response: gateway and OAuth errors by status, then the typed body and its
/// business-failure flag.
pub(crate) fn interpret<T>(api: &ApiId, status: u16, body: &[u8], secrets: &[&str]) -> Result<T, Error>
where
    T: DeserializeOwned + ApiResponse,
{
    let api_name = || api.to_string();
    if status >= 400 {
        if let Some(gw) = GatewayErrorBody::from_json(body) {
            let code = gw.code().unwrap_or_else(|| GatewayErrorCode::Other(status.to_string()));
            let message = gw.error_message.or(gw.exception).unwrap_or_else(|| code.default_message().to_owned());
            return Err(Error::Gateway {
                api: api_name(),
                status,
                code,
                message: scrub(message.as_bytes(), secrets),
                request_id: gw.request_id,
            });
        }
        if let Some(oauth) = OAuthErrorBody::from_json(body) {
            return Err(Error::OAuth {
                api: api_name(),
                status,
                error: oauth.error.unwrap_or_else(|| "unknown".to_owned()),
                description: scrub(oauth.error_description.unwrap_or_default().as_bytes(), secrets),
            });
        }
        return Err(Error::Http { api: api_name(), status, body: scrub(body, secrets) });
    }
    let value = decode::<T>(body).map_err(|(path, e)| {
        let category = match e.classify() {
            serde_json::error::Category::Eof => DecodeCategory::Truncated,
            serde_json::error::Category::Syntax | serde_json::error::Category::Io => DecodeCategory::Syntax,
            serde_json::error::Category::Data => DecodeCategory::Shape,
        };
        Error::Decode { api: api_name(), path, message: e.to_string(), category, body: scrub(body, secrets) }
    })?;
    if let Some(failure) = value.business_failure() {
        return Err(Error::Business { api: api_name(), failure });
    }
    Ok(value)
}

/// Decodes a whole body, reporting the JSON path of a failure (`.` for trailing garbage).
///
/// UTF-8 is validated once for the whole body; parsing from `&str` then spares serde_json
/// re-validating every string, a sixth of the decode time of a search page.
fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, (String, serde_json::Error)> {
    let text = std::str::from_utf8(body).map_err(|e| {
        let invalid = serde_json::from_slice::<serde::de::IgnoredAny>(body).err();
        (format!("byte {}", e.valid_up_to()), invalid.unwrap_or_else(|| serde::de::Error::custom("invalid UTF-8")))
    })?;
    let mut de = serde_json::Deserializer::from_str(text);
    let (value, skipped) = open1688_types::collect_skipped(|| serde_path_to_error::deserialize::<_, T>(&mut de));
    let value = value.map_err(|e| (e.path().to_string(), e.into_inner()))?;
    de.end().map_err(|e| (".".to_owned(), e))?;
    if !skipped.is_empty() {
        // One malformed item does not fail the page; say which were left out.
        let items: Vec<String> = skipped.iter().take(10).map(ToString::to_string).collect();
        tracing::warn!(skipped = skipped.len(), items = ?items, "items the gateway sent malformed were skipped");
    }
    Ok(value)
}

/// The start of a body as text, with every known secret and any token-looking JSON field
/// replaced by `<redacted>`.
pub(crate) fn scrub(body: &[u8], secrets: &[&str]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out = redact_token_fields(&text);
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        if out.contains(secret) {
            out = out.replace(secret, "<redacted>");
        }
    }
    if out.chars().count() > BODY_SNIPPET_CHARS {
        out = out.chars().take(BODY_SNIPPET_CHARS).collect::<String>() + "…";
    }
    out
}

/// Redacts the values of `"access_token"`, `"refresh_token"` and `"client_secret"` fields.
fn redact_token_fields(text: &str) -> String {
    const KEYS: [&str; 3] = ["\"access_token\"", "\"refresh_token\"", "\"client_secret\""];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((pos, key)) = KEYS.iter().filter_map(|k| rest.find(k).map(|p| (p, *k))).min_by_key(|(p, _)| *p) {
        let after_key = pos + key.len();
        out.push_str(&rest[..after_key]);
        rest = &rest[after_key..];
        let trimmed = rest.trim_start_matches([' ', ':']);
        if let Some(value) = trimmed.strip_prefix('"') {
            let end = value.find('"').unwrap_or(value.len());
            out.push_str(":\"<redacted>\"");
            rest = value.get(end + 1..).unwrap_or("");
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use open1688_types::api::search::SearchPage;
    use open1688_types::business::CrossBorderResponse;

    const API: ApiId = ApiId::new("ns", "name", 1);

    #[test]
    fn form_has_token_timestamp_and_signature() {
        let secret = SecretString::from("test123".to_owned());
        let token = SecretString::from("tok".to_owned());
        let mut business = Params::new();
        business.set_raw("q", "x");
        let form = build_form(
            &API,
            &business,
            &AttemptAuth {
                app_key: "1",
                app_secret: &secret,
                access_token: Some(&token),
                timestamp_ms: Some(5),
                sign: true,
            },
        );
        assert_eq!(form.get("access_token"), Some("tok"));
        assert_eq!(form.get("_aop_timestamp"), Some("5"));
        let mut unsigned = form.clone();
        let sig = unsigned.remove("_aop_signature").unwrap();
        assert_eq!(sig, unsigned.signature("param2/1/ns/name/1", b"test123"));
    }

    #[test]
    fn gateway_errors_by_status() {
        let body = br#"{"error_code":"gw.QosAppFrequencyLimit","error_message":"App call exceeds limited frequency"}"#;
        let err = interpret::<serde_json::Value>(&API, 400, body, &[]).unwrap_err();
        assert!(matches!(err, Error::Gateway { code: GatewayErrorCode::QosAppFrequencyLimit, status: 400, .. }));
        let err =
            interpret::<serde_json::Value>(&API, 401, br#"{"error":"invalid_grant","error_description":"bad"}"#, &[])
                .unwrap_err();
        assert!(matches!(err, Error::OAuth { status: 401, .. }));
        let err = interpret::<serde_json::Value>(&API, 502, b"<html>bad gateway</html>", &[]).unwrap_err();
        assert!(matches!(err, Error::Http { status: 502, .. }));
        assert!(err.is_retryable());
    }

    #[test]
    fn decode_errors_name_the_path_and_category() {
        // An odd value in a field is `None` (tolerant decoding); an item that is not an object at
        // all is skipped (and logged), the page survives; a wrapper of the wrong shape is a shape
        // error, named by its path.
        let body = br#"{"result":{"success":true,"code":"200","result":{"data":[{"offerId":"x1"}]}}}"#;
        let page = interpret::<CrossBorderResponse<SearchPage>>(&API, 200, body, &[]).unwrap();
        assert_eq!(page.into_payload().unwrap().data[0].offer_id, None);
        let body = br#"{"result":{"success":true,"code":"200","result":{"data":[{"offerId":1},"x1"]}}}"#;
        let page = interpret::<CrossBorderResponse<SearchPage>>(&API, 200, body, &[]).unwrap();
        assert_eq!(page.into_payload().unwrap().data.iter().map(|i| i.offer_id).collect::<Vec<_>>(), [Some(1)]);
        let err = interpret::<CrossBorderResponse<SearchPage>>(&API, 200, br#"{"result":[1]}"#, &[]).unwrap_err();
        match err {
            Error::Decode { path, category, .. } => {
                assert_eq!(path, "result");
                assert_eq!(category, DecodeCategory::Shape);
            }
            other => panic!("{other:?}"),
        }
        let err = interpret::<serde_json::Value>(&API, 200, br#"{"result":{"succ"#, &[]).unwrap_err();
        assert!(matches!(err, Error::Decode { category: DecodeCategory::Truncated, .. }));
        assert!(err.is_retryable());
        let err = interpret::<serde_json::Value>(&API, 200, b"<html>", &[]).unwrap_err();
        assert!(matches!(err, Error::Decode { category: DecodeCategory::Syntax, .. }));
    }

    #[test]
    fn business_failures_surface() {
        let body = br#"{"result":{"success":false,"code":"404","message":"offer not found"}}"#;
        let err = interpret::<CrossBorderResponse<SearchPage>>(&API, 200, body, &[]).unwrap_err();
        assert!(matches!(err, Error::Business { .. }));
        assert!(!err.is_retryable());
    }

    #[test]
    fn scrub_hides_secrets_and_token_fields() {
        let body = br#"{"access_token":"new-at-123","refresh_token" : "new-rt-456","note":"MYSECRET inside"}"#;
        let s = scrub(body, &["MYSECRET"]);
        assert!(!s.contains("new-at-123") && !s.contains("new-rt-456") && !s.contains("MYSECRET"), "{s}");
        assert!(s.contains("note"));
        let long = "x".repeat(1000);
        assert!(scrub(long.as_bytes(), &[]).chars().count() <= BODY_SNIPPET_CHARS + 1);
    }
}
