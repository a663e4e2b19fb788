//! `source`: the main job. Search → details → supplier scorecards → comparison → the optimal
//! quantity from the best-value pick → a plan; then a workbook and charts for the buyer.

use crate::field_refusal::FieldRefusal;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sourcing::{Candidate, Comparison, PlanLine, PlanOptions, PurchasePlan, QuantityAdvice, ScoreReport};

use crate::candidates::{NeedRequest, item_ids, supplier_name};
use crate::error::{JobError, Result};
use crate::freight_confirmation::{ConfirmFreight, FreightConfirmation};
use crate::jobs::{Jobs, load_scorecard};
use crate::progress::{Progress, Stage};
use crate::search::SearchRequest;
use crate::split::{SplitAnswer, split_need};

/// A sourcing request: what to buy and how many.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceRequest {
    /// Search words.
    pub keyword: String,
    /// The need.
    #[serde(flatten)]
    pub need: NeedRequest,
    /// Offers to read (default: the policy's `source_candidates`; at most 50).
    #[serde(default)]
    pub candidates: Option<usize>,
    /// How the pick trades price for supplier safety (default: the policy's `strategy`).
    #[serde(default)]
    pub strategy: Option<sourcing::Strategy>,
    /// Also read other sellers' listings of the first pick's item, found by its picture, and
    /// decide among all (one image search and a detail per listing more).
    #[serde(default)]
    pub same_item: bool,
    /// Split the need across at most this many suppliers (default: as many as lower the cost).
    #[serde(default)]
    pub max_suppliers: Option<usize>,
    /// Preview the best candidates' orders with 1688 (read-only) and decide on the platform's
    /// freight and promotions instead of estimates: one preview call per candidate previewed.
    #[serde(default)]
    pub confirm_freight: Option<ConfirmFreight>,
    /// The language of the job's workbook and charts (headers, notes, reasons, titles and
    /// axes): `zh` (the default) or `en`. The report itself is the same in both.
    #[serde(default)]
    pub file_language: Option<sourcing::Language>,
}

impl SourceRequest {
    /// `need` units of what `keyword` finds, everything else as the policy says.
    pub fn new(keyword: impl Into<String>, need: i64) -> Self {
        Self {
            keyword: keyword.into(),
            need: NeedRequest::units(need),
            candidates: None,
            strategy: None,
            same_item: false,
            max_suppliers: None,
            confirm_freight: None,
            file_language: None,
        }
    }

    /// The language the job's files are written in.
    pub fn file_language(&self) -> sourcing::Language {
        self.file_language.unwrap_or(sourcing::Language::Zh)
    }

    /// Checks what can be checked before any call: the need, the supplier cap and the keyword,
    /// each refusal naming its field (a service answers 400 at once instead of starting a job
    /// bound to fail).
    pub fn validate(&self) -> Result<()> {
        self.need.resolve(None)?;
        if self.max_suppliers == Some(0) {
            return Err(JobError::refused("max_suppliers", FieldRefusal::at_least(1, 0)));
        }
        if self.candidates == Some(0) {
            return Err(JobError::refused("candidates", FieldRefusal::at_least(1, 0)));
        }
        if let Some(confirm) = &self.confirm_freight {
            confirm.validate()?;
        }
        SearchRequest::keyword(self.keyword.as_str(), 1).validate()
    }
}

/// One candidate with its supplier's scorecard verdict.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScoredCandidate {
    /// The offer.
    pub offer: sourcing::Offer,
    /// Its supplier.
    pub supplier: sourcing::Supplier,
    /// The supplier's score, band, action and explanation.
    pub score: ScoreReport,
    /// Unit price at the need, when the offer has one.
    pub unit_price_at_need: Option<Decimal>,
}

/// The decision: what to buy, from whom, at what landed cost, and why.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SourceDecision {
    /// The offer picked.
    pub offer_id: i64,
    /// The SKU to buy, when the need names a variant (`spec`).
    pub sku_id: Option<i64>,
    /// Its title.
    pub title: String,
    /// Its supplier's name.
    pub supplier: String,
    /// What buying it costs, in the one vocabulary: the units bought (may exceed the need where
    /// a higher tier costs less in all), the unit price there, goods, freight and landed figures.
    /// The same figures as the pick's row of the comparison.
    pub cost: sourcing::CostFigures,
    /// Why this offer and this quantity.
    pub why: String,
}

/// Everything the sourcing job found and decided.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SourceReport {
    /// The keyword searched.
    pub keyword: String,
    /// Units needed.
    pub need: i64,
    /// The single offer to buy, when one holds the need (absent when only a split does: then
    /// `split` is the answer).
    pub decision: Option<SourceDecision>,
    /// Every candidate read, scored.
    pub candidates: Vec<ScoredCandidate>,
    /// The comparison of all candidates.
    pub comparison: Comparison,
    /// The quantity options for the pick (absent when only a split holds the need).
    pub advice: Option<QuantityAdvice>,
    /// The answer's plan: the pick's (optimized), or the split's when only a split holds the
    /// need. `plan.csv` holds its lines.
    pub plan: PurchasePlan,
    /// The pick delivered abroad, in CNY and the buyer's currency, when the policy has
    /// cross-border terms (`[sourcing.cross_border]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cross_border: Option<sourcing::CrossBorderCost>,
    /// Why the cross-border cost is missing although terms are set (the pick gives no weight or
    /// no package dimensions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cross_border_missing: Option<String>,
    /// Offers added as the same item as the first pick (`same_item`), found by its picture.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub same_item_added: Vec<i64>,
    /// Price and stock trend of the pick at the quantity bought, from the store's history (only
    /// for offers a watch has followed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trend: Option<sourcing::Trend>,
    /// The need split across several suppliers, when that costs less in all than the pick (or
    /// no single offer holds the need): the cheapest allocation over every candidate whose
    /// supplier is not blocked, weighed by the same risk premiums as the pick.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split: Option<SplitAnswer>,
    /// What previewing the best candidates' orders with the platform changed, when asked
    /// (`confirm_freight`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub freight_confirmation: Option<FreightConfirmation>,
    /// True when the figures come from open1688's sandbox (realistic, simulated), not from 1688.
    pub simulated: bool,
}

/// The file a cheaper split's plan is written to beside the pick's `plan.csv`.
pub const SPLIT_PLAN_FILE: &str = "split-plan.csv";

/// The job's stages, for progress.
const STAGES: u32 = 4;

impl Jobs {
    /// `source`: search, read, score, compare and decide. Stages 1–3 of 4 are reported here; the
    /// fourth is writing the workbook ([`SourceReport::write_outputs`]).
    pub async fn source(&self, request: &SourceRequest, progress: &Progress) -> Result<SourceReport> {
        request.validate()?;
        let need = request.need.resolve(None)?;
        let policy = self.sourcing_policy();
        let card = load_scorecard(&policy.scorecard)?;
        let max = request.candidates.unwrap_or(policy.source_candidates).clamp(1, 50);
        let search = SearchRequest::keyword(request.keyword.as_str(), max);
        search.validate()?;
        progress.stage(1, STAGES, Stage::Searching { keyword: request.keyword.clone() });
        let items = self.search_items(&search, progress).await?;
        if items.is_empty() {
            return Err(JobError::NoAnswer(format!("no offers found for {:?}", request.keyword)));
        }
        progress.stage(2, STAGES, Stage::ReadingOffers { count: items.len() });
        let mut candidates = self.candidates(&item_ids(&items), &items, progress).await?;
        progress.check()?;
        progress.stage(3, STAGES, Stage::Comparing);
        let decision_policy = policy.decision_policy(request.strategy);
        let mut comparison =
            sourcing::compare(&candidates.iter().collect::<Vec<_>>(), &need, &policy.freight, &card, &decision_policy)?;
        let mut same_item_added = Vec::new();
        if request.same_item
            && let Some(pick) =
                comparison.best_value.as_ref().and_then(|(id, _)| candidates.iter().find(|c| c.offer.id == *id))
        {
            // The same item from other sellers, by the pick's picture: read, then decide again.
            let same = self.same_item_as(&pick.offer, 20, progress).await?;
            let known: std::collections::HashSet<i64> = candidates.iter().map(|c| c.offer.id).collect();
            let new: Vec<i64> = same.same_ids().into_iter().filter(|id| !known.contains(id)).collect();
            if !new.is_empty() {
                candidates.extend(self.candidates(&new, &same.items, progress).await?);
                same_item_added = new;
                let refs: Vec<&Candidate> = candidates.iter().collect();
                comparison = sourcing::compare(&refs, &need, &policy.freight, &card, &decision_policy)?;
            }
        }
        let freight_confirmation = match &request.confirm_freight {
            Some(confirm) => {
                let (confirmed, confirmation) =
                    self.confirm_freight(comparison, need.quantity, confirm, &decision_policy, progress).await?;
                comparison = confirmed;
                Some(confirmation)
            }
            None => None,
        };
        let split = split_need(&candidates, &need, &policy.freight, &card, &decision_policy, request.max_suppliers)?;
        let single = match comparison.best_value.clone() {
            Some((best_id, reason)) => {
                let mut pick = self.single_pick(&candidates, best_id, &reason, &need)?;
                // The platform's figures, where it previewed the pick, are the pick's figures.
                if let Some(row) = comparison.rows.iter().find(|r| {
                    r.offer_id == best_id
                        && r.cost.freight_source == sourcing::FreightSource::Platform
                        && r.cost.quantity_bought == pick.decision.cost.quantity_bought
                }) {
                    pick.decision.cost = row.cost.clone();
                }
                Some(pick)
            }
            None => None,
        };
        // The split is part of the answer when it costs less than the pick, and is the answer
        // when no single offer holds the need.
        let split = match (split, &single) {
            (Some(allocation), Some(pick)) => {
                let saving = pick.decision.cost.landed_total - allocation.plan.total;
                (saving > Decimal::ZERO)
                    .then(|| SplitAnswer::new(allocation, need.quantity, Some(saving)))
                    .transpose()?
            }
            (Some(allocation), None) => Some(SplitAnswer::new(allocation, need.quantity, None)?),
            (None, Some(_)) => None,
            (None, None) => return Err(no_pick(&comparison)),
        };
        let scored = candidates
            .iter()
            .map(|c| ScoredCandidate {
                score: card.score(&c.supplier),
                unit_price_at_need: sourcing::sku_for(&c.offer, &need.spec, need.quantity)
                    .ok()
                    .and_then(|sku| sourcing::cost::unit_price(&c.offer, sku, need.quantity).ok()),
                offer: c.offer.clone(),
                supplier: c.supplier.clone(),
            })
            .collect();
        let trend = match &single {
            Some(pick) => self.trend_of(pick.decision.offer_id, pick.decision.cost.quantity_bought).await,
            None => None,
        };
        let (decision, advice, plan, cross_border, cross_border_missing) = match single {
            Some(p) => (Some(p.decision), Some(p.advice), p.plan, p.cross_border, p.cross_border_missing),
            None => {
                let plan = split.as_ref().map(|s| s.allocation.plan.clone()).ok_or_else(|| no_pick(&comparison))?;
                (None, None, plan, None, None)
            }
        };
        Ok(SourceReport {
            same_item_added,
            trend,
            cross_border,
            cross_border_missing,
            keyword: request.keyword.clone(),
            need: need.quantity,
            decision,
            candidates: scored,
            comparison,
            split,
            advice,
            plan,
            freight_confirmation,
            simulated: !self.client().on_platform(),
        })
    }

    /// The single-offer answer: the quantity for the pick, its plan, its figures and, with
    /// cross-border terms, its cost delivered abroad.
    fn single_pick(
        &self,
        candidates: &[Candidate],
        best_id: i64,
        reason: &str,
        need: &sourcing::Need,
    ) -> Result<SinglePick> {
        let policy = self.sourcing_policy();
        let best = candidates
            .iter()
            .find(|c| c.offer.id == best_id)
            .ok_or_else(|| JobError::NoAnswer(format!("the pick {best_id} is not among the candidates")))?;
        let mut need_for_best = need.clone();
        need_for_best.daily_sales = need_for_best.daily_sales.or_else(|| sourcing::batches::daily_sales(&best.offer));
        let sku = sourcing::sku_for(&best.offer, &need.spec, need.quantity)?;
        let advice = sourcing::optimal_quantity(&best.offer, sku, &need_for_best, &policy.freight)?;
        let option = advice.best().clone();
        let plan = sourcing::plan(
            &[PlanLine::new(best_id, sku, option.quantity)],
            std::slice::from_ref(&best.offer),
            &PlanOptions { freight: policy.freight.clone(), optimize: true, ..PlanOptions::default() },
        )?;
        let (cross_border, cross_border_missing) = match &policy.cross_border {
            Some(terms) => {
                let landed = sourcing::landed_cost(&best.offer, sku, option.quantity, &policy.freight)?;
                match sourcing::cross_border_cost(&best.offer, &landed, terms, chrono::Utc::now().date_naive()) {
                    Ok(cost) => (Some(cost), None),
                    // The pick stands; what it lacks for the delivered cost is said beside it.
                    Err(e @ sourcing::EngineError::NoShippingData { .. }) => (None, Some(e.to_string())),
                    Err(other) => return Err(other.into()),
                }
            }
            None => (None, None),
        };
        let cost = sourcing::CostFigures::new(
            need.quantity,
            option.quantity,
            option.unit_price,
            plan.goods,
            plan.freight,
            sourcing::FreightSource::Estimate,
        )?;
        let decision = SourceDecision {
            offer_id: best_id,
            sku_id: sku,
            title: best.offer.title.clone(),
            supplier: supplier_name(&best.supplier, &best.offer),
            cost,
            why: format!("{reason}. {}", advice.reason),
        };
        Ok(SinglePick { decision, advice, plan, cross_border, cross_border_missing })
    }
}

/// The single-offer answer's parts.
struct SinglePick {
    decision: SourceDecision,
    advice: QuantityAdvice,
    plan: PurchasePlan,
    cross_border: Option<sourcing::CrossBorderCost>,
    cross_border_missing: Option<String>,
}

/// Why a comparison has no pick: every offer left out (and the first reasons), or every supplier
/// blocked by the scorecard.
fn no_pick(comparison: &Comparison) -> JobError {
    if comparison.rows.is_empty() && !comparison.excluded.is_empty() {
        let reasons: Vec<&str> = comparison.excluded.iter().take(3).map(|e| e.reason.as_str()).collect();
        return JobError::NoAnswer(format!(
            "none of the {} offers read can meet the need: {}{}",
            comparison.excluded.len(),
            reasons.join("; "),
            if comparison.excluded.len() > 3 { "; …" } else { "" }
        ));
    }
    JobError::NoAnswer("every candidate's supplier is blocked by the scorecard".into())
}

impl SourceReport {
    /// The picked candidate (none when only a split holds the need).
    pub fn pick(&self) -> Option<&ScoredCandidate> {
        let pick = self.decision.as_ref()?.offer_id;
        self.candidates.iter().find(|c| c.offer.id == pick)
    }
}
