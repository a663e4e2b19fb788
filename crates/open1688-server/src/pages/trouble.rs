//! A page that could not be made: the service's problem (a bad field, a platform refusal, the
//! store failing) shown as a page in the reader's language with the same status the API would
//! answer, what kind of trouble it is, the field at fault and a way on. The handler only returns
//! the problem; [`localize`] (a layer over the pages, which knows the reader) renders it.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use maud::html;

use super::layout::{bare_page, with_page_headers};
use super::session::lang_of;
use super::text::{Lang, Text};

use crate::problem::Problem;

/// Why a page failed, as the API's problem document.
#[derive(Debug)]
pub struct Trouble(pub Problem);

/// A positive numeric id from a page's path (`/watches/{id}`), or a 400 naming `id` and what kind
/// of id (`watch`, `order`) was expected.
pub fn positive_id(text: &str, what: &str) -> Result<i64, Trouble> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| Problem::invalid("id", format!("{text:?} is not a {what} id (a positive whole number)")).into())
}

impl From<Problem> for Trouble {
    fn from(problem: Problem) -> Self {
        Self(problem)
    }
}

impl From<open1688_jobs::JobError> for Trouble {
    fn from(e: open1688_jobs::JobError) -> Self {
        Self(e.into())
    }
}

impl From<open1688_store::StoreError> for Trouble {
    fn from(e: open1688_store::StoreError) -> Self {
        Self(e.into())
    }
}

/// The problem a failed page answered with, for [`localize`] to render.
#[derive(Debug, Clone)]
struct Shown(Problem);

impl IntoResponse for Trouble {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        // A plain answer in case no layer renders it; the pages' layer replaces it.
        let mut response = (status, self.0.detail.to_string()).into_response();
        response.extensions_mut().insert(Shown(self.0));
        response
    }
}

/// What kind of trouble a status is, in the reader's words.
fn kind_words(t: &Text, status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 | 413 | 422 => t.trouble_bad_input,
        401 | 403 => t.trouble_forbidden,
        404 => t.trouble_not_found,
        409 => t.trouble_conflict,
        429 => t.trouble_busy,
        502..=504 => t.trouble_platform,
        _ => t.trouble_internal,
    }
}

/// The page for `problem` in `lang`: the kind of trouble, the service's words, the field, and
/// where to go on.
fn trouble_page(lang: Lang, problem: &Problem) -> Response {
    let t = lang.text();
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let title = kind_words(t, status);
    let body = html! {
        section.card role="alert" {
            h1 { (title) }
            // Where the service cannot say it in the reader's language, its words are English:
            // said so, for a reader and a screen reader.
            @let language = t.language;
            @if problem.speaks(language) { p { (problem.detail_in(language)) } }
            @else { p lang="en" { (problem.detail) } }
            @if let Some(field) = &problem.field { p.small.muted { (t.trouble_field) ": " code { (field) } } }
            p { (t.trouble_next) }
            p { a href="/" { (t.nav_overview) } " · " a href="/search" { (t.nav_search) } }
        }
    };
    let mut response = (status, bare_page(lang, title, body)).into_response();
    with_page_headers(response.headers_mut());
    response
}

/// Renders a page's problem in the reader's language (the layer over every page).
pub async fn localize(request: Request, next: Next) -> Response {
    let lang = lang_of(request.headers());
    let mut response = next.run(request).await;
    match response.extensions_mut().remove::<Shown>() {
        Some(Shown(problem)) => trouble_page(lang, &problem),
        None => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_is_said_in_the_readers_language_with_its_field() {
        let problem = Problem::invalid("need", "need must be at least 1, got 0");
        let zh = trouble_page(Lang::Zh, &problem);
        assert_eq!(zh.status(), StatusCode::BAD_REQUEST);
        let shown = Trouble(problem.clone()).into_response();
        assert!(shown.extensions().get::<Shown>().is_some(), "the layer finds the problem");
        for status in [400, 403, 404, 409, 429, 502, 500] {
            assert_ne!(kind_words(Lang::Zh.text(), StatusCode::from_u16(status).unwrap()), "");
        }
    }
}
