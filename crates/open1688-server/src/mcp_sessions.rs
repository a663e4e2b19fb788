//! `/mcp` sessions belong to the key that opened them: a request naming another key's session
//! (`Mcp-Session-Id`) is answered as an unknown session would be, so it can neither call into it
//! nor end it, nor learn that it exists. Whatever an answer streams (a tool's progress, the
//! session's event stream) ends when the key is revoked.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use moka::sync::Cache;
use open1688_store::ApiKey;

use crate::revocations::Revocations;

/// The header naming a session (streamable HTTP).
const SESSION: &str = "mcp-session-id";

/// The most sessions remembered; an idle one is forgotten after a day (the MCP server drops it
/// well before).
const CAPACITY: u64 = 100_000;
const IDLE: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Which key opened which session, and the revoked keys.
#[derive(Clone)]
pub struct SessionOwners {
    owners: Cache<String, i64>,
    revocations: Revocations,
}

impl std::fmt::Debug for SessionOwners {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionOwners").field("sessions", &self.owners.entry_count()).finish()
    }
}

impl SessionOwners {
    /// No session yet.
    pub fn new(revocations: Revocations) -> Self {
        Self { owners: Cache::builder().max_capacity(CAPACITY).time_to_idle(IDLE).build(), revocations }
    }

    /// Whether key `key` may use session `session`: its own, or one nobody opened here.
    fn may_use(&self, session: &str, key: i64) -> bool {
        self.owners.get(session).is_none_or(|owner| owner == key)
    }
}

/// The middleware (after the key check, which put the key in the request).
pub async fn guard(State(sessions): State<SessionOwners>, request: Request, next: Next) -> Response {
    let Some(key) = request.extensions().get::<ApiKey>().map(|k| k.id) else {
        return next.run(request).await;
    };
    let asked = request.headers().get(SESSION).and_then(|v| v.to_str().ok()).map(str::to_owned);
    if let Some(session) = &asked
        && !sessions.may_use(session, key)
    {
        tracing::warn!(key, "a key named another key's MCP session");
        return (StatusCode::NOT_FOUND, "Session not found").into_response();
    }
    let response = next.run(request).await;
    if asked.is_none()
        && let Some(opened) = response.headers().get(SESSION).and_then(|v| v.to_str().ok())
    {
        sessions.owners.insert(opened.to_owned(), key);
    }
    let (parts, body) = response.into_parts();
    let revocations = sessions.revocations.clone();
    let revoked = Box::pin(async move { revocations.revoked(key).await });
    Response::from_parts(parts, Body::from_stream(body.into_data_stream().take_until(revoked)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_is_its_openers_alone() {
        let sessions = SessionOwners::new(Revocations::new());
        assert!(sessions.may_use("s1", 7), "a session nobody opened here: the MCP server says");
        sessions.owners.insert("s1".into(), 7);
        assert!(sessions.may_use("s1", 7));
        assert!(!sessions.may_use("s1", 8));
    }
}
