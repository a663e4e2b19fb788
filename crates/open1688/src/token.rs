//! The user's OAuth token and its lifetimes.

use chrono::{DateTime, Duration, Utc};
use open1688_types::oauth::TokenResponse;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// An access token with its refresh token and expiry times. `Debug` never shows the secrets.
#[derive(Clone)]
pub struct Token {
    /// Sent as the `access_token` parameter.
    pub access_token: SecretString,
    /// Renews the access token; absent when the grant did not ask for one.
    pub refresh_token: Option<SecretString>,
    /// When the access token stops working (`None`: unknown, treated as valid).
    pub access_expires_at: Option<DateTime<Utc>>,
    /// When the refresh token stops working.
    pub refresh_expires_at: Option<DateTime<Utc>>,
    /// The member that authorized the app (`b2b-…`).
    pub member_id: Option<String>,
    /// The authorizing login id.
    pub resource_owner: Option<String>,
    /// The group-wide numeric id.
    pub ali_id: Option<String>,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Token")
            .field("access_token", &"<redacted>")
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "<redacted>"))
            .field("access_expires_at", &self.access_expires_at)
            .field("refresh_expires_at", &self.refresh_expires_at)
            .field("member_id", &self.member_id)
            .field("resource_owner", &self.resource_owner)
            .finish()
    }
}

impl Token {
    /// A token known only by its access token (for example from `OPEN1688_ACCESS_TOKEN`).
    pub fn from_access_token(access_token: impl Into<String>) -> Self {
        Self {
            access_token: SecretString::from(access_token.into()),
            refresh_token: None,
            access_expires_at: None,
            refresh_expires_at: None,
            member_id: None,
            resource_owner: None,
            ali_id: None,
        }
    }

    /// Builds a token from a `getToken` response received at `now` (server time).
    ///
    /// A refresh response may omit the refresh token; then `previous`'s is kept.
    pub fn from_response(resp: &TokenResponse, now: DateTime<Utc>, previous: Option<&Token>) -> Option<Self> {
        let access = resp.access_token.clone()?;
        let (refresh_token, refresh_expires_at) = match &resp.refresh_token {
            Some(rt) => {
                (Some(SecretString::from(rt.clone())), resp.refresh_token_timeout.map(|t| t.with_timezone(&Utc)))
            }
            None => (previous.and_then(|p| p.refresh_token.clone()), previous.and_then(|p| p.refresh_expires_at)),
        };
        Some(Self {
            access_token: SecretString::from(access),
            refresh_token,
            access_expires_at: resp.expires_in.map(|s| now + Duration::seconds(s)),
            refresh_expires_at,
            member_id: resp.member_id.clone().or_else(|| previous.and_then(|p| p.member_id.clone())),
            resource_owner: resp.resource_owner.clone().or_else(|| previous.and_then(|p| p.resource_owner.clone())),
            ali_id: resp.ali_id.clone().or_else(|| previous.and_then(|p| p.ali_id.clone())),
        })
    }

    /// True when the access token expires within `margin` of `now`.
    pub fn access_expires_within(&self, now: DateTime<Utc>, margin: Duration) -> bool {
        self.access_expires_at.is_some_and(|t| t <= now + margin)
    }

    /// True when the access token has expired.
    pub fn access_expired(&self, now: DateTime<Utc>) -> bool {
        self.access_expires_within(now, Duration::zero())
    }

    /// True when a refresh token exists and has not expired.
    pub fn can_refresh(&self, now: DateTime<Utc>) -> bool {
        self.refresh_token.is_some() && self.refresh_expires_at.is_none_or(|t| t > now)
    }

    /// Whether two tokens carry the same access token.
    pub fn same_access(&self, other: &Token) -> bool {
        self.access_token.expose_secret() == other.access_token.expose_secret()
    }
}

/// The serialized form used by token stores. Only stores touch it.
#[derive(Serialize, Deserialize)]
pub(crate) struct StoredToken {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub access_expires_at: Option<DateTime<Utc>>,
    pub refresh_expires_at: Option<DateTime<Utc>>,
    pub member_id: Option<String>,
    pub resource_owner: Option<String>,
    pub ali_id: Option<String>,
}

impl From<&Token> for StoredToken {
    fn from(t: &Token) -> Self {
        Self {
            access_token: t.access_token.expose_secret().to_owned(),
            refresh_token: t.refresh_token.as_ref().map(|r| r.expose_secret().to_owned()),
            access_expires_at: t.access_expires_at,
            refresh_expires_at: t.refresh_expires_at,
            member_id: t.member_id.clone(),
            resource_owner: t.resource_owner.clone(),
            ali_id: t.ali_id.clone(),
        }
    }
}

impl From<StoredToken> for Token {
    fn from(s: StoredToken) -> Self {
        Self {
            access_token: SecretString::from(s.access_token),
            refresh_token: s.refresh_token.map(SecretString::from),
            access_expires_at: s.access_expires_at,
            refresh_expires_at: s.refresh_expires_at,
            member_id: s.member_id,
            resource_owner: s.resource_owner,
            ali_id: s.ali_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(json: &str) -> TokenResponse {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn lifetimes_from_the_response() {
        let now = Utc::now();
        let t = Token::from_response(
            &resp(r#"{"access_token":"a","expires_in":"36000","refresh_token":"r","refresh_token_timeout":"20990101000000000+0800"}"#),
            now,
            None,
        )
        .unwrap();
        assert_eq!(t.access_expires_at, Some(now + Duration::seconds(36000)));
        assert!(t.can_refresh(now));
        assert!(!t.access_expires_within(now, Duration::minutes(5)));
        assert!(t.access_expires_within(now, Duration::hours(11)));
        assert!(!format!("{t:?}").contains("\"a\""));
    }

    #[test]
    fn refresh_without_new_refresh_token_keeps_the_old_one() {
        let now = Utc::now();
        let old =
            Token::from_response(&resp(r#"{"access_token":"a","refresh_token":"r1","memberId":"b2b-1"}"#), now, None)
                .unwrap();
        let new = Token::from_response(&resp(r#"{"access_token":"b","expires_in":36000}"#), now, Some(&old)).unwrap();
        assert_eq!(new.refresh_token.unwrap().expose_secret(), "r1");
        assert_eq!(new.member_id.as_deref(), Some("b2b-1"));
        assert!(Token::from_response(&resp("{}"), now, None).is_none());
    }
}
