//! `catalog crawl`, `refresh`, `search`, `reindex` and `age`. The search index lives in `catalog-index` in
//! the data directory; search, reindex and age never start a gateway.

use open1688_jobs::catalog_crawl::age_sheet;
use open1688_jobs::{Cell, Sheet};
use open1688_store::{CatalogIndex, CatalogStore};

use crate::args::CatalogAction;
use crate::context::Ctx;
use crate::exit::CliError;

/// The embedded search index in the data directory.
fn open_index() -> Result<CatalogIndex, CliError> {
    let dir = crate::context::data_dir().join("catalog-index");
    Ok(CatalogIndex::open(&dir).map_err(|e| anyhow::anyhow!("{e} ({})", dir.display()))?)
}

/// Runs a `catalog` action.
pub async fn catalog(ctx: &Ctx, action: &CatalogAction) -> Result<Vec<Sheet>, CliError> {
    let store = ctx.store().await?;
    match action {
        CatalogAction::Search(args) => {
            let index = open_index()?;
            let report = open1688_jobs::search_catalog(store.as_ref(), &index, &args.query()).await?;
            if report.reindexed > 0 {
                ctx.note(&format!("the search index was rebuilt from the store ({} offers)", report.reindexed));
            }
            ctx.note(&format!("{} offers match", report.results.total));
            Ok(report.sheets())
        }
        CatalogAction::Refresh(args) => {
            let index = open_index()?;
            let now = chrono::Utc::now().timestamp_millis();
            let jobs = ctx.jobs().await?;
            let report =
                jobs.refresh_catalog(store.as_ref(), Some(&index), &args.request(), now, &ctx.progress()).await?;
            Ok(report.sheets())
        }
        CatalogAction::Reindex => {
            let indexed = open1688_jobs::rebuild_index(store.as_ref(), &open_index()?).await?;
            let mut s = Sheet::new("reindexed", &["offers"]);
            s.push(vec![Cell::Int(i64::try_from(indexed).unwrap_or(i64::MAX))]);
            Ok(vec![s])
        }
        CatalogAction::Crawl(args) => {
            let request = args.request();
            let progress = ctx.progress();
            let index = open_index()?;
            let report = ctx.jobs().await?.crawl(store.as_ref(), Some(&index), &request, &progress).await?;
            if let Some(calls) = ctx.sandbox_calls() {
                ctx.note(&format!("{calls} gateway calls (counted by the sandbox)"));
            }
            Ok(report.sheets())
        }
        CatalogAction::Age => {
            let age = store.catalog_age(chrono::Utc::now().timestamp_millis()).await.map_err(anyhow::Error::from)?;
            Ok(vec![age_sheet(&age)])
        }
    }
}
