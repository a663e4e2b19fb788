//! `system.oauth2/getToken` (both grants, both refresh-token parameter names) and
//! `postponeToken`, spec §3.2. Bad codes and tokens get HTTP 401 with an OAuth error body.

use axum::http::StatusCode;
use serde::Serialize;

use super::wire::platform_date_ms;
use crate::call::Call;
use crate::config::RefreshGrantReturns;
use crate::reply::{Reply, to_json};
use crate::tokens::Grant;

/// The token response, fields in the order of the recorded sample.
#[derive(Serialize)]
struct TokenBody {
    #[serde(rename = "aliId")]
    ali_id: String,
    resource_owner: String,
    #[serde(rename = "memberId")]
    member_id: String,
    expires_in: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    access_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token_timeout: Option<String>,
}

#[derive(Serialize)]
struct OAuthError<'a> {
    error: &'a str,
    error_description: String,
}

fn oauth_error(status: StatusCode, error: &str, description: String) -> Reply {
    Reply::Status {
        status,
        body: to_json(&OAuthError { error, error_description: description }),
        code: error.to_owned(),
    }
}

fn client_checked(call: &Call<'_>) -> Result<(), Reply> {
    let id = call.params.get("client_id").unwrap_or("");
    let secret = call.params.get("client_secret").unwrap_or("");
    if id != call.app.app_key || secret != call.app.app_secret {
        return Err(oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "client_id does not match the app key in the path, or client_secret is wrong".into(),
        ));
    }
    Ok(())
}

fn body(
    call: &Call<'_>,
    access_token: String,
    access_expires_ms: i64,
    refresh: Option<(String, i64)>,
    member: usize,
) -> Reply {
    let supplier = &call.state.catalog.suppliers[member];
    let (refresh_token, refresh_token_timeout) = match refresh {
        Some((token, expires)) => (Some(token), Some(platform_date_ms(expires))),
        None => (None, None),
    };
    Reply::ok(&TokenBody {
        ali_id: supplier.user_id.to_string(),
        resource_owner: supplier.login_id.clone(),
        member_id: supplier.member_id(),
        expires_in: ((access_expires_ms - call.now_ms) / 1000).max(0).to_string(),
        refresh_token,
        access_token,
        refresh_token_timeout,
    })
}

fn new_access(call: &Call<'_>, member: usize) -> (String, i64) {
    let expires = call.now_ms + call.state.protocol.access_token_seconds * 1000;
    (call.state.tokens.issue_access(Grant { app_key: call.app.app_key.clone(), member, expires_ms: expires }), expires)
}

fn new_refresh(call: &Call<'_>, member: usize) -> (String, i64) {
    let expires = call.now_ms + call.state.protocol.refresh_token_days * 86_400_000;
    (call.state.tokens.issue_refresh(Grant { app_key: call.app.app_key.clone(), member, expires_ms: expires }), expires)
}

/// `system.oauth2/getToken`.
pub fn get_token(call: &Call<'_>) -> Reply {
    if let Err(reply) = client_checked(call) {
        return reply;
    }
    let app_key = &call.app.app_key;
    match call.params.get("grant_type").unwrap_or("") {
        "authorization_code" => {
            let Some(code) = call.params.get("code").filter(|c| !c.is_empty()) else {
                return Reply::param_missing("code");
            };
            let grant = match call.state.tokens.take_code(code, app_key, call.now_ms) {
                Ok(grant) => grant,
                Err(refusal) => {
                    return oauth_error(
                        StatusCode::UNAUTHORIZED,
                        "invalid_grant",
                        refusal.describe("the authorization code"),
                    );
                }
            };
            let (access, access_expires) = new_access(call, grant.member);
            let refresh =
                (call.params.get("need_refresh_token") == Some("true")).then(|| new_refresh(call, grant.member));
            body(call, access, access_expires, refresh, grant.member)
        }
        "refresh_token" => {
            let given = call.params.get("refresh_token").or(call.params.get("refreshToken")).filter(|t| !t.is_empty());
            let Some(token) = given else { return Reply::param_missing("refresh_token") };
            let grant = match call.state.tokens.check_refresh(token, app_key, call.now_ms) {
                Ok(grant) => grant,
                Err(refusal) => {
                    return oauth_error(
                        StatusCode::UNAUTHORIZED,
                        "invalid_grant",
                        refusal.describe("the refresh token"),
                    );
                }
            };
            let (access, access_expires) = new_access(call, grant.member);
            let refresh = match call.state.protocol.refresh_grant_returns {
                RefreshGrantReturns::SameRefreshToken => Some((token.to_owned(), grant.expires_ms)),
                RefreshGrantReturns::NewRefreshToken => Some(new_refresh(call, grant.member)),
                RefreshGrantReturns::Omit => None,
            };
            body(call, access, access_expires, refresh, grant.member)
        }
        other => oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            format!("grant_type must be authorization_code or refresh_token, got {other:?}"),
        ),
    }
}

/// `system.oauth2/postponeToken`: a new refresh token with a full lifetime.
pub fn postpone_token(call: &Call<'_>) -> Reply {
    if let Err(reply) = client_checked(call) {
        return reply;
    }
    let app_key = &call.app.app_key;
    let refresh = call.params.get("refresh_token").unwrap_or("");
    let grant = match call.state.tokens.check_refresh(refresh, app_key, call.now_ms) {
        Ok(grant) => grant,
        Err(refusal) => {
            return oauth_error(StatusCode::UNAUTHORIZED, "invalid_grant", refusal.describe("the refresh token"));
        }
    };
    let access = call.params.get("access_token").unwrap_or("");
    let access_grant = match call.state.tokens.check_access(access, app_key, call.now_ms) {
        Ok(g) if g.member == grant.member => g,
        Ok(_) => {
            return oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_grant",
                "the tokens belong to different members".into(),
            );
        }
        Err(refusal) => {
            return oauth_error(StatusCode::UNAUTHORIZED, "invalid_token", refusal.describe("the access token"));
        }
    };
    let fresh = new_refresh(call, grant.member);
    body(call, access.to_owned(), access_grant.expires_ms, Some(fresh), grant.member)
}
