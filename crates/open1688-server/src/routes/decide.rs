//! Decisions: quote (the optimal quantity), compare, plan — JSON requests as the application
//! layer defines them, JSON reports back.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use open1688_jobs::{CompareReport, CompareRequest, PlanReport, PlanRequest, Progress, QuoteReport, QuoteRequest};

use crate::extract;
use crate::problem::Problem;
use crate::state::ServiceState;

/// `POST /v1/quote`: which quantity of an offer to buy for a need, and why.
pub async fn quote(
    State(state): State<ServiceState>,
    body: Result<Json<QuoteRequest>, JsonRejection>,
) -> Result<Json<QuoteReport>, Problem> {
    let request = extract::json(body)?;
    Ok(Json(state.jobs.quote(&request, &Progress::silent()).await?))
}

/// `POST /v1/compare`: offers of one item side by side, ranked, with the Pareto front.
pub async fn compare(
    State(state): State<ServiceState>,
    body: Result<Json<CompareRequest>, JsonRejection>,
) -> Result<Json<CompareReport>, Problem> {
    let request = extract::json(body)?;
    Ok(Json(state.jobs.compare(&request, &Progress::silent()).await?))
}

/// `POST /v1/plan`: a purchase plan by supplier, with violations and their fixes.
pub async fn plan(
    State(state): State<ServiceState>,
    body: Result<Json<PlanRequest>, JsonRejection>,
) -> Result<Json<PlanReport>, Problem> {
    let request = extract::json(body)?;
    Ok(Json(state.jobs.plan(&request, &Progress::silent()).await?))
}
