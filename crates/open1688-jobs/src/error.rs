//! What can stop a job, typed so that every surface maps it the same way: the CLI to an exit
//! code, the service to an HTTP status, an agent to a tool error.

use sourcing::{EngineError, Language};

use crate::field_refusal::FieldRefusal;

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
    /// A field of the request is wrong; the refusal says what and what was given. A retry with
    /// the same request cannot help.
    #[error("{}", .refusal.render(.field, Language::En))]
    Invalid {
        /// The request field (or file and line) at fault, e.g. `need` or `plan line 3`.
        field: String,
        /// What is wrong with it, as data each surface says in its reader's language.
        refusal: FieldRefusal,
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
    /// A wrong request field, in the words of whatever refused it (English only: prefer
    /// [`JobError::refused`] with a [`FieldRefusal`] that every language can say).
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid { field: field.into(), refusal: FieldRefusal::Said(message.into()) }
    }

    /// A wrong request field, and why, as data.
    pub fn refused(field: impl Into<String>, refusal: FieldRefusal) -> Self {
        Self::Invalid { field: field.into(), refusal }
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
    not_found_on_1688_in(what, Language::En)
}

/// [`not_found_on_1688`] in `language`.
pub fn not_found_on_1688_in(what: &str, language: Language) -> String {
    match language {
        Language::En => format!("{what} was not found on 1688: it may have been taken down, or the id is mistyped"),
        Language::Zh => format!("1688 上找不到{}：可能已下架，或编号有误", what_in_chinese(what)),
    }
}

/// What a gateway call asked about (`offer 123`, `seller b2b-1`, `order 5`), in Chinese: the
/// contexts the jobs give name the thing first.
fn what_in_chinese(what: &str) -> String {
    for (english, chinese) in [("offer ", "商品 "), ("seller ", "卖家 "), ("order ", "订单 ")] {
        if let Some(rest) = what.strip_prefix(english) {
            return format!("{chinese}{rest}");
        }
    }
    format!(" {what}")
}

impl JobError {
    /// The failure as a sentence in `language`, for a person: a refused field and the
    /// platform's "does not exist" fully; any other failure as what it means for the reader
    /// (and what to do), followed by the words of whatever failed, which are English.
    pub fn render(&self, language: Language) -> String {
        if language == Language::En {
            return self.to_string();
        }
        let detail = self.to_string();
        match (self, self.kind()) {
            (Self::Invalid { field, refusal }, _) => refusal.render(field, language),
            (Self::Gateway { context, .. }, ErrorKind::NotFound) => not_found_on_1688_in(context, language),
            (Self::Cancelled, _) => "已取消".to_owned(),
            (_, ErrorKind::Invalid) => format!("请求有误：{detail}"),
            (_, ErrorKind::NotFound) => format!("找不到：{detail}"),
            (_, ErrorKind::NoAnswer) => format!("没有符合条件的结果，可放宽条件或换个关键词再试：{detail}"),
            (_, ErrorKind::QuotaExhausted) => format!("本应用的 1688 调用额度已用完，请稍后再试：{detail}"),
            (_, ErrorKind::Authorization) => format!("1688 不接受本应用的凭证，请检查应用密钥或重新授权：{detail}"),
            (_, ErrorKind::Cancelled) => "已取消".to_owned(),
            (_, ErrorKind::Failed) => format!("处理失败，稍后重试可能成功：{detail}"),
        }
    }
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
    fn failures_are_said_in_the_readers_language() {
        let low = JobError::refused("need", FieldRefusal::AtLeast { least: 1, got: Some(0) });
        assert_eq!(low.to_string(), "need must be at least 1, got 0");
        assert_eq!(low.render(Language::En), low.to_string());
        assert_eq!(low.render(Language::Zh), "need 不能小于 1（收到 0）");
        let gone = open1688::Error::Business {
            api: "com.alibaba.fenxiao.crossborder:product.search.queryProductDetail-1".into(),
            failure: open1688::types::BusinessFailure {
                family: open1688::types::ResponseFamily::Trade,
                code: Some("404".into()),
                message: Some("no".into()),
            },
        };
        let gone = JobError::gateway("offer 1", gone);
        assert_eq!(gone.kind(), ErrorKind::NotFound);
        assert_eq!(gone.render(Language::Zh), "1688 上找不到商品 1：可能已下架，或编号有误");
        assert_eq!(
            not_found_on_1688_in("seller b2b-22", Language::Zh),
            "1688 上找不到卖家 b2b-22：可能已下架，或编号有误"
        );
        assert!(!gone.render(Language::Zh).contains("com.alibaba"), "no internal API name");
        assert_eq!(JobError::Cancelled.render(Language::Zh), "已取消");
        let none = JobError::NoAnswer("no offers found for \"杯\"".into());
        assert!(none.render(Language::Zh).starts_with("没有符合条件的结果"), "{}", none.render(Language::Zh));
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
