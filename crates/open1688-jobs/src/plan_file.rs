//! Plan files: CSV (`offer_id,sku_id,quantity`, header optional, `#` comments; the SKU by id or
//! by attributes, `颜色=黑色;容量=500ml`) or TOML (`[[lines]]` tables, `sku_id` or
//! `spec = { "颜色" = "黑色" }`, keys quoted). Every error names the file and line.

use std::collections::BTreeMap;

use serde::Deserialize;
use sourcing::PlanLine;

use crate::error::{JobError, Result};

/// The format of a plan file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanFormat {
    /// `offer_id,sku_id,quantity` lines.
    Csv,
    /// `[[lines]]` tables with `offer_id`, optional `sku_id`, `quantity`.
    Toml,
}

impl PlanFormat {
    /// TOML for a `.toml` name, CSV otherwise.
    pub fn from_name(name: &str) -> Self {
        if name.to_ascii_lowercase().ends_with(".toml") { Self::Toml } else { Self::Csv }
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct PlanFile {
    lines: Vec<PlanLine>,
}

/// Reads plan lines from a file on disk (format by extension).
pub fn read_plan_file(path: &std::path::Path) -> Result<Vec<PlanLine>> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| JobError::invalid("plan", format!("cannot read plan file {name}: {e}")))?;
    parse_plan(&text, PlanFormat::from_name(&name), &name)
}

/// Parses plan lines; `name` is how errors refer to the file (a path or an upload's name).
pub fn parse_plan(text: &str, format: PlanFormat, name: &str) -> Result<Vec<PlanLine>> {
    let lines = match format {
        PlanFormat::Toml => {
            toml::from_str::<PlanFile>(text)
                .map_err(|e| JobError::invalid("plan", format!("plan file {name}: {e}")))?
                .lines
        }
        PlanFormat::Csv => parse_csv(text, name)?,
    };
    if lines.is_empty() {
        return Err(JobError::invalid("plan", format!("plan file {name} has no lines")));
    }
    for (i, l) in lines.iter().enumerate() {
        if l.quantity <= 0 {
            return Err(JobError::invalid(
                format!("plan line {}", i + 1),
                format!("plan line {} of {name}: quantity must be at least 1, got {}", i + 1, l.quantity),
            ));
        }
    }
    Ok(lines)
}

fn parse_csv(text: &str, name: &str) -> Result<Vec<PlanLine>> {
    let mut lines = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let raw = raw.trim().trim_start_matches('\u{feff}');
        if raw.is_empty() || raw.starts_with('#') || (line_no == 1 && raw.starts_with("offer")) {
            continue;
        }
        let fields: Vec<&str> = raw.split(',').map(str::trim).collect();
        // Plan lines are counted as every later message counts them (the header and comments
        // are not plan lines); the file's own line number is given beside it for the editor.
        let entry = lines.len() + 1;
        let bad = |what: &str| {
            JobError::invalid(
                format!("plan line {entry}"),
                format!(
                    "plan line {entry} (line {line_no} of {name}): {what} (expected offer_id,sku_id,quantity): {raw:?}"
                ),
            )
        };
        let [offer, sku, quantity] = fields[..] else { return Err(bad("three fields")) };
        let offer_id = offer.parse().map_err(|_| bad("offer_id is not a whole number"))?;
        // The SKU by id, or by attributes: `颜色=黑色;容量=500ml`.
        let (sku_id, spec) = if sku.contains('=') {
            let mut spec = BTreeMap::new();
            for pair in sku.split(';').map(str::trim).filter(|p| !p.is_empty()) {
                let (k, v) = pair.split_once('=').ok_or_else(|| bad("a SKU attribute is not NAME=VALUE"))?;
                let (k, v) = (k.trim(), v.trim());
                if k.is_empty() || v.is_empty() {
                    return Err(bad("a SKU attribute is not NAME=VALUE"));
                }
                spec.insert(k.to_owned(), v.to_owned());
            }
            (None, spec)
        } else if sku.is_empty() {
            (None, BTreeMap::new())
        } else {
            (
                Some(sku.parse().map_err(|_| bad("sku_id is not a whole number or NAME=VALUE attributes"))?),
                BTreeMap::new(),
            )
        };
        let quantity: i64 = quantity.parse().map_err(|_| bad("quantity is not a whole number"))?;
        if quantity <= 0 {
            return Err(bad("quantity must be at least 1"));
        }
        lines.push(PlanLine { spec, ..PlanLine::new(offer_id, sku_id, quantity) });
    }
    Ok(lines)
}

/// A plan's lines as a plan file (`offer_id,sku_id,quantity`): the form `plan` and `order
/// preview` read, so an answer goes to an order without being typed again.
pub fn plan_csv(plan: &sourcing::PurchasePlan) -> String {
    let mut csv = String::from("offer_id,sku_id,quantity\n");
    for line in plan.orders.iter().flat_map(|order| &order.lines) {
        let sku = line.sku_id.map(|id| id.to_string()).unwrap_or_default();
        csv.push_str(&format!("{},{sku},{}\n", line.offer_id, line.quantity));
    }
    csv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_and_toml_give_the_same_lines_and_errors_name_the_line() {
        let csv = "offer_id,sku_id,quantity\n# a comment\n1,,10\n2,5,20\n";
        let toml = "[[lines]]\noffer_id = 1\nquantity = 10\n[[lines]]\noffer_id = 2\nsku_id = 5\nquantity = 20\n";
        let a = parse_plan(csv, PlanFormat::Csv, "p.csv").unwrap();
        assert_eq!(a, parse_plan(toml, PlanFormat::Toml, "p.toml").unwrap());
        assert_eq!(a[1], PlanLine::new(2, Some(5), 20));

        // Per-variant lines by attributes, the same in both formats.
        let csv = "1,颜色=黑色; 容量=500ml,10\n";
        let toml = "[[lines]]\noffer_id = 1\nspec = { \"颜色\" = \"黑色\", \"容量\" = \"500ml\" }\nquantity = 10\n";
        let a = parse_plan(csv, PlanFormat::Csv, "p.csv").unwrap();
        assert_eq!(a, parse_plan(toml, PlanFormat::Toml, "p.toml").unwrap());
        assert_eq!((a[0].sku_id, a[0].spec.get("容量").map(String::as_str)), (None, Some("500ml")));
        assert!(parse_plan("1,颜色=,10\n", PlanFormat::Csv, "p.csv").unwrap_err().to_string().contains("NAME=VALUE"));

        let e = parse_plan("1,,10\n1,,ten\n", PlanFormat::Csv, "p.csv").unwrap_err();
        assert!(e.to_string().contains("line 2") && e.to_string().contains("quantity"), "{e}");
        assert!(matches!(e, JobError::Invalid { ref field, .. } if field == "plan line 2"));
        // With a header and a comment, plan lines are still counted as plan lines (as every
        // later message counts them), the file's line beside.
        let e = parse_plan("offer_id,sku_id,quantity\n# note\n1,,10\n1,,ten\n", PlanFormat::Csv, "p.csv").unwrap_err();
        assert!(e.to_string().starts_with("plan line 2 (line 4 of p.csv)"), "{e}");
        assert!(parse_plan("1,10\n", PlanFormat::Csv, "p.csv").unwrap_err().to_string().contains("three fields"));
        assert!(parse_plan("", PlanFormat::Csv, "p.csv").unwrap_err().to_string().contains("no lines"));
        let negative = "[[lines]]\noffer_id = 1\nquantity = -3\n";
        assert!(parse_plan(negative, PlanFormat::Toml, "p.toml").unwrap_err().to_string().contains("line 1"));
    }
}
