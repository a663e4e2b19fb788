//! What every command works with: the settings, the output options, the store (opened once, on
//! first use) and the gateway (started on first use, so store-only commands such as `history`
//! and `watch list` never start a sandbox).

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use open1688_jobs::{Jobs, Progress};
use open1688_store::SqlStore;
use tokio::sync::OnceCell;

use crate::args::{Format, Global};
use crate::exit::CliError;
use crate::gateway::{Gateway, GatewayOptions};
use crate::settings::Settings;

/// Where open1688 keeps its files unless told otherwise: `OPEN1688_DATA_DIR` when set, else
/// `open1688` in the system's data folder (the current folder when there is none); the default
/// store (with the response cache), job files and MCP outputs live here.
pub fn data_dir() -> PathBuf {
    match std::env::var_os("OPEN1688_DATA_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => dirs::data_dir().unwrap_or_else(|| ".".into()).join("open1688"),
    }
}

/// The running command's context.
pub struct Ctx {
    /// The effective settings.
    pub settings: Settings,
    /// stdout format.
    pub format: Format,
    /// A workbook to write the tables to.
    pub xlsx: Option<PathBuf>,
    /// A chart file to draw.
    pub chart: Option<PathBuf>,
    /// The language of the files written (workbooks and charts).
    pub file_language: open1688_jobs::Language,
    /// The terminal's language (the locale): what notes and failures are said in.
    pub language: open1688_jobs::Language,
    /// No progress or notes.
    pub quiet: bool,
    qps: Option<u32>,
    allow_insecure_http: bool,
    allow_private_urls: bool,
    store: OnceCell<Arc<SqlStore>>,
    gateway: OnceCell<Gateway>,
}

impl Ctx {
    /// A context; nothing is opened or started yet.
    pub fn new(global: &Global, settings: Settings) -> Self {
        Self {
            settings,
            format: global.format,
            xlsx: global.xlsx.clone(),
            chart: global.chart.clone(),
            file_language: global.file_language.into(),
            language: crate::terminal_language::terminal_language(),
            quiet: global.quiet,
            qps: global.qps,
            allow_insecure_http: global.allow_insecure_http,
            allow_private_urls: global.allow_private_urls,
            store: OnceCell::new(),
            gateway: OnceCell::new(),
        }
    }

    /// The store named by `DATABASE_URL`, else the default SQLite file in the data directory.
    pub async fn store(&self) -> Result<Arc<SqlStore>, CliError> {
        let store = self
            .store
            .get_or_try_init(|| async {
                let url = match &self.settings.env.database_url {
                    Some(url) => url.clone(),
                    None => {
                        let dir = data_dir();
                        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
                        format!("sqlite://{}", default_store_file().display())
                    }
                };
                let store = SqlStore::open(&url)
                    .await
                    .context("opening the store (DATABASE_URL or the default SQLite file)")?;
                Ok::<_, CliError>(Arc::new(store))
            })
            .await?;
        Ok(store.clone())
    }

    /// The gateway, started on first use.
    pub async fn gateway(&self) -> Result<&Gateway, CliError> {
        self.gateway
            .get_or_try_init(|| async {
                let options = GatewayOptions {
                    qps: self.qps,
                    quiet: self.quiet,
                    allow_insecure_http: self.allow_insecure_http,
                    allow_private_urls: self.allow_private_urls,
                };
                // With credentials the store keeps the tokens and must open. Without, it is only the
                // response cache's second level (when there is no Redis), and a store that will
                // not open leaves the cache in memory.
                let cache_on_disk = !self.settings.no_cache && self.settings.redis_url.is_none();
                let store = match (&self.settings.credentials, cache_on_disk) {
                    (Some(_), _) => Some(self.store().await?),
                    (None, true) => match self.store().await {
                        Ok(store) => Some(store),
                        Err(e) => {
                            self.note(&format!("answers are cached in memory only: {e:#}"));
                            None
                        }
                    },
                    (None, false) => None,
                };
                Gateway::start(&self.settings, &options, store).await
            })
            .await
    }

    /// The application layer over the gateway, with the configured language and policy, and the
    /// store when there is one.
    pub async fn jobs(&self) -> Result<Jobs, CliError> {
        let client = self.gateway().await?.client.clone();
        let jobs = Jobs::new(client).language(self.settings.language.clone()).policy(self.settings.policy.clone());
        // The store gives trends from watched offers' history and keeps suppliers' profiles
        // between commands; without one (`DATABASE_URL` unset and no default SQLite file yet)
        // profiles are read once per command. A store that will not open only costs that.
        let has_store = self.settings.env.database_url.is_some() || default_store_file().exists();
        if !has_store {
            return Ok(jobs);
        }
        Ok(match self.store().await {
            Ok(store) => jobs.store(store),
            Err(_) => jobs,
        })
    }

    /// Progress drawn on stderr (hidden with `--quiet`).
    pub fn progress(&self) -> Progress {
        crate::progress::terminal(self.quiet)
    }

    /// A note on stderr (hidden with `--quiet`).
    pub fn note(&self, text: &str) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }

    /// Gateway calls the built-in sandbox counted so far, if it was started.
    pub fn sandbox_calls(&self) -> Option<u64> {
        self.gateway.get().and_then(Gateway::sandbox_calls)
    }
}

/// The SQLite file the store uses when `DATABASE_URL` names none.
fn default_store_file() -> std::path::PathBuf {
    data_dir().join("open1688.db")
}
