//! [`Client`]: rate-limited, retried, signed calls to the gateway.

use std::sync::Arc;
use std::time::{Duration, Instant};

use open1688_types::api::system::{CURRENT_TIME_MILLIS, CurrentTimeMillis};
use open1688_types::{ApiId, ApiRequest, ApiResponse, Params};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use tracing::{Instrument, field};
use url::Url;

use crate::cache::{CacheCounters, CacheCounts, CacheOutcome, CacheTtls, InFlight, ResponseCache, cache_key};
use crate::clock::ServerClock;
use crate::error::{Error, Result};
use crate::limiter::QuotaGate;
use crate::retry::{ErrorClass, RetryBudget, RetryPolicy};
use crate::telemetry;
use crate::token_state::TokenState;
use crate::transport::{self, AttemptAuth};

/// A client for one app key. Cheap to clone; clones share limits, tokens and the clock.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
    /// Skip cached answers (fresh ones are still stored).
    bypass_cache: bool,
}

pub(crate) struct Inner {
    pub app_key: String,
    pub app_secret: SecretString,
    pub endpoint: Url,
    pub authorize_url: String,
    pub http: reqwest::Client,
    pub gate: QuotaGate,
    pub retry: RetryPolicy,
    pub budget: RetryBudget,
    pub clock: ServerClock,
    pub clock_sync: tokio::sync::OnceCell<()>,
    pub sync_clock: bool,
    pub send_timestamp: bool,
    pub allow_private_image_urls: bool,
    pub request_timeout: Duration,
    pub tokens: TokenState,
    pub cache: Option<Arc<dyn ResponseCache>>,
    pub cache_ttls: CacheTtls,
    pub in_flight: InFlight,
    pub cache_counts: CacheCounters,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("app_key", &self.inner.app_key)
            .field("app_secret", &"<redacted>")
            .field("endpoint", &self.inner.endpoint.as_str())
            .finish_non_exhaustive()
    }
}

/// How one call is made, whatever its typed request.
#[derive(Clone, Copy)]
struct CallSpec<'a> {
    api: &'a ApiId,
    params: &'a Params,
    needs_token: bool,
    sign: bool,
    /// Whether a second attempt after an unclear failure is harmless (see
    /// `ApiRequest::repeatable`).
    repeatable: bool,
}

impl Client {
    /// A client over `inner` (built by [`crate::ClientBuilder`]).
    pub(crate) fn from_inner(inner: Inner) -> Self {
        Self { inner: Arc::new(inner), bypass_cache: false }
    }

    /// The app key.
    pub fn app_key(&self) -> &str {
        &self.inner.app_key
    }

    /// The gateway base URL.
    pub fn endpoint(&self) -> &Url {
        &self.inner.endpoint
    }

    /// Whether the endpoint is 1688's own gateway. Any other endpoint is a sandbox or a stand-in,
    /// whose offers, prices and suppliers are simulated, and every surface says so.
    pub fn on_platform(&self) -> bool {
        crate::platform::on_1688(&self.inner.endpoint)
    }

    /// The gateway clock as this client sees it.
    pub fn clock(&self) -> &ServerClock {
        &self.inner.clock
    }

    /// The limiter (for its limits and the calls left today).
    pub fn quota(&self) -> &QuotaGate {
        &self.inner.gate
    }

    /// This client, reading nothing from the cache (answers are still stored): for when the
    /// data must be current.
    pub fn fresh(&self) -> Client {
        Client { inner: self.inner.clone(), bypass_cache: true }
    }

    /// Calls a typed API request, answering from the cache when the API is cacheable.
    pub async fn execute<R: ApiRequest>(&self, request: &R) -> Result<R::Output> {
        let api = request.api();
        let params = request.params().map_err(|source| Error::Encode { api: api.to_string(), source })?;
        let spec = CallSpec {
            api: &api,
            params: &params,
            needs_token: request.needs_access_token(),
            sign: request.needs_signature(),
            repeatable: request.repeatable(),
        };
        let cached = self.inner.cache.as_ref().zip(self.inner.cache_ttls.for_api(&api));
        let Some((cache, (kind, ttl))) = cached else { return self.send(spec).await };
        let key = cache_key(&api, &params);
        let label = api.to_string();
        if let Some(hit) = self.cached::<R::Output>(cache.as_ref(), &key).await {
            self.count_cache(label, kind, CacheOutcome::Hit);
            return Ok(hit);
        }
        // One caller fetches; identical concurrent callers wait and then read its answer.
        let lock = self.inner.in_flight.lock_for(&key);
        let guard = lock.lock().await;
        let result = match self.cached::<R::Output>(cache.as_ref(), &key).await {
            Some(hit) => {
                self.count_cache(label, kind, CacheOutcome::Hit);
                Ok(hit)
            }
            None => {
                let outcome = if self.bypass_cache { CacheOutcome::Fresh } else { CacheOutcome::Miss };
                self.count_cache(label, kind, outcome);
                let result = self.send(spec).await;
                if let Ok(value) = &result
                    && let Ok(body) = serde_json::to_vec(value)
                {
                    cache.put(&key, body.into(), ttl).await;
                }
                result
            }
        };
        drop(guard);
        self.inner.in_flight.release(&key, lock);
        result
    }

    fn count_cache(&self, api: String, kind: &'static str, outcome: CacheOutcome) {
        self.inner.cache_counts.add(outcome);
        metrics::counter!(telemetry::CACHE_REQUESTS_TOTAL, "api" => api, "kind" => kind, "result" => outcome.label())
            .increment(1);
    }

    /// How this client's cacheable calls were answered so far (all clones together).
    pub fn cache_counts(&self) -> CacheCounts {
        self.inner.cache_counts.snapshot()
    }

    async fn cached<T: DeserializeOwned>(&self, cache: &dyn ResponseCache, key: &str) -> Option<T> {
        if self.bypass_cache {
            return None;
        }
        let body = cache.get(key).await?;
        serde_json::from_slice(&body).ok()
    }

    /// Calls any API by namespace and name (version 1) with wire-string parameters, returning
    /// the JSON body. Business failures inside an HTTP 200 body are detected in every family's
    /// shape and returned as [`Error::Business`].
    pub async fn call(&self, namespace: &str, name: &str, params: Params) -> Result<serde_json::Value> {
        let api = ApiId::dynamic(namespace, name, 1);
        self.send(CallSpec { api: &api, params: &params, needs_token: true, sign: true, repeatable: true }).await
    }

    /// Measures the gateway clock offset with `system/currentTimeMillis` now.
    pub async fn sync_clock(&self) -> Result<i64> {
        let sent = chrono::Utc::now().timestamp_millis();
        let api = CurrentTimeMillis.api();
        let params = Params::new();
        let spec = CallSpec { api: &api, params: &params, needs_token: false, sign: false, repeatable: true };
        let time: <CurrentTimeMillis as ApiRequest>::Output = self.send_with_retries(spec).await?;
        let received = chrono::Utc::now().timestamp_millis();
        let server = time.0.ok_or_else(|| Error::Decode {
            api: api.to_string(),
            path: String::new(),
            message: "empty clock response".into(),
            category: crate::error::DecodeCategory::Shape,
            body: String::new(),
        })?;
        let offset = self.inner.clock.record(server, sent, received);
        tracing::debug!(offset_ms = offset, "gateway clock offset measured");
        Ok(offset)
    }

    /// Measures the clock once per client before the first call; a failure is logged, not fatal.
    async fn ensure_clock_synced(&self) {
        if !self.inner.sync_clock || self.inner.clock.is_synced() {
            return;
        }
        self.inner
            .clock_sync
            .get_or_init(|| async {
                if let Err(e) = Box::pin(self.sync_clock()).await {
                    tracing::warn!(error = %e, "could not measure the gateway clock; using the local clock");
                }
            })
            .await;
    }

    async fn send<T: DeserializeOwned + ApiResponse>(&self, spec: CallSpec<'_>) -> Result<T> {
        self.ensure_clock_synced().await;
        self.send_with_retries(spec).await
    }

    /// The retry loop: each attempt waits for the limiter, takes a fresh token, rebuilds and
    /// re-signs the form; failures are retried by class within attempts, deadline and budget.
    async fn send_with_retries<T: DeserializeOwned + ApiResponse>(&self, spec: CallSpec<'_>) -> Result<T> {
        let inner = &*self.inner;
        let policy = &inner.retry;
        let api_label = spec.api.to_string();
        let started = Instant::now();
        inner.budget.deposit();
        let mut attempt = 0u32;
        let mut retries = 0u32;
        let mut refreshed_after_rejection = false;
        let mut resynced_clock = false;
        loop {
            attempt += 1;
            let span = tracing::info_span!(
                "open1688.call",
                api = %api_label,
                attempt,
                status = field::Empty,
                outcome = field::Empty,
                latency_ms = field::Empty
            );
            let (result, used_token) = self.attempt::<T>(spec, &api_label).instrument(span).await;
            let err = match result {
                Ok(value) => return Ok(value),
                Err(e) => e,
            };
            let class = err.class();
            match class {
                ErrorClass::Fatal => return Err(err),
                // The gateway's clock moved away from ours since the last measurement (a long
                // run, a suspended laptop, a simulated clock): measure again and resend once.
                ErrorClass::ClockSkew if inner.sync_clock && !resynced_clock && spec.api != &CURRENT_TIME_MILLIS => {
                    resynced_clock = true;
                    tracing::info!(api = %api_label, "timestamp rejected; measuring the gateway clock again");
                    Box::pin(self.sync_clock()).await?;
                    continue;
                }
                ErrorClass::ClockSkew => return Err(err),
                ErrorClass::AuthExpired if spec.needs_token && !refreshed_after_rejection => {
                    refreshed_after_rejection = true;
                    tracing::info!(api = %api_label, "access token rejected; refreshing once");
                    self.inner.tokens.refresh_after_rejection(self, used_token.as_ref()).await?;
                    continue;
                }
                ErrorClass::AuthExpired => return Err(err),
                // A timeout or a server error may come after the platform acted: a request that
                // must not happen twice is not sent again.
                ErrorClass::Transient if !spec.repeatable => {
                    return Err(Error::Unconfirmed { api: api_label, last: Box::new(err) });
                }
                ErrorClass::Throttled | ErrorClass::Transient => {}
            }
            if policy.max_attempts <= 1 {
                return Err(err);
            }
            retries += 1;
            let delay = policy.delay(class, retries);
            let stop_reason = if attempt >= policy.max_attempts {
                Some("attempt limit reached")
            } else if started.elapsed() + delay > policy.total_deadline {
                Some("deadline reached")
            } else if !inner.budget.try_withdraw() {
                Some("retry budget spent")
            } else {
                None
            };
            if let Some(reason) = stop_reason {
                return Err(Error::RetriesExhausted { api: api_label, attempts: attempt, reason, last: Box::new(err) });
            }
            metrics::counter!(telemetry::RETRIES_TOTAL, "api" => api_label.clone(), "class" => class.as_str())
                .increment(1);
            tracing::warn!(api = %api_label, attempt, class = class.as_str(), delay_ms = delay.as_millis() as u64, error = %err, "retrying");
            tokio::time::sleep(delay).await;
        }
    }

    /// One attempt; returns the token it used so a 401 can be matched to it.
    async fn attempt<T: DeserializeOwned + ApiResponse>(
        &self,
        spec: CallSpec<'_>,
        api_label: &str,
    ) -> (Result<T>, Option<SecretString>) {
        let inner = &*self.inner;
        // The caller's share first: a caller that waits for its own share holds no place in the
        // app's pacing, so the others' calls go ahead of it.
        if let Err(e) = crate::call_share::spend_one(api_label).await {
            return (Err(e), None);
        }
        let waited = match inner.gate.acquire(api_label, inner.clock.now()).await {
            Ok(w) => w,
            Err(e) => return (Err(e), None),
        };
        metrics::histogram!(telemetry::LIMITER_WAIT_SECONDS, "api" => api_label.to_owned())
            .record(waited.as_secs_f64());
        let token = if spec.needs_token {
            match inner.tokens.access_token(self, spec.api).await {
                Ok(t) => Some(t),
                Err(e) => return (Err(e), None),
            }
        } else {
            None
        };
        let timestamp_ms = (inner.send_timestamp && spec.sign).then(|| inner.clock.now_millis());
        let form = transport::build_form(
            spec.api,
            spec.params,
            &AttemptAuth {
                app_key: &inner.app_key,
                app_secret: &inner.app_secret,
                access_token: token.as_ref(),
                timestamp_ms,
                sign: spec.sign,
            },
        );
        let url = self.url_for(spec.api);
        let t0 = Instant::now();
        let sent = transport::post(&inner.http, url, &form, spec.api).await;
        let latency = t0.elapsed();
        let result = sent.and_then(|(status, body)| {
            tracing::Span::current().record("status", status);
            let secrets = self.secrets(token.as_ref());
            transport::interpret::<T>(spec.api, status, &body, &secrets)
        });
        self.record_outcome(api_label, latency, &result);
        (result, token)
    }

    fn record_outcome<T>(&self, api_label: &str, latency: Duration, result: &Result<T>) {
        let outcome = match result {
            Ok(_) => "ok",
            Err(e) => e.class().as_str(),
        };
        let span = tracing::Span::current();
        span.record("outcome", outcome);
        span.record("latency_ms", latency.as_secs_f64() * 1000.0);
        metrics::counter!(telemetry::CALLS_TOTAL, "api" => api_label.to_owned(), "outcome" => outcome).increment(1);
        metrics::histogram!(telemetry::CALL_DURATION_SECONDS, "api" => api_label.to_owned())
            .record(latency.as_secs_f64());
        match result {
            Ok(_) => tracing::debug!(outcome, "call finished"),
            Err(e) => tracing::debug!(outcome, error = %e, "call failed"),
        }
    }

    /// Secrets to scrub from any body kept in an error.
    fn secrets<'a>(&'a self, token: Option<&'a SecretString>) -> Vec<&'a str> {
        let mut v = vec![self.inner.app_secret.expose_secret()];
        v.extend(token.map(|t| t.expose_secret()));
        v
    }

    pub(crate) fn url_for(&self, api: &ApiId) -> Url {
        let mut url = self.inner.endpoint.clone();
        let base = url.path().trim_end_matches('/').to_owned();
        url.set_path(&format!("{base}{}", api.request_path(&self.inner.app_key)));
        url
    }

    /// Sends an OAuth call (no user token; signed like the Java SDK does).
    pub(crate) async fn send_oauth<T: DeserializeOwned + ApiResponse>(
        &self,
        api: &ApiId,
        params: &Params,
    ) -> Result<T> {
        self.send(CallSpec { api, params, needs_token: false, sign: true, repeatable: true }).await
    }
}
