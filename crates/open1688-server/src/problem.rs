//! Errors as RFC 9457 problem documents (`application/problem+json`): a status, a title, what
//! was wrong in words and, for a bad request, the field at fault. Every failure of the service
//! leaves through here, so callers parse one shape. The title and detail are for a person: in
//! Chinese for a caller whose `Accept-Language` prefers it (see [`in_asked_language`]), else in
//! English; the other fields are for programs and never change with the language.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use open1688_jobs::{ErrorKind, JobError, Language};

use crate::language::Lang;

use serde::{Deserialize, Serialize};

/// One problem, as sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem (`about:blank` when the status says it all).
    #[serde(rename = "type")]
    #[schema(value_type = String)]
    pub kind: Box<str>,
    /// The status's short meaning (`Bad Request`).
    #[schema(value_type = String)]
    pub title: Box<str>,
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
    /// The detail in Chinese, sent in its place to a caller who prefers Chinese (absent: the
    /// English detail goes under a Chinese title).
    #[serde(skip)]
    pub chinese: Option<Box<str>>,
}

/// A problem as a store keeps it (a job's failure, read back by whichever instance shows it): the
/// document with its Chinese detail as one more member, so a Chinese page still says it in
/// Chinese.
#[derive(Serialize, Deserialize)]
struct KeptProblem {
    #[serde(flatten)]
    problem: Problem,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    detail_zh: Option<Box<str>>,
}

impl Problem {
    /// The problem as JSON to keep in the store, its Chinese detail with it.
    pub fn to_kept(&self) -> String {
        let kept = KeptProblem { problem: self.clone(), detail_zh: self.chinese.clone() };
        serde_json::to_string(&kept).unwrap_or_else(|_| "{}".into())
    }

    /// A problem kept by [`Problem::to_kept`] (or a plain problem document), if it reads.
    pub fn from_kept(text: &str) -> Option<Self> {
        let kept: KeptProblem = serde_json::from_str(text).ok()?;
        Some(Self { chinese: kept.detail_zh, ..kept.problem })
    }
}

/// The problem an answer was made from, kept with it until [`in_asked_language`] sees which
/// language the caller asked for (the Chinese document is written only for a caller who wants it).
#[derive(Debug, Clone)]
struct Answered(Box<Problem>);

impl Problem {
    /// A problem with `status` and `detail`.
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            kind: "about:blank".into(),
            title: status.canonical_reason().unwrap_or("Error").into(),
            status: status.as_u16(),
            detail: detail.into().into_boxed_str(),
            field: None,
            platform_code: None,
            retry_after: None,
            chinese: None,
        }
    }

    /// The detail in `language`: the Chinese one where known, else the English.
    pub fn detail_in(&self, language: Language) -> &str {
        match (language, &self.chinese) {
            (Language::Zh, Some(chinese)) => chinese,
            _ => &self.detail,
        }
    }

    /// Whether [`Problem::detail_in`] answers `language` in that language (a Chinese page marks
    /// English words as English).
    pub fn speaks(&self, language: Language) -> bool {
        language == Language::En || self.chinese.is_some()
    }

    /// This problem with its detail in Chinese too.
    pub fn chinese(self, detail: impl Into<String>) -> Self {
        Self { chinese: Some(detail.into().into_boxed_str()), ..self }
    }

    /// The document a Chinese reader gets: the title and, where known, the detail in Chinese.
    fn in_chinese(&self) -> Self {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Self {
            title: chinese_title(status).into(),
            detail: self.chinese.clone().unwrap_or_else(|| self.detail.clone()),
            ..self.clone()
        }
    }

    /// A bad request naming its field.
    pub fn invalid(field: impl Into<String>, detail: impl Into<String>) -> Self {
        Self { field: Some(field.into().into_boxed_str()), ..Self::new(StatusCode::BAD_REQUEST, detail) }
    }
}

impl From<JobError> for Problem {
    fn from(e: JobError) -> Self {
        let chinese = e.render(Language::Zh);
        english_problem(e).chinese(chinese)
    }
}

/// The problem `e` is, in English.
fn english_problem(e: JobError) -> Problem {
    let detail = e.to_string();
    match (&e, e.kind()) {
        (JobError::Invalid { field, .. }, _) => Problem::invalid(field.clone(), detail),
        // What 1688 does not have is said as such, not as the gateway call that asked for it
        // (no internal API name reaches a person); the platform's code stays for programs.
        (JobError::Gateway { context, source }, ErrorKind::NotFound) => Problem {
            platform_code: source.platform_code().map(Box::from),
            ..Problem::new(StatusCode::NOT_FOUND, open1688_jobs::error::not_found_on_1688(context))
        },
        (_, ErrorKind::Invalid | ErrorKind::NoAnswer) => Problem::new(StatusCode::UNPROCESSABLE_ENTITY, detail),
        (_, ErrorKind::NotFound) => Problem::new(StatusCode::NOT_FOUND, detail),
        (_, ErrorKind::QuotaExhausted) => {
            let wait = e.retry_after(chrono::Utc::now()).unwrap_or(open1688_jobs::error::QUOTA_RETRY);
            Problem { retry_after: Some(wait.as_secs()), ..Problem::new(StatusCode::TOO_MANY_REQUESTS, detail) }
        }
        (JobError::Gateway { source, .. }, _) => Problem {
            platform_code: source.platform_code().map(Box::from),
            ..Problem::new(StatusCode::BAD_GATEWAY, detail)
        },
        (_, ErrorKind::Authorization) => Problem::new(StatusCode::BAD_GATEWAY, detail),
        (_, ErrorKind::Cancelled) => Problem::new(StatusCode::CONFLICT, detail),
        (_, ErrorKind::Failed) => Problem::new(StatusCode::INTERNAL_SERVER_ERROR, detail),
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
        response.extensions_mut().insert(Answered(Box::new(self)));
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static("en"));
        headers.insert(header::VARY, HeaderValue::from_static("Accept-Language"));
        if let Some(seconds) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// Middleware: a problem answers in Chinese when the request's `Accept-Language` prefers
/// Chinese to English (`zh-CN,zh;q=0.9,en;q=0.8`), else in English.
pub async fn in_asked_language(request: Request, next: Next) -> Response {
    let chinese = Lang::of(request.headers(), None) == Lang::Zh;
    let mut response = next.run(request).await;
    let Some(Answered(problem)) = response.extensions_mut().remove::<Answered>() else {
        return response;
    };
    if !chinese {
        return response;
    }
    let body = serde_json::to_vec(&problem.in_chinese()).unwrap_or_default();
    let (mut parts, _) = response.into_parts();
    parts.headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static("zh-CN"));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(body))
}

/// A status's short meaning in Chinese.
fn chinese_title(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "请求有误",
        401 => "需要有效的 API 密钥",
        403 => "无权访问",
        404 => "未找到",
        405 => "不支持此方法",
        408 => "请求超时",
        409 => "状态冲突",
        413 => "请求内容过大",
        415 => "不支持的内容格式",
        422 => "无法处理的请求",
        429 => "请求过于频繁",
        500 => "服务内部错误",
        502 => "1688 网关出错",
        503 => "服务暂不可用",
        504 => "网关超时",
        _ if status.is_client_error() => "请求有误",
        _ => "服务出错",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_problem_keeps_its_chinese_and_reads_plain_documents_too() {
        let problem = Problem::from(JobError::refused("need", open1688_jobs::FieldRefusal::at_least(1, 0)));
        let back = Problem::from_kept(&problem.to_kept()).unwrap();
        assert_eq!(back, problem);
        assert_eq!(back.detail_in(Language::Zh), "need 不能小于 1（收到 0）");
        let plain = serde_json::to_string(&Problem::new(StatusCode::CONFLICT, "cancelled")).unwrap();
        assert_eq!(Problem::from_kept(&plain).unwrap().detail_in(Language::Zh), "cancelled");
        assert!(Problem::from_kept("not json").is_none());
    }
}
