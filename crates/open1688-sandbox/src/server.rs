//! Starting the sandbox: the router, the builder, and the in-process handle.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::{any, get};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::catalog::Catalog;
use crate::catalog::drift::Change;
use crate::config::{AppConfig, DEMO_APP_KEY, ProtocolConfig, SandboxConfig};
use crate::faults::FaultPlan;
use crate::state::{IssuedTokens, SandboxState};
use crate::stats::StatsSnapshot;
use crate::{control, gateway, web};
use open1688_listen::Limits;

/// Why the sandbox did not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The configuration is inconsistent.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// The address could not be bound (in use, or not allowed).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The catalog generation task failed.
    #[error("catalog generation failed: {0}")]
    Catalog(String),
}

/// The router of a sandbox state (exposed for embedding in another server).
pub fn router(state: Arc<SandboxState>) -> Router {
    // An upload carries a picture of up to `max_image_bytes` as base64 (4/3 larger), which form
    // encoding may triple again; the default 2 MB body limit would refuse what the API accepts.
    let body_limit = state.protocol.max_image_bytes.saturating_mul(4).saturating_add(1024 * 1024);
    Router::new()
        .route("/openapi/{*path}", any(gateway::openapi))
        .route("/oauth/authorize", get(web::authorize_page).post(web::authorize_decision))
        .route("/img/ibank/{file}", get(web::gallery_image))
        .route("/img/sku/{file}", get(web::sku_image))
        .merge(control::routes())
        .layer(axum::extract::DefaultBodyLimit::max(body_limit))
        .with_state(state)
}

/// Builds a sandbox.
#[derive(Debug, Clone)]
pub struct SandboxBuilder {
    pub(crate) config: SandboxConfig,
    addr: SocketAddr,
    pub(crate) deadlines: Limits,
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        Self {
            config: SandboxConfig::default(),
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            deadlines: Limits::default(),
        }
    }
}

impl SandboxBuilder {
    /// Replaces the whole configuration (from a TOML file, say).
    pub fn config(mut self, config: SandboxConfig) -> Self {
        self.config = config;
        self
    }

    /// Catalog seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.config.catalog.seed = seed;
        self
    }

    /// Catalog size (smaller catalogs start faster in tests).
    pub fn catalog_size(mut self, offers: usize, suppliers: usize) -> Self {
        self.config.catalog.offers = offers;
        self.config.catalog.suppliers = suppliers;
        self
    }

    /// Simulated time starting at `start_ms` (default 2026-11-01T00:00:00+08:00).
    pub fn simulated_clock(mut self, start_ms: Option<i64>) -> Self {
        self.config.clock.simulated = true;
        self.config.clock.start_ms = start_ms;
        self
    }

    /// Real time shifted by `skew` (positive: the sandbox runs ahead).
    pub fn clock_skew_ms(mut self, skew_ms: i64) -> Self {
        self.config.clock.skew_ms = skew_ms;
        self
    }

    /// Turns every QPS limit and daily quota off.
    pub fn quotas_off(mut self) -> Self {
        self.config.quotas_off = true;
        self
    }

    /// Adds an app (or replaces the demo app when its key is the demo key).
    pub fn app(mut self, app: AppConfig) -> Self {
        self.config.apps.retain(|a| a.app_key != app.app_key);
        self.config.apps.push(app);
        self
    }

    /// Changes the demo app's limits.
    pub fn demo_limits(self, qps: f64, burst: u32, api_qps: f64, daily_quota: Option<u64>) -> Self {
        let mut demo =
            self.config.apps.iter().find(|a| a.app_key == DEMO_APP_KEY).cloned().unwrap_or_else(AppConfig::demo);
        demo.qps = qps;
        demo.burst = burst;
        demo.api_qps = api_qps;
        demo.api_burst = burst.min(demo.api_burst.max(1));
        demo.daily_quota = daily_quota;
        self.app(demo)
    }

    /// Adjusts the protocol choices.
    pub fn protocol(mut self, change: impl FnOnce(&mut ProtocolConfig)) -> Self {
        change(&mut self.config.protocol);
        self
    }

    /// Pushes the demo app's messages to `url` (its registered callback), for the offers in
    /// `follows` (every offer that changes when empty).
    pub fn push_to(self, url: impl Into<String>, follows: Vec<i64>) -> Self {
        let mut demo =
            self.config.apps.iter().find(|a| a.app_key == DEMO_APP_KEY).cloned().unwrap_or_else(AppConfig::demo);
        demo.push_url = Some(url.into());
        demo.follows = follows;
        self.app(demo)
    }

    /// How pushes are delivered (retries, and the duplicate, reorder and bad-signature switches).
    pub fn push_delivery(mut self, pushes: crate::config::PushConfig) -> Self {
        self.config.pushes = pushes;
        self
    }

    /// How orders behave (`outOrderId` de-duplication, shipping delay, trace, payment timeout,
    /// freight).
    pub fn orders(mut self, orders: crate::orders::OrderConfig) -> Self {
        self.config.orders = orders;
        self
    }

    /// Faults from the start.
    pub fn faults(mut self, plan: FaultPlan) -> Self {
        self.config.faults = plan;
        self
    }

    /// Share of offers that drift with time.
    pub fn drift_share(mut self, share: f64) -> Self {
        self.config.drift.share = share;
        self
    }

    /// The configuration as it stands.
    pub fn configuration(&self) -> &SandboxConfig {
        &self.config
    }

    /// Listen address (default 127.0.0.1 on a free port).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// How long the server waits for a request's headers and for the whole request (default
    /// 10 s and 60 s; see [`Limits`]).
    pub fn deadlines(mut self, deadlines: Limits) -> Self {
        self.deadlines = deadlines;
        self
    }

    /// Generates the catalog, binds, and serves in the background.
    pub async fn start(self) -> Result<Sandbox, StartError> {
        self.config.validate()?;
        let (listener, base_url) = self.listen().await?;
        let config = self.config;
        let url = base_url.clone();
        let state = tokio::task::spawn_blocking(move || SandboxState::new(config, url))
            .await
            .map_err(|e| StartError::Catalog(e.to_string()))?;
        let state = Arc::new(state);
        let tokens = issue_start_tokens(&state);
        let (stop, stopped) = oneshot::channel::<()>();
        let deadlines = self.deadlines;
        let app = open1688_listen::with_request_deadline(
            router(state.clone()),
            deadlines.request,
            open1688_listen::plain_timeout,
        );
        let task = tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            open1688_listen::serve(listener, app, deadlines, shutdown).await;
        });
        let sender = crate::push::spawn_sender(&state);
        Ok(Sandbox { state, base_url, tokens, stop: Some(stop), task: Some(task), sender })
    }
}

/// The apps in the order they get their tokens at start: the demo app first, then by key. The
/// order is fixed so that the tokens (derived from the seed and a counter) are known in advance.
pub(crate) fn start_order<'a>(app_keys: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut keys: Vec<&str> = app_keys.collect();
    keys.sort_by_key(|k| (*k != DEMO_APP_KEY, *k));
    keys
}

/// Issues every app its tokens, in [`start_order`].
pub(crate) fn issue_start_tokens(state: &SandboxState) -> Vec<(String, IssuedTokens)> {
    start_order(state.apps.keys().map(String::as_str))
        .into_iter()
        .filter_map(|key| Some((key.to_owned(), state.issue_tokens(key, None)?)))
        .collect()
}

impl SandboxBuilder {
    /// Binds the listen address; returns the listener and its `http://` base URL.
    pub(crate) async fn listen(&self) -> Result<(TcpListener, String), StartError> {
        let listener =
            TcpListener::bind(self.addr).await.map_err(|source| StartError::Bind { addr: self.addr, source })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind { addr: self.addr, source })?;
        if !addr.ip().is_loopback() {
            tracing::warn!(
                %addr,
                "the sandbox listens beyond this machine: its /_sandbox control routes (clock, faults, \
                 reset) have no authentication and its demo app's secret is public; bind to 127.0.0.1 \
                 unless every machine that can reach it is trusted"
            );
        }
        Ok((listener, format!("http://{addr}")))
    }
}

/// A running sandbox. Dropping it stops the server.
#[derive(Debug)]
pub struct Sandbox {
    state: Arc<SandboxState>,
    base_url: String,
    tokens: Vec<(String, IssuedTokens)>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    sender: tokio::task::JoinHandle<()>,
}

impl Sandbox {
    /// Starts the default sandbox (20,000 offers, real clock, demo app) on 127.0.0.1.
    pub async fn start() -> Result<Self, StartError> {
        SandboxBuilder::default().start().await
    }

    /// A builder.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }

    /// `http://127.0.0.1:{port}`: the SDK's endpoint.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The consent page (the SDK's authorize URL).
    pub fn authorize_url(&self) -> String {
        format!("{}/oauth/authorize", self.base_url)
    }

    /// The demo app's key.
    pub fn app_key(&self) -> &str {
        DEMO_APP_KEY
    }

    /// The demo app's secret.
    pub fn app_secret(&self) -> &str {
        self.state.apps.get(DEMO_APP_KEY).map_or("", |a| a.app_secret.as_str())
    }

    /// Tokens issued at start for an app.
    pub fn tokens(&self, app_key: &str) -> Option<&IssuedTokens> {
        self.tokens.iter().find(|(k, _)| k == app_key).map(|(_, t)| t)
    }

    /// The demo app's access token issued at start.
    pub fn access_token(&self) -> &str {
        self.tokens(DEMO_APP_KEY).map_or("", |t| t.access_token.as_str())
    }

    /// The demo app's refresh token issued at start.
    pub fn refresh_token(&self) -> &str {
        self.tokens(DEMO_APP_KEY).map_or("", |t| t.refresh_token.as_str())
    }

    /// What a client needs to talk to this sandbox, as the one JSON line the sandbox servers print
    /// on start: `base_url`, `authorize_url`, `app_key`, `app_secret`, `access_token`,
    /// `refresh_token`.
    pub fn connection_line(&self) -> serde_json::Value {
        serde_json::json!({
            "base_url": self.base_url(),
            "authorize_url": self.authorize_url(),
            "app_key": self.app_key(),
            "app_secret": self.app_secret(),
            "access_token": self.access_token(),
            "refresh_token": self.refresh_token(),
        })
    }

    /// Issues more tokens for an app (acting for its default member, or `login_id`).
    pub fn issue_tokens(&self, app_key: &str, login_id: Option<&str>) -> Option<IssuedTokens> {
        let member = match login_id {
            Some(login) => Some(self.state.catalog.supplier_by_login_or_domain(login)?),
            None => None,
        };
        self.state.issue_tokens(app_key, member)
    }

    /// Revokes every access token of an app (or of all apps); refresh tokens stay valid.
    pub fn revoke_access_tokens(&self, app_key: Option<&str>) -> usize {
        self.state.tokens.revoke_all_access(app_key)
    }

    /// The generated catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.state.catalog
    }

    /// The shared state (clock, quotas, live catalog…).
    pub fn state(&self) -> &Arc<SandboxState> {
        &self.state
    }

    /// Registers where an app's messages are pushed (`None` stops its pushes).
    pub fn set_push_target(&self, app_key: &str, target: Option<crate::push_log::PushTarget>) {
        self.state.pushes.set_target(app_key, target);
    }

    /// What the push sender has done so far.
    pub fn push_stats(&self) -> crate::push_log::PushStats {
        self.state.pushes.stats()
    }

    /// Now on the sandbox clock (epoch ms).
    pub fn now_ms(&self) -> i64 {
        self.state.clock.now_ms()
    }

    /// Moves a simulated clock forward.
    pub fn advance(&self, by: Duration) -> Result<i64, crate::clock::ClockError> {
        let now = self.state.clock.advance(i64::try_from(by.as_millis()).unwrap_or(i64::MAX))?;
        drop(self.state.live());
        Ok(now)
    }

    /// Pays an unpaid order, as the buyer would at the cashier (nothing in the API pays).
    pub fn pay_order(&self, order_id: i64) -> Result<crate::orders::SandboxOrder, String> {
        let state = &self.state;
        state
            .orders
            .pay(order_id, state.clock.now_ms(), &state.order_config)
            .map_err(|e| format!("{}: {}", e.code, e.message))
    }

    /// The seller changes an unpaid order's freight (CNY), as sellers do after agreeing a price.
    pub fn change_order_freight(
        &self,
        order_id: i64,
        freight: rust_decimal::Decimal,
    ) -> Result<crate::orders::SandboxOrder, String> {
        let state = &self.state;
        state
            .orders
            .change_freight(order_id, freight, state.clock.now_ms(), &state.order_config)
            .map_err(|e| format!("{}: {}", e.code, e.message))
    }

    /// Every order, as it stands now.
    pub fn orders(&self) -> Vec<crate::orders::SandboxOrder> {
        self.state.orders.all(self.state.clock.now_ms(), &self.state.order_config)
    }

    /// Call counters so far.
    pub fn stats(&self) -> StatsSnapshot {
        self.state.stats.snapshot()
    }

    /// Zeroes the call counters.
    pub fn reset_stats(&self) {
        self.state.stats.reset();
    }

    /// Replaces the fault plan.
    pub fn set_faults(&self, plan: FaultPlan) {
        self.state.set_fault_plan(plan);
    }

    /// Catalog changes with `from_ms < at <= to_ms`.
    pub fn changes(&self, from_ms: i64, to_ms: i64) -> Vec<Change> {
        self.state.live().changes_between(from_ms, to_ms)
    }

    /// Stops the server and waits for it.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.sender.abort();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
