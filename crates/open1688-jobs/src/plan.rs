//! `plan`: purchase lines become orders by supplier, with freight, mixed batches and the
//! violations each order has, with the smallest fix.

use crate::field_refusal::FieldRefusal;
use serde::{Deserialize, Serialize};
use sourcing::{PlanLine, PlanOptions, PurchasePlan, plan};

use crate::candidates::MAX_UNITS;
use crate::error::{JobError, Result};
use crate::jobs::Jobs;
use crate::progress::Progress;
use crate::sheet::{Cell, Sheet};

/// A plan request: the lines (from a plan file, a form or JSON) and whether to raise quantities
/// where that lowers the total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    /// The lines, in order; errors name them by 1-based position.
    pub lines: Vec<PlanLine>,
    /// Raise quantities where a higher tier lowers the total.
    #[serde(default)]
    pub optimize: bool,
}

/// The plan by supplier.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanReport {
    /// Orders by supplier, totals, violations and the raises the optimizer made.
    pub plan: PurchasePlan,
    /// What each line buys, as a person recognises it: one entry per offer and SKU of the lines.
    pub items: Vec<PlanItem>,
}

/// One offer (and SKU) of a plan as a person recognises it: its title, the SKU's attributes and
/// a picture.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct PlanItem {
    /// The offer.
    pub offer_id: i64,
    /// The SKU, when the line names one.
    pub sku_id: Option<i64>,
    /// The offer's title.
    pub title: String,
    /// The SKU's attributes as name and value pairs (empty without a SKU).
    pub sku_attributes: Vec<(String, String)>,
    /// The SKU's picture, else the offer's first.
    pub picture: Option<String>,
    /// The offer's page on 1688.
    pub url: Option<String>,
}

/// The items of `lines`, in the order they first appear.
fn plan_items(lines: &[PlanLine], offers: &[sourcing::Offer]) -> Vec<PlanItem> {
    let mut items: Vec<PlanItem> = Vec::new();
    for line in lines {
        if items.iter().any(|i| i.offer_id == line.offer_id && i.sku_id == line.sku_id) {
            continue;
        }
        let Some(offer) = offers.iter().find(|o| o.id == line.offer_id) else { continue };
        let sku = line.sku_id.and_then(|id| offer.skus.iter().find(|s| s.id == id));
        items.push(PlanItem {
            offer_id: offer.id,
            sku_id: line.sku_id,
            title: offer.title.clone(),
            sku_attributes: sku.map(|s| s.attributes.clone()).unwrap_or_default(),
            picture: sku.and_then(|s| s.image.clone()).or_else(|| offer.images.first().cloned()),
            url: offer.detail_url.clone(),
        });
    }
    items
}

impl Jobs {
    /// `plan`: orders by supplier for the request's lines. An offer that cannot be read fails the
    /// job, naming the first line that asks for it.
    pub async fn plan(&self, request: &PlanRequest, progress: &Progress) -> Result<PlanReport> {
        if request.lines.is_empty() {
            return Err(JobError::refused("lines", FieldRefusal::Empty));
        }
        for (i, l) in request.lines.iter().enumerate() {
            let line = i + 1;
            let why = if l.offer_id <= 0 {
                format!("offer_id must be a positive offer id, got {}", l.offer_id)
            } else if !(1..=MAX_UNITS).contains(&l.quantity) {
                format!("quantity must be 1 to {MAX_UNITS}, got {}", l.quantity)
            } else if l.sku_id.is_some_and(|s| s <= 0) {
                format!("sku_id must be a positive SKU id or empty, got {}", l.sku_id.unwrap_or_default())
            } else {
                continue;
            };
            return Err(JobError::invalid(format!("plan line {line}"), format!("plan line {line}: {why}")));
        }
        let mut ids: Vec<i64> = request.lines.iter().map(|l| l.offer_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let line_of = |id: i64| request.lines.iter().position(|l| l.offer_id == id).map_or(0, |i| i + 1);
        let candidates = match self.named_offers(&ids, progress).await {
            Ok(c) => c,
            Err(JobError::Gateway { context, source }) => {
                let line = ids.iter().find(|id| context == format!("offer {id}")).map_or(0, |id| line_of(*id));
                return Err(JobError::Gateway { context: format!("plan line {line}: {context}"), source });
            }
            Err(other) => return Err(other),
        };
        let offers: Vec<sourcing::Offer> = candidates.into_iter().map(|c| c.offer).collect();
        if let Some(missing) = ids.iter().find(|id| !offers.iter().any(|o| o.id == **id)) {
            return Err(JobError::NotFound(format!(
                "plan line {}: offer {missing} could not be read",
                line_of(*missing)
            )));
        }
        let options = PlanOptions {
            freight: self.sourcing_policy().freight.clone(),
            optimize: request.optimize,
            ..PlanOptions::default()
        };
        let items = plan_items(&request.lines, &offers);
        Ok(PlanReport { plan: plan(&request.lines, &offers, &options)?, items })
    }
}

impl PlanReport {
    /// The item of `offer_id` and `sku_id`.
    pub fn item(&self, offer_id: i64, sku_id: Option<i64>) -> Option<&PlanItem> {
        self.items.iter().find(|i| i.offer_id == offer_id && i.sku_id == sku_id)
    }

    /// Sheets: the plan by supplier (with a total row) and its lines.
    pub fn sheets(&self) -> Vec<Sheet> {
        plan_sheets(&self.plan)
    }
}

/// Plan sheets: by supplier, then lines.
pub fn plan_sheets(p: &PurchasePlan) -> Vec<Sheet> {
    let mut lines =
        Sheet::new("plan lines", &["supplier", "line", "offer_id", "sku_id", "quantity", "unit_price", "amount"]);
    let mut by_supplier =
        Sheet::new("plan by supplier", &["supplier", "company", "mixed", "goods", "freight", "total", "violations"]);
    for o in &p.orders {
        for l in &o.lines {
            lines.push(vec![
                Cell::Text(o.supplier.clone()),
                Cell::count(l.line),
                Cell::Int(l.offer_id),
                Cell::opt_int(l.sku_id),
                Cell::Int(l.quantity),
                Cell::Money(l.unit_price),
                Cell::Money(l.amount),
            ]);
        }
        let violations = o.violations.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
        by_supplier.push(vec![
            Cell::Text(o.supplier.clone()),
            Cell::opt_text(o.company.clone()),
            Cell::flag(o.mixed),
            Cell::Money(o.goods),
            Cell::Money(o.freight),
            Cell::Money(o.total),
            Cell::Text(violations),
        ]);
    }
    by_supplier.push(vec![
        Cell::Text("TOTAL".into()),
        Cell::Empty,
        Cell::Empty,
        Cell::Money(p.goods),
        Cell::Money(p.freight),
        Cell::Money(p.total),
        Cell::Empty,
    ]);
    vec![by_supplier, lines]
}
