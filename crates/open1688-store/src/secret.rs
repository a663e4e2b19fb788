//! OAuth tokens kept in the store, encrypted with AES-256-GCM. The key comes from
//! `OPEN1688_SECRET_KEY` (64 hex digits) or from a key file created with 0600 permissions.

use std::path::Path;
use std::sync::Arc;

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use async_trait::async_trait;
use base64::Engine;
use chrono::{DateTime, Utc};
use open1688::{Token, TokenStore, TokenStoreError};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::dialect::Dialect;
use crate::pool::SqlStore;

/// Environment variable holding the key as 64 hex digits.
pub const SECRET_KEY_ENV: &str = "OPEN1688_SECRET_KEY";

/// Why the token encryption key could not be had.
#[derive(Debug, thiserror::Error)]
pub enum SecretKeyError {
    /// The key text is not 64 hex digits; `origin` says where it came from (the variable or the
    /// file). Fix the key; a retry will not help.
    #[error("{origin} must be 64 hex digits (32 bytes): {reason}")]
    Malformed {
        /// `OPEN1688_SECRET_KEY` or the key file's path.
        origin: String,
        /// What is wrong with it (never the key itself).
        reason: String,
    },
    /// The key file can be read or written by other users: refused until `chmod 600` (or
    /// `OPEN1688_SECRET_KEY` is used instead).
    #[error("{} has mode {mode:o}: other users can read the token key; run chmod 600 on it", path.display())]
    Unprotected {
        /// The key file.
        path: std::path::PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// The key file or its folder could not be read or written.
    #[error("{}: {source}", path.display())]
    File {
        /// The file or folder.
        path: std::path::PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// A 256-bit key (never printed).
#[derive(Clone)]
pub struct SecretKey(Key<Aes256Gcm>);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

impl SecretKey {
    /// From 64 hex digits (as `OPEN1688_SECRET_KEY` holds them).
    pub fn from_hex(hex_text: &str) -> Result<Self, SecretKeyError> {
        Self::parse(hex_text, SECRET_KEY_ENV)
    }

    fn parse(hex_text: &str, origin: &str) -> Result<Self, SecretKeyError> {
        let malformed = |reason: String| SecretKeyError::Malformed { origin: origin.to_owned(), reason };
        let bytes = hex::decode(hex_text.trim()).map_err(|e| malformed(e.to_string()))?;
        if bytes.len() != 32 {
            return Err(malformed(format!("got {} bytes", bytes.len())));
        }
        Ok(Self(*Key::<Aes256Gcm>::from_slice(&bytes)))
    }

    /// `OPEN1688_SECRET_KEY`, else the key file (created with a random key, mode 0600).
    pub fn load_or_create(key_file: &Path) -> Result<Self, SecretKeyError> {
        if let Ok(hex_text) = std::env::var(SECRET_KEY_ENV) {
            return Self::from_hex(&hex_text);
        }
        if let Ok(text) = std::fs::read_to_string(key_file) {
            check_private(key_file)?;
            return Self::parse(&text, &key_file.display().to_string());
        }
        let key = Aes256Gcm::generate_key(OsRng);
        if let Some(dir) = key_file.parent() {
            std::fs::create_dir_all(dir).map_err(|source| SecretKeyError::File { path: dir.to_owned(), source })?;
        }
        // Written whole under a temporary name, synced, then renamed: a crash never leaves a
        // half-written key, and an existing key file is never replaced (the rename is refused
        // when one appeared meanwhile).
        let tmp = key_file.with_file_name(format!(
            ".{}.{}.tmp",
            key_file.file_name().map_or_else(|| "secret.key".into(), |n| n.to_string_lossy().into_owned()),
            hex::encode(Aes256Gcm::generate_nonce(&mut OsRng))
        ));
        let file_error = |source| SecretKeyError::File { path: key_file.to_owned(), source };
        write_private(&tmp, hex::encode(key).as_bytes()).map_err(file_error)?;
        if key_file.exists() {
            let _ = std::fs::remove_file(&tmp);
            return Self::load_or_create(key_file);
        }
        std::fs::rename(&tmp, key_file).map_err(file_error)?;
        Ok(Self(key))
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Refuses a key file other users can read or write (as ssh refuses an unprotected private key).
fn check_private(path: &Path) -> Result<(), SecretKeyError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(|source| SecretKeyError::File { path: path.to_owned(), source })?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(SecretKeyError::Unprotected { path: path.to_owned(), mode: mode & 0o777 });
        }
    }
    Ok(())
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
struct Plain {
    access_token: String,
    refresh_token: Option<String>,
    access_expires_at: Option<DateTime<Utc>>,
    refresh_expires_at: Option<DateTime<Utc>>,
    member_id: Option<String>,
    resource_owner: Option<String>,
    ali_id: Option<String>,
}

/// The token of one app key, encrypted in the store with the app key as associated data.
#[derive(Debug, Clone)]
pub struct EncryptedTokenStore {
    store: Arc<SqlStore>,
    app_key: String,
    key: SecretKey,
}

impl EncryptedTokenStore {
    /// Tokens of `app_key` in `store`, under `key`.
    pub fn new(store: Arc<SqlStore>, app_key: impl Into<String>, key: SecretKey) -> Self {
        Self { store, app_key: app_key.into(), key }
    }
}

/// Marks a row sealed with the app key as associated data (rows without it predate that, and
/// are sealed again with it when next read).
const BOUND: &str = "v2:";

/// The associated data of a token row: the app key it belongs to, so a row copied under another
/// app key does not decrypt.
fn associated_data(app_key: &str) -> Vec<u8> {
    format!("open1688 token v2 for app {app_key}").into_bytes()
}

fn backend(message: impl Into<String>) -> TokenStoreError {
    TokenStoreError::Backend(message.into())
}

#[async_trait]
impl TokenStore for EncryptedTokenStore {
    async fn load(&self) -> Result<Option<Token>, TokenStoreError> {
        let Some((nonce, ciphertext)) =
            self.store.load_sealed(&self.app_key).await.map_err(|e| backend(e.to_string()))?
        else {
            return Ok(None);
        };
        let b64 = base64::engine::general_purpose::STANDARD;
        let (bound, nonce) = match nonce.strip_prefix(BOUND) {
            Some(rest) => (true, rest),
            None => (false, nonce.as_str()),
        };
        let nonce = b64.decode(nonce).map_err(|_| backend("stored token nonce is not base64"))?;
        let ciphertext = b64.decode(ciphertext).map_err(|_| backend("stored token is not base64"))?;
        if nonce.len() != 12 {
            return Err(backend("stored token nonce has the wrong length"));
        }
        let aad = if bound { associated_data(&self.app_key) } else { Vec::new() };
        let plain = Aes256Gcm::new(&self.key.0)
            .decrypt(Nonce::from_slice(&nonce), Payload { msg: &ciphertext, aad: &aad })
            .map_err(|_| {
                backend(
                    "stored token cannot be decrypted: wrong OPEN1688_SECRET_KEY or key file, or the row belongs to \
                     another app key",
                )
            })?;
        let p: Plain =
            serde_json::from_slice(&plain).map_err(|_| backend("stored token is unreadable after decryption"))?;
        let mut token = Token::from_access_token(p.access_token);
        token.refresh_token = p.refresh_token.map(SecretString::from);
        token.access_expires_at = p.access_expires_at;
        token.refresh_expires_at = p.refresh_expires_at;
        token.member_id = p.member_id;
        token.resource_owner = p.resource_owner;
        token.ali_id = p.ali_id;
        if !bound {
            // Sealed before rows were bound to their app key: seal it again, bound.
            self.save(&token).await?;
        }
        Ok(Some(token))
    }

    async fn save(&self, token: &Token) -> Result<(), TokenStoreError> {
        let plain = serde_json::to_vec(&Plain {
            access_token: token.access_token.expose_secret().to_owned(),
            refresh_token: token.refresh_token.as_ref().map(|r| r.expose_secret().to_owned()),
            access_expires_at: token.access_expires_at,
            refresh_expires_at: token.refresh_expires_at,
            member_id: token.member_id.clone(),
            resource_owner: token.resource_owner.clone(),
            ali_id: token.ali_id.clone(),
        })
        .map_err(|_| backend("cannot serialize the token"))?;
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let aad = associated_data(&self.app_key);
        let ciphertext = Aes256Gcm::new(&self.key.0)
            .encrypt(&nonce, Payload { msg: &plain, aad: &aad })
            .map_err(|_| backend("cannot encrypt the token"))?;
        let b64 = base64::engine::general_purpose::STANDARD;
        let nonce = format!("{BOUND}{}", b64.encode(nonce));
        self.store
            .save_sealed(&self.app_key, &nonce, &b64.encode(ciphertext), Utc::now().timestamp_millis())
            .await
            .map_err(|e| backend(e.to_string()))
    }

    async fn clear(&self) -> Result<(), TokenStoreError> {
        self.store.clear_sealed(&self.app_key).await.map_err(|e| backend(e.to_string()))
    }
}

/// Sealed secrets (nonce and ciphertext) in the `tokens` table, one per app key.
impl SqlStore {
    /// Saves an encrypted secret (nonce and ciphertext, base64) under a key.
    pub async fn save_sealed(&self, key: &str, nonce: &str, ciphertext: &str, now_ms: i64) -> crate::Result<()> {
        crate::on_pool!(self, pool => {
            sqlx::query(&pool.sql("INSERT INTO tokens (app_key, nonce, ciphertext, updated_ms) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (app_key) DO UPDATE SET nonce = excluded.nonce, ciphertext = excluded.ciphertext, updated_ms = excluded.updated_ms")?,
            )
            .bind(key)
            .bind(nonce)
            .bind(ciphertext)
            .bind(now_ms)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(())
    }

    /// The encrypted secret under a key.
    pub async fn load_sealed(&self, key: &str) -> crate::Result<Option<(String, String)>> {
        Ok(crate::on_pool!(self, pool => {
            sqlx::query_as(&pool.sql("SELECT nonce, ciphertext FROM tokens WHERE app_key = $1")?).bind(key).fetch_optional(pool).await?
        }))
    }

    /// Forgets the secret under a key.
    pub async fn clear_sealed(&self, key: &str) -> crate::Result<()> {
        crate::on_pool!(self, pool => sqlx::query(&pool.sql("DELETE FROM tokens WHERE app_key = $1")?).bind(key).execute(pool).await?.rows_affected());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn the_key_file_is_created_private_whole_and_refused_when_others_can_read_it() {
        use std::os::unix::fs::PermissionsExt;
        // Only the file path matters here; OPEN1688_SECRET_KEY is not set in the test runner.
        if std::env::var_os(SECRET_KEY_ENV).is_some() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("conf/secret.key");
        let created = SecretKey::load_or_create(&path).unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        let names: Vec<_> =
            std::fs::read_dir(path.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "no temporary file left behind: {names:?}");
        let again = SecretKey::load_or_create(&path).unwrap();
        assert_eq!(created.0, again.0, "the same key is read back");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = SecretKey::load_or_create(&path).unwrap_err();
        assert!(matches!(err, SecretKeyError::Unprotected { mode: 0o644, .. }), "{err}");
        assert!(err.to_string().contains("chmod 600"), "{err}");
    }
}
