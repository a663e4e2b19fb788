//! Sheets on stdout: aligned tables for people (CJK-width aware), JSON with stable field names
//! (money as exact decimal strings), or CSV sections.

use std::io::Write;

use comfy_table::{ContentArrangement, Table, presets};
use open1688_jobs::sheet::sheets_json;
use open1688_jobs::{Cell, Sheet};

use crate::args::Format;

/// Above this many columns a one-row sheet prints as a record, one field a line: a terminal
/// holds ten columns of figures side by side, not seventeen.
const RECORD_ABOVE_COLUMNS: usize = 10;

/// A record's width in terminal columns: long values (the why) wrap inside it.
const RECORD_WIDTH: u16 = 110;

/// A sheet as an aligned table (a wide sheet of one row as field and value lines).
fn table(sheet: &Sheet) -> String {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Disabled);
    if let [row] = sheet.rows.as_slice()
        && sheet.columns.len() > RECORD_ABOVE_COLUMNS
    {
        t.set_content_arrangement(ContentArrangement::Dynamic).set_width(RECORD_WIDTH);
        for (column, cell) in sheet.columns.iter().zip(row) {
            t.add_row([column.to_string(), cell.display()]);
        }
        return t.to_string();
    }
    t.set_header(sheet.columns.iter().copied());
    for row in &sheet.rows {
        t.add_row(row.iter().map(Cell::display));
    }
    t.to_string()
}

/// Prints sheets in the chosen format (several sheets: titled tables, one JSON object keyed by
/// sheet name, CSV sections separated by a blank line). A reader that stops early (`| head`) is
/// not an error.
pub fn print(format: Format, sheets: &[Sheet]) -> anyhow::Result<()> {
    match write_all(format, sheets) {
        Err(e) if e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) => {
            Ok(())
        }
        other => other,
    }
}

fn write_all(format: Format, sheets: &[Sheet]) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Table => {
            for (i, s) in sheets.iter().enumerate() {
                if sheets.len() > 1 {
                    writeln!(out, "{}{}", if i > 0 { "\n" } else { "" }, s.name)?;
                }
                writeln!(out, "{}", table(s))?;
            }
        }
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&sheets_json(sheets))?)?,
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
