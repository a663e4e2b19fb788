//! The sourcing job's tables: the summary, offers, tiers, SKUs, suppliers with their scorecard
//! explanations, the comparison and the plan — the workbook's sheets.

use crate::candidates::supplier_name;
use crate::compare::comparison_sheet;
use crate::offers::{push_tiers_and_skus, skus_sheet, tiers_sheet};
use crate::plan::plan_sheets;
use crate::quote::cross_border_sheet;
use crate::sheet::{Cell, Sheet, cost_cells, cost_columns};
use crate::source::SourceReport;
use crate::split::order_name;

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
        if let Some(c) = &self.cross_border {
            sheets.push(cross_border_sheet(c));
        }
        if let Some(split) = self.split_sheet() {
            sheets.push(split);
        }
        if let Some(split) = &self.split
            && self.decision.is_some()
        {
            // The split's own plan by supplier, under its own sheet names (when it is not
            // already the answer's plan).
            for mut sheet in plan_sheets(&split.allocation.plan) {
                sheet.name = format!("split {}", sheet.name);
                sheets.push(sheet);
            }
        }
        sheets
    }

    /// The summary: one row with the answer — the single pick, or, when only a split holds the
    /// need, the split as a whole (its suppliers named, its figures summed).
    pub fn summary_sheet(&self) -> Sheet {
        let mut summary = Sheet::new(
            "summary",
            &[
                &["keyword", "offer_id", "sku_id", "title", "supplier", "score", "band"][..],
                &cost_columns()[..],
                &["why"],
            ]
            .concat(),
        );
        let mut row = vec![Cell::Text(self.keyword.clone())];
        match (&self.decision, &self.split) {
            (Some(d), _) => {
                row.extend([
                    Cell::Int(d.offer_id),
                    Cell::opt_int(d.sku_id),
                    Cell::Text(d.title.clone()),
                    Cell::Text(d.supplier.clone()),
                    self.pick().map_or(Cell::Empty, |p| Cell::Num(p.score.score.round_dp(1))),
                    self.pick().map_or(Cell::Empty, |p| Cell::Text(p.score.band.clone())),
                ]);
                row.extend(cost_cells(&d.cost));
                row.push(Cell::Text(d.why.clone()));
            }
            (None, Some(split)) => {
                let names: Vec<String> = split.allocation.plan.orders.iter().map(order_name).collect();
                row.extend([
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Text(names.join("、")),
                    Cell::Empty,
                    Cell::Empty,
                ]);
                row.extend(cost_cells(&split.cost));
                row.push(Cell::Text(self.summary_line()));
            }
            (None, None) => return summary,
        }
        summary.push(row);
        summary
    }

    /// The split line by line with the candidates' titles and scores, when there is a split.
    pub fn split_sheet(&self) -> Option<Sheet> {
        let split = self.split.as_ref()?;
        let known = self.candidates.iter().map(|c| (c.offer.id, (&c.offer.title, &c.score))).collect();
        Some(split.lines_sheet(&known))
    }
}
