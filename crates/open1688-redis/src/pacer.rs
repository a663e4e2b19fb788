//! Pacing under a name shared through Redis: the per-key request rates and gateway-call shares of
//! a fleet of services, so a key gets its documented rate across every instance together, not
//! once per instance.

use std::num::NonZeroU32;
use std::time::Duration;

use async_trait::async_trait;
use open1688::limiter::{SharedLimiterUnavailable, SharedPacer};

use super::RedisBackend;

/// One GCRA reservation with a patience, atomically and on Redis's clock. Returns `{1, wait}`
/// when the departure is reserved `wait` µs from now, `{0, retry_after}` when it would wait
/// longer than the patience (nothing written). Times are integers in strings so Lua's doubles
/// never print them in exponent form.
const RESERVE: &str = r"
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval, tolerance, patience = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local current = math.max(tonumber(redis.call('GET', KEYS[1])) or now, now)
local departure = math.max(now, current - tolerance)
local wait = departure - now
if wait > patience then
  return {0, wait - patience}
end
local tat = current + interval
redis.call('SET', KEYS[1], string.format('%.0f', tat), 'PX', math.floor((tat - now) / 1000) + 1000)
return {1, wait}
";

/// A [`SharedPacer`] in Redis; names live under `open1688:pace:{namespace}:`.
#[derive(Debug, Clone)]
pub struct RedisPacer {
    backend: RedisBackend,
    namespace: String,
    script: redis::Script,
}

impl RedisPacer {
    /// A pacer whose names are kept apart from other deployments' by `namespace` (the app key:
    /// not secret).
    pub fn new(backend: RedisBackend, namespace: impl Into<String>) -> Self {
        Self { backend, namespace: namespace.into(), script: redis::Script::new(RESERVE) }
    }
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

#[async_trait]
impl SharedPacer for RedisPacer {
    async fn reserve(
        &self,
        name: &str,
        interval: Duration,
        burst: NonZeroU32,
        patience: Duration,
    ) -> Result<Result<Duration, Duration>, SharedLimiterUnavailable> {
        let key = format!("open1688:pace:{}:{name}", self.namespace);
        let interval_us = micros(interval).max(1);
        let tolerance_us = interval_us.saturating_mul(u64::from(burst.get() - 1));
        let (reserved, us) = self
            .backend
            .run(|mut c| async move {
                self.script
                    .key(key)
                    .arg(interval_us)
                    .arg(tolerance_us)
                    .arg(micros(patience))
                    .invoke_async::<(i64, i64)>(&mut c)
                    .await
            })
            .await
            .map_err(|reason| SharedLimiterUnavailable { reason })?;
        let time = Duration::from_micros(u64::try_from(us).unwrap_or(0));
        Ok(if reserved == 1 { Ok(time) } else { Err(time) })
    }
}
