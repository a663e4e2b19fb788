//! Sandbox configuration: apps, quotas, clock, catalog, faults, and every protocol choice the
//! spec marks **[SANDBOX]**, each with the spec's value as its default. Loaded from TOML or built
//! in code.

use std::collections::BTreeMap;
use std::path::Path;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::catalog::CatalogConfig;
use crate::catalog::drift::DriftConfig;
use crate::faults::FaultPlan;

/// Key of the ready-made demo app.
pub const DEMO_APP_KEY: &str = "1000000";
/// Secret of the ready-made demo app (a sandbox value, not a secret anywhere else).
pub const DEMO_APP_SECRET: &str = "sandbox-demo-secret";

/// Everything the sandbox can be told.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SandboxConfig {
    /// Catalog size and seed.
    pub catalog: CatalogConfig,
    /// How the catalog changes with time.
    pub drift: DriftConfig,
    /// The sandbox clock.
    pub clock: ClockConfig,
    /// Protocol choices where the spec leaves the behaviour open.
    pub protocol: ProtocolConfig,
    /// Registered apps; the demo app is added unless `no_demo_app` is set.
    pub apps: Vec<AppConfig>,
    /// Leave out the demo app.
    pub no_demo_app: bool,
    /// Turn every QPS limit and daily quota off (for load tests).
    pub quotas_off: bool,
    /// Faults to inject.
    pub faults: FaultPlan,
    /// How message pushes are delivered (and misdelivered) to apps with a `push_url`.
    pub pushes: PushConfig,
    /// How orders behave: `outOrderId` de-duplication, the seller's shipping delay, the trace,
    /// the payment timeout, freight.
    pub orders: OrderConfig,
}

/// Delivery of message pushes: retries, and fault switches (shares from 0 to 1).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PushConfig {
    /// Share of messages delivered twice.
    pub duplicate: f64,
    /// Share of messages held back and delivered after the next one.
    pub reorder: f64,
    /// Share of delivery attempts sent with a corrupted signature (the receiver must refuse it;
    /// the retry is signed correctly).
    pub bad_signature: f64,
    /// Attempts per message before it is parked as failed.
    pub attempts: u32,
    /// Milliseconds (real time) before the first retry; each retry waits twice as long.
    pub retry_ms: u64,
    /// Milliseconds (real time) a receiver has to answer one attempt.
    pub timeout_ms: u64,
    /// Seed of the fault switches.
    pub seed: u64,
}

impl Default for PushConfig {
    fn default() -> Self {
        Self {
            duplicate: 0.0,
            reorder: 0.0,
            bad_signature: 0.0,
            attempts: 4,
            retry_ms: 500,
            timeout_ms: 10_000,
            seed: 1688,
        }
    }
}

/// Error reading a configuration file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read sandbox config {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML for this schema.
    #[error("invalid sandbox config {path}: {source}")]
    Parse {
        /// The file.
        path: String,
        /// Where and what.
        source: Box<toml::de::Error>,
    },
    /// Two apps share a key, or a value is out of range.
    #[error("invalid sandbox config: {0}")]
    Invalid(String),
}

impl SandboxConfig {
    /// Reads a TOML file.
    pub fn from_toml_file(path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|source| ConfigError::Read { path: path.display().to_string(), source })?;
        Self::from_toml_str(&text).map_err(|e| match e {
            ConfigError::Parse { source, .. } => ConfigError::Parse { path: path.display().to_string(), source },
            other => other,
        })
    }

    /// Parses TOML text.
    pub fn from_toml_str(text: &str) -> Result<Self, ConfigError> {
        let config: Self =
            toml::from_str(text).map_err(|e| ConfigError::Parse { path: "<string>".into(), source: Box::new(e) })?;
        config.validate()?;
        Ok(config)
    }

    /// Checks cross-field rules.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let mut keys = std::collections::HashSet::new();
        for app in self.all_apps() {
            if app.app_key.is_empty() || app.app_key.contains('/') {
                return Err(ConfigError::Invalid(format!("app key {:?} must be non-empty without '/'", app.app_key)));
            }
            if !keys.insert(app.app_key.clone()) {
                return Err(ConfigError::Invalid(format!("app key {} is configured twice", app.app_key)));
            }
            if app.qps <= 0.0 || app.api_qps <= 0.0 {
                return Err(ConfigError::Invalid(format!("app {}: qps and api_qps must be positive", app.app_key)));
            }
        }
        let p = &self.pushes;
        for (name, share) in [("duplicate", p.duplicate), ("reorder", p.reorder), ("bad_signature", p.bad_signature)] {
            if !(0.0..=1.0).contains(&share) {
                return Err(ConfigError::Invalid(format!("pushes.{name} must be a share from 0 to 1, got {share}")));
            }
        }
        if p.attempts == 0 {
            return Err(ConfigError::Invalid("pushes.attempts must be at least 1".into()));
        }
        for app in self.all_apps() {
            if let Some(url) = &app.push_url
                && !(url.starts_with("http://") || url.starts_with("https://"))
            {
                return Err(ConfigError::Invalid(format!(
                    "app {}: push_url {url:?} is not an http(s) URL",
                    app.app_key
                )));
            }
        }
        if self.catalog.offers == 0 || self.catalog.suppliers < 24 {
            return Err(ConfigError::Invalid("the catalog needs offers and at least 24 suppliers".into()));
        }
        Ok(())
    }

    /// The configured apps plus the demo app.
    pub fn all_apps(&self) -> Vec<AppConfig> {
        let mut apps = self.apps.clone();
        if !self.no_demo_app && !apps.iter().any(|a| a.app_key == DEMO_APP_KEY) {
            apps.insert(0, AppConfig::demo());
        }
        apps
    }
}

/// One registered app (`Debug` leaves the secret out).
#[derive(Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AppConfig {
    /// App key (the last path segment).
    pub app_key: String,
    /// App secret.
    pub app_secret: String,
    /// Display name on the consent page.
    pub name: String,
    /// Subscribed APIs as `namespace:name` (or `name` alone); `None` subscribes to all.
    pub apis: Option<Vec<String>>,
    /// Requests per second per app.
    pub qps: f64,
    /// Burst per app.
    pub burst: u32,
    /// Requests per second per (app, API).
    pub api_qps: f64,
    /// Burst per (app, API).
    pub api_burst: u32,
    /// Per-API QPS overrides by API name (`product.search.keywordQuery`).
    pub api_overrides: BTreeMap<String, f64>,
    /// Calls per day (China time) before `gw.NoUsageLeftError`; none = unlimited.
    pub daily_quota: Option<u64>,
    /// Login id of the member the app's ready token belongs to; default: the first supplier.
    pub member: Option<String>,
    /// Where the platform pushes the app's messages (the callback URL registered in the app
    /// console); none: no pushes.
    pub push_url: Option<String>,
    /// Offers the app's member follows: product messages are pushed for these only (every offer
    /// that changes when empty).
    pub follows: Vec<i64>,
}

impl std::fmt::Debug for AppConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppConfig")
            .field("app_key", &self.app_key)
            .field("name", &self.name)
            .field("apis", &self.apis)
            .field("qps", &self.qps)
            .field("burst", &self.burst)
            .field("api_qps", &self.api_qps)
            .field("daily_quota", &self.daily_quota)
            .finish_non_exhaustive()
    }
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            app_key: String::new(),
            app_secret: String::new(),
            name: "Sandbox app".into(),
            apis: None,
            qps: 10.0,
            burst: 20,
            api_qps: 5.0,
            api_burst: 10,
            api_overrides: BTreeMap::new(),
            daily_quota: None,
            member: None,
            push_url: None,
            follows: Vec::new(),
        }
    }
}

impl AppConfig {
    /// An app with default limits.
    pub fn new(app_key: impl Into<String>, app_secret: impl Into<String>) -> Self {
        Self { app_key: app_key.into(), app_secret: app_secret.into(), ..Self::default() }
    }

    /// The ready-made demo app (all APIs, default limits).
    pub fn demo() -> Self {
        Self { name: "open1688 demo app".into(), ..Self::new(DEMO_APP_KEY, DEMO_APP_SECRET) }
    }

    /// Whether the app subscribed to an API.
    pub fn subscribes(&self, namespace: &str, name: &str) -> bool {
        match &self.apis {
            None => true,
            Some(list) => list.iter().any(|a| match a.split_once(':') {
                Some((ns, n)) => ns == namespace && n == name,
                None => a == name,
            }),
        }
    }
}

/// How the sandbox tells time.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClockConfig {
    /// Simulated time, moved only by the control endpoint or the handle; real time otherwise.
    pub simulated: bool,
    /// Start of simulated time in epoch ms (default 2026-11-01T00:00:00+08:00).
    pub start_ms: Option<i64>,
    /// Offset of the sandbox clock from the machine clock in ms (clock-sync tests).
    pub skew_ms: i64,
}

/// Default start of simulated time: 2026-11-01T00:00:00+08:00.
pub const DEFAULT_SIMULATED_START_MS: i64 = 1_793_462_400_000;

/// Whether OAuth calls are checked for a signature.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OAuthSignature {
    /// Verify a signature when one is sent (spec default).
    #[default]
    VerifyIfPresent,
    /// Never look at it.
    Ignore,
    /// Require one, like business APIs.
    Require,
}

/// What a refresh grant answers with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefreshGrantReturns {
    /// The refresh token that was used (it stays valid until its own expiry).
    #[default]
    SameRefreshToken,
    /// A new refresh token; the old one stays valid until its own expiry.
    NewRefreshToken,
    /// No refresh token: clients keep theirs.
    Omit,
}

/// What happens to a `pageSize` above 50.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageSizeOverLimit {
    /// A business failure naming the limit.
    #[default]
    Reject,
    /// Quietly use 50.
    Clamp,
}

/// The protocol choices marked **[SANDBOX]** in the spec.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProtocolConfig {
    /// Accept lower-case hex signatures (§2.1). Off by default: the real gateway's tolerance is
    /// not documented, and the sandbox exists to catch signing bugs first.
    pub accept_lowercase_signature: bool,
    /// Also accept signatures computed with the key-sorted rule of third-party clients (§2.1).
    /// Off by default (§2.1: the most common signing bug); a lenient switch for experiments.
    pub accept_key_sorted_signature: bool,
    /// Reject `_aop_timestamp` further than this from the sandbox clock; none disables (§4).
    pub timestamp_tolerance_seconds: Option<i64>,
    /// The error code for a bad timestamp (the spec names none).
    pub timestamp_error_code: String,
    /// OAuth signature handling (§3.2).
    pub oauth_signature: OAuthSignature,
    /// Authorization code lifetime (§3.1).
    pub code_ttl_seconds: i64,
    /// Access token lifetime, sent as the string `expires_in` (§3.2).
    pub access_token_seconds: i64,
    /// Refresh token lifetime (§3.2).
    pub refresh_token_days: i64,
    /// Refresh grant response (§3.2).
    pub refresh_grant_returns: RefreshGrantReturns,
    /// Approve the consent page without a click (headless use).
    pub oauth_auto_approve: bool,
    /// Error code when an (app, API) limit trips; the spec's default is the app code (§7).
    pub api_limit_code: String,
    /// Search result cap (`totalRecords` never exceeds it).
    pub max_total_records: u32,
    /// Largest page.
    pub max_page_size: u32,
    /// Over-large pages (§6.4).
    pub page_size_over_limit: PageSizeOverLimit,
    /// Image search returns catalog images at most this many hash bits away.
    pub image_match_max_distance: u32,
    /// Largest accepted image upload, in bytes after base64 decoding.
    pub max_image_bytes: usize,
}

impl Default for ProtocolConfig {
    fn default() -> Self {
        Self {
            accept_lowercase_signature: false,
            accept_key_sorted_signature: false,
            timestamp_tolerance_seconds: Some(600),
            timestamp_error_code: "gw.TimestampInvalid".into(),
            oauth_signature: OAuthSignature::VerifyIfPresent,
            code_ttl_seconds: 600,
            access_token_seconds: 36_000,
            refresh_token_days: 180,
            refresh_grant_returns: RefreshGrantReturns::SameRefreshToken,
            oauth_auto_approve: false,
            api_limit_code: "gw.QosAppFrequencyLimit".into(),
            max_total_records: 2000,
            max_page_size: 50,
            page_size_over_limit: PageSizeOverLimit::Reject,
            image_match_max_distance: 90,
            max_image_bytes: 3 * 1024 * 1024,
        }
    }
}

/// How orders behave where the spec leaves it open or where time decides.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OrderConfig {
    /// Whether a second `createCrossOrder` with an `outOrderId` already used by the same buyer
    /// answers the first order instead of creating another. The spec does not say what the
    /// platform does, so the default is the unforgiving answer: a second order.
    pub dedupe_out_order_id: bool,
    /// Minutes (sandbox clock) from payment until the seller ships.
    pub ship_after_minutes: i64,
    /// Minutes between the carrier's trace nodes (consigned, accepted, in transport, delivering,
    /// signed).
    pub trace_step_minutes: i64,
    /// Hours from shipping until the trade succeeds (the buyer's receipt, confirmed).
    pub receive_after_hours: i64,
    /// Hours an unpaid order waits before the platform closes it (every captured answer says
    /// `payTimeout` 432,000 s, and the preview's trade model "5 days": 120).
    pub pay_timeout_hours: i64,
    /// Whether a cart holding several offers becomes one order per offer, as the platform does
    /// when offers ship from different warehouses: the preview lists one entry per order and
    /// `createCrossOrder` answers `result.orderList`. Off by default.
    pub split_by_offer: bool,
    /// Freight of a shipment up to 1 kg (CNY).
    pub freight_first_kg: Decimal,
    /// Freight of each further kg or part of one (CNY).
    pub freight_per_kg: Decimal,
    /// Goods amount from which the seller ships free (CNY; `None`: never).
    pub free_freight_over: Option<Decimal>,
}

impl Default for OrderConfig {
    fn default() -> Self {
        Self {
            dedupe_out_order_id: false,
            ship_after_minutes: 240,
            trace_step_minutes: 360,
            receive_after_hours: 72,
            pay_timeout_hours: 120,
            split_by_offer: false,
            freight_first_kg: Decimal::new(8, 0),
            freight_per_kg: Decimal::new(3, 0),
            free_freight_over: Some(Decimal::new(3_000, 0)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_file_with_an_app_and_choices() {
        let config = SandboxConfig::from_toml_str(
            r#"
            quotas_off = false
            [catalog]
            seed = 7
            offers = 500
            suppliers = 60
            [protocol]
            timestamp_tolerance_seconds = 60
            refresh_grant_returns = "omit"
            [[apps]]
            app_key = "2000001"
            app_secret = "s3"
            apis = ["com.alibaba.fenxiao.crossborder:product.search.keywordQuery"]
            qps = 2.0
            daily_quota = 100
            "#,
        )
        .unwrap();
        let apps = config.all_apps();
        assert_eq!(apps.len(), 2, "demo app added");
        assert!(apps[1].subscribes("com.alibaba.fenxiao.crossborder", "product.search.keywordQuery"));
        assert!(!apps[1].subscribes("com.alibaba.product", "alibaba.product.get"));
        assert_eq!(config.protocol.refresh_grant_returns, RefreshGrantReturns::Omit);
    }

    #[test]
    fn unknown_keys_and_duplicate_apps_are_errors() {
        let err = SandboxConfig::from_toml_str("[protocol]\ntimestamp_tolerance = 3").unwrap_err();
        assert!(err.to_string().contains("timestamp_tolerance"), "{err}");
        let err = SandboxConfig::from_toml_str(
            "[[apps]]\napp_key = \"1000000\"\napp_secret = \"x\"\n[[apps]]\napp_key = \"1000000\"\napp_secret = \"y\"",
        )
        .unwrap_err();
        assert!(err.to_string().contains("configured twice"), "{err}");
    }
}
