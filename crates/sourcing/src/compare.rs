//! Comparing candidates: which listings are the same item, how they rank by landed cost for the
//! need and by supplier score, the Pareto front of cheap versus reliable, a best-value pick with
//! its reason — and recommendations under filters with a configurable ranking.

use std::collections::HashSet;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use crate::comparison_row::ComparisonRow;
use crate::cost::Freight;
use crate::decision::{Decision, DecisionPolicy, decide};
use crate::error::EngineError;
use crate::figures::CostFigures;
use crate::model::{Offer, Supplier};
use crate::quantity::{Need, optimal_quantity};
use crate::scorecard::{Action, Scorecard};

/// An offer with what is known of its supplier.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The offer.
    pub offer: Offer,
    /// Its supplier.
    pub supplier: Supplier,
}

fn bigrams(title: &str) -> HashSet<(char, char)> {
    let chars: Vec<char> = title.chars().filter(|c| !c.is_whitespace()).collect();
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Title similarity (Jaccard over character bigrams), 0–1.
pub fn title_similarity(a: &str, b: &str) -> f64 {
    let (x, y) = (bigrams(a), bigrams(b));
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    x.intersection(&y).count() as f64 / x.union(&y).count() as f64
}

/// Whether two listings are the same item: same leaf category and similar titles (Chinese or
/// translated).
pub fn same_item(a: &Offer, b: &Offer, threshold: f64) -> bool {
    let category = a.category.ids.last() == b.category.ids.last();
    let en = match (&a.title_en, &b.title_en) {
        (Some(x), Some(y)) => title_similarity(&x.to_lowercase(), &y.to_lowercase()),
        _ => 0.0,
    };
    category && (title_similarity(&a.title, &b.title) >= threshold || en >= threshold)
}

/// The comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Comparison {
    /// Rows, cheapest per unit first.
    pub rows: Vec<ComparisonRow>,
    /// The pick and why (the decision's offer and reason).
    pub best_value: Option<(i64, String)>,
    /// The pick by the decision policy: runner-up, differences, what would change it.
    pub decision: Option<Decision>,
    /// Candidates that could not be priced for the need, and why (not enough stock, no price).
    #[serde(default)]
    pub excluded: Vec<Excluded>,
}

/// A candidate left out of a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Excluded {
    /// The offer.
    pub offer_id: i64,
    /// Why it was left out, for a person.
    pub reason: String,
}

/// Candidates that are the same item as `reference` (the reference included).
pub fn same_item_as<'a>(reference: &Offer, candidates: &'a [Candidate], threshold: f64) -> Vec<&'a Candidate> {
    candidates.iter().filter(|c| c.offer.id == reference.id || same_item(reference, &c.offer, threshold)).collect()
}

/// Compares candidates for a need: optimal quantity and landed cost each, supplier scores,
/// ranks, Pareto front, and the pick by the decision `policy` (see [`crate::decision`]).
pub fn compare(
    candidates: &[&Candidate],
    need: &Need,
    freight: &Freight,
    card: &Scorecard,
    policy: &DecisionPolicy,
) -> Result<Comparison, EngineError> {
    let mut rows = Vec::with_capacity(candidates.len());
    let mut excluded = Vec::new();
    for c in candidates {
        // Priced for the variant the need names (or the SKU an order would name); an offer
        // without it is left out, saying why.
        let sku = match crate::sku::sku_for(&c.offer, &need.spec, need.quantity) {
            Ok(sku) => sku,
            Err(e) => {
                excluded.push(Excluded { offer_id: c.offer.id, reason: e.to_string() });
                continue;
            }
        };
        let advice = match optimal_quantity(&c.offer, sku, need, freight) {
            Ok(advice) => advice,
            Err(e) => {
                excluded.push(Excluded { offer_id: c.offer.id, reason: e.to_string() });
                continue;
            }
        };
        let best = advice.best();
        let report = card.score(&c.supplier);
        rows.push(ComparisonRow {
            offer_id: c.offer.id,
            sku_id: sku,
            supplier: c.supplier.company.clone().unwrap_or_else(|| crate::plan::supplier_key(&c.offer)),
            cost: CostFigures::of_option(best, need.quantity)?,
            score: report.score,
            action: report.action,
            cost_rank: 0,
            score_rank: 0,
            pareto: false,
        });
    }
    Ok(rank(rows, excluded, need.quantity, policy))
}

/// Ranks priced rows for a need of `need` units — by landed cost per unit needed and by score,
/// the Pareto front — and picks by `policy`. [`compare`] ranks what it priced; a caller that
/// replaced rows' figures (with the platform's freight) ranks them again with this.
pub fn rank(mut rows: Vec<ComparisonRow>, excluded: Vec<Excluded>, need: i64, policy: &DecisionPolicy) -> Comparison {
    rows.sort_by(|a, b| {
        a.cost
            .landed_per_unit_needed
            .cmp(&b.cost.landed_per_unit_needed)
            .then(b.score.cmp(&a.score))
            .then(a.offer_id.cmp(&b.offer_id))
    });
    for (i, r) in rows.iter_mut().enumerate() {
        r.cost_rank = i + 1;
    }
    let mut by_score: Vec<usize> = (0..rows.len()).collect();
    by_score.sort_by(|&a, &b| {
        rows[b]
            .score
            .cmp(&rows[a].score)
            .then(rows[a].cost.landed_per_unit_needed.cmp(&rows[b].cost.landed_per_unit_needed))
    });
    for (rank, &i) in by_score.iter().enumerate() {
        rows[i].score_rank = rank + 1;
    }
    // Sorted by cost: a row is on the front when its score beats every cheaper row's.
    let mut best_score_so_far: Option<Decimal> = None;
    for r in &mut rows {
        r.pareto = best_score_so_far.is_none_or(|s| r.score > s);
        if r.pareto {
            best_score_so_far = Some(r.score);
        }
    }
    let decision = decide(&rows, need, policy);
    let best_value = decision.as_ref().map(|d| (d.offer_id, d.reason.clone()));
    Comparison { rows, best_value, decision, excluded }
}

/// Filters for recommendations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Filters {
    /// At most this unit price at this quantity.
    pub max_price_at: Option<(i64, Decimal)>,
    /// At most this MOQ.
    pub max_moq: Option<i64>,
    /// Supplier must hold all of these identities.
    pub required_identities: Vec<String>,
    /// Supplier score at least this.
    pub min_score: Option<Decimal>,
    /// Ships within this many hours (`shipIn48Hours` → 48).
    pub ships_within_hours: Option<u32>,
}

/// Ranking weights (any scale): lower price, higher score, more sales.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Ranking {
    /// Weight of price (cheaper is better).
    pub price: Decimal,
    /// Weight of the supplier score.
    pub score: Decimal,
    /// Weight of monthly sales.
    pub sales: Decimal,
}

impl Default for Ranking {
    fn default() -> Self {
        Self { price: Decimal::from(50), score: Decimal::from(35), sales: Decimal::from(15) }
    }
}

/// A recommended offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Recommendation {
    /// Offer.
    pub offer_id: i64,
    /// Ranking value, 0–100.
    pub value: Decimal,
    /// Unit price at the quantity.
    pub unit_price: Decimal,
    /// Supplier score.
    pub score: Decimal,
}

fn dispatch_hours(offer: &Offer) -> Option<u32> {
    let g = offer.shipping.dispatch_guarantee.as_deref()?;
    g.strip_prefix("shipIn")?.strip_suffix("Hours")?.parse().ok()
}

/// Candidates passing the filters, best first, priced at `quantity`. Suppliers the scorecard
/// blocks are never recommended.
pub fn recommend(
    candidates: &[Candidate],
    quantity: i64,
    filters: &Filters,
    ranking: &Ranking,
    card: &Scorecard,
) -> Result<Vec<Recommendation>, EngineError> {
    if quantity <= 0 {
        return Err(EngineError::BadQuantity { quantity });
    }
    let mut kept = Vec::new();
    for c in candidates {
        let Ok(price) = crate::cost::unit_price(&c.offer, None, quantity) else { continue };
        let report = card.score(&c.supplier);
        if report.action == Action::Block {
            continue;
        }
        let score = report.score;
        let (check_q, max_price) = filters.max_price_at.unwrap_or((quantity, Decimal::MAX));
        let price_ok = crate::cost::unit_price(&c.offer, None, check_q).is_ok_and(|p| p <= max_price);
        let moq_ok = filters.max_moq.is_none_or(|m| c.offer.moq.unwrap_or(1) <= m);
        let ids_ok = filters.required_identities.iter().all(|i| c.supplier.identities.contains(i));
        let score_ok = filters.min_score.is_none_or(|m| score >= m);
        let ship_ok = filters.ships_within_hours.is_none_or(|h| dispatch_hours(&c.offer).is_some_and(|d| d <= h));
        if price_ok && moq_ok && ids_ok && score_ok && ship_ok {
            kept.push((c, price, score));
        }
    }
    let min_price = kept.iter().map(|k| k.1).min().unwrap_or_default();
    let max_price = kept.iter().map(|k| k.1).max().unwrap_or_default();
    let max_sales = kept.iter().filter_map(|k| k.0.offer.monthly_sales).max().unwrap_or(0);
    let total_weight = ranking.price + ranking.score + ranking.sales;
    let hundred = Decimal::ONE_HUNDRED;
    let mut out: Vec<Recommendation> = kept
        .into_iter()
        .map(|(c, price, score)| {
            let price_part =
                if max_price > min_price { (max_price - price) / (max_price - min_price) * hundred } else { hundred };
            let sales_part = if max_sales > 0 {
                Decimal::from(c.offer.monthly_sales.unwrap_or(0)) / Decimal::from(max_sales) * hundred
            } else {
                Decimal::ZERO
            };
            let value = if total_weight.is_zero() {
                Decimal::ZERO
            } else {
                (price_part * ranking.price + score * ranking.score + sales_part * ranking.sales) / total_weight
            };
            Recommendation { offer_id: c.offer.id, value, unit_price: price, score }
        })
        .collect();
    out.sort_by(|a, b| b.value.cmp(&a.value).then(a.unit_price.cmp(&b.unit_price)).then(a.offer_id.cmp(&b.offer_id)));
    Ok(out)
}
