//! The catalog's ETL step for attributes: sellers name the same thing differently (`颜色`, `色彩`,
//! `colour`) and write the same value differently (`350ml`, `0.35L`, `350毫升`, `３５０ＭＬ`).
//! [`SpecRules`] turns each (name, value) into one vocabulary, keeping what the seller wrote
//! beside it. The rules are data: [`SpecRules::default`] reads the bundled `spec_rules.toml`, and
//! [`SpecRules::extend`] merges a user's file of the same shape over it.

mod measure;
mod text;

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use measure::Measure;
use measure::Unit;
pub use text::{fold_width, match_key};

/// The bundled rules.
const DEFAULT_RULES: &str = include_str!("spec_rules.toml");

/// A rules file that cannot be used: the TOML is malformed or a factor is not a number.
#[derive(Debug, thiserror::Error)]
pub enum SpecRulesError {
    /// The file is not valid TOML of the rules' shape (the message names the line).
    #[error("the attribute rules are not valid: {0}")]
    Syntax(String),
    /// A unit's factor is not a positive decimal.
    #[error("measure {measure:?}, unit {unit:?}: factor {factor:?} is not a positive decimal number")]
    Factor {
        /// The measure.
        measure: String,
        /// The unit.
        unit: String,
        /// The factor as written.
        factor: String,
    },
}

/// The rules file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    names: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    values: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    #[serde(default)]
    measures: BTreeMap<String, MeasureFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MeasureFile {
    base: String,
    units: BTreeMap<String, String>,
}

/// Rules that standardize attribute names and values.
#[derive(Debug, Clone)]
pub struct SpecRules {
    /// Alias match key → canonical name.
    names: HashMap<String, String>,
    /// Canonical name → (alias match key → canonical value).
    values: HashMap<String, HashMap<String, String>>,
    units: Vec<Unit>,
}

/// One attribute standardized, with what the seller wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StandardAttribute {
    /// The canonical name (`color`), or the seller's name width-folded when no rule knows it.
    pub name: String,
    /// The canonical value (`black`, `350 ml`), or the seller's value width-folded.
    pub value: String,
    /// The name as the seller wrote it.
    pub raw_name: String,
    /// The value as the seller wrote it.
    pub raw_value: String,
    /// The quantity in the value, in its measure's base unit, when it has one.
    pub measure: Option<Measure>,
    /// Whether a rule knew the name.
    pub known_name: bool,
}

impl Default for SpecRules {
    /// The bundled rules (`spec_rules.toml`).
    fn default() -> Self {
        let mut rules = Self { names: HashMap::new(), values: HashMap::new(), units: Vec::new() };
        rules.extend(DEFAULT_RULES).expect("the bundled attribute rules are valid (tested)");
        rules
    }
}

impl SpecRules {
    /// Rules with nothing in them: every attribute passes through width-folded.
    pub fn empty() -> Self {
        Self { names: HashMap::new(), values: HashMap::new(), units: Vec::new() }
    }

    /// Merges a rules file (the shape of the bundled `spec_rules.toml`) over these rules: each
    /// alias it lists now means what it says there; units it lists replace the same unit.
    pub fn extend(&mut self, toml_text: &str) -> Result<&mut Self, SpecRulesError> {
        let file: RulesFile = toml::from_str(toml_text).map_err(|e| SpecRulesError::Syntax(e.to_string()))?;
        for (canonical, aliases) in file.names {
            for alias in aliases.iter().chain(std::iter::once(&canonical)) {
                self.names.insert(match_key(alias), canonical.clone());
            }
        }
        for (name, table) in file.values {
            let known = self.values.entry(name).or_default();
            for (canonical, aliases) in table {
                for alias in aliases.iter().chain(std::iter::once(&canonical)) {
                    known.insert(match_key(alias), canonical.clone());
                }
            }
        }
        for (measure, spec) in file.measures {
            for (token, factor) in spec.units {
                let parsed = factor.parse::<Decimal>().ok().filter(|f| *f > Decimal::ZERO);
                let Some(factor) = parsed else {
                    return Err(SpecRulesError::Factor { measure, unit: token, factor });
                };
                let token = match_key(&token);
                self.units.retain(|u| u.token != token);
                self.units.push(Unit { token, measure: measure.clone(), base: spec.base.clone(), factor });
            }
        }
        Ok(self)
    }

    /// The canonical name of an attribute name, if a rule knows it.
    pub fn name(&self, raw_name: &str) -> Option<&str> {
        self.names.get(&match_key(raw_name)).map(String::as_str)
    }

    /// The first quantity in a value (`大号 0.5L` → 500 ml), if it has one with a known unit.
    pub fn measure(&self, raw_value: &str) -> Option<Measure> {
        measure::find(&fold_width(raw_value), &self.units)
    }

    /// Standardizes one attribute: a known value alias of its name first, then a quantity, else
    /// the value width-folded.
    pub fn standardize(&self, raw_name: &str, raw_value: &str) -> StandardAttribute {
        let canonical_name = self.name(raw_name);
        let name = canonical_name.map_or_else(|| fold_width(raw_name), str::to_owned);
        let alias = self.values.get(&name).and_then(|table| table.get(&match_key(raw_value)));
        let measure = if alias.is_some() { None } else { self.measure(raw_value) };
        let value = match (alias, &measure) {
            (Some(v), _) => v.clone(),
            (None, Some(m)) => m.to_string(),
            (None, None) => fold_width(raw_value),
        };
        StandardAttribute {
            name,
            value,
            raw_name: raw_name.to_owned(),
            raw_value: raw_value.to_owned(),
            measure,
            known_name: canonical_name.is_some(),
        }
    }

    /// Standardizes a list of attributes, in order.
    pub fn standardize_all<'a>(
        &self,
        attributes: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Vec<StandardAttribute> {
        attributes.into_iter().map(|(n, v)| self.standardize(n, v)).collect()
    }
}

#[cfg(test)]
mod tests;
