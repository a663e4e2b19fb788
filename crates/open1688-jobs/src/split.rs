//! Splitting a need across suppliers: the cheapest allocation over offers whose suppliers are not
//! blocked, each weighed by its band's risk premium — as part of the sourcing answer, and on its
//! own over offers a person names (`plan --split`, `POST /v1/split`, the `split_need` tool).

use crate::field_refusal::FieldRefusal;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sourcing::Candidate;

use crate::candidates::NeedRequest;
use crate::compare::MAX_PICKED;
use crate::error::{JobError, Result};
use crate::jobs::{Jobs, load_scorecard};
use crate::progress::Progress;
use crate::sheet::{Cell, Sheet, cost_cells, cost_columns};

/// A need to split over offers a person names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitRequest {
    /// The offers to split over (2 to 20; a SKU is chosen for each as the need says).
    pub offers: Vec<i64>,
    /// The need.
    #[serde(flatten)]
    pub need: NeedRequest,
    /// At most this many suppliers (default: as many as lower the cost).
    #[serde(default)]
    pub max_suppliers: Option<usize>,
    /// How suppliers' bands weigh (default: the policy's `strategy`).
    #[serde(default)]
    pub strategy: Option<sourcing::Strategy>,
}

/// A split and the offers it was made over.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SplitReport {
    /// The split: what to buy from whom, its plan and its figures.
    pub split: SplitAnswer,
    /// The offers read, with their suppliers' scores (the same as on every surface).
    pub offers: Vec<crate::offers::OfferDetail>,
    /// True when the figures come from open1688's sandbox, not from 1688.
    pub simulated: bool,
}

impl Jobs {
    /// `split`: the cheapest way to fill a need from the named offers. An offer that cannot be
    /// read fails the job, naming it; a need they cannot fill together is an answer-less error
    /// saying so.
    pub async fn split(&self, request: &SplitRequest, progress: &Progress) -> Result<SplitReport> {
        let need = request.need.resolve(None)?;
        let mut ids = request.offers.clone();
        ids.sort_unstable();
        ids.dedup();
        if !(2..=MAX_PICKED).contains(&ids.len()) {
            return Err(JobError::refused("offers", FieldRefusal::between(2, MAX_PICKED, ids.len())));
        }
        if request.max_suppliers == Some(0) {
            return Err(JobError::refused("max_suppliers", FieldRefusal::at_least(1, 0)));
        }
        let policy = self.sourcing_policy();
        let card = load_scorecard(&policy.scorecard)?;
        let candidates = self.named_candidates(&ids, progress).await?;
        let decision_policy = policy.decision_policy(request.strategy);
        let allocation =
            split_need(&candidates, &need, &policy.freight, &card, &decision_policy, request.max_suppliers)?
                .ok_or_else(|| {
                    JobError::NoAnswer(format!(
                        "these offers cannot fill {} units together (stock, blocked suppliers or the supplier cap)",
                        need.quantity
                    ))
                })?;
        Ok(SplitReport {
            split: SplitAnswer::new(allocation, need.quantity, None)?,
            offers: candidates.into_iter().map(|c| crate::offers::OfferDetail::scored(c, &card)).collect(),
            simulated: !self.client().on_platform(),
        })
    }
}

impl SplitReport {
    /// Sheets: the split's figures, and its lines with their suppliers' scores.
    pub fn sheets(&self) -> Vec<Sheet> {
        let mut summary = Sheet::new("summary", &[&["suppliers"][..], &cost_columns()[..]].concat());
        let mut row = vec![Cell::count(self.split.allocation.suppliers)];
        row.extend(cost_cells(&self.split.cost));
        summary.push(row);
        let scores = self.offers.iter().map(|o| (o.offer.id, (&o.offer.title, &o.score)));
        vec![summary, self.split.lines_sheet(&scores.collect())]
    }

    /// The split as a plan file that `order preview` reads as it is.
    pub fn plan_csv(&self) -> String {
        crate::plan_file::plan_csv(&self.split.allocation.plan)
    }
}

/// A need split across suppliers.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SplitAnswer {
    /// What to buy from whom, priced by supplier.
    pub allocation: sourcing::Allocation,
    /// The whole split in the one vocabulary; its unit price is the average over every unit
    /// bought (goods total ÷ units bought).
    pub cost: sourcing::CostFigures,
    /// The single pick's landed total minus the split's (positive: the split saves this much);
    /// absent when no single offer holds the need and the split is the answer.
    pub saving: Option<Decimal>,
}

impl SplitAnswer {
    /// The split of a need of `needed` units, saving `saving` against the single pick.
    pub(crate) fn new(allocation: sourcing::Allocation, needed: i64, saving: Option<Decimal>) -> Result<Self> {
        let plan = &allocation.plan;
        let average =
            plan.goods.checked_div(Decimal::from(allocation.units.max(1))).ok_or(sourcing::EngineError::Overflow)?;
        let cost = sourcing::CostFigures::new(
            needed,
            allocation.units,
            average,
            plan.goods,
            plan.freight,
            sourcing::FreightSource::Estimate,
        )?;
        Ok(Self { allocation, cost, saving })
    }
}

impl SplitAnswer {
    /// The split line by line — supplier, offer, SKU, title, units, unit price, amount and the
    /// supplier's score — with the titles and scores known by offer id.
    pub fn lines_sheet(&self, known: &std::collections::HashMap<i64, (&String, &sourcing::ScoreReport)>) -> Sheet {
        let mut sheet = Sheet::new(
            "split",
            &["supplier", "offer_id", "sku_id", "title", "quantity", "unit_price", "amount", "score", "band"],
        );
        for order in &self.allocation.plan.orders {
            for line in &order.lines {
                let known = known.get(&line.offer_id);
                sheet.push(vec![
                    Cell::Text(order_name(order)),
                    Cell::Int(line.offer_id),
                    Cell::opt_int(line.sku_id),
                    known.map_or(Cell::Empty, |(title, _)| Cell::Text((*title).clone())),
                    Cell::Int(line.quantity),
                    Cell::Money(line.unit_price),
                    Cell::Money(line.amount),
                    known.map_or(Cell::Empty, |(_, score)| Cell::Num(score.score.round_dp(1))),
                    known.map_or(Cell::Empty, |(_, score)| Cell::Text(score.band.clone())),
                ]);
            }
        }
        sheet
    }
}

/// The cheapest allocation of the need over every candidate whose supplier is not blocked, each
/// supplier weighed by its band's risk premium (`None` when there is nothing to split: fewer than
/// two such candidates, or no allocation meets the rules).
pub(crate) fn split_need(
    candidates: &[Candidate],
    need: &sourcing::Need,
    freight: &sourcing::Freight,
    card: &sourcing::Scorecard,
    policy: &sourcing::DecisionPolicy,
    max_suppliers: Option<usize>,
) -> Result<Option<sourcing::Allocation>> {
    let mut sources = Vec::new();
    let mut premiums = std::collections::BTreeMap::new();
    let mut offers = Vec::new();
    for c in candidates {
        let Some(premium) = policy.premiums.percent(card.score(&c.supplier).action) else { continue };
        // An offer without the named variant cannot take part.
        let Ok(sku) = sourcing::sku_for(&c.offer, &need.spec, need.quantity) else { continue };
        if !c.offer.is_available() || sourcing::cost::unit_price(&c.offer, sku, 1).is_err() {
            continue;
        }
        premiums.insert(sourcing::plan::supplier_key(&c.offer), premium);
        sources.push(sourcing::Source { offer_id: c.offer.id, sku_id: sku });
        offers.push(c.offer.clone());
    }
    if sources.len() < 2 {
        return Ok(None);
    }
    let request = sourcing::AllocationRequest {
        quantity: need.quantity,
        max_overstock: need.max_overstock,
        freight: freight.clone(),
        premiums,
        max_suppliers,
        ..sourcing::AllocationRequest::default()
    };
    match sourcing::allocate(&request, &sources, &offers) {
        Ok(allocation) => Ok(Some(allocation)),
        Err(sourcing::EngineError::CannotAllocate { .. }) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

/// A supplier order's name: its company, else its key.
pub(crate) fn order_name(order: &sourcing::plan::SupplierOrder) -> String {
    order.company.clone().unwrap_or_else(|| order.supplier.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_split_request_reads_its_need_flat() {
        let r: SplitRequest = serde_json::from_value(serde_json::json!({"offers": [1, 2], "need": 500})).unwrap();
        assert_eq!((r.offers.len(), r.need.need), (2, 500));
        assert!(serde_json::from_value::<SplitRequest>(serde_json::json!({"offers": [1], "need": 5, "x": 1})).is_err());
    }
}
