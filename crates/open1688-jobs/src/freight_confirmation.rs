//! Freight confirmed by the platform. A comparison prices freight from the policy's model, an
//! estimate; on request, the best candidates' orders are previewed with 1688 (read-only: nothing
//! is placed) and the comparison is ranked again on the platform's freight and promotions,
//! saying what changed and whether the pick did. Previews are kept for ten minutes, so asking
//! again costs no call.

use crate::field_refusal::FieldRefusal;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sourcing::{Comparison, CostFigures, Excluded, PlanLine};

use crate::error::{JobError, Result};
use crate::jobs::Jobs;
use crate::kept_answers::PlatformQuote;
use crate::order_preview::{OrderRequest, ShipTo};
use crate::plan::PlanRequest;
use crate::progress::Progress;

/// The most candidates one request may have previewed (one preview call each).
pub const MAX_CONFIRMED: usize = 5;

/// A request to confirm freight with the platform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmFreight {
    /// Where the goods would go: the platform prices freight to an address.
    pub ship_to: ShipTo,
    /// How many of the best candidates to preview (1 to 5, default 3): one preview call each.
    #[serde(default = "default_top")]
    #[schema(minimum = 1, maximum = 5)]
    pub top: usize,
}

fn default_top() -> usize {
    3
}

impl ConfirmFreight {
    /// Checks the count and the address; the error names the field.
    pub fn validate(&self) -> Result<()> {
        if !(1..=MAX_CONFIRMED).contains(&self.top) {
            return Err(JobError::refused("confirm_freight.top", FieldRefusal::between(1, MAX_CONFIRMED, self.top)));
        }
        self.ship_to.validate()
    }
}

/// One candidate's figures before and after the platform's preview.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ConfirmedCandidate {
    /// The offer.
    pub offer_id: i64,
    /// Its figures with the estimated freight.
    pub estimated: CostFigures,
    /// Its figures with the platform's freight and promotions (absent when the platform refused
    /// the order: then the candidate is left out of the comparison).
    pub confirmed: Option<CostFigures>,
    /// Why the platform refused the order, when it did.
    pub refused: Option<String>,
}

/// What confirming freight found.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FreightConfirmation {
    /// The candidates previewed, best first as the estimate ranked them.
    pub candidates: Vec<ConfirmedCandidate>,
    /// The pick on estimates.
    pub pick_before: Option<i64>,
    /// The pick on the platform's figures.
    pub pick_after: Option<i64>,
    /// Whether the platform's figures changed the pick.
    pub pick_changed: bool,
    /// Preview calls made to the platform (answers reused from the last ten minutes cost none).
    pub preview_calls: u64,
}

impl Jobs {
    /// Previews the best `confirm.top` candidates of `comparison` with the platform and ranks
    /// the comparison again on its figures. A candidate the platform refuses is left out, with
    /// the platform's reason.
    pub(crate) async fn confirm_freight(
        &self,
        comparison: Comparison,
        need: i64,
        confirm: &ConfirmFreight,
        decision_policy: &sourcing::DecisionPolicy,
        progress: &Progress,
    ) -> Result<(Comparison, FreightConfirmation)> {
        confirm.validate()?;
        let order = best_first(&comparison);
        let pick_before = comparison.decision.as_ref().map(|d| d.offer_id);
        let mut rows = comparison.rows;
        let mut excluded = comparison.excluded;
        let mut confirmed = Vec::new();
        let mut preview_calls = 0;
        for offer_id in order.into_iter().take(confirm.top) {
            progress.check()?;
            let Some(row) = rows.iter_mut().find(|r| r.offer_id == offer_id) else { continue };
            let line = PlanLine::new(row.offer_id, row.sku_id, row.cost.quantity_bought);
            let key = format!("{:?}|{:?}", line, serde_json::to_string(&confirm.ship_to).unwrap_or_default());
            let quote = match self.preview_memo().get(&key) {
                Some(kept) => kept,
                None => {
                    progress.note(format!("previewing offer {offer_id}'s order with 1688 (read-only)"));
                    let request = OrderRequest {
                        plan: PlanRequest { lines: vec![line], optimize: false },
                        ship_to: confirm.ship_to.clone(),
                        batch: Some(format!("confirm-{offer_id}")),
                        message: None,
                    };
                    let report = self.preview_orders(&request, progress).await?;
                    preview_calls += 1;
                    let order =
                        report.orders.into_iter().next().ok_or_else(|| {
                            JobError::NoAnswer(format!("the preview of offer {offer_id} has no order"))
                        })?;
                    let quote = PlatformQuote {
                        total: order.platform_total,
                        freight: order.platform_freight,
                        refused: order.refused.map(|r| r.message),
                    };
                    self.preview_memo().put(key, quote.clone());
                    quote
                }
            };
            let estimated = row.cost.clone();
            match (&quote.refused, quote.total, quote.freight) {
                (None, Some(total), freight) => {
                    let freight = freight.unwrap_or(Decimal::ZERO);
                    row.cost = estimated.with_platform(total - freight, freight)?;
                    confirmed.push(ConfirmedCandidate {
                        offer_id,
                        estimated,
                        confirmed: Some(row.cost.clone()),
                        refused: None,
                    });
                }
                (refused, _, _) => {
                    let why = refused.as_ref().map_or_else(
                        || "the platform previewed no total".to_owned(),
                        |message| format!("1688 refuses the order: {message}"),
                    );
                    excluded.push(Excluded { offer_id, reason: why.clone() });
                    confirmed.push(ConfirmedCandidate { offer_id, estimated, confirmed: None, refused: Some(why) });
                }
            }
        }
        rows.retain(|r| !excluded.iter().any(|e| e.offer_id == r.offer_id));
        let comparison = sourcing::rank(rows, excluded, need, decision_policy);
        let pick_after = comparison.decision.as_ref().map(|d| d.offer_id);
        let confirmation = FreightConfirmation {
            candidates: confirmed,
            pick_before,
            pick_after,
            pick_changed: pick_before != pick_after,
            preview_calls,
        };
        Ok((comparison, confirmation))
    }
}

/// The comparison's offers best first: the pick, its runner-up, then by landed cost.
fn best_first(comparison: &Comparison) -> Vec<i64> {
    let mut order = Vec::new();
    if let Some(d) = &comparison.decision {
        order.push(d.offer_id);
        if let Some(r) = &d.runner_up {
            order.push(r.offer_id);
        }
    }
    for r in &comparison.rows {
        if !order.contains(&r.offer_id)
            && !comparison.decision.as_ref().is_some_and(|d| d.blocked.contains(&r.offer_id))
        {
            order.push(r.offer_id);
        }
    }
    order
}

impl FreightConfirmation {
    /// What confirming changed, in one line.
    pub fn summary(&self) -> String {
        let changed: Vec<String> = self
            .candidates
            .iter()
            .map(|c| match (&c.confirmed, &c.refused) {
                (Some(after), _) => format!(
                    "offer {}: freight ¥{:.2} → ¥{:.2}, landed ¥{:.2} → ¥{:.2}",
                    c.offer_id,
                    c.estimated.freight.round_dp(2),
                    after.freight.round_dp(2),
                    c.estimated.landed_total.round_dp(2),
                    after.landed_total.round_dp(2)
                ),
                (None, Some(why)) => format!("offer {}: {why}", c.offer_id),
                (None, None) => format!("offer {}: not previewed", c.offer_id),
            })
            .collect();
        let verdict = match (self.pick_changed, self.pick_after) {
            (true, Some(after)) => format!("the pick changed to offer {after}"),
            (true, None) => "no pick remains".to_owned(),
            (false, _) => "the pick stands".to_owned(),
        };
        format!("freight confirmed by 1688 ({} preview calls): {}; {verdict}", self.preview_calls, changed.join("; "))
    }
}
