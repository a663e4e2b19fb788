//! The sourcing job's files: the workbook (summary, offers, tiers, SKUs, suppliers with their
//! scorecard explanations, comparison, plan) and the charts (price histogram, supplier bars,
//! scorecard radar, price ladder).

use std::path::{Path, PathBuf};

use crate::candidates::supplier_name;
use crate::compare::{bars, comparison_sheet};
use crate::error::{JobError, Result};
use crate::offers::{ladder_points, push_tiers_and_skus, skus_sheet, tiers_sheet};
use crate::plan::plan_sheets;
use crate::progress::Progress;
use crate::seller::radar_axes;
use crate::sheet::{Cell, Sheet};
use crate::source::SourceReport;

impl SourceReport {
    /// Every sheet of the workbook, summary first.
    pub fn sheets(&self) -> Vec<Sheet> {
        let mut offers = Sheet::new(
            "offers",
            &["offer_id", "title", "title_en", "moq", "unit_price_at_need", "monthly_sales", "supplier", "url"],
        );
        let mut tiers = tiers_sheet();
        let mut skus = skus_sheet();
        let mut suppliers =
            Sheet::new("suppliers", &["supplier", "years", "identities", "score", "band", "action", "explanation"]);
        for c in &self.candidates {
            let o = &c.offer;
            offers.push(vec![
                Cell::Int(o.id),
                Cell::Text(o.title.clone()),
                Cell::opt_text(o.title_en.clone()),
                Cell::opt_int(o.moq),
                Cell::opt_money(c.unit_price_at_need),
                Cell::opt_int(o.monthly_sales),
                Cell::Text(supplier_name(&c.supplier, o)),
                Cell::opt_text(o.detail_url.clone()),
            ]);
            push_tiers_and_skus(o, &mut tiers, &mut skus);
            let r = &c.score;
            let explanation = r
                .criteria
                .iter()
                .map(|x| format!("{} {}", x.name, x.contribution.round_dp(1)))
                .collect::<Vec<_>>()
                .join("; ");
            suppliers.push(vec![
                Cell::Text(supplier_name(&c.supplier, o)),
                Cell::opt_int(c.supplier.years_on_platform),
                Cell::Text(c.supplier.identities.join(",")),
                Cell::Num(r.score.round_dp(1)),
                Cell::Text(r.band.clone()),
                Cell::Text(r.action.to_string()),
                Cell::Text(explanation),
            ]);
        }
        let mut sheets = vec![self.summary_sheet(), offers, tiers, skus, suppliers, comparison_sheet(&self.comparison)];
        sheets.extend(plan_sheets(&self.plan));
        sheets
    }

    /// The summary: one row with the decision.
    pub fn summary_sheet(&self) -> Sheet {
        let d = &self.decision;
        let mut summary = Sheet::new(
            "summary",
            &[
                "keyword",
                "need",
                "buy_quantity",
                "offer_id",
                "title",
                "supplier",
                "unit_price",
                "landed_total",
                "landed_per_unit",
                "why",
            ],
        );
        summary.push(vec![
            Cell::Text(self.keyword.clone()),
            Cell::Int(self.need),
            Cell::Int(d.quantity),
            Cell::Int(d.offer_id),
            Cell::Text(d.title.clone()),
            Cell::Text(d.supplier.clone()),
            Cell::Money(d.unit_price),
            Cell::Money(d.landed_total),
            Cell::Money(d.landed_per_unit),
            Cell::Text(d.why.clone()),
        ]);
        summary
    }

    /// Writes `sourcing.xlsx` and the charts into `dir` (created if needed), reporting stage 4 of
    /// the job, and returns the files written.
    #[cfg(all(feature = "xlsx", feature = "charts"))]
    pub fn write_outputs(&self, dir: &Path, progress: &Progress) -> Result<Vec<PathBuf>> {
        progress.check()?;
        progress.stage(4, 4, "writing the workbook");
        std::fs::create_dir_all(dir).map_err(|e| JobError::output(dir, e))?;
        let mut written = Vec::new();
        let workbook = dir.join("sourcing.xlsx");
        let sheets = self.sheets();
        crate::workbook::write_xlsx(&workbook, &sheets.iter().collect::<Vec<_>>())?;
        written.push(workbook);

        let points: Vec<sourcing::PricePoint> =
            self.candidates.iter().filter_map(|c| sourcing::PricePoint::from_offer(&c.offer, self.need)).collect();
        if let Ok(market) = sourcing::market_report(&points, 10, 0) {
            let path = dir.join("price-histogram.png");
            crate::charts::price_histogram(
                &path,
                &format!("{} 价格分布 @ {}", self.keyword, self.need),
                &market.histogram,
                market.price.mean,
                market.price.median,
            )?;
            written.push(path);
        }
        let path = dir.join("suppliers.png");
        crate::charts::supplier_bars(
            &path,
            &format!("{}: 到岸单价 landed cost per unit", self.keyword),
            &bars(&self.comparison, 15),
        )?;
        written.push(path);
        if let Some(pick) = self.pick() {
            let path = dir.join("scorecard.png");
            crate::charts::scorecard_radar(
                &path,
                &format!("{} {}", supplier_name(&pick.supplier, &pick.offer), pick.score.score.round_dp(1)),
                &radar_axes(&pick.score),
            )?;
            written.push(path);
            let tiers = ladder_points(&pick.offer);
            if !tiers.is_empty() {
                let path = dir.join("ladder.png");
                crate::charts::ladder_steps(
                    &path,
                    &format!("{} 阶梯价", pick.offer.title),
                    &tiers,
                    self.need.saturating_mul(2),
                )?;
                written.push(path);
            }
        }
        Ok(written)
    }
}
