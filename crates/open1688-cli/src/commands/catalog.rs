//! `catalog crawl` and `catalog age`.

use open1688_jobs::Sheet;
use open1688_jobs::catalog_crawl::age_sheet;
use open1688_store::CatalogStore;

use crate::args::CatalogAction;
use crate::context::Ctx;
use crate::exit::CliError;

/// Runs a `catalog` action; `age` reads the store alone.
pub async fn catalog(ctx: &Ctx, action: &CatalogAction) -> Result<Vec<Sheet>, CliError> {
    let store = ctx.store().await?;
    match action {
        CatalogAction::Crawl(args) => {
            let request = args.request();
            let progress = ctx.progress();
            let report = ctx.jobs().await?.crawl(store.as_ref(), &request, &progress).await?;
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
