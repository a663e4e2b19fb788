//! `catalog crawl`, `refresh`, `search`, `reindex` and `age`. A PostgreSQL store searches its
//! catalog itself; any other searches through the index in `catalog-index` in the data
//! directory. Search, reindex and age never start a gateway.

use open1688_jobs::catalog_crawl::age_sheet;
use open1688_jobs::{CatalogEngine, Cell, Sheet};
use open1688_store::{CatalogStore, Store};

use crate::args::CatalogAction;
use crate::context::Ctx;
use crate::exit::CliError;

/// The store's search engine: PostgreSQL's own, else the embedded index in the data directory.
pub(crate) fn engine(store: &dyn Store) -> Result<CatalogEngine, CliError> {
    let dir = crate::context::data_dir().join("catalog-index");
    Ok(CatalogEngine::for_store(store, &dir).map_err(|e| anyhow::anyhow!("{e} ({})", dir.display()))?)
}

/// Runs a `catalog` action.
pub async fn catalog(ctx: &Ctx, action: &CatalogAction) -> Result<Vec<Sheet>, CliError> {
    let store = ctx.store().await?;
    match action {
        CatalogAction::Search(args) => {
            let report = engine(store.as_ref())?.search(store.as_ref(), &args.query()).await?;
            if report.reindexed > 0 {
                ctx.note(&format!(
                    "the {} search index was brought in step with the store ({} offers)",
                    report.engine, report.reindexed
                ));
            }
            ctx.note(&format!("{} offers match", report.results.total));
            Ok(report.sheets())
        }
        CatalogAction::Refresh(args) => {
            let engine = engine(store.as_ref())?;
            let now = chrono::Utc::now().timestamp_millis();
            let jobs = ctx.jobs().await?;
            let report =
                jobs.refresh_catalog(store.as_ref(), engine.index(), &args.request(), now, &ctx.progress()).await?;
            Ok(report.sheets())
        }
        CatalogAction::Reindex => {
            let indexed = engine(store.as_ref())?.rebuild(store.as_ref()).await?;
            let mut s = Sheet::new("reindexed", &["offers"]);
            s.push(vec![Cell::Int(i64::try_from(indexed).unwrap_or(i64::MAX))]);
            Ok(vec![s])
        }
        CatalogAction::Crawl(args) => {
            // Sources on the command line, else the config's standing plan.
            let requests =
                if args.has_sources() { vec![args.request()] } else { ctx.settings.catalog_plan.requests()? };
            let progress = ctx.progress();
            let engine = engine(store.as_ref())?;
            let jobs = ctx.jobs().await?;
            let mut sheets: Vec<Sheet> = Vec::new();
            for request in &requests {
                let report = jobs.crawl(store.as_ref(), engine.index(), request, &progress).await?;
                let mut report_sheets = report.sheets().into_iter();
                // One sheet of sources over every crawl, and the data age after the last.
                match sheets.first_mut() {
                    Some(sources) => {
                        if let Some(more) = report_sheets.next() {
                            sources.rows.extend(more.rows);
                        }
                        sheets.truncate(1);
                        sheets.extend(report_sheets);
                    }
                    None => sheets.extend(report_sheets),
                }
            }
            if let Some(calls) = ctx.sandbox_calls() {
                ctx.note(&format!("{calls} gateway calls (counted by the sandbox)"));
            }
            Ok(sheets)
        }
        CatalogAction::Age => {
            let age = store.catalog_age(chrono::Utc::now().timestamp_millis()).await.map_err(anyhow::Error::from)?;
            Ok(vec![age_sheet(&age)])
        }
    }
}
