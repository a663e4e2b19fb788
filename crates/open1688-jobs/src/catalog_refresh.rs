//! `catalog refresh`: keeps the catalog within its freshness targets (watched offers 10 minutes,
//! others 24 hours by default). Each run re-fetches the entries past their target, most overdue
//! first, at most `max_offers` of them (the quota a run may spend; the client's rate limiter paces
//! the calls), and reports what is still stale and the data-age distribution.

use crate::field_refusal::FieldRefusal;
use open1688_store::{CatalogIndex, DataAge, Store};
use serde::{Deserialize, Serialize};

use crate::error::{JobError, Result};
use crate::jobs::Jobs;
use crate::progress::{Progress, Stage};
use crate::sheet::{Cell, Sheet};

/// How fresh the catalog must be, and how much one run may fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The most a watched offer's entry may age, in seconds (default 600).
    #[serde(default = "ten_minutes")]
    pub watched_target_secs: i64,
    /// The most any other entry may age, in seconds (default 86,400).
    #[serde(default = "one_day")]
    pub other_target_secs: i64,
    /// The most details this run fetches (default 500).
    #[serde(default = "five_hundred")]
    pub max_offers: i64,
}

fn ten_minutes() -> i64 {
    600
}

fn one_day() -> i64 {
    86_400
}

fn five_hundred() -> i64 {
    500
}

impl Default for RefreshRequest {
    fn default() -> Self {
        Self { watched_target_secs: ten_minutes(), other_target_secs: one_day(), max_offers: five_hundred() }
    }
}

impl RefreshRequest {
    /// Checks the request; the error names the field.
    pub fn validate(&self) -> Result<()> {
        for (field, value) in
            [("watched_target_secs", self.watched_target_secs), ("other_target_secs", self.other_target_secs)]
        {
            if value < 1 {
                return Err(JobError::invalid(field, format!("{field} must be at least 1 second, not {value}")));
            }
        }
        if !(1..=100_000).contains(&self.max_offers) {
            return Err(JobError::refused("max_offers", FieldRefusal::between(1, 100_000, self.max_offers)));
        }
        Ok(())
    }
}

/// What a refresh did and how fresh the catalog is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RefreshReport {
    /// Entries that were past their target when the run began.
    pub stale: u64,
    /// Of them, watched offers.
    pub stale_watched: u64,
    /// Entries fetched and stored again.
    pub refreshed: u64,
    /// Entries whose detail could not be read (each noted).
    pub failed: u64,
    /// Entries still past their target (the run's budget ran out, or their fetch failed).
    pub still_stale: u64,
    /// The data-age distribution after the run.
    pub age: DataAge,
}

impl RefreshReport {
    /// The run's counts, then the data age.
    pub fn sheets(&self) -> Vec<Sheet> {
        let n = |v: u64| Cell::Int(i64::try_from(v).unwrap_or(i64::MAX));
        let mut s = Sheet::new("refresh", &["stale", "stale_watched", "refreshed", "failed", "still_stale"]);
        s.push(vec![n(self.stale), n(self.stale_watched), n(self.refreshed), n(self.failed), n(self.still_stale)]);
        vec![s, crate::catalog_crawl::age_sheet(&self.age)]
    }
}

impl Jobs {
    /// Refreshes the entries of `store`'s catalog that are past their target at `now_ms`, most
    /// overdue first, indexing them in `index`.
    pub async fn refresh_catalog(
        &self,
        store: &dyn Store,
        index: Option<&CatalogIndex>,
        request: &RefreshRequest,
        now_ms: i64,
        progress: &Progress,
    ) -> Result<RefreshReport> {
        request.validate()?;
        let (watched, other) = (request.watched_target_secs * 1000, request.other_target_secs * 1000);
        let all_stale = store.stale_entries(now_ms, watched, other, i64::MAX).await?;
        let stale_watched = all_stale.iter().filter(|s| s.watched).count() as u64;
        let budget = usize::try_from(request.max_offers).unwrap_or(usize::MAX);
        let ids: Vec<i64> = all_stale.iter().take(budget).map(|s| s.offer_id).collect();
        progress.stage(1, 1, Stage::RefreshingStale { count: ids.len(), of: all_stale.len() });
        let (refreshed, failed) = self.fetch_into_catalog(store, index, &ids, &[], None, progress).await?;
        let after = chrono::Utc::now().timestamp_millis().max(now_ms);
        let still_stale = store.stale_entries(after, watched, other, i64::MAX).await?.len() as u64;
        Ok(RefreshReport {
            stale: all_stale.len() as u64,
            stale_watched,
            refreshed,
            failed,
            still_stale,
            age: store.catalog_age(after).await?,
        })
    }
}
