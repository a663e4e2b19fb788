//! The CLI's errors and their exit codes: 0 ok, 1 runtime error, 2 usage error, 3 authorization
//! or permission error, 4 quota exhausted. The code follows from the error's type, never from
//! searching its message.

use open1688_jobs::{ErrorKind, JobError};

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A mistake in what the user asked for (exit code 2).
    #[error("{0}")]
    Usage(String),
    /// A job of the application layer failed; its kind gives the code.
    #[error(transparent)]
    Job(#[from] JobError),
    /// An SDK call made by the CLI itself (authorization commands) failed.
    #[error(transparent)]
    Gateway(#[from] open1688::Error),
    /// Anything else: starting the sandbox, the store, the terminal (exit code 1).
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl From<open1688_store::StoreError> for CliError {
    fn from(e: open1688_store::StoreError) -> Self {
        Self::Job(JobError::Store(e))
    }
}

/// Exit code of a kind of job failure.
fn kind_code(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::Invalid => 2,
        ErrorKind::Authorization => 3,
        ErrorKind::QuotaExhausted => 4,
        // A missing offer, watch or history is a runtime answer, as a failed search would be;
        // an unknown watch id is the user's mistake (see `CliError::exit_code`).
        ErrorKind::NotFound | ErrorKind::NoAnswer | ErrorKind::Cancelled | ErrorKind::Failed => 1,
    }
}

impl CliError {
    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Usage(_) => 2,
            Self::Job(e) => kind_code(e.kind()),
            Self::Gateway(e) => kind_code(open1688_jobs::error::gateway_kind(e)),
            Self::Other(_) => 1,
        }
    }
}

/// A usage error.
pub fn usage(message: impl Into<String>) -> CliError {
    CliError::Usage(message.into())
}
