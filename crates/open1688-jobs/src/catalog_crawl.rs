//! `catalog crawl`: fills the catalog from keyword searches and sellers' listings. Each source is
//! crawled in passes: the search pages first (the list of ids kept in a checkpoint after every
//! page), then every detail not yet fetched in this pass, each stored as it arrives (the offer,
//! its supplier, a snapshot and its catalog entry with standardized attributes). A pass killed
//! anywhere resumes where it stopped: pages already read are not read again, and a detail stored
//! in this pass is never fetched again. With a search index, stored offers are indexed in
//! batches as they arrive.

use crate::field_refusal::FieldRefusal;
use std::collections::HashSet;
use std::sync::Arc;

use futures::StreamExt;
use open1688::SearchQuery;
use open1688_store::{CatalogEntry, CatalogIndex, DataAge, Observation, Snapshot, Store};
use serde::{Deserialize, Serialize};

use crate::error::{JobError, Result};
use crate::jobs::{Jobs, load_scorecard};
use crate::progress::{Progress, ProgressEvent, Stage};
use crate::sheet::{Cell, Sheet};

/// Offers indexed together (one commit each).
const INDEX_BATCH: usize = 100;

/// The platform returns at most 2,000 results for a search: 40 pages of 50.
pub const MAX_PAGES: u32 = 40;
const PAGE_SIZE: u32 = 50;

/// Where a crawl finds offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CrawlSource {
    /// A keyword search (optionally within a category: see [`CrawlRequest::category`]).
    Keyword(String),
    /// A seller's listings, by `sellerOpenId`.
    Seller(String),
}

impl CrawlSource {
    /// How the catalog names the source (`keyword:保温杯`, `seller:…`).
    pub fn key(&self, category: Option<i64>) -> String {
        match (self, category) {
            (Self::Keyword(k), Some(c)) => format!("keyword:{k}@category:{c}"),
            (Self::Keyword(k), None) => format!("keyword:{k}"),
            (Self::Seller(s), _) => format!("seller:{s}"),
        }
    }
}

/// What to crawl.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CrawlRequest {
    /// Keywords and sellers, crawled in order.
    pub sources: Vec<CrawlSource>,
    /// Search pages of 50 per source (1–40; a seller's listings are read up to as many).
    #[serde(default = "one")]
    pub pages: u32,
    /// Keep keyword searches within this category.
    #[serde(default)]
    pub category: Option<i64>,
}

fn one() -> u32 {
    1
}

impl CrawlRequest {
    /// Checks the request; the error names the field.
    pub fn validate(&self) -> Result<()> {
        if self.sources.is_empty() {
            return Err(JobError::invalid("sources", "name at least one keyword or seller to crawl"));
        }
        if !(1..=MAX_PAGES).contains(&self.pages) {
            return Err(JobError::refused("pages", FieldRefusal::between(1, MAX_PAGES, self.pages)));
        }
        for s in &self.sources {
            let (CrawlSource::Keyword(text) | CrawlSource::Seller(text)) = s;
            if text.trim().is_empty() {
                return Err(JobError::refused("sources", FieldRefusal::Empty));
            }
        }
        Ok(())
    }
}

/// One source's pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SourceCrawl {
    /// The source (`keyword:保温杯`).
    pub source: String,
    /// Whether this run finished a pass an earlier run had started.
    pub resumed: bool,
    /// Offers the search found.
    pub found: u64,
    /// Details fetched and stored by this run.
    pub fetched: u64,
    /// Offers already stored in this pass (by the run that was stopped), not fetched again.
    pub already: u64,
    /// Offers whose detail could not be read (each noted).
    pub failed: u64,
}

/// What a crawl did, and how old the catalog is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CrawlReport {
    /// Each source's pass.
    pub sources: Vec<SourceCrawl>,
    /// The catalog's data age after the crawl.
    pub age: DataAge,
}

impl CrawlReport {
    /// The sources as a sheet, then the data age.
    pub fn sheets(&self) -> Vec<Sheet> {
        let mut sources = Sheet::new("crawl", &["source", "resumed", "found", "fetched", "already", "failed"]);
        for s in &self.sources {
            sources.push(vec![
                Cell::Text(s.source.clone()),
                Cell::Text(if s.resumed { "yes" } else { "no" }.into()),
                Cell::Int(count(s.found)),
                Cell::Int(count(s.fetched)),
                Cell::Int(count(s.already)),
                Cell::Int(count(s.failed)),
            ]);
        }
        vec![sources, age_sheet(&self.age)]
    }
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The data-age distribution as a sheet.
pub fn age_sheet(age: &DataAge) -> Sheet {
    let mut s = Sheet::new("data age", &["entries", "under_10_min", "under_1_h", "under_24_h", "older", "oldest_s"]);
    s.push(vec![
        Cell::Int(count(age.entries)),
        Cell::Int(count(age.under_10_min)),
        Cell::Int(count(age.under_1_h)),
        Cell::Int(count(age.under_24_h)),
        Cell::Int(count(age.older)),
        Cell::opt_int(age.oldest_ms.map(|ms| ms / 1000)),
    ]);
    s
}

/// A pass as its checkpoint keeps it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Pass {
    /// When the pass began: details stored since are this pass's.
    started_ms: i64,
    /// The next search page to read.
    next_page: u32,
    /// The ids found so far, in order, each once.
    ids: Vec<i64>,
    /// What the search said of each (sales, the seller's identities), which details leave out.
    #[serde(default)]
    summaries: Vec<sourcing::OfferSummary>,
    /// Whether every page to read was read.
    searched: bool,
    /// Whether the pass finished (the next crawl starts a new one).
    finished: bool,
}

impl Pass {
    /// Adds a search item's offer unless `seen` has it.
    fn add(&mut self, item: &open1688::types::api::search::SearchItem, seen: &mut HashSet<i64>) {
        let Some(id) = item.offer_id.filter(|id| seen.insert(*id)) else { return };
        self.ids.push(id);
        if let Ok(summary) = sourcing::summary_from_search_item(item) {
            self.summaries.push(summary);
        }
    }
}

impl Jobs {
    /// Crawls `request`'s sources into `store`'s catalog, indexing what it stores in `index`.
    pub async fn crawl(
        &self,
        store: &dyn Store,
        index: Option<&CatalogIndex>,
        request: &CrawlRequest,
        progress: &Progress,
    ) -> Result<CrawlReport> {
        request.validate()?;
        let mut sources = Vec::new();
        for source in &request.sources {
            sources.push(self.crawl_source(store, index, source, request, progress).await?);
        }
        let age = store.catalog_age(chrono::Utc::now().timestamp_millis()).await?;
        Ok(CrawlReport { sources, age })
    }

    async fn crawl_source(
        &self,
        store: &dyn Store,
        index: Option<&CatalogIndex>,
        source: &CrawlSource,
        request: &CrawlRequest,
        progress: &Progress,
    ) -> Result<SourceCrawl> {
        let key = source.key(request.category);
        let checkpoint = format!("catalog-crawl:{key}:{}", request.pages);
        let earlier: Option<Pass> =
            store.checkpoint(&checkpoint).await?.and_then(|text| serde_json::from_str(&text).ok());
        let resumed = earlier.as_ref().is_some_and(|p| !p.finished);
        let mut pass = match earlier {
            Some(pass) if !pass.finished => pass,
            _ => Pass { started_ms: chrono::Utc::now().timestamp_millis(), next_page: 1, ..Pass::default() },
        };
        if !pass.searched {
            self.read_pages(store, source, request, &checkpoint, &mut pass, progress).await?;
        }
        let stored = store.catalog_fetched_since(&pass.ids, pass.started_ms).await?;
        let todo: Vec<i64> = pass.ids.iter().copied().filter(|id| !stored.contains(id)).collect();
        let (fetched, failed) =
            self.fetch_into_catalog(store, index, &todo, &pass.summaries, Some(&key), progress).await?;
        pass.finished = true;
        save(store, &checkpoint, &pass).await?;
        Ok(SourceCrawl {
            source: key,
            resumed,
            found: pass.ids.len() as u64,
            fetched,
            already: stored.len() as u64,
            failed,
        })
    }

    /// Reads the search pages still to read, saving the pass after each page.
    async fn read_pages(
        &self,
        store: &dyn Store,
        source: &CrawlSource,
        request: &CrawlRequest,
        checkpoint: &str,
        pass: &mut Pass,
        progress: &Progress,
    ) -> Result<()> {
        let mut seen: HashSet<i64> = pass.ids.iter().copied().collect();
        match source {
            CrawlSource::Keyword(keyword) => {
                let mut query = SearchQuery::new(keyword).language(self.language_ref()).page_size(PAGE_SIZE);
                if let Some(c) = request.category {
                    query = query.category(c);
                }
                while pass.next_page <= request.pages {
                    progress.check()?;
                    progress.stage(
                        pass.next_page,
                        request.pages,
                        Stage::SearchingPage { keyword: keyword.clone(), page: pass.next_page },
                    );
                    let page = self
                        .client()
                        .execute(&query.request(pass.next_page))
                        .await
                        .map_err(|e| JobError::gateway(format!("search {keyword:?}"), e))?
                        .into_payload();
                    let items = page.map(|p| (p.data, p.total_records)).unwrap_or_default();
                    let before = pass.ids.len();
                    for item in &items.0 {
                        pass.add(item, &mut seen);
                    }
                    pass.next_page += 1;
                    let total = items.1.unwrap_or(0).clamp(0, 2000) as usize;
                    let last = items.0.is_empty() || pass.ids.len() >= total || pass.ids.len() == before;
                    save(store, checkpoint, pass).await?;
                    if last {
                        break;
                    }
                }
            }
            CrawlSource::Seller(open_id) => {
                progress.stage(1, 1, Stage::ReadingSellerListings { open_id: open_id.clone() });
                let limit = (request.pages * PAGE_SIZE) as usize;
                let mut items = self.client().seller_offers(open_id, self.language_ref()).take(limit);
                while let Some(item) = progress.or_cancel(items.next()).await? {
                    let item = item.map_err(|e| JobError::gateway(format!("seller {open_id}"), e))?;
                    pass.add(&item, &mut seen);
                }
            }
        }
        pass.searched = true;
        save(store, checkpoint, pass).await
    }

    /// Fetches `ids` (fresh, bounded concurrency) and stores each as it arrives. Returns how many
    /// were stored and how many failed.
    pub(crate) async fn fetch_into_catalog(
        &self,
        store: &dyn Store,
        index: Option<&CatalogIndex>,
        ids: &[i64],
        summaries: &[sourcing::OfferSummary],
        source: Option<&str>,
        progress: &Progress,
    ) -> Result<(u64, u64)> {
        const TASK: &str = "offer details";
        let scorecard = load_scorecard(&self.sourcing_policy().scorecard)?;
        let summaries: std::collections::HashMap<i64, &sourcing::OfferSummary> =
            summaries.iter().map(|s| (s.id, s)).collect();
        let rules = sourcing::SpecRules::default();
        let max_age_ms = i64::from(self.sourcing_policy().supplier_profile_max_age_hours).saturating_mul(3_600_000);
        let mut profiles: std::collections::HashMap<String, Option<sourcing::Supplier>> =
            std::collections::HashMap::new();
        let concurrency = self.sourcing_policy().detail_concurrency.max(1);
        // The details are fetched by a task of their own that never stops polling its calls: a
        // call not polled can sit half-way through its cache write, holding one of the store's
        // connections, while this loop waits for a connection to store an offer. So the channel
        // is unbounded, and how far fetching runs ahead of storing is bounded instead by permits
        // taken before a call starts and given back once its offer is stored: a stop loses at
        // most that many fetched details.
        let ahead = Arc::new(tokio::sync::Semaphore::new(2 * concurrency));
        let (sender, mut details) = tokio::sync::mpsc::unbounded_channel();
        let fetcher = {
            let (client, ids, language) = (self.client().fresh(), ids.to_vec(), self.language_ref().to_owned());
            let ahead = ahead.clone();
            // The calls are charged to whoever asked for the crawl, on this task as on the caller's.
            let charge = open1688::call_share::ChargedTo::current();
            tokio::spawn(open1688::call_share::carried(charge, async move {
                let (client, language) = (&client, language.as_str());
                let mut stream = std::pin::pin!(
                    futures::stream::iter(ids)
                        .then(|id| {
                            let ahead = ahead.clone();
                            async move { (id, ahead.acquire_owned().await) }
                        })
                        .map(|(id, permit)| async move { (id, client.offer_in(id, language).await, permit) })
                        .buffered(concurrency)
                );
                while let Some((id, detail, permit)) = stream.next().await {
                    // A closed semaphore cannot happen (nobody closes it); end quietly if it does.
                    let Ok(permit) = permit else { break };
                    if sender.send((id, detail, permit)).is_err() {
                        break;
                    }
                }
            }))
        };
        let _stop_fetching = AbortOnDrop(fetcher);
        let (mut fetched, mut failed) = (0, 0);
        let mut unindexed = Vec::new();
        progress.emit(ProgressEvent::Begin { task: TASK, total: ids.len() as u64 });
        while let Some((id, detail, _permit)) = progress.or_cancel(details.recv()).await? {
            progress.emit(ProgressEvent::Advance { task: TASK });
            let detail = match detail {
                Ok(d) => d,
                Err(e) if e.is_authorization() || e.is_quota_exhausted() => {
                    return Err(JobError::gateway(format!("offer {id}"), e));
                }
                Err(e) => {
                    progress.note(format!("offer {id}: {e}"));
                    failed += 1;
                    continue;
                }
            };
            let now = chrono::Utc::now();
            let mut offer = match sourcing::offer_from_detail(&detail, now) {
                Ok(o) => o,
                Err(e) => {
                    progress.note(format!("offer {id} skipped: {e}"));
                    failed += 1;
                    continue;
                }
            };
            let mut supplier = sourcing::supplier_from_detail(&detail);
            if let Some(summary) = summaries.get(&id) {
                offer.complete_from(summary);
                supplier.merge(&summary.supplier);
            }
            // A seller profiled by another job within the policy's freshness is scored from its
            // profile, as every other surface scores it; reading profiles here would cost one
            // listing call per seller of a crawl of thousands, so the others keep their detail's
            // signals until a job profiles them.
            if let Some(open_id) = offer.supplier.open_id.clone() {
                let kept = match profiles.get(&open_id) {
                    Some(kept) => kept.clone(),
                    None => {
                        let fresh = store
                            .supplier_profile(&open_id)
                            .await
                            .ok()
                            .flatten()
                            .filter(|p| now.timestamp_millis().saturating_sub(p.fetched_ms) < max_age_ms)
                            .map(|p| p.supplier);
                        profiles.insert(open_id, fresh.clone());
                        fresh
                    }
                };
                if let Some(profile) = kept {
                    supplier = profile;
                }
            }
            let report = scorecard.score(&supplier);
            let score = report.score;
            let snapshot = Snapshot::of(&offer, Some(score));
            let raw = serde_json::to_string(&detail).map_err(|e| JobError::invalid("offer", e.to_string()))?;
            store.record(&Observation::new(&offer, &snapshot).raw(&raw).supplier(&supplier)).await?;
            let attributes = offer
                .attributes
                .iter()
                .chain(offer.skus.iter().flat_map(|s| s.attributes.iter()))
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect::<Vec<_>>();
            let mut standard = rules.standardize_all(attributes);
            standard.dedup_by(|a, b| a.name == b.name && a.value == b.value);
            let entry = CatalogEntry {
                attributes: standard,
                offer,
                supplier,
                score: Some(score),
                band: (!report.band.is_empty()).then(|| report.band.clone()),
                sources: source.map(str::to_owned).into_iter().collect(),
                fetched_ms: now.timestamp_millis(),
            };
            store.put_catalog_entry(&entry).await?;
            fetched += 1;
            if let Some(index) = index {
                unindexed.push(entry);
                if unindexed.len() >= INDEX_BATCH {
                    index.upsert(&std::mem::take(&mut unindexed))?;
                }
            }
        }
        if let Some(index) = index {
            index.upsert(&unindexed)?;
        }
        progress.emit(ProgressEvent::End { task: TASK });
        Ok((fetched, failed))
    }
}

/// Stops a spawned task when the job ends early (an error, a cancellation).
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn save(store: &dyn Store, checkpoint: &str, pass: &Pass) -> Result<()> {
    let text = serde_json::to_string(pass).map_err(|e| JobError::invalid("checkpoint", e.to_string()))?;
    store.set_checkpoint(checkpoint, &text, chrono::Utc::now().timestamp_millis()).await?;
    Ok(())
}
