//! OAuth (spec §3): authorize URL, code exchange, refresh ahead of expiry with single flight,
//! refresh after a 401, `postponeToken`, and a warning before the refresh token runs out.

use futures::future::BoxFuture;
use open1688_types::Params;
use open1688_types::oauth::{GET_TOKEN, GrantType, POSTPONE_TOKEN, TokenResponse};
use secrecy::ExposeSecret;
use url::Url;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::token::Token;
use crate::token_state::Refresher;

/// A fresh `state` for [`Client::authorize_url`]: 128 bits from the operating system's random
/// source, as 32 hex digits, so a forged redirect cannot guess it. Check it before anything else
/// in the redirect.
pub fn new_oauth_state() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| Error::Config(format!("no random source for the OAuth state: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl Refresher for Client {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock().now()
    }

    fn refresh_with<'a>(&'a self, current: &'a Token) -> BoxFuture<'a, Result<Token>> {
        Box::pin(async move {
            let refresh = current
                .refresh_token
                .as_ref()
                .ok_or_else(|| Error::TokenExpired { reason: "there is no refresh token".into() })?;
            let mut params = self.client_params(GrantType::RefreshToken);
            params.set_raw("refresh_token", refresh.expose_secret());
            self.token_call(&params, Some(current)).await
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_are_128_random_bits_in_hex() {
        let (a, b) = (new_oauth_state().unwrap(), new_oauth_state().unwrap());
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
