//! Lookups: keyword search (query parameters as the CLI's flags), offer details, seller reports.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use open1688_jobs::{OffersReport, Progress, SearchReport, SearchRequest, Sort};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::extract;
use crate::problem::Problem;
use crate::state::ServiceState;

/// `GET /v1/search` parameters: the CLI's `search` flags.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// Search words (required).
    pub keyword: String,
    /// Items at most (default 20).
    pub limit: Option<usize>,
    /// Pages at most (default 1).
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
        }
    }
}

/// `GET /v1/search?keyword=…`: one or more pages of results, normalized.
pub async fn search(
    State(state): State<ServiceState>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<SearchReport>, Problem> {
    let request = extract::query(params)?.request();
    Ok(Json(state.jobs.search(&request, &Progress::silent()).await?))
}

/// `GET /v1/offers/{id}`: an offer's detail, normalized, with its supplier's scorecard.
pub async fn offer(
    State(state): State<ServiceState>,
    id: Result<Path<i64>, axum::extract::rejection::PathRejection>,
) -> Result<Json<OffersReport>, Problem> {
    let Path(id) =
        id.map_err(|e| Problem::invalid("id", format!("the offer id must be a number: {}", e.body_text())))?;
    if id <= 0 {
        return Err(Problem::invalid("id", format!("the offer id must be positive, got {id}")));
    }
    Ok(Json(state.jobs.offers(&[id], &Progress::silent()).await?))
}
