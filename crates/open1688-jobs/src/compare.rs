//! `compare`: candidates for a need ranked by landed cost and supplier score, the Pareto front
//! and the best-value pick — for a keyword, for the same item as a given offer, or for offers a
//! person picked.

use crate::field_refusal::FieldRefusal;
use serde::{Deserialize, Serialize};
use sourcing::{Candidate, Comparison, compare};

use crate::candidates::{NeedRequest, item_ids};
use crate::error::Result;
use crate::jobs::{Jobs, load_scorecard};
use crate::progress::Progress;
use crate::search::SearchRequest;
use crate::sheet::{Cell, Sheet, cost_cells, cost_columns};

/// What to compare.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CompareTarget {
    /// The results of a keyword search.
    Keyword(String),
    /// Listings of the same item as this offer (found by its picture).
    SameItemAs(i64),
    /// These offers, side by side (2 to 20, picked by a person).
    Offers(Vec<i64>),
}

/// The most offers a person may pick for one comparison.
pub const MAX_PICKED: usize = 20;

impl CompareTarget {
    /// An offer id when the text is a whole number, else a keyword.
    pub fn parse(text: &str) -> Self {
        text.trim().parse::<i64>().map_or_else(|_| Self::Keyword(text.to_owned()), Self::SameItemAs)
    }
}

/// A comparison request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompareRequest {
    /// The keyword or reference offer.
    pub target: CompareTarget,
    /// The need every candidate is priced at.
    #[serde(flatten)]
    pub need: NeedRequest,
    /// Candidates to read at most (default: the policy's `compare_candidates`).
    #[serde(default)]
    pub candidates: Option<usize>,
    /// How the pick trades price for supplier safety (default: the policy's `strategy`).
    #[serde(default)]
    pub strategy: Option<sourcing::Strategy>,
}

/// The comparison and the candidates it ranked.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CompareReport {
    /// Ranks, Pareto front, scorecard actions and the best-value pick with its reason.
    pub comparison: Comparison,
}

impl Jobs {
    /// `compare`: rank candidates for a need.
    pub async fn compare(&self, request: &CompareRequest, progress: &Progress) -> Result<CompareReport> {
        let need = request.need.resolve(None)?;
        let policy = self.sourcing_policy();
        let card = load_scorecard(&policy.scorecard)?;
        let max = request.candidates.unwrap_or(policy.compare_candidates).max(1);
        let candidates: Vec<Candidate>;
        let group: Vec<&Candidate> = match &request.target {
            CompareTarget::SameItemAs(id) => {
                // Other sellers' listings found by the reference's picture (by its title when it
                // has none), judged by picture, title and category.
                let reference = self.named_candidate(*id, progress).await?;
                let same = self.same_item_as(&reference.offer, max.min(50), progress).await?;
                let mut all = self.candidates(&same.same_ids(), &same.items, progress).await?;
                all.push(reference);
                candidates = all;
                candidates.iter().collect()
            }
            CompareTarget::Offers(ids) => {
                let mut ids = ids.clone();
                ids.sort_unstable();
                ids.dedup();
                if !(2..=MAX_PICKED).contains(&ids.len()) {
                    return Err(crate::error::JobError::refused(
                        "offers",
                        FieldRefusal::between(2, MAX_PICKED, ids.len()),
                    ));
                }
                candidates = self.named_candidates(&ids, progress).await?;
                candidates.iter().collect()
            }
            CompareTarget::Keyword(keyword) => {
                let search = SearchRequest::keyword(keyword.as_str(), max);
                let items = self.search_items(&search, progress).await?;
                candidates = self.candidates(&item_ids(&items), &items, progress).await?;
                candidates.iter().collect()
            }
        };
        let comparison = compare(&group, &need, &policy.freight, &card, &policy.decision_policy(request.strategy))?;
        Ok(CompareReport { comparison })
    }
}

impl CompareReport {
    /// The comparison table.
    pub fn sheets(&self) -> Vec<Sheet> {
        vec![comparison_sheet(&self.comparison)]
    }

    /// Landed cost per unit by supplier as bars (`title` names what was compared), its words
    /// in `language`.
    #[cfg(feature = "charts")]
    pub fn chart(&self, path: &std::path::Path, title: &str, language: sourcing::Language) -> Result<()> {
        let words = crate::chart_words::ChartWords::of(language);
        crate::charts::supplier_bars(
            path,
            words,
            &format!("{title}: {}", words.landed_by_supplier),
            &bars(&self.comparison, usize::MAX),
        )
    }
}

/// Landed cost per unit needed of the first `n` rows, for bar charts, the pick and blocked
/// suppliers marked.
#[cfg(feature = "charts")]
pub fn bars(cmp: &Comparison, n: usize) -> Vec<crate::charts::SupplierBar> {
    use crate::charts::{BarMark, SupplierBar};
    let picked = cmp.decision.as_ref().map(|d| d.offer_id);
    cmp.rows
        .iter()
        .take(n)
        .map(|r| SupplierBar {
            name: r.supplier.clone(),
            landed: r.cost.landed_per_unit_needed,
            mark: if Some(r.offer_id) == picked {
                BarMark::Picked
            } else if r.action == sourcing::Action::Block {
                BarMark::Blocked
            } else {
                BarMark::Other
            },
        })
        .collect()
}

/// The comparison table: cost and score ranks, the Pareto front, the scorecard's action, and
/// which row the decision picked (and its runner-up), so the table alone says what to buy.
pub fn comparison_sheet(cmp: &Comparison) -> Sheet {
    let pick = cmp.decision.as_ref().map(|d| d.offer_id);
    let runner_up = cmp.decision.as_ref().and_then(|d| d.runner_up.as_ref()).map(|r| r.offer_id);
    let mut s = Sheet::new(
        "comparison",
        &[
            &["offer_id", "supplier"][..],
            &cost_columns()[..],
            &["score", "cost_rank", "score_rank", "pareto", "action", "decision"],
        ]
        .concat(),
    );
    for r in &cmp.rows {
        let mut row = vec![Cell::Int(r.offer_id), Cell::Text(r.supplier.clone())];
        row.extend(cost_cells(&r.cost));
        row.extend([
            Cell::Num(r.score.round_dp(1)),
            Cell::count(r.cost_rank),
            Cell::count(r.score_rank),
            Cell::flag(r.pareto),
            Cell::Text(r.action.to_string()),
            match Some(r.offer_id) {
                id if id == pick => Cell::Text("pick".into()),
                id if id == runner_up => Cell::Text("runner-up".into()),
                _ => Cell::Empty,
            },
        ]);
        s.push(row);
    }
    s
}
