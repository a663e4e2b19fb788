//! Look-up commands: search, offer, image search, seller.

use open1688_jobs::{ImageSearchRequest, SameItemRequest, Sheet, picture_source};

use super::chart;
use crate::args::{ImageSearchArgs, OfferArgs, SameItemArgs, SearchArgs, SellerArgs};
use crate::context::Ctx;
use crate::exit::CliError;

/// `search`.
pub async fn search(ctx: &Ctx, args: &SearchArgs) -> Result<Vec<Sheet>, CliError> {
    Ok(ctx.jobs().await?.search(&args.request(), &ctx.progress()).await?.sheets())
}

/// `offer`: the ladder and SKUs of each offer.
pub async fn offer(ctx: &Ctx, args: &OfferArgs) -> Result<Vec<Sheet>, CliError> {
    let report = ctx.jobs().await?.offers(&args.ids, &ctx.progress()).await?;
    chart(ctx, |path, language| report.chart(path, language))?;
    Ok(report.sheets())
}

/// `image-search`.
pub async fn image_search(ctx: &Ctx, args: &ImageSearchArgs) -> Result<Vec<Sheet>, CliError> {
    let request = ImageSearchRequest { limit: args.limit, keyword: None };
    let report = ctx.jobs().await?.image_search(&picture_source(&args.source), &request, &ctx.progress()).await?;
    Ok(report.sheets())
}

/// `same-item`: the listings the picture search found, the same item first, with why.
pub async fn same_item(ctx: &Ctx, args: &SameItemArgs) -> Result<Vec<Sheet>, CliError> {
    let request = SameItemRequest { offer_id: args.offer_id, limit: Some(args.limit) };
    let report = ctx.jobs().await?.same_item(&request, &ctx.progress()).await?;
    ctx.note(&format!(
        "{} of {} listings found by picture are the same item as offer {}",
        report.same_ids().len(),
        report.listings.len(),
        report.reference
    ));
    Ok(report.sheets())
}

/// `seller`: profile, offers, scorecard with its explanation.
pub async fn seller(ctx: &Ctx, args: &SellerArgs) -> Result<Vec<Sheet>, CliError> {
    let card = open1688_jobs::load_scorecard(&args.scorecard)?;
    let report = ctx.jobs().await?.seller(&args.id, &card, &ctx.progress()).await?;
    if let Some(note) = &report.score.missing_note {
        ctx.note(note);
    }
    chart(ctx, |path, language| report.chart(path, language))?;
    Ok(report.sheets())
}
