//! Quantities in attribute values: a number or a range with a unit (`0.35L`, `350-500毫升`,
//! `20*30cm`), converted into the measure's base unit.

use std::fmt;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A unit a measure knows, with its factor into the measure's base unit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unit {
    /// The unit as written, matched without case (`毫升`, `ml`).
    pub token: String,
    /// The measure it belongs to (`volume`).
    pub measure: String,
    /// The measure's base unit (`ml`).
    pub base: String,
    /// Base units in one of this unit.
    pub factor: Decimal,
}

/// A quantity found in a value, in its measure's base unit: one value (`low == high`), a range,
/// or the sides of a box (`dimensions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Measure {
    /// What is measured: `volume`, `weight`, `length`, `power`, `count`, `pairs`, or a measure of
    /// the user's rules.
    pub measure: String,
    /// The base unit (`ml`, `g`, `cm`, `W`, `pcs`).
    pub unit: String,
    /// The value, or the range's low end.
    pub low: Decimal,
    /// The range's high end (equal to `low` for one value).
    pub high: Decimal,
    /// Every side of a size written as `20*30*10cm`, in order (empty otherwise).
    pub dimensions: Vec<Decimal>,
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.dimensions.is_empty() {
            let sides: Vec<String> = self.dimensions.iter().map(|d| d.normalize().to_string()).collect();
            return write!(f, "{} {}", sides.join("×"), self.unit);
        }
        if self.low == self.high {
            write!(f, "{} {}", self.low.normalize(), self.unit)
        } else {
            write!(f, "{}–{} {}", self.low.normalize(), self.high.normalize(), self.unit)
        }
    }
}

/// A number at the start of `s` (`1.5`, `350`): its value and the bytes it took.
fn number(s: &str) -> Option<(Decimal, usize)> {
    let end = s.char_indices().find(|(_, c)| !(c.is_ascii_digit() || *c == '.')).map_or(s.len(), |(i, _)| i);
    let text = s[..end].trim_end_matches('.');
    if text.is_empty() || !text.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    text.parse::<Decimal>().ok().map(|d| (d, text.len()))
}

/// How many bytes of `s` spell `token` (lower case) when `s` is read without case.
fn strip_token(s: &str, token: &str) -> Option<usize> {
    let mut chars = s.char_indices();
    for expected in token.chars() {
        let (_, c) = chars.next()?;
        if !c.to_lowercase().eq(std::iter::once(expected)) {
            return None;
        }
    }
    Some(chars.next().map_or(s.len(), |(i, _)| i))
}

/// The longest unit at the start of `s` (matched without case), not followed by another ASCII
/// letter (so `500ml` is millilitres, not metres, and `2mx` is no unit at all).
fn unit_at<'u>(s: &str, units: &'u [Unit]) -> Option<(&'u Unit, usize)> {
    units
        .iter()
        .filter_map(|u| strip_token(s, &u.token).map(|n| (u, n)))
        .filter(|(u, n)| !(u.token.is_ascii() && s[*n..].starts_with(|c: char| c.is_ascii_alphabetic())))
        .max_by_key(|(u, _)| u.token.len())
}

fn skip_spaces(s: &str) -> &str {
    s.trim_start_matches(' ')
}

const RANGE_MARKS: [&str; 7] = ["-", "~", "～", "〜", "–", "至", "到"];
const TIMES_MARKS: [&str; 4] = ["*", "×", "x", "X"];

/// The first quantity in `s` (width already folded): numbers joined by a range mark or by `*`/`×`,
/// then a unit. A number without a unit is no measure. The unit of a range or a box applies to
/// every number (`350-500ml`, `20*30cm`); a range may repeat it (`350ml-500ml`).
pub(crate) fn find(s: &str, units: &[Unit]) -> Option<Measure> {
    let mut from = 0;
    while from < s.len() {
        let rest = &s[from..];
        let Some(offset) = rest.find(|c: char| c.is_ascii_digit()) else { break };
        let start = from + offset;
        // A number glued to a letter before it is part of a word (`iPhone15`, `A4`).
        let glued = s[..start].chars().next_back().is_some_and(|c| c.is_ascii_alphabetic());
        if !glued && let Some((measure, _)) = measure_at(&s[start..], units) {
            return Some(measure);
        }
        // Move past this run of digits.
        let run = s[start..].find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len() - start);
        from = start + run.max(1);
    }
    None
}

fn measure_at(s: &str, units: &[Unit]) -> Option<(Measure, usize)> {
    let (first, used) = number(s)?;
    let mut values = vec![first];
    let mut rest = skip_spaces(&s[used..]);
    let mut boxed = false;
    let mut unit = unit_at(rest, units).map(|(u, n)| {
        rest = skip_spaces(&rest[n..]);
        u
    });
    // More numbers: a range (two) or a box (two or three sides).
    loop {
        let mark = RANGE_MARKS
            .iter()
            .map(|m| (m, false))
            .chain(TIMES_MARKS.iter().map(|m| (m, true)))
            .find(|(m, _)| rest.starts_with(**m));
        let Some((mark, times)) = mark else { break };
        let after = skip_spaces(&rest[mark.len()..]);
        let Some((next, n)) = number(after) else { break };
        let allowed = if times { values.len() == 1 || boxed } else { values.len() == 1 };
        if !allowed {
            break;
        }
        boxed |= times;
        values.push(next);
        rest = skip_spaces(&after[n..]);
        if let Some((u, n)) = unit_at(rest, units) {
            // `350ml-500ml`: the same unit again; a different one ends the match.
            if unit.is_some_and(|known| known.measure != u.measure) {
                break;
            }
            unit = Some(u);
            rest = skip_spaces(&rest[n..]);
        }
        if values.len() == 3 {
            break;
        }
    }
    let unit = unit?;
    let base: Vec<Decimal> = values.iter().map(|v| (v * unit.factor).normalize()).collect();
    let (low, high) = if boxed {
        (base.iter().copied().min()?, base.iter().copied().max()?)
    } else {
        let (a, b) = (base[0], *base.last()?);
        (a.min(b), a.max(b))
    };
    let measure = Measure {
        measure: unit.measure.clone(),
        unit: unit.base.clone(),
        low,
        high,
        dimensions: if boxed { base } else { Vec::new() },
    };
    Some((measure, s.len() - rest.len()))
}
