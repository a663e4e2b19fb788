//! Metric names. Install any `metrics` recorder (Prometheus, statsd, …) to collect them.

/// Counter of finished attempts, labelled `api` and `outcome` (`ok`, or an error class).
pub const CALLS_TOTAL: &str = "open1688_calls_total";
/// Histogram of attempt latency in seconds, labelled `api`.
pub const CALL_DURATION_SECONDS: &str = "open1688_call_duration_seconds";
/// Counter of retries, labelled `api` and `class`.
pub const RETRIES_TOTAL: &str = "open1688_retries_total";
/// Histogram of time spent waiting for the rate limiter, in seconds, labelled `api`.
pub const LIMITER_WAIT_SECONDS: &str = "open1688_limiter_wait_seconds";
/// Counter of token refreshes, labelled `outcome` (`ok` or `error`).
pub const TOKEN_REFRESHES_TOTAL: &str = "open1688_token_refreshes_total";

/// Counter: cache lookups by `api`, `kind` and `result` (`hit` or `miss`).
pub const CACHE_REQUESTS_TOTAL: &str = "open1688_cache_requests_total";
