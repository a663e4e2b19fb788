//! The language a tool's messages to a person are in: every tool takes an optional `language`
//! argument (`zh` or `en`, English unless said), which only changes the words of a failure;
//! reports, field names and codes are the same in both.

use open1688_jobs::{FieldRefusal, JobError, Language};
use rmcp::model::JsonObject;
use serde_json::{Value, json};

/// The argument's name.
pub const ARGUMENT: &str = "language";

/// The languages it takes.
pub const CHOICES: &[&str] = &["zh", "en"];

/// The argument's schema, added to every tool's input.
pub fn property() -> Value {
    json!({
        "type": "string",
        "enum": CHOICES,
        "description": "The language of this tool's messages to a person (its errors): zh for Chinese, en for English (the default). Reports are the same in both.",
    })
}

/// Takes the `language` argument out of `arguments` (the tool's own request does not have it):
/// the language asked for, English when absent, or a refusal naming it.
pub fn take(arguments: &mut JsonObject) -> Result<Language, JobError> {
    match arguments.remove(ARGUMENT) {
        None | Some(Value::Null) => Ok(Language::En),
        Some(Value::String(tag)) if tag == "zh" => Ok(Language::Zh),
        Some(Value::String(tag)) if tag == "en" => Ok(Language::En),
        Some(other) => {
            let got = other.as_str().map_or_else(|| other.to_string(), str::to_owned);
            Err(JobError::refused(ARGUMENT, FieldRefusal::NotOneOf { choices: CHOICES, got }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arguments(value: Value) -> JsonObject {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn the_language_is_taken_out_and_a_wrong_one_is_named() {
        let mut args = arguments(json!({"keyword": "杯", "language": "zh"}));
        assert_eq!(take(&mut args).unwrap(), Language::Zh);
        assert!(!args.contains_key("language"), "the tool's request never sees it");
        assert_eq!(take(&mut arguments(json!({}))).unwrap(), Language::En);
        let e = take(&mut arguments(json!({"language": "fr"}))).unwrap_err();
        assert_eq!(e.to_string(), "language must be one of zh, en, got \"fr\"");
        assert_eq!(e.render(Language::Zh), "language 须为 zh、en 之一（收到 \"fr\"）");
    }
}
