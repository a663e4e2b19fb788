//! Two cache levels: the process's own memory in front of a cache that outlives the process or
//! is shared with other processes (Redis, or the SQLite store when there is no Redis).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;

use crate::cache::{MemoryCache, ResponseCache};

/// A cache behind the in-memory one that can say how long an answer has left to live, so that
/// a copy kept in memory never outlives the TTL the answer was first stored with.
#[async_trait]
pub trait SecondLevelCache: ResponseCache {
    /// The body and its remaining time to live, if present and fresh. A level that cannot be
    /// reached answers `None` (a miss), never an error: a cache only ever saves calls.
    async fn get_with_ttl(&self, key: &str) -> Option<(Bytes, Duration)>;
}

/// The process's memory first (L1), then a second level (L2). An L2 hit is copied into L1 for
/// the rest of its TTL.
#[derive(Debug, Clone)]
pub struct TieredCache {
    l1: MemoryCache,
    l2: Arc<dyn SecondLevelCache>,
}

impl TieredCache {
    /// L1 in memory over `l2`.
    pub fn new(l1: MemoryCache, l2: Arc<dyn SecondLevelCache>) -> Self {
        Self { l1, l2 }
    }
}

#[async_trait]
impl ResponseCache for TieredCache {
    async fn get(&self, key: &str) -> Option<Bytes> {
        if let Some(body) = self.l1.get(key).await {
            return Some(body);
        }
        let (body, ttl) = self.l2.get_with_ttl(key).await?;
        metrics::counter!("open1688_cache_l2_hits_total").increment(1);
        self.l1.put(key, body.clone(), ttl).await;
        Some(body)
    }

    async fn put(&self, key: &str, value: Bytes, ttl: Duration) {
        self.l1.put(key, value.clone(), ttl).await;
        self.l2.put(key, value, ttl).await;
    }

    async fn remove(&self, key: &str) {
        self.l1.remove(key).await;
        self.l2.remove(key).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A second level that remembers what it holds and the TTL left, in memory.
    #[derive(Debug, Default)]
    struct Recorded(std::sync::Mutex<std::collections::HashMap<String, (Bytes, Duration)>>);

    #[async_trait]
    impl ResponseCache for Recorded {
        async fn get(&self, key: &str) -> Option<Bytes> {
            self.get_with_ttl(key).await.map(|(b, _)| b)
        }
        async fn put(&self, key: &str, value: Bytes, ttl: Duration) {
            self.0.lock().unwrap().insert(key.into(), (value, ttl));
        }
        async fn remove(&self, key: &str) {
            self.0.lock().unwrap().remove(key);
        }
    }

    #[async_trait]
    impl SecondLevelCache for Recorded {
        async fn get_with_ttl(&self, key: &str) -> Option<(Bytes, Duration)> {
            self.0.lock().unwrap().get(key).cloned()
        }
    }

    #[tokio::test]
    async fn a_second_level_hit_is_kept_in_memory_only_for_the_ttl_it_has_left() {
        let l2 = Arc::new(Recorded::default());
        l2.put("k", Bytes::from_static(b"v"), Duration::from_millis(60)).await;
        let tiered = TieredCache::new(MemoryCache::new(1 << 20), l2.clone());
        assert_eq!(tiered.get("k").await.as_deref(), Some(&b"v"[..]));
        l2.remove("k").await;
        assert!(tiered.get("k").await.is_some(), "now served from memory");
        tokio::time::sleep(Duration::from_millis(150)).await;
        assert!(tiered.get("k").await.is_none(), "the memory copy expired with the L2 TTL");
    }

    #[tokio::test]
    async fn writes_and_removals_reach_both_levels() {
        let l2 = Arc::new(Recorded::default());
        let tiered = TieredCache::new(MemoryCache::new(1 << 20), l2.clone());
        tiered.put("k", Bytes::from_static(b"v"), Duration::from_secs(60)).await;
        assert!(l2.get("k").await.is_some());
        tiered.remove("k").await;
        assert!(l2.get("k").await.is_none() && tiered.get("k").await.is_none());
    }
}
