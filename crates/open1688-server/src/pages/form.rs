//! Forms: what was wrong with each field, shown next to the field, in the words the service's
//! problem documents use.

use std::str::FromStr;

use maud::{Markup, html};

use crate::problem::Problem;

/// Messages by field name, in the order found.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FieldErrors {
    errors: Vec<(String, String)>,
    /// A problem that names no field of the form.
    general: Option<String>,
}

impl FieldErrors {
    /// Notes what was wrong with `field`.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push((field.to_owned(), message.into()));
    }

    /// The message for `field`, if it was wrong.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }

    /// `value` when nothing was wrong, else the errors.
    pub fn into_result<T>(self, value: T) -> Result<T, Self> {
        if self.errors.is_empty() && self.general.is_none() { Ok(value) } else { Err(self) }
    }

    /// A problem of the whole form, shown above it.
    pub fn alert(message: impl Into<String>) -> Self {
        Self { errors: Vec::new(), general: Some(message.into()) }
    }

    /// A problem from the service: next to its field when the form has it, else above the form.
    pub fn from_problem(problem: &Problem, fields: &[&str]) -> Self {
        let mut errors = Self::default();
        match problem.field.as_deref() {
            Some(field) if fields.contains(&field) => errors.add(field, problem.detail.to_string()),
            Some(field) => errors.general = Some(format!("{field}: {}", problem.detail)),
            None => errors.general = Some(problem.detail.to_string()),
        }
        errors
    }

    /// The problem that names no field, as an alert above the form.
    pub fn summary(&self) -> Markup {
        html! {
            @if let Some(message) = &self.general {
                p.form-error role="alert" { (message) }
            }
        }
    }
}

/// The message under a field (its id is `{field}-error`, which the input names in
/// `aria-describedby`).
pub fn field_error(field: &str, errors: &FieldErrors) -> Markup {
    html! {
        @if let Some(message) = errors.get(field) {
            p.field-error id=(format!("{field}-error")) role="alert" { (message) }
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
            errors.add(field, format!("{text:?} is not a number"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    #[test]
    fn a_problem_lands_next_to_its_field_or_above_the_form() {
        let named = Problem::invalid("quantity", "need at least 1");
        let errors = FieldErrors::from_problem(&named, &["keyword", "quantity"]);
        assert_eq!(errors.get("quantity"), Some("need at least 1"));
        assert!(errors.summary().into_string().is_empty());
        let other = FieldErrors::from_problem(&named, &["keyword"]);
        assert!(other.summary().into_string().contains("quantity: need at least 1"));
        let platform = FieldErrors::from_problem(&Problem::new(StatusCode::BAD_GATEWAY, "gw down"), &["keyword"]);
        assert!(platform.summary().into_string().contains("gw down"));
        assert!(platform.into_result(()).is_err());
    }

    #[test]
    fn empty_fields_are_absent_and_bad_ones_are_noted() {
        let mut errors = FieldErrors::default();
        assert_eq!(parse_optional::<i64>("  ", "q", &mut errors), None);
        assert_eq!(parse_optional::<i64>(" 12 ", "q", &mut errors), Some(12));
        assert_eq!(parse_optional::<i64>("１２", "q", &mut errors), None);
        assert_eq!(errors.get("q"), Some("\"１２\" is not a number"));
    }
}
