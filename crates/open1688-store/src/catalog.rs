//! The catalog as the store keeps it: one [`CatalogEntry`] per offer a crawl stored, with the
//! columns search filters on, how old each entry is, and which entries are due for a refresh.
//! Seeing an offer again (another crawl, a refresh) replaces its entry and adds the crawl to its
//! sources, so an offer found by several crawls is one entry.

use std::collections::HashSet;

use async_trait::async_trait;
use serde::Serialize;

pub use crate::catalog_entry::CatalogEntry;
use crate::catalog_query::{CatalogQuery, CatalogResults};
use crate::dialect::Dialect;
use crate::error::{Result, StoreError};
use crate::money::MoneyArg;
use crate::on_pool;
use crate::pool::{Backend, BeginWrite, SqlStore};

/// How old the catalog's entries are: counts by age band and the oldest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DataAge {
    /// Entries in the catalog.
    pub entries: u64,
    /// Fetched within the last 10 minutes.
    pub under_10_min: u64,
    /// Between 10 minutes and 1 hour old.
    pub under_1_h: u64,
    /// Between 1 and 24 hours old.
    pub under_24_h: u64,
    /// Older than 24 hours.
    pub older: u64,
    /// The oldest entry's age in ms (`None` when the catalog is empty).
    pub oldest_ms: Option<i64>,
}

/// An entry due for a refresh: older than its freshness target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Stale {
    /// The offer.
    pub offer_id: i64,
    /// How old its entry is (ms).
    pub age_ms: i64,
    /// Whether a watch follows it (its target is the watched one).
    pub watched: bool,
}

/// Persistence of the catalog.
#[async_trait]
pub trait CatalogStore: Send + Sync {
    /// Stores an entry, replacing the offer's earlier one; its sources join the earlier ones.
    async fn put_catalog_entry(&self, entry: &CatalogEntry) -> Result<()>;
    /// An offer's entry.
    async fn catalog_entry(&self, offer_id: i64) -> Result<Option<CatalogEntry>>;
    /// Every entry, by offer id (for building a search index).
    async fn catalog_entries(&self, after_offer_id: i64, limit: i64) -> Result<Vec<CatalogEntry>>;
    /// Which of `ids` were fetched at or after `since_ms`.
    async fn catalog_fetched_since(&self, ids: &[i64], since_ms: i64) -> Result<HashSet<i64>>;
    /// How old the entries are at `now_ms`.
    async fn catalog_age(&self, now_ms: i64) -> Result<DataAge>;
    /// How many entries the catalog holds.
    async fn catalog_len(&self) -> Result<u64>;
    /// Entries past their target at `now_ms`, the most stale for its target first (age over
    /// target; watched entries have `watched_target_ms`, others `other_target_ms`), at most `limit`.
    async fn stale_entries(
        &self,
        now_ms: i64,
        watched_target_ms: i64,
        other_target_ms: i64,
        limit: i64,
    ) -> Result<Vec<Stale>>;
    /// Whether the database searches the catalog itself (PostgreSQL, so several service
    /// instances share one index); where it does not (SQLite, MySQL), the embedded
    /// [`crate::CatalogIndex`] does.
    fn searches_catalog(&self) -> bool;
    /// Searches the catalog in the database, making entries stored before it could searchable
    /// first; `None` where the database does not search ([`CatalogStore::searches_catalog`]).
    /// Returns the results and how many entries were made searchable.
    async fn search_catalog_in_database(&self, query: &CatalogQuery) -> Result<Option<(CatalogResults, u64)>>;
    /// Rebuilds the database's search columns of every entry; `None` where it does not search.
    async fn reindex_catalog_in_database(&self) -> Result<Option<u64>>;
}

/// What a database does, in the transaction that stores a catalog entry, to keep the entry
/// searchable in the database: PostgreSQL writes the row's search columns; the others have no
/// search engine of their own.
#[async_trait]
trait KeepSearchable {
    async fn keep_searchable(&mut self, entry: &CatalogEntry) -> Result<()>;
}

#[async_trait]
impl KeepSearchable for sqlx::Transaction<'static, sqlx::Sqlite> {
    async fn keep_searchable(&mut self, _entry: &CatalogEntry) -> Result<()> {
        Ok(())
    }
}

#[cfg(feature = "mysql")]
#[async_trait]
impl KeepSearchable for sqlx::Transaction<'static, sqlx::MySql> {
    async fn keep_searchable(&mut self, _entry: &CatalogEntry) -> Result<()> {
        Ok(())
    }
}

#[cfg(feature = "postgres")]
#[async_trait]
impl KeepSearchable for sqlx::Transaction<'static, sqlx::Postgres> {
    async fn keep_searchable(&mut self, entry: &CatalogEntry) -> Result<()> {
        crate::catalog_pg::keep_searchable(self, entry).await
    }
}

fn decode(data: &str) -> Result<CatalogEntry> {
    serde_json::from_str(data).map_err(|e| StoreError::Corrupt(format!("catalog entry: {e}")))
}

#[async_trait]
impl CatalogStore for SqlStore {
    async fn put_catalog_entry(&self, entry: &CatalogEntry) -> Result<()> {
        let (province, city) = entry.place();
        let identities = format!(" {} ", entry.supplier.identities.join(" "));
        let supplier_key = sourcing::plan::supplier_key(&entry.offer);
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let earlier: Option<String> =
                sqlx::query_scalar(&pool.sql("SELECT data FROM catalog WHERE offer_id = $1")?).bind(entry.offer.id).fetch_optional(&mut *tx).await?;
            let mut merged = entry.clone();
            if let Some(earlier) = earlier.as_deref().map(decode).transpose()? {
                for source in earlier.sources {
                    if !merged.sources.contains(&source) {
                        merged.sources.push(source);
                    }
                }
            }
            let data = serde_json::to_string(&merged).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            sqlx::query(&pool.sql("INSERT INTO catalog (offer_id, title, category_id, province, city, supplier_key, identities, moq, \
                 lowest_price, data, fetched_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                 ON CONFLICT (offer_id) DO UPDATE SET title = excluded.title, category_id = excluded.category_id, \
                 province = excluded.province, city = excluded.city, supplier_key = excluded.supplier_key, \
                 identities = excluded.identities, moq = excluded.moq, lowest_price = excluded.lowest_price, \
                 data = excluded.data, fetched_ms = excluded.fetched_ms")?,
            )
            .bind(entry.offer.id)
            .bind(&entry.offer.title)
            .bind(entry.offer.category.ids.last().copied())
            .bind(province)
            .bind(city)
            .bind(&supplier_key)
            .bind(&identities)
            .bind(entry.offer.moq)
            .bind(entry.lowest_price().map(MoneyArg))
            .bind(&data)
            .bind(entry.fetched_ms)
            .execute(&mut *tx)
            .await?;
            tx.keep_searchable(&merged).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    async fn catalog_entry(&self, offer_id: i64) -> Result<Option<CatalogEntry>> {
        let data: Option<String> = on_pool!(self, pool => {
            sqlx::query_scalar(&pool.sql("SELECT data FROM catalog WHERE offer_id = $1")?).bind(offer_id).fetch_optional(pool).await?
        });
        data.as_deref().map(decode).transpose()
    }

    async fn catalog_entries(&self, after_offer_id: i64, limit: i64) -> Result<Vec<CatalogEntry>> {
        let rows: Vec<String> = on_pool!(self, pool => {
            sqlx::query_scalar(&pool.sql("SELECT data FROM catalog WHERE offer_id > $1 ORDER BY offer_id LIMIT $2")?)
                .bind(after_offer_id)
                .bind(limit)
                .fetch_all(pool)
                .await?
        });
        rows.iter().map(|d| decode(d)).collect()
    }

    async fn catalog_fetched_since(&self, ids: &[i64], since_ms: i64) -> Result<HashSet<i64>> {
        let mut done = HashSet::new();
        for chunk in ids.chunks(500) {
            let found: Vec<i64> = on_pool!(self, pool => {
                let mut qb = sqlx::QueryBuilder::new("SELECT offer_id FROM catalog WHERE fetched_ms >= ");
                qb.push_bind(since_ms).push(" AND offer_id IN (");
                let mut list = qb.separated(", ");
                for id in chunk {
                    list.push_bind(*id);
                }
                qb.push(")");
                qb.build_query_scalar().fetch_all(pool).await?
            });
            done.extend(found);
        }
        Ok(done)
    }

    async fn catalog_len(&self) -> Result<u64> {
        let n: i64 = on_pool!(self, pool => {
            sqlx::query_scalar(&pool.sql("SELECT CAST(COUNT(*) AS BIGINT) FROM catalog")?).fetch_one(pool).await?
        });
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn catalog_age(&self, now_ms: i64) -> Result<DataAge> {
        const MIN: i64 = 60_000;
        let row: (i64, i64, i64, i64, i64, Option<i64>) = on_pool!(self, pool => {
            sqlx::query_as(&pool.sql("SELECT CAST(COUNT(*) AS BIGINT), \
                 CAST(COALESCE(SUM(CASE WHEN fetched_ms > $1 THEN 1 ELSE 0 END), 0) AS BIGINT), \
                 CAST(COALESCE(SUM(CASE WHEN fetched_ms <= $2 AND fetched_ms > $3 THEN 1 ELSE 0 END), 0) AS BIGINT), \
                 CAST(COALESCE(SUM(CASE WHEN fetched_ms <= $4 AND fetched_ms > $5 THEN 1 ELSE 0 END), 0) AS BIGINT), \
                 CAST(COALESCE(SUM(CASE WHEN fetched_ms <= $6 THEN 1 ELSE 0 END), 0) AS BIGINT), MIN(fetched_ms) \
                 FROM catalog")?,
            )
            .bind(now_ms - 10 * MIN)
            .bind(now_ms - 10 * MIN)
            .bind(now_ms - 60 * MIN)
            .bind(now_ms - 60 * MIN)
            .bind(now_ms - 24 * 60 * MIN)
            .bind(now_ms - 24 * 60 * MIN)
            .fetch_one(pool)
            .await?
        });
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        Ok(DataAge {
            entries: n(row.0),
            under_10_min: n(row.1),
            under_1_h: n(row.2),
            under_24_h: n(row.3),
            older: n(row.4),
            oldest_ms: row.5.map(|oldest| now_ms - oldest),
        })
    }

    async fn stale_entries(
        &self,
        now_ms: i64,
        watched_target_ms: i64,
        other_target_ms: i64,
        limit: i64,
    ) -> Result<Vec<Stale>> {
        // Most stale for its own target first (age over target), so a watched offer 30 minutes
        // old (3× its 10 minutes) goes before another 2 days old (2× its day). Watched offers
        // are those an offer watch follows.
        let rows: Vec<(i64, i64, i64)> = on_pool!(self, pool => {
            sqlx::query_as(&pool.sql("SELECT offer_id, fetched_ms, watched FROM (SELECT c.offer_id, c.fetched_ms, \
                 CAST(CASE WHEN EXISTS (SELECT 1 FROM watches w WHERE w.offer_id = c.offer_id) THEN 1 ELSE 0 END AS BIGINT) \
                 AS watched FROM catalog c) t \
                 WHERE t.fetched_ms <= $1 - CASE WHEN t.watched = 1 THEN $2 ELSE $3 END \
                 ORDER BY (($4 - t.fetched_ms) * 1.0) / CASE WHEN t.watched = 1 THEN $5 ELSE $6 END DESC, t.offer_id \
                 LIMIT $7")?,
            )
            .bind(now_ms)
            .bind(watched_target_ms)
            .bind(other_target_ms)
            .bind(now_ms)
            .bind(watched_target_ms)
            .bind(other_target_ms)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(offer_id, fetched_ms, watched)| Stale {
                offer_id,
                age_ms: now_ms - fetched_ms,
                watched: watched == 1,
            })
            .collect())
    }

    fn searches_catalog(&self) -> bool {
        #[cfg(feature = "postgres")]
        if matches!(self.db, Backend::Postgres(_)) {
            return true;
        }
        false
    }

    async fn search_catalog_in_database(&self, query: &CatalogQuery) -> Result<Option<(CatalogResults, u64)>> {
        match &self.db {
            #[cfg(feature = "postgres")]
            Backend::Postgres(pool) => {
                let made = crate::catalog_pg::make_searchable(pool, false).await?;
                Ok(Some((crate::catalog_pg::search(pool, query).await?, made)))
            }
            #[allow(unreachable_patterns)]
            _ => {
                let _ = query;
                Ok(None)
            }
        }
    }

    async fn reindex_catalog_in_database(&self) -> Result<Option<u64>> {
        match &self.db {
            #[cfg(feature = "postgres")]
            Backend::Postgres(pool) => Ok(Some(crate::catalog_pg::make_searchable(pool, true).await?)),
            #[allow(unreachable_patterns)]
            _ => Ok(None),
        }
    }
}
