//! `source`: the main job, its workbook and charts, and the one-line answer.

use open1688_jobs::{ConfirmFreight, Sheet, ShipTo};

use crate::args::SourceArgs;
use crate::context::Ctx;
use crate::exit::CliError;
use crate::terminal_notes::Note;

/// Runs the job; returns the summary sheet (the workbook in `--out` holds the rest).
pub async fn source(ctx: &Ctx, args: &SourceArgs) -> Result<Vec<Sheet>, CliError> {
    let mut request = args.request();
    request.file_language = Some(ctx.file_language);
    request.need.resolve(None)?;
    if let Some(top) = args.confirm_freight {
        let given = args.address_id.map(|id| ShipTo { address_id: Some(id), ..ShipTo::default() });
        let ship_to = ctx.settings.order_policy.ship_to_or(given).ok_or_else(|| {
            CliError::Usage(format!(
                "--confirm-freight previews orders to an address: set [order] ship_to in {} (config init writes an example) or pass --address-id",
                ctx.settings.path.display()
            ))
        })?;
        request.confirm_freight = Some(ConfirmFreight { ship_to, top });
        // What it will cost, said before it is spent.
        ctx.note(&Note::FreightToConfirm(top).render(ctx.language));
    }
    let progress = ctx.progress();
    let report = ctx.jobs().await?.source(&request, &progress).await?;
    report.write_outputs(&args.out, &progress, request.file_language())?;
    if let Some(confirmation) = &report.freight_confirmation {
        ctx.note(&confirmation.summary());
    }
    ctx.note(&report.summary_line_in(ctx.language));
    if let Some(trend) = &report.trend {
        ctx.note(&trend.summary());
    }
    let plan = args.out.join("plan.csv");
    ctx.note(&Note::SourceFiles(&args.out).render(ctx.language));
    ctx.note(&Note::ToOrder(&plan).render(ctx.language));
    if report.decision.is_some() && report.split.is_some() {
        let split = args.out.join(open1688_jobs::source::SPLIT_PLAN_FILE);
        ctx.note(&Note::ToOrderSplit(&split).render(ctx.language));
    }
    if let Some(calls) = ctx.sandbox_calls() {
        ctx.note(&Note::GatewayCalls(calls).render(ctx.language));
    }
    Ok([Some(report.summary_sheet()), report.split_sheet()].into_iter().flatten().collect())
}
