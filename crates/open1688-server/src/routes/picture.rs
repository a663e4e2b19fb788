//! Image search over HTTP: a picture uploaded as the request body (`Content-Type: image/…`), or
//! a picture URL in JSON. A path on the service's machine is never accepted.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use open1688::ImageSource;
use open1688_jobs::{ImageSearchRequest, Progress, SearchReport};
use serde::Deserialize;

use crate::extract;
use crate::problem::Problem;
use crate::state::ServiceState;

/// The largest picture accepted (the SDK scales and re-encodes what the platform would refuse).
pub const MAX_PICTURE_BYTES: usize = 10 * 1024 * 1024;

/// `POST /v1/image-search` query parameters.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PictureParams {
    /// Results at most (1–50, default 20).
    pub limit: Option<usize>,
    /// Narrow the matches by keyword.
    pub keyword: Option<String>,
}

/// The JSON form: a picture URL (public addresses only unless the service allows private ones).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PictureUrl {
    url: String,
}

/// `POST /v1/image-search?limit=20`: offers that look like the picture.
pub async fn image_search(
    State(state): State<ServiceState>,
    params: Result<Query<PictureParams>, QueryRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<SearchReport>, Problem> {
    let params = extract::query(params)?;
    let kind = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let picture = if kind.starts_with("application/json") {
        let PictureUrl { url } = serde_json::from_slice(&body)
            .map_err(|e| Problem::invalid("body", format!("expected {{\"url\": \"https://…\"}}: {e}")))?;
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(Problem::invalid("url", "only http and https picture URLs are fetched"));
        }
        ImageSource::Url(url)
    } else if kind.starts_with("image/") || kind == "application/octet-stream" {
        if body.is_empty() {
            return Err(Problem::invalid("body", "the picture is empty"));
        }
        ImageSource::Bytes(body.to_vec())
    } else {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the picture as the body with Content-Type image/jpeg (or png, webp…), or JSON {\"url\": …}",
        ));
    };
    let request = ImageSearchRequest { limit: params.limit.unwrap_or(20), keyword: params.keyword };
    Ok(Json(state.jobs.image_search(&picture, &request, &Progress::silent()).await?))
}
