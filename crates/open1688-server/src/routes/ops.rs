//! Liveness and readiness for orchestrators; no key needed, nothing secret said.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::problem::Problem;
use crate::state::ServiceState;

/// `GET /healthz`: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "ops", security(()),
    responses((status = 200, description = "The process answers.", body = serde_json::Value)))]
pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// `GET /readyz`: the store answers (watches can be read) and the gateway token is usable (its
/// access token valid, or its refresh token able to renew it).
#[utoipa::path(get, path = "/readyz", tag = "ops", security(()),
    responses((status = 200, description = "Ready: the store answers.", body = serde_json::Value),
        (status = 503, description = "The service is stopping, the store is not reachable, or there is no usable gateway token.", body = Problem, content_type = "application/problem+json")))]
pub async fn readyz(State(state): State<ServiceState>) -> Result<Json<Value>, Problem> {
    use open1688_store::Store;
    if state.stopping.is_cancelled() {
        return Err(Problem::new(StatusCode::SERVICE_UNAVAILABLE, "the service is stopping"));
    }
    let watches = state
        .store
        .watches()
        .await
        .map_err(|e| Problem::new(StatusCode::SERVICE_UNAVAILABLE, format!("the store is not reachable: {e}")))?;
    let token =
        state.jobs.client().token().await.map_err(|e| {
            Problem::new(StatusCode::SERVICE_UNAVAILABLE, format!("the gateway token cannot be read: {e}"))
        })?;
    let gateway = gateway_token(token.as_ref(), chrono::Utc::now())
        .map_err(|why| Problem::new(StatusCode::SERVICE_UNAVAILABLE, why))?;
    Ok(Json(json!({ "status": "ready", "store": "ok", "watches": watches.len(), "gateway_token": gateway })))
}

/// Whether calls can be signed with `token` at `now`: `valid` while the access token lasts,
/// `refreshable` when only the refresh token does, else why not.
fn gateway_token(token: Option<&open1688::Token>, now: chrono::DateTime<chrono::Utc>) -> Result<&'static str, String> {
    let Some(token) = token else {
        return Err("no gateway token: authorize the app (open1688 auth login) or configure one".into());
    };
    if token.access_expires_at.is_none_or(|at| at > now) {
        return Ok("valid");
    }
    if token.refresh_token.is_some() && token.refresh_expires_at.is_none_or(|at| at > now) {
        return Ok("refreshable");
    }
    Err("the gateway token and its refresh token have expired: authorize the app again (open1688 auth login)".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, Utc};

    #[test]
    fn a_token_is_ready_while_it_or_its_refresh_token_lasts() {
        let now = Utc::now();
        let token = |access: i64, refresh: Option<i64>| open1688::Token {
            access_expires_at: Some(now + Duration::seconds(access)),
            refresh_token: refresh.map(|_| "r".to_owned().into()),
            refresh_expires_at: refresh.map(|s| now + Duration::seconds(s)),
            ..open1688::Token::from_access_token("a")
        };
        assert_eq!(gateway_token(Some(&token(60, None)), now), Ok("valid"));
        assert_eq!(gateway_token(Some(&token(-60, Some(60))), now), Ok("refreshable"));
        assert!(gateway_token(Some(&token(-60, Some(-1))), now).unwrap_err().contains("expired"));
        assert!(gateway_token(Some(&token(-60, None)), now).is_err());
        assert!(gateway_token(None, now).unwrap_err().contains("no gateway token"));
    }
}
