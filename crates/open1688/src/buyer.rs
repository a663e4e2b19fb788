//! The buyer APIs as client methods: keyword search as a stream of pages or items, offer detail
//! one by one or in ordered batches, image search from a file, URL or bytes, seller listings and
//! member profiles.

use futures::stream::{self, BoxStream, Stream, StreamExt, TryStreamExt};
use open1688_types::api::account::{AccountBasic, AccountCrossBasic, AccountInfo};
use open1688_types::api::detail::{OfferDetailParam, ProductDetail, ProductDetailQuery};
use open1688_types::api::product::{ProductGet, ProductGetByIdList, ProductInfo};
use open1688_types::api::search::{
    KeywordQuery, MAX_PAGE_SIZE, MAX_TOTAL_RECORDS, OfferQueryParam, SearchItem, SearchPage,
};
use open1688_types::api::seller::{SellerOfferParam, SellerOfferQuery};
use open1688_types::business::CrossBorderResponse;
use rust_decimal::Decimal;

use crate::client::Client;
use crate::error::{Error, Result};

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortOrder {
    /// Cheapest first.
    PriceAscending,
    /// Dearest first.
    PriceDescending,
    /// Best sellers (30 days) first.
    SalesDescending,
    /// Newest first.
    Newest,
}

impl SortOrder {
    fn wire(self) -> &'static str {
        match self {
            SortOrder::PriceAscending => r#"{"price":"asc"}"#,
            SortOrder::PriceDescending => r#"{"price":"desc"}"#,
            SortOrder::SalesDescending => r#"{"monthSold":"desc"}"#,
            SortOrder::Newest => r#"{"createDate":"desc"}"#,
        }
    }
}

/// A keyword search (`com.alibaba.fenxiao.crossborder:product.search.keywordQuery-1`).
#[derive(Debug, Clone, PartialEq)]
pub struct SearchQuery {
    keyword: String,
    language: String,
    category_id: Option<i64>,
    price_min: Option<Decimal>,
    price_max: Option<Decimal>,
    sort: Option<SortOrder>,
    filters: Vec<String>,
    page_size: u32,
    max_pages: u32,
    first_page: u32,
}

impl SearchQuery {
    /// A search for `keyword` (Chinese or the chosen language), 20 results a page, in English.
    pub fn new(keyword: impl Into<String>) -> Self {
        Self {
            keyword: keyword.into(),
            language: "en".into(),
            category_id: None,
            price_min: None,
            price_max: None,
            sort: None,
            filters: Vec::new(),
            page_size: 20,
            max_pages: MAX_TOTAL_RECORDS.div_ceil(20),
            first_page: 1,
        }
    }

    /// Language of translated fields (`en`, `ja`, `ko`, …).
    pub fn language(mut self, code: impl Into<String>) -> Self {
        self.language = code.into();
        self
    }

    /// Only this category (any level).
    pub fn category(mut self, id: i64) -> Self {
        self.category_id = Some(id);
        self
    }

    /// Only unit prices within the range (either end open).
    pub fn price_range(mut self, min: Option<Decimal>, max: Option<Decimal>) -> Self {
        self.price_min = min;
        self.price_max = max;
        self
    }

    /// Result order (default: the platform's relevance).
    pub fn sort(mut self, order: SortOrder) -> Self {
        self.sort = Some(order);
        self
    }

    /// A platform filter (`shipInToday`, `isOnePsale`, …).
    pub fn filter(mut self, name: impl Into<String>) -> Self {
        self.filters.push(name.into());
        self
    }

    /// Results per page, 1–50.
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = size;
        self
    }

    /// Stop after this many pages even if more exist (a guard against runaway jobs).
    pub fn max_pages(mut self, pages: u32) -> Self {
        self.max_pages = pages;
        self
    }

    /// Start at this page of the results (from 1; the default), for a list read a page at a time.
    pub fn first_page(mut self, page: u32) -> Self {
        self.first_page = page;
        self
    }

    fn validate(&self) -> Result<()> {
        if self.keyword.trim().is_empty() {
            return Err(Error::InvalidRequest("the search keyword is empty".into()));
        }
        if !(1..=MAX_PAGE_SIZE).contains(&self.page_size) {
            return Err(Error::InvalidRequest(format!("page size must be 1–{MAX_PAGE_SIZE}, got {}", self.page_size)));
        }
        // The platform answers at most 2000 results of a search: a page past them is empty.
        let last_page = MAX_TOTAL_RECORDS.div_ceil(self.page_size);
        if !(1..=last_page).contains(&self.first_page) {
            return Err(Error::InvalidRequest(format!(
                "the first page must be 1–{last_page} at {} results a page, got {}",
                self.page_size, self.first_page
            )));
        }
        if let (Some(min), Some(max)) = (self.price_min, self.price_max)
            && min > max
        {
            return Err(Error::InvalidRequest(format!("price range {min}–{max} is empty")));
        }
        Ok(())
    }

    /// The request for one page.
    pub fn request(&self, page: u32) -> KeywordQuery {
        KeywordQuery {
            query: OfferQueryParam {
                keyword: self.keyword.clone(),
                begin_page: page,
                page_size: self.page_size,
                country: self.language.clone(),
                filter: (!self.filters.is_empty()).then(|| self.filters.join(",")),
                sort: self.sort.map(|s| s.wire().to_owned()),
                price_start: self.price_min.map(|p| p.to_string()),
                price_end: self.price_max.map(|p| p.to_string()),
                category_id: self.category_id,
                ..Default::default()
            },
        }
    }
}

/// A member to look up: by login id or by shop domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberKey {
    /// Login id.
    LoginId(String),
    /// Shop domain (`xinda8866.1688.com`).
    Domain(String),
}

fn payload<T>(api: &str, response: CrossBorderResponse<T>) -> Result<T> {
    response.into_payload().ok_or_else(|| Error::NoPayload { api: api.to_owned() })
}

/// Pages until the platform's cap, an empty page, or the page guard.
pub(crate) fn paged<'a, F, Fut>(max_pages: u32, fetch: F) -> impl Stream<Item = Result<SearchPage>> + Send + 'a
where
    F: Fn(u32) -> Fut + Send + 'a,
    Fut: std::future::Future<Output = Result<SearchPage>> + Send + 'a,
{
    paged_from(1, 0, max_pages, fetch)
}

/// [`paged`] from page `first`, `skipped` results (the earlier pages') counted as seen.
pub(crate) fn paged_from<'a, F, Fut>(
    first: u32,
    skipped: u64,
    max_pages: u32,
    fetch: F,
) -> impl Stream<Item = Result<SearchPage>> + Send + 'a
where
    F: Fn(u32) -> Fut + Send + 'a,
    Fut: std::future::Future<Output = Result<SearchPage>> + Send + 'a,
{
    let last = first.saturating_add(max_pages);
    stream::try_unfold((first, skipped, false), move |(page, seen, done)| {
        let next = (!done && page < last).then(|| fetch(page));
        async move {
            let Some(next) = next else { return Ok(None) };
            let result = next.await?;
            let items = result.data.len() as u64;
            let total = result.total_records.unwrap_or(0).clamp(0, i64::from(MAX_TOTAL_RECORDS)) as u64;
            let seen = seen + items;
            let done = items == 0 || seen >= total;
            if items == 0 {
                return Ok(None);
            }
            Ok(Some((result, (page + 1, seen, done))))
        }
    })
}

impl Client {
    /// Search results page by page, lazily; stops at the 2000-result cap, an empty page or
    /// `max_pages`.
    pub fn search_pages(&self, query: &SearchQuery) -> BoxStream<'_, Result<SearchPage>> {
        let query = query.clone();
        let invalid = query.validate().err();
        let max_pages = if invalid.is_some() { 0 } else { query.max_pages };
        let (first, skipped) =
            (query.first_page, u64::from(query.first_page.saturating_sub(1)) * u64::from(query.page_size));
        let pages = paged_from(first, skipped, max_pages, move |page| {
            let request = query.request(page);
            async move { payload("product.search.keywordQuery", self.execute(&request).await?) }
        });
        stream::iter(invalid.map(Err)).chain(pages).boxed()
    }

    /// Search results item by item, across pages.
    pub fn search(&self, query: &SearchQuery) -> BoxStream<'_, Result<SearchItem>> {
        self.search_pages(query).map_ok(|page| stream::iter(page.data.into_iter().map(Ok))).try_flatten().boxed()
    }

    /// One offer's full detail (`product.search.queryProductDetail`), in English.
    pub async fn offer(&self, offer_id: i64) -> Result<ProductDetail> {
        self.offer_in(offer_id, "en").await
    }

    /// One offer's detail with translated fields in `language`.
    pub async fn offer_in(&self, offer_id: i64, language: &str) -> Result<ProductDetail> {
        let request = ProductDetailQuery {
            param: OfferDetailParam { offer_id, country: language.to_owned(), ..Default::default() },
        };
        payload("product.search.queryProductDetail", self.execute(&request).await?)
    }

    /// Many offers' details with translated fields in `language`, at most `concurrency` in
    /// flight (the rate limiter paces them), in input order; a failed id is its own error and
    /// does not stop the batch.
    pub async fn offers(&self, ids: &[i64], language: &str, concurrency: usize) -> Vec<Result<ProductDetail>> {
        self.offers_stream(ids, language, concurrency).map(|(_, detail)| detail).collect().await
    }

    /// The same batch as [`Client::offers`], as a stream of `(offer id, detail)` in input order,
    /// so a caller can show progress or stop early.
    pub fn offers_stream<'a>(
        &'a self,
        ids: &'a [i64],
        language: &'a str,
        concurrency: usize,
    ) -> BoxStream<'a, (i64, Result<ProductDetail>)> {
        stream::iter(ids.iter().map(move |&id| async move { (id, self.offer_in(id, language).await) }))
            .buffered(concurrency.max(1))
            .boxed()
    }

    /// One page of a seller's offers (by `sellerOpenId`) with the platform's count of them all:
    /// the listing's first page is half of a supplier's profile.
    pub async fn seller_offer_page(&self, seller_open_id: &str, language: &str, page: u32) -> Result<SearchPage> {
        let request = SellerOfferQuery {
            query: SellerOfferParam {
                seller_open_id: seller_open_id.to_owned(),
                begin_page: page.max(1),
                page_size: MAX_PAGE_SIZE,
                country: language.to_owned(),
                ..Default::default()
            },
        };
        payload("product.search.querySellerOfferList", self.execute(&request).await?)
    }

    /// A seller's offers (by `sellerOpenId`), item by item across pages.
    pub fn seller_offers<'a>(&'a self, seller_open_id: &str, language: &str) -> BoxStream<'a, Result<SearchItem>> {
        let open_id = seller_open_id.to_owned();
        let language = language.to_owned();
        let pages = paged(MAX_TOTAL_RECORDS.div_ceil(MAX_PAGE_SIZE), move |page| {
            let request = SellerOfferQuery {
                query: SellerOfferParam {
                    seller_open_id: open_id.clone(),
                    begin_page: page,
                    page_size: MAX_PAGE_SIZE,
                    country: language.clone(),
                    ..Default::default()
                },
            };
            async move { payload("product.search.querySellerOfferList", self.execute(&request).await?) }
        });
        pages.map_ok(|page| stream::iter(page.data.into_iter().map(Ok))).try_flatten().boxed()
    }

    /// The authorized member's account (`alibaba.account.basic`).
    pub async fn account(&self) -> Result<AccountInfo> {
        let answer = self.execute(&AccountBasic).await?;
        answer.result.ok_or_else(|| Error::NoPayload { api: "alibaba.account.basic".into() })
    }

    /// Another member's profile (`alibaba.account.agent.crossBasic`).
    pub async fn member(&self, key: MemberKey) -> Result<AccountInfo> {
        let request = match key {
            MemberKey::LoginId(id) => AccountCrossBasic { login_id: Some(id), domain: None },
            MemberKey::Domain(domain) => AccountCrossBasic { login_id: None, domain: Some(domain) },
        };
        let answer = self.execute(&request).await?;
        answer.result.ok_or_else(|| Error::NoPayload { api: "alibaba.account.agent.crossBasic".into() })
    }

    /// One of the authorized member's own products (`alibaba.product.get`; other members'
    /// products are refused by the platform).
    pub async fn own_product(&self, product_id: i64) -> Result<ProductInfo> {
        let answer = self.execute(&ProductGet { product_id }).await?;
        answer.product_info.ok_or_else(|| Error::NoPayload { api: "alibaba.product.get".into() })
    }

    /// The authorized member's own products among `ids` (`alibaba.product.getByIdList`, 100 per
    /// call); ids of other members' products are left out.
    pub async fn own_products(&self, ids: &[i64]) -> Result<Vec<ProductInfo>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(100) {
            let answer = self.execute(&ProductGetByIdList { product_ids: chunk.to_vec() }).await?;
            out.extend(answer.product_list);
        }
        Ok(out)
    }
}
