//! How a job's failure reaches an agent: a tool error (`isError: true`) carrying the same message
//! the CLI prints, what kind of failure it is and, for a spent quota, when to ask again. Never a
//! protocol error: an agent's client shows tool errors to the model, which can fix its arguments.

use chrono::{DateTime, Utc};
use open1688_jobs::{ErrorKind, JobError, Language};
use rmcp::model::{CallToolResult, ContentBlock, MetaObject};
use serde_json::json;

/// The tool error for `error`, as of `now`, said in `language`.
pub fn tool_error(error: &JobError, now: DateTime<Utc>, language: Language) -> CallToolResult {
    let retry_after = error.retry_after(now);
    let mut message = error.render(language);
    if let Some(wait) = retry_after {
        let wait = human_wait(wait.as_secs(), language);
        message.push_str(&match language {
            Language::En => format!(" — the app's call quota is spent; retry in {wait}"),
            Language::Zh => format!(" — 请 {wait}后再试"),
        });
    }
    let field = match error {
        JobError::Invalid { field, .. } => Some(field.clone()),
        _ => None,
    };
    let mut meta = serde_json::Map::new();
    meta.insert(
        "open1688/error".into(),
        json!({
            "kind": kind_name(error.kind()),
            "field": field,
            "retry_after_seconds": retry_after.map(|w| w.as_secs()),
        }),
    );
    CallToolResult::error(vec![ContentBlock::text(message)]).with_meta(Some(MetaObject(meta)))
}

/// The kind's name as agents read it.
pub fn kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Invalid => "invalid",
        ErrorKind::NotFound => "not_found",
        ErrorKind::Authorization => "authorization",
        ErrorKind::QuotaExhausted => "quota_exhausted",
        ErrorKind::NoAnswer => "no_answer",
        ErrorKind::Cancelled => "cancelled",
        ErrorKind::Failed => "failed",
    }
}

/// `3600` → `60 min`, `90` → `2 min`, `20` → `20 s`, `7200` → `2 h` (in Chinese `2 小时`).
fn human_wait(seconds: u64, language: Language) -> String {
    let (number, unit) = match seconds {
        0..=59 => (seconds, ["s", "秒"]),
        60..=5_399 => (seconds.div_ceil(60), ["min", "分钟"]),
        _ => (seconds.div_ceil(3_600), ["h", "小时"]),
    };
    let unit = match language {
        Language::En => unit[0],
        Language::Zh => unit[1],
    };
    format!("{number} {unit}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_invalid_argument_names_its_field_and_a_spent_quota_says_when() {
        let now = Utc::now();
        let low = JobError::refused("need", open1688_jobs::FieldRefusal::at_least(1, 0));
        let result = tool_error(&low, now, Language::En);
        assert_eq!(result.is_error, Some(true));
        let text = result.content[0].as_text().unwrap().text.clone();
        assert_eq!(text, "need must be at least 1, got 0");
        let meta = result.meta.unwrap();
        assert_eq!(meta.0.get("open1688/error").unwrap()["field"], "need");

        let spent =
            || open1688::Error::DailyQuotaExhausted { limit: 5, resets_at: now + chrono::Duration::minutes(90) };
        let result = tool_error(&JobError::gateway("search", spent()), now, Language::En);
        let text = result.content[0].as_text().unwrap().text.clone();
        assert!(text.ends_with("retry in 2 h"), "{text}");
        let chinese = tool_error(&JobError::gateway("search", spent()), now, Language::Zh);
        let text = chinese.content[0].as_text().unwrap().text.clone();
        assert!(text.starts_with("本应用的 1688 调用额度已用完") && text.ends_with("请 2 小时后再试"), "{text}");
        assert_eq!(result.meta.unwrap().0.get("open1688/error").unwrap()["kind"], "quota_exhausted");

        let result = tool_error(&low, now, Language::Zh);
        assert_eq!(result.content[0].as_text().unwrap().text, "need 不能小于 1（收到 0）");
    }

    #[test]
    fn waits_read_like_a_person_would_say_them() {
        assert_eq!(human_wait(20, Language::En), "20 s");
        assert_eq!(human_wait(90, Language::En), "2 min");
        assert_eq!(human_wait(3_600, Language::En), "60 min");
        assert_eq!(human_wait(7_200, Language::En), "2 h");
        assert_eq!(human_wait(90, Language::Zh), "2 分钟");
    }
}
