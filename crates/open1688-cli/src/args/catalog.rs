//! Arguments of `catalog`: crawling offers into the store's catalog, searching it, its data age.

use clap::{Args, Subcommand, ValueEnum};
use open1688_jobs::{CrawlRequest, PlannedCrawl};
use open1688_store::{CatalogQuery, CatalogSort};
use rust_decimal::Decimal;

/// `catalog` actions.
#[derive(Debug, Subcommand)]
pub enum CatalogAction {
    /// Fetch search pages and details into the catalog (resumes a stopped pass of the same
    /// sources); without --keyword or --seller, runs the config's [[catalog.crawl]] plan.
    Crawl(CrawlArgs),
    /// Search the catalog without calling the gateway: words, filters, facets.
    Search(CatalogSearchArgs),
    /// Fetch again the entries past their freshness target, the most stale first.
    Refresh(RefreshArgs),
    /// Rebuild the search index from the store.
    Reindex,
    /// How old the catalog's entries are.
    Age,
}

/// `catalog refresh`.
#[derive(Debug, Args, Clone)]
pub struct RefreshArgs {
    /// The most a watched offer's entry may age, in minutes.
    #[arg(long, default_value_t = 10)]
    pub watched_minutes: i64,
    /// The most any other entry may age, in hours.
    #[arg(long, default_value_t = 24)]
    pub other_hours: i64,
    /// The most details this run fetches.
    #[arg(long, default_value_t = 500)]
    pub max: i64,
}

impl RefreshArgs {
    /// The application layer's request.
    pub fn request(&self) -> open1688_jobs::RefreshRequest {
        open1688_jobs::RefreshRequest {
            watched_target_secs: self.watched_minutes.saturating_mul(60),
            other_target_secs: self.other_hours.saturating_mul(3600),
            max_offers: self.max,
        }
    }
}

/// The order of `catalog search` results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    /// Best match first.
    Relevance,
    /// Cheapest at `--at` first.
    Price,
    /// Best supplier score first.
    Score,
    /// Lowest MOQ first.
    Moq,
}

/// `catalog search`.
#[derive(Debug, Args, Clone)]
pub struct CatalogSearchArgs {
    /// Words to find (Chinese or English); every word must appear.
    pub words: Vec<String>,
    /// The quantity prices are read at (without it, each offer's price at its MOQ).
    #[arg(long)]
    pub at: Option<i64>,
    /// Lowest unit price at `--at`.
    #[arg(long)]
    pub price_min: Option<Decimal>,
    /// Highest unit price at `--at`.
    #[arg(long)]
    pub price_max: Option<Decimal>,
    /// Highest MOQ.
    #[arg(long)]
    pub moq_max: Option<i64>,
    /// Ships from this province (浙江省).
    #[arg(long)]
    pub province: Option<String>,
    /// Ships from this city (义乌市).
    #[arg(long)]
    pub city: Option<String>,
    /// The supplier has this identity (super_factory).
    #[arg(long)]
    pub identity: Option<String>,
    /// The supplier's scorecard band.
    #[arg(long)]
    pub band: Option<String>,
    /// The leaf category id.
    #[arg(long)]
    pub category: Option<i64>,
    /// Order of the results.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    pub sort: SortArg,
    /// At most this many results (1–1000).
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Results to pass over first (the next page starts at the results already shown; at most
    /// 10000).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
}

impl CatalogSearchArgs {
    /// The store's query.
    pub fn query(&self) -> CatalogQuery {
        CatalogQuery {
            text: self.words.join(" "),
            at: self.at,
            price_min: self.price_min,
            price_max: self.price_max,
            moq_max: self.moq_max,
            province: self.province.clone(),
            city: self.city.clone(),
            identity: self.identity.clone(),
            band: self.band.clone(),
            category: self.category,
            sort: match self.sort {
                SortArg::Relevance => CatalogSort::Relevance,
                SortArg::Price => CatalogSort::Price,
                SortArg::Score => CatalogSort::Score,
                SortArg::Moq => CatalogSort::Moq,
            },
            limit: self.limit,
            offset: self.offset,
        }
    }
}

/// `catalog crawl`.
#[derive(Debug, Args, Clone)]
pub struct CrawlArgs {
    /// A keyword to search (repeat for several).
    #[arg(long = "keyword", value_name = "K")]
    pub keywords: Vec<String>,
    /// A seller's listings, by sellerOpenId (repeat for several).
    #[arg(long = "seller", value_name = "OPEN_ID")]
    pub sellers: Vec<String>,
    /// Keep keyword searches within this category id.
    #[arg(long)]
    pub category: Option<i64>,
    /// Search pages of 50 per source (1–40).
    #[arg(long, default_value_t = 1)]
    pub pages: u32,
}

impl CrawlArgs {
    /// Whether the command line names anything to crawl (else the config's plan runs).
    pub fn has_sources(&self) -> bool {
        !self.keywords.is_empty() || !self.sellers.is_empty()
    }

    /// The application layer's request.
    pub fn request(&self) -> CrawlRequest {
        // The same sources as a crawl planned in the config, named on the command line instead.
        PlannedCrawl {
            keywords: self.keywords.clone(),
            sellers: self.sellers.clone(),
            category: self.category,
            pages: Some(self.pages),
        }
        .request()
    }
}
