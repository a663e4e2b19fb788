//! Keyword searches as a job: the request every surface fills in (the CLI's flags, the service's
//! query parameters, an agent's tool input), and the pages it fetches.

use crate::field_refusal::FieldRefusal;
use futures::StreamExt;
use open1688::{SearchQuery, SortOrder};
use open1688_types::api::search::SearchItem;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sourcing::OfferSummary;

use crate::error::{JobError, Result};
use crate::jobs::Jobs;
use crate::progress::{Progress, ProgressEvent};
use crate::sheet::{Cell, Sheet};

/// The order of search results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
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

impl From<Sort> for SortOrder {
    fn from(sort: Sort) -> Self {
        match sort {
            Sort::Price => SortOrder::PriceAscending,
            Sort::PriceDesc => SortOrder::PriceDescending,
            Sort::Sales => SortOrder::SalesDescending,
            Sort::Newest => SortOrder::Newest,
        }
    }
}

/// The most result pages a remote caller's search may read (one gateway call each).
pub const REMOTE_MAX_PAGES: u32 = 5;
/// The most items a remote caller's search may ask for (the candidates a recommendation reads in
/// detail, 50 to a call).
pub const REMOTE_MAX_LIMIT: usize = 100;

/// A keyword search with the platform's filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SearchRequest {
    /// Search words, Chinese or English.
    pub keyword: String,
    /// Only this category id.
    pub category: Option<i64>,
    /// Lowest unit price.
    pub price_min: Option<Decimal>,
    /// Highest unit price.
    pub price_max: Option<Decimal>,
    /// Result order (the platform's relevance when absent).
    pub sort: Option<Sort>,
    /// Platform filters such as `shipInToday` or `isOnePsale`.
    pub filter: Vec<String>,
    /// Pages to fetch at most (over the service and MCP: at most 5).
    #[schema(maximum = 5)]
    pub pages: u32,
    /// Items at most (over the service and MCP: at most 100).
    #[schema(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
    /// The first result page to read (from 1), for a list read a page at a time; pages are
    /// `limit` results long (50 without one), and the platform answers 2,000 results at most.
    #[schema(minimum = 1)]
    pub page: u32,
}

impl Default for SearchRequest {
    fn default() -> Self {
        Self {
            keyword: String::new(),
            category: None,
            price_min: None,
            price_max: None,
            sort: None,
            filter: Vec::new(),
            pages: 1,
            limit: None,
            page: 1,
        }
    }
}

impl SearchRequest {
    /// A plain keyword search for at most `limit` items on one page.
    pub fn keyword(keyword: impl Into<String>, limit: usize) -> Self {
        Self { keyword: keyword.into(), limit: Some(limit), ..Self::default() }
    }

    /// The SDK query, with translated fields in `language`.
    pub fn query(&self, language: &str) -> SearchQuery {
        let page_size = self.limit.map_or(50, |l| l.clamp(1, 50));
        let page_size = u32::try_from(page_size).unwrap_or(50);
        let mut q = SearchQuery::new(&self.keyword)
            .language(language)
            .page_size(page_size)
            .max_pages(self.pages.max(1))
            .first_page(self.page);
        if let Some(c) = self.category {
            q = q.category(c);
        }
        if self.price_min.is_some() || self.price_max.is_some() {
            q = q.price_range(self.price_min, self.price_max);
        }
        if let Some(sort) = self.sort {
            q = q.sort(sort.into());
        }
        for f in &self.filter {
            q = q.filter(f);
        }
        q
    }

    /// Checks that a remote caller's search (the service, MCP) stays within what one request may
    /// cost: at most [`REMOTE_MAX_PAGES`] pages and [`REMOTE_MAX_LIMIT`] items, so at most five
    /// search calls and two detail calls. A local caller (the CLI) may ask for more.
    pub fn within_remote_ceiling(&self) -> Result<()> {
        if self.pages > REMOTE_MAX_PAGES {
            return Err(JobError::refused("pages", FieldRefusal::at_most(REMOTE_MAX_PAGES, self.pages)));
        }
        if let Some(limit) = self.limit.filter(|l| *l > REMOTE_MAX_LIMIT) {
            return Err(JobError::refused("limit", FieldRefusal::at_most(REMOTE_MAX_LIMIT, limit)));
        }
        self.validate()
    }

    /// Checks the request; the error names the field.
    pub fn validate(&self) -> Result<()> {
        if self.keyword.trim().is_empty() {
            return Err(JobError::refused("keyword", FieldRefusal::Empty));
        }
        if let (Some(lo), Some(hi)) = (self.price_min, self.price_max)
            && lo > hi
        {
            return Err(JobError::refused(
                "price_min",
                FieldRefusal::AboveUpper { upper: "price_max", value: lo, upper_value: hi },
            ));
        }
        let page_size = self.limit.map_or(50, |l| l.clamp(1, 50));
        let last_page = 2_000usize.div_ceil(page_size.max(1));
        if !(1..=last_page).contains(&(self.page as usize)) {
            return Err(JobError::refused("page", FieldRefusal::between(1, last_page, self.page)));
        }
        if self.limit == Some(0) {
            return Err(JobError::refused("limit", FieldRefusal::at_least(1, 0)));
        }
        Ok(())
    }
}

/// Search results: the items as the platform sent them, and their normalized summaries.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchReport {
    /// The items as sent (their raw fields feed offer completion and keyword watches).
    #[serde(skip)]
    pub items: Vec<SearchItem>,
    /// One normalized summary per item that could be read.
    pub offers: Vec<OfferSummary>,
    /// How many results the platform says the search has (it answers 2,000 at most), when it
    /// said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
}

impl SearchReport {
    /// Summaries of `items`; an item that cannot be normalized is left out.
    pub fn of(items: Vec<SearchItem>) -> Self {
        let offers = items.iter().filter_map(|i| sourcing::summary_from_search_item(i).ok()).collect();
        Self { items, offers, total: None }
    }

    /// The result table: one row per offer.
    pub fn sheets(&self) -> Vec<Sheet> {
        vec![offers_sheet(&self.offers)]
    }
}

/// The search result table.
pub fn offers_sheet(offers: &[OfferSummary]) -> Sheet {
    let mut s = Sheet::new(
        "offers",
        &["offer_id", "title", "title_en", "price", "moq", "monthly_sales", "repurchase_rate", "supplier", "url"],
    );
    for sum in offers {
        s.push(vec![
            Cell::Int(sum.id),
            Cell::Text(sum.title.clone()),
            Cell::opt_text(sum.title_en.clone()),
            Cell::opt_money(sum.price),
            Cell::opt_int(sum.moq),
            Cell::opt_int(sum.monthly_sales),
            sum.repurchase_rate.map_or(Cell::Empty, Cell::Num),
            Cell::opt_text(sum.supplier.company.clone()),
            Cell::opt_text(sum.detail_url.clone()),
        ]);
    }
    s
}

impl Jobs {
    /// `search`: the offers a keyword finds, page by page up to the request's limits.
    pub async fn search(&self, request: &SearchRequest, progress: &Progress) -> Result<SearchReport> {
        let (items, total) = self.search_pages(request, progress).await?;
        Ok(SearchReport { total, ..SearchReport::of(items) })
    }

    /// The raw items of a search (the other jobs' first step).
    pub(crate) async fn search_items(&self, request: &SearchRequest, progress: &Progress) -> Result<Vec<SearchItem>> {
        Ok(self.search_pages(request, progress).await?.0)
    }

    /// The raw items of a search and the platform's count of all its results.
    async fn search_pages(
        &self,
        request: &SearchRequest,
        progress: &Progress,
    ) -> Result<(Vec<SearchItem>, Option<u64>)> {
        request.validate()?;
        let query = request.query(self.language_ref());
        progress.emit(ProgressEvent::Begin { task: "searching", total: u64::from(request.pages.max(1)) });
        let mut pages = self.client().search_pages(&query);
        let mut items = Vec::new();
        let mut total = None;
        while let Some(page) = progress.or_cancel(pages.next()).await? {
            let page = page.map_err(|e| JobError::gateway(format!("searching {:?}", request.keyword), e))?;
            total = total.or(page.total_records.and_then(|t| u64::try_from(t).ok()));
            items.extend(page.data);
            progress.emit(ProgressEvent::Advance { task: "searching" });
            if request.limit.is_some_and(|l| items.len() >= l) {
                break;
            }
        }
        progress.emit(ProgressEvent::End { task: "searching" });
        if let Some(limit) = request.limit {
            items.truncate(limit);
        }
        Ok((items, total))
    }
}
