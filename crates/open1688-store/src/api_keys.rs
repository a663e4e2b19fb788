//! API keys of the sourcing service, as the store keeps them: a name, a scope, and a SHA-256 of
//! the key's secret part — never the key. A key reads `o1688_<id>_<64 hex digits>`: the id finds
//! the row, the secret is compared with the stored hash in constant time. The secret carries 256
//! random bits, so a fast hash is enough (there is nothing to brute-force).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::dialect::Dialect;
use crate::error::{Result, StoreError};
use crate::on_pool;
use crate::pool::SqlStore;

/// What a key may do; each scope includes the ones below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Reading: searches, offers, reports, watches, history.
    Read,
    /// Reading, and changing things: watches, jobs.
    Write,
    /// Everything, keys included.
    Admin,
}

impl Scope {
    /// The scope's name as stored and typed (`read`, `write`, `admin`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
            Self::Admin => "admin",
        }
    }
}

impl std::str::FromStr for Scope {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "read" => Ok(Self::Read),
            "write" => Ok(Self::Write),
            "admin" => Ok(Self::Admin),
            other => Err(format!("scope {other:?} is not one of read, write, admin")),
        }
    }
}

/// A key as listed (without its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ApiKey {
    /// The key's id (the number in `o1688_<id>_…`).
    pub id: i64,
    /// Who or what it is for (`erp`, `storefront import`).
    pub name: String,
    /// What it may do.
    pub scope: Scope,
    /// When it was made (epoch ms).
    pub created_ms: i64,
    /// When it was revoked, if it was.
    pub revoked_ms: Option<i64>,
}

/// A key just made: the only time its full text exists outside the caller's hands.
#[derive(Debug, Clone)]
pub struct NewApiKey {
    /// The key as listed.
    pub key: ApiKey,
    /// The full key to hand over (`o1688_<id>_<secret>`); it cannot be shown again.
    pub text: String,
}

const PREFIX: &str = "o1688_";

fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Splits `o1688_<id>_<secret>` into the id and the secret; `None` for any other text.
fn parse(text: &str) -> Option<(i64, &str)> {
    let rest = text.strip_prefix(PREFIX)?;
    let (id, secret) = rest.split_once('_')?;
    let id = id.parse().ok()?;
    (secret.len() == 64 && secret.bytes().all(|b| b.is_ascii_hexdigit())).then_some((id, secret))
}

/// The longest name a key may have.
pub const MAX_KEY_NAME_CHARS: usize = 100;

pub(crate) type KeyRow = (i64, String, String, i64, Option<i64>);

pub(crate) fn key_from(row: KeyRow) -> Result<ApiKey> {
    let (id, name, scope, created_ms, revoked_ms) = row;
    let scope = scope.parse().map_err(|e: String| StoreError::Corrupt(format!("api key {id}: {e}")))?;
    Ok(ApiKey { id, name, scope, created_ms, revoked_ms })
}

impl SqlStore {
    /// Makes a key; its full text is in the answer and nowhere else.
    pub async fn add_api_key(&self, name: &str, scope: Scope, now_ms: i64) -> Result<NewApiKey> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("an API key needs a name".into()));
        }
        if name.chars().count() > MAX_KEY_NAME_CHARS {
            return Err(StoreError::Invalid(format!("an API key's name is at most {MAX_KEY_NAME_CHARS} characters")));
        }
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| StoreError::Corrupt(format!("no random source for the key: {e}")))?;
        let secret = hex::encode(bytes);
        let id: i64 = on_pool!(self, pool => {
            sqlx::query_scalar(&pool.sql("INSERT INTO api_keys (name, scope, secret_hash, created_ms) VALUES ($1, $2, $3, $4) RETURNING id")?)
                .bind(name)
                .bind(scope.as_str())
                .bind(hash(&secret))
                .bind(now_ms)
                .fetch_one(pool)
                .await?
        });
        let key = ApiKey { id, name: name.to_owned(), scope, created_ms: now_ms, revoked_ms: None };
        Ok(NewApiKey { key, text: format!("{PREFIX}{id}_{secret}") })
    }

    /// Every key, revoked ones included, oldest first.
    pub async fn api_keys(&self) -> Result<Vec<ApiKey>> {
        let rows: Vec<KeyRow> = on_pool!(self, pool => {
            sqlx::query_as(&pool.sql("SELECT id, name, scope, created_ms, revoked_ms FROM api_keys ORDER BY id")?).fetch_all(pool).await?
        });
        rows.into_iter().map(key_from).collect()
    }

    /// Revokes a key; `false` when there is no such key or it was revoked already.
    pub async fn revoke_api_key(&self, id: i64, now_ms: i64) -> Result<bool> {
        let n = on_pool!(self, pool => {
            sqlx::query(&pool.sql("UPDATE api_keys SET revoked_ms = $1 WHERE id = $2 AND revoked_ms IS NULL")?)
                .bind(now_ms)
                .bind(id)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(n > 0)
    }

    /// The ids of every revoked key (what each instance of the service polls, so a revocation
    /// made anywhere ends that key's streams and sessions everywhere).
    pub async fn revoked_api_key_ids(&self) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = on_pool!(self, pool => {
            sqlx::query_as(&pool.sql("SELECT id FROM api_keys WHERE revoked_ms IS NOT NULL")?).fetch_all(pool).await?
        });
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// The key `text` names, if it is one of ours, not revoked, and its secret matches.
    pub async fn authenticate_api_key(&self, text: &str) -> Result<Option<ApiKey>> {
        let Some((id, secret)) = parse(text.trim()) else { return Ok(None) };
        let row: Option<(i64, String, String, i64, Option<i64>, String)> = on_pool!(self, pool => {
            sqlx::query_as(&pool.sql("SELECT id, name, scope, created_ms, revoked_ms, secret_hash FROM api_keys WHERE id = $1")?)
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        let Some((id, name, scope, created_ms, revoked_ms, stored)) = row else { return Ok(None) };
        let matches: bool = hash(secret).as_bytes().ct_eq(stored.as_bytes()).into();
        if !matches || revoked_ms.is_some() {
            return Ok(None);
        }
        key_from((id, name, scope, created_ms, revoked_ms)).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_keys_parse_and_scopes_order() {
        let secret = "ab".repeat(32);
        assert_eq!(parse(&format!("o1688_12_{secret}")), Some((12, secret.as_str())));
        for bad in ["", "o1688_", "o1688_x_ab", "o1688_1_short", "bearer o1688_1_", &format!("x1688_1_{secret}")] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        assert!(Scope::Admin > Scope::Write && Scope::Write > Scope::Read);
        assert_eq!("write".parse::<Scope>(), Ok(Scope::Write));
        assert!("root".parse::<Scope>().is_err());
    }
}
