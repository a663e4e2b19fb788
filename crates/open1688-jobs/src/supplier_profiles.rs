//! Suppliers' full profiles: one score per supplier on every surface.
//!
//! A search item, an offer's detail and a seller's listing each carry part of a supplier's
//! signals (the detail its service scores, the listing its identities, fulfilment rates and how
//! many offers it has), so a supplier scored from whatever one answer carried scores differently
//! by page. Every job therefore scores a supplier from its *profile*: the seller's listing (first
//! page) and the detail of the listing's first offer, merged. A profile is read once and kept —
//! in the store when there is one, so every instance and every later command shares it — until
//! it is older than the policy's `supplier_profile_max_age_hours`.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use futures::StreamExt;
use open1688_store::SupplierProfile;
use sourcing::{Candidate, ScoreReport, Supplier};

use crate::error::{JobError, Result};
use crate::jobs::{Jobs, load_scorecard};
use crate::progress::Progress;

/// Profiles read by this process, for a [`Jobs`] without a store (and so a job reads each
/// supplier once).
#[derive(Debug, Clone, Default)]
pub(crate) struct ProfileMemo(Arc<Mutex<HashMap<String, SupplierProfile>>>);

impl ProfileMemo {
    fn get(&self, open_id: &str) -> Option<SupplierProfile> {
        self.0.lock().ok()?.get(open_id).cloned()
    }

    fn put(&self, profile: &SupplierProfile) {
        if let Ok(mut memo) = self.0.lock() {
            memo.insert(profile.open_id.clone(), profile.clone());
        }
    }
}

impl Jobs {
    /// The full profile of the seller `open_id`: the one kept while it is fresh, else read from
    /// the platform (two calls, both cacheable), kept and returned.
    pub async fn supplier_profile(&self, open_id: &str) -> Result<SupplierProfile> {
        let open_id = open_id.trim();
        if open_id.is_empty() {
            return Err(JobError::invalid("open_id", "the seller open id is empty"));
        }
        let now = chrono::Utc::now().timestamp_millis();
        let max_age_ms = i64::from(self.sourcing_policy().supplier_profile_max_age_hours).saturating_mul(3_600_000);
        if let Some(kept) = self.kept_profile(open_id).await
            && now.saturating_sub(kept.fetched_ms) < max_age_ms
        {
            return Ok(kept);
        }
        let profile = self.read_profile(open_id, now).await?;
        self.keep_profile(&profile).await;
        Ok(profile)
    }

    /// Replaces each candidate's supplier by its seller's full profile, each seller read once,
    /// several at a time. A candidate whose offer names no seller, or whose seller's profile
    /// cannot be read, keeps the signals of its own answers, and a note says so; authorization
    /// and quota failures, which every further call would repeat, are the job's error.
    pub(crate) async fn apply_profiles(&self, candidates: &mut [Candidate], progress: &Progress) -> Result<()> {
        let sellers: Vec<String> = candidates
            .iter()
            .filter_map(|c| c.offer.supplier.open_id.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let concurrency = self.sourcing_policy().detail_concurrency.max(1);
        let mut reads = futures::stream::iter(sellers.into_iter().map(|open_id| async move {
            let profile = self.supplier_profile(&open_id).await;
            (open_id, profile)
        }))
        .buffer_unordered(concurrency);
        let mut profiles = BTreeMap::new();
        while let Some((open_id, read)) = progress.or_cancel(reads.next()).await? {
            match read {
                Ok(profile) => {
                    profiles.insert(open_id, profile.supplier);
                }
                Err(e @ JobError::Gateway { .. }) if matches!(&e, JobError::Gateway { source, .. } if source.is_authorization() || source.is_quota_exhausted()) =>
                {
                    return Err(e);
                }
                Err(e) => progress.note(format!("supplier {open_id} is scored from its offer alone: {e}")),
            }
        }
        for c in candidates.iter_mut() {
            if let Some(profile) = c.offer.supplier.open_id.as_ref().and_then(|id| profiles.get(id)) {
                c.supplier = profile.clone();
            }
        }
        Ok(())
    }

    /// A supplier judged by the policy's scorecard (the one every job scores with).
    pub fn score_supplier(&self, supplier: &Supplier) -> Result<ScoreReport> {
        Ok(load_scorecard(&self.sourcing_policy().scorecard)?.score(supplier))
    }

    async fn kept_profile(&self, open_id: &str) -> Option<SupplierProfile> {
        match self.kept_in() {
            // A store that fails to answer only costs a read from the platform.
            Some(store) => store.supplier_profile(open_id).await.ok().flatten(),
            None => self.profile_memo().get(open_id),
        }
    }

    async fn keep_profile(&self, profile: &SupplierProfile) {
        match self.kept_in() {
            Some(store) => {
                // Not kept means read again next time; the answer stands either way.
                let _ = store.save_supplier_profile(profile).await;
            }
            None => self.profile_memo().put(profile),
        }
    }

    /// The listing's first page (identities, fulfilment rates, the count of offers) and the
    /// detail of its first offer (service scores, years, certificates, location), merged.
    async fn read_profile(&self, open_id: &str, now_ms: i64) -> Result<SupplierProfile> {
        let page = self
            .client()
            .seller_offer_page(open_id, self.language_ref(), 1)
            .await
            .map_err(|e| JobError::gateway(format!("seller {open_id}"), e))?;
        let first = page.data.iter().find(|item| item.offer_id.is_some());
        let Some(first_id) = first.and_then(|item| item.offer_id) else {
            return Err(JobError::NotFound(format!("seller {open_id} lists no offer on 1688")));
        };
        let detail = self
            .client()
            .offer_in(first_id, self.language_ref())
            .await
            .map_err(|e| JobError::gateway(format!("offer {first_id}"), e))?;
        let mut supplier = sourcing::supplier_from_detail(&detail);
        if let Some(summary) = first.and_then(|item| sourcing::summary_from_search_item(item).ok()) {
            supplier.merge(&summary.supplier);
        }
        supplier.open_id = Some(open_id.to_owned());
        let listed = i64::try_from(page.data.len()).unwrap_or(i64::MAX);
        supplier.offer_count = Some(page.total_records.unwrap_or(listed).max(listed));
        Ok(SupplierProfile { open_id: open_id.to_owned(), supplier, fetched_ms: now_ms })
    }
}
