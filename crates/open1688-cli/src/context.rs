//! What every command works with: a client (real gateway with credentials, else an in-process
//! sandbox), the output options and progress bars.

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use open1688::{Client, RateLimits, TokenStore};
use open1688_sandbox::Sandbox;
use open1688_store::{EncryptedTokenStore, RedisBackend, RedisCache, RedisRateLimiter, SecretKey, TieredCache};

use crate::cli::{Format, Global};
use crate::config::Config;

/// The running context.
pub struct Ctx {
    /// The SDK client.
    pub client: Client,
    /// The in-process sandbox when no credentials are configured; held so it serves until the
    /// command ends.
    sandbox: Option<Sandbox>,
    /// Effective configuration.
    pub config: Config,
    /// stdout format.
    pub format: Format,
    /// Workbook to write.
    pub xlsx: Option<std::path::PathBuf>,
    /// No progress or notes.
    pub quiet: bool,
    /// Chart file to draw.
    pub chart: Option<std::path::PathBuf>,
}

/// Tokens live encrypted in the store (AES-256-GCM; key from OPEN1688_SECRET_KEY or a 0600 key
/// file beside the config).
async fn token_store(config: &Config, app_key: &str) -> anyhow::Result<Arc<dyn TokenStore>> {
    let store = Arc::new(crate::commands::watch::open_store().await?);
    let key = SecretKey::load_or_create(&config.key_path).map_err(|e| anyhow::anyhow!("token encryption key: {e}"))?;
    Ok(Arc::new(EncryptedTokenStore::new(store, app_key, key)))
}

/// Redis under the in-memory cache and as the shared rate limiter of the app key. Redis being
/// down is not an error: the client logs it and works locally until it is back.
fn with_redis(
    builder: open1688::ClientBuilder,
    url: &str,
    config: &Config,
    sandbox: Option<&Sandbox>,
) -> anyhow::Result<open1688::ClientBuilder> {
    let backend = RedisBackend::open(url).map_err(|e| crate::exit::usage(e.to_string()))?;
    let app_key = match (&config.credentials, sandbox) {
        (Some((key, _)), _) => key.clone(),
        (None, Some(sandbox)) => sandbox.app_key().to_owned(),
        (None, None) => return Ok(builder),
    };
    let mut builder = builder.shared_limiter(Arc::new(RedisRateLimiter::new(backend.clone(), app_key)));
    if !config.no_cache {
        let tiered = TieredCache::new(open1688::MemoryCache::default(), RedisCache::new(backend));
        builder = builder.cache(Arc::new(tiered));
    }
    Ok(builder)
}

impl Ctx {
    /// Builds the client; starts the sandbox when there are no credentials.
    pub async fn new(global: &Global, config: Config) -> anyhow::Result<Self> {
        let mut builder = Client::builder();
        let sandbox = match &config.credentials {
            Some((key, secret)) => {
                builder = builder.app_key(key).app_secret(secret).token_store(token_store(&config, key).await?);
                if let Some(endpoint) = &config.endpoint {
                    builder = builder.endpoint(endpoint);
                }
                // Tokens from the environment win over the stored one.
                if let Some(token) = std::env::var(open1688::env::ACCESS_TOKEN).ok().filter(|t| !t.is_empty()) {
                    builder = builder.access_token(token);
                }
                if let Some(token) = std::env::var(open1688::env::REFRESH_TOKEN).ok().filter(|t| !t.is_empty()) {
                    builder = builder.refresh_token(token);
                }
                None
            }
            None => {
                let sandbox = Sandbox::builder().start().await.context("starting the built-in sandbox")?;
                if !global.quiet {
                    eprintln!(
                        "open1688: no app key configured; using the built-in sandbox at {} ({} offers; see `open1688 config init`)",
                        sandbox.base_url(),
                        sandbox.catalog().offers.len()
                    );
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
        if config.no_cache {
            builder = builder.no_cache();
        }
        if let Some(qps) = global.qps.and_then(std::num::NonZeroU32::new) {
            builder = builder.rate_limits(RateLimits::default().with_app_qps(qps));
        }
        if let Some(url) = &config.redis_url {
            builder = with_redis(builder, url, &config, sandbox.as_ref())?;
        }
        let client = builder.build()?;
        Ok(Self {
            client,
            sandbox,
            config,
            format: global.format,
            xlsx: global.xlsx.clone(),
            quiet: global.quiet,
            chart: global.chart.clone(),
        })
    }

    /// A progress bar on stderr, hidden when stderr is not a terminal or `--quiet`.
    pub fn progress(&self, len: u64, what: &str) -> ProgressBar {
        if self.quiet || !std::io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new(len);
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg:<18} [{bar:30}] {pos}/{len} {elapsed}")
                .expect("a valid progress template")
                .progress_chars("=> "),
        );
        bar.set_message(what.to_owned());
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    }

    /// Gateway calls the built-in sandbox counted so far (`None` against the real gateway).
    pub fn sandbox_calls(&self) -> Option<u64> {
        self.sandbox.as_ref().map(|s| s.stats().total.calls)
    }

    /// A note on stderr (hidden with `--quiet`).
    pub fn note(&self, text: &str) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }
}
