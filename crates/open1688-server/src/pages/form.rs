//! Forms: what was wrong with each field, as data ([`FieldProblem`]), shown next to the field in
//! the reader's language.

use std::str::FromStr;

use maud::{Markup, html};
use sourcing::Language;

use super::comparison::units;
use super::text::Text;
use crate::problem::Problem;

/// What was wrong with a field. Each renders itself in every language in one exhaustive
/// `match`, so a missing translation does not compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldProblem {
    /// What was typed is not a number.
    NotANumber(String),
    /// Nothing was typed where something must be.
    Missing,
    /// A number below the least allowed.
    AtLeast(i64),
    /// A number outside the range allowed.
    Between(i64, i64),
    /// A value that is none of the choices.
    NotAChoice(String),
    /// A lowest price above the highest.
    AboveHighest {
        /// The lowest price typed.
        lowest: String,
        /// The highest price typed.
        highest: String,
    },
    /// What was typed is not an offer id.
    NotAnOfferId(String),
    /// A watch names neither an offer nor a keyword, or both.
    OfferOrKeyword,
    /// A comparison names no offers.
    PickOffers,
    /// A plan has no lines.
    NoPlanLines,
    /// Previewing orders needs a saved address.
    ChooseAddress,
    /// The service's words: English, and Chinese where the service can say it.
    Service {
        /// In English.
        english: String,
        /// In Chinese, where known.
        chinese: Option<String>,
    },
    /// Words already said: the page's own, in the reader's language.
    Said(String),
}

impl FieldProblem {
    /// What the service said of a field, in both its languages.
    pub fn of(problem: &Problem) -> Self {
        Self::Service { english: problem.detail.to_string(), chinese: problem.chinese.as_deref().map(str::to_owned) }
    }

    /// The sentence in `language`.
    pub fn render(&self, language: Language) -> String {
        use Language::{En, Zh};
        match (language, self) {
            (En, Self::NotANumber(text)) => format!("{text:?} is not a number"),
            (Zh, Self::NotANumber(text)) => format!("“{text}” 不是数字"),
            (En, Self::Missing) => "Fill this in".to_owned(),
            (Zh, Self::Missing) => "请填写此项".to_owned(),
            (En, Self::AtLeast(least)) => format!("at least {}", units(*least)),
            (Zh, Self::AtLeast(least)) => format!("至少为 {}", units(*least)),
            (En, Self::Between(lo, hi)) => format!("a number from {} to {}", units(*lo), units(*hi)),
            (Zh, Self::Between(lo, hi)) => format!("请输入 {} 到 {} 之间的数", units(*lo), units(*hi)),
            (En, Self::NotAChoice(text)) => format!("{text:?} is not one of the choices"),
            (Zh, Self::NotAChoice(text)) => format!("“{text}” 不是可选项"),
            (En, Self::AboveHighest { lowest, highest }) => format!("{lowest} is above the highest price {highest}"),
            (Zh, Self::AboveHighest { lowest, highest }) => format!("{lowest} 高于最高价 {highest}"),
            (En, Self::NotAnOfferId(text)) => format!("{text:?} is not an offer id"),
            (Zh, Self::NotAnOfferId(text)) => format!("“{text}” 不是商品 ID"),
            (En, Self::OfferOrKeyword) => "name an offer id or a keyword (one of them)".to_owned(),
            (Zh, Self::OfferOrKeyword) => "请填写商品 ID 或关键词（二选一）".to_owned(),
            (En, Self::PickOffers) => {
                "pick offers on the search page (or name one keyword, or one offer to match)".to_owned()
            }
            (Zh, Self::PickOffers) => "请在搜索页勾选商品（或填写一个关键词，或一个要找同款的商品）".to_owned(),
            (En, Self::NoPlanLines) => "type at least one line: offer, SKU (may be empty), quantity".to_owned(),
            (Zh, Self::NoPlanLines) => "请至少填写一行：商品 ID、SKU（可留空）、数量".to_owned(),
            (En, Self::ChooseAddress) => "choose the saved address the previewed orders would go to".to_owned(),
            (Zh, Self::ChooseAddress) => "请选择预览订单要寄往的已保存地址".to_owned(),
            (Zh, Self::Service { chinese: Some(chinese), .. }) => chinese.clone(),
            (_, Self::Service { english, .. }) => english.clone(),
            (_, Self::Said(words)) => words.clone(),
        }
    }
}

/// What was wrong, by field name, in the order found.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FieldErrors {
    errors: Vec<(String, FieldProblem)>,
    /// A problem that names no field of the form.
    general: Option<FieldProblem>,
}

impl FieldErrors {
    /// Notes what was wrong with `field`.
    pub fn add(&mut self, field: &str, problem: FieldProblem) {
        self.errors.push((field.to_owned(), problem));
    }

    /// What was wrong with `field`, if anything.
    pub fn get(&self, field: &str) -> Option<&FieldProblem> {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m)
    }

    /// `value` when nothing was wrong, else the errors.
    pub fn into_result<T>(self, value: T) -> Result<T, Self> {
        if self.errors.is_empty() && self.general.is_none() { Ok(value) } else { Err(self) }
    }

    /// A problem of the whole form, shown above it.
    pub fn alert(message: impl Into<String>) -> Self {
        Self { errors: Vec::new(), general: Some(FieldProblem::Said(message.into())) }
    }

    /// A problem from the service: next to its field when the form has it, else above the form.
    /// The service's words are in the reader's language where it can say them (a refused field
    /// always).
    pub fn from_problem(problem: &Problem, fields: &[&str]) -> Self {
        let mut errors = Self::default();
        let detail = FieldProblem::of(problem);
        match problem.field.as_deref() {
            Some(field) if fields.contains(&field) => errors.add(field, detail),
            _ => errors.general = Some(detail),
        }
        errors
    }

    /// The problem that names no field, as an alert above the form.
    pub fn summary(&self, t: &Text) -> Markup {
        html! {
            @if let Some(problem) = &self.general {
                p.form-error role="alert" { (problem.render(t.language)) }
            }
        }
    }
}

/// The message under a field (its id is `{field}-error`, which the input names in
/// `aria-describedby`).
pub fn field_error(t: &Text, field: &str, errors: &FieldErrors) -> Markup {
    html! {
        @if let Some(problem) = errors.get(field) {
            p.field-error id=(format!("{field}-error")) role="alert" { (problem.render(t.language)) }
        }
    }
}

/// A field that may be left empty; a value that does not parse is noted against the field.
pub fn parse_optional<T: FromStr>(text: &str, field: &str, errors: &mut FieldErrors) -> Option<T> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match text.parse() {
        Ok(value) => Some(value),
        Err(_) => {
            errors.add(field, FieldProblem::NotANumber(text.to_owned()));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::text::{EN, ZH};
    use axum::http::StatusCode;

    #[test]
    fn a_problem_lands_next_to_its_field_or_above_the_form() {
        let named =
            Problem::from(open1688_jobs::JobError::refused("quantity", open1688_jobs::FieldRefusal::at_least(1, 0)));
        let errors = FieldErrors::from_problem(&named, &["keyword", "quantity"]);
        let said = errors.get("quantity").unwrap();
        assert_eq!(said.render(Language::En), "quantity must be at least 1, got 0");
        assert_eq!(said.render(Language::Zh), "quantity 不能小于 1（收到 0）");
        assert!(errors.summary(&EN).into_string().is_empty());
        let other = FieldErrors::from_problem(&named, &["keyword"]);
        assert!(other.summary(&ZH).into_string().contains("quantity 不能小于 1"), "the refusal names its field once");
        let down = Problem::new(StatusCode::BAD_GATEWAY, "gw down");
        let platform = FieldErrors::from_problem(&down, &["keyword"]);
        assert!(platform.summary(&ZH).into_string().contains("gw down"));
        assert!(platform.into_result(()).is_err());
    }

    #[test]
    fn empty_fields_are_absent_and_bad_ones_are_noted() {
        let mut errors = FieldErrors::default();
        assert_eq!(parse_optional::<i64>("  ", "q", &mut errors), None);
        assert_eq!(parse_optional::<i64>(" 12 ", "q", &mut errors), Some(12));
        assert_eq!(parse_optional::<i64>("１２", "q", &mut errors), None);
        assert_eq!(errors.get("q"), Some(&FieldProblem::NotANumber("１２".into())));
        let said = field_error(&super::super::text::ZH, "q", &errors).into_string();
        assert!(said.contains("“１２” 不是数字") && said.contains("id=\"q-error\""), "{said}");
    }
}
