//! The store's errors.

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or failed (retrying may help when it is a connection problem).
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Migrations could not be applied.
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Stored data could not be read back.
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    /// A watch to add makes no sense (says which part); fix the input, a retry will not help.
    #[error("invalid watch: {0}")]
    InvalidWatch(String),
    /// The URL names no supported database.
    #[error("unsupported database URL {0:?} (use sqlite://… or postgres://…)")]
    Url(String),
}

/// Result of the store.
pub type Result<T> = std::result::Result<T, StoreError>;
