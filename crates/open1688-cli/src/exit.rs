//! Exit codes: 0 ok, 1 runtime error, 2 usage error, 3 authorization or permission error,
//! 4 quota exhausted.

/// A mistake in what the user asked for (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// A usage error as an `anyhow::Error`.
pub fn usage(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UsageError(message.into()))
}

/// The exit code for an error.
pub fn code(err: &anyhow::Error) -> i32 {
    for cause in err.chain() {
        if cause.downcast_ref::<UsageError>().is_some() {
            return 2;
        }
        if let Some(e) = cause.downcast_ref::<open1688::Error>() {
            if e.is_quota_exhausted() {
                return 4;
            }
            if e.is_authorization() {
                return 3;
            }
            if matches!(e, open1688::Error::InvalidRequest(_)) {
                return 2;
            }
        }
    }
    1
}
