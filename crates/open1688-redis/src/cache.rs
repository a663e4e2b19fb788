//! The Redis L2 cache and the two-level cache the client uses when `REDIS_URL` is set.

use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use open1688::{MemoryCache, ResponseCache};

use super::RedisBackend;

/// Keys live under this prefix; the version changes if the cached format ever does.
const PREFIX: &str = "open1688:cache:v1:";

/// Response bodies in Redis, each with its own TTL (`SET … PX`), shared by every process of one
/// app key. Keys are namespaced by the app key: two apps on one Redis never read each other's
/// answers (they may differ by the authorized member).
#[derive(Debug, Clone)]
pub struct RedisCache {
    backend: RedisBackend,
    namespace: String,
}

impl RedisCache {
    /// The cache of `app_key` on `backend`.
    pub fn new(backend: RedisBackend, app_key: &str) -> Self {
        Self { backend, namespace: format!("{PREFIX}{app_key}:") }
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.namespace)
    }

    /// The body and its remaining time to live, if present; `None` also when Redis is down.
    pub async fn get_with_ttl(&self, key: &str) -> Option<(Bytes, Duration)> {
        let key = self.key(key);
        let found = self
            .backend
            .run(|mut c| async move {
                redis::pipe().get(&key).pttl(&key).query_async::<(Option<Vec<u8>>, i64)>(&mut c).await
            })
            .await
            .ok()?;
        match found {
            // PTTL is -1 for a key without expiry (not ours) and -2 when it vanished in between.
            (Some(body), ttl_ms) if ttl_ms > 0 => Some((Bytes::from(body), Duration::from_millis(ttl_ms as u64))),
            _ => None,
        }
    }
}

#[async_trait]
impl ResponseCache for RedisCache {
    async fn get(&self, key: &str) -> Option<Bytes> {
        self.get_with_ttl(key).await.map(|(body, _)| body)
    }

    async fn put(&self, key: &str, value: Bytes, ttl: Duration) {
        let key = self.key(key);
        let ttl_ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
        let _ = self
            .backend
            .run(|mut c| async move {
                redis::cmd("SET").arg(&key).arg(value.as_ref()).arg("PX").arg(ttl_ms).query_async::<()>(&mut c).await
            })
            .await;
    }

    async fn remove(&self, key: &str) {
        let key = self.key(key);
        let _ =
            self.backend.run(|mut c| async move { redis::cmd("DEL").arg(&key).query_async::<()>(&mut c).await }).await;
    }
}

/// The process's own memory first (L1), then Redis (L2). An L2 hit is copied into L1 for the
/// rest of its TTL, so an answer never outlives the TTL it was first stored with.
#[derive(Debug, Clone)]
pub struct TieredCache {
    l1: MemoryCache,
    l2: RedisCache,
}

impl TieredCache {
    /// L1 in memory over L2 in Redis.
    pub fn new(l1: MemoryCache, l2: RedisCache) -> Self {
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
