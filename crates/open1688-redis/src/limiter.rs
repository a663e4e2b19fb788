//! GCRA rate limiting shared through Redis: one Lua script reserves a departure time for a call
//! against the app's and the API's theoretical arrival times, atomically and on Redis's clock,
//! so processes on different machines pace as one.

use std::num::NonZeroU32;
use std::time::Duration;

use async_trait::async_trait;
use open1688::limiter::{RateLimits, SharedLimiterUnavailable, SharedRateLimiter};

use super::RedisBackend;

/// The same reservation as the SDK's local GCRA, applied to the API's pacer and then the app's.
/// Times are microseconds on Redis's clock, kept as integers in strings so Lua's doubles never
/// print them in exponent form.
/// Redis before 5 must be told to replicate the writes rather than the script (which reads TIME);
/// later versions always do and keep the call as a no-op.
const RESERVE: &str = r"
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local function reserve(key, interval, tolerance, not_before)
  local current = tonumber(redis.call('GET', key)) or not_before
  local departure = math.max(not_before, current - tolerance)
  local tat = math.max(current, departure) + interval
  redis.call('SET', key, string.format('%.0f', tat), 'PX', math.floor((tat - now) / 1000) + 1000)
  return departure
end
local api_slot = reserve(KEYS[2], tonumber(ARGV[3]), tonumber(ARGV[4]), now)
local departure = reserve(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), api_slot)
return departure - now
";

/// A [`SharedRateLimiter`] in Redis for one app key: every process built with the same key and
/// Redis shares its per-app and per-API pacing.
#[derive(Debug, Clone)]
pub struct RedisRateLimiter {
    backend: RedisBackend,
    app_key: String,
    script: redis::Script,
}

impl RedisRateLimiter {
    /// A limiter for `app_key` (not secret; it names the Redis keys).
    pub fn new(backend: RedisBackend, app_key: impl Into<String>) -> Self {
        Self { backend, app_key: app_key.into(), script: redis::Script::new(RESERVE) }
    }
}

/// (interval, tolerance) in microseconds for `qps` with `burst` calls back to back.
fn pacing(qps: NonZeroU32, burst: NonZeroU32) -> (u64, u64) {
    let interval = 1_000_000 / u64::from(qps.get());
    (interval, interval * u64::from(burst.get() - 1))
}

#[async_trait]
impl SharedRateLimiter for RedisRateLimiter {
    async fn reserve(&self, api: &str, limits: &RateLimits) -> Result<Duration, SharedLimiterUnavailable> {
        let (app_interval, app_tolerance) = pacing(limits.app_qps, limits.app_burst);
        let api_qps = limits.api_overrides.get(api).copied().unwrap_or(limits.api_qps);
        let (api_interval, api_tolerance) = pacing(api_qps, NonZeroU32::MIN);
        let app_key = format!("open1688:rate:{}:app", self.app_key);
        let api_key = format!("open1688:rate:{}:api:{api}", self.app_key);
        let wait_us = self
            .backend
            .run(|mut c| async move {
                self.script
                    .key(app_key)
                    .key(api_key)
                    .arg(app_interval)
                    .arg(app_tolerance)
                    .arg(api_interval)
                    .arg(api_tolerance)
                    .invoke_async::<i64>(&mut c)
                    .await
            })
            .await
            .map_err(|reason| SharedLimiterUnavailable { reason })?;
        Ok(Duration::from_micros(u64::try_from(wait_us).unwrap_or(0)))
    }
}
