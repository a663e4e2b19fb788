//! The browser-facing pages: the OAuth consent page (spec §3.1) and the catalog's images.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::apis::image::gallery_design;
use crate::catalog::image::{IMAGE_SIZE, encode_png, render, render_tinted};
use crate::state::SandboxState;
use crate::tokens::Grant;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn page_error(message: &str) -> Response {
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>授权失败</title></head><body><h1>授权失败 · Authorization failed</h1><p>{}</p></body></html>",
        escape(message)
    );
    (StatusCode::BAD_REQUEST, Html(body)).into_response()
}

struct AuthorizeRequest {
    client_id: String,
    redirect_uri: url::Url,
    state: String,
    login_id: Option<String>,
}

fn validate(state: &SandboxState, q: &HashMap<String, String>) -> Result<AuthorizeRequest, String> {
    let client_id = q.get("client_id").cloned().unwrap_or_default();
    if !state.apps.contains_key(&client_id) {
        return Err(format!("unknown client_id {client_id:?}"));
    }
    if q.get("site").map(String::as_str) != Some("1688") {
        return Err("site must be 1688".into());
    }
    let raw = q.get("redirect_uri").cloned().unwrap_or_default();
    let redirect_uri = url::Url::parse(&raw)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .ok_or_else(|| format!("redirect_uri must be an http(s) URL, got {raw:?}"))?;
    Ok(AuthorizeRequest {
        client_id,
        redirect_uri,
        state: q.get("state").cloned().unwrap_or_default(),
        login_id: q.get("login_id").filter(|l| !l.trim().is_empty()).cloned(),
    })
}

fn approve(state: &SandboxState, req: AuthorizeRequest) -> Response {
    let app = &state.apps[&req.client_id];
    let member = match &req.login_id {
        Some(login) => match state.catalog.supplier_by_login_or_domain(login) {
            Some(m) => m,
            None => return page_error(&format!("no member with login id {login:?}")),
        },
        None => state.default_member(app),
    };
    let code = state.tokens.issue_code(Grant {
        app_key: req.client_id.clone(),
        member,
        expires_ms: state.clock.now_ms() + state.protocol.code_ttl_seconds * 1000,
    });
    let mut target = req.redirect_uri;
    target.query_pairs_mut().append_pair("code", &code).append_pair("state", &req.state);
    Redirect::to(target.as_str()).into_response()
}

/// `GET /oauth/authorize`: the consent page, or an immediate redirect when auto-approving.
pub async fn authorize_page(
    State(state): State<Arc<SandboxState>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let req = match validate(&state, &q) {
        Ok(req) => req,
        Err(e) => return page_error(&e),
    };
    if state.protocol.oauth_auto_approve || q.get("auto_approve").map(String::as_str) == Some("true") {
        return approve(&state, req);
    }
    let app = &state.apps[&req.client_id];
    let default_login = &state.catalog.suppliers[state.default_member(app)].login_id;
    let hidden =
        |name: &str, value: &str| format!("<input type=\"hidden\" name=\"{name}\" value=\"{}\">", escape(value));
    let body = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>1688 授权 · Authorize</title></head><body>\
         <h1>授权 {app_name} 访问您的 1688 账号</h1><p>Authorize <b>{app_name}</b> (app key {key}) to act for your 1688 account.</p>\
         <form method=\"post\" action=\"/oauth/authorize\">{h1}{h2}{h3}{h4}\
         <label>会员登录名 Login id <input name=\"login_id\" value=\"{login}\"></label>\
         <button name=\"decision\" value=\"approve\">同意授权 Approve</button>\
         <button name=\"decision\" value=\"deny\">拒绝 Deny</button></form>\
         <p>This is the open1688 sandbox: no password is asked.</p></body></html>",
        app_name = escape(&app.name),
        key = escape(&app.app_key),
        h1 = hidden("client_id", &req.client_id),
        h2 = hidden("site", "1688"),
        h3 = hidden("redirect_uri", req.redirect_uri.as_str()),
        h4 = hidden("state", &req.state),
        login = escape(default_login),
    );
    Html(body).into_response()
}

/// `POST /oauth/authorize`: the consent form's answer.
pub async fn authorize_decision(
    State(state): State<Arc<SandboxState>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let req = match validate(&state, &form) {
        Ok(req) => req,
        Err(e) => return page_error(&e),
    };
    if form.get("decision").map(String::as_str) != Some("approve") {
        let mut target = req.redirect_uri;
        target.query_pairs_mut().append_pair("error", "access_denied").append_pair("state", &req.state);
        return Redirect::to(target.as_str()).into_response();
    }
    approve(&state, req)
}

fn png(bytes: Vec<u8>) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    response
}

fn parse_image_file(file: &str) -> Option<(i64, u8)> {
    let (id, n) = file.strip_suffix(".png")?.split_once('_')?;
    Some((id.parse().ok()?, n.parse().ok()?))
}

/// `GET /img/ibank/{offerId}_{n}.png`: gallery image `n` of an offer.
pub async fn gallery_image(State(state): State<Arc<SandboxState>>, Path(file): Path<String>) -> Response {
    let Some((id, n)) = parse_image_file(&file) else { return StatusCode::NOT_FOUND.into_response() };
    let Some(offer) = state.catalog.offer(id).filter(|o| n < o.gallery) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let design = gallery_design(offer.design, n);
    png(tokio::task::spawn_blocking(move || encode_png(&render(design, IMAGE_SIZE))).await.unwrap_or_default())
}

/// RGB of the colour axis values (same order as the vocabulary's `COLOURS`).
const COLOUR_RGB: [[u8; 3]; 12] = [
    [20, 20, 20],
    [245, 245, 245],
    [220, 30, 40],
    [30, 80, 200],
    [128, 128, 128],
    [245, 160, 190],
    [40, 160, 70],
    [240, 210, 40],
    [195, 176, 145],
    [130, 60, 170],
    [240, 234, 214],
    [20, 30, 80],
];

/// `GET /img/sku/{offerId}_{value}.png`: the image of a SKU colour.
pub async fn sku_image(State(state): State<Arc<SandboxState>>, Path(file): Path<String>) -> Response {
    let Some((id, value)) = parse_image_file(&file) else { return StatusCode::NOT_FOUND.into_response() };
    let Some(offer) = state.catalog.offer(id) else { return StatusCode::NOT_FOUND.into_response() };
    let Some(&tint) = COLOUR_RGB.get(usize::from(value)) else { return StatusCode::NOT_FOUND.into_response() };
    let design = offer.design;
    png(tokio::task::spawn_blocking(move || encode_png(&render_tinted(design, IMAGE_SIZE, tint)))
        .await
        .unwrap_or_default())
}
