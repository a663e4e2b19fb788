//! Request bodies and query strings read into the application layer's request types, with a
//! problem document naming what was wrong instead of axum's plain-text rejection.

use axum::Json;
use axum::extract::Query;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::StatusCode;

use crate::problem::Problem;

/// A JSON body, or a 400/413/415 problem saying why it could not be read.
pub fn json<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, Problem> {
    body.map(|Json(value)| value).map_err(|rejection| {
        let status = rejection.status();
        let detail = rejection.body_text();
        if status == StatusCode::PAYLOAD_TOO_LARGE || status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
            Problem::new(status, detail)
        } else {
            Problem { field: Some("body".into()), ..Problem::new(StatusCode::BAD_REQUEST, detail) }
        }
    })
}

/// Query parameters, or a 400 problem saying which one is wrong.
pub fn query<T>(params: Result<Query<T>, QueryRejection>) -> Result<T, Problem> {
    params.map(|Query(value)| value).map_err(|rejection| Problem {
        field: Some("query".into()),
        ..Problem::new(StatusCode::BAD_REQUEST, rejection.body_text())
    })
}

/// A positive numeric id from the path (`/v1/watches/{id}`), or a 400 problem naming `id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Id(pub i64);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Id {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Problem> {
        let axum::extract::Path(text) = axum::extract::Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| Problem::invalid("id", e.body_text()))?;
        match text.parse::<i64>() {
            Ok(id) if id > 0 => Ok(Self(id)),
            _ => Err(Problem::invalid("id", format!("the id must be a positive number, got {text:?}"))),
        }
    }
}
