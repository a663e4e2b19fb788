//! Who is looking: the API key a person logged in with, kept in an HttpOnly, SameSite=Strict
//! cookie (the browser never hands it to scripts or to other sites), checked on every page like
//! the API checks its header, and the language they read.

use axum::Form;
use axum::extract::{FromRequestParts, OriginalUri, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use cookie::{Cookie, SameSite};
use maud::html;
use open1688_store::{ApiKey, Scope};
use serde::Deserialize;

use super::layout::{bare_page, message_page};
use super::text::Lang;
use crate::state::ServiceState;

/// The cookie holding the session's token (a random one, never the API key: see
/// [`open1688_store::sessions`]).
const SESSION_COOKIE: &str = "o1688_session";
/// The cookie holding the language.
const LANG_COOKIE: &str = "o1688_lang";
/// How long a log-in lasts without activity in the browser (the key may be revoked sooner).
const SESSION_SECONDS: i64 = 12 * 3600;

/// A cookie's value in a request.
fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|line| line.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The language of a request (cookie, then browser, then English).
pub fn lang_of(headers: &HeaderMap) -> Lang {
    Lang::of(headers, cookie(headers, LANG_COOKIE))
}

/// A person looking at a page: their key and their language.
#[derive(Debug, Clone)]
pub struct Viewer {
    /// The key they logged in with (its secret stays in the cookie).
    pub key: ApiKey,
    /// The language of the pages.
    pub lang: Lang,
    /// The path and query of the page, for the language switch and the log-in's return.
    pub here: String,
    /// Whether the figures are simulated (the service answers from a sandbox, not 1688): every
    /// page says so.
    pub simulated: bool,
}

impl Viewer {
    /// The 403 page when the key's scope does not reach `needed` (`None`: it does).
    pub fn refusal(&self, needed: Scope) -> Option<Response> {
        (self.key.scope < needed).then(|| {
            let t = self.lang.text();
            let detail = format!("{} ({} < {})", t.scope_too_small, self.key.scope.as_str(), needed.as_str());
            (StatusCode::FORBIDDEN, message_page(self, t.failed, &detail)).into_response()
        })
    }
}

impl FromRequestParts<ServiceState> for Viewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &ServiceState) -> Result<Self, Response> {
        let lang = lang_of(&parts.headers);
        let here = parts
            .extensions
            .get::<OriginalUri>()
            .map_or_else(|| parts.uri.clone(), |u| u.0.clone())
            .path_and_query()
            .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
        if parts.method != Method::GET && !same_origin(&parts.headers) {
            // SameSite=Strict already keeps the cookie off other sites' requests; a form posted
            // from another origin is refused as well, in case an old browser sends it anyway.
            return Err((StatusCode::FORBIDDEN, "a form from another site was refused").into_response());
        }
        let to_login = || Redirect::to(&format!("/login?next={}", urlencoding(&here))).into_response();
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(to_login());
        };
        let key = match session(state, token).await {
            Ok(Some(key)) => key,
            Ok(None) => return Err(to_login()),
            Err(response) => return Err(response),
        };
        if let Err(wait) = state.key_limits.check(key.id).await {
            let seconds = wait.as_secs().max(1);
            return Err((
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, seconds.to_string())],
                "too many requests",
            )
                .into_response());
        }
        Ok(Self { key, lang, here, simulated: !state.jobs.client().on_platform() })
    }
}

/// Charges the gateway calls a page causes (a search, an offer, a comparison) to the share of
/// the key logged in, like the API's key check does for its routes. Pages without a session
/// cause no calls (they send the browser to log in).
pub async fn charge_viewer(
    State(state): State<ServiceState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let key = match cookie(request.headers(), SESSION_COOKIE) {
        Some(token) => session(&state, token).await.ok().flatten(),
        None => None,
    };
    match key {
        Some(key) => {
            state.call_shares.charge(key.id, crate::call_shares::REQUEST_PATIENCE).scope(next.run(request)).await
        }
        None => next.run(request).await,
    }
}

/// The key a session token stands for, if the session is good and its key not revoked (recently
/// verified sessions from the cache, which a revocation clears).
async fn session(state: &ServiceState, token: &str) -> Result<Option<ApiKey>, Response> {
    // Sessions share the key cache under their own names: an API key's text is no session.
    let cached = session_cache_name(token);
    if let Some(key) = state.verified_keys.get(&cached) {
        return Ok((!state.revocations.is_revoked(key.id)).then_some(key));
    }
    match state.store.session_key(token, chrono::Utc::now().timestamp_millis()).await {
        Ok(Some(key)) => {
            state.verified_keys.insert(&cached, key.clone());
            Ok(Some(key))
        }
        Ok(None) => Ok(None),
        Err(e) => Err(crate::problem::Problem::from(e).into_response()),
    }
}

/// The name a session is kept under in the key cache.
fn session_cache_name(token: &str) -> String {
    format!("session {token}")
}

/// Whether the browser reached the service over HTTPS: a proxy in front says so
/// (`X-Forwarded-Proto: https`, or `Forwarded: proto=https`); the service itself speaks HTTP.
fn over_https(headers: &HeaderMap) -> bool {
    let forwarded_proto = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"));
    let forwarded = headers
        .get(header::FORWARDED)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .is_some_and(|first| {
            first.split(';').any(|pair| {
                pair.trim().split_once('=').is_some_and(|(k, v)| {
                    k.trim().eq_ignore_ascii_case("proto") && v.trim().trim_matches('"').eq_ignore_ascii_case("https")
                })
            })
        });
    forwarded_proto || forwarded
}

/// The key a text names, if it is known and not revoked (recently verified keys from the cache).
async fn authenticate(state: &ServiceState, text: &str) -> Result<Option<ApiKey>, Response> {
    if let Some(key) = state.verified_keys.get(text) {
        return Ok((!state.revocations.is_revoked(key.id)).then_some(key));
    }
    match state.store.authenticate_api_key(text).await {
        Ok(Some(key)) => {
            state.verified_keys.insert(text, key.clone());
            Ok(Some(key))
        }
        Ok(None) => Ok(None),
        Err(e) => Err(crate::problem::Problem::from(e).into_response()),
    }
}

/// Whether a state-changing request comes from this site: its `Origin` (or, without one, its
/// `Referer`) names the host it was sent to. A request with neither is a non-browser client,
/// which cannot have the cookie unless it was given the key.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let from = headers.get(header::ORIGIN).or_else(|| headers.get(header::REFERER)).and_then(|v| v.to_str().ok());
    match from {
        None => true,
        Some(from) => {
            let rest = from.split_once("://").map_or("", |(_, rest)| rest);
            rest.split('/').next() == Some(host)
        }
    }
}

/// Percent-encodes a path for a query parameter.
fn urlencoding(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Where to go after logging in or switching the language: `/` when nothing is said, else a path
/// of this site, or `None` for anything else. An open redirect would hand the session to another
/// site's page, so a path must start with one `/` and hold no control character, no white space
/// and no backslash: browsers drop tabs and newlines from an address (`/\t/evil.example` becomes
/// `//evil.example`) and read `\` as `/`. Characters beyond ASCII (a Chinese search in a link)
/// are percent-encoded, so the answer always fits a `Location` header.
pub(super) fn local_path(next: Option<&str>) -> Option<std::borrow::Cow<'_, str>> {
    let Some(path) = next else { return Some("/".into()) };
    let mut chars = path.chars();
    let local = chars.next() == Some('/') && !matches!(chars.next(), Some('/' | '\\'));
    if !local || path.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\') {
        return None;
    }
    if path.is_ascii() {
        return Some(path.into());
    }
    let mut encoded = String::with_capacity(path.len() * 3);
    for c in path.chars() {
        if c.is_ascii() {
            encoded.push(c);
        } else {
            for byte in c.encode_utf8(&mut [0; 4]).bytes() {
                encoded.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    Some(encoded.into())
}

/// The answer to a `next` that is not a path of this site: a 400 that says so, never a redirect.
fn not_local(lang: Lang) -> Response {
    let t = lang.text();
    (
        StatusCode::BAD_REQUEST,
        bare_page(
            lang,
            t.failed,
            html! { section.card { h1 { (t.failed) } p { (t.bad_next) } p { a href="/" { (t.back) } } } },
        ),
    )
        .into_response()
}

/// `GET /login` parameters.
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

/// `GET /login`: the form.
pub async fn login_page(headers: HeaderMap, query: axum::extract::Query<LoginQuery>) -> Response {
    let lang = lang_of(&headers);
    match local_path(query.next.as_deref()) {
        Some(next) => login_form(lang, &next, None).into_response(),
        None => not_local(lang),
    }
}

fn login_form(lang: Lang, next: &str, error: Option<&str>) -> maud::Markup {
    let t = lang.text();
    bare_page(
        lang,
        t.login_title,
        html! {
            form.card.login method="post" action="/login" {
                h1 { (t.login_title) }
                p { (t.login_intro) }
                input type="hidden" name="next" value=(next);
                label for="key" { (t.api_key) }
                input #key type="password" name="key" autocomplete="current-password" required
                    aria-describedby=[error.map(|_| "key-error")] aria-invalid=[error.map(|_| "true")];
                @if let Some(error) = error {
                    p.field-error #key-error role="alert" { (error) }
                }
                button type="submit" { (t.log_in) }
            }
        },
    )
}

/// `POST /login` form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    key: String,
    next: Option<String>,
}

/// `POST /login`: checks the key, sets the cookie, goes where the person was going.
pub async fn login(State(state): State<ServiceState>, headers: HeaderMap, Form(form): Form<LoginForm>) -> Response {
    let lang = lang_of(&headers);
    if !same_origin(&headers) {
        return (StatusCode::FORBIDDEN, "a form from another site was refused").into_response();
    }
    let Some(next) = local_path(form.next.as_deref()) else { return not_local(lang) };
    let text = form.key.trim();
    match authenticate(&state, text).await {
        Ok(Some(key)) => {
            tracing::info!(key = key.id, "dashboard log-in");
            let now = chrono::Utc::now().timestamp_millis();
            let token = match state.store.start_session(key.id, now, now + SESSION_SECONDS * 1000).await {
                Ok(token) => token,
                Err(e) => return crate::problem::Problem::from(e).into_response(),
            };
            let cookie = Cookie::build((SESSION_COOKIE, token))
                .path("/")
                .http_only(true)
                .secure(over_https(&headers))
                .same_site(SameSite::Strict)
                .max_age(cookie::time::Duration::seconds(SESSION_SECONDS))
                .build();
            let mut response = Redirect::to(&next).into_response();
            if let Ok(value) = cookie.to_string().parse() {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            response
        }
        Ok(None) => (StatusCode::UNAUTHORIZED, login_form(lang, &next, Some(lang.text().key_refused))).into_response(),
        Err(response) => response,
    }
}

/// `POST /logout`: ends the session in the store (a copied cookie stops working too) and forgets
/// the cookie.
pub async fn logout(State(state): State<ServiceState>, headers: HeaderMap) -> Response {
    if !same_origin(&headers) {
        return (StatusCode::FORBIDDEN, "a form from another site was refused").into_response();
    }
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        if let Err(e) = state.store.end_session(token).await {
            return crate::problem::Problem::from(e).into_response();
        }
        state.verified_keys.forget(&session_cache_name(token));
    }
    let gone = Cookie::build((SESSION_COOKIE, ""))
        .path("/")
        .http_only(true)
        .secure(over_https(&headers))
        .same_site(SameSite::Strict)
        .removal()
        .build();
    let mut response = Redirect::to("/login").into_response();
    if let Ok(value) = gone.to_string().parse() {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// `GET /lang/{tag}?next=…`: switches the language and returns to the page.
pub async fn switch_language(
    axum::extract::Path(tag): axum::extract::Path<String>,
    query: axum::extract::Query<LoginQuery>,
) -> Response {
    let Some(lang) = Lang::parse(&tag) else {
        return (StatusCode::NOT_FOUND, "no such language").into_response();
    };
    let Some(next) = local_path(query.next.as_deref()) else { return not_local(lang) };
    let cookie = Cookie::build((LANG_COOKIE, lang.tag()))
        .path("/")
        .same_site(SameSite::Strict)
        .max_age(cookie::time::Duration::days(365))
        .build();
    let mut response = Redirect::to(&next).into_response();
    if let Ok(value) = cookie.to_string().parse() {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_log_in() {
        let path = |next| local_path(Some(next)).map(|p| p.into_owned());
        assert_eq!(path("/offers/1?x=2").as_deref(), Some("/offers/1?x=2"));
        assert_eq!(path("/search?keyword=%E4%BF%9D").as_deref(), Some("/search?keyword=%E4%BF%9D"));
        assert_eq!(path("/catalog?q=保温杯&at=100").as_deref(), Some("/catalog?q=%E4%BF%9D%E6%B8%A9%E6%9D%AF&at=100"));
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "\\/evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\nSet-Cookie: x=1",
            "/ /evil.example",
            "/\u{3000}",
            "/a\\b",
            "evil",
            "",
            "javascript:alert(1)",
        ] {
            assert_eq!(path(bad), None, "{bad:?}");
        }
        assert_eq!(local_path(None).as_deref(), Some("/"));
    }

    #[test]
    fn forms_from_another_origin_are_told_apart() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
        assert!(same_origin(&headers), "no origin: not a browser");
        headers.insert(header::ORIGIN, "http://127.0.0.1:8080".parse().unwrap());
        assert!(same_origin(&headers));
        headers.insert(header::ORIGIN, "http://evil.example".parse().unwrap());
        assert!(!same_origin(&headers));
        headers.insert(header::ORIGIN, "http://127.0.0.1:8080.evil.example".parse().unwrap());
        assert!(!same_origin(&headers));
    }

    #[test]
    fn https_is_what_the_proxy_says() {
        let mut headers = HeaderMap::new();
        assert!(!over_https(&headers));
        headers.insert("x-forwarded-proto", "https".parse().unwrap());
        assert!(over_https(&headers));
        headers.insert("x-forwarded-proto", "http, https".parse().unwrap());
        assert!(!over_https(&headers), "the first value is the browser's own connection");
        let mut headers = HeaderMap::new();
        headers.insert(header::FORWARDED, "for=10.0.0.1;proto=https;host=erp.example".parse().unwrap());
        assert!(over_https(&headers));
        headers.insert(header::FORWARDED, "for=10.0.0.1;proto=http".parse().unwrap());
        assert!(!over_https(&headers));
    }

    #[test]
    fn a_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, "a=1; o1688_session=s_abc; o1688_lang=zh-CN".parse().unwrap());
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("s_abc"));
        assert_eq!(lang_of(&headers), Lang::Zh);
        assert_eq!(cookie(&headers, "missing"), None);
    }
}

#[cfg(test)]
mod next_properties {
    use super::local_path;

    proptest::proptest! {
        /// Whatever `next` says, the answer is a path that stays on this site, or a refusal.
        #[test]
        fn next_is_a_path_of_this_site_or_refused(next in ".{0,40}") {
            if let Some(path) = local_path(Some(&next)) {
                proptest::prop_assert!(path.starts_with('/') && !path.starts_with("//"));
                proptest::prop_assert!(path.bytes().all(|b| b.is_ascii_graphic() && b != b'\\'));
                proptest::prop_assert!(axum::http::HeaderValue::from_str(&path).is_ok());
            }
        }
    }
}
