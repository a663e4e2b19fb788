//! The Redis L2 cache the client puts under its memory ([`open1688::TieredCache`]) when
//! `REDIS_URL` is set.

use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use open1688::{ResponseCache, SecondLevelCache};

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
}

#[async_trait]
impl SecondLevelCache for RedisCache {
    /// The body and its remaining time to live, if present; `None` also when Redis is down.
    async fn get_with_ttl(&self, key: &str) -> Option<(Bytes, Duration)> {
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
