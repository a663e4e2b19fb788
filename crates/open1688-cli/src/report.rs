//! Tabular output: one model (`Sheet`) rendered as an aligned table (CJK-width aware), JSON with
//! stable field names (money as exact decimal strings), CSV, or XLSX sheets with number formats,
//! frozen headers, fitted columns and the data-source note.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use comfy_table::{ContentArrangement, Table, presets};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format as XFormat, Workbook};
use serde_json::{Map, Value as Json};

use crate::cli::Format;

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A whole number.
    Int(i64),
    /// Money (CNY).
    Money(Decimal),
    /// Another decimal (scores, rates).
    Num(Decimal),
    /// Unknown.
    Empty,
}

impl Cell {
    /// Text, or empty when absent.
    pub fn opt_text(v: Option<impl Into<String>>) -> Self {
        v.map_or(Cell::Empty, |s| Cell::Text(s.into()))
    }

    /// Whole number, or empty.
    pub fn opt_int(v: Option<i64>) -> Self {
        v.map_or(Cell::Empty, Cell::Int)
    }

    /// Money, or empty.
    pub fn opt_money(v: Option<Decimal>) -> Self {
        v.map_or(Cell::Empty, Cell::Money)
    }

    fn display(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Money(d) => format!("{:.2}", d.round_dp(2)),
            Cell::Num(d) => d.normalize().to_string(),
            Cell::Empty => String::new(),
        }
    }

    fn json(&self) -> Json {
        match self {
            Cell::Text(s) => Json::String(s.clone()),
            Cell::Int(i) => Json::from(*i),
            // Exact decimals as strings: JSON numbers would be read back as floats.
            Cell::Money(d) => Json::String(d.round_dp(2).to_string()),
            Cell::Num(d) => Json::String(d.normalize().to_string()),
            Cell::Empty => Json::Null,
        }
    }
}

/// A table with named columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// Sheet name (XLSX) and title.
    pub name: String,
    /// Column names: the JSON field names and CSV headers.
    pub columns: Vec<&'static str>,
    /// Rows.
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    /// An empty sheet.
    pub fn new(name: &str, columns: &[&'static str]) -> Self {
        Self { name: name.to_owned(), columns: columns.to_vec(), rows: Vec::new() }
    }

    /// Adds a row.
    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }

    /// Aligned table text.
    pub fn table(&self) -> String {
        let mut t = Table::new();
        t.load_style(presets::UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Disabled);
        t.set_header(self.columns.iter().copied());
        for row in &self.rows {
            t.add_row(row.iter().map(Cell::display));
        }
        t.to_string()
    }

    /// JSON array of objects.
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

    /// CSV text.
    pub fn csv(&self) -> anyhow::Result<String> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&self.columns)?;
        for row in &self.rows {
            w.write_record(row.iter().map(Cell::display))?;
        }
        Ok(String::from_utf8(w.into_inner()?)?)
    }
}

/// Prints sheets to stdout in the chosen format (several sheets: titled tables, one JSON object
/// keyed by sheet name, CSV sections).
pub fn print(format: Format, sheets: &[&Sheet]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Table => {
            for (i, s) in sheets.iter().enumerate() {
                if sheets.len() > 1 {
                    writeln!(out, "{}{}", if i > 0 { "\n" } else { "" }, s.name)?;
                }
                writeln!(out, "{}", s.table())?;
            }
        }
        Format::Json => {
            let value = if sheets.len() == 1 {
                sheets[0].json()
            } else {
                Json::Object(sheets.iter().map(|s| (s.name.clone(), s.json())).collect())
            };
            writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        }
        Format::Csv => {
            for (i, s) in sheets.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                write!(out, "{}", s.csv()?)?;
            }
        }
    }
    Ok(())
}

/// Writes sheets as an XLSX workbook.
pub fn write_xlsx(path: &Path, sheets: &[&Sheet]) -> anyhow::Result<()> {
    let mut book = Workbook::new();
    let header = XFormat::new().set_bold().set_background_color(0xDDEBF7);
    let money = XFormat::new().set_num_format("¥#,##0.00");
    let number = XFormat::new().set_num_format("0.####");
    let note = XFormat::new().set_italic().set_font_color(0x808080);
    for s in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&s.name)?;
        for (c, name) in s.columns.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *name, &header)?;
        }
        for (r, row) in s.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(t) => {
                        ws.write_string(r, c, t)?;
                    }
                    Cell::Int(i) => {
                        ws.write_number(r, c, *i as f64)?;
                    }
                    Cell::Money(d) => {
                        ws.write_number_with_format(r, c, d.round_dp(2).to_f64().unwrap_or_default(), &money)?;
                    }
                    Cell::Num(d) => {
                        ws.write_number_with_format(r, c, d.to_f64().unwrap_or_default(), &number)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        ws.write_string_with_format(
            s.rows.len() as u32 + 2,
            0,
            "数据来源 1688 (data source: 1688.com via open1688)",
            &note,
        )?;
        ws.set_freeze_panes(1, 0)?;
        ws.autofit();
    }
    book.save(path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
