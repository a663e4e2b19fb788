//! `/mcp` answers end with their key. MCP over HTTP is served statelessly (see
//! [`open1688_mcp::http_service`]): there is no session to take over or to lose when an instance
//! dies, each request is checked for its own key, and a request naming a session (`Mcp-Session-Id`
//! from an older client) reaches nothing but its own answer. What an answer streams (a long
//! tool's progress) ends when its key is revoked, here or on any other instance.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use futures::StreamExt;
use open1688_store::ApiKey;

use crate::revocations::Revocations;

/// The middleware (after the key check, which put the key in the request).
pub async fn end_with_key(State(revocations): State<Revocations>, request: Request, next: Next) -> Response {
    let Some(key) = request.extensions().get::<ApiKey>().map(|k| k.id) else {
        return next.run(request).await;
    };
    let response = next.run(request).await;
    let (parts, body) = response.into_parts();
    let revoked = Box::pin(async move { revocations.revoked(key).await });
    Response::from_parts(parts, Body::from_stream(body.into_data_stream().take_until(revoked)))
}
