//! Suppliers' full profiles: one score per supplier on every surface.
//!
//! A search item, an offer's detail and a seller's listing each carry part of a supplier's
//! signals (the detail its service scores, the listing its identities, fulfilment rates and how
//! many offers it has), so a supplier scored from whatever one answer carried scores differently
//! by page. Every job therefore scores a supplier from its *profile*: the seller's listing (first
//! page) and the detail of the listing's first offer, merged. A profile is read once and kept —
//! in the store when there is one, so every instance and every later command shares it — until
//! it is older than the policy's `supplier_profile_max_age_hours`.

use crate::field_refusal::FieldRefusal;
use std::collections::BTreeMap;

use open1688_store::SupplierProfile;
use sourcing::{Candidate, Supplier};

use crate::error::{JobError, Result};
use crate::jobs::Jobs;
use crate::progress::Progress;

/// The profiles a job has read, by open id, and how it uses them: each candidate's supplier is
/// replaced by its seller's profile. A candidate whose offer names no seller, or whose seller's
/// profile could not be read, keeps the signals of its own answers, and a note says so;
/// authorization and quota failures, which every further call would repeat, are the job's error.
#[derive(Debug, Default)]
pub(crate) struct ProfileReads {
    /// Sellers whose read has started.
    asked: std::collections::HashSet<String>,
    /// Reads that ended.
    done: BTreeMap<String, Result<SupplierProfile>>,
}

impl ProfileReads {
    /// The seller-level signals to read `candidate`'s seller with, when its read has not
    /// started yet (and it is marked started).
    pub(crate) fn first_sight(&mut self, candidate: &Candidate) -> Option<(String, Supplier)> {
        let open_id = candidate.offer.supplier.open_id.clone()?;
        self.asked.insert(open_id.clone()).then(|| (open_id, seller_signals(&candidate.supplier)))
    }

    /// Records a read that ended.
    pub(crate) fn ended(&mut self, open_id: String, read: Result<SupplierProfile>) {
        self.done.insert(open_id, read);
    }

    /// Gives every candidate its seller's profile.
    pub(crate) fn apply(self, candidates: &mut [Candidate], progress: &Progress) -> Result<()> {
        let mut profiles = BTreeMap::new();
        for (open_id, read) in self.done {
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
}

impl Jobs {
    /// The full profile of the seller `open_id`: the one kept while it is fresh, else read from
    /// the platform (two calls, both cacheable), kept and returned.
    pub async fn supplier_profile(&self, open_id: &str) -> Result<SupplierProfile> {
        self.supplier_profile_with(open_id, None).await
    }

    /// [`Jobs::supplier_profile`], with the seller-level signals of a detail of one of its offers
    /// already read (service scores, years, medal, certificates: the same in every offer of a
    /// seller), which saves reading one more.
    async fn supplier_profile_with(&self, open_id: &str, detail: Option<&Supplier>) -> Result<SupplierProfile> {
        let open_id = open_id.trim();
        if open_id.is_empty() {
            return Err(JobError::refused("open_id", FieldRefusal::Empty));
        }
        let now = chrono::Utc::now().timestamp_millis();
        let max_age_ms = i64::from(self.sourcing_policy().supplier_profile_max_age_hours).saturating_mul(3_600_000);
        if let Some(kept) = self.kept_profile(open_id).await
            && now.saturating_sub(kept.fetched_ms) < max_age_ms
        {
            return Ok(kept);
        }
        let profile = self.read_profile(open_id, detail, now).await?;
        self.keep_profile(&profile).await;
        Ok(profile)
    }

    /// Reads the profile of `open_id` (with the seller-level signals `detail` carried), for a
    /// job that reads several while it reads offers: see [`ProfileReads`].
    pub(crate) async fn profile_read(&self, open_id: String, detail: Supplier) -> (String, Result<SupplierProfile>) {
        let read = self.supplier_profile_with(&open_id, Some(&detail)).await;
        (open_id, read)
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
            None => self.profile_memo().put(profile.open_id.clone(), profile.clone()),
        }
    }

    /// The listing's first page (identities, fulfilment rates, the count of offers) and the
    /// seller-level signals of an offer's detail (service scores, years, medal, certificates):
    /// those given, else the detail of the listing's first offer.
    async fn read_profile(&self, open_id: &str, detail: Option<&Supplier>, now_ms: i64) -> Result<SupplierProfile> {
        let page = self
            .client()
            .seller_offer_page(open_id, self.language_ref(), 1)
            .await
            .map_err(|e| JobError::gateway(format!("seller {open_id}"), e))?;
        let first = page.data.iter().find(|item| item.offer_id.is_some());
        let Some(first_id) = first.and_then(|item| item.offer_id) else {
            return Err(JobError::NotFound(format!("seller {open_id} lists no offer on 1688")));
        };
        let mut supplier = match detail {
            Some(known) => seller_signals(known),
            None => {
                let detail = self
                    .client()
                    .offer_in(first_id, self.language_ref())
                    .await
                    .map_err(|e| JobError::gateway(format!("offer {first_id}"), e))?;
                seller_signals(&sourcing::supplier_from_detail(&detail))
            }
        };
        if let Some(summary) = first.and_then(|item| sourcing::summary_from_search_item(item).ok()) {
            supplier.merge(&summary.supplier);
        }
        supplier.open_id = Some(open_id.to_owned());
        let listed = i64::try_from(page.data.len()).unwrap_or(i64::MAX);
        supplier.offer_count = Some(page.total_records.unwrap_or(listed).max(listed));
        Ok(SupplierProfile { open_id: open_id.to_owned(), supplier, fetched_ms: now_ms })
    }
}

/// The signals of a supplier that belong to the seller, not to one offer or one search answer:
/// what a detail says of the seller. Rates and identities come from the listing instead, so a
/// profile does not depend on which offer's answer was at hand.
fn seller_signals(s: &Supplier) -> Supplier {
    Supplier {
        open_id: s.open_id.clone(),
        login_id: s.login_id.clone(),
        company: s.company.clone(),
        location: s.location.clone(),
        years_on_platform: s.years_on_platform,
        scores: s.scores.clone(),
        repurchase_rate: s.repurchase_rate,
        trade_medal: s.trade_medal,
        certificates: s.certificates.clone(),
        ..Supplier::default()
    }
}
