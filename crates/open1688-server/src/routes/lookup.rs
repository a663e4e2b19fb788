//! Lookups: keyword search (query parameters as the CLI's flags), offer details, the same item by
//! picture, seller reports.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use open1688_jobs::{OffersReport, Progress, SearchReport, SearchRequest, Sort};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::extract::{self, Id};
use crate::problem::Problem;
use crate::state::ServiceState;

/// `GET /v1/search` parameters: the CLI's `search` flags.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Search words (required).
    #[param(min_length = 1)]
    pub keyword: String,
    /// Items at most (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
    /// Pages at most (default 1; each is a gateway call).
    #[param(minimum = 1, maximum = 5)]
    pub pages: Option<u32>,
    /// `price`, `price-desc`, `sales` or `newest`.
    pub sort: Option<Sort>,
    /// Lowest unit price.
    pub price_min: Option<Decimal>,
    /// Highest unit price.
    pub price_max: Option<Decimal>,
    /// Category id.
    pub category: Option<i64>,
    /// Platform filters, comma-separated (`shipInToday,isOnePsale`).
    pub filter: Option<String>,
    /// The first result page to read (default 1; pages are `limit` results long, 50 at most,
    /// and 1688 answers the first 2,000 results of a search).
    #[param(minimum = 1)]
    pub page: Option<u32>,
}

impl SearchParams {
    fn request(self) -> SearchRequest {
        SearchRequest {
            keyword: self.keyword,
            category: self.category,
            price_min: self.price_min,
            price_max: self.price_max,
            sort: self.sort,
            filter: self
                .filter
                .map(|f| f.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect())
                .unwrap_or_default(),
            pages: self.pages.unwrap_or(1),
            limit: Some(self.limit.unwrap_or(20)),
            page: self.page.unwrap_or(1),
        }
    }
}

/// `GET /v1/search?keyword=…`: one or more pages of results, normalized.
#[utoipa::path(get, path = "/search", tag = "lookup", params(SearchParams),
    responses((status = 200, description = "The results, normalized.", body = SearchReport), crate::openapi::Failures))]
pub async fn search(
    State(state): State<ServiceState>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<SearchReport>, Problem> {
    let request = extract::query(params)?.request();
    request.within_remote_ceiling()?;
    Ok(Json(state.jobs.search(&request, &Progress::silent()).await?))
}

/// `GET /v1/offers/{id}`: an offer's detail, normalized, with its supplier's scorecard.
#[utoipa::path(get, path = "/offers/{id}", tag = "lookup",
    params(("id" = i64, Path, description = "The offer id.", minimum = 1)),
    responses((status = 200, description = "The offer and its supplier's scorecard.", body = OffersReport), crate::openapi::Failures))]
pub async fn offer(State(state): State<ServiceState>, Id(id): Id) -> Result<Response, Problem> {
    let body = match state.answers.get(id) {
        Some(body) => body,
        None => {
            let report = state.jobs.offers(&[id], &Progress::silent()).await?;
            let body = Bytes::from(serde_json::to_vec(&report).map_err(|e| {
                Problem::new(StatusCode::INTERNAL_SERVER_ERROR, format!("the report did not encode: {e}"))
            })?);
            state.answers.insert(id, body.clone());
            body
        }
    };
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// `GET /v1/same-item/{id}` parameters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SameItemParams {
    /// Picture-search results to examine (1–50, default 20; one offer read each).
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<usize>,
}

/// `GET /v1/same-item/{id}`: other sellers' listings of an offer's item, found by its picture,
/// each with the evidence and the verdict (the job `open1688 same-item` and the dashboard run).
#[utoipa::path(get, path = "/same-item/{id}", tag = "lookup",
    params(("id" = i64, Path, description = "The reference offer.", minimum = 1), SameItemParams),
    responses((status = 200, description = "The listings examined, the same item first.", body = open1688_jobs::SameItemReport), crate::openapi::Failures))]
pub async fn same_item(
    State(state): State<ServiceState>,
    Id(id): Id,
    params: Result<Query<SameItemParams>, QueryRejection>,
) -> Result<Json<open1688_jobs::SameItemReport>, Problem> {
    let request = open1688_jobs::SameItemRequest { offer_id: id, limit: extract::query(params)?.limit };
    Ok(Json(state.jobs.same_item(&request, &Progress::silent()).await?))
}

/// `GET /v1/sellers/{id}` parameters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SellerParams {
    /// The scorecard: a preset (`default`, `legacy_credit`, `legacy_factory`) or `active`, the
    /// service's own (default `default`). Never a file name.
    pub scorecard: Option<String>,
}

/// `GET /v1/sellers/{id}`: a seller's offers and scorecard (`id` is a login id or open id).
#[utoipa::path(get, path = "/sellers/{id}", tag = "lookup",
    params(("id" = String, Path, description = "The seller's login id or open id."), SellerParams),
    responses((status = 200, description = "The seller's offers and scorecard.", body = open1688_jobs::SellerReport), crate::openapi::Failures))]
pub async fn seller(
    State(state): State<ServiceState>,
    Path(id): Path<String>,
    params: Result<Query<SellerParams>, QueryRejection>,
) -> Result<Json<open1688_jobs::SellerReport>, Problem> {
    let name = extract::query(params)?.scorecard.unwrap_or_else(|| "default".into());
    let card = open1688_jobs::remote_scorecard(&name, &state.jobs.sourcing_policy().scorecard)?;
    Ok(Json(state.jobs.seller(&id, &card, &Progress::silent()).await?))
}

/// `GET /v1/analyze` parameters: a search and the quantity prices are read at.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AnalyzeParams {
    /// Quantity the market's prices are compared at (default 100).
    pub quantity: Option<i64>,
    /// The search (as for `/v1/search`; its parameters are documented from [`SearchParams`]).
    #[serde(flatten)]
    #[param(ignore)]
    pub search: SearchParams,
}

#[utoipa::path(get, path = "/analyze", tag = "lookup", params(AnalyzeParams, SearchParams),
    responses((status = 200, description = "The market's statistics.", body = open1688_jobs::AnalyzeReport), crate::openapi::Failures))]
/// `GET /v1/analyze?keyword=…&quantity=100`: the market for a keyword — price distribution,
/// suppliers, identities.
pub async fn analyze(
    State(state): State<ServiceState>,
    params: Result<Query<AnalyzeParams>, QueryRejection>,
) -> Result<Json<open1688_jobs::AnalyzeReport>, Problem> {
    let params = extract::query(params)?;
    let quantity = params.quantity.unwrap_or(100);
    let mut search = params.search.request();
    search.limit = Some(search.limit.unwrap_or(20).max(50));
    Ok(Json(state.jobs.analyze(&search, quantity, &Progress::silent()).await?))
}
