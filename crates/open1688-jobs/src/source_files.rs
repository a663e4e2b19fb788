//! The sourcing job's files: the workbook (every sheet of the report), the answer's plan file (and
//! a cheaper split's) and
//! the charts (price histogram, supplier bars, scorecard radar, price ladder). Needs the `xlsx` and `charts`
//! features.

use std::path::{Path, PathBuf};

use sourcing::Language;

use crate::candidates::supplier_name;
use crate::chart_words::ChartWords;
use crate::compare::bars;
use crate::data_source::DataSource;
use crate::error::{JobError, Result};
use crate::offers::ladder_points;
use crate::progress::{Progress, Stage};
use crate::seller::radar_axes;
use crate::source::{SPLIT_PLAN_FILE, SourceReport};

impl SourceReport {
    /// Writes `sourcing.xlsx` and the charts into `dir` (created if needed) for a reader of
    /// `language`, reporting stage 4 of the job, and returns the files written.
    pub fn write_outputs(&self, dir: &Path, progress: &Progress, language: Language) -> Result<Vec<PathBuf>> {
        let words = ChartWords::of(language);
        progress.check()?;
        progress.stage(4, 4, Stage::WritingFiles);
        std::fs::create_dir_all(dir).map_err(|e| JobError::output(dir, e))?;
        // A file an earlier run wrote and this one does not (a pick's ladder after a split-only
        // answer) would be read as part of this answer.
        for name in OUTPUTS {
            let path = dir.join(name);
            if path.exists() {
                std::fs::remove_file(&path).map_err(|e| JobError::output(&path, e))?;
            }
        }
        let mut written = Vec::new();
        let workbook = dir.join("sourcing.xlsx");
        let sheets = self.sheets_in(language);
        let source = if self.simulated { DataSource::Sandbox } else { DataSource::Platform };
        crate::workbook::write_xlsx(&workbook, &sheets.iter().collect::<Vec<_>>(), source, language)?;
        written.push(workbook);
        let plan = dir.join("plan.csv");
        std::fs::write(&plan, self.plan_csv()).map_err(|e| JobError::output(&plan, e))?;
        written.push(plan);
        if let (Some(_), Some(split)) = (&self.decision, &self.split) {
            let path = dir.join(SPLIT_PLAN_FILE);
            std::fs::write(&path, crate::plan_file::plan_csv(&split.allocation.plan))
                .map_err(|e| JobError::output(&path, e))?;
            written.push(path);
        }

        let points: Vec<sourcing::PricePoint> =
            self.candidates.iter().filter_map(|c| sourcing::PricePoint::from_offer(&c.offer, self.need)).collect();
        if let Ok(market) = sourcing::market_report(&points, 10, 0) {
            let path = dir.join("price-histogram.png");
            crate::charts::price_histogram(
                &path,
                words,
                &format!("{} {} @ {}", self.keyword, words.price_distribution, self.need),
                &market.histogram,
                market.price.mean,
                market.price.median,
            )?;
            written.push(path);
        }
        let path = dir.join("suppliers.png");
        crate::charts::supplier_bars(
            &path,
            words,
            &format!("{}: {}", self.keyword, words.landed_by_supplier),
            &bars(&self.comparison, 15),
        )?;
        written.push(path);
        if let Some(pick) = self.pick() {
            let path = dir.join("scorecard.png");
            crate::charts::scorecard_radar(
                &path,
                &format!("{} {}", supplier_name(&pick.supplier, &pick.offer), pick.score.score.round_dp(1)),
                &radar_axes(&pick.score, language),
            )?;
            written.push(path);
            let tiers = ladder_points(&pick.offer);
            if !tiers.is_empty() {
                let path = dir.join("ladder.png");
                let mut marks = vec![crate::charts::LadderMark::Need(self.need)];
                let bought = self.plan.orders.iter().flat_map(|o| &o.lines).filter(|l| l.offer_id == pick.offer.id);
                if let Some(buy) = bought.map(|l| l.quantity).reduce(i64::saturating_add) {
                    marks.push(crate::charts::LadderMark::Buy(buy));
                }
                crate::charts::ladder_steps(
                    &path,
                    words,
                    &format!("{} {}", pick.offer.title, words.price_ladder),
                    &tiers,
                    self.need.saturating_mul(2),
                    &marks,
                )?;
                written.push(path);
            }
        }
        Ok(written)
    }

    /// The answer's plan as a plan file (`offer_id,sku_id,quantity`), the form `plan` and
    /// `order preview` read, so the answer goes to an order without being typed again: the
    /// pick's, or the split's when only a split holds the need.
    pub fn plan_csv(&self) -> String {
        crate::plan_file::plan_csv(&self.plan)
    }
}

/// Every file the job may write into its folder.
const OUTPUTS: [&str; 7] = [
    "sourcing.xlsx",
    "plan.csv",
    SPLIT_PLAN_FILE,
    "price-histogram.png",
    "suppliers.png",
    "scorecard.png",
    "ladder.png",
];
