//! Decisions: quote (the optimal quantity), compare, plan (JSON or an uploaded plan file),
//! split, recommend — requests as the application layer defines them, JSON reports back.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use open1688_jobs::{
    CompareReport, CompareRequest, PlanFormat, PlanReport, PlanRequest, Progress, QuoteReport, QuoteRequest,
    RecommendReport, RecommendRequest, SearchRequest, SplitReport, SplitRequest, parse_plan,
};
use serde::Deserialize;

use crate::extract;
use crate::problem::Problem;
use crate::state::ServiceState;

/// `POST /v1/quote`: which quantity of an offer to buy for a need, and why.
#[utoipa::path(post, path = "/quote", tag = "decide", request_body = QuoteRequest,
    responses((status = 200, description = "The quantity to buy and the options weighed.", body = QuoteReport), crate::openapi::Failures))]
pub async fn quote(
    State(state): State<ServiceState>,
    body: Result<Json<QuoteRequest>, JsonRejection>,
) -> Result<Json<QuoteReport>, Problem> {
    let request = extract::json(body)?;
    Ok(Json(state.jobs.quote(&request, &Progress::silent()).await?))
}

/// `POST /v1/compare`: offers of one item side by side, ranked, with the Pareto front.
#[utoipa::path(post, path = "/compare", tag = "decide", request_body = CompareRequest,
    responses((status = 200, description = "The offers ranked, with the Pareto front.", body = CompareReport), crate::openapi::Failures))]
pub async fn compare(
    State(state): State<ServiceState>,
    body: Result<Json<CompareRequest>, JsonRejection>,
) -> Result<Json<CompareReport>, Problem> {
    let request = extract::json(body)?;
    Ok(Json(state.jobs.compare(&request, &Progress::silent()).await?))
}

/// `POST /v1/plan?optimize=true` query parameters (for uploaded files).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PlanParams {
    /// Raise quantities where a higher tier lowers the total.
    #[serde(default)]
    pub optimize: bool,
}

/// `POST /v1/plan`: a purchase plan by supplier, with violations and their fixes. The body is a
/// JSON plan request, or a plan file as the CLI reads it: `text/csv` (`offer_id,sku_id,quantity`)
/// or `application/toml` (`[[lines]]`), with `?optimize=true`.
#[utoipa::path(post, path = "/plan", tag = "decide", params(PlanParams),
    request_body(description = "A plan request, or a plan file as the CLI reads it.", content(
        (PlanRequest = "application/json"),
        (String = "text/csv", example = "offer_id,sku_id,quantity\n630526089341,,300\n"),
        (String = "application/toml"))),
    responses((status = 200, description = "The plan by supplier, with violations and fixes.", body = PlanReport), crate::openapi::Failures))]
pub async fn plan(
    State(state): State<ServiceState>,
    params: Result<Query<PlanParams>, QueryRejection>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<PlanReport>, Problem> {
    let kind = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let format = if kind.starts_with("text/csv") {
        Some(PlanFormat::Csv)
    } else if kind.starts_with("application/toml") {
        Some(PlanFormat::Toml)
    } else {
        None
    };
    let request = match format {
        Some(format) => {
            let text = std::str::from_utf8(&body)
                .map_err(|e| Problem::invalid("body", format!("the plan file is not UTF-8: {e}")))?;
            let optimize = extract::query(params)?.optimize;
            PlanRequest { lines: parse_plan(text, format, "upload")?, optimize }
        }
        None if kind.starts_with("application/json") => {
            serde_json::from_slice(&body).map_err(|e| Problem::invalid("body", format!("not a plan request: {e}")))?
        }
        None => {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "send JSON {\"lines\": […]}, or a plan file as text/csv or application/toml",
            ));
        }
    };
    Ok(Json(state.jobs.plan(&request, &Progress::silent()).await?))
}

/// `POST /v1/split`: the cheapest way to fill a need from offers a person names, suppliers
/// weighed by their scorecard band.
#[utoipa::path(post, path = "/split", tag = "decide", request_body = SplitRequest,
    responses((status = 200, description = "What to buy from whom, its plan and its figures.", body = SplitReport), crate::openapi::Failures))]
pub async fn split(
    State(state): State<ServiceState>,
    body: Result<Json<SplitRequest>, JsonRejection>,
) -> Result<Json<SplitReport>, Problem> {
    let request = extract::json(body)?;
    Ok(Json(state.jobs.split(&request, &Progress::silent()).await?))
}

/// `POST /v1/recommend` body: the search, and what a recommendation must meet.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecommendBody {
    /// The search the candidates come from (as for `/v1/search`).
    pub search: SearchRequest,
    /// Quantity, price and supplier conditions.
    #[serde(default)]
    pub recommend: RecommendRequest,
}

/// `POST /v1/recommend`: offers of a search that meet the conditions, ranked.
#[utoipa::path(post, path = "/recommend", tag = "decide", request_body = RecommendBody,
    responses((status = 200, description = "The offers that meet the conditions, ranked.", body = RecommendReport), crate::openapi::Failures))]
pub async fn recommend(
    State(state): State<ServiceState>,
    body: Result<Json<RecommendBody>, JsonRejection>,
) -> Result<Json<RecommendReport>, Problem> {
    let RecommendBody { search, recommend } = extract::json(body)?;
    search.within_remote_ceiling()?;
    Ok(Json(state.jobs.recommend(&search, &recommend, &Progress::silent()).await?))
}
