//! A sandbox that listens at once and generates its catalog on its first call.
//!
//! Generating the default catalog takes a couple of seconds. A command line tool that starts a
//! sandbox for every run, and often answers from its cache without calling the gateway at all,
//! should not pay that on every run: this handle binds the port and knows the demo app's key,
//! secret and tokens before the catalog exists (tokens derive from the seed and a counter), and
//! the first request that arrives builds the state and is then answered like any other.

use std::sync::Arc;

use axum::Router;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tokio::sync::{OnceCell, oneshot};
use tower::ServiceExt as _;

use crate::config::{DEMO_APP_KEY, SandboxConfig};
use crate::server::{SandboxBuilder, StartError, issue_start_tokens, router, start_order};
use crate::state::SandboxState;
use crate::stats::StatsSnapshot;
use crate::tokens::TokenBook;

/// The state and router of a lazy sandbox once its first call has built them.
struct Started {
    state: Arc<SandboxState>,
    router: Router,
    sender: tokio::task::JoinHandle<()>,
}

/// What the first call needs to build the state, and the cell it builds it into.
struct Pending {
    config: SandboxConfig,
    base_url: String,
    /// The demo app's tokens as announced before the start; the start checks it issued these.
    promised: Option<(String, String)>,
    started: OnceCell<Started>,
}

impl Pending {
    async fn started(&self) -> Result<&Started, StartError> {
        self.started.get_or_try_init(|| self.build()).await
    }

    async fn build(&self) -> Result<Started, StartError> {
        let config = self.config.clone();
        let url = self.base_url.clone();
        let state = tokio::task::spawn_blocking(move || SandboxState::new(config, url))
            .await
            .map_err(|e| StartError::Catalog(e.to_string()))?;
        let state = Arc::new(state);
        let issued = issue_start_tokens(&state);
        let demo = issued.iter().find(|(key, _)| key == DEMO_APP_KEY).map(|(_, t)| t);
        let kept = match (&self.promised, demo) {
            (Some((access, refresh)), Some(t)) => *access == t.access_token && *refresh == t.refresh_token,
            (None, None) => true,
            _ => false,
        };
        if !kept {
            // Only a change to how tokens are numbered can cause this; say so instead of
            // answering every call with "invalid token".
            return Err(StartError::Catalog("the tokens issued at start are not the ones announced".into()));
        }
        let sender = crate::push::spawn_sender(&state);
        Ok(Started { router: router(state.clone()), state, sender })
    }

    async fn answer(&self, request: Request) -> Response {
        match self.started().await {
            Ok(started) => match started.router.clone().oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            },
            Err(e) => {
                tracing::error!(error = %e, "the sandbox could not start");
                (StatusCode::INTERNAL_SERVER_ERROR, format!("the sandbox could not start: {e}")).into_response()
            }
        }
    }
}

/// A sandbox whose catalog is generated on its first call; see the module documentation.
/// Dropping it stops the server.
pub struct LazySandbox {
    pending: Arc<Pending>,
    offers: usize,
    demo_secret: String,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl std::fmt::Debug for LazySandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LazySandbox")
            .field("base_url", &self.pending.base_url)
            .field("started", &self.pending.started.initialized())
            .finish_non_exhaustive()
    }
}

impl SandboxBuilder {
    /// Binds and serves at once; the catalog is generated when the first request arrives (that
    /// request waits for it). Key, secret, tokens and address are known before.
    pub async fn start_on_first_call(self) -> Result<LazySandbox, StartError> {
        self.config.validate()?;
        let (listener, base_url) = self.listen().await?;
        let apps = self.config.all_apps();
        let order = start_order(apps.iter().map(|a| a.app_key.as_str()));
        let promised = order.iter().position(|key| *key == DEMO_APP_KEY).map(|i| {
            // Each app gets an access token, then a refresh token, in start order.
            let seed = self.config.catalog.seed;
            let first = 2 * i as u64;
            (TokenBook::nth_token(seed, first), TokenBook::nth_token(seed, first + 1))
        });
        let offers = self.config.catalog.offers;
        let demo_secret =
            apps.iter().find(|a| a.app_key == DEMO_APP_KEY).map(|a| a.app_secret.clone()).unwrap_or_default();
        let pending = Arc::new(Pending { config: self.config, base_url, promised, started: OnceCell::new() });
        let handler = {
            let pending = pending.clone();
            move |request: Request| {
                let pending = pending.clone();
                async move { pending.answer(request).await }
            }
        };
        let deadlines = self.deadlines;
        let app = open1688_listen::with_request_deadline(
            Router::new().fallback(handler),
            deadlines.request,
            open1688_listen::plain_timeout,
        );
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            open1688_listen::serve(listener, app, deadlines, shutdown).await;
        });
        Ok(LazySandbox { pending, offers, demo_secret, stop: Some(stop), task: Some(task) })
    }
}

impl LazySandbox {
    /// `http://127.0.0.1:{port}`: the SDK's endpoint.
    pub fn base_url(&self) -> &str {
        &self.pending.base_url
    }

    /// The consent page (the SDK's authorize URL).
    pub fn authorize_url(&self) -> String {
        format!("{}/oauth/authorize", self.pending.base_url)
    }

    /// The demo app's key.
    pub fn app_key(&self) -> &str {
        DEMO_APP_KEY
    }

    /// The demo app's secret.
    pub fn app_secret(&self) -> &str {
        &self.demo_secret
    }

    /// The demo app's access token, valid once the sandbox has started.
    pub fn access_token(&self) -> &str {
        self.pending.promised.as_ref().map_or("", |(access, _)| access.as_str())
    }

    /// The demo app's refresh token, valid once the sandbox has started.
    pub fn refresh_token(&self) -> &str {
        self.pending.promised.as_ref().map_or("", |(_, refresh)| refresh.as_str())
    }

    /// How many offers the catalog will have (at least).
    pub fn planned_offers(&self) -> usize {
        self.offers
    }

    /// The state, once the first call has built it.
    pub fn state(&self) -> Option<&Arc<SandboxState>> {
        self.pending.started.get().map(|s| &s.state)
    }

    /// Call counters so far (all zero before the first call).
    pub fn stats(&self) -> StatsSnapshot {
        self.state().map(|s| s.stats.snapshot()).unwrap_or_default()
    }

    /// Builds the state now instead of on the first call (a server that will call soon anyway).
    pub async fn start_now(&self) -> Result<(), StartError> {
        self.pending.started().await.map(|_| ())
    }

    /// Stops the server and waits for it.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(started) = self.pending.started.get() {
            started.sender.abort();
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for LazySandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(started) = self.pending.started.get() {
            started.sender.abort();
        }
    }
}
