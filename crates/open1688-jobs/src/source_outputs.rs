//! The sourcing job's tables: the summary, offers, tiers, SKUs, suppliers with their scorecard
//! explanations, the comparison and the plan — the workbook's sheets.

use sourcing::Language;

use crate::candidates::supplier_name;
use crate::compare::comparison_sheet;
use crate::offers::{push_tiers_and_skus, skus_sheet, tiers_sheet};
use crate::plan::plan_sheets;
use crate::quote::cross_border_sheet;
use crate::sheet::{Cell, Sheet, cost_cells, cost_columns};
use crate::source::SourceReport;
use crate::split::order_name;

impl SourceReport {
    /// Every sheet of the report, summary first, its sentences in English (the terminal's and
    /// the CSV's).
    pub fn sheets(&self) -> Vec<Sheet> {
        self.sheets_in(Language::En)
    }

    /// Every sheet of the workbook, summary first, its sentences (why, a supplier's advice) in
    /// `language`; codes and figures are the same in both.
    pub fn sheets_in(&self, language: Language) -> Vec<Sheet> {
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
                .map(|x| format!("{} {}", sourcing::criterion_name(&x.name, language), x.contribution.round_dp(1)))
                .collect::<Vec<_>>()
                .join("; ");
            suppliers.push(vec![
                Cell::Text(supplier_name(&c.supplier, o)),
                Cell::opt_int(c.supplier.years_on_platform),
                Cell::Text(c.supplier.identities.join(",")),
                Cell::Num(r.score.round_dp(1)),
                Cell::Text(sourcing::band_name(&r.band, language).to_owned()),
                Cell::Text(match language {
                    Language::En => r.action.to_string(),
                    Language::Zh => sourcing::reasons::action_name(r.action, language).to_owned(),
                }),
                Cell::Text(explanation),
            ]);
        }
        let mut sheets =
            vec![self.summary_sheet_in(language), offers, tiers, skus, suppliers, comparison_sheet(&self.comparison)];
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
        self.summary_sheet_in(Language::En)
    }

    /// [`SourceReport::summary_sheet`] with its reason in `language`.
    pub fn summary_sheet_in(&self, language: Language) -> Sheet {
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
                    self.pick()
                        .map_or(Cell::Empty, |p| Cell::Text(sourcing::band_name(&p.score.band, language).to_owned())),
                ]);
                row.extend(cost_cells(&d.cost));
                row.push(Cell::Text(self.why_in(language).unwrap_or_else(|| d.why.clone())));
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
                row.push(Cell::Text(match language {
                    Language::En => self.summary_line(),
                    Language::Zh => format!(
                        "没有一个商品能满足 {} 件的需求：分给 {} 家供应商：{}",
                        self.need,
                        split.allocation.suppliers,
                        names.join("、")
                    ),
                }));
            }
            (None, None) => return summary,
        }
        summary.push(row);
        summary
    }

    /// Why the pick and its quantity, in `language`, from the engine's reasons (`None` for an
    /// answer without them, such as one stored before reasons were data).
    pub fn why_in(&self, language: Language) -> Option<String> {
        if language == Language::En {
            return self.decision.as_ref().map(|d| d.why.clone());
        }
        let pick = self.comparison.decision.as_ref()?.why.as_ref()?;
        let quantity = self.advice.as_ref()?.why.as_ref()?;
        Some(format!("{}。{}", pick.render(language), quantity.render(language)))
    }

    /// The split line by line with the candidates' titles and scores, when there is a split.
    pub fn split_sheet(&self) -> Option<Sheet> {
        let split = self.split.as_ref()?;
        let known = self.candidates.iter().map(|c| (c.offer.id, (&c.offer.title, &c.score))).collect();
        Some(split.lines_sheet(&known))
    }
}
