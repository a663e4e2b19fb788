//! Errors of the SDK. Each variant says what went wrong and whether a retry can help; none
//! carries a secret (bodies are scrubbed of the app secret and tokens before they are kept).

use chrono::{DateTime, Utc};
use open1688_types::{BusinessFailure, EncodeError, GatewayErrorCode};

use crate::retry::{ErrorClass, Failure, TransportErrorKind, classify};
use crate::token_store::TokenStoreError;

/// The result type of the SDK.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a JSON body could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeCategory {
    /// Not JSON at all.
    Syntax,
    /// JSON that stops mid-value (a cut connection).
    Truncated,
    /// Valid JSON of an unexpected shape.
    Shape,
}

/// Everything that can go wrong calling the platform.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client is misconfigured (missing app key, bad endpoint, …). Not retryable.
    #[error("configuration error: {0}")]
    Config(String),

    /// The request itself is invalid (page size above 50, empty keyword, …). Not retryable.
    #[error("invalid request: {0}")]
    InvalidRequest(String),

    /// An image for image search could not be read or prepared. Not retryable.
    #[error("image {source_name}: {reason}")]
    Image {
        /// The path or URL (or `bytes`).
        source_name: String,
        /// What went wrong.
        reason: String,
    },

    /// The API reported success but carried no result. Not retryable.
    #[error("{api}: the answer reported success but carried no result")]
    NoPayload {
        /// `namespace:name-version`.
        api: String,
    },

    /// A request parameter could not be encoded. Not retryable.
    #[error("{api}: cannot encode the request: {source}")]
    Encode {
        /// `namespace:name-version`.
        api: String,
        /// What failed.
        #[source]
        source: EncodeError,
    },

    /// The gateway rejected the call (spec §5.1). Retryable only when throttled.
    #[error("{api}: gateway error {code} (HTTP {status}): {message}")]
    Gateway {
        /// `namespace:name-version`.
        api: String,
        /// HTTP status (400 or 401).
        status: u16,
        /// The `error_code`.
        code: GatewayErrorCode,
        /// The `error_message`.
        message: String,
        /// The gateway's `request_id`, for support tickets.
        request_id: Option<String>,
    },

    /// The API answered HTTP 200 but reported a business failure (spec §5.2). Not retryable.
    #[error("{api}: the API reported failure: {failure}")]
    Business {
        /// `namespace:name-version`.
        api: String,
        /// Code and message from the body.
        failure: BusinessFailure,
    },

    /// An OAuth call failed (`invalid_grant` for a bad or expired code or refresh token).
    #[error("{api}: OAuth error {error} (HTTP {status}): {description}")]
    OAuth {
        /// `namespace:name-version`.
        api: String,
        /// HTTP status.
        status: u16,
        /// The `error` field.
        error: String,
        /// The `error_description` field.
        description: String,
    },

    /// An HTTP error status with a body that is neither a gateway nor an OAuth error.
    #[error("{api}: HTTP {status}: {body}")]
    Http {
        /// `namespace:name-version`.
        api: String,
        /// HTTP status.
        status: u16,
        /// The start of the body, scrubbed of secrets.
        body: String,
    },

    /// No HTTP response: connecting, sending or receiving failed.
    #[error("{api}: transport error ({kind}): {message}")]
    Transport {
        /// `namespace:name-version`.
        api: String,
        /// What kind of failure.
        kind: TransportErrorKind,
        /// The underlying error, without the URL.
        message: String,
    },

    /// The response body could not be decoded into the expected type.
    #[error("{api}: cannot decode the response at `{path}`: {message}; body starts: {body}")]
    Decode {
        /// `namespace:name-version`.
        api: String,
        /// The JSON path of the offending value (`result.result.data[3].offerId`).
        path: String,
        /// What serde reported.
        message: String,
        /// Syntax, truncation or shape.
        category: DecodeCategory,
        /// The start of the body, scrubbed of secrets.
        body: String,
    },

    /// The client's local daily call cap is used up. Not retryable until it resets.
    #[error("the local daily quota of {limit} calls is used up; it resets at {resets_at}")]
    DailyQuotaExhausted {
        /// The configured cap.
        limit: u64,
        /// When the count starts again (midnight China time).
        resets_at: DateTime<Utc>,
    },

    /// The API needs a user token and none is configured or stored.
    #[error(
        "{api} needs user authorization: no access token is configured (run the OAuth flow or set OPEN1688_ACCESS_TOKEN)"
    )]
    NotAuthorized {
        /// `namespace:name-version`.
        api: String,
    },

    /// The access token is expired and cannot be refreshed (no refresh token, or it expired).
    #[error("the access token expired and cannot be refreshed: {reason}; authorize the app again")]
    TokenExpired {
        /// Why refreshing is impossible.
        reason: String,
    },

    /// Reading or writing the token store failed.
    #[error("token store: {0}")]
    TokenStore(#[from] TokenStoreError),

    /// Retries stopped before success; `last` is the final attempt's error.
    #[error("{api}: gave up after {attempts} attempt(s) ({reason}): {last}")]
    RetriesExhausted {
        /// `namespace:name-version`.
        api: String,
        /// Attempts made.
        attempts: u32,
        /// Why no further attempt was made (attempt limit, deadline, retry budget).
        reason: &'static str,
        /// The last attempt's error.
        #[source]
        last: Box<Error>,
    },
    /// A request that must not happen twice (placing an order) failed in a way that leaves open
    /// whether the platform acted on it (a timeout, a dropped connection, a server error). It
    /// was not sent again: find out first (an order by its `outOrderId`), then decide.
    #[error("{api}: the platform may or may not have acted on this request ({last}); it was not sent again")]
    Unconfirmed {
        /// `namespace:name-version`.
        api: String,
        /// The error that left the outcome open.
        #[source]
        last: Box<Error>,
    },

    /// The caller this work is charged to has spent its share of the app's gateway calls for
    /// now (see [`call_share`](crate::call_share)); the call was not sent. Retryable after
    /// `retry_after`, by the caller, not by the client (other callers are using the quota).
    #[error("{api}: this caller's share of gateway calls is spent for now; ask again in {} s", retry_after.as_secs().max(1))]
    CallShareSpent {
        /// `namespace:name-version`.
        api: String,
        /// How long until the share has refilled enough.
        retry_after: std::time::Duration,
    },
}

impl Error {
    /// The evidence this error gives the classifier, if it came from an attempt.
    pub(crate) fn failure(&self) -> Option<Failure<'_>> {
        Some(match self {
            Self::Gateway { status, code, .. } => Failure::Http { status: *status, code: Some(code) },
            Self::Http { status, .. } => Failure::Http { status: *status, code: None },
            Self::OAuth { status, .. } => Failure::Http { status: *status, code: None },
            Self::Transport { kind, .. } => Failure::Transport(*kind),
            Self::Decode { category: DecodeCategory::Shape, .. } => Failure::UnexpectedShape,
            Self::Decode { category, .. } => {
                Failure::MalformedBody { truncated: *category == DecodeCategory::Truncated }
            }
            Self::Business { .. } => Failure::Business,
            Self::DailyQuotaExhausted { .. } => Failure::LocalQuotaExhausted,
            _ => return None,
        })
    }

    /// How the retry logic treats this error.
    pub fn class(&self) -> ErrorClass {
        match self {
            // A rejected OAuth grant is final: refreshing again with the same grant cannot help.
            Self::OAuth { .. } => ErrorClass::Fatal,
            Self::RetriesExhausted { last, .. } => last.class(),
            // Sending it again is exactly what must not happen without looking first.
            Self::Unconfirmed { .. } => ErrorClass::Fatal,
            other => other.failure().map_or(ErrorClass::Fatal, classify),
        }
    }

    /// The platform's own error code, when the platform refused the call: the gateway's
    /// `error_code`, a business failure's code, or the OAuth `error`.
    pub fn platform_code(&self) -> Option<&str> {
        match self {
            Self::Gateway { code, .. } => Some(code.as_str()),
            Self::Business { failure, .. } => failure.code.as_deref(),
            Self::OAuth { error, .. } => Some(error.as_str()),
            Self::RetriesExhausted { last, .. } => last.platform_code(),
            _ => None,
        }
    }

    /// Whether the platform answered that the thing asked for does not exist (an offer id, a
    /// member): a business failure with a not-found code. The protocol spec lists no such codes;
    /// these are the ones the answers we know carry (`404` for offers and products,
    /// `MEMBER_NOT_FOUND` for accounts), matched with the common spellings.
    pub fn is_not_found(&self) -> bool {
        match self {
            Self::Business { failure, .. } => failure.code.as_deref().is_some_and(|code| {
                let code = code.to_ascii_uppercase();
                code == "404"
                    || code.ends_with("NOT_FOUND")
                    || code.ends_with("NOT_EXIST")
                    || code.ends_with("NOT_EXISTS")
            }),
            Self::RetriesExhausted { last, .. } => last.is_not_found(),
            _ => false,
        }
    }

    /// Whether the same call may succeed if made again later.
    pub fn is_retryable(&self) -> bool {
        self.class().is_retryable()
    }

    /// Whether the app's call quota (platform or local) is exhausted.
    pub fn is_quota_exhausted(&self) -> bool {
        match self {
            Self::DailyQuotaExhausted { .. } | Self::CallShareSpent { .. } => true,
            Self::Gateway { code: GatewayErrorCode::NoUsageLeft, .. } => true,
            Self::RetriesExhausted { last, .. } => last.is_quota_exhausted(),
            _ => false,
        }
    }

    /// Whether the user must (re)authorize the app or the app lacks permission.
    pub fn is_authorization(&self) -> bool {
        self.credential().is_some()
    }

    /// Which of the app's credentials the platform says is wrong or missing, if that is what
    /// this error is: the app key, the app secret (a refused signature), the user's access
    /// token, or the app's subscription to the API.
    pub fn credential(&self) -> Option<Credential> {
        match self {
            Self::NotAuthorized { .. } | Self::TokenExpired { .. } | Self::OAuth { .. } => {
                Some(Credential::AccessToken)
            }
            Self::Gateway { code, .. } => match code {
                GatewayErrorCode::AppKeyNotFound | GatewayErrorCode::AppKeyMissing => Some(Credential::AppKey),
                GatewayErrorCode::SignatureInvalid | GatewayErrorCode::SignatureMissing => Some(Credential::AppSecret),
                GatewayErrorCode::Unauthorized => Some(Credential::AccessToken),
                GatewayErrorCode::AclDecline => Some(Credential::ApiSubscription),
                _ => None,
            },
            Self::RetriesExhausted { last, .. } => last.credential(),
            _ => None,
        }
    }
}

/// One of the things a call to the platform is authorized with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// The app key (unknown to the gateway, or missing).
    AppKey,
    /// The app secret the request is signed with (the signature was refused).
    AppSecret,
    /// The user's access token (missing, expired, or refused), from authorizing the app.
    AccessToken,
    /// The app's subscription to the API called (not applied for, or not granted).
    ApiSubscription,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_the_classifier() {
        let gw = |code| Error::Gateway { api: "a".into(), status: 400, code, message: String::new(), request_id: None };
        assert_eq!(gw(GatewayErrorCode::QosAppFrequencyLimit).class(), ErrorClass::Throttled);
        assert!(!gw(GatewayErrorCode::SignatureInvalid).is_retryable());
        assert!(gw(GatewayErrorCode::NoUsageLeft).is_quota_exhausted());
        assert!(gw(GatewayErrorCode::AclDecline).is_authorization());
        assert_eq!(gw(GatewayErrorCode::SignatureInvalid).credential(), Some(Credential::AppSecret));
        assert_eq!(gw(GatewayErrorCode::AppKeyNotFound).credential(), Some(Credential::AppKey));
        assert_eq!(gw(GatewayErrorCode::Unauthorized).credential(), Some(Credential::AccessToken));
        assert_eq!(gw(GatewayErrorCode::AclDecline).credential(), Some(Credential::ApiSubscription));
        assert_eq!(gw(GatewayErrorCode::QosAppFrequencyLimit).credential(), None);
        let t = Error::Transport { api: "a".into(), kind: TransportErrorKind::Timeout, message: "timed out".into() };
        assert!(t.is_retryable());
        let wrapped =
            Error::RetriesExhausted { api: "a".into(), attempts: 3, reason: "attempt limit", last: Box::new(t) };
        assert_eq!(wrapped.class(), ErrorClass::Transient);
    }

    #[test]
    fn not_found_is_a_business_failure_with_a_not_found_code() {
        let business = |code: &str| Error::Business {
            api: "a".into(),
            failure: open1688_types::BusinessFailure {
                family: open1688_types::ResponseFamily::CrossBorder,
                code: Some(code.into()),
                message: None,
            },
        };
        for code in ["404", "MEMBER_NOT_FOUND", "product_not_exist"] {
            assert!(business(code).is_not_found(), "{code}");
        }
        for code in ["500", "PARAM_ERROR", "NOT_FOUNDATION"] {
            assert!(!business(code).is_not_found(), "{code}");
        }
    }
}
