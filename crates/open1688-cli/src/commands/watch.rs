//! `watch` and `history`: jobs over the store alone; neither starts a gateway.

use chrono::Utc;
use open1688_jobs::watches::{self, WatchRequest};
use open1688_jobs::{JobError, Sheet};

use super::chart;
use crate::args::{HistoryArgs, WatchAction, WatchAddArgs};
use crate::context::Ctx;
use crate::exit::{CliError, usage};

impl WatchAddArgs {
    /// The application layer's request; a rules file is read and parsed here.
    fn request(&self) -> Result<WatchRequest, CliError> {
        let rules = match &self.rules {
            Some(path) => {
                let text =
                    std::fs::read_to_string(path).map_err(|e| usage(format!("cannot read {}: {e}", path.display())))?;
                watches::parse_rules(&text, &path.display().to_string())?
            }
            None => Vec::new(),
        };
        Ok(WatchRequest {
            offer: self.offer,
            keyword: self.keyword.clone(),
            new_offers: self.new_offers,
            every_minutes: self.every,
            below: self.below,
            above: self.above,
            at: self.at,
            change: self.change,
            stock_below: self.stock_below,
            rules,
            max_per_day: self.max_per_day,
        })
    }
}

/// An unknown watch id is the user's mistake on the command line (exit code 2).
fn unknown_id_is_usage(e: JobError) -> CliError {
    match e {
        JobError::NotFound(message) => CliError::Usage(message),
        other => other.into(),
    }
}

/// `watch …`.
pub async fn watch(ctx: &Ctx, action: &WatchAction) -> Result<Vec<Sheet>, CliError> {
    let store = ctx.store().await?;
    let now = Utc::now();
    match action {
        WatchAction::Add(args) => {
            Ok(ctx.jobs().await?.add_watch(store.as_ref(), &args.request()?, now).await?.sheets())
        }
        WatchAction::List => Ok(watches::list_watches(store.as_ref(), now).await?.sheets()),
        WatchAction::Remove { id } => {
            watches::remove_watch(store.as_ref(), *id).await.map_err(unknown_id_is_usage)?;
            Ok(Vec::new())
        }
        WatchAction::Snooze { id, hours } => {
            watches::snooze_watch(store.as_ref(), *id, *hours, now).await.map_err(unknown_id_is_usage)?;
            Ok(Vec::new())
        }
        WatchAction::Runs { limit } => Ok(watches::job_runs(store.as_ref(), *limit).await?.sheets()),
    }
}

/// `history`: price per tier and stock over time, with min/max/last/change.
pub async fn history(ctx: &Ctx, args: &HistoryArgs) -> Result<Vec<Sheet>, CliError> {
    let store = ctx.store().await?;
    let report = open1688_jobs::history::history(store.as_ref(), args.offer, args.days, Utc::now()).await?;
    chart(ctx, |path, language| report.chart(path, language))?;
    Ok(report.sheets())
}
