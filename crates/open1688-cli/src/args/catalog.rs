//! Arguments of `catalog`: crawling offers into the store's catalog and reading its data age.

use clap::{Args, Subcommand};
use open1688_jobs::{CrawlRequest, CrawlSource};

/// `catalog` actions.
#[derive(Debug, Subcommand)]
pub enum CatalogAction {
    /// Fetch search pages and details into the catalog (resumes a stopped pass of the same sources).
    Crawl(CrawlArgs),
    /// How old the catalog's entries are.
    Age,
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
    /// The application layer's request.
    pub fn request(&self) -> CrawlRequest {
        let sources = self
            .keywords
            .iter()
            .map(|k| CrawlSource::Keyword(k.clone()))
            .chain(self.sellers.iter().map(|s| CrawlSource::Seller(s.clone())))
            .collect();
        CrawlRequest { sources, pages: self.pages, category: self.category }
    }
}
