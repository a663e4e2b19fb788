//! API keys on every `/v1` route: `Authorization: Bearer o1688_…` (or `X-Api-Key`). A missing
//! or unknown key is 401, a key whose scope is too small is 403: reading needs `read` (the
//! computations sent as POST — quote, compare, plan, image search — included), anything that
//! changes state or starts a background job needs `write`; keys themselves (`/v1/keys`) need
//! `admin` ([`open1688_store::scope_table`]). `/mcp` needs any key; each MCP tool is then checked
//! by the same table, through the route whose work it does.

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use open1688_store::{ApiKey, Scope};

use crate::problem::Problem;
use crate::state::ServiceState;

/// The scope a request needs (the store's one scope table, which MCP tools are checked by too).
pub fn required_scope(method: &Method, path: &str) -> Scope {
    open1688_store::scope_table::required_scope(method.as_str(), path)
}

/// The key a request presents, as text.
fn presented(request: &Request) -> Option<&str> {
    let headers = request.headers();
    if let Some(value) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        return value.strip_prefix("Bearer ").map(str::trim);
    }
    headers.get("x-api-key").and_then(|v| v.to_str().ok()).map(str::trim)
}

/// Refuses requests without a valid key of a sufficient scope; passes the key on to handlers.
pub async fn require_key(State(state): State<ServiceState>, mut request: Request, next: Next) -> Response {
    let Some(text) = presented(&request) else {
        return unauthorized(
            "an API key is required: send Authorization: Bearer o1688_… (see `open1688 serve keys add`)",
            "需要 API 密钥：请发送 Authorization: Bearer o1688_…（密钥由运行服务的人在“密钥”页创建）",
        );
    };
    let key: ApiKey = match state.verified_keys.get(text) {
        Some(key) => key,
        None => match state.store.authenticate_api_key(text).await {
            Ok(Some(key)) => {
                state.verified_keys.insert(text, key.clone());
                key
            }
            Ok(None) => return unauthorized(UNKNOWN_KEY, UNKNOWN_KEY_ZH),
            Err(e) => return Problem::from(e).into_response(),
        },
    };
    // Revoked on another instance or on the command line: refused before the cache forgets it.
    if state.revocations.is_revoked(key.id) {
        return unauthorized(UNKNOWN_KEY, UNKNOWN_KEY_ZH);
    }
    // Nested under /v1, the router sees the path without the prefix; the original URI has it.
    let path = request
        .extensions()
        .get::<axum::extract::OriginalUri>()
        .map_or_else(|| request.uri().path().to_owned(), |u| u.path().to_owned());
    let needed = required_scope(request.method(), &path);
    if key.scope < needed {
        let (name, has, method, needs) = (&key.name, key.scope.as_str(), request.method(), needed.as_str());
        let detail = format!("the key {name:?} has scope {has}; {method} {path} needs {needs}");
        let chinese = format!("密钥 {name:?} 的权限为 {has}；{method} {path} 需要 {needs}");
        return Problem::new(StatusCode::FORBIDDEN, detail).chinese(chinese).into_response();
    }
    if let Err(wait) = state.key_limits.check(key.id).await {
        let seconds = wait.as_secs().max(1);
        let detail = format!("the key {:?} is over its request rate; retry in {seconds} s", key.name);
        let chinese = format!("密钥 {:?} 的请求过于频繁；请 {seconds} 秒后再试", key.name);
        return Problem { retry_after: Some(seconds), ..Problem::new(StatusCode::TOO_MANY_REQUESTS, detail) }
            .chinese(chinese)
            .into_response();
    }
    tracing::Span::current().record("key", key.id);
    // The gateway calls the request causes are the key's to pay for (MCP tools, which run on
    // tasks of their own, take the charge from the request).
    let charge = state.call_shares.charge(key.id, crate::call_shares::REQUEST_PATIENCE);
    request.extensions_mut().insert(charge.clone());
    request.extensions_mut().insert(key);
    charge.scope(next.run(request)).await
}

const UNKNOWN_KEY: &str = "the API key is unknown or revoked";
const UNKNOWN_KEY_ZH: &str = "API 密钥无效或已被吊销";

fn unauthorized(detail: &str, chinese: &str) -> Response {
    let mut response = Problem::new(StatusCode::UNAUTHORIZED, detail).chinese(chinese).into_response();
    response.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_and_computing_need_read_and_everything_else_write() {
        assert_eq!(required_scope(&Method::GET, "/v1/watches"), Scope::Read);
        assert_eq!(required_scope(&Method::POST, "/v1/quote"), Scope::Read);
        assert_eq!(required_scope(&Method::POST, "/v1/image-search"), Scope::Read);
        for m in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            assert_eq!(required_scope(&m, "/v1/watches"), Scope::Write, "{m}");
        }
        assert_eq!(required_scope(&Method::POST, "/v1/jobs/source"), Scope::Write);
        assert_eq!(required_scope(&Method::POST, "/v1/quote/../watches"), Scope::Write);
        assert_eq!(required_scope(&Method::GET, "/v1/keys"), Scope::Admin);
        assert_eq!(required_scope(&Method::DELETE, "/v1/keys/3"), Scope::Admin);
        assert_eq!(required_scope(&Method::GET, "/metrics"), Scope::Read);
        assert_eq!(required_scope(&Method::POST, "/mcp"), Scope::Read);
    }
}
