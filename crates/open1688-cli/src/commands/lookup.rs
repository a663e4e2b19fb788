//! Look-up commands: search, offer, image search, seller.

use open1688_jobs::{ImageSearchRequest, Sheet, picture_source};

use super::chart;
use crate::args::{ImageSearchArgs, OfferArgs, SearchArgs, SellerArgs};
use crate::context::Ctx;
use crate::exit::CliError;

/// `search`.
pub async fn search(ctx: &Ctx, args: &SearchArgs) -> Result<Vec<Sheet>, CliError> {
    Ok(ctx.jobs().await?.search(&args.request(), &ctx.progress()).await?.sheets())
}

/// `offer`: the ladder and SKUs of each offer.
pub async fn offer(ctx: &Ctx, args: &OfferArgs) -> Result<Vec<Sheet>, CliError> {
    let report = ctx.jobs().await?.offers(&args.ids, &ctx.progress()).await?;
    chart(ctx, |path| report.chart(path))?;
    Ok(report.sheets())
}

/// `image-search`.
pub async fn image_search(ctx: &Ctx, args: &ImageSearchArgs) -> Result<Vec<Sheet>, CliError> {
    let request = ImageSearchRequest { limit: args.limit, keyword: None };
    let report = ctx.jobs().await?.image_search(&picture_source(&args.source), &request, &ctx.progress()).await?;
    Ok(report.sheets())
}

/// `seller`: profile, offers, scorecard with its explanation.
pub async fn seller(ctx: &Ctx, args: &SellerArgs) -> Result<Vec<Sheet>, CliError> {
    let report = ctx.jobs().await?.seller(&args.id, &args.scorecard, &ctx.progress()).await?;
    if let Some(note) = &report.score.missing_note {
        ctx.note(note);
    }
    chart(ctx, |path| report.chart(path))?;
    Ok(report.sheets())
}
