//! One module per family of commands. Each command turns its arguments into a request, calls the
//! application layer, draws the chart it was asked for and returns the report's sheets.

pub mod admin;
pub mod catalog;
pub mod decide;
pub mod lookup;
pub mod monitor;
pub mod order;
pub mod sandbox_control;
pub mod serve;
pub mod source;
pub mod watch;

use std::path::Path;

use crate::context::Ctx;
use crate::exit::CliError;

/// Draws the command's chart when `--chart` was given, and says where.
pub fn chart(
    ctx: &Ctx,
    draw: impl FnOnce(&Path, open1688_jobs::Language) -> open1688_jobs::Result<()>,
) -> Result<(), CliError> {
    if let Some(path) = &ctx.chart {
        draw(path, ctx.file_language)?;
        ctx.note(&crate::terminal_notes::Note::Chart(path).render(ctx.language));
    }
    Ok(())
}
