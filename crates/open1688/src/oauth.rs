//! OAuth (spec §3): authorize URL, code exchange, refresh ahead of expiry with single flight,
//! refresh after a 401, `postponeToken`, and a warning before the refresh token runs out.

use std::sync::Arc;
use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::Duration as ChronoDuration;
use open1688_types::oauth::{GET_TOKEN, GrantType, POSTPONE_TOKEN, TokenResponse};
use open1688_types::{ApiId, Params};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::telemetry;
use crate::token::Token;
use crate::token_store::TokenStore;

/// The token this client uses, its store, and the lock that makes refreshes single-flight.
pub(crate) struct TokenState {
    current: RwLock<Option<Token>>,
    loaded: tokio::sync::OnceCell<()>,
    refresh_lock: tokio::sync::Mutex<()>,
    store: Arc<dyn TokenStore>,
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

    fn get(&self) -> Option<Token> {
        self.current.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn set(&self, token: Option<Token>) {
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = token;
        self.warned.store(false, Ordering::Relaxed);
    }

    /// Loads the stored token once, unless one was configured explicitly.
    async fn ensure_loaded(&self) -> Result<()> {
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

    async fn adopt(&self, token: Token) -> Result<Token> {
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
    pub async fn access_token(&self, client: &Client, api: &ApiId) -> Result<SecretString> {
        self.ensure_loaded().await?;
        let now = client.clock().now();
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
            Err(e) if !current.access_expired(client.clock().now()) => {
                tracing::warn!(error = %e, "refreshing ahead of expiry failed; the current token is still valid");
                Ok(current.access_token)
            }
            Err(e) => Err(e),
        }
    }

    /// After the gateway rejected `rejected`, refresh once, unless another task already did.
    pub async fn refresh_after_rejection(&self, client: &Client, rejected: Option<&SecretString>) -> Result<()> {
        let _guard = self.refresh_lock.lock().await;
        let Some(current) = self.get() else {
            return Err(Error::TokenExpired { reason: "the gateway rejected the call and no token is stored".into() });
        };
        if rejected.is_some_and(|r| r.expose_secret() != current.access_token.expose_secret()) {
            return Ok(());
        }
        if !current.can_refresh(client.clock().now()) {
            return Err(Error::TokenExpired {
                reason: "the gateway rejected the access token and there is no usable refresh token".into(),
            });
        }
        self.refresh_locked(client, &current).await.map(|_| ())
    }

    /// Forces a refresh (single flight with any other refresh).
    async fn refresh_now(&self, client: &Client) -> Result<Token> {
        self.ensure_loaded().await?;
        let _guard = self.refresh_lock.lock().await;
        let current = self.get().ok_or_else(|| Error::TokenExpired { reason: "no token is stored".into() })?;
        self.refresh_locked(client, &current).await
    }

    /// Calls `getToken` with the refresh grant; the caller holds `refresh_lock`.
    async fn refresh_locked(&self, client: &Client, current: &Token) -> Result<Token> {
        let refresh = current
            .refresh_token
            .as_ref()
            .ok_or_else(|| Error::TokenExpired { reason: "there is no refresh token".into() })?;
        let mut params = client.client_params(GrantType::RefreshToken);
        params.set_raw("refresh_token", refresh.expose_secret());
        // Boxed: a refresh is itself a call, and calls may refresh (an async cycle).
        let result = Box::pin(client.token_call(&params, Some(current))).await;
        let outcome = if result.is_ok() { "ok" } else { "error" };
        metrics::counter!(telemetry::TOKEN_REFRESHES_TOTAL, "outcome" => outcome).increment(1);
        let token = result?;
        tracing::info!(member = token.member_id.as_deref().unwrap_or("?"), "access token refreshed");
        self.adopt(token).await
    }
}

impl Client {
    /// The authorize page URL to send the user to; `state` comes back with the code.
    pub fn authorize_url(&self, redirect_uri: &str, state: &str) -> Result<Url> {
        let mut url = Url::parse(&self.inner.authorize_url)
            .map_err(|e| Error::Config(format!("authorize URL is not a URL: {e}")))?;
        url.query_pairs_mut()
            .append_pair("client_id", &self.inner.app_key)
            .append_pair("site", "1688")
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("state", state);
        Ok(url)
    }

    /// Exchanges an authorization code for a token, stores it and starts using it.
    pub async fn exchange_code(&self, code: &str, redirect_uri: &str) -> Result<Token> {
        let mut params = self.client_params(GrantType::AuthorizationCode);
        params.set_raw("need_refresh_token", "true");
        params.set_raw("redirect_uri", redirect_uri);
        params.set_raw("code", code);
        let token = self.token_call(&params, None).await?;
        self.inner.tokens.adopt(token).await
    }

    /// Refreshes the access token now with the refresh token.
    pub async fn refresh_token(&self) -> Result<Token> {
        self.inner.tokens.refresh_now(self).await
    }

    /// Extends the refresh token's life with `postponeToken`, storing the result.
    pub async fn postpone_token(&self) -> Result<Token> {
        let tokens = &self.inner.tokens;
        tokens.ensure_loaded().await?;
        let _guard = tokens.refresh_lock.lock().await;
        let current = tokens.get().ok_or_else(|| Error::TokenExpired { reason: "no token is stored".into() })?;
        let refresh = current
            .refresh_token
            .as_ref()
            .ok_or_else(|| Error::TokenExpired { reason: "there is no refresh token to postpone".into() })?;
        let mut params = Params::new();
        params.set_raw("client_id", self.inner.app_key.as_str());
        params.set_raw("client_secret", self.inner.app_secret.expose_secret());
        params.set_raw("refresh_token", refresh.expose_secret());
        params.set_raw("access_token", current.access_token.expose_secret());
        let resp: TokenResponse = self.send_oauth(&POSTPONE_TOKEN, &params).await?;
        let mut next = current.clone();
        if let Some(fresh) = Token::from_response(&resp, self.clock().now(), Some(&current)) {
            next = fresh;
        } else if let Some(timeout) = resp.refresh_token_timeout {
            next.refresh_expires_at = Some(timeout.with_timezone(&chrono::Utc));
        }
        tokens.adopt(next).await
    }

    /// The token in use, if any (loaded from the store on first use).
    pub async fn token(&self) -> Result<Option<Token>> {
        self.inner.tokens.ensure_loaded().await?;
        Ok(self.inner.tokens.get())
    }

    /// Forgets the token here and in the store.
    pub async fn logout(&self) -> Result<()> {
        self.inner.tokens.store.clear().await?;
        self.inner.tokens.set(None);
        Ok(())
    }

    fn client_params(&self, grant: GrantType) -> Params {
        let mut params = Params::new();
        params.set_raw("grant_type", grant.as_str());
        params.set_raw("client_id", self.inner.app_key.as_str());
        params.set_raw("client_secret", self.inner.app_secret.expose_secret());
        params
    }

    async fn token_call(&self, params: &Params, previous: Option<&Token>) -> Result<Token> {
        let resp: TokenResponse = self.send_oauth(&GET_TOKEN, params).await?;
        Token::from_response(&resp, self.clock().now(), previous).ok_or_else(|| Error::Decode {
            api: GET_TOKEN.to_string(),
            path: "access_token".into(),
            message: "the token response has no access_token".into(),
            category: crate::error::DecodeCategory::Shape,
            body: String::new(),
        })
    }
}
