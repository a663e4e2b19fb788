//! Decision commands: analyze, quote, compare, plan, recommend.

use open1688_jobs::{JobError, NeedRequest, PlanRequest, Sheet, SplitRequest, read_plan_file};

use super::chart;
use crate::args::{AnalyzeArgs, CompareArgs, PlanArgs, QuoteArgs, RecommendArgs};
use crate::context::Ctx;
use crate::exit::CliError;

/// `analyze`: market statistics at a quantity.
pub async fn analyze(ctx: &Ctx, args: &AnalyzeArgs) -> Result<Vec<Sheet>, CliError> {
    let report = ctx.jobs().await?.analyze(&args.search.request(), args.quantity, &ctx.progress()).await?;
    chart(ctx, |path, language| report.chart(path, language))?;
    Ok(report.sheets())
}

/// `quote`: the options table, split batches, risk.
pub async fn quote(ctx: &Ctx, args: &QuoteArgs) -> Result<Vec<Sheet>, CliError> {
    let request = args.request();
    // A bad need is refused before the gateway is started.
    request.need.resolve(None)?;
    let report = ctx.jobs().await?.quote(&request, &ctx.progress()).await?;
    ctx.note(&report.advice.reason);
    if let Some(trend) = &report.trend {
        ctx.note(&trend.summary());
    }
    chart(ctx, |path, language| report.chart(path, language))?;
    if report.batches.is_none() {
        ctx.note("no sales figure: give --daily-sales for the split-batch comparison");
    }
    Ok(report.sheets())
}

/// `compare`: same-item candidates for an offer id, or the results of a keyword.
pub async fn compare(ctx: &Ctx, args: &CompareArgs) -> Result<Vec<Sheet>, CliError> {
    let request = args.request();
    request.need.resolve(None)?;
    let report = ctx.jobs().await?.compare(&request, &ctx.progress()).await?;
    if let Some((id, reason)) = &report.comparison.best_value {
        ctx.note(&format!("best value: {id} — {reason}"));
    }
    chart(ctx, |path, language| report.chart(path, &args.target, language))?;
    Ok(report.sheets())
}

/// `plan`: a plan file's lines as orders by supplier.
pub async fn plan(ctx: &Ctx, args: &PlanArgs) -> Result<Vec<Sheet>, CliError> {
    let lines = read_plan_file(&args.file)?;
    if let (true, Some(need)) = (args.split, args.need) {
        let request = SplitRequest {
            offers: lines.iter().map(|l| l.offer_id).collect(),
            need: NeedRequest::units(need),
            max_suppliers: args.max_suppliers,
            strategy: None,
        };
        let report = ctx.jobs().await?.split(&request, &ctx.progress()).await?;
        if let Some(path) = &args.save {
            std::fs::write(path, report.plan_csv()).map_err(|e| JobError::output(path, e))?;
            ctx.note(&format!("to order it: open1688 order preview {}", path.display()));
        }
        return Ok(report.sheets());
    }
    let request = PlanRequest { lines, optimize: args.optimize };
    let report = ctx.jobs().await?.plan(&request, &ctx.progress()).await?;
    for r in &report.plan.raises {
        ctx.note(&format!("line {}: {} → {} saves ¥{}", r.line, r.from, r.to, r.saving.round_dp(2)));
    }
    Ok(report.sheets())
}

/// `recommend`.
pub async fn recommend(ctx: &Ctx, args: &RecommendArgs) -> Result<Vec<Sheet>, CliError> {
    let report = ctx.jobs().await?.recommend(&args.search.request(), &args.request(), &ctx.progress()).await?;
    Ok(report.sheets())
}
