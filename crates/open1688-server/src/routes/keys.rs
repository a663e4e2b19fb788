//! API keys over HTTP, for an admin key: list, make (the key's text is in the answer once and
//! nowhere else), revoke. The CLI's `open1688 serve keys …` does the same on the machine itself.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use open1688_store::{ApiKey, Scope};
use serde::{Deserialize, Serialize};

use crate::extract;
use crate::openapi::Failures;
use crate::problem::Problem;
use crate::state::ServiceState;

/// `POST /v1/keys` body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewKey {
    /// Who or what the key is for (`erp`, `storefront import`), at most 100 characters.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// What it may do.
    pub scope: Scope,
}

/// A key just made.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MadeKey {
    /// The key as listed.
    pub key: ApiKey,
    /// The key to hand over (`o1688_<id>_<secret>`); it is shown this once and cannot be shown
    /// again.
    pub secret: String,
}

/// `GET /v1/keys`: every key, revoked ones included (never their secrets).
#[utoipa::path(get, path = "/keys", tag = "keys",
    responses((status = 200, description = "Every key, oldest first.", body = Vec<ApiKey>), Failures))]
pub async fn list(State(state): State<ServiceState>) -> Result<Json<Vec<ApiKey>>, Problem> {
    Ok(Json(state.store.api_keys().await?))
}

/// `POST /v1/keys`: makes a key. 201 with its text, shown once.
#[utoipa::path(post, path = "/keys", tag = "keys", request_body = NewKey,
    responses((status = 201, description = "The key; keep its secret, it is not shown again.", body = MadeKey), Failures))]
pub async fn add(
    State(state): State<ServiceState>,
    body: Result<Json<NewKey>, JsonRejection>,
) -> Result<(StatusCode, Json<MadeKey>), Problem> {
    let NewKey { name, scope } = extract::json(body)?;
    let made = state.store.add_api_key(&name, scope, Utc::now().timestamp_millis()).await.map_err(|e| match e {
        open1688_store::StoreError::Invalid(why) => Problem::invalid("name", why),
        other => Problem::from(other),
    })?;
    tracing::info!(key = made.key.id, name = %made.key.name, scope = made.key.scope.as_str(), "API key made over HTTP");
    Ok((StatusCode::CREATED, Json(MadeKey { key: made.key, secret: made.text })))
}

/// `DELETE /v1/keys/{id}`: revokes a key at once. 204, or 404 when there is no such key or it
/// was revoked already.
#[utoipa::path(delete, path = "/keys/{id}", tag = "keys",
    params(("id" = i64, Path, description = "The key's id (the number in `o1688_<id>_…`).", minimum = 1)),
    responses((status = 204, description = "Revoked; requests with it are refused from now on."), Failures))]
pub async fn revoke(State(state): State<ServiceState>, Path(id): Path<i64>) -> Result<StatusCode, Problem> {
    if state.store.revoke_api_key(id, Utc::now().timestamp_millis()).await? {
        state.verified_keys.forget_all();
        state.revocations.revoke(id);
        tracing::info!(key = id, "API key revoked over HTTP");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Problem::new(StatusCode::NOT_FOUND, format!("no active key {id}")))
    }
}
