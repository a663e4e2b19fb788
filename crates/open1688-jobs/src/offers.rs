//! `offer`: full details of named offers — the price ladder, SKUs and the seller.

use crate::field_refusal::FieldRefusal;
use rust_decimal::Decimal;
use serde::Serialize;
use sourcing::{Candidate, Offer};

use crate::error::{JobError, Result};
use crate::jobs::Jobs;
use crate::progress::Progress;
use crate::sheet::{Cell, Sheet};

/// Details of the offers asked for, normalized, each with its supplier.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OffersReport {
    /// The offers, in the order asked.
    pub offers: Vec<OfferDetail>,
    /// Offers asked for that the platform says do not exist (taken down, or a mistyped id).
    pub not_found: Vec<i64>,
}

/// One offer with its supplier.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OfferDetail {
    /// The offer: ladder, SKUs, MOQ, shipping.
    pub offer: Offer,
    /// Its supplier's full profile (see [`crate::supplier_profiles`]).
    pub supplier: sourcing::Supplier,
    /// The supplier judged by the policy's scorecard: the same score and band every surface
    /// shows for this supplier.
    pub score: sourcing::ScoreReport,
}

impl OfferDetail {
    /// A candidate with its supplier judged by `card`.
    pub fn scored(c: Candidate, card: &sourcing::Scorecard) -> Self {
        Self { score: card.score(&c.supplier), offer: c.offer, supplier: c.supplier }
    }
}

impl Jobs {
    /// `offer`: the details of `ids`; any offer that cannot be read fails the job, naming it.
    pub async fn offers(&self, ids: &[i64], progress: &Progress) -> Result<OffersReport> {
        if ids.is_empty() {
            return Err(JobError::refused("ids", FieldRefusal::Empty));
        }
        // With one id, its absence is the answer's error; with several, the others still answer.
        let card = crate::jobs::load_scorecard(&self.sourcing_policy().scorecard)?;
        if let [id] = ids {
            let candidate = self.named_candidate(*id, progress).await?;
            return Ok(OffersReport { offers: vec![OfferDetail::scored(candidate, &card)], not_found: Vec::new() });
        }
        let candidates = self.fetch(ids, &[], crate::candidates::Strictness::EachNamed, progress).await?;
        let found: std::collections::HashSet<i64> = candidates.iter().map(|c| c.offer.id).collect();
        let not_found: Vec<i64> = ids.iter().copied().filter(|id| !found.contains(id)).collect();
        if candidates.is_empty() {
            return Err(JobError::NotFound(format!("none of the offers {ids:?} was found on 1688")));
        }
        Ok(OffersReport { offers: candidates.into_iter().map(|c| OfferDetail::scored(c, &card)).collect(), not_found })
    }
}

/// An empty price-tier sheet.
pub fn tiers_sheet() -> Sheet {
    Sheet::new("price tiers", &["offer_id", "min_qty", "max_qty", "unit_price"])
}

/// An empty SKU sheet.
pub fn skus_sheet() -> Sheet {
    Sheet::new("skus", &["offer_id", "sku_id", "attributes", "price", "stock"])
}

/// Adds an offer's tiers and SKUs to their sheets.
pub fn push_tiers_and_skus(o: &Offer, tiers: &mut Sheet, skus: &mut Sheet) {
    for t in o.ladder.iter().flat_map(|l| l.tiers()) {
        tiers.push(vec![Cell::Int(o.id), Cell::Int(t.min_qty), Cell::opt_int(t.max_qty), Cell::Money(t.unit_price)]);
    }
    for s in &o.skus {
        let attrs = s.attributes.iter().map(|(k, v)| format!("{k}:{v}")).collect::<Vec<_>>().join(" ");
        skus.push(vec![
            Cell::Int(o.id),
            Cell::Int(s.id),
            Cell::Text(attrs),
            Cell::opt_money(s.price),
            Cell::opt_int(s.stock),
        ]);
    }
}

/// The ladder's steps as (first quantity, unit price), for charts.
pub fn ladder_points(o: &Offer) -> Vec<(i64, Decimal)> {
    o.ladder.iter().flat_map(|l| l.tiers()).map(|t| (t.min_qty, t.unit_price)).collect()
}

impl OffersReport {
    /// Sheets: offers, price tiers, SKUs.
    pub fn sheets(&self) -> Vec<Sheet> {
        let mut offers = Sheet::new(
            "offers",
            &[
                "offer_id",
                "title",
                "title_en",
                "unit",
                "moq",
                "batch",
                "quote_type",
                "stock",
                "weight_kg",
                "ship_from",
                "supplier",
                "seller_open_id",
                "score",
                "band",
                "status",
            ],
        );
        let mut tiers = tiers_sheet();
        let mut skus = skus_sheet();
        for d in &self.offers {
            let o = &d.offer;
            offers.push(vec![
                Cell::Int(o.id),
                Cell::Text(o.title.clone()),
                Cell::opt_text(o.title_en.clone()),
                Cell::opt_text(o.unit.name.clone()),
                Cell::opt_int(o.moq),
                Cell::opt_int(o.batch_number),
                Cell::opt_text(o.quote_type.map(|q| format!("{q:?}"))),
                Cell::opt_int(o.stock),
                o.shipping.weight_kg.map_or(Cell::Empty, Cell::Num),
                Cell::opt_text(o.shipping.ship_from.clone()),
                Cell::opt_text(d.supplier.company.clone()),
                Cell::opt_text(o.supplier.open_id.clone()),
                Cell::Num(d.score.score.round_dp(1)),
                Cell::Text(d.score.band.clone()),
                Cell::opt_text(o.status.clone()),
            ]);
            push_tiers_and_skus(o, &mut tiers, &mut skus);
        }
        vec![offers, tiers, skus]
    }

    /// The first offer's price ladder as steps, its words in `language`.
    #[cfg(feature = "charts")]
    pub fn chart(&self, path: &std::path::Path, language: sourcing::Language) -> Result<()> {
        let first = self.offers.first().ok_or_else(|| JobError::NoAnswer("no offer to draw".into()))?;
        let words = crate::chart_words::ChartWords::of(language);
        crate::charts::ladder_steps(
            path,
            words,
            &format!("{} {}", first.offer.title, words.price_ladder),
            &ladder_points(&first.offer),
            0,
            &[],
        )
    }
}
