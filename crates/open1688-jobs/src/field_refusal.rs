//! Why a request field was refused, as data with its figures: each surface says it in its
//! reader's language (the API by `Accept-Language`, an agent's tool by its `language` argument,
//! the terminal in English with the field as its flag). One exhaustive match per language, so a
//! refusal without a translation does not compile.

use rust_decimal::Decimal;
use sourcing::Language;

/// What was wrong with one field of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldRefusal {
    /// A number below the least allowed (and what was given, when it says more).
    AtLeast {
        /// The least allowed.
        least: i64,
        /// What was given.
        got: Option<i64>,
    },
    /// A number above the most allowed.
    AtMost {
        /// The most allowed.
        most: i64,
        /// What was given.
        got: i64,
    },
    /// A number outside its range.
    Between {
        /// The least allowed.
        least: i64,
        /// The most allowed.
        most: i64,
        /// What was given.
        got: i64,
    },
    /// Nothing given where something is needed.
    Empty,
    /// A negative amount where none may be.
    Negative,
    /// A lower bound above its upper bound (`price_min` above `price_max`).
    AboveUpper {
        /// The upper bound's field.
        upper: &'static str,
        /// The lower bound given.
        value: Decimal,
        /// The upper bound given.
        upper_value: Decimal,
    },
    /// A word outside its choices.
    NotOneOf {
        /// The words it takes.
        choices: &'static [&'static str],
        /// What was given.
        got: String,
    },
    /// Anything else, in the words of whatever refused it (a file's parser, the store): English,
    /// with the field named first in other languages.
    Said(String),
}

/// A count or size as a refusal's figure (saturating: a count beyond `i64` is refused anyway).
pub fn figure(n: impl TryInto<i64>) -> i64 {
    n.try_into().unwrap_or(i64::MAX)
}

impl FieldRefusal {
    /// A number outside `least..=most`.
    pub fn between(least: impl TryInto<i64>, most: impl TryInto<i64>, got: impl TryInto<i64>) -> Self {
        Self::Between { least: figure(least), most: figure(most), got: figure(got) }
    }

    /// A number below `least`.
    pub fn at_least(least: i64, got: impl TryInto<i64>) -> Self {
        Self::AtLeast { least, got: Some(figure(got)) }
    }

    /// A number above `most`.
    pub fn at_most(most: impl TryInto<i64>, got: impl TryInto<i64>) -> Self {
        Self::AtMost { most: figure(most), got: figure(got) }
    }

    /// The refusal of `field` as a sentence in `language`. English names the field first, as
    /// the terminal turns it into its flag (`need must be at least 1, got 0`).
    pub fn render(&self, field: &str, language: Language) -> String {
        match language {
            Language::En => self.english(field),
            Language::Zh => self.chinese(field),
        }
    }

    fn english(&self, field: &str) -> String {
        match self {
            Self::AtLeast { least, got: Some(got) } => format!("{field} must be at least {least}, got {got}"),
            Self::AtLeast { least, got: None } => format!("{field} must be at least {least}"),
            Self::AtMost { most, got } => format!("{field} must be at most {most}, got {got}"),
            Self::Between { least, most, got } => format!("{field} must be {least} to {most}, got {got}"),
            Self::Empty => format!("{field} is empty"),
            Self::Negative => format!("{field} must not be negative"),
            Self::AboveUpper { upper, value, upper_value } => {
                format!("{field} {value} is above {upper} {upper_value}")
            }
            Self::NotOneOf { choices, got } => format!("{field} must be one of {}, got {got:?}", choices.join(", ")),
            Self::Said(words) => words.clone(),
        }
    }

    fn chinese(&self, field: &str) -> String {
        match self {
            Self::AtLeast { least, got: Some(got) } => format!("{field} 不能小于 {least}（收到 {got}）"),
            Self::AtLeast { least, got: None } => format!("{field} 不能小于 {least}"),
            Self::AtMost { most, got } => format!("{field} 不能大于 {most}（收到 {got}）"),
            Self::Between { least, most, got } => format!("{field} 须在 {least} 到 {most} 之间（收到 {got}）"),
            Self::Empty => format!("{field} 不能为空"),
            Self::Negative => format!("{field} 不能为负数"),
            Self::AboveUpper { upper, value, upper_value } => {
                format!("{field}（{value}）高于 {upper}（{upper_value}）")
            }
            Self::NotOneOf { choices, got } => format!("{field} 须为 {} 之一（收到 {got:?}）", choices.join("、")),
            Self::Said(words) => format!("{field} 有误：{words}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_names_the_field_first_and_chinese_says_the_same_figures() {
        let low = FieldRefusal::AtLeast { least: 1, got: Some(0) };
        assert_eq!(low.render("need", Language::En), "need must be at least 1, got 0");
        assert_eq!(low.render("need", Language::Zh), "need 不能小于 1（收到 0）");
        let range = FieldRefusal::Between { least: 1, most: 50, got: 90 };
        assert_eq!(range.render("limit", Language::En), "limit must be 1 to 50, got 90");
        assert_eq!(range.render("limit", Language::Zh), "limit 须在 1 到 50 之间（收到 90）");
        let bounds =
            FieldRefusal::AboveUpper { upper: "price_max", value: Decimal::from(30), upper_value: Decimal::from(20) };
        assert_eq!(bounds.render("price_min", Language::En), "price_min 30 is above price_max 20");
        assert_eq!(bounds.render("price_min", Language::Zh), "price_min（30）高于 price_max（20）");
        assert_eq!(FieldRefusal::Empty.render("keyword", Language::Zh), "keyword 不能为空");
        let said = FieldRefusal::Said("plan file a.csv: line 2 has no quantity".into());
        assert_eq!(said.render("plan", Language::En), "plan file a.csv: line 2 has no quantity");
        assert!(said.render("plan", Language::Zh).starts_with("plan 有误："));
    }
}
