//! The dashboard's one style sheet and one script, compiled into the binary (nothing comes from
//! a CDN; the pages work offline).

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

const STYLE: &str = include_str!("../../assets/app.css");
const SCRIPT: &str = include_str!("../../assets/app.js");

/// Where pages link the style sheet (the version makes a new release's sheet a new address).
pub const STYLE_URL: &str = concat!("/assets/app.css?v=", env!("CARGO_PKG_VERSION"));
/// Where pages load the script.
pub const SCRIPT_URL: &str = concat!("/assets/app.js?v=", env!("CARGO_PKG_VERSION"));

/// `GET /assets/{file}`: the style sheet or the script, cached for a day.
pub async fn serve(Path(file): Path<String>) -> Response {
    let (body, kind) = match file.as_str() {
        "app.css" => (STYLE, "text/css; charset=utf-8"),
        "app.js" => (SCRIPT, "text/javascript; charset=utf-8"),
        _ => return (StatusCode::NOT_FOUND, "no such asset").into_response(),
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    response
}
