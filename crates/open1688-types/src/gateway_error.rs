//! Gateway-level errors (spec §5.1): requests the gateway rejects before the API runs.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The JSON body of a gateway rejection.
///
/// The official Java SDK falls back to `errorCode`/`errorMessage` when the snake-case names are
/// absent, so both spellings decode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct GatewayErrorBody {
    /// For example `gw.APIACLDecline`, or `401` for token problems.
    #[serde(default, alias = "errorCode", deserialize_with = "crate::lenient::opt_string")]
    pub error_code: Option<String>,
    /// Human-readable message.
    #[serde(default, alias = "errorMessage", deserialize_with = "crate::lenient::opt_string")]
    pub error_message: Option<String>,
    /// Usually the message again.
    #[serde(default, deserialize_with = "crate::lenient::opt_string")]
    pub exception: Option<String>,
    /// The gateway's trace id; may be absent.
    #[serde(default, deserialize_with = "crate::lenient::opt_string")]
    pub request_id: Option<String>,
}

impl GatewayErrorBody {
    /// A body with all four fields, as the sandbox always sends it.
    pub fn new(code: GatewayErrorCode, message: impl Into<String>, request_id: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            error_code: Some(code.as_str().to_owned()),
            exception: Some(message.clone()),
            error_message: Some(message),
            request_id: Some(request_id.into()),
        }
    }

    /// The code as a typed value (`None` when the body has none).
    pub fn code(&self) -> Option<GatewayErrorCode> {
        self.error_code.as_deref().map(GatewayErrorCode::parse)
    }

    /// Decodes a body if it looks like a gateway error (has an error code or message).
    pub fn from_json(body: &[u8]) -> Option<Self> {
        let parsed: Self = serde_json::from_slice(body).ok()?;
        (parsed.error_code.is_some() || parsed.error_message.is_some()).then_some(parsed)
    }
}

/// The gateway error codes known from the field (spec §5.1), plus any other code verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GatewayErrorCode {
    /// `gw.AppKeyNotFound`: the appKey in the path is unknown.
    AppKeyNotFound,
    /// `gw.AppKeyMissing`: no appKey path segment.
    AppKeyMissing,
    /// `gw.APIUnsupported`: namespace/name/version does not exist.
    ApiUnsupported,
    /// `gw.SignatureMissing`: `_aop_signature` absent.
    SignatureMissing,
    /// `gw.SignatureInvalid`: wrong secret or canonicalisation.
    SignatureInvalid,
    /// `gw.TimestampInvalid`: `_aop_timestamp` too far from the gateway clock (sandbox choice).
    TimestampInvalid,
    /// `401`: missing, invalid or expired `access_token`.
    Unauthorized,
    /// `gw.APIACLDecline`: the app has not subscribed to this API.
    AclDecline,
    /// `gw.ParamMissing`: a required business parameter is absent.
    ParamMissing,
    /// `gw.QosAppFrequencyLimit`: per-app frequency limit.
    QosAppFrequencyLimit,
    /// `gw.QosApiFrequencyLimit`: per-API frequency limit.
    QosApiFrequencyLimit,
    /// `gw.NoUsageLeftError`: the paid call quota is exhausted.
    NoUsageLeft,
    /// Any other code, verbatim.
    Other(String),
}

impl GatewayErrorCode {
    /// Every named code, for table tests and the sandbox.
    pub const KNOWN: [GatewayErrorCode; 12] = [
        Self::AppKeyNotFound,
        Self::AppKeyMissing,
        Self::ApiUnsupported,
        Self::SignatureMissing,
        Self::SignatureInvalid,
        Self::TimestampInvalid,
        Self::Unauthorized,
        Self::AclDecline,
        Self::ParamMissing,
        Self::QosAppFrequencyLimit,
        Self::QosApiFrequencyLimit,
        Self::NoUsageLeft,
    ];

    /// Parses a wire code; unknown codes are kept as [`GatewayErrorCode::Other`]. Spellings seen
    /// in the field are accepted (spec §4: `gw.QosAPIFrequencyLimit`, and codes without the `gw.`
    /// prefix on other Alibaba gateways): the prefix is optional and case does not matter.
    pub fn parse(code: &str) -> Self {
        let bare = |c: &str| {
            let c = c.trim();
            c.strip_prefix("gw.").unwrap_or(c).to_ascii_lowercase()
        };
        let wanted = bare(code);
        Self::KNOWN
            .into_iter()
            .find(|known| bare(known.as_str()) == wanted)
            .unwrap_or_else(|| Self::Other(code.to_owned()))
    }

    /// The wire spelling.
    pub fn as_str(&self) -> &str {
        match self {
            Self::AppKeyNotFound => "gw.AppKeyNotFound",
            Self::AppKeyMissing => "gw.AppKeyMissing",
            Self::ApiUnsupported => "gw.APIUnsupported",
            Self::SignatureMissing => "gw.SignatureMissing",
            Self::SignatureInvalid => "gw.SignatureInvalid",
            Self::TimestampInvalid => "gw.TimestampInvalid",
            Self::Unauthorized => "401",
            Self::AclDecline => "gw.APIACLDecline",
            Self::ParamMissing => "gw.ParamMissing",
            Self::QosAppFrequencyLimit => "gw.QosAppFrequencyLimit",
            Self::QosApiFrequencyLimit => "gw.QosApiFrequencyLimit",
            Self::NoUsageLeft => "gw.NoUsageLeftError",
            Self::Other(code) => code,
        }
    }

    /// The HTTP status the gateway answers with: 401 for token problems, 400 for the rest.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::Unauthorized => 401,
            _ => 400,
        }
    }

    /// The message observed in the field, or the sandbox's choice where none was recorded.
    pub fn default_message(&self) -> &'static str {
        match self {
            Self::AppKeyNotFound => "AppKey not found",
            Self::AppKeyMissing => "AppKey is missing",
            Self::ApiUnsupported => "API unsupported",
            Self::SignatureMissing => "Signature is missing",
            Self::SignatureInvalid => "Invalid signature",
            Self::TimestampInvalid => "Timestamp is out of the allowed window",
            Self::Unauthorized => "Request need user authenticated",
            Self::AclDecline => "AppKey is not allowed(acl)",
            Self::ParamMissing => "Required argument is missing",
            Self::QosAppFrequencyLimit => "App call exceeds limited frequency",
            Self::QosApiFrequencyLimit => "Api call exceeds limited frequency",
            Self::NoUsageLeft => "SLA bill has no usage left",
            Self::Other(_) => "Gateway error",
        }
    }
}

impl fmt::Display for GatewayErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_a_known_code_parses_to_it() {
        for spelling in
            ["gw.QosApiFrequencyLimit", "gw.QosAPIFrequencyLimit", "QosAPIFrequencyLimit", " qosapifrequencylimit "]
        {
            assert_eq!(GatewayErrorCode::parse(spelling), GatewayErrorCode::QosApiFrequencyLimit, "{spelling}");
        }
        assert_eq!(GatewayErrorCode::parse("QosAppFrequencyLimit"), GatewayErrorCode::QosAppFrequencyLimit);
        assert_eq!(GatewayErrorCode::parse("401"), GatewayErrorCode::Unauthorized);
        assert_eq!(GatewayErrorCode::parse("gw.Unheard"), GatewayErrorCode::Other("gw.Unheard".into()));
    }

    #[test]
    fn codes_round_trip() {
        for code in GatewayErrorCode::KNOWN {
            assert_eq!(GatewayErrorCode::parse(code.as_str()), code);
        }
        assert_eq!(GatewayErrorCode::parse("gw.Whatever"), GatewayErrorCode::Other("gw.Whatever".into()));
    }

    #[test]
    fn camel_case_fallback() {
        let b = GatewayErrorBody::from_json(
            br#"{"errorCode":"gw.ParamMissing","errorMessage":"Required argument offerId"}"#,
        )
        .unwrap();
        assert_eq!(b.code(), Some(GatewayErrorCode::ParamMissing));
        assert_eq!(b.error_message.as_deref(), Some("Required argument offerId"));
    }

    #[test]
    fn business_bodies_are_not_gateway_errors() {
        assert!(GatewayErrorBody::from_json(br#"{"result":{"success":true}}"#).is_none());
        assert!(GatewayErrorBody::from_json(b"not json").is_none());
    }
}
