//! Candidates: offer details fetched with bounded concurrency, normalized, completed from their
//! search items and paired with their suppliers — the first step of every decision job.

use crate::field_refusal::FieldRefusal;
use futures::StreamExt;
use open1688_types::api::search::SearchItem;
use sourcing::{Candidate, Need, Offer, Supplier};

use crate::error::{JobError, Result};
use crate::jobs::Jobs;
use crate::progress::{Progress, ProgressEvent};
use crate::supplier_profiles::ProfileReads;

/// Whether one unreadable offer fails the job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strictness {
    /// Offers the user named: the first failure is the job's error.
    Named,
    /// Offers a search found: a failure is noted and the offer skipped (except authorization and
    /// quota failures, which every further call would repeat).
    Found,
    /// Offers the user named to read each on its own: one the platform says does not exist is
    /// noted and skipped; any other failure is the job's error.
    EachNamed,
}

/// Whether a read of offers also reads their suppliers' profiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Profiles {
    /// Read them: the candidates are scored.
    Read,
    /// Leave them: the candidates are only priced.
    Skip,
}

impl Jobs {
    /// Details of `ids` as candidates, in input order; offers that fail are noted and skipped.
    /// `items` (a search's results) complete what a detail leaves out.
    pub async fn candidates(&self, ids: &[i64], items: &[SearchItem], progress: &Progress) -> Result<Vec<Candidate>> {
        self.fetch(ids, items, Strictness::Found, progress).await
    }

    /// Details of offers the user named: any failure is the job's error.
    pub async fn named_candidates(&self, ids: &[i64], progress: &Progress) -> Result<Vec<Candidate>> {
        self.fetch(ids, &[], Strictness::Named, progress).await
    }

    /// Details of offers the user named, for pricing only: like
    /// [`Jobs::named_candidates`] but without suppliers' profiles (a plan or an order does not
    /// score suppliers, so it spends no listing calls on them).
    pub(crate) async fn named_offers(&self, ids: &[i64], progress: &Progress) -> Result<Vec<Candidate>> {
        self.fetch_with(ids, &[], Strictness::Named, Profiles::Skip, progress).await
    }

    /// One named offer as a candidate.
    pub(crate) async fn named_candidate(&self, id: i64, progress: &Progress) -> Result<Candidate> {
        self.named_candidates(&[id], progress)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| JobError::NotFound(format!("offer {id} could not be read")))
    }

    pub(crate) async fn fetch(
        &self,
        ids: &[i64],
        items: &[SearchItem],
        strictness: Strictness,
        progress: &Progress,
    ) -> Result<Vec<Candidate>> {
        self.fetch_with(ids, items, strictness, Profiles::Read, progress).await
    }

    async fn fetch_with(
        &self,
        ids: &[i64],
        items: &[SearchItem],
        strictness: Strictness,
        wanted: Profiles,
        progress: &Progress,
    ) -> Result<Vec<Candidate>> {
        const TASK: &str = "offer details";
        progress.emit(ProgressEvent::Begin { task: TASK, total: ids.len() as u64 });
        let mut out = Vec::with_capacity(ids.len());
        let concurrency = self.sourcing_policy().detail_concurrency;
        let mut details = self.client().offers_stream(ids, self.language_ref(), concurrency);
        // Each seller's profile is read as soon as its first offer arrives, beside the details
        // still coming, so the two kinds of call share the time instead of following each other.
        let mut reads = futures::stream::FuturesUnordered::new();
        let mut profiles = ProfileReads::default();
        let result = loop {
            let next = tokio::select! {
                biased;
                Some((open_id, read)) = reads.next(), if !reads.is_empty() => {
                    profiles.ended(open_id, read);
                    continue;
                }
                next = progress.or_cancel(details.next()) => next,
            };
            let Some((id, result)) = (match next {
                Ok(next) => next,
                Err(cancelled) => break Err(cancelled),
            }) else {
                break Ok(());
            };
            progress.emit(ProgressEvent::Advance { task: TASK });
            let detail = match result {
                Ok(d) => d,
                Err(e) if strictness == Strictness::EachNamed && e.is_not_found() => {
                    progress.note(crate::error::not_found_on_1688(&format!("offer {id}")));
                    continue;
                }
                Err(e)
                    if matches!(strictness, Strictness::Named | Strictness::EachNamed)
                        || e.is_authorization()
                        || e.is_quota_exhausted() =>
                {
                    break Err(JobError::gateway(format!("offer {id}"), e));
                }
                Err(e) => {
                    progress.note(format!("offer {id}: {e}"));
                    continue;
                }
            };
            let mut offer = match sourcing::offer_from_detail(&detail, chrono::Utc::now()) {
                Ok(o) => o,
                Err(e) if strictness == Strictness::Named => break Err(JobError::invalid("offer", e.to_string())),
                Err(e) => {
                    progress.note(format!("skipped: {e}"));
                    continue;
                }
            };
            let mut supplier = sourcing::supplier_from_detail(&detail);
            if let Some(item) = items.iter().find(|it| it.offer_id == Some(id))
                && let Ok(summary) = sourcing::summary_from_search_item(item)
            {
                offer.complete_from(&summary);
                supplier.merge(&summary.supplier);
            }
            let candidate = Candidate { offer, supplier };
            if wanted == Profiles::Read
                && let Some((open_id, signals)) = profiles.first_sight(&candidate)
            {
                reads.push(self.profile_read(open_id, signals));
            }
            out.push(candidate);
        };
        result?;
        while let Some((open_id, read)) = progress.or_cancel(reads.next()).await? {
            profiles.ended(open_id, read);
        }
        progress.emit(ProgressEvent::End { task: TASK });
        profiles.apply(&mut out, progress)?;
        Ok(out)
    }
}

/// The ids of search items, in order.
pub(crate) fn item_ids(items: &[SearchItem]) -> Vec<i64> {
    items.iter().filter_map(|i| i.offer_id).collect()
}

/// What a user needs: units, and optionally the sales rate and holding cost behind the advice.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NeedRequest {
    /// Units needed (at least 1).
    pub need: i64,
    /// Expected sales per day (default: the offer's monthly sales / 30).
    #[serde(default)]
    pub daily_sales: Option<rust_decimal::Decimal>,
    /// Holding cost per unit per day.
    #[serde(default)]
    pub holding_cost: Option<rust_decimal::Decimal>,
    /// At most this many units above the need.
    #[serde(default)]
    pub max_overstock: Option<i64>,
    /// The variant wanted, by SKU attributes (`{"容量": "750ml", "颜色": "红色"}`): every offer is
    /// priced, and its stock read, for the one SKU these name; offers without it are left out.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub spec: std::collections::BTreeMap<String, String>,
}

/// The most units a need or a plan line may ask for (a billion): beyond any wholesale order, and
/// far enough from `i64` that prices times quantities never come near overflowing.
pub const MAX_UNITS: i64 = 1_000_000_000;

impl NeedRequest {
    /// A need of `units` and nothing else.
    pub fn units(units: i64) -> Self {
        Self { need: units, daily_sales: None, holding_cost: None, max_overstock: None, spec: Default::default() }
    }

    /// The engine's need, with the sales rate taken from `offer` when not given. A need below 1,
    /// a negative rate or cost, or a negative overstock cap is refused, naming the field.
    pub fn resolve(&self, offer: Option<&Offer>) -> Result<Need> {
        if self.need <= 0 {
            return Err(JobError::refused("need", FieldRefusal::at_least(1, self.need)));
        }
        if self.need > MAX_UNITS {
            return Err(JobError::refused("need", FieldRefusal::at_most(MAX_UNITS, self.need)));
        }
        if self.daily_sales.is_some_and(|d| d.is_sign_negative()) {
            return Err(JobError::refused("daily_sales", FieldRefusal::Negative));
        }
        if self.holding_cost.is_some_and(|d| d.is_sign_negative()) {
            return Err(JobError::refused("holding_cost", FieldRefusal::Negative));
        }
        if self.max_overstock.is_some_and(|m| m < 0) {
            return Err(JobError::refused("max_overstock", FieldRefusal::Negative));
        }
        Ok(Need {
            quantity: self.need,
            daily_sales: self.daily_sales.or_else(|| offer.and_then(sourcing::batches::daily_sales)),
            holding_cost_per_unit_day: self.holding_cost,
            max_overstock: self.max_overstock,
            spec: self.spec.clone(),
        })
    }
}

/// A supplier's display name: the company, else the seller key of its offer.
pub fn supplier_name(s: &Supplier, o: &Offer) -> String {
    s.company.clone().unwrap_or_else(|| sourcing::plan::supplier_key(o))
}
