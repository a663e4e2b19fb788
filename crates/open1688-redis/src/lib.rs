//! Redis shared by several processes on one app key: an L2 response cache under each process's
//! in-memory L1 ([`open1688::TieredCache`]), a GCRA rate limiter run as a Lua script
//! ([`RedisRateLimiter`]) and the same pacing under a name for per-key limits ([`RedisPacer`]).
//!
//! Redis is an accelerator, never a dependency: when it stops answering, [`RedisBackend`] logs
//! the outage once, callers fall back to their local cache and limiter, and Redis is tried again
//! after a back-off (1 s doubling to 30 s) until it answers and the recovery is logged.

mod cache;
mod limiter;
mod pacer;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

pub use cache::RedisCache;
pub use limiter::RedisRateLimiter;
pub use pacer::RedisPacer;

/// Redis could not be set up from its URL.
#[derive(Debug, thiserror::Error)]
#[error("REDIS_URL is not a usable Redis address ({reason}); expected redis://host:port[/db]")]
pub struct RedisUrlError {
    reason: String,
}

const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(30);
const TIMEOUT: Duration = Duration::from_millis(500);

/// Whether Redis is answering, and when to try again if not.
#[derive(Debug, Default)]
struct Health {
    outage: Option<Outage>,
}

#[derive(Debug)]
struct Outage {
    since: Instant,
    retry_at: Instant,
    backoff: Duration,
}

/// One Redis connection (multiplexed, reconnecting) with outage tracking, shared by the cache
/// and the limiter.
#[derive(Clone)]
pub struct RedisBackend {
    conn: ConnectionManager,
    /// The address without credentials, for logs.
    address: String,
    health: std::sync::Arc<Mutex<Health>>,
}

impl std::fmt::Debug for RedisBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisBackend").field("address", &self.address).finish_non_exhaustive()
    }
}

impl RedisBackend {
    /// A backend for `url` (`redis://[user:password@]host:port[/db]`). Connects lazily, so a
    /// Redis that is down now does not stop the caller from starting.
    pub fn open(url: &str) -> Result<Self, RedisUrlError> {
        let client = redis::Client::open(url).map_err(|e| RedisUrlError { reason: e.to_string() })?;
        let address = client.get_connection_info().addr().to_string();
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(TIMEOUT))
            .set_response_timeout(Some(TIMEOUT))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(200));
        let conn = ConnectionManager::new_lazy_with_config(client, config)
            .map_err(|e| RedisUrlError { reason: e.to_string() })?;
        Ok(Self { conn, address, health: Default::default() })
    }

    /// The Redis address (no credentials).
    pub fn address(&self) -> &str {
        &self.address
    }

    /// Whether Redis answered the last time it was asked.
    pub fn is_up(&self) -> bool {
        self.lock_health().outage.is_none()
    }

    fn lock_health(&self) -> std::sync::MutexGuard<'_, Health> {
        self.health.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A connection, unless Redis is down and not due for another try.
    fn connection(&self) -> Option<ConnectionManager> {
        match &self.lock_health().outage {
            Some(outage) if Instant::now() < outage.retry_at => None,
            _ => Some(self.conn.clone()),
        }
    }

    /// Runs one Redis operation; `Err` carries the failure (already logged if it began an
    /// outage) so the caller can fall back.
    async fn run<T, F, Fut>(&self, op: F) -> Result<T, String>
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: std::future::Future<Output = redis::RedisResult<T>>,
    {
        let Some(conn) = self.connection() else {
            return Err(format!("Redis at {} is down; retrying later", self.address));
        };
        match tokio::time::timeout(TIMEOUT * 2, op(conn)).await {
            Ok(Ok(value)) => {
                self.succeeded();
                Ok(value)
            }
            Ok(Err(e)) => Err(self.failed(&e.to_string())),
            Err(_) => Err(self.failed("no answer in time")),
        }
    }

    fn succeeded(&self) {
        let mut health = self.lock_health();
        if let Some(outage) = health.outage.take() {
            tracing::info!(
                redis = %self.address,
                down_for_s = outage.since.elapsed().as_secs(),
                "Redis is back; the shared cache and rate limiter are in use again"
            );
        }
    }

    fn failed(&self, reason: &str) -> String {
        let now = Instant::now();
        let mut health = self.lock_health();
        match &mut health.outage {
            None => {
                tracing::warn!(
                    redis = %self.address,
                    error = reason,
                    "Redis is unreachable; using the local cache and rate limiter until it is back"
                );
                health.outage = Some(Outage { since: now, retry_at: now + FIRST_BACKOFF, backoff: FIRST_BACKOFF });
            }
            Some(outage) => {
                outage.backoff = (outage.backoff * 2).min(MAX_BACKOFF);
                outage.retry_at = now + outage.backoff;
            }
        }
        format!("Redis at {}: {reason}", self.address)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked_and_the_address_hides_the_password() {
        let backend = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async { RedisBackend::open("redis://user:hunter2@127.0.0.1:6399/2").unwrap() });
        assert_eq!(backend.address(), "127.0.0.1:6399");
        assert!(!format!("{backend:?}").contains("hunter2"));
        let err = RedisBackend::open("http://example.com").unwrap_err();
        assert!(err.to_string().contains("REDIS_URL"), "{err}");
    }

    #[tokio::test]
    async fn an_unreachable_redis_fails_fast_and_backs_off() {
        // Nothing listens on port 1.
        let backend = RedisBackend::open("redis://127.0.0.1:1").unwrap();
        let started = Instant::now();
        let first = backend.run(|mut c| async move { redis::cmd("PING").query_async::<String>(&mut c).await }).await;
        assert!(first.is_err() && !backend.is_up());
        // During the back-off Redis is not even asked.
        let second = backend.run(|mut c| async move { redis::cmd("PING").query_async::<String>(&mut c).await }).await;
        assert!(second.unwrap_err().contains("retrying later"));
        assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    }
}
