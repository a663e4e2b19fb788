//! A page that could not be made: the service's problem (a bad field, a platform refusal, the
//! store failing) shown as a small HTML page with the same status the API would answer.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, html};

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

impl IntoResponse for Trouble {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = html! {
            (DOCTYPE)
            html lang="en" {
                (super::layout::head(super::text::Lang::En, &self.0.title))
                body {
                    main #main {
                        section.card role="alert" {
                            h1 { (status.as_u16()) " " (self.0.title) }
                            p { (self.0.detail) }
                            @if let Some(field) = &self.0.field { p { "field: " code { (field) } } }
                            p { a href="/" { "open1688" } }
                        }
                    }
                }
            }
        };
        (status, body).into_response()
    }
}
