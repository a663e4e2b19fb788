//! Errors as RFC 9457 problem documents (`application/problem+json`): a status, a title, what
//! was wrong in words and, for a bad request, the field at fault. Every failure of the service
//! leaves through here, so callers parse one shape.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use open1688_jobs::{ErrorKind, JobError};
use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// One problem, as sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`about:blank` when the status says it all).
    #[serde(rename = "type")]
    #[schema(value_type = String)]
    pub kind: Cow<'static, str>,
    /// The status's short meaning (`Bad Request`).
    #[schema(value_type = String)]
    pub title: Cow<'static, str>,
    /// The HTTP status.
    pub status: u16,
    /// What was wrong, for a person.
    #[schema(value_type = String)]
    pub detail: Box<str>,
    /// The request field at fault, for 400 and 422.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub field: Option<Box<str>>,
    /// The platform's error code, for 502.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub platform_code: Option<Box<str>>,
    /// Seconds to wait before asking again, for 429 (also the `Retry-After` header).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl Problem {
    /// A problem with `status` and `detail`.
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            kind: Cow::Borrowed("about:blank"),
            title: Cow::Borrowed(status.canonical_reason().unwrap_or("Error")),
            status: status.as_u16(),
            detail: detail.into().into_boxed_str(),
            field: None,
            platform_code: None,
            retry_after: None,
        }
    }

    /// A bad request naming its field.
    pub fn invalid(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Self { field: Some(field.into().into_boxed_str()), ..Self::new(StatusCode::BAD_REQUEST, detail) }
    }
}

impl From<JobError> for Problem {
    fn from(e: JobError) -> Self {
        let detail = e.to_string();
        match (&e, e.kind()) {
            (JobError::Invalid { field, .. }, _) => Self::invalid(field.clone(), detail),
            // What 1688 does not have is said as such, not as the gateway call that asked for it
            // (no internal API name reaches a person); the platform's code stays for programs.
            (JobError::Gateway { context, source }, ErrorKind::NotFound) => Self {
                platform_code: source.platform_code().map(Box::from),
                ..Self::new(StatusCode::NOT_FOUND, open1688_jobs::error::not_found_on_1688(context))
            },
            (_, ErrorKind::Invalid | ErrorKind::NoAnswer) => Self::new(StatusCode::UNPROCESSABLE_ENTITY, detail),
            (_, ErrorKind::NotFound) => Self::new(StatusCode::NOT_FOUND, detail),
            (_, ErrorKind::QuotaExhausted) => {
                let wait = e.retry_after(chrono::Utc::now()).unwrap_or(open1688_jobs::error::QUOTA_RETRY);
                Self { retry_after: Some(wait.as_secs()), ..Self::new(StatusCode::TOO_MANY_REQUESTS, detail) }
            }
            (JobError::Gateway { source, .. }, _) => Self {
                platform_code: source.platform_code().map(Box::from),
                ..Self::new(StatusCode::BAD_GATEWAY, detail)
            },
            (_, ErrorKind::Authorization) => Self::new(StatusCode::BAD_GATEWAY, detail),
            (_, ErrorKind::Cancelled) => Self::new(StatusCode::CONFLICT, detail),
            (_, ErrorKind::Failed) => Self::new(StatusCode::INTERNAL_SERVER_ERROR, detail),
        }
    }
}

impl From<open1688_store::StoreError> for Problem {
    fn from(e: open1688_store::StoreError) -> Self {
        Problem::from(JobError::from(e))
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let retry_after = self.retry_after;
        let body = serde_json::to_vec(&self).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let Some(seconds) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
