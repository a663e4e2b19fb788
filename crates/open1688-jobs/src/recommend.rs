//! `recommend`: offers for a keyword that pass a buyer's filters, ranked by value.

use crate::field_refusal::FieldRefusal;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sourcing::{Filters, Ranking, recommend};

use crate::candidates::{item_ids, supplier_name};
use crate::error::{JobError, Result};
use crate::jobs::{Jobs, load_scorecard};
use crate::progress::Progress;
use crate::search::SearchRequest;
use crate::sheet::{Cell, Sheet};

/// What a recommendation must satisfy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RecommendRequest {
    /// Prices are read at this quantity (default 1).
    pub quantity: i64,
    /// At most this unit price at the quantity.
    pub max_unit_price: Option<Decimal>,
    /// At most this MOQ.
    pub max_moq: Option<i64>,
    /// Supplier identities required, e.g. `super_factory`.
    pub identity: Vec<String>,
    /// Minimum supplier score.
    pub min_score: Option<Decimal>,
    /// Ships within this many hours.
    pub ships_within: Option<u32>,
}

impl Default for RecommendRequest {
    fn default() -> Self {
        Self {
            quantity: 1,
            max_unit_price: None,
            max_moq: None,
            identity: Vec::new(),
            min_score: None,
            ships_within: None,
        }
    }
}

/// One recommended offer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RecommendedOffer {
    /// 1 = best value.
    pub rank: usize,
    /// The offer.
    pub offer_id: i64,
    /// Its title.
    pub title: String,
    /// Its supplier's name.
    pub supplier: String,
    /// Unit price at the quantity.
    pub unit_price: Decimal,
    /// Supplier score.
    pub score: Decimal,
    /// The value the ranking weighs price and score into.
    pub value: Decimal,
}

/// The recommendations, best first.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RecommendReport {
    /// Best value first.
    pub offers: Vec<RecommendedOffer>,
}

impl Jobs {
    /// `recommend`: the search's offers that pass the filters, best value first.
    pub async fn recommend(
        &self,
        search: &SearchRequest,
        request: &RecommendRequest,
        progress: &Progress,
    ) -> Result<RecommendReport> {
        let quantity = request.quantity;
        if quantity <= 0 {
            return Err(JobError::refused("quantity", FieldRefusal::at_least(1, quantity)));
        }
        let items = self.search_items(search, progress).await?;
        let candidates = self.candidates(&item_ids(&items), &items, progress).await?;
        let filters = Filters {
            max_price_at: request.max_unit_price.map(|p| (quantity, p)),
            max_moq: request.max_moq,
            required_identities: request.identity.clone(),
            min_score: request.min_score,
            ships_within_hours: request.ships_within,
        };
        let card = load_scorecard(&self.sourcing_policy().scorecard)?;
        let recs = recommend(&candidates, quantity, &filters, &Ranking::default(), &card)?;
        let offers = recs
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let c = candidates.iter().find(|c| c.offer.id == r.offer_id)?;
                Some(RecommendedOffer {
                    rank: i + 1,
                    offer_id: r.offer_id,
                    title: c.offer.title.clone(),
                    supplier: supplier_name(&c.supplier, &c.offer),
                    unit_price: r.unit_price,
                    score: r.score,
                    value: r.value,
                })
            })
            .collect();
        Ok(RecommendReport { offers })
    }
}

impl RecommendReport {
    /// The recommendations table.
    pub fn sheets(&self) -> Vec<Sheet> {
        let mut s =
            Sheet::new("recommendations", &["rank", "offer_id", "title", "supplier", "unit_price", "score", "value"]);
        for r in &self.offers {
            s.push(vec![
                Cell::count(r.rank),
                Cell::Int(r.offer_id),
                Cell::Text(r.title.clone()),
                Cell::Text(r.supplier.clone()),
                Cell::Money(r.unit_price),
                Cell::Num(r.score.round_dp(1)),
                Cell::Num(r.value.round_dp(1)),
            ]);
        }
        vec![s]
    }
}
