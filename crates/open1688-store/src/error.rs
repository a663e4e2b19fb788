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
    /// Something else to store makes no sense (an API key without a name); fix the input.
    #[error("{0}")]
    Invalid(String),
    /// A statement has no form for this database (a bug in this crate, not in the input; a retry
    /// will not help). Says which statement and why.
    #[error("a statement cannot run on this database: {0}")]
    Dialect(String),
    /// The URL names no supported database. Holds the URL without its password.
    #[error("unsupported database URL {0:?} (use sqlite://…, postgres://… or mysql://…)")]
    Url(String),
}

/// Result of the store.
pub type Result<T> = std::result::Result<T, StoreError>;

/// `url` with any password replaced by `***`, for messages (`postgres://app:***@db/x`).
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let (authority, path) = rest.split_once('/').map_or((rest, None), |(a, p)| (a, Some(p)));
    let authority = match authority.rsplit_once('@') {
        Some((user_info, host)) => match user_info.split_once(':') {
            Some((user, _password)) => format!("{user}:***@{host}"),
            None => format!("{user_info}@{host}"),
        },
        None => authority.to_owned(),
    };
    match path {
        Some(path) => format!("{scheme}://{authority}/{path}"),
        None => format!("{scheme}://{authority}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(redact_url("postgres://app:hunter2@db.internal:5432/x"), "postgres://app:***@db.internal:5432/x");
        assert_eq!(redact_url("mysql://root@127.0.0.1/test"), "mysql://root@127.0.0.1/test");
        assert_eq!(redact_url("sqlite:///tmp/a.db"), "sqlite:///tmp/a.db");
        let e = StoreError::Url(redact_url("oracle://scott:tiger@host/db"));
        assert!(!e.to_string().contains("tiger"), "{e}");
    }
}
