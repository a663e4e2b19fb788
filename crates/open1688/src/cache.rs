//! Response caching with a TTL per kind of data. Keys are the API and its business parameters
//! only (never the signature, token or timestamp), so every caller of the same question shares
//! the answer; concurrent identical calls wait for the first one instead of calling again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use bytes::Bytes;
use moka::Expiry;
use open1688_types::{ApiId, Params};

/// Where cached answers live (memory here; Redis in the store crate).
#[async_trait]
pub trait ResponseCache: Send + Sync + std::fmt::Debug {
    /// The cached body for a key, if fresh.
    async fn get(&self, key: &str) -> Option<Bytes>;
    /// Stores a body for `ttl`.
    async fn put(&self, key: &str, value: Bytes, ttl: Duration);
    /// Forgets a key.
    async fn remove(&self, key: &str);
}

/// How long each kind of answer stays fresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheTtls {
    /// Offer fields that rarely change (titles, images, attributes; image uploads by content).
    pub offer_static: Duration,
    /// Prices and stock: offer details carry them, so details use this TTL.
    pub price_and_stock: Duration,
    /// Supplier and member profiles.
    pub supplier: Duration,
    /// Search and listing pages.
    pub search: Duration,
}

impl Default for CacheTtls {
    fn default() -> Self {
        Self {
            offer_static: Duration::from_secs(24 * 3600),
            price_and_stock: Duration::from_secs(3600),
            supplier: Duration::from_secs(7 * 24 * 3600),
            search: Duration::from_secs(600),
        }
    }
}

impl CacheTtls {
    /// The TTL for an API's answers; `None` for APIs that are never cached (OAuth, server time,
    /// owner-scoped product APIs whose answer depends on the token's member).
    pub fn for_api(&self, api: &ApiId) -> Option<(&'static str, Duration)> {
        match api.name.as_ref() {
            "product.search.keywordQuery" | "product.search.imageQuery" | "product.search.querySellerOfferList" => {
                Some(("search", self.search))
            }
            "product.search.queryProductDetail" => Some(("offer", self.price_and_stock)),
            "product.image.upload" => Some(("image", self.offer_static)),
            "alibaba.account.agent.crossBasic" => Some(("supplier", self.supplier)),
            _ => None,
        }
    }
}

/// The cache key of a call: API id and business parameters in wire form.
pub fn cache_key(api: &ApiId, params: &Params) -> String {
    let mut pairs: Vec<(&str, &str)> = params.iter().collect();
    pairs.sort_unstable();
    let mut key = api.to_string();
    for (k, v) in pairs {
        key.push('\u{1f}');
        key.push_str(k);
        key.push('=');
        key.push_str(v);
    }
    key
}

#[derive(Clone)]
struct Entry {
    body: Bytes,
    ttl: Duration,
}

struct PerEntryTtl;

impl Expiry<String, Entry> for PerEntryTtl {
    fn expire_after_create(&self, _key: &String, value: &Entry, _now: Instant) -> Option<Duration> {
        Some(value.ttl)
    }
}

/// An in-memory cache (moka), bounded by total bytes.
#[derive(Clone)]
pub struct MemoryCache {
    inner: moka::future::Cache<String, Entry>,
}

impl std::fmt::Debug for MemoryCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryCache").field("entries", &self.inner.entry_count()).finish()
    }
}

impl MemoryCache {
    /// A cache holding at most `max_bytes` of response bodies.
    pub fn new(max_bytes: u64) -> Self {
        let inner = moka::future::Cache::builder()
            .max_capacity(max_bytes)
            .weigher(|k: &String, v: &Entry| u32::try_from(k.len() + v.body.len()).unwrap_or(u32::MAX))
            .expire_after(PerEntryTtl)
            .build();
        Self { inner }
    }
}

impl Default for MemoryCache {
    /// 256 MB.
    fn default() -> Self {
        Self::new(256 * 1024 * 1024)
    }
}

#[async_trait]
impl ResponseCache for MemoryCache {
    async fn get(&self, key: &str) -> Option<Bytes> {
        self.inner.get(key).await.map(|e| e.body)
    }

    async fn put(&self, key: &str, value: Bytes, ttl: Duration) {
        self.inner.insert(key.to_owned(), Entry { body: value, ttl }).await;
    }

    async fn remove(&self, key: &str) {
        self.inner.invalidate(key).await;
    }
}

/// How one cacheable call was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CacheOutcome {
    /// From the cache.
    Hit,
    /// Not cached yet (or expired): fetched and stored.
    Miss,
    /// The caller asked for a fresh answer ([`crate::Client::fresh`]): fetched and stored.
    Fresh,
}

impl CacheOutcome {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::Hit => "hit",
            Self::Miss => "miss",
            Self::Fresh => "fresh",
        }
    }
}

/// Counts of cacheable calls by how they were answered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct CacheCounts {
    /// Answered from the cache.
    pub hits: u64,
    /// Fetched because nothing fresh was cached.
    pub misses: u64,
    /// Fetched because the caller asked for fresh data.
    pub fresh: u64,
}

impl CacheCounts {
    /// Hits over cache lookups (fresh reads do not look); `None` before any lookup.
    pub fn hit_rate(&self) -> Option<f64> {
        let lookups = self.hits + self.misses;
        (lookups > 0).then(|| self.hits as f64 / lookups as f64)
    }
}

#[derive(Debug, Default)]
pub(crate) struct CacheCounters {
    hits: std::sync::atomic::AtomicU64,
    misses: std::sync::atomic::AtomicU64,
    fresh: std::sync::atomic::AtomicU64,
}

impl CacheCounters {
    pub(crate) fn add(&self, outcome: CacheOutcome) {
        let counter = match outcome {
            CacheOutcome::Hit => &self.hits,
            CacheOutcome::Miss => &self.misses,
            CacheOutcome::Fresh => &self.fresh,
        };
        counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> CacheCounts {
        use std::sync::atomic::Ordering::Relaxed;
        CacheCounts {
            hits: self.hits.load(Relaxed),
            misses: self.misses.load(Relaxed),
            fresh: self.fresh.load(Relaxed),
        }
    }
}

/// Per-key locks so identical concurrent calls make one gateway call.
#[derive(Default)]
pub(crate) struct InFlight {
    locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl InFlight {
    pub(crate) fn lock_for(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.locks.lock().unwrap_or_else(|e| e.into_inner());
        locks.entry(key.to_owned()).or_default().clone()
    }

    pub(crate) fn release(&self, key: &str, lock: Arc<tokio::sync::Mutex<()>>) {
        let mut locks = self.locks.lock().unwrap_or_else(|e| e.into_inner());
        // Two references: the map's and ours. Nobody else waits, so the entry can go.
        if Arc::strong_count(&lock) <= 2 {
            locks.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn entries_expire_after_their_own_ttl() {
        let cache = MemoryCache::new(1 << 20);
        cache.put("short", Bytes::from_static(b"a"), Duration::from_millis(50)).await;
        cache.put("long", Bytes::from_static(b"b"), Duration::from_secs(60)).await;
        assert!(cache.get("short").await.is_some());
        tokio::time::sleep(Duration::from_millis(120)).await;
        assert!(cache.get("short").await.is_none());
        assert_eq!(cache.get("long").await.as_deref(), Some(&b"b"[..]));
    }

    #[test]
    fn keys_ignore_parameter_order_and_name_the_api() {
        let api = ApiId::new("ns", "x", 1);
        let mut a = Params::new();
        a.set_raw("b", "2").set_raw("a", "1");
        let mut b = Params::new();
        b.set_raw("a", "1").set_raw("b", "2");
        assert_eq!(cache_key(&api, &a), cache_key(&api, &b));
        assert!(cache_key(&api, &a).starts_with("ns:x-1"));
    }
}
