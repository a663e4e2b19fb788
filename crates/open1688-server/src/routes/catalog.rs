//! The catalog: offers crawled into the store, searched without calling the gateway (by
//! PostgreSQL when the store is there, else by the embedded index), and how old they are.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use open1688_jobs::CatalogSearchReport;
use open1688_store::{CatalogQuery, CatalogSort, CatalogStore, DataAge};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::extract;
use crate::problem::Problem;
use crate::state::ServiceState;

/// `GET /v1/catalog/search` parameters: the CLI's `catalog search` flags.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CatalogParams {
    /// Words to find in titles, suppliers, categories and attributes (Chinese or English; empty
    /// or absent: every offer, filtered).
    pub q: Option<String>,
    /// The quantity prices are read at (absent: each offer's price at its MOQ).
    #[param(minimum = 1)]
    pub at: Option<i64>,
    /// Lowest unit price at `at`.
    pub price_min: Option<Decimal>,
    /// Highest unit price at `at`.
    pub price_max: Option<Decimal>,
    /// Highest MOQ.
    #[param(minimum = 1)]
    pub moq_max: Option<i64>,
    /// Ships from this province (`浙江省`).
    pub province: Option<String>,
    /// Ships from this city (`义乌市`).
    pub city: Option<String>,
    /// The supplier has this identity (`super_factory`).
    pub identity: Option<String>,
    /// The supplier's scorecard band (`good`).
    pub band: Option<String>,
    /// The leaf category id.
    pub category: Option<i64>,
    /// `relevance` (default), `price`, `score` or `moq`.
    #[param(inline)]
    pub sort: Option<CatalogSort>,
    /// Hits at most (default 20, at most 1,000).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<usize>,
    /// Hits to pass over first (default 0, at most 10,000): the next page starts at the hits
    /// already read.
    #[param(minimum = 0, maximum = 10000)]
    pub offset: Option<usize>,
}

impl CatalogParams {
    /// The catalog query these parameters ask for (checked by the job).
    pub fn query(self) -> CatalogQuery {
        let mut query = CatalogQuery::text(self.q.unwrap_or_default().trim());
        query.at = self.at;
        query.price_min = self.price_min;
        query.price_max = self.price_max;
        query.moq_max = self.moq_max;
        query.province = self.province.filter(|p| !p.trim().is_empty());
        query.city = self.city.filter(|c| !c.trim().is_empty());
        query.identity = self.identity.filter(|i| !i.trim().is_empty());
        query.band = self.band.filter(|b| !b.trim().is_empty());
        query.category = self.category;
        query.sort = self.sort.unwrap_or_default();
        query.limit = self.limit.unwrap_or(20);
        query.offset = self.offset.unwrap_or(0);
        query
    }
}

/// `GET /v1/catalog/search?q=…`: the stored catalog searched, with facets; no gateway call.
#[utoipa::path(get, path = "/catalog/search", tag = "catalog", params(CatalogParams),
    responses((status = 200, description = "The hits, their total and the facets over every match.", body = CatalogSearchReport),
        crate::openapi::Failures))]
pub async fn search(
    State(state): State<ServiceState>,
    params: Result<Query<CatalogParams>, QueryRejection>,
) -> Result<Json<CatalogSearchReport>, Problem> {
    let query = extract::query(params)?.query();
    Ok(Json(state.catalog.search(state.store.as_ref(), &query).await?))
}

/// `GET /v1/catalog/age`: how old the catalog's entries are (counts by age band, the oldest).
#[utoipa::path(get, path = "/catalog/age", tag = "catalog",
    responses((status = 200, description = "Entries by age band.", body = DataAge), crate::openapi::Failures))]
pub async fn age(State(state): State<ServiceState>) -> Result<Json<DataAge>, Problem> {
    let now = chrono::Utc::now().timestamp_millis();
    Ok(Json(state.store.catalog_age(now).await?))
}
