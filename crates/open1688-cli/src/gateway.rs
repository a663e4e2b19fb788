//! The gateway the commands talk to: the real one with credentials, else an in-process sandbox
//! (said in one line on stderr). Tokens live encrypted in the store; Redis, when configured,
//! shares the cache and the rate limiter with other processes on the app key; without Redis the
//! store is the cache's second level, so answers outlive the command.

use std::sync::Arc;

use anyhow::Context as _;
use open1688::{Client, ClientBuilder, RateLimits};
use open1688_redis::{RedisBackend, RedisCache, RedisRateLimiter};
use open1688_sandbox::{LazySandbox, Sandbox};
use open1688_store::{EncryptedTokenStore, SecretKey, SqlStore, StoreCache};

use crate::exit::{CliError, usage};
use crate::settings::Settings;
use crate::terminal_notes::Note;

/// A client, and the sandbox it talks to when no credentials are configured (held so that it
/// serves until the command ends). The sandbox generates its catalog on the first call that
/// reaches it, so a command answered from the cache does not wait for it.
pub struct Gateway {
    /// The SDK client.
    pub client: Client,
    /// The in-process sandbox, without credentials.
    pub sandbox: Option<LazySandbox>,
}

/// How the client is built beyond the settings.
pub struct GatewayOptions {
    /// Calls per second the app key may make, when higher than the default.
    pub qps: Option<u32>,
    /// No note about the sandbox.
    pub quiet: bool,
    /// Allow plain http to another machine.
    pub allow_insecure_http: bool,
    /// Allow picture URLs on private addresses.
    pub allow_private_urls: bool,
}

impl Gateway {
    /// Builds the client; starts the sandbox when there are no credentials. `store` keeps the
    /// tokens (required with credentials) and, without Redis, the cached answers.
    pub async fn start(
        settings: &Settings,
        options: &GatewayOptions,
        store: Option<Arc<SqlStore>>,
    ) -> Result<Self, CliError> {
        let mut builder = Client::builder();
        let sandbox = match &settings.credentials {
            Some((key, secret)) => {
                let store =
                    store.clone().ok_or_else(|| anyhow::anyhow!("the token store is needed with credentials"))?;
                let secret_key = SecretKey::load_or_create(&settings.key_path)
                    .map_err(|e| anyhow::anyhow!("token encryption key: {e}"))?;
                builder = builder
                    .app_key(key)
                    .app_secret(secret)
                    .token_store(Arc::new(EncryptedTokenStore::new(store, key, secret_key)));
                if let Some(endpoint) = &settings.endpoint {
                    builder = builder.endpoint(endpoint);
                }
                // Without it, the login page is 1688's for 1688's gateway and the endpoint's own
                // otherwise (a sandbox server serves its consent page there).
                if let Some(page) = &settings.env.authorize_url {
                    builder = builder.authorize_url(page);
                }
                // Tokens from the environment win over the stored one.
                if let Some(token) = &settings.env.access_token {
                    builder = builder.access_token(token);
                }
                if let Some(token) = &settings.env.refresh_token {
                    builder = builder.refresh_token(token);
                }
                None
            }
            None => {
                let sandbox =
                    Sandbox::builder().start_on_first_call().await.context("starting the built-in sandbox")?;
                if !options.quiet {
                    let note = Note::SandboxInUse { address: sandbox.base_url(), offers: sandbox.planned_offers() };
                    eprintln!("open1688: {}", note.render(crate::terminal_language::terminal_language()));
                }
                builder = builder
                    .endpoint(sandbox.base_url())
                    .authorize_url(sandbox.authorize_url())
                    .app_key(sandbox.app_key())
                    .app_secret(sandbox.app_secret())
                    .access_token(sandbox.access_token())
                    .refresh_token(sandbox.refresh_token())
                    .rate_limits(RateLimits::default());
                Some(sandbox)
            }
        };
        if settings.no_cache {
            builder = builder.no_cache();
        } else if settings.redis_url.is_none()
            && let Some(store) = store
        {
            let namespace = cache_namespace(settings, sandbox.as_ref());
            let on_disk = StoreCache::new(store, namespace);
            builder = builder
                .cache(Arc::new(open1688::TieredCache::new(open1688::MemoryCache::default(), Arc::new(on_disk))));
        }
        builder = builder
            .allow_insecure_http(options.allow_insecure_http)
            .allow_private_image_urls(options.allow_private_urls);
        if let Some(qps) = options.qps.and_then(std::num::NonZeroU32::new) {
            builder = builder.rate_limits(RateLimits::default().with_app_qps(qps));
        }
        if let Some(url) = &settings.redis_url {
            let app_key = match (&settings.credentials, &sandbox) {
                (Some((key, _)), _) => key.clone(),
                (None, Some(sandbox)) => sandbox.app_key().to_owned(),
                (None, None) => String::new(),
            };
            builder = with_redis(builder, url, &app_key, settings.no_cache)?;
        }
        let client = builder.build()?;
        Ok(Self { client, sandbox })
    }

    /// Gateway calls the built-in sandbox counted so far (`None` against the real gateway).
    pub fn sandbox_calls(&self) -> Option<u64> {
        self.sandbox.as_ref().map(|s| s.stats().total.calls)
    }
}

/// Whose answers the cache holds: the app key on its gateway. The built-in sandbox listens on a
/// new port each run but serves the same catalog, so it is named, not addressed.
fn cache_namespace(settings: &Settings, sandbox: Option<&LazySandbox>) -> String {
    match (&settings.credentials, sandbox) {
        (Some((key, _)), _) => format!("{key}@{}", settings.endpoint.as_deref().unwrap_or(open1688::DEFAULT_ENDPOINT)),
        (None, Some(sandbox)) => format!("{}@built-in-sandbox", sandbox.app_key()),
        (None, None) => String::new(),
    }
}

/// Redis under the in-memory cache and as the shared rate limiter of the app key. Redis being
/// down is not an error: the client logs it and works locally until it is back.
fn with_redis(builder: ClientBuilder, url: &str, app_key: &str, no_cache: bool) -> Result<ClientBuilder, CliError> {
    let backend = RedisBackend::open(url).map_err(|e| usage(e.to_string()))?;
    let mut builder = builder.shared_limiter(Arc::new(RedisRateLimiter::new(backend.clone(), app_key.to_owned())));
    if !no_cache {
        let tiered =
            open1688::TieredCache::new(open1688::MemoryCache::default(), Arc::new(RedisCache::new(backend, app_key)));
        builder = builder.cache(Arc::new(tiered));
    }
    Ok(builder)
}
