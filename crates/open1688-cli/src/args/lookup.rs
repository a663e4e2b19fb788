//! Arguments of the look-up commands: search, offer, image search, seller.

use clap::{Args, ValueEnum};
use open1688_jobs::{SearchRequest, Sort as JobSort};
use rust_decimal::Decimal;

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Sort {
    /// Cheapest first.
    Price,
    /// Dearest first.
    PriceDesc,
    /// Best sellers first.
    Sales,
    /// Newest first.
    Newest,
}

impl From<Sort> for JobSort {
    fn from(sort: Sort) -> Self {
        match sort {
            Sort::Price => JobSort::Price,
            Sort::PriceDesc => JobSort::PriceDesc,
            Sort::Sales => JobSort::Sales,
            Sort::Newest => JobSort::Newest,
        }
    }
}

/// Search filters shared by several commands.
#[derive(Debug, Args, Clone)]
pub struct SearchArgs {
    /// Search words (Chinese or English).
    pub keyword: String,
    /// Only this category id.
    #[arg(long)]
    pub category: Option<i64>,
    /// Lowest unit price.
    #[arg(long)]
    pub price_min: Option<Decimal>,
    /// Highest unit price.
    #[arg(long)]
    pub price_max: Option<Decimal>,
    /// Order.
    #[arg(long, value_enum)]
    pub sort: Option<Sort>,
    /// Platform filters (`shipInToday`, `isOnePsale`…), repeatable.
    #[arg(long)]
    pub filter: Vec<String>,
    /// Pages to fetch at most.
    #[arg(long, default_value_t = 1)]
    pub pages: u32,
    /// Items at most.
    #[arg(long)]
    pub limit: Option<usize>,
    /// The first result page to read (pages are --limit results long, 50 at most; 1688
    /// answers the first 2,000 results).
    #[arg(long, default_value_t = 1)]
    pub page: u32,
}

impl SearchArgs {
    /// The application layer's search request.
    pub fn request(&self) -> SearchRequest {
        SearchRequest {
            keyword: self.keyword.clone(),
            category: self.category,
            price_min: self.price_min,
            price_max: self.price_max,
            sort: self.sort.map(Into::into),
            filter: self.filter.clone(),
            pages: self.pages,
            limit: self.limit,
            page: self.page,
        }
    }
}

/// `offer`.
#[derive(Debug, Args, Clone)]
pub struct OfferArgs {
    /// Offer ids.
    #[arg(required = true)]
    pub ids: Vec<i64>,
}

/// `image-search`.
#[derive(Debug, Args, Clone)]
pub struct ImageSearchArgs {
    /// Path or http(s) URL of the picture.
    pub source: String,
    /// Results at most.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

/// `same-item`.
#[derive(Debug, Args, Clone)]
pub struct SameItemArgs {
    /// The offer whose item to look for.
    pub offer_id: i64,
    /// Image-search results to examine (1–50).
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
}

/// `seller`.
#[derive(Debug, Args, Clone)]
pub struct SellerArgs {
    /// Seller open id, login id or shop domain.
    pub id: String,
    /// Scorecard preset or TOML file.
    #[arg(long, default_value = "default")]
    pub scorecard: String,
}
