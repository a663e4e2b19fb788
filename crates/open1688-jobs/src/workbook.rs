//! Sheets as an Excel workbook a buying team can forward: ids as text (Excel keeps only 15
//! digits of a number), money in yuan with thousands separators, links that open, long text
//! wrapped in columns of a readable width, a filter on every header, frozen headers titled in
//! the reader's language above each column's stable name, and the data's source under every
//! table in that language — saying so when the data is the sandbox's simulation.

use std::path::Path;

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{Format, FormatAlign, Url, Workbook, Worksheet, XlsxError};

use sourcing::Language;

use crate::data_source::DataSource;
use crate::error::{JobError, Result};
use crate::sheet::{Cell, Sheet};

/// The widest a column is fitted to, in pixels (about 45 characters); longer text wraps.
const MAX_COLUMN_PIXELS: u32 = 320;

/// Text longer than this many characters is wrapped in its cell.
const WRAP_AFTER_CHARS: usize = 40;

/// Writes `sheets` as one workbook at `path` for a reader of `language`, noting `source` under
/// each.
pub fn write_xlsx(path: &Path, sheets: &[&Sheet], source: DataSource, language: Language) -> Result<()> {
    build(sheets, source, language).and_then(|mut book| book.save(path)).map_err(|e| JobError::output(path, e))
}

/// The cell formats of a workbook.
struct Formats {
    header: Format,
    money: Format,
    number: Format,
    wrapped: Format,
    note: Format,
}

impl Formats {
    fn new() -> Self {
        Self {
            // Two lines: the Chinese title, then the column's stable name.
            header: Format::new().set_bold().set_background_color(0xDDEBF7).set_text_wrap().set_align(FormatAlign::Top),
            money: Format::new().set_num_format("¥#,##0.00"),
            number: Format::new().set_num_format("#,##0.####"),
            wrapped: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            note: Format::new().set_italic().set_font_color(0x808080),
        }
    }
}

fn build(sheets: &[&Sheet], source: DataSource, language: Language) -> Result<Workbook, XlsxError> {
    let mut book = Workbook::new();
    let formats = Formats::new();
    for s in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&s.name)?;
        write_sheet(ws, s, &formats, language)?;
        if !s.columns.is_empty() {
            ws.autofilter(0, 0, line(s.rows.len()), column(s.columns.len() - 1))?;
        }
        ws.set_freeze_panes(1, 0)?;
        ws.set_autofit_max_width(MAX_COLUMN_PIXELS);
        ws.autofit();
        // Written after fitting, so the note does not widen the first column.
        ws.write_string_with_format(line(s.rows.len() + 2), 0, source.note(language), &formats.note)?;
    }
    Ok(book)
}

fn write_sheet(ws: &mut Worksheet, sheet: &Sheet, formats: &Formats, language: Language) -> Result<(), XlsxError> {
    let ids: Vec<bool> = sheet.columns.iter().map(|name| is_id_column(name)).collect();
    for (c, name) in sheet.columns.iter().enumerate() {
        ws.write_string_with_format(0, column(c), crate::column_titles::header(name, language), &formats.header)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let r = line(r + 1);
        for (c, cell) in row.iter().enumerate() {
            let id = ids.get(c).copied().unwrap_or(false);
            let c = column(c);
            match cell {
                Cell::Text(t) if is_link(t) => {
                    ws.write_url(r, c, Url::new(t.as_str()))?;
                }
                Cell::Text(t) if t.chars().count() > WRAP_AFTER_CHARS => {
                    ws.write_string_with_format(r, c, t, &formats.wrapped)?;
                }
                Cell::Text(t) => {
                    ws.write_string(r, c, t)?;
                }
                // An id is a name, not a quantity: as text it keeps all its digits (a number in
                // Excel keeps 15, and shows 13 in scientific notation).
                Cell::Int(i) if id => {
                    ws.write_string(r, c, i.to_string())?;
                }
                // Quantities are far below 2^53, where Excel's doubles are exact.
                Cell::Int(i) => {
                    ws.write_number_with_format(r, c, *i as f64, &formats.number)?;
                }
                Cell::Money(d) => {
                    ws.write_number_with_format(r, c, d.round_dp(2).to_f64().unwrap_or_default(), &formats.money)?;
                }
                Cell::Num(d) => {
                    ws.write_number_with_format(r, c, d.to_f64().unwrap_or_default(), &formats.number)?;
                }
                Cell::Empty => {}
            }
        }
    }
    Ok(())
}

/// Whether a column holds ids (`offer_id`, `sku_id`, `order_id`, `id`…): our sheets name them so.
fn is_id_column(name: &str) -> bool {
    name == "id" || name.ends_with("_id") || name.ends_with("_ids")
}

/// Whether a text is a web address to write as a link.
fn is_link(text: &str) -> bool {
    (text.starts_with("https://") || text.starts_with("http://"))
        && !text.contains(char::is_whitespace)
        && text.len() <= 2_000
}

/// A row index as Excel counts them (beyond its 1,048,576 rows the writer reports the error).
fn line(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// A column index (beyond Excel's 16,384 columns the writer reports the error).
fn column(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_named_so_and_quantities_are_not() {
        for id in ["id", "offer_id", "sku_id", "order_id", "address_id", "offer_ids"] {
            assert!(is_id_column(id), "{id}");
        }
        for other in ["quantity", "moq", "stock", "idle", "batch", "rank"] {
            assert!(!is_id_column(other), "{other}");
        }
    }

    #[test]
    fn only_web_addresses_become_links() {
        assert!(is_link("https://detail.1688.com/offer/630526089341.html"));
        assert!(!is_link("javascript:alert(1)"));
        assert!(!is_link("https://a.example/ b"));
        assert!(!is_link("see https://a.example"));
    }
}
