//! What can stop a job, typed so that every surface maps it the same way: the CLI to an exit
//! code, the service to an HTTP status, an agent to a tool error.

use sourcing::EngineError;

/// How a job failed, in the terms a surface needs to answer its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request was wrong (a bad field, an unreadable file): fix it and ask again.
    Invalid,
    /// The thing asked about does not exist (an offer, a watch, any history).
    NotFound,
    /// The app or its token is not allowed: authorize again.
    Authorization,
    /// The app's call quota is spent: retry later.
    QuotaExhausted,
    /// The job ran and nothing met the request (no priced offer, no acceptable supplier): a
    /// wider search or looser conditions may find an answer; a retry of the same cannot.
    NoAnswer,
    /// The job was cancelled by its caller.
    Cancelled,
    /// Anything else: the platform, the store or the machine failed; a retry may help.
    Failed,
}

/// Why a job could not give its report.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// A field of the request is wrong; the message names it and what was given. A retry with
    /// the same request cannot help.
    #[error("{message}")]
    Invalid {
        /// The request field (or file and line) at fault, e.g. `need` or `plan line 3`.
        field: String,
        /// What is wrong, for a person.
        message: String,
    },
    /// The thing asked about does not exist; a retry cannot help.
    #[error("{0}")]
    NotFound(String),
    /// A gateway call failed; `context` says which call (e.g. `offer 123`). Whether a retry can
    /// help is the SDK error's to say.
    #[error("{context}: {source}")]
    Gateway {
        /// What was being fetched.
        context: String,
        /// The SDK's error (boxed: it is large, and errors travel through every job).
        #[source]
        source: Box<open1688::Error>,
    },
    /// The decision engine refused the inputs (a quantity out of range, an offer without price).
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The store failed.
    #[error("the store: {0}")]
    Store(#[from] open1688_store::StoreError),
    /// The catalog's search index failed.
    #[error(transparent)]
    Index(#[from] open1688_store::IndexError),
    /// The job ran but has no answer (nothing found, no acceptable supplier).
    #[error("{0}")]
    NoAnswer(String),
    /// Writing an output file (workbook, chart, folder) failed.
    #[error("writing {path}: {message}")]
    Output {
        /// The file or folder.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// The caller cancelled the job; nothing further was fetched.
    #[error("cancelled")]
    Cancelled,
}

/// The wait [`JobError::retry_after`] suggests when the platform's quota is spent.
pub const QUOTA_RETRY: std::time::Duration = std::time::Duration::from_secs(3_600);

/// The result of a job.
pub type Result<T, E = JobError> = std::result::Result<T, E>;

impl JobError {
    /// A wrong request field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid { field: field.into(), message: message.into() }
    }

    /// A failed gateway call about `context`.
    pub fn gateway(context: impl Into<String>, source: open1688::Error) -> Self {
        Self::Gateway { context: context.into(), source: Box::new(source) }
    }

    /// A failed write of `path`.
    pub fn output(path: &std::path::Path, message: impl std::fmt::Display) -> Self {
        Self::Output { path: path.display().to_string(), message: message.to_string() }
    }

    /// How long the caller should wait before asking again, for a spent quota: until the
    /// caller's share of calls has refilled, until the local daily cap resets, else an hour (the platform's daily quota renews at midnight China time,
    /// so an hour is a polite first retry). `None` for every other failure.
    pub fn retry_after(&self, now: chrono::DateTime<chrono::Utc>) -> Option<std::time::Duration> {
        if self.kind() != ErrorKind::QuotaExhausted {
            return None;
        }
        let reset = match self {
            Self::Gateway { source, .. } => match source.as_ref() {
                open1688::Error::DailyQuotaExhausted { resets_at, .. } => (*resets_at - now).to_std().ok(),
                open1688::Error::CallShareSpent { retry_after, .. } => Some(*retry_after),
                _ => None,
            },
            _ => None,
        };
        Some(reset.unwrap_or(QUOTA_RETRY).max(std::time::Duration::from_secs(1)))
    }

    /// What kind of failure this is, for exit codes and HTTP statuses.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Invalid { .. } => ErrorKind::Invalid,
            Self::NotFound(_) => ErrorKind::NotFound,
            Self::Gateway { source, .. } => gateway_kind(source),
            Self::Engine(e) => match e {
                EngineError::BadQuantity { .. }
                | EngineError::UnknownSku { .. }
                | EngineError::UnknownOffer { .. }
                | EngineError::BadLine { .. }
                | EngineError::NoSuchSku { .. }
                | EngineError::AmbiguousSku { .. }
                | EngineError::BadScorecard { .. }
                // Only quantities or prices too large for any purchase overflow: the asker's to
                // change (a service answers 422, not 500).
                | EngineError::Overflow => ErrorKind::Invalid,
                EngineError::NotEnoughStock { .. }
                | EngineError::NoShippingData { .. }
                | EngineError::CannotAllocate { .. } => ErrorKind::NoAnswer,
                EngineError::NoPrice { .. }
                | EngineError::NoExchangeRate { .. }
                | EngineError::Solver { .. } => ErrorKind::Failed,
            },
            Self::NoAnswer(_) => ErrorKind::NoAnswer,
            Self::Store(_) | Self::Output { .. } | Self::Index(_) => ErrorKind::Failed,
            Self::Cancelled => ErrorKind::Cancelled,
        }
    }
}

/// What the platform's "does not exist" means for `what` (`offer 123`), said once for every
/// surface that reports it.
pub fn not_found_on_1688(what: &str) -> String {
    format!("{what} was not found on 1688: it may have been taken down, or the id is mistyped")
}

/// The kind of an SDK error (for surfaces that call the SDK directly, too): quota and authorization are the caller's to fix; a request the SDK
/// refused before sending was malformed.
pub fn gateway_kind(e: &open1688::Error) -> ErrorKind {
    if e.is_quota_exhausted() {
        ErrorKind::QuotaExhausted
    } else if e.is_authorization() {
        ErrorKind::Authorization
    } else if e.is_not_found() {
        ErrorKind::NotFound
    } else if matches!(e, open1688::Error::InvalidRequest(_) | open1688::Error::Image { .. }) {
        ErrorKind::Invalid
    } else {
        ErrorKind::Failed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_follow_the_cause() {
        assert_eq!(JobError::invalid("need", "need must be at least 1").kind(), ErrorKind::Invalid);
        assert_eq!(JobError::Engine(EngineError::BadQuantity { quantity: 0 }).kind(), ErrorKind::Invalid);
        assert_eq!(JobError::Engine(EngineError::Overflow).kind(), ErrorKind::Invalid, "inputs too large");
        assert_eq!(JobError::NotFound("offer 1".into()).kind(), ErrorKind::NotFound);
        assert_eq!(JobError::Cancelled.kind(), ErrorKind::Cancelled);
        let refused = open1688::Error::InvalidRequest("bad".into());
        assert_eq!(JobError::gateway("offer 1", refused).kind(), ErrorKind::Invalid);
    }

    #[test]
    fn a_spent_quota_says_when_to_ask_again() {
        let now = chrono::Utc::now();
        let cap = open1688::Error::DailyQuotaExhausted { limit: 10, resets_at: now + chrono::Duration::minutes(30) };
        let wait = JobError::gateway("search", cap).retry_after(now).unwrap();
        assert_eq!(wait.as_secs(), 30 * 60);
        let past = open1688::Error::DailyQuotaExhausted { limit: 10, resets_at: now - chrono::Duration::minutes(1) };
        assert_eq!(JobError::gateway("search", past).retry_after(now), Some(QUOTA_RETRY));
        assert_eq!(JobError::NotFound("offer 1".into()).retry_after(now), None);
        let share = open1688::Error::CallShareSpent { api: "a".into(), retry_after: std::time::Duration::from_secs(4) };
        assert_eq!(JobError::gateway("search", share).retry_after(now), Some(std::time::Duration::from_secs(4)));
    }
}
