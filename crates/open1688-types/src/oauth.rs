//! OAuth wire shapes (spec §3): `system.oauth2/getToken` and `postponeToken`.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::lenient;
use crate::request::ApiId;

/// `system.oauth2:getToken-1`: code exchange and refresh.
pub const GET_TOKEN: ApiId = ApiId::new("system.oauth2", "getToken", 1);
/// `system.oauth2:postponeToken-1`: extends the refresh token.
pub const POSTPONE_TOKEN: ApiId = ApiId::new("system.oauth2", "postponeToken", 1);
/// The default authorize page.
pub const AUTHORIZE_URL: &str = "https://auth.1688.com/oauth/authorize";

/// A token response (flat JSON). `expires_in` is a string in every recorded sample.
///
/// Tokens are secrets: this type's `Debug` redacts them.
#[derive(Clone, Deserialize, Serialize, Default)]
pub struct TokenResponse {
    /// The access token, sent as the `access_token` parameter.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub access_token: Option<String>,
    /// Seconds until the access token expires (36000 in practice).
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub expires_in: Option<i64>,
    /// Present when `need_refresh_token=true`; a refresh grant may omit it (keep the old one).
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub refresh_token: Option<String>,
    /// When the refresh token expires (`yyyyMMddHHmmssSSS+0800`, sometimes without the
    /// milliseconds). A value that is not a date is `None`: the token exchange must not fail for
    /// an optional field.
    #[serde(default, deserialize_with = "lenient::tolerant::opt_datetime")]
    pub refresh_token_timeout: Option<DateTime<FixedOffset>>,
    /// The group-wide numeric id.
    #[serde(default, rename = "aliId", deserialize_with = "lenient::opt_string")]
    pub ali_id: Option<String>,
    /// The login id that authorized the app.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub resource_owner: Option<String>,
    /// For example `b2b-1711749575`.
    #[serde(default, rename = "memberId", deserialize_with = "lenient::opt_string")]
    pub member_id: Option<String>,
    /// Seen in some recordings.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub uid: Option<String>,
    /// Fields this model does not name.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenResponse")
            .field("access_token", &self.access_token.as_ref().map(|_| "<redacted>"))
            .field("expires_in", &self.expires_in)
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "<redacted>"))
            .field("refresh_token_timeout", &self.refresh_token_timeout)
            .field("resource_owner", &self.resource_owner)
            .field("member_id", &self.member_id)
            .finish_non_exhaustive()
    }
}

impl crate::request::ApiResponse for TokenResponse {
    fn business_failure(&self) -> Option<crate::business::BusinessFailure> {
        None
    }
}

/// An OAuth failure: `{"error":"invalid_grant","error_description":"…"}`.
#[derive(Debug, Clone, Deserialize, Serialize, Default, PartialEq, Eq)]
pub struct OAuthErrorBody {
    /// For example `invalid_grant`.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub error: Option<String>,
    /// What went wrong.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub error_description: Option<String>,
}

impl OAuthErrorBody {
    /// Decodes a body if it carries an OAuth `error`.
    pub fn from_json(body: &[u8]) -> Option<Self> {
        serde_json::from_slice::<Self>(body).ok().filter(|b| b.error.is_some() || b.error_description.is_some())
    }
}

/// The grant of a `getToken` call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantType {
    /// Exchange an authorization code.
    AuthorizationCode,
    /// Use a refresh token.
    RefreshToken,
}

impl GrantType {
    /// The wire value of `grant_type`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AuthorizationCode => "authorization_code",
            Self::RefreshToken => "refresh_token",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_tokens() {
        let t = TokenResponse {
            access_token: Some("AT-SECRET".into()),
            refresh_token: Some("RT-SECRET".into()),
            ..Default::default()
        };
        let s = format!("{t:?}");
        assert!(!s.contains("SECRET"), "{s}");
    }

    #[test]
    fn expires_in_as_number_or_string() {
        let a: TokenResponse = serde_json::from_str(r#"{"expires_in":"36000"}"#).unwrap();
        let b: TokenResponse = serde_json::from_str(r#"{"expires_in":36000}"#).unwrap();
        assert_eq!(a.expires_in, Some(36000));
        assert_eq!(b.expires_in, Some(36000));
    }
}
