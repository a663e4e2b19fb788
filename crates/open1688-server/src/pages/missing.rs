//! The answer to an address that is neither a page nor an API route: for a browser, a page in the
//! reader's language that says so and offers a way on; for a program, the API's problem document.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::html;

use super::layout::{bare_page, with_page_headers};
use super::session::lang_of;

/// Whether the request comes from a browser navigating (it asks for HTML first), not from a
/// program reading the API.
pub fn wants_html(headers: &HeaderMap) -> bool {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let first = accept.split(',').next().unwrap_or("").trim();
    first.starts_with("text/html") || first.starts_with("application/xhtml+xml")
}

/// The 404 page: what happened, and the overview and search to go on from.
pub fn missing_page(headers: &HeaderMap) -> Response {
    let lang = lang_of(headers);
    let t = lang.text();
    let body = html! {
        section.card role="alert" {
            h1 { (t.missing_page) }
            p { (t.missing_page_next) }
            p {
                a href="/" { (t.nav_overview) }
                " · "
                a href="/search" { (t.nav_search) }
            }
        }
    };
    let mut response = (StatusCode::NOT_FOUND, bare_page(lang, t.missing_page, body)).into_response();
    with_page_headers(response.headers_mut());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_ask_for_html_first_and_programs_do_not() {
        let headers = |accept: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT, accept.parse().unwrap());
            h
        };
        assert!(wants_html(&headers("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")));
        assert!(!wants_html(&headers("application/json")));
        assert!(!wants_html(&headers("*/*")));
        assert!(!wants_html(&HeaderMap::new()));
    }
}
