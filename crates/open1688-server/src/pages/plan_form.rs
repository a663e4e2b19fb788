//! The plan page's form for typed or uploaded lines (the CLI's CSV or TOML), read from its
//! multipart body into a plan request; the plan page and the cart's import both take it.

use axum::extract::Multipart;
use open1688_jobs::{PlanFormat, PlanRequest, parse_plan};

use super::form::{FieldErrors, FieldProblem};
use crate::problem::Problem;

/// The example the empty form shows.
pub(super) const EXAMPLE: &str = "offer_id,sku_id,quantity\n";

/// The form as sent: typed lines, an uploaded file, and whether to optimize.
#[derive(Debug, Default)]
pub(super) struct PlanForm {
    /// The lines typed (CSV).
    pub lines: String,
    /// An uploaded plan file: its name and text.
    pub file: Option<(String, String)>,
    /// Raise quantities where a higher tier lowers the total.
    pub optimize: bool,
}

impl PlanForm {
    /// Reads the multipart form (a file of any name; text fields as typed).
    pub(super) async fn read(mut multipart: Multipart) -> Result<Self, Problem> {
        let mut form = Self::default();
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|e| Problem::invalid("file", format!("the form did not arrive whole: {e}")))?
        {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let text = field.text().await.map_err(|e| Problem::invalid(&name, format!("not text: {e}")))?;
            match name.as_str() {
                "lines" => form.lines = text,
                "optimize" => form.optimize = true,
                "file" if !text.trim().is_empty() => {
                    form.file = Some((file_name.unwrap_or_else(|| "upload".into()), text))
                }
                _ => {}
            }
        }
        Ok(form)
    }

    /// The plan request: the uploaded file's lines, else the typed ones.
    pub(super) fn to_request(&self) -> Result<PlanRequest, FieldErrors> {
        let parsed = match &self.file {
            Some((name, text)) => {
                let format =
                    if name.to_ascii_lowercase().ends_with(".toml") { PlanFormat::Toml } else { PlanFormat::Csv };
                parse_plan(text, format, name).map_err(|e| ("file", e))
            }
            None => parse_plan(&self.lines, PlanFormat::Csv, "lines").map_err(|e| ("lines", e)),
        };
        match parsed {
            Ok(lines) if lines.is_empty() => {
                let mut errors = FieldErrors::default();
                errors.add("lines", FieldProblem::NoPlanLines);
                Err(errors)
            }
            Ok(lines) => Ok(PlanRequest { lines, optimize: self.optimize }),
            Err((field, e)) => {
                let mut errors = FieldErrors::default();
                errors.add(field, FieldProblem::Said(Problem::from(e).detail.to_string()));
                Err(errors)
            }
        }
    }
}

/// The request's lines as the CSV the form takes.
pub(super) fn lines_csv(request: &PlanRequest) -> String {
    let mut text = EXAMPLE.to_owned();
    for line in &request.lines {
        let sku = line.sku_id.map(|s| s.to_string()).unwrap_or_default();
        text.push_str(&format!("{},{sku},{}\n", line.offer_id, line.quantity));
    }
    text
}
