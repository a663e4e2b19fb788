//! The token a client uses: loaded from its store once, refreshed ahead of expiry or after a
//! rejection with single flight, saved back after every change, with a warning before the
//! refresh token runs out. How a refresh is made (the OAuth call) is the [`Refresher`]'s.

use std::sync::Arc;
use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::Duration as ChronoDuration;
use futures::future::BoxFuture;
use open1688_types::ApiId;
use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, Result};
use crate::telemetry;
use crate::token::Token;
use crate::token_store::TokenStore;

/// What refreshes a token: the client's OAuth call, and the gateway's clock.
pub(crate) trait Refresher {
    /// The gateway's time now (clock offset applied).
    fn now(&self) -> chrono::DateTime<chrono::Utc>;
    /// Exchanges `current`'s refresh token for a new token. Boxed: a refresh is itself a call,
    /// and calls may refresh (an async cycle).
    fn refresh_with<'a>(&'a self, current: &'a Token) -> BoxFuture<'a, Result<Token>>;
}

/// The token this client uses, its store, and the lock that makes refreshes single-flight.
pub(crate) struct TokenState {
    current: RwLock<Option<Token>>,
    loaded: tokio::sync::OnceCell<()>,
    pub(crate) refresh_lock: tokio::sync::Mutex<()>,
    pub(crate) store: Arc<dyn TokenStore>,
    margin: ChronoDuration,
    warning: ChronoDuration,
    warned: AtomicBool,
}

impl TokenState {
    pub fn new(
        store: Arc<dyn TokenStore>,
        initial: Option<Token>,
        margin: std::time::Duration,
        warning: std::time::Duration,
    ) -> Self {
        Self {
            current: RwLock::new(initial),
            loaded: tokio::sync::OnceCell::new(),
            refresh_lock: tokio::sync::Mutex::new(()),
            store,
            margin: ChronoDuration::from_std(margin).unwrap_or(ChronoDuration::minutes(5)),
            warning: ChronoDuration::from_std(warning).unwrap_or(ChronoDuration::days(14)),
            warned: AtomicBool::new(false),
        }
    }

    pub fn get(&self) -> Option<Token> {
        self.current.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn set(&self, token: Option<Token>) {
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = token;
        self.warned.store(false, Ordering::Relaxed);
    }

    /// Loads the stored token once, unless one was configured explicitly.
    pub async fn ensure_loaded(&self) -> Result<()> {
        self.loaded
            .get_or_try_init(|| async {
                if self.get().is_none()
                    && let Some(stored) = self.store.load().await?
                {
                    self.set(Some(stored));
                }
                Ok::<(), Error>(())
            })
            .await
            .map(|_| ())
    }

    pub async fn adopt(&self, token: Token) -> Result<Token> {
        self.store.save(&token).await?;
        self.set(Some(token.clone()));
        Ok(token)
    }

    fn warn_if_refresh_expiring(&self, token: &Token, now: chrono::DateTime<chrono::Utc>) {
        if let Some(at) = token.refresh_expires_at
            && at - now <= self.warning
            && !self.warned.swap(true, Ordering::Relaxed)
        {
            tracing::warn!(
                refresh_expires_at = %at,
                days_left = (at - now).num_days(),
                "the refresh token expires soon: postpone it or authorize the app again"
            );
        }
    }

    /// The access token for a call, refreshed first when it expires within the margin.
    pub async fn access_token(&self, client: &impl Refresher, api: &ApiId) -> Result<SecretString> {
        self.ensure_loaded().await?;
        let now = client.now();
        let Some(seen) = self.get() else {
            return Err(Error::NotAuthorized { api: api.to_string() });
        };
        self.warn_if_refresh_expiring(&seen, now);
        if !seen.access_expires_within(now, self.margin) {
            return Ok(seen.access_token);
        }
        if !seen.can_refresh(now) {
            return if seen.access_expired(now) {
                Err(Error::TokenExpired { reason: "there is no usable refresh token".into() })
            } else {
                Ok(seen.access_token)
            };
        }
        let _guard = self.refresh_lock.lock().await;
        let current = self.get().unwrap_or(seen.clone());
        if !current.same_access(&seen) {
            // Another task refreshed while this one waited for the lock.
            return Ok(current.access_token);
        }
        match self.refresh_locked(client, &current).await {
            Ok(fresh) => Ok(fresh.access_token),
            Err(e) if !current.access_expired(client.now()) => {
                tracing::warn!(error = %e, "refreshing ahead of expiry failed; the current token is still valid");
                Ok(current.access_token)
            }
            Err(e) => Err(e),
        }
    }

    /// After the gateway rejected `rejected`, refresh once, unless another task already did.
    pub async fn refresh_after_rejection(
        &self,
        client: &impl Refresher,
        rejected: Option<&SecretString>,
    ) -> Result<()> {
        let _guard = self.refresh_lock.lock().await;
        let Some(current) = self.get() else {
            return Err(Error::TokenExpired { reason: "the gateway rejected the call and no token is stored".into() });
        };
        if rejected.is_some_and(|r| r.expose_secret() != current.access_token.expose_secret()) {
            return Ok(());
        }
        if !current.can_refresh(client.now()) {
            return Err(Error::TokenExpired {
                reason: "the gateway rejected the access token and there is no usable refresh token".into(),
            });
        }
        self.refresh_locked(client, &current).await.map(|_| ())
    }

    /// Forces a refresh (single flight with any other refresh).
    pub async fn refresh_now(&self, client: &impl Refresher) -> Result<Token> {
        self.ensure_loaded().await?;
        let _guard = self.refresh_lock.lock().await;
        let current = self.get().ok_or_else(|| Error::TokenExpired { reason: "no token is stored".into() })?;
        self.refresh_locked(client, &current).await
    }

    /// Calls `getToken` with the refresh grant; the caller holds `refresh_lock`.
    async fn refresh_locked(&self, client: &impl Refresher, current: &Token) -> Result<Token> {
        let result = client.refresh_with(current).await;
        let outcome = if result.is_ok() { "ok" } else { "error" };
        metrics::counter!(telemetry::TOKEN_REFRESHES_TOTAL, "outcome" => outcome).increment(1);
        let token = result?;
        tracing::info!(member = token.member_id.as_deref().unwrap_or("?"), "access token refreshed");
        self.adopt(token).await
    }
}
