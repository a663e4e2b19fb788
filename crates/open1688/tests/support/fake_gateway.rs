//! A tiny local gateway for SDK tests: verifies signatures with the shared signing code, keeps
//! tokens, throttles with GCRA like the real gateway, replays scripted answers and records every
//! request. (The full gateway is the sandbox crate; this one is small on purpose.)
#![allow(dead_code)]

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use open1688_types::{GatewayErrorBody, GatewayErrorCode, Params, SortRule, verify};

pub const APP_KEY: &str = "1000000";
pub const APP_SECRET: &str = "fake-app-secret-9f8e7d";

/// One request as the gateway saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub api: String,
    pub params: Params,
    pub raw_body: String,
    pub at: Instant,
}

pub struct GatewayState {
    pub valid_access: Mutex<HashSet<String>>,
    pub valid_refresh: Mutex<HashSet<String>>,
    pub scripted: Mutex<HashMap<String, VecDeque<(u16, String)>>>,
    pub requests: Mutex<Vec<Recorded>>,
    pub refresh_calls: AtomicUsize,
    pub code_exchanges: AtomicUsize,
    pub issued: AtomicUsize,
    pub throttled: AtomicUsize,
    pub token_delay: Mutex<Duration>,
    pub clock_offset_ms: AtomicI64,
    pub limiter: Mutex<Option<Arc<DefaultDirectRateLimiter>>>,
}

pub struct FakeGateway {
    pub base_url: String,
    pub state: Arc<GatewayState>,
}

impl FakeGateway {
    pub async fn start() -> Self {
        let state = Arc::new(GatewayState {
            valid_access: Mutex::new(HashSet::from(["AT-0".to_owned()])),
            valid_refresh: Mutex::new(HashSet::from(["RT-0".to_owned()])),
            scripted: Mutex::new(HashMap::new()),
            requests: Mutex::new(Vec::new()),
            refresh_calls: AtomicUsize::new(0),
            code_exchanges: AtomicUsize::new(0),
            issued: AtomicUsize::new(0),
            throttled: AtomicUsize::new(0),
            token_delay: Mutex::new(Duration::ZERO),
            clock_offset_ms: AtomicI64::new(0),
            limiter: Mutex::new(None),
        });
        let app = Router::new().route("/openapi/{*path}", any(handle)).with_state(state.clone());
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { base_url: format!("http://{addr}"), state }
    }

    /// Queues answers for an API name (`product.search.keywordQuery`); later calls use the default.
    pub fn script(&self, api_name: &str, answers: impl IntoIterator<Item = (u16, String)>) {
        self.state.scripted.lock().unwrap().entry(api_name.to_owned()).or_default().extend(answers);
    }

    /// Throttles business calls above `qps` (GCRA with the given burst), as the real gateway does.
    pub fn throttle_at(&self, qps: u32, burst: u32) {
        let q = Quota::per_second(NonZeroU32::new(qps).unwrap()).allow_burst(NonZeroU32::new(burst).unwrap());
        *self.state.limiter.lock().unwrap() = Some(Arc::new(RateLimiter::direct(q)));
    }

    pub fn revoke_all_access_tokens(&self) {
        self.state.valid_access.lock().unwrap().clear();
    }

    pub fn requests_for(&self, api_name: &str) -> Vec<Recorded> {
        self.state.requests.lock().unwrap().iter().filter(|r| r.api == api_name).cloned().collect()
    }

    pub fn refresh_calls(&self) -> usize {
        self.state.refresh_calls.load(Ordering::SeqCst)
    }

    pub fn throttled(&self) -> usize {
        self.state.throttled.load(Ordering::SeqCst)
    }
}

pub fn gateway_error(code: GatewayErrorCode, message: &str) -> (u16, String) {
    let body = GatewayErrorBody::new(code.clone(), message, "fake-request-id");
    (code.http_status(), serde_json::to_string(&body).unwrap())
}

pub fn ok_body(payload: serde_json::Value) -> (u16, String) {
    (
        200,
        serde_json::json!({"result": {"success": true, "code": "200", "message": "成功", "result": payload}})
            .to_string(),
    )
}

fn json(status: u16, body: String) -> Response {
    (StatusCode::from_u16(status).unwrap(), [("content-type", "application/json;charset=UTF-8")], body).into_response()
}

async fn handle(
    State(state): State<Arc<GatewayState>>,
    Path(path): Path<String>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let mut params = Params::from_form_body(query.unwrap_or_default().as_bytes());
    for (k, v) in Params::from_form_body(&body).iter() {
        params.set_raw(k, v);
    }
    let segments: Vec<&str> = path.split('/').collect();
    let [_protocol, _version, namespace, name, app_key] = segments[..] else {
        return json(400, gateway_error(GatewayErrorCode::ApiUnsupported, "API unsupported").1);
    };
    state.requests.lock().unwrap().push(Recorded {
        api: name.to_owned(),
        params: params.clone(),
        raw_body: String::from_utf8_lossy(&body).into_owned(),
        at: Instant::now(),
    });
    if app_key != APP_KEY {
        let (s, b) = gateway_error(GatewayErrorCode::AppKeyNotFound, "AppKey not found");
        return json(s, b);
    }
    let now_ms = chrono::Utc::now().timestamp_millis() + state.clock_offset_ms.load(Ordering::SeqCst);
    if name == "currentTimeMillis" {
        return json(200, now_ms.to_string());
    }
    if let Some(sig) = params.get("_aop_signature") {
        if !verify(SortRule::Official, &path, APP_SECRET.as_bytes(), params.iter(), sig) {
            let (s, b) = gateway_error(GatewayErrorCode::SignatureInvalid, "Invalid signature");
            return json(s, b);
        }
    } else if namespace != "system.oauth2" {
        let (s, b) = gateway_error(GatewayErrorCode::SignatureMissing, "Signature is missing");
        return json(s, b);
    }
    if namespace == "system.oauth2" {
        return oauth(&state, name, &params).await;
    }
    let token_ok = params.get("access_token").is_some_and(|t| state.valid_access.lock().unwrap().contains(t));
    if !token_ok {
        let (s, b) = gateway_error(GatewayErrorCode::Unauthorized, "Request need user authenticated");
        return json(s, b);
    }
    let limiter = state.limiter.lock().unwrap().clone();
    if let Some(l) = limiter
        && l.check().is_err()
    {
        state.throttled.fetch_add(1, Ordering::SeqCst);
        let (s, b) = gateway_error(GatewayErrorCode::QosAppFrequencyLimit, "App call exceeds limited frequency");
        return json(s, b);
    }
    let scripted = state.scripted.lock().unwrap().get_mut(name).and_then(VecDeque::pop_front);
    let (status, body) = scripted.unwrap_or_else(|| ok_body(serde_json::json!({"api": name, "echo": params.get("q")})));
    json(status, body)
}

async fn oauth(state: &GatewayState, name: &str, params: &Params) -> Response {
    if params.get("client_id") != Some(APP_KEY) || params.get("client_secret") != Some(APP_SECRET) {
        return json(401, r#"{"error":"invalid_client","error_description":"bad client credentials"}"#.into());
    }
    let delay = *state.token_delay.lock().unwrap();
    tokio::time::sleep(delay).await;
    match (name, params.get("grant_type")) {
        ("getToken", Some("refresh_token")) => {
            state.refresh_calls.fetch_add(1, Ordering::SeqCst);
            let rt = params.get("refresh_token").or(params.get("refreshToken")).unwrap_or_default();
            if !state.valid_refresh.lock().unwrap().contains(rt) {
                return json(
                    401,
                    r#"{"error":"invalid_grant","error_description":"refresh token is invalid or expired"}"#.into(),
                );
            }
            json(200, issue(state, None))
        }
        ("getToken", Some("authorization_code")) => {
            state.code_exchanges.fetch_add(1, Ordering::SeqCst);
            if params.get("code") != Some("CODE-OK") || params.get("need_refresh_token") != Some("true") {
                return json(401, r#"{"error":"invalid_grant","error_description":"code is invalid or used"}"#.into());
            }
            let n = state.issued.fetch_add(1, Ordering::SeqCst) + 1;
            let rt = format!("RT-{n}");
            state.valid_refresh.lock().unwrap().insert(rt.clone());
            json(200, issue(state, Some(rt)))
        }
        ("postponeToken", _) => {
            json(200, serde_json::json!({"refresh_token_timeout": "20991231235959000+0800"}).to_string())
        }
        _ => json(400, gateway_error(GatewayErrorCode::ParamMissing, "Required argument grant_type").1),
    }
}

fn issue(state: &GatewayState, refresh: Option<String>) -> String {
    let n = state.issued.fetch_add(1, Ordering::SeqCst) + 1;
    let access = format!("AT-{n}");
    state.valid_access.lock().unwrap().insert(access.clone());
    let mut body = serde_json::json!({
        "aliId": "1711749575", "resource_owner": "测试买家", "memberId": "b2b-1711749575",
        "expires_in": "36000", "access_token": access,
    });
    if let Some(rt) = refresh {
        body["refresh_token"] = rt.into();
        body["refresh_token_timeout"] = "20991231235959000+0800".into();
    }
    body.to_string()
}
