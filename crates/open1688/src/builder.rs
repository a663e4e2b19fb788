//! [`ClientBuilder`]: credentials, endpoint, timeouts, limits, retries and token storage.

use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;
use url::Url;

use crate::cache::{CacheCounters, CacheTtls, InFlight, MemoryCache, ResponseCache};
use crate::client::{Client, Inner};
use crate::clock::ServerClock;
use crate::error::{Error, Result};
use crate::limiter::{QuotaGate, RateLimits, SharedRateLimiter};
use crate::retry::{RetryBudget, RetryPolicy};
use crate::token::Token;
use crate::token_state::TokenState;
use crate::token_store::{MemoryTokenStore, TokenStore};

/// The real gateway.
pub const DEFAULT_ENDPOINT: &str = "https://gw.open.1688.com";

/// Environment variables read by [`ClientBuilder::from_env`].
pub mod env {
    /// The app key.
    pub const APP_KEY: &str = "OPEN1688_APP_KEY";
    /// The app secret.
    pub const APP_SECRET: &str = "OPEN1688_APP_SECRET";
    /// A user access token.
    pub const ACCESS_TOKEN: &str = "OPEN1688_ACCESS_TOKEN";
    /// A user refresh token.
    pub const REFRESH_TOKEN: &str = "OPEN1688_REFRESH_TOKEN";
    /// The gateway base URL (for a sandbox).
    pub const ENDPOINT: &str = "OPEN1688_ENDPOINT";
    /// The OAuth authorize page, when it is neither 1688's nor the endpoint's own `/oauth/authorize`.
    pub const AUTHORIZE_URL: &str = "OPEN1688_AUTHORIZE_URL";
}

/// Builds a [`Client`]. Only the app key and secret are required.
///
/// ```
/// use std::time::Duration;
/// let client = open1688::Client::builder()
///     .app_key("1000000")
///     .app_secret("test123")
///     .endpoint("http://127.0.0.1:8688")
///     .request_timeout(Duration::from_secs(10))
///     .build()
///     .unwrap();
/// assert_eq!(client.app_key(), "1000000");
/// ```
#[derive(Debug)]
#[must_use]
pub struct ClientBuilder {
    pub(crate) app_key: Option<String>,
    pub(crate) app_secret: Option<SecretString>,
    pub(crate) endpoint: String,
    pub(crate) authorize_url: Option<String>,
    pub(crate) connect_timeout: Duration,
    pub(crate) request_timeout: Duration,
    pub(crate) user_agent: String,
    pub(crate) limits: RateLimits,
    pub(crate) shared_limiter: Option<Arc<dyn SharedRateLimiter>>,
    pub(crate) retry: RetryPolicy,
    pub(crate) token_store: Option<Arc<dyn TokenStore>>,
    pub(crate) access_token: Option<SecretString>,
    pub(crate) refresh_token: Option<SecretString>,
    pub(crate) refresh_margin: Duration,
    pub(crate) refresh_warning: Duration,
    pub(crate) send_timestamp: bool,
    pub(crate) allow_insecure_http: bool,
    pub(crate) allow_private_image_urls: bool,
    pub(crate) sync_clock: bool,
    pub(crate) cache: Option<Arc<dyn ResponseCache>>,
    pub(crate) cache_ttls: CacheTtls,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            app_key: None,
            app_secret: None,
            endpoint: DEFAULT_ENDPOINT.to_owned(),
            authorize_url: None,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            user_agent: concat!("open1688/", env!("CARGO_PKG_VERSION")).to_owned(),
            limits: RateLimits::default(),
            shared_limiter: None,
            retry: RetryPolicy::default(),
            token_store: None,
            access_token: None,
            refresh_token: None,
            refresh_margin: Duration::from_secs(300),
            refresh_warning: Duration::from_secs(14 * 24 * 3600),
            send_timestamp: true,
            allow_insecure_http: false,
            allow_private_image_urls: false,
            sync_clock: true,
            cache: Some(Arc::new(MemoryCache::default())),
            cache_ttls: CacheTtls::default(),
        }
    }
}

fn non_empty_env(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

impl ClientBuilder {
    /// A builder with the defaults (real gateway, 10 QPS app / 5 QPS per API, 5 attempts).
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder preloaded from `OPEN1688_*` environment variables; later calls override them.
    pub fn from_env() -> Self {
        let mut b = Self::new();
        b.app_key = non_empty_env(env::APP_KEY);
        b.app_secret = non_empty_env(env::APP_SECRET).map(SecretString::from);
        b.access_token = non_empty_env(env::ACCESS_TOKEN).map(SecretString::from);
        b.refresh_token = non_empty_env(env::REFRESH_TOKEN).map(SecretString::from);
        if let Some(endpoint) = non_empty_env(env::ENDPOINT) {
            b.endpoint = endpoint;
        }
        b.authorize_url = non_empty_env(env::AUTHORIZE_URL);
        b
    }

    /// Whether app credentials are present (from the environment or set explicitly).
    pub fn has_credentials(&self) -> bool {
        self.app_key.is_some() && self.app_secret.is_some()
    }

    /// The app key (a number in practice).
    pub fn app_key(mut self, app_key: impl Into<String>) -> Self {
        self.app_key = Some(app_key.into());
        self
    }

    /// The app secret; it signs requests and never leaves this process in clear except inside
    /// the HMAC key and the OAuth `client_secret` form field.
    pub fn app_secret(mut self, secret: impl Into<String>) -> Self {
        self.app_secret = Some(SecretString::from(secret.into()));
        self
    }

    /// The gateway base URL (default [`DEFAULT_ENDPOINT`]); point it at a sandbox for tests.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = endpoint.into();
        self
    }

    /// The OAuth authorize page. By default it is 1688's (`https://auth.1688.com/oauth/authorize`)
    /// for 1688's gateway, and the endpoint's own `/oauth/authorize` for any other endpoint (a
    /// sandbox serves its consent page there), so a login against a sandbox never sends the user
    /// to the real platform.
    pub fn authorize_url(mut self, url: impl Into<String>) -> Self {
        self.authorize_url = Some(url.into());
        self
    }

    /// Time allowed to establish a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for one attempt, from sending to the last byte of the response.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// QPS limits and the local daily cap.
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Retry and backoff settings.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Where tokens are loaded from and saved to (default: memory only).
    pub fn token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.token_store = Some(store);
        self
    }

    /// A user access token to start with (its lifetime is unknown, so it is used until rejected).
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.access_token = Some(SecretString::from(token.into()));
        self
    }

    /// A refresh token to renew the access token with.
    pub fn refresh_token(mut self, token: impl Into<String>) -> Self {
        self.refresh_token = Some(SecretString::from(token.into()));
        self
    }

    /// Refresh the access token when it expires within this margin (default 5 minutes).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// Warn when the refresh token expires within this window (default 14 days).
    pub fn refresh_warning(mut self, window: Duration) -> Self {
        self.refresh_warning = window;
        self
    }

    /// Allows image search to fetch picture URLs on this machine or a private network. Off by
    /// default: a URL a user gives is fetched only from public addresses (never loopback,
    /// private ranges or the cloud metadata address).
    pub fn allow_private_image_urls(mut self, allow: bool) -> Self {
        self.allow_private_image_urls = allow;
        self
    }

    /// Allows a plain `http://` endpoint on another machine. Off by default: over plain HTTP the
    /// access token and every signed request cross the network in clear text; only this machine
    /// (a local sandbox) is allowed without it.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Send `_aop_timestamp` with every signed call (default on).
    pub fn send_timestamp(mut self, on: bool) -> Self {
        self.send_timestamp = on;
        self
    }

    /// Paces calls through a limiter shared with other processes on the same app key (see
    /// `open1688_redis::RedisRateLimiter`); the local limits still apply whenever it is down.
    pub fn shared_limiter(mut self, limiter: Arc<dyn SharedRateLimiter>) -> Self {
        self.shared_limiter = Some(limiter);
        self
    }

    /// Where answers are cached (default: an in-memory cache of 256 MB).
    pub fn cache(mut self, cache: Arc<dyn ResponseCache>) -> Self {
        self.cache = Some(cache);
        self
    }

    /// Turns response caching off (every call goes to the gateway).
    pub fn no_cache(mut self) -> Self {
        self.cache = None;
        self
    }

    /// How long each kind of answer is cached.
    pub fn cache_ttls(mut self, ttls: CacheTtls) -> Self {
        self.cache_ttls = ttls;
        self
    }

    /// Measure the gateway clock offset once before the first call (default on).
    pub fn sync_clock(mut self, on: bool) -> Self {
        self.sync_clock = on;
        self
    }

    /// Builds the client; fails with [`Error::Config`] naming what is missing or malformed.
    pub fn build(self) -> Result<Client> {
        let app_key = self
            .app_key
            .clone()
            .ok_or_else(|| Error::Config(format!("no app key: call .app_key(..) or set {}", env::APP_KEY)))?;
        if app_key.is_empty() || app_key.contains(['/', '?', '#', ' ']) {
            return Err(Error::Config(format!("app key {app_key:?} is not a valid path segment")));
        }
        let app_secret = self
            .app_secret
            .clone()
            .ok_or_else(|| Error::Config(format!("no app secret: call .app_secret(..) or set {}", env::APP_SECRET)))?;
        let endpoint = Url::parse(&self.endpoint)
            .map_err(|e| Error::Config(format!("endpoint {:?} is not a URL: {e}", self.endpoint)))?;
        if !matches!(endpoint.scheme(), "http" | "https") {
            return Err(Error::Config(format!("endpoint {:?} must be http or https", self.endpoint)));
        }
        if endpoint.scheme() == "http" && !self.allow_insecure_http && !crate::platform::is_loopback(&endpoint) {
            return Err(Error::Config(format!(
                "endpoint {} is plain http to another machine: the token and signature would cross the network \
                 in clear text; use https (or allow_insecure_http(true) to force it)",
                endpoint.host_str().unwrap_or_default()
            )));
        }
        let authorize_url = self.authorize_url.clone().unwrap_or_else(|| default_authorize_url(&endpoint));
        Url::parse(&authorize_url)
            .map_err(|e| Error::Config(format!("authorize URL {authorize_url:?} is not a URL: {e}")))?;
        let http = reqwest::Client::builder()
            // A redirect would re-send the signed form (access token, client secret, refresh
            // token) to wherever it points: the gateway never redirects, so none is followed.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(self.connect_timeout)
            .timeout(self.request_timeout)
            .user_agent(self.user_agent.clone())
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        let initial = match (&self.access_token, &self.refresh_token) {
            (Some(access), refresh) => {
                let mut t = Token::from_access_token(secrecy::ExposeSecret::expose_secret(access).to_owned());
                t.refresh_token = refresh.clone();
                Some(t)
            }
            // Only a refresh token: start with an access token that is already expired, so the
            // first call refreshes.
            (None, Some(refresh)) => {
                let mut t = Token::from_access_token(String::new());
                t.access_expires_at = Some(chrono::DateTime::UNIX_EPOCH);
                t.refresh_token = Some(refresh.clone());
                Some(t)
            }
            (None, None) => None,
        };
        let store = self.token_store.clone().unwrap_or_else(|| Arc::new(MemoryTokenStore::new()));
        Ok(Client::from_inner(Inner {
            app_key,
            app_secret,
            endpoint,
            authorize_url,
            http,
            gate: match self.shared_limiter {
                Some(shared) => QuotaGate::with_shared(self.limits, shared),
                None => QuotaGate::new(self.limits),
            },
            budget: RetryBudget::new(&self.retry),
            retry: self.retry,
            clock: ServerClock::new(),
            clock_sync: tokio::sync::OnceCell::new(),
            sync_clock: self.sync_clock,
            send_timestamp: self.send_timestamp,
            allow_private_image_urls: self.allow_private_image_urls,
            request_timeout: self.request_timeout,
            tokens: TokenState::new(store, initial, self.refresh_margin, self.refresh_warning),
            cache: self.cache,
            cache_ttls: self.cache_ttls,
            in_flight: InFlight::default(),
            cache_counts: CacheCounters::default(),
        }))
    }
}

/// The authorize page that belongs with `endpoint`: 1688's for a gateway on 1688's domain, else
/// the endpoint's own `/oauth/authorize` (where the sandbox serves its consent page).
fn default_authorize_url(endpoint: &Url) -> String {
    match endpoint.join("/oauth/authorize") {
        Ok(own) if !crate::platform::on_1688(endpoint) => own.to_string(),
        _ => open1688_types::oauth::AUTHORIZE_URL.to_owned(),
    }
}

impl Client {
    /// A builder with the defaults.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from `OPEN1688_*` environment variables.
    pub fn from_env() -> Result<Self> {
        ClientBuilder::from_env().build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_for_this_machine_unless_forced() {
        let build = |endpoint: &str, force: bool| {
            Client::builder().app_key("1").app_secret("s").endpoint(endpoint).allow_insecure_http(force).build()
        };
        for local in ["http://127.0.0.1:8688", "http://localhost:1", "http://[::1]:8688", "https://gw.open.1688.com"] {
            assert!(build(local, false).is_ok(), "{local}");
        }
        let err = build("http://gw.example.com", false).unwrap_err().to_string();
        assert!(err.contains("clear text") && err.contains("gw.example.com"), "{err}");
        assert!(build("http://10.1.2.3:8688", false).is_err());
        assert!(build("http://gw.example.com", true).is_ok(), "forced");
    }

    #[test]
    fn a_login_goes_to_the_authorize_page_of_the_gateway_it_was_pointed_at() {
        let page = |builder: ClientBuilder| {
            let client = builder.app_key("1").app_secret("s").build().unwrap();
            let url = client.authorize_url("http://127.0.0.1:1/callback", "st").unwrap();
            format!("{}://{}{}", url.scheme(), url.host_str().unwrap_or_default(), url.path())
        };
        assert_eq!(page(Client::builder()), "https://auth.1688.com/oauth/authorize");
        assert_eq!(
            page(Client::builder().endpoint("https://gw.open.1688.com/openapi")),
            "https://auth.1688.com/oauth/authorize"
        );
        assert_eq!(page(Client::builder().endpoint("http://127.0.0.1:8688")), "http://127.0.0.1/oauth/authorize");
        assert_eq!(
            page(Client::builder().endpoint("http://127.0.0.1:8688").authorize_url("https://login.example.com/a")),
            "https://login.example.com/a"
        );
    }
}
