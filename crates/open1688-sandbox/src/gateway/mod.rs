//! The gateway: routing, the checks of spec §5.1 in their order, faults, dispatch to the APIs.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use open1688_types::signing::SIGNATURE_PARAM;
use open1688_types::{GatewayErrorCode, Params, SortRule, verify};

use crate::api::{Api, Guard};
use crate::apis;
use crate::call::Call;
use crate::config::{AppConfig, OAuthSignature};
use crate::faults::Fault;
use crate::reply::{Reply, html_error};
use crate::state::SandboxState;
use crate::stats::Outcome;

/// `/openapi/{protocol}/{version}/{namespace}/{name}/{appKey}`, GET or POST.
pub async fn openapi(State(state): State<Arc<SandboxState>>, uri: Uri, body: Bytes) -> Response {
    let request_id = state.next_request_id();
    let path = uri.path().strip_prefix("/openapi/").unwrap_or("");
    let segments: Vec<&str> = path.split('/').collect();

    // 1. Route: the API must exist (with its protocol and version).
    let route = match segments.as_slice() {
        [protocol, version, ns, name, app_key] => Api::lookup(ns, name)
            .filter(|api| api.accepts_protocol(protocol) && *version == "1")
            .map(|api| (api, *app_key)),
        [protocol, "1", ns, name] => {
            let exists = Api::lookup(ns, name).filter(|api| api.accepts_protocol(protocol));
            return finish(
                &state,
                None,
                exists.map_or("-", Api::name),
                &request_id,
                Reply::gateway(missing_or_unsupported(exists)),
                None,
            );
        }
        _ => None,
    };
    let Some((api, app_key)) = route else {
        return finish(&state, None, "-", &request_id, Reply::gateway(GatewayErrorCode::ApiUnsupported), None);
    };

    // 2. App key.
    let Some(app) = state.apps.get(app_key) else {
        return finish(&state, None, api.name(), &request_id, Reply::gateway(GatewayErrorCode::AppKeyNotFound), None);
    };

    let params = Params::from_form_bodies(&[uri.query().unwrap_or("").as_bytes(), &body]);
    let now_ms = state.clock.now_ms();

    let checked = check(&state, api, app, path, &params, now_ms);
    let member = match checked {
        Ok(member) => member,
        Err(reply) => return finish(&state, Some(app_key), api.name(), &request_id, reply, None),
    };

    let (latency, fault) = state.draw_fault(api.name());
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match fault {
        Some(Fault::Http(status)) => {
            state.stats.record(Some(app_key), api.name(), Outcome::Fault(&Fault::Http(status).name()));
            return html_error(status);
        }
        Some(Fault::Throttle) => {
            let reply = Reply::gateway(GatewayErrorCode::QosAppFrequencyLimit);
            return finish(&state, Some(app_key), api.name(), &request_id, reply, fault);
        }
        Some(Fault::RevokeToken) => {
            if let Some(token) = params.get(open1688_types::ACCESS_TOKEN) {
                state.tokens.revoke_access(token);
            }
            let reply = Reply::gateway_msg(GatewayErrorCode::Unauthorized, "Request need user authorized");
            return finish(&state, Some(app_key), api.name(), &request_id, reply, fault);
        }
        _ => {}
    }

    let reply = if api == Api::ImageUpload {
        // Decoding a picture is CPU work of up to seconds: off the async workers, so other calls
        // keep being answered meanwhile.
        let (shared, app) = (state.clone(), app.clone());
        let decoded = tokio::task::spawn_blocking(move || {
            apis::dispatch(api, &Call { state: &shared, params: &params, app: &app, member, now_ms })
        })
        .await;
        match decoded {
            Ok(reply) => reply,
            Err(_) => return html_error(500),
        }
    } else {
        apis::dispatch(api, &Call { state: &state, params: &params, app, member, now_ms })
    };
    if let Some(Fault::StallAfter(hold)) = fault {
        // The work is done (an order exists); the answer comes late or, for a client that
        // hung up, never.
        tokio::time::sleep(hold).await;
    }
    finish(&state, Some(app_key), api.name(), &request_id, reply, fault)
}

fn missing_or_unsupported(api: Option<Api>) -> GatewayErrorCode {
    if api.is_some() { GatewayErrorCode::AppKeyMissing } else { GatewayErrorCode::ApiUnsupported }
}

/// Checks 3–8 of spec §5.1; returns the token's member for business APIs.
fn check(
    state: &SandboxState,
    api: Api,
    app: &AppConfig,
    path: &str,
    params: &Params,
    now_ms: i64,
) -> Result<Option<usize>, Reply> {
    let protocol = &state.protocol;
    let guard = api.guard();

    // 3. Signature.
    let signature = params.get(SIGNATURE_PARAM);
    let must_sign = match guard {
        Guard::Open => false,
        Guard::OAuth => match protocol.oauth_signature {
            OAuthSignature::Ignore => false,
            OAuthSignature::VerifyIfPresent => signature.is_some(),
            OAuthSignature::Require => true,
        },
        Guard::Signed | Guard::Business => true,
    };
    if must_sign {
        let Some(signature) = signature.filter(|s| s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit())) else {
            // Absent, or not an HMAC-SHA1 hex string (an MD5 is 32 characters): spec §2.1.
            return Err(Reply::gateway(GatewayErrorCode::SignatureMissing));
        };
        let secret = app.app_secret.as_bytes();
        let case_ok = protocol.accept_lowercase_signature || !signature.bytes().any(|b| b.is_ascii_lowercase());
        let valid = case_ok
            && (verify(SortRule::Official, path, secret, params.iter(), signature)
                || (protocol.accept_key_sorted_signature
                    && verify(SortRule::ByKey, path, secret, params.iter(), signature)));
        if !valid {
            return Err(Reply::gateway(GatewayErrorCode::SignatureInvalid));
        }
    }

    // 4. Timestamp, when sent.
    if let (Some(ts), Some(tolerance)) = (params.get(open1688_types::TIMESTAMP), protocol.timestamp_tolerance_seconds)
        && guard != Guard::Open
    {
        let ok = ts.parse::<i64>().is_ok_and(|ms| (ms - now_ms).abs() <= tolerance * 1000);
        if !ok {
            let code = GatewayErrorCode::parse(&protocol.timestamp_error_code);
            return Err(Reply::gateway_msg(
                code,
                format!("_aop_timestamp {ts} is more than {tolerance} s away from the gateway time {now_ms}"),
            ));
        }
    }

    if guard != Guard::Business {
        if guard != Guard::OAuth {
            quota(state, api, app, now_ms)?;
        }
        return required(api, params).map(|()| None);
    }

    // 5. Token.
    let Some(token) = params.get(open1688_types::ACCESS_TOKEN).filter(|t| !t.is_empty()) else {
        return Err(Reply::gateway_msg(GatewayErrorCode::Unauthorized, "Request need user authenticated"));
    };
    let grant = state
        .tokens
        .check_access(token, &app.app_key, now_ms)
        .map_err(|_| Reply::gateway_msg(GatewayErrorCode::Unauthorized, "Request need user authorized"))?;

    // 6. ACL.
    let (namespace, name) = api.id();
    if !app.subscribes(namespace, name) {
        return Err(Reply::gateway(GatewayErrorCode::AclDecline));
    }

    // 7. QoS, 8. required parameters.
    quota(state, api, app, now_ms)?;
    required(api, params)?;
    Ok(Some(grant.member))
}

fn quota(state: &SandboxState, api: Api, app: &AppConfig, now_ms: i64) -> Result<(), Reply> {
    if !state.quotas_enabled() {
        return Ok(());
    }
    use crate::quota::QuotaVerdict::*;
    match state.quotas.check(app, api.name(), now_ms) {
        Allowed => Ok(()),
        AppLimited => Err(Reply::gateway(GatewayErrorCode::QosAppFrequencyLimit)),
        ApiLimited => {
            let code = GatewayErrorCode::parse(&state.protocol.api_limit_code);
            let message = code.default_message();
            Err(Reply::gateway_msg(code.clone(), message))
        }
        NoUsageLeft => Err(Reply::gateway(GatewayErrorCode::NoUsageLeft)),
    }
}

fn required(api: Api, params: &Params) -> Result<(), Reply> {
    match api.required_params().iter().find(|name| params.get(name).is_none_or(str::is_empty)) {
        Some(name) => Err(Reply::param_missing(name)),
        None => Ok(()),
    }
}

fn finish(
    state: &SandboxState,
    app_key: Option<&str>,
    api: &str,
    request_id: &str,
    reply: Reply,
    fault: Option<Fault>,
) -> Response {
    let outcome_code = reply.stats_code();
    let fault_name = fault.map(|f| f.name());
    let outcome = match (&fault_name, &reply, &outcome_code) {
        (Some(name), _, _) => Outcome::Fault(name),
        (None, Reply::Ok(_), _) => Outcome::Ok,
        (None, Reply::Gateway { .. }, Some(code)) => Outcome::Gateway(code),
        (None, _, Some(code)) => Outcome::Business(code),
        (None, _, None) => Outcome::Ok,
    };
    state.stats.record(app_key, api, outcome);
    reply.into_response(request_id, fault)
}
