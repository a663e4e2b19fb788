//! `/_sandbox/…`: control and statistics for tests and scripts (clock, faults, quotas, tokens,
//! reset, call counters, the change log, orders and their payment). Never part of the real platform.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::faults::FaultPlan;
use crate::state::SandboxState;

type Shared = State<Arc<SandboxState>>;

fn error(status: StatusCode, message: impl std::fmt::Display) -> Response {
    (status, Json(json!({ "error": message.to_string() }))).into_response()
}

/// The control routes.
pub fn routes() -> Router<Arc<SandboxState>> {
    Router::new()
        .route("/_sandbox/info", get(info))
        .route("/_sandbox/clock", get(clock).post(move_clock))
        .route("/_sandbox/faults", get(faults).put(set_faults).delete(clear_faults))
        .route("/_sandbox/stats", get(stats).delete(reset_stats))
        .route("/_sandbox/changes", get(changes))
        .route("/_sandbox/pushes", get(pushes).put(set_push_target))
        .route("/_sandbox/quotas", post(set_quotas))
        .route("/_sandbox/tokens", post(issue_tokens))
        .route("/_sandbox/tokens/revoke", post(revoke_tokens))
        .route("/_sandbox/orders", get(orders))
        .route("/_sandbox/orders/{id}/pay", post(pay_order))
        .route("/_sandbox/orders/{id}/freight", post(change_freight))
        .route("/_sandbox/reset", post(reset))
}

async fn info(State(s): Shared) -> Response {
    let apps: Vec<_> = s
        .apps
        .values()
        .map(|a| json!({ "app_key": a.app_key, "name": a.name, "apis": a.apis, "qps": a.qps, "api_qps": a.api_qps, "daily_quota": a.daily_quota }))
        .collect();
    Json(json!({
        "base_url": s.base_url,
        "seed": s.catalog.config.seed,
        "offers": s.catalog.offers.len(),
        "suppliers": s.catalog.suppliers.len(),
        "categories": crate::catalog::vocabulary::CATEGORIES.len(),
        "quotas_enabled": s.quotas_enabled(),
        "apps": apps,
    }))
    .into_response()
}

#[derive(Serialize)]
struct ClockView {
    now_ms: i64,
    now: String,
    start_ms: i64,
    simulated: bool,
}

fn clock_view(s: &SandboxState) -> ClockView {
    let now_ms = s.clock.now_ms();
    ClockView {
        now_ms,
        now: crate::apis::wire::platform_date_ms(now_ms),
        start_ms: s.clock.start_ms(),
        simulated: s.clock.is_simulated(),
    }
}

async fn clock(State(s): Shared) -> Response {
    Json(clock_view(&s)).into_response()
}

/// A clock move: exactly one field.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockMove {
    advance_ms: Option<i64>,
    advance_seconds: Option<i64>,
    advance_days: Option<i64>,
    set_ms: Option<i64>,
    skew_ms: Option<i64>,
}

async fn move_clock(State(s): Shared, Json(m): Json<ClockMove>) -> Response {
    let result = match m {
        ClockMove { advance_ms: Some(ms), .. } => s.clock.advance(ms).map(drop),
        ClockMove { advance_seconds: Some(secs), .. } => s.clock.advance(secs * 1000).map(drop),
        ClockMove { advance_days: Some(days), .. } => s.clock.advance(days * 86_400_000).map(drop),
        ClockMove { set_ms: Some(ms), .. } => s.clock.set(ms).map(drop),
        ClockMove { skew_ms: Some(ms), .. } => s.clock.set_skew(ms),
        _ => {
            return error(
                StatusCode::BAD_REQUEST,
                "give one of advance_ms, advance_seconds, advance_days, set_ms, skew_ms",
            );
        }
    };
    match result {
        Ok(()) => {
            drop(s.live());
            Json(clock_view(&s)).into_response()
        }
        Err(e) => error(StatusCode::CONFLICT, e),
    }
}

async fn faults(State(s): Shared) -> Response {
    Json(s.fault_plan()).into_response()
}

async fn set_faults(State(s): Shared, Json(plan): Json<FaultPlan>) -> Response {
    s.set_fault_plan(plan);
    Json(s.fault_plan()).into_response()
}

async fn clear_faults(State(s): Shared) -> Response {
    s.set_fault_plan(FaultPlan::default());
    Json(s.fault_plan()).into_response()
}

async fn stats(State(s): Shared) -> Response {
    Json(s.stats.snapshot()).into_response()
}

async fn reset_stats(State(s): Shared) -> Response {
    s.stats.reset();
    Json(s.stats.snapshot()).into_response()
}

#[derive(Deserialize)]
struct ChangesQuery {
    from_ms: Option<i64>,
    to_ms: Option<i64>,
}

async fn changes(State(s): Shared, Query(q): Query<ChangesQuery>) -> Response {
    let live = s.live();
    let to = q.to_ms.unwrap_or_else(|| s.clock.now_ms());
    Json(live.changes_between(q.from_ms.unwrap_or(i64::MIN), to)).into_response()
}

#[derive(Deserialize)]
struct QuotaSwitch {
    enabled: bool,
}

async fn pushes(State(s): Shared) -> Response {
    Json(s.pushes.stats()).into_response()
}

/// `PUT /_sandbox/pushes`: where an app's messages go (the demo app's when `app_key` is left out;
/// no `url` stops its pushes).
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PushRegistration {
    app_key: Option<String>,
    url: Option<String>,
    #[serde(default)]
    follows: Vec<i64>,
}

async fn set_push_target(State(s): Shared, Json(r): Json<PushRegistration>) -> Response {
    let app_key = r.app_key.unwrap_or_else(|| crate::config::DEMO_APP_KEY.to_owned());
    if !s.apps.contains_key(&app_key) {
        return (StatusCode::NOT_FOUND, format!("no app {app_key}")).into_response();
    }
    if let Some(url) = &r.url
        && !(url.starts_with("http://") || url.starts_with("https://"))
    {
        return (StatusCode::BAD_REQUEST, format!("push url {url:?} is not an http(s) URL")).into_response();
    }
    let target = r.url.map(|url| crate::push_log::PushTarget { url, follows: r.follows });
    s.pushes.set_target(&app_key, target);
    Json(s.pushes.targets()).into_response()
}

async fn set_quotas(State(s): Shared, Json(q): Json<QuotaSwitch>) -> Response {
    s.quotas_off.store(!q.enabled, Ordering::Relaxed);
    Json(json!({ "quotas_enabled": q.enabled })).into_response()
}

#[derive(Deserialize)]
struct TokenRequest {
    app_key: String,
    login_id: Option<String>,
}

async fn issue_tokens(State(s): Shared, Json(r): Json<TokenRequest>) -> Response {
    let member = match r.login_id.as_deref() {
        Some(login) => match s.catalog.supplier_by_login_or_domain(login) {
            Some(m) => Some(m),
            None => return error(StatusCode::NOT_FOUND, format!("no member with login id {login:?}")),
        },
        None => None,
    };
    match s.issue_tokens(&r.app_key, member) {
        Some(t) => Json(
            json!({ "access_token": t.access_token, "refresh_token": t.refresh_token, "member_login": t.member_login }),
        )
        .into_response(),
        None => error(StatusCode::NOT_FOUND, format!("no app with key {:?}", r.app_key)),
    }
}

#[derive(Deserialize)]
struct RevokeRequest {
    app_key: Option<String>,
    access_token: Option<String>,
}

async fn revoke_tokens(State(s): Shared, Json(r): Json<RevokeRequest>) -> Response {
    let revoked = match r.access_token {
        Some(token) => usize::from(s.tokens.revoke_access(&token)),
        None => s.tokens.revoke_all_access(r.app_key.as_deref()),
    };
    Json(json!({ "revoked": revoked })).into_response()
}

/// `GET /_sandbox/orders`: every order as it stands now (ids as strings: they pass 2^53).
async fn orders(State(s): Shared) -> Response {
    let orders: Vec<_> = s
        .orders
        .all(s.clock.now_ms(), &s.order_config)
        .into_iter()
        .map(|o| {
            json!({
                "id": o.id.to_string(), "out_order_id": o.out_order_id, "status": o.status, "total": o.total(),
                "goods": o.goods, "freight": o.freight, "discount": o.discount, "lines": o.lines.len(),
                "created_ms": o.created_ms, "paid_ms": o.paid_ms, "shipped_ms": o.shipped_ms, "ended_ms": o.ended_ms,
            })
        })
        .collect();
    Json(json!({ "orders": orders })).into_response()
}

/// `POST /_sandbox/orders/{id}/pay`: the buyer pays at the cashier (the API never pays).
async fn pay_order(State(s): Shared, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<i64>() else { return error(StatusCode::BAD_REQUEST, format!("{id:?} is not an order id")) };
    match s.orders.pay(id, s.clock.now_ms(), &s.order_config) {
        Ok(o) => Json(json!({ "id": o.id.to_string(), "status": o.status, "paid_ms": o.paid_ms })).into_response(),
        Err(e) if e.code == "ORDER_NOT_EXIST" => error(StatusCode::NOT_FOUND, e.message),
        Err(e) => error(StatusCode::CONFLICT, e.message),
    }
}

/// `POST /_sandbox/orders/{id}/freight` with `{"freight": "12.50"}`: the seller changes an
/// unpaid order's freight (改价); the order's total moves with it.
async fn change_freight(State(s): Shared, Path(id): Path<String>, body: axum::body::Bytes) -> Response {
    let Ok(id) = id.parse::<i64>() else { return error(StatusCode::BAD_REQUEST, format!("{id:?} is not an order id")) };
    #[derive(serde::Deserialize)]
    struct Asked {
        freight: rust_decimal::Decimal,
    }
    let asked: Asked = match serde_json::from_slice(&body) {
        Ok(a) => a,
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("the body must be {{\"freight\": \"12.50\"}}: {e}")),
    };
    match s.orders.change_freight(id, asked.freight, s.clock.now_ms(), &s.order_config) {
        Ok(o) => {
            Json(json!({ "id": o.id.to_string(), "status": o.status, "total": o.total().to_string() })).into_response()
        }
        Err(e) if e.code == "ORDER_NOT_EXIST" => error(StatusCode::NOT_FOUND, e.message),
        Err(e) if e.code == "400" => error(StatusCode::BAD_REQUEST, e.message),
        Err(e) => error(StatusCode::CONFLICT, e.message),
    }
}

async fn reset(State(s): Shared) -> Response {
    let tokens = s.reset();
    Json(json!({
        "access_token": tokens.as_ref().map(|t| &t.access_token),
        "refresh_token": tokens.as_ref().map(|t| &t.refresh_token),
    }))
    .into_response()
}
