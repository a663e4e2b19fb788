//! The response cache kept in the store ([`StoreCache`]): the second level under the client's
//! memory when there is no Redis, so answers outlive the process. Same keys and TTLs as every
//! other level; expired rows are never answered and are pruned as new ones are written.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use open1688::{ResponseCache, SecondLevelCache};
use serde::Serialize;

use crate::dialect::Dialect;
use crate::error::Result;
use crate::on_pool;
use crate::pool::SqlStore;

/// Writes between two prunes of expired rows (the first write of a process prunes too).
const PRUNE_EVERY: u64 = 200;

/// What the store's response cache holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CacheStats {
    /// Answers still fresh.
    pub fresh: u64,
    /// Answers past their TTL that have not been pruned yet (never answered).
    pub expired: u64,
    /// Bytes of all bodies kept.
    pub bytes: u64,
    /// The oldest fresh answer's age in ms (`None` when nothing is fresh).
    pub oldest_fresh_age_ms: Option<i64>,
    /// Fresh answers per API, most first.
    pub by_api: Vec<ApiCount>,
}

/// How many fresh answers of one API the cache holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiCount {
    /// The API (`com.alibaba.fenxiao.crossborder:product.search.queryProductDetail-1`).
    pub api: String,
    /// Fresh answers of it.
    pub entries: u64,
    /// Their bytes.
    pub bytes: u64,
}

/// The API part of a cache key (keys are the API, then parameters after U+001F separators).
fn api_of(key: &str) -> &str {
    key.split('\u{1f}').next().unwrap_or(key)
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl SqlStore {
    /// A cached body of `namespace` and its remaining TTL at `now_ms`, if fresh.
    pub async fn cached_response(&self, namespace: &str, key: &str, now_ms: i64) -> Result<Option<(Vec<u8>, i64)>> {
        let row: Option<(Vec<u8>, i64)> = on_pool!(self, pool => {
            sqlx::query_as(&pool.sql("SELECT body, expires_ms FROM response_cache WHERE namespace = $1 AND \"key\" = $2 AND expires_ms > $3")?)
                .bind(namespace)
                .bind(key)
                .bind(now_ms)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|(body, expires_ms)| (body, expires_ms - now_ms)))
    }

    /// Keeps a body under `namespace` and `key` until `expires_ms`, replacing an earlier one.
    pub async fn cache_response(
        &self,
        namespace: &str,
        key: &str,
        body: &[u8],
        now_ms: i64,
        expires_ms: i64,
    ) -> Result<()> {
        on_pool!(self, pool => {
            sqlx::query(&pool.sql("INSERT INTO response_cache (namespace, \"key\", api, body, stored_ms, expires_ms) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (namespace, \"key\") DO UPDATE SET api = excluded.api, body = excluded.body, \
                 stored_ms = excluded.stored_ms, expires_ms = excluded.expires_ms")?,
            )
            .bind(namespace)
            .bind(key)
            .bind(api_of(key))
            .bind(body)
            .bind(now_ms)
            .bind(expires_ms)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Forgets one cached answer.
    pub async fn forget_response(&self, namespace: &str, key: &str) -> Result<()> {
        on_pool!(self, pool => {
            sqlx::query(&pool.sql("DELETE FROM response_cache WHERE namespace = $1 AND \"key\" = $2")?)
                .bind(namespace)
                .bind(key)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Deletes cached answers: every one, or (with `expired_only`) those past their TTL at
    /// `now_ms`. Returns how many went.
    pub async fn clear_response_cache(&self, expired_only: bool, now_ms: i64) -> Result<u64> {
        let cutoff = if expired_only { now_ms } else { i64::MAX };
        let done = on_pool!(self, pool => {
            sqlx::query(&pool.sql("DELETE FROM response_cache WHERE expires_ms <= $1")?).bind(cutoff).execute(pool).await?.rows_affected()
        });
        Ok(done)
    }

    /// What the response cache holds at `now_ms`, over every namespace.
    pub async fn response_cache_stats(&self, now_ms: i64) -> Result<CacheStats> {
        // Per API: all rows, their bytes, fresh rows, fresh bytes, the oldest fresh row.
        type Row = (String, i64, i64, i64, i64, Option<i64>);
        let rows: Vec<Row> = on_pool!(self, pool => {
            sqlx::query_as(&pool.sql("SELECT api, CAST(COUNT(*) AS BIGINT), CAST(SUM(LENGTH(body)) AS BIGINT), \
                 CAST(SUM(CASE WHEN expires_ms > $1 THEN 1 ELSE 0 END) AS BIGINT), \
                 CAST(SUM(CASE WHEN expires_ms > $2 THEN LENGTH(body) ELSE 0 END) AS BIGINT), \
                 MIN(CASE WHEN expires_ms > $3 THEN stored_ms END) \
                 FROM response_cache GROUP BY api")?,
            )
            .bind(now_ms)
            .bind(now_ms)
            .bind(now_ms)
            .fetch_all(pool)
            .await?
        });
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        let mut stats = CacheStats::default();
        for (api, entries, bytes, fresh, fresh_bytes, oldest) in rows {
            stats.bytes += count(bytes);
            stats.fresh += count(fresh);
            stats.expired += count(entries - fresh);
            if let Some(stored) = oldest {
                stats.oldest_fresh_age_ms = stats.oldest_fresh_age_ms.max(Some(now_ms - stored));
                stats.by_api.push(ApiCount { api, entries: count(fresh), bytes: count(fresh_bytes) });
            }
        }
        stats.by_api.sort_by(|a, b| b.entries.cmp(&a.entries).then_with(|| a.api.cmp(&b.api)));
        Ok(stats)
    }
}

/// The store as the client's second cache level, for one namespace (an app key on one gateway).
/// A store that fails is a miss, logged, never an error: the call then goes to the gateway.
#[derive(Debug)]
pub struct StoreCache {
    store: Arc<SqlStore>,
    namespace: String,
    writes: AtomicU64,
}

impl StoreCache {
    /// The cache of `namespace` in `store`. Answers of different namespaces never mix, so name
    /// the app key and the gateway it talks to.
    pub fn new(store: Arc<SqlStore>, namespace: impl Into<String>) -> Self {
        Self { store, namespace: namespace.into(), writes: AtomicU64::new(0) }
    }
}

#[async_trait]
impl ResponseCache for StoreCache {
    async fn get(&self, key: &str) -> Option<Bytes> {
        self.get_with_ttl(key).await.map(|(body, _)| body)
    }

    async fn put(&self, key: &str, value: Bytes, ttl: Duration) {
        let now = now_ms();
        let ttl_ms = i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX);
        let expires = now.saturating_add(ttl_ms);
        if let Err(e) = self.store.cache_response(&self.namespace, key, &value, now, expires).await {
            tracing::warn!(error = %e, "could not keep an answer in the store's cache");
            return;
        }
        if self.writes.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == 0
            && let Err(e) = self.store.clear_response_cache(true, now).await
        {
            tracing::warn!(error = %e, "could not prune expired cached answers");
        }
    }

    async fn remove(&self, key: &str) {
        if let Err(e) = self.store.forget_response(&self.namespace, key).await {
            tracing::warn!(error = %e, "could not forget a cached answer");
        }
    }
}

#[async_trait]
impl SecondLevelCache for StoreCache {
    async fn get_with_ttl(&self, key: &str) -> Option<(Bytes, Duration)> {
        match self.store.cached_response(&self.namespace, key, now_ms()).await {
            Ok(found) => found
                .map(|(body, left_ms)| (Bytes::from(body), Duration::from_millis(u64::try_from(left_ms).unwrap_or(0)))),
            Err(e) => {
                tracing::warn!(error = %e, "could not read the store's cache");
                None
            }
        }
    }
}
