//! `seller`: a supplier's profile, its offers and its scorecard with the explanation.

use crate::field_refusal::FieldRefusal;
use futures::{StreamExt, TryStreamExt};
use open1688::MemberKey;
use serde::Serialize;
use sourcing::{OfferSummary, ScoreReport, Supplier};

use crate::error::{JobError, Result};
use sourcing::Scorecard;

use crate::jobs::Jobs;
use crate::progress::Progress;
use crate::search::offers_sheet;
use crate::sheet::{Cell, Sheet};

/// A seller, judged.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SellerReport {
    /// The seller's open id.
    pub open_id: String,
    /// The supplier as its offers describe it.
    pub supplier: Supplier,
    /// The scorecard's verdict with each criterion's contribution.
    pub score: ScoreReport,
    /// The seller's offers (the first 50).
    pub offers: Vec<OfferSummary>,
}

impl Jobs {
    /// `seller`: profile, offers and the supplier judged by `card` (resolved by the caller:
    /// [`crate::load_scorecard`] for a local one, [`crate::remote_scorecard`] for a remote caller).
    pub async fn seller(&self, id: &str, card: &Scorecard, progress: &Progress) -> Result<SellerReport> {
        if id.trim().is_empty() {
            return Err(JobError::refused("id", FieldRefusal::Empty));
        }
        // An open id lists offers directly; a login id or domain is looked up to say so.
        let listing = self.client().seller_offers(id, self.language_ref()).take(50).try_collect::<Vec<_>>();
        let items = progress.or_cancel(listing).await?.unwrap_or_default();
        if items.is_empty() {
            let key = if id.contains('.') { MemberKey::Domain(id.into()) } else { MemberKey::LoginId(id.into()) };
            let member = progress
                .or_cancel(self.client().member(key))
                .await?
                .map_err(|e| JobError::gateway(format!("seller {id}"), e))?;
            return Err(JobError::NotFound(format!(
                "{} ({}) has no listing by that id; pass the seller open id (`sellerOpenId` in `open1688 offer` JSON)",
                member.company_name.unwrap_or_default(),
                member.login_id.unwrap_or_default()
            )));
        }
        // The supplier's full profile, the same every other job scores it from.
        let supplier = progress.or_cancel(self.supplier_profile(id)).await??.supplier;
        let score = card.score(&supplier);
        let offers = items.iter().filter_map(|i| sourcing::summary_from_search_item(i).ok()).collect();
        Ok(SellerReport { open_id: id.to_owned(), supplier, score, offers })
    }
}

impl SellerReport {
    /// Sheets: the supplier, its scorecard, its offers.
    pub fn sheets(&self) -> Vec<Sheet> {
        let s = &self.supplier;
        let r = &self.score;
        let mut profile = Sheet::new(
            "supplier",
            &["open_id", "company", "location", "years", "identities", "score", "band", "action"],
        );
        profile.push(vec![
            Cell::Text(self.open_id.clone()),
            Cell::opt_text(s.company.clone()),
            Cell::opt_text(s.location.clone()),
            Cell::opt_int(s.years_on_platform),
            Cell::Text(s.identities.join(",")),
            Cell::Num(r.score.round_dp(1)),
            Cell::Text(r.band.clone()),
            Cell::Text(r.action.to_string()),
        ]);
        vec![profile, scorecard_sheet(r), offers_sheet(&self.offers)]
    }

    /// The scorecard as a radar, its title in `language`.
    #[cfg(feature = "charts")]
    pub fn chart(&self, path: &std::path::Path, language: sourcing::Language) -> Result<()> {
        let title = format!(
            "{} {} {}",
            self.supplier.company.clone().unwrap_or_default(),
            crate::chart_words::ChartWords::of(language).scorecard,
            self.score.score.round_dp(1)
        );
        crate::charts::scorecard_radar(path, &title, &radar_axes(&self.score, language))
    }
}

/// A scorecard's criteria: signal, sub-score, weight and contribution.
pub fn scorecard_sheet(r: &ScoreReport) -> Sheet {
    let mut explain = Sheet::new("scorecard", &["criterion", "signal", "sub_score", "weight", "contribution"]);
    for c in &r.criteria {
        explain.push(vec![
            Cell::Text(c.name.clone()),
            c.signal.map_or(Cell::Empty, Cell::Num),
            c.sub_score.map_or(Cell::Empty, |s| Cell::Num(s.round_dp(1))),
            Cell::Num(c.effective_weight.round_dp(2)),
            Cell::Num(c.contribution.round_dp(2)),
        ]);
    }
    explain
}

/// A scorecard's sub-scores as radar axes (a missing signal draws at 0), the presets' criteria named
/// in `language`.
pub fn radar_axes(r: &ScoreReport, language: sourcing::Language) -> Vec<(String, rust_decimal::Decimal)> {
    r.criteria
        .iter()
        .map(|c| (sourcing::criterion_name(&c.name, language).to_owned(), c.sub_score.unwrap_or_default()))
        .collect()
}
