//! Where tokens live between runs: the [`TokenStore`] trait, in memory or in a 0600 file.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use async_trait::async_trait;

use crate::token::{StoredToken, Token};

/// A token store failed. The message never contains a token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokenStoreError {
    /// Reading or writing the backing file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS reported.
        #[source]
        source: std::io::Error,
    },
    /// The stored data is not a token.
    #[error("{path}: not a valid token file: {message}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What was wrong (no content is echoed).
        message: String,
    },
    /// A back end of another crate failed.
    #[error("{0}")]
    Backend(String),
}

/// Keeps the current token. Implementations must be safe to share between tasks.
#[async_trait]
pub trait TokenStore: Send + Sync + std::fmt::Debug {
    /// The stored token, if any.
    async fn load(&self) -> Result<Option<Token>, TokenStoreError>;
    /// Replaces the stored token.
    async fn save(&self, token: &Token) -> Result<(), TokenStoreError>;
    /// Forgets the token (logout).
    async fn clear(&self) -> Result<(), TokenStoreError>;
}

/// Keeps the token in memory only.
#[derive(Debug, Default)]
pub struct MemoryTokenStore {
    token: Mutex<Option<Token>>,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// A store holding `token`.
    pub fn with_token(token: Token) -> Self {
        Self { token: Mutex::new(Some(token)) }
    }
}

#[async_trait]
impl TokenStore for MemoryTokenStore {
    async fn load(&self) -> Result<Option<Token>, TokenStoreError> {
        Ok(self.token.lock().unwrap_or_else(|p| p.into_inner()).clone())
    }
    async fn save(&self, token: &Token) -> Result<(), TokenStoreError> {
        *self.token.lock().unwrap_or_else(|p| p.into_inner()) = Some(token.clone());
        Ok(())
    }
    async fn clear(&self) -> Result<(), TokenStoreError> {
        *self.token.lock().unwrap_or_else(|p| p.into_inner()) = None;
        Ok(())
    }
}

/// Keeps the token in a JSON file readable only by its owner (mode 0600 on Unix).
///
/// Writes go to a temporary file in the same folder that is then renamed over the old one, so
/// a crash never leaves a half-written token behind.
#[derive(Debug, Clone)]
pub struct FileTokenStore {
    path: PathBuf,
}

impl FileTokenStore {
    /// A store backed by `path` (created on first save, with its parent folders).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The backing file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn io(&self, source: std::io::Error) -> TokenStoreError {
        TokenStoreError::Io { path: self.path.clone(), source }
    }
}

/// Writes a new private (0600) file: `create_new` refuses an existing path, a symbolic link
/// planted there included, so the token never goes where someone else pointed it.
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

/// A fresh temporary name beside `path`, unpredictable so it cannot be prepared in advance.
fn temporary_beside(path: &Path) -> std::io::Result<std::path::PathBuf> {
    let mut salt = [0u8; 8];
    getrandom::fill(&mut salt).map_err(|e| std::io::Error::other(format!("no random source: {e}")))?;
    let name = path.file_name().map_or_else(|| "token".into(), |n| n.to_string_lossy().into_owned());
    let salt: String = salt.iter().map(|b| format!("{b:02x}")).collect();
    Ok(path.with_file_name(format!(".{name}.{salt}.tmp")))
}

#[async_trait]
impl TokenStore for FileTokenStore {
    async fn load(&self) -> Result<Option<Token>, TokenStoreError> {
        let bytes = match tokio::fs::read(&self.path).await {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(self.io(e)),
        };
        let stored: StoredToken = serde_json::from_slice(&bytes).map_err(|e| TokenStoreError::Corrupt {
            path: self.path.clone(),
            // serde_json's message names line and column, never the content.
            message: format!("{} at line {} column {}", category(&e), e.line(), e.column()),
        })?;
        Ok(Some(stored.into()))
    }

    async fn save(&self, token: &Token) -> Result<(), TokenStoreError> {
        let bytes = serde_json::to_vec_pretty(&StoredToken::from(token))
            .map_err(|e| TokenStoreError::Backend(format!("cannot serialize token: {}", category(&e))))?;
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)?;
            }
            let tmp = temporary_beside(&path)?;
            if let Err(e) = write_private(&tmp, &bytes).and_then(|()| std::fs::rename(&tmp, &path)) {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
            Ok(())
        })
        .await
        .map_err(|e| TokenStoreError::Backend(format!("token writer task failed: {e}")))?
        .map_err(|e| self.io(e))
    }

    async fn clear(&self) -> Result<(), TokenStoreError> {
        match tokio::fs::remove_file(&self.path).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(self.io(e)),
        }
    }
}

fn category(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Io => "I/O error",
        serde_json::error::Category::Syntax => "invalid JSON",
        serde_json::error::Category::Data => "unexpected content",
        serde_json::error::Category::Eof => "file ends early",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[tokio::test]
    async fn file_round_trip_with_private_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileTokenStore::new(dir.path().join("sub/token.json"));
        assert!(store.load().await.unwrap().is_none());
        let mut token = Token::from_access_token("AT-1");
        token.refresh_token = Some("RT-1".to_owned().into());
        store.save(&token).await.unwrap();
        let back = store.load().await.unwrap().unwrap();
        assert_eq!(back.access_token.expose_secret(), "AT-1");
        assert_eq!(back.refresh_token.unwrap().expose_secret(), "RT-1");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(store.path()).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        store.clear().await.unwrap();
        assert!(store.load().await.unwrap().is_none());
        store.clear().await.unwrap();
    }

    #[tokio::test]
    async fn corrupt_file_error_does_not_echo_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token.json");
        std::fs::write(&path, "SECRET-LOOKING-GARBAGE").unwrap();
        let err = FileTokenStore::new(&path).load().await.unwrap_err().to_string();
        assert!(err.contains("not a valid token file"), "{err}");
        assert!(!err.contains("SECRET"), "{err}");
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_planted_link_at_the_old_temporary_name_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "untouched").unwrap();
        // Where the store used to write first, and the names a writer might try.
        std::os::unix::fs::symlink(&victim, dir.path().join("token.tmp")).unwrap();
        let store = FileTokenStore::new(dir.path().join("token.json"));
        store.save(&Token::from_access_token("AT-2")).await.unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");
        assert_eq!(store.load().await.unwrap().unwrap().access_token.expose_secret(), "AT-2");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp") && n != "token.tmp")
            .collect();
        assert!(left.is_empty(), "no temporary file left behind: {left:?}");
    }
}
