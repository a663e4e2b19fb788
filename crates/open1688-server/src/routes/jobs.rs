//! Long jobs over HTTP: the sourcing job is submitted (202 with the job's id and where to poll),
//! polled for progress, fetched as JSON with its workbook and charts, or cancelled — each by the
//! key that submitted it (or an admin key); to any other key the job does not exist.

use axum::body::Body;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use open1688_jobs::SourceRequest;
use open1688_store::ApiKey;

use crate::extract;
use crate::job_board::{JobStatus, JobView};
use crate::problem::Problem;
use crate::state::ServiceState;

fn unknown(id: &str) -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        format!("no job {id} (finished jobs are kept for the retention the service was started with)"),
    )
}

/// `POST /v1/jobs/source`: starts the sourcing job; 202 with its view and a `Location`.
#[utoipa::path(post, path = "/jobs/source", tag = "jobs", request_body = SourceRequest,
    responses((status = 202, description = "The job, started; poll its `Location`.", body = JobView,
        headers(("Location" = String, description = "Where to poll the job."))), crate::openapi::Failures))]
pub async fn submit_source(
    State(state): State<ServiceState>,
    Extension(key): Extension<ApiKey>,
    body: Result<Json<SourceRequest>, JsonRejection>,
) -> Result<Response, Problem> {
    let request = extract::json(body)?;
    request.validate()?;
    let view = start_source(&state, &key, request).await?;
    let location = format!("/v1/jobs/{}", view.id);
    let mut response = (StatusCode::ACCEPTED, Json(view)).into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    Ok(response)
}

/// Queues the sourcing job for `key` (the API and the dashboard submit it alike); only that key
/// and admin keys see it.
pub(crate) async fn start_source(
    state: &ServiceState,
    key: &ApiKey,
    request: SourceRequest,
) -> Result<JobView, Problem> {
    state.board.submit(crate::job_kinds::SOURCE, key.id, &request).await
}

/// `GET /v1/jobs/{id}`: status, stage, counted progress, notes, the files once done.
#[utoipa::path(get, path = "/jobs/{id}", tag = "jobs", params(("id" = String, Path, description = "The job id.")),
    responses((status = 200, description = "The job's progress.", body = JobView), crate::openapi::Failures))]
pub async fn status(
    State(state): State<ServiceState>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
) -> Result<Json<JobView>, Problem> {
    state.board.view(&id, &key).await?.map(Json).ok_or_else(|| unknown(&id))
}

/// `GET /v1/jobs/{id}/result`: the report, once the job succeeded (409 before; the job's own
/// problem when it failed).
#[utoipa::path(get, path = "/jobs/{id}/result", tag = "jobs", params(("id" = String, Path, description = "The job id.")),
    responses((status = 200, description = "The sourcing report.", body = open1688_jobs::SourceReport), crate::openapi::Failures))]
pub async fn result(
    State(state): State<ServiceState>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let view = state.board.view(&id, &key).await?.ok_or_else(|| unknown(&id))?;
    match view.status {
        JobStatus::Succeeded => Ok(Json(state.board.result(&id, &key).await?.unwrap_or_default()).into_response()),
        JobStatus::Running => Err(Problem::new(StatusCode::CONFLICT, format!("job {id} is still running"))),
        JobStatus::Failed | JobStatus::Cancelled | JobStatus::Interrupted => Err(view.error.unwrap_or_else(|| {
            Problem::new(StatusCode::INTERNAL_SERVER_ERROR, format!("job {id} ended without a result"))
        })),
    }
}

/// `GET /v1/jobs/{id}/files/{name}`: a workbook or chart the job wrote.
#[utoipa::path(get, path = "/jobs/{id}/files/{name}", tag = "jobs",
    params(("id" = String, Path, description = "The job id."), ("name" = String, Path, description = "A name from the job's `files`.")),
    responses((status = 200, description = "The file.", content(
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (Vec<u8> = "image/png"), (String = "image/svg+xml"), (serde_json::Value = "application/json"), (String = "text/csv"))), crate::openapi::Failures))]
pub async fn file(
    State(state): State<ServiceState>,
    Extension(key): Extension<ApiKey>,
    Path((id, name)): Path<(String, String)>,
) -> Result<Response, Problem> {
    file_response(&state, &key, &id, &name).await
}

/// A job's file as a download, for `key` (the API and the dashboard serve them alike).
pub(crate) async fn file_response(
    state: &ServiceState,
    key: &ApiKey,
    id: &str,
    name: &str,
) -> Result<Response, Problem> {
    let bytes = state.board.file(id, name, key).await?.ok_or_else(|| {
        Problem::new(StatusCode::NOT_FOUND, format!("job {id} has no file {name:?} (see its `files`)"))
    })?;
    let kind = match std::path::Path::new(name).extension().and_then(|e| e.to_str()) {
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        Some("csv") => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    };
    let disposition = format!("attachment; filename=\"{name}\"");
    let mut response = Body::from(bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// `DELETE /v1/jobs/{id}`: cancels a running job (202 with its view; nothing further is fetched).
#[utoipa::path(delete, path = "/jobs/{id}", tag = "jobs", params(("id" = String, Path, description = "The job id.")),
    responses((status = 202, description = "The job is told to stop.", body = JobView), crate::openapi::Failures))]
pub async fn cancel(
    State(state): State<ServiceState>,
    Extension(key): Extension<ApiKey>,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let view = state.board.cancel(&id, &key).await?.ok_or_else(|| unknown(&id))?;
    Ok((StatusCode::ACCEPTED, Json(view)).into_response())
}
