//! The dashboard's log-in sessions, kept in the store so any instance answers them: a random
//! token for the browser's cookie (never the API key itself), stored as its SHA-256 with the key
//! it stands for and its end. A session is good while it has not ended, was not logged out, and
//! its key is not revoked.

use sha2::{Digest, Sha256};

use crate::api_keys::ApiKey;
use crate::dialect::Dialect;
use crate::error::{Result, StoreError};
use crate::on_pool;
use crate::pool::SqlStore;

/// How a session token starts (so it is never mistaken for an API key, `o1688_…`).
const PREFIX: &str = "s_";

fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Whether `token` has a session token's form (checked before the store is asked).
fn well_formed(token: &str) -> bool {
    token.strip_prefix(PREFIX).is_some_and(|rest| rest.len() == 64 && rest.bytes().all(|b| b.is_ascii_hexdigit()))
}

impl SqlStore {
    /// Starts a session for key `key_id`, ending at `expires_ms`; the token for the cookie (the
    /// store keeps only its digest). Sessions that ended are cleared on the way.
    pub async fn start_session(&self, key_id: i64, now_ms: i64, expires_ms: i64) -> Result<String> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| StoreError::Corrupt(format!("no random source for a session: {e}")))?;
        let token = format!("{PREFIX}{}", hex::encode(bytes));
        on_pool!(self, pool => {
            sqlx::query(&pool.sql("DELETE FROM dashboard_sessions WHERE expires_ms <= $1")?).bind(now_ms).execute(pool).await?;
            sqlx::query(&pool.sql("INSERT INTO dashboard_sessions (token_hash, key_id, created_ms, expires_ms) VALUES ($1, $2, $3, $4)")?)
                .bind(digest(&token))
                .bind(key_id)
                .bind(now_ms)
                .bind(expires_ms)
                .execute(pool)
                .await?;
            Ok::<(), StoreError>(())
        })?;
        Ok(token)
    }

    /// The key session `token` stands for at `now_ms`: `None` when there is no such session, it
    /// ended or was logged out, or its key is revoked.
    pub async fn session_key(&self, token: &str, now_ms: i64) -> Result<Option<ApiKey>> {
        if !well_formed(token) {
            return Ok(None);
        }
        let row: Option<(i64, String, String, i64, Option<i64>)> = on_pool!(self, pool => {
            sqlx::query_as(&pool.sql("SELECT k.id, k.name, k.scope, k.created_ms, k.revoked_ms FROM dashboard_sessions s \
                 JOIN api_keys k ON k.id = s.key_id WHERE s.token_hash = $1 AND s.expires_ms > $2 AND k.revoked_ms IS NULL")?)
                .bind(digest(token))
                .bind(now_ms)
                .fetch_optional(pool)
                .await?
        });
        row.map(crate::api_keys::key_from).transpose()
    }

    /// Ends session `token` (log-out); `false` when there was none.
    pub async fn end_session(&self, token: &str) -> Result<bool> {
        if !well_formed(token) {
            return Ok(false);
        }
        let ended = on_pool!(self, pool => {
            sqlx::query(&pool.sql("DELETE FROM dashboard_sessions WHERE token_hash = $1")?)
                .bind(digest(token))
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(ended > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_session_tokens_are_looked_up() {
        assert!(well_formed(&format!("s_{}", "ab".repeat(32))));
        for bad in ["", "s_", "s_xyz", &format!("o1688_1_{}", "ab".repeat(32)), &format!("s_{}", "zz".repeat(32))] {
            assert!(!well_formed(bad), "{bad}");
        }
        assert_ne!(digest("s_a"), digest("s_b"));
    }
}
