//! Sheets as an Excel workbook: number formats for money, frozen headers, fitted columns and the
//! data-source note under every table.

use std::path::Path;

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::error::{JobError, Result};
use crate::sheet::{Cell, Sheet};

/// The note under every sheet: where the data came from.
pub const SOURCE_NOTE: &str = "数据来源 1688 (data source: 1688.com via open1688)";

/// Writes `sheets` as one workbook at `path`.
pub fn write_xlsx(path: &Path, sheets: &[&Sheet]) -> Result<()> {
    build(sheets).and_then(|mut book| book.save(path)).map_err(|e| JobError::output(path, e))
}

fn build(sheets: &[&Sheet]) -> Result<Workbook, XlsxError> {
    let mut book = Workbook::new();
    let header = Format::new().set_bold().set_background_color(0xDDEBF7);
    let money = Format::new().set_num_format("¥#,##0.00");
    let number = Format::new().set_num_format("0.####");
    let note = Format::new().set_italic().set_font_color(0x808080);
    for s in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&s.name)?;
        for (c, name) in s.columns.iter().enumerate() {
            ws.write_string_with_format(0, column(c), *name, &header)?;
        }
        for (r, row) in s.rows.iter().enumerate() {
            let r = line(r + 1);
            for (c, cell) in row.iter().enumerate() {
                let c = column(c);
                match cell {
                    Cell::Text(t) => {
                        ws.write_string(r, c, t)?;
                    }
                    // Excel holds numbers as doubles; ids up to 2^53 are exact there.
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
        ws.write_string_with_format(line(s.rows.len() + 2), 0, SOURCE_NOTE, &note)?;
        ws.set_freeze_panes(1, 0)?;
        ws.autofit();
    }
    Ok(book)
}

/// A row index as Excel counts them (beyond its 1,048,576 rows the writer reports the error).
fn line(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// A column index (beyond Excel's 16,384 columns the writer reports the error).
fn column(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}
