//! Everything a running sandbox holds, shared by the HTTP handlers and the in-process handle.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, RwLock, RwLockReadGuard};

use crate::catalog::Catalog;
use crate::catalog::drift::LiveCatalog;
use crate::catalog::rng::{Rng, mix};
use crate::clock::SandboxClock;
use crate::config::{AppConfig, ProtocolConfig, SandboxConfig};
use crate::faults::{Fault, FaultPlan};
use crate::images::ImageStore;
use crate::quota::QuotaBook;
use crate::stats::Stats;
use crate::tokens::{Grant, TokenBook};

/// A ready pair of tokens for an app (`Debug` redacts the tokens).
#[derive(Clone)]
pub struct IssuedTokens {
    /// Access token.
    pub access_token: String,
    /// Refresh token.
    pub refresh_token: String,
    /// Login id of the member they act for.
    pub member_login: String,
}

impl std::fmt::Debug for IssuedTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedTokens").field("member_login", &self.member_login).finish_non_exhaustive()
    }
}

/// The sandbox's state.
pub struct SandboxState {
    /// Protocol choices.
    pub protocol: ProtocolConfig,
    /// Apps by key.
    pub apps: HashMap<String, AppConfig>,
    /// The generated catalog.
    pub catalog: Catalog,
    live: RwLock<LiveCatalog>,
    /// The clock.
    pub clock: SandboxClock,
    /// Codes and tokens.
    pub tokens: TokenBook,
    /// Rate limits and daily quotas.
    pub quotas: QuotaBook,
    /// Quotas switched off.
    pub quotas_off: AtomicBool,
    faults: RwLock<FaultPlan>,
    fault_calls: Mutex<HashMap<&'static str, u64>>,
    /// Call counters.
    pub stats: Stats,
    /// Uploaded images.
    pub images: ImageStore,
    /// Where the sandbox listens (`http://127.0.0.1:port`), used in image URLs.
    pub base_url: String,
    requests: AtomicU64,
    config: SandboxConfig,
    /// Message ids and delivery counters of pushes.
    pub pushes: crate::push_log::PushLog,
    /// The buyers' orders.
    pub orders: crate::orders::OrderBook,
    /// How orders behave.
    pub order_config: crate::orders::OrderConfig,
}

impl std::fmt::Debug for SandboxState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxState")
            .field("base_url", &self.base_url)
            .field("offers", &self.catalog.offers.len())
            .field("apps", &self.apps.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl SandboxState {
    /// Builds the state (generates the catalog).
    pub fn new(config: SandboxConfig, base_url: String) -> Self {
        let catalog = Catalog::build(config.catalog.clone());
        let clock = SandboxClock::new(&config.clock);
        let live = LiveCatalog::new(&catalog, config.drift.clone(), clock.start_ms());
        Self {
            protocol: config.protocol.clone(),
            apps: config.all_apps().into_iter().map(|a| (a.app_key.clone(), a)).collect(),
            tokens: TokenBook::new(catalog.config.seed),
            catalog,
            live: RwLock::new(live),
            clock,
            quotas: QuotaBook::default(),
            quotas_off: AtomicBool::new(config.quotas_off),
            faults: RwLock::new(config.faults.clone()),
            fault_calls: Mutex::new(HashMap::new()),
            stats: Stats::default(),
            images: ImageStore::default(),
            base_url,
            requests: AtomicU64::new(0),
            pushes: crate::push_log::PushLog::new(&config.all_apps()),
            orders: crate::orders::OrderBook::new(config.catalog.seed),
            order_config: config.orders.clone(),
            config,
        }
    }

    /// How pushes are delivered.
    pub fn push_config(&self) -> &crate::config::PushConfig {
        &self.config.pushes
    }

    /// The catalog's live state, caught up with the clock.
    pub fn live(&self) -> RwLockReadGuard<'_, LiveCatalog> {
        let now = self.clock.now_ms();
        {
            let live = self.live.read().unwrap_or_else(|e| e.into_inner());
            if !live.is_behind(now) {
                return live;
            }
        }
        self.live.write().unwrap_or_else(|e| e.into_inner()).advance_to(&self.catalog, now);
        self.live.read().unwrap_or_else(|e| e.into_inner())
    }

    /// The member an app's ready tokens act for.
    pub fn default_member(&self, app: &AppConfig) -> usize {
        app.member.as_deref().and_then(|login| self.catalog.supplier_by_login_or_domain(login)).unwrap_or(0)
    }

    /// Issues a fresh access and refresh token for an app, as if its member had authorized it.
    pub fn issue_tokens(&self, app_key: &str, member: Option<usize>) -> Option<IssuedTokens> {
        let app = self.apps.get(app_key)?;
        let member = member.unwrap_or_else(|| self.default_member(app));
        let now = self.clock.now_ms();
        let access_token = self.tokens.issue_access(Grant {
            app_key: app_key.to_owned(),
            member,
            expires_ms: now + self.protocol.access_token_seconds * 1000,
        });
        let refresh_token = self.tokens.issue_refresh(Grant {
            app_key: app_key.to_owned(),
            member,
            expires_ms: now + self.protocol.refresh_token_days * 86_400_000,
        });
        Some(IssuedTokens {
            access_token,
            refresh_token,
            member_login: self.catalog.suppliers[member].login_id.clone(),
        })
    }

    /// A request id in the gateway's style (30 hex digits), deterministic per sandbox run.
    pub fn next_request_id(&self) -> String {
        let n = self.requests.fetch_add(1, Ordering::Relaxed);
        let mut rng = Rng::new(mix(self.catalog.config.seed, n));
        rng.hex(30)
    }

    /// Whether quotas are enforced.
    pub fn quotas_enabled(&self) -> bool {
        !self.quotas_off.load(Ordering::Relaxed)
    }

    /// The current fault plan.
    pub fn fault_plan(&self) -> FaultPlan {
        self.faults.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Replaces the fault plan (and restarts the per-API call numbering).
    pub fn set_fault_plan(&self, plan: FaultPlan) {
        *self.faults.write().unwrap_or_else(|e| e.into_inner()) = plan;
        self.fault_calls.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// The fate of the next call of an API.
    pub fn draw_fault(&self, api: &'static str) -> (std::time::Duration, Option<Fault>) {
        let plan = self.faults.read().unwrap_or_else(|e| e.into_inner());
        if plan.is_empty() {
            return (std::time::Duration::ZERO, None);
        }
        let n = {
            let mut calls = self.fault_calls.lock().unwrap_or_else(|e| e.into_inner());
            let n = calls.entry(api).or_insert(0);
            *n += 1;
            *n - 1
        };
        plan.decide(api, n)
    }

    /// Back to the starting state: clock (if simulated), catalog drift, tokens, quotas, faults,
    /// uploads, orders and counters. Returns the demo app's new tokens.
    pub fn reset(&self) -> Option<IssuedTokens> {
        self.clock.reset();
        *self.live.write().unwrap_or_else(|e| e.into_inner()) =
            LiveCatalog::new(&self.catalog, self.config.drift.clone(), self.clock.start_ms());
        self.tokens.reset();
        self.quotas.reset();
        self.set_fault_plan(self.config.faults.clone());
        self.images.clear();
        self.orders.clear();
        self.stats.reset();
        self.requests.store(0, Ordering::Relaxed);
        self.quotas_off.store(self.config.quotas_off, Ordering::Relaxed);
        self.issue_tokens(crate::config::DEMO_APP_KEY, None)
    }
}
