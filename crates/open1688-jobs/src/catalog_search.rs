//! `catalog search`: the catalog searched without calling the gateway, by PostgreSQL when the
//! store is there, else by the embedded index ([`CatalogEngine`]).

use crate::field_refusal::FieldRefusal;
use std::path::Path;

use open1688_store::{CatalogIndex, CatalogQuery, CatalogResults, Store};
use serde::Serialize;

use crate::error::{JobError, Result};
use crate::sheet::{Cell, Sheet};

/// Entries read from the store per batch while rebuilding the index.
const REBUILD_BATCH: i64 = 2_000;

/// The most hits one search returns.
pub const MAX_HITS: usize = 1_000;
/// The most hits a search may pass over (its `offset`).
pub const MAX_OFFSET: usize = 10_000;

/// A catalog search's answer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CatalogSearchReport {
    /// The hits, total and facets.
    #[serde(flatten)]
    pub results: CatalogResults,
    /// Offers re-indexed from the store before searching (0 when the index was in step).
    pub reindexed: u64,
    /// The engine that answered: `postgres` or `embedded`.
    pub engine: &'static str,
}

impl CatalogSearchReport {
    /// The hits, then the facets as one long sheet (facet, value, offers).
    pub fn sheets(&self) -> Vec<Sheet> {
        let mut hits =
            Sheet::new("catalog", &["offer_id", "title", "price", "moq", "score", "province", "city", "relevance"]);
        for h in &self.results.hits {
            hits.push(vec![
                Cell::Int(h.offer_id),
                Cell::Text(h.title.clone()),
                h.price.map_or(Cell::Empty, Cell::Money),
                Cell::opt_int(h.moq),
                h.score.map_or(Cell::Empty, Cell::Num),
                Cell::opt_text(h.province.clone()),
                Cell::opt_text(h.city.clone()),
                Cell::Num(rust_decimal::Decimal::from_f32_retain(h.relevance).unwrap_or_default().round_dp(3)),
            ]);
        }
        let mut facets = Sheet::new("facets", &["facet", "value", "offers"]);
        let f = &self.results.facets;
        for (name, values) in [
            ("province", &f.province),
            ("city", &f.city),
            ("identity", &f.identity),
            ("band", &f.band),
            ("category", &f.category),
            ("moq", &f.moq),
            ("price", &f.price),
        ] {
            for (value, n) in values {
                facets.push(vec![
                    Cell::Text(name.into()),
                    Cell::Text(value.clone()),
                    Cell::Int(i64::try_from(*n).unwrap_or(i64::MAX)),
                ]);
            }
        }
        vec![hits, facets]
    }
}

/// Checks a query; the error names the field.
pub fn validate(query: &CatalogQuery) -> Result<()> {
    if let Some(at) = query.at.filter(|at| *at < 1) {
        return Err(JobError::refused("at", FieldRefusal::at_least(1, at)));
    }
    if !(1..=MAX_HITS).contains(&query.limit) {
        return Err(JobError::refused("limit", FieldRefusal::between(1, MAX_HITS, query.limit)));
    }
    // Each hit passed over is still sorted: a ceiling on what one search may cost.
    if query.offset > MAX_OFFSET {
        return Err(JobError::refused("offset", FieldRefusal::at_most(MAX_OFFSET, query.offset)));
    }
    if let (Some(lo), Some(hi)) = (query.price_min, query.price_max)
        && lo > hi
    {
        return Err(JobError::refused(
            "price_min",
            FieldRefusal::AboveUpper { upper: "price_max", value: lo, upper_value: hi },
        ));
    }
    if let Some(moq_max) = query.moq_max.filter(|m| *m < 1) {
        return Err(JobError::refused("moq_max", FieldRefusal::at_least(1, moq_max)));
    }
    Ok(())
}

/// Where catalog searches run: in the database itself when it can (PostgreSQL, whose index every
/// service instance shares), else in the embedded index of this machine's data folder. One value
/// serves concurrent searches (the service shares it): rebuilding the embedded index is done by
/// one of them at a time, the others wait and search the rebuilt index.
#[derive(Debug)]
pub struct CatalogEngine {
    kind: EngineKind,
    /// Held while the embedded index is rebuilt, so two searches do not rebuild it at once
    /// (the second would clear what the first wrote, or find the writer lock taken).
    rebuilding: tokio::sync::Mutex<()>,
}

#[derive(Debug)]
enum EngineKind {
    Database,
    Embedded(CatalogIndex),
}

impl CatalogEngine {
    /// The store's database searches (see `CatalogStore::search_catalog_in_database`).
    pub fn database() -> Self {
        Self { kind: EngineKind::Database, rebuilding: tokio::sync::Mutex::new(()) }
    }

    /// The embedded tantivy index searches.
    pub fn embedded(index: CatalogIndex) -> Self {
        Self { kind: EngineKind::Embedded(index), rebuilding: tokio::sync::Mutex::new(()) }
    }

    /// The engine for `store`: its database's when it searches, else the embedded index in
    /// `index_dir` (created when missing).
    pub fn for_store(store: &dyn Store, index_dir: &Path) -> Result<Self> {
        if store.searches_catalog() { Ok(Self::database()) } else { Ok(Self::embedded(CatalogIndex::open(index_dir)?)) }
    }

    /// The engine's name in reports (`postgres`, `embedded`).
    pub fn name(&self) -> &'static str {
        match self.kind {
            EngineKind::Database => "postgres",
            EngineKind::Embedded(_) => "embedded",
        }
    }

    /// The index crawls and refreshes update as they store (the database keeps itself in step).
    pub fn index(&self) -> Option<&CatalogIndex> {
        match &self.kind {
            EngineKind::Database => None,
            EngineKind::Embedded(index) => Some(index),
        }
    }

    /// Searches the catalog without calling the gateway. The embedded index is rebuilt from the
    /// store first when the two disagree (an index lost, or a crawl killed between storing
    /// offers and indexing them); the database makes entries stored before it could search
    /// searchable first.
    pub async fn search(&self, store: &dyn Store, query: &CatalogQuery) -> Result<CatalogSearchReport> {
        validate(query)?;
        let engine = self.name();
        match &self.kind {
            EngineKind::Database => match store.search_catalog_in_database(query).await? {
                Some((results, reindexed)) => Ok(CatalogSearchReport { results, reindexed, engine }),
                None => Err(JobError::invalid("engine", "this store's database does not search its catalog")),
            },
            EngineKind::Embedded(index) => {
                let reindexed = if store.catalog_len().await? != index.len() {
                    let _one_at_a_time = self.rebuilding.lock().await;
                    // Another search may have rebuilt it while this one waited.
                    if store.catalog_len().await? != index.len() {
                        self.rebuild_embedded(store, index).await?
                    } else {
                        0
                    }
                } else {
                    0
                };
                Ok(CatalogSearchReport { results: index.search(query)?, reindexed, engine })
            }
        }
    }

    /// Rebuilds the engine's index from every entry of `store`'s catalog; returns how many
    /// entries were indexed.
    pub async fn rebuild(&self, store: &dyn Store) -> Result<u64> {
        match &self.kind {
            EngineKind::Database => store
                .reindex_catalog_in_database()
                .await?
                .ok_or_else(|| JobError::invalid("engine", "this store's database does not search its catalog")),
            EngineKind::Embedded(index) => {
                let _one_at_a_time = self.rebuilding.lock().await;
                self.rebuild_embedded(store, index).await
            }
        }
    }

    /// Clears `index` and fills it from the store's catalog in batches (the caller holds the
    /// rebuild lock).
    async fn rebuild_embedded(&self, store: &dyn Store, index: &CatalogIndex) -> Result<u64> {
        index.clear()?;
        let (mut after, mut indexed) = (i64::MIN, 0u64);
        loop {
            let batch = store.catalog_entries(after, REBUILD_BATCH).await?;
            let Some(last) = batch.last() else { break };
            after = last.offer.id;
            index.upsert(&batch)?;
            indexed += batch.len() as u64;
        }
        Ok(indexed)
    }
}
