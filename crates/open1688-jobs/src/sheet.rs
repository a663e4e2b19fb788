//! The tabular view of a report: named columns of typed cells. Every surface renders the same
//! sheets: the CLI as aligned tables, JSON or CSV, the workbook as XLSX sheets, the service as
//! JSON rows. Column names are the JSON field names and CSV headers, so they are a stable API.

use rust_decimal::Decimal;
use serde_json::{Map, Value as Json};

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A whole number (ids, quantities).
    Int(i64),
    /// Money in yuan, shown with two decimals.
    Money(Decimal),
    /// Another exact decimal (scores, rates, days).
    Num(Decimal),
    /// Unknown or not applicable.
    Empty,
}

impl Cell {
    /// Text, or empty when absent.
    pub fn opt_text(v: Option<impl Into<String>>) -> Self {
        v.map_or(Cell::Empty, |s| Cell::Text(s.into()))
    }

    /// A whole number, or empty when absent.
    pub fn opt_int(v: Option<i64>) -> Self {
        v.map_or(Cell::Empty, Cell::Int)
    }

    /// Money, or empty when absent.
    pub fn opt_money(v: Option<Decimal>) -> Self {
        v.map_or(Cell::Empty, Cell::Money)
    }

    /// A count (`usize`) as a whole number; counts beyond `i64` do not occur in practice and
    /// saturate rather than wrap.
    pub fn count(n: usize) -> Self {
        Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }

    /// `yes` when true, empty otherwise.
    pub fn flag(v: bool) -> Self {
        Cell::Text(if v { "yes".into() } else { String::new() })
    }

    /// The text a table or CSV shows.
    pub fn display(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Money(d) => format!("{:.2}", d.round_dp(2)),
            Cell::Num(d) => d.normalize().to_string(),
            Cell::Empty => String::new(),
        }
    }

    /// The CSV field: the displayed text, with formula-like text defused (OWASP's advice on CSV
    /// injection). Numbers are never touched: a negative amount stays a number.
    fn csv_field(&self) -> String {
        match self {
            Cell::Text(t) if t.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{t}"),
            other => other.display(),
        }
    }

    /// The JSON value: exact decimals as strings, because JSON numbers are read back as floats;
    /// money always with two decimals, as in the table.
    pub fn json(&self) -> Json {
        match self {
            Cell::Text(s) => Json::String(s.clone()),
            Cell::Int(i) => Json::from(*i),
            Cell::Money(_) => Json::String(self.display()),
            Cell::Num(d) => Json::String(d.normalize().to_string()),
            Cell::Empty => Json::Null,
        }
    }
}

/// A table with named columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The sheet's name: the XLSX sheet name, the title above a table, the key in JSON.
    pub name: String,
    /// Column names: the JSON field names and CSV headers.
    pub columns: Vec<&'static str>,
    /// The rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    /// An empty sheet.
    pub fn new(name: &str, columns: &[&'static str]) -> Self {
        Self { name: name.to_owned(), columns: columns.to_vec(), rows: Vec::new() }
    }

    /// Adds a row (as many cells as columns).
    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }

    /// The rows as a JSON array of objects keyed by column name.
    pub fn json(&self) -> Json {
        Json::Array(
            self.rows
                .iter()
                .map(|row| {
                    Json::Object(
                        self.columns.iter().zip(row).map(|(c, v)| ((*c).to_owned(), v.json())).collect::<Map<_, _>>(),
                    )
                })
                .collect(),
        )
    }

    /// The sheet as CSV text with a header line. Text that a spreadsheet would run as a formula
    /// (a title starting with `=`, `+`, `-` or `@`, from a seller) is prefixed with `'`.
    pub fn csv(&self) -> Result<String, csv::Error> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&self.columns)?;
        for row in &self.rows {
            w.write_record(row.iter().map(Cell::csv_field))?;
        }
        let bytes = w.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// The columns of the cost vocabulary ([`sourcing::Figure`]), freight's source after freight: the
/// same names as the JSON fields of [`sourcing::CostFigures`].
pub fn cost_columns() -> Vec<&'static str> {
    let mut columns = Vec::with_capacity(sourcing::Figure::ALL.len() + 1);
    for figure in sourcing::Figure::ALL {
        columns.push(figure.key());
        if figure == sourcing::Figure::Freight {
            columns.push("freight_source");
        }
    }
    columns
}

/// The cells of [`cost_columns`] for one purchase.
pub fn cost_cells(cost: &sourcing::CostFigures) -> Vec<Cell> {
    let mut cells = Vec::with_capacity(sourcing::Figure::ALL.len() + 1);
    for figure in sourcing::Figure::ALL {
        cells.push(match figure {
            sourcing::Figure::QuantityNeeded => Cell::Int(cost.quantity_needed),
            sourcing::Figure::QuantityBought => Cell::Int(cost.quantity_bought),
            money => Cell::Money(cost.value(money)),
        });
        if figure == sourcing::Figure::Freight {
            cells.push(Cell::Text(cost.freight_source.key().to_owned()));
        }
    }
    cells
}

/// Several sheets as one JSON value: a single sheet's rows, or an object keyed by sheet name.
pub fn sheets_json(sheets: &[Sheet]) -> Json {
    match sheets {
        [one] => one.json(),
        many => Json::Object(many.iter().map(|s| (s.name.clone(), s.json())).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_a_two_decimal_string_and_empty_is_null() {
        let mut s = Sheet::new("t", &["id", "price", "note"]);
        s.push(vec![Cell::Int(1), Cell::Money("8.2".parse().unwrap()), Cell::Empty]);
        assert_eq!(s.json(), serde_json::json!([{"id": 1, "price": "8.20", "note": null}]));
        assert_eq!(s.csv().unwrap(), "id,price,note\n1,8.20,\n");
    }

    #[test]
    fn csv_defuses_formulas_in_text_but_not_negative_numbers() {
        let mut s = Sheet::new("t", &["title", "saving"]);
        s.push(vec![Cell::Text("=HYPERLINK(\"http://x\")".into()), Cell::Money("-3.5".parse().unwrap())]);
        s.push(vec![Cell::Text("@SUM(A1)".into()), Cell::Int(-2)]);
        s.push(vec![Cell::Text("保温杯 -20%".into()), Cell::Empty]);
        let csv = s.csv().unwrap();
        assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\",-3.50"), "{csv}");
        assert!(csv.contains("'@SUM(A1),-2"), "{csv}");
        assert!(csv.contains("保温杯 -20%,"), "{csv}");
    }
}
