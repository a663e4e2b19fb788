//! Image search over HTTP: a picture uploaded as the request body (`Content-Type: image/…`) or as
//! a multipart form, or a picture URL in JSON. A path on the service's machine is never accepted.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, Multipart, Query, Request, State};
use axum::http::{StatusCode, header};
use open1688::ImageSource;
use open1688_jobs::{ImageSearchRequest, Progress, SearchReport};
use serde::Deserialize;

use crate::extract;
use crate::problem::Problem;
use crate::state::ServiceState;

/// The largest picture accepted (the SDK scales and re-encodes what the platform would refuse).
pub const MAX_PICTURE_BYTES: usize = 10 * 1024 * 1024;

/// `POST /v1/image-search` query parameters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PictureParams {
    /// Results at most (1–50, default 20).
    pub limit: Option<usize>,
    /// Narrow the matches by keyword.
    pub keyword: Option<String>,
}

/// The JSON form: a picture URL (public addresses only unless the service allows private ones).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct PictureUrl {
    url: String,
}

/// The picture sent, in any of the three forms the route reads.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // Describes the multipart form for the OpenAPI document only.
struct PictureForm {
    /// The picture file (JPEG, PNG, WebP…).
    #[schema(value_type = String, format = Binary)]
    picture: Vec<u8>,
}

/// `POST /v1/image-search?limit=20`: offers that look like the picture — sent as the body
/// (`Content-Type: image/…`), as a `multipart/form-data` upload (the first file part, or the part
/// named `picture`), or as JSON `{"url": …}`.
#[utoipa::path(post, path = "/image-search", tag = "lookup", params(PictureParams),
    request_body(description = "The picture: raw bytes, a multipart upload, or a URL.", content(
        (PictureForm = "multipart/form-data"),
        (String = "image/*"),
        (PictureUrl = "application/json"))),
    responses((status = 200, description = "Offers that look like the picture.", body = SearchReport),
        crate::openapi::Failures))]
pub async fn image_search(
    State(state): State<ServiceState>,
    params: Result<Query<PictureParams>, QueryRejection>,
    request: Request,
) -> Result<Json<SearchReport>, Problem> {
    let params = extract::query(params)?;
    let kind = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let picture = if kind.starts_with("multipart/form-data") {
        let multipart = Multipart::from_request(request, &state)
            .await
            .map_err(|e| Problem::invalid("body", format!("not a multipart form: {}", e.body_text())))?;
        ImageSource::Bytes(uploaded_picture(multipart).await?)
    } else if kind.starts_with("application/json") {
        let body = body_bytes(request, &state).await?;
        let PictureUrl { url } = serde_json::from_slice(&body)
            .map_err(|e| Problem::invalid("body", format!("expected {{\"url\": \"https://…\"}}: {e}")))?;
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(Problem::invalid("url", "only http and https picture URLs are fetched"));
        }
        ImageSource::Url(url)
    } else if kind.starts_with("image/") || kind == "application/octet-stream" {
        let body = body_bytes(request, &state).await?;
        if body.is_empty() {
            return Err(Problem::invalid("body", "the picture is empty"));
        }
        ImageSource::Bytes(body.to_vec())
    } else {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the picture as the body with Content-Type image/jpeg (or png, webp…), as multipart/form-data, \
             or JSON {\"url\": …}",
        ));
    };
    let request = ImageSearchRequest { limit: params.limit.unwrap_or(20), keyword: params.keyword };
    Ok(Json(state.jobs.image_search(&picture, &request, &Progress::silent()).await?))
}

/// The whole body, or 413 when it is larger than the route's limit.
async fn body_bytes(request: Request, state: &ServiceState) -> Result<Bytes, Problem> {
    Bytes::from_request(request, state).await.map_err(|e| Problem::new(e.status(), e.body_text()))
}

/// The picture of a multipart upload: the part named `picture`, else the first part with a file
/// name; an upload without one is a 400 naming the field.
async fn uploaded_picture(mut multipart: Multipart) -> Result<Vec<u8>, Problem> {
    let unreadable = |e: axum::extract::multipart::MultipartError| Problem::new(e.status(), e.body_text());
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        if field.name() == Some("picture") || field.file_name().is_some() {
            let bytes = field.bytes().await.map_err(unreadable)?;
            if bytes.is_empty() {
                return Err(Problem::invalid("picture", "the uploaded picture is empty"));
            }
            return Ok(bytes.to_vec());
        }
    }
    Err(Problem::invalid("picture", "the form has no file part (name it `picture`)"))
}
