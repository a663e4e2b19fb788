//! Watches, as jobs on the store: add one from a buyer's terms (flags, a form, a rules file),
//! list them with the state the monitor left them in, remove, snooze, and the monitor's runs.
//! None of these needs the gateway.

use crate::field_refusal::FieldRefusal;
use chrono::{DateTime, Utc};
use open1688_store::{AlertRule, JobRun, NewWatch, Store, StoreError, WatchState};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{JobError, Result};
use crate::sheet::{Cell, Sheet};

/// A watch to add: an offer or a keyword, how often, and the alert rules (from terms, a rules
/// file, or both).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct WatchRequest {
    /// The offer to watch.
    pub offer: Option<i64>,
    /// Or a keyword search's top results.
    pub keyword: Option<String>,
    /// Alert when a new offer enters the keyword's results.
    pub new_offers: bool,
    /// Minutes between checks (default 60).
    pub every_minutes: i64,
    /// Alert when the unit price at `at` falls below this.
    pub below: Option<Decimal>,
    /// Alert when the unit price at `at` rises above this.
    pub above: Option<Decimal>,
    /// The quantity prices are read at (default 1).
    pub at: i64,
    /// Alert on a move of at least this many percent.
    pub change: Option<Decimal>,
    /// Alert when stock falls below this.
    pub stock_below: Option<i64>,
    /// Further rules (e.g. from a rules file, see [`parse_rules`]).
    pub rules: Vec<AlertRule>,
    /// At most this many alerts a day.
    pub max_per_day: Option<i64>,
}

impl Default for WatchRequest {
    fn default() -> Self {
        Self {
            offer: None,
            keyword: None,
            new_offers: false,
            every_minutes: 60,
            below: None,
            above: None,
            at: 1,
            change: None,
            stock_below: None,
            rules: Vec::new(),
            max_per_day: None,
        }
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    rules: Vec<AlertRule>,
}

/// Parses a rules file (`[[rules]] kind = "price_below" …`); `name` is how errors refer to it.
pub fn parse_rules(text: &str, name: &str) -> Result<Vec<AlertRule>> {
    toml::from_str::<RulesFile>(text)
        .map(|f| f.rules)
        .map_err(|e| JobError::invalid("rules", format!("rules file {name}: {e}")))
}

impl WatchRequest {
    /// The watch to store: the request's rules, or sensible defaults when it names none (a
    /// keyword: new offers and tier changes; an offer: tier changes, sold out, back in stock).
    pub fn to_new_watch(&self) -> Result<NewWatch> {
        if self.every_minutes <= 0 || self.at <= 0 {
            return Err(JobError::invalid("every", "every and at must be at least 1"));
        }
        let mut rules = self.rules.clone();
        let at = self.at;
        rules.extend(self.below.map(|target| AlertRule::PriceBelow { quantity: at, target }));
        rules.extend(self.above.map(|target| AlertRule::PriceAbove { quantity: at, target }));
        rules.extend(self.change.map(|percent| AlertRule::PercentChange { quantity: at, percent }));
        rules.extend(self.stock_below.map(|units| AlertRule::StockBelow { units }));
        if self.new_offers {
            rules.push(AlertRule::NewOffer);
        }
        if rules.is_empty() {
            rules = match self.keyword {
                Some(_) => vec![AlertRule::NewOffer, AlertRule::AnyTierChange],
                None => vec![AlertRule::AnyTierChange, AlertRule::SoldOut, AlertRule::BackInStock],
            };
        }
        Ok(NewWatch {
            offer_id: self.offer,
            keyword: self.keyword.clone(),
            interval_secs: self.every_minutes.checked_mul(60).ok_or_else(|| {
                JobError::invalid("every", format!("every {} minutes is too long", self.every_minutes))
            })?,
            rules,
            max_per_day: self.max_per_day,
        })
    }
}

/// A watch just added.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WatchAdded {
    /// Its id.
    pub id: i64,
    /// The offer watched.
    pub offer_id: Option<i64>,
    /// Or the keyword.
    pub keyword: Option<String>,
}

impl WatchAdded {
    /// One row: id, offer, keyword.
    pub fn sheets(&self) -> Vec<Sheet> {
        let mut s = Sheet::new("watch", &["id", "offer_id", "keyword"]);
        s.push(vec![Cell::Int(self.id), Cell::opt_int(self.offer_id), Cell::opt_text(self.keyword.clone())]);
        vec![s]
    }
}

impl crate::Jobs {
    /// Adds a watch after asking the platform for its offer (one call, usually cached): an offer
    /// the platform says does not exist is refused, as a watch on it would only ever fail. When
    /// the platform cannot be asked now (a network or quota problem), the watch is added and its
    /// checks report what they find.
    pub async fn add_watch(&self, store: &dyn Store, request: &WatchRequest, now: DateTime<Utc>) -> Result<WatchAdded> {
        let new = request.to_new_watch()?;
        // Any other failure to ask leaves the answer to the watch's own checks.
        if let Some(offer) = new.offer_id
            && let Err(e) = self.client().offer_in(offer, self.language_ref()).await
            && e.is_not_found()
        {
            return Err(JobError::NotFound(crate::error::not_found_on_1688(&format!("offer {offer}"))));
        }
        add_watch(store, request, now).await
    }
}

/// Adds a watch; a rule that does not fit the watch (a stock rule on a keyword) is refused with
/// the reason.
pub async fn add_watch(store: &dyn Store, request: &WatchRequest, now: DateTime<Utc>) -> Result<WatchAdded> {
    let new = request.to_new_watch()?;
    let id = match store.add_watch(&new, now.timestamp_millis()).await {
        Err(StoreError::InvalidWatch(why)) => return Err(JobError::invalid("watch", why)),
        other => other?,
    };
    Ok(WatchAdded { id, offer_id: new.offer_id, keyword: new.keyword })
}

/// One watch as listed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WatchRow {
    /// Its id.
    pub id: i64,
    /// The offer watched.
    pub offer_id: Option<i64>,
    /// Or the keyword.
    pub keyword: Option<String>,
    /// Minutes between checks.
    pub every_minutes: i64,
    /// Its rules' names.
    pub rules: Vec<String>,
    /// The next check.
    pub next_due: Option<DateTime<Utc>>,
    /// The last check.
    pub last_run: Option<DateTime<Utc>>,
    /// Failures in a row.
    pub failures: i64,
    /// Active, snoozed or paused, as stored.
    pub state: WatchState,
    /// Why the last check failed, while the watch is failing.
    pub last_error: Option<String>,
}

/// The watches.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WatchList {
    /// In id order.
    pub watches: Vec<WatchRow>,
}

fn time(ms: i64) -> Option<DateTime<Utc>> {
    DateTime::<Utc>::from_timestamp_millis(ms)
}

/// Every watch with its state at `now`.
pub async fn list_watches(store: &dyn Store, now: DateTime<Utc>) -> Result<WatchList> {
    let now_ms = now.timestamp_millis();
    let watches = store
        .watches()
        .await?
        .into_iter()
        .map(|w| WatchRow {
            id: w.id,
            offer_id: w.offer_id,
            keyword: w.keyword.clone(),
            every_minutes: w.interval_secs / 60,
            rules: w.rules.iter().map(AlertRule::name).collect(),
            next_due: time(w.next_due_ms),
            last_run: w.last_run_ms.and_then(time),
            failures: w.failures,
            state: w.state(now_ms),
            last_error: w.last_error.clone(),
        })
        .collect();
    Ok(WatchList { watches })
}

impl WatchList {
    /// The watches table.
    pub fn sheets(&self) -> Vec<Sheet> {
        let mut s = Sheet::new(
            "watches",
            &[
                "id",
                "offer_id",
                "keyword",
                "every_minutes",
                "rules",
                "next_due",
                "last_run",
                "failures",
                "state",
                "last_error",
            ],
        );
        for w in &self.watches {
            s.push(vec![
                Cell::Int(w.id),
                Cell::opt_int(w.offer_id),
                Cell::opt_text(w.keyword.clone()),
                Cell::Int(w.every_minutes),
                Cell::Text(w.rules.join(",")),
                Cell::opt_text(w.next_due.map(|t| t.to_rfc3339())),
                Cell::opt_text(w.last_run.map(|t| t.to_rfc3339())),
                Cell::Int(w.failures),
                Cell::Text(w.state.to_string()),
                Cell::opt_text(w.last_error.clone()),
            ]);
        }
        vec![s]
    }
}

/// Removes watch `id`; an unknown id is the request's fault.
/// Replaces what watch `id` watches and how; it keeps its history and alerts and is due now.
pub async fn replace_watch(
    store: &dyn Store,
    id: i64,
    request: &WatchRequest,
    now: DateTime<Utc>,
) -> Result<WatchAdded> {
    let new = request.to_new_watch()?;
    let replaced = match store.replace_watch(id, &new, now.timestamp_millis()).await {
        Err(StoreError::InvalidWatch(why)) => return Err(JobError::invalid("watch", why)),
        other => other?,
    };
    if !replaced {
        return Err(JobError::NotFound(format!("no watch with id {id}")));
    }
    Ok(WatchAdded { id, offer_id: new.offer_id, keyword: new.keyword })
}

/// Removes watch `id`; its history stays.
pub async fn remove_watch(store: &dyn Store, id: i64) -> Result<()> {
    if store.remove_watch(id).await? { Ok(()) } else { Err(JobError::NotFound(format!("no watch with id {id}"))) }
}

/// No alerts from watch `id` for `hours` hours from `now`.
pub async fn snooze_watch(store: &dyn Store, id: i64, hours: i64, now: DateTime<Utc>) -> Result<()> {
    if !(1..=24 * 366).contains(&hours) {
        return Err(JobError::refused("hours", FieldRefusal::between(1, 8784, hours)));
    }
    let until = now.timestamp_millis().saturating_add(hours.saturating_mul(3_600_000));
    if store.snooze(id, until).await? { Ok(()) } else { Err(JobError::NotFound(format!("no watch with id {id}"))) }
}

/// The monitor's latest runs.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RunList {
    /// Newest first.
    pub runs: Vec<JobRun>,
}

/// The latest `limit` runs of the monitor.
pub async fn job_runs(store: &dyn Store, limit: i64) -> Result<RunList> {
    Ok(RunList { runs: store.runs(limit.clamp(1, 10_000)).await? })
}

impl RunList {
    /// The runs table.
    pub fn sheets(&self) -> Vec<Sheet> {
        let mut s =
            Sheet::new("runs", &["id", "worker", "status", "started", "finished", "checks", "succeeded", "alerts"]);
        for run in &self.runs {
            s.push(vec![
                Cell::Int(run.id),
                Cell::Text(run.worker.clone()),
                Cell::Text(run.status.to_string()),
                Cell::opt_text(time(run.started_ms).map(|t| t.to_rfc3339())),
                Cell::opt_text(run.finished_ms.and_then(time).map(|t| t.to_rfc3339())),
                Cell::Int(run.progress.checks),
                Cell::Int(run.progress.succeeded),
                Cell::Int(run.progress.alerts),
            ]);
        }
        vec![s]
    }
}
