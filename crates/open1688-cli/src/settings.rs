//! The effective settings: flags over environment (`OPEN1688_*`, `DATABASE_URL`, `REDIS_URL`) over
//! the config file in the user's config directory. The environment itself is read once, in
//! [`crate::environment`].

use std::path::{Path, PathBuf};

use anyhow::Context;
use open1688_jobs::{CatalogPlan, OrderPolicy, SourcingPolicy};
use serde::{Deserialize, Serialize};

use crate::args::Global;
use crate::environment::Environment;
use crate::exit::CliError;

/// The config file's contents.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FileConfig {
    /// App key.
    pub app_key: Option<String>,
    /// App secret.
    pub app_secret: Option<String>,
    /// Gateway endpoint.
    pub endpoint: Option<String>,
    /// Language of translated fields.
    pub language: Option<String>,
    /// Turn the response cache off.
    pub no_cache: Option<bool>,
    /// Redis for a cache and rate limiter shared by several processes (`REDIS_URL` wins).
    pub redis_url: Option<String>,
    /// The sourcing policy: freight assumed, score tolerance, candidate counts.
    pub sourcing: Option<SourcingPolicy>,
    /// The standing crawl plan (`[[catalog.crawl]]`).
    pub catalog: Option<CatalogPlan>,
    /// Ordering: the default delivery address and the spending cap (`[order]`).
    pub order: Option<OrderPolicy>,
}

/// The effective configuration.
#[derive(Clone)]
pub struct Settings {
    /// App key and secret, when configured.
    pub credentials: Option<(String, String)>,
    /// Gateway endpoint.
    pub endpoint: Option<String>,
    /// Language of translated fields.
    pub language: String,
    /// Cache off.
    pub no_cache: bool,
    /// Redis shared by several processes on this app key, if any.
    pub redis_url: Option<String>,
    /// The policy every job decides with.
    pub policy: SourcingPolicy,
    /// What `catalog crawl` runs when given no source.
    pub catalog_plan: CatalogPlan,
    /// The delivery address and spending cap orders are placed with.
    pub order_policy: OrderPolicy,
    /// Where the file is (whether or not it exists).
    pub path: PathBuf,
    /// The key file that encrypts stored tokens (unless OPEN1688_SECRET_KEY is set).
    pub key_path: PathBuf,
    /// The environment as read at start.
    pub env: Environment,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("app_key", &self.credentials.as_ref().map(|c| &c.0))
            .field("endpoint", &self.endpoint)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// `host:port` of a Redis URL, without credentials.
pub fn redis_host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    rest.split('/').next().unwrap_or_default().to_owned()
}

/// The app secret from `--app-secret-file`: the file's first line, or standard input's for `-`.
fn read_secret_file(path: &Path) -> Result<String, CliError> {
    let text = if path == Path::new("-") {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|e| CliError::Usage(format!("--app-secret-file -: reading standard input: {e}")))?;
        line
    } else {
        std::fs::read_to_string(path)
            .map_err(|e| CliError::Usage(format!("--app-secret-file {}: {e}", path.display())))?
    };
    let secret = text.lines().next().unwrap_or_default().trim().to_owned();
    if secret.is_empty() {
        return Err(CliError::Usage(format!("--app-secret-file {}: the first line is empty", path.display())));
    }
    Ok(secret)
}

/// Warns when a config file holding the app secret can be read by other users.
fn warn_if_readable_by_others(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o077 != 0
        {
            eprintln!(
                "open1688: warning: {} holds the app secret and other users can read it; run chmod 600 on it",
                path.display()
            );
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// The default config file.
pub fn default_path() -> PathBuf {
    dirs::config_dir().unwrap_or_else(|| PathBuf::from(".")).join("open1688").join("config.toml")
}

impl Settings {
    /// Where the commands' figures come from: 1688 with credentials for its gateway; the sandbox
    /// (simulated) without credentials or with another endpoint.
    pub fn data_source(&self) -> open1688_jobs::DataSource {
        let on_1688 = self.endpoint.as_deref().is_none_or(|e| url::Url::parse(e).is_ok_and(|u| open1688::on_1688(&u)));
        if self.credentials.is_some() && on_1688 {
            open1688_jobs::DataSource::Platform
        } else {
            open1688_jobs::DataSource::Sandbox
        }
    }

    /// Resolves flags, environment and file.
    pub fn load(global: &Global, env: Environment) -> Result<Self, CliError> {
        let path = global.config.clone().unwrap_or_else(default_path);
        let file = if path.exists() {
            let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
            toml::from_str::<FileConfig>(&text)
                .map_err(|e| CliError::Usage(format!("config file {}: {e}", path.display())))?
        } else {
            FileConfig::default()
        };
        let app_key = global.app_key.clone().or_else(|| env.app_key.clone()).or(file.app_key);
        let from_file = global.app_secret_file.as_deref().map(read_secret_file).transpose()?;
        if file.app_secret.is_some() {
            warn_if_readable_by_others(&path);
        }
        let app_secret = global.app_secret.clone().or(from_file).or_else(|| env.app_secret.clone()).or(file.app_secret);
        let credentials = match (app_key, app_secret) {
            (Some(k), Some(s)) => Some((k, s)),
            (Some(_), None) | (None, Some(_)) => {
                return Err(CliError::Usage("an app key needs its app secret (and the other way round)".into()));
            }
            (None, None) => None,
        };
        let catalog_plan = file.catalog.unwrap_or_default();
        let order_policy = file.order.unwrap_or_default();
        if let Some(ship_to) = &order_policy.ship_to {
            ship_to.validate().map_err(|e| CliError::Usage(format!("config file {}: [order] {e}", path.display())))?;
        }
        let policy = file.sourcing.unwrap_or_default();
        policy.validate().map_err(|e| CliError::Usage(format!("config file {}: {e}", path.display())))?;
        let key_path = path.parent().unwrap_or(Path::new(".")).join("secret.key");
        Ok(Self {
            credentials,
            endpoint: global.endpoint.clone().or_else(|| env.endpoint.clone()).or(file.endpoint),
            language: global.language.clone().or(file.language).unwrap_or_else(|| "en".into()),
            no_cache: global.no_cache || file.no_cache.unwrap_or(false),
            redis_url: env.redis_url.clone().or(file.redis_url),
            policy,
            catalog_plan,
            order_policy,
            path,
            key_path,
            env,
        })
    }

    /// A redacted view for `config show`.
    pub fn show(&self) -> Vec<(String, String)> {
        // The first two characters at most, counted in characters (a secret may be any text).
        let redact = |s: &str| {
            if s.chars().count() <= 4 {
                "****".to_owned()
            } else {
                format!("{}****", s.chars().take(2).collect::<String>())
            }
        };
        vec![
            (
                "config file".into(),
                format!("{}{}", self.path.display(), if self.path.exists() { "" } else { " (not created)" }),
            ),
            (
                "app key".into(),
                self.credentials.as_ref().map_or("(none: the built-in sandbox is used)".into(), |c| c.0.clone()),
            ),
            ("app secret".into(), self.credentials.as_ref().map_or("(none)".into(), |c| redact(&c.1))),
            ("endpoint".into(), self.endpoint.clone().unwrap_or_else(|| open1688::DEFAULT_ENDPOINT.into())),
            ("language".into(), self.language.clone()),
            (
                "cache".into(),
                match (self.no_cache, &self.redis_url) {
                    (true, _) => "off".into(),
                    (false, None) => "on (in memory)".into(),
                    (false, Some(_)) => "on (in memory, then Redis)".into(),
                },
            ),
            (
                "rate limiter".into(),
                match &self.redis_url {
                    // The URL may carry a password: show the host only.
                    Some(url) => format!("shared through Redis at {}", redis_host(url)),
                    None => "this process only".into(),
                },
            ),
            (
                "tokens".into(),
                format!(
                    "encrypted in the store; key {}",
                    if self.env.secret_key_set {
                        "from OPEN1688_SECRET_KEY".to_owned()
                    } else {
                        self.key_path.display().to_string()
                    }
                ),
            ),
            (
                "sourcing policy".into(),
                format!(
                    "strategy {}, same-item threshold {}, {} candidates (source) / {} (compare)",
                    self.policy.strategy.name(),
                    self.policy.same_item_threshold,
                    self.policy.source_candidates,
                    self.policy.compare_candidates
                ),
            ),
        ]
    }
}

/// The file `config init` writes.
pub const TEMPLATE: &str = r#"# open1688 configuration. Flags and OPEN1688_* environment variables override these.
# Without app_key and app_secret every command runs against the built-in sandbox.

# app_key = "1234567"
# app_secret = "your-app-secret"
# endpoint = "https://gw.open.1688.com"
language = "en"
# no_cache = false
# Share the rate limiter and an L2 cache with other processes on this app key (REDIS_URL wins).
# redis_url = "redis://127.0.0.1:6379"

# How jobs decide (these are the defaults).
# [sourcing]
# strategy = "balanced"         # the pick: lowest landed cost plus a risk premium by the supplier's band:
#                               # cheapest (none), balanced (warn +15%, accept +5%), safest (warn +40%, accept +15%)
## risk_premiums.balanced = { warn = "20", accept = "5", prefer = "0" }  # a team's own premiums (percent)
## Cross-border buyers: quotes also give the cost delivered abroad in your currency.
## [sourcing.cross_border]
## rates = { currency = "USD", rates = [["2026-11-01", "0.1380"], ["2026-12-01", "0.1375"]] }  # per 1 CNY, dated
## freight = { by = "kg", rate = "35", divisor = "6000" }   # or { by = "cubic_metre", rate = "800" }
## duty_percent = "5"
## vat_percent = "20"
## agent_fee_percent = "3"
# same_item_threshold = 0.35    # title similarity from which two listings are the same item
# source_candidates = 30        # offers the source job reads (at most 50)
# compare_candidates = 40       # offers compare reads
# detail_concurrency = 8        # details in flight at once (the rate limiter still paces them)
# histogram_bins = 10
# top_suppliers = 10
# supplier_profile_max_age_hours = 24  # a supplier's profile (its listing and one offer) is read again after this
# scorecard = "default"         # default, legacy_credit, legacy_factory or a TOML file
# freight = { model = { kind = "by_weight", first_kg = "1", first_fee = "8", additional_per_kg = "3" } }

## The standing crawl plan: what `open1688 catalog crawl` runs when given no --keyword or --seller.
# [[catalog.crawl]]
# keywords = ["保温杯", "水杯"]
# category = 1031910            # optional: keep keyword searches in this category
# pages = 3                     # search pages of 50 per source (1–40)
# [[catalog.crawl]]
# sellers = ["BBBdVp0hsqAR3ASHBT7L3IJ5w"]

## Ordering: where `open1688 order` sends the goods, and the most one `order place` may commit.
# [order]
# spending_cap = "20000"
# ship_to = { name = "义乌仓 张三", mobile = "13800000000", province = "浙江省", city = "金华市", district = "义乌市", street = "福田街道 1 号" }
"#;

/// Writes the template (0600, never overwriting); `false` when the file already exists.
pub fn init(path: &Path) -> anyhow::Result<bool> {
    if path.exists() {
        return Ok(false);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(path, TEMPLATE).with_context(|| format!("writing {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_parses_shows_the_policy_defaults_and_redis_urls_show_without_credentials() {
        let file: FileConfig = toml::from_str(TEMPLATE).unwrap();
        assert_eq!(file.language.as_deref(), Some("en"));
        // Uncommenting the `[sourcing]` table (the template's last part) gives the defaults.
        let (head, policy) = TEMPLATE.split_at(TEMPLATE.find("# [sourcing]").unwrap());
        let policy: String = policy.lines().map(|l| format!("{}\n", l.trim_start_matches("# "))).collect();
        let file: FileConfig = toml::from_str(&format!("{head}{policy}")).unwrap();
        assert_eq!(file.sourcing.unwrap(), SourcingPolicy::default());
        // So does the example crawl plan after it.
        let plan = file.catalog.unwrap().requests().unwrap();
        assert_eq!((plan.len(), plan[0].pages, plan[0].category), (2, 3, Some(1031910)));
        assert_eq!(redis_host("redis://user:hunter2@cache.internal:6380/2"), "cache.internal:6380");
        assert_eq!(redis_host("redis://127.0.0.1:6379"), "127.0.0.1:6379");
    }

    proptest::proptest! {
        /// Config files with any keys and values parse, or say why; what parses validates or
        /// says why, and `config show` renders any secret (non-ASCII included).
        #[test]
        fn config_files_never_panic(
            lines in proptest::collection::vec(
                (
                    "(app_key|app_secret|endpoint|language|no_cache|redis_url|bogus|\\[sourcing\\]|strategy|histogram_bins|source_candidates|detail_concurrency|same_item_threshold)",
                    "(\"[^\"\\\\]{0,12}\"|-?[0-9]{1,25}(\\.[0-9]{0,30})?|true|nan|inf|\\{\\}|\\[\\]|)",
                ),
                0..8,
            ),
            junk in ".{0,80}",
            secret in "\\PC{0,12}",
        ) {
            let text: String = lines.iter().map(|(k, v)| if k.starts_with('[') { format!("{k}\n") } else { format!("{k} = {v}\n") }).collect();
            for text in [text.as_str(), junk.as_str()] {
                if let Ok(file) = toml::from_str::<FileConfig>(text) {
                    let _ = file.sourcing.unwrap_or_default().validate();
                }
            }
            let settings = Settings {
                credentials: Some(("1".into(), secret)),
                endpoint: None,
                language: "en".into(),
                no_cache: false,
                redis_url: None,
                policy: SourcingPolicy::default(),
                catalog_plan: CatalogPlan::default(),
                order_policy: OrderPolicy::default(),
                path: PathBuf::from("config.toml"),
                key_path: PathBuf::from("secret.key"),
                env: Environment::default(),
            };
            let _ = settings.show();
        }
    }
}
