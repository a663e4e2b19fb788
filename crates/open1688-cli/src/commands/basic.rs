//! Look-up commands: search, offer, image search, seller, auth, sandbox.

use futures::{StreamExt, TryStreamExt};
use open1688::{ImageSearch, ImageSource, MemberKey};
use open1688_types::api::search::SearchItem;
use sourcing::{Scorecard, summary_from_search_item};

use super::{fetch_candidates, fetch_items, fetch_named};
use crate::cli::{AuthAction, SearchArgs};
use crate::context::Ctx;
use crate::exit::usage;
use crate::report::{Cell, Sheet};

/// The search result table.
pub fn items_sheet(items: &[SearchItem]) -> Sheet {
    let mut s = Sheet::new(
        "offers",
        &["offer_id", "title", "title_en", "price", "moq", "monthly_sales", "repurchase_rate", "supplier", "url"],
    );
    for item in items {
        let Ok(sum) = summary_from_search_item(item) else { continue };
        s.push(vec![
            Cell::Int(sum.id),
            Cell::Text(sum.title),
            Cell::opt_text(sum.title_en),
            Cell::opt_money(sum.price),
            Cell::opt_int(sum.moq),
            Cell::opt_int(sum.monthly_sales),
            sum.repurchase_rate.map_or(Cell::Empty, Cell::Num),
            Cell::opt_text(sum.supplier.company),
            Cell::opt_text(sum.detail_url),
        ]);
    }
    s
}

/// An empty price-tier sheet.
pub fn tiers_sheet() -> Sheet {
    Sheet::new("price tiers", &["offer_id", "min_qty", "max_qty", "unit_price"])
}

/// An empty SKU sheet.
pub fn skus_sheet() -> Sheet {
    Sheet::new("skus", &["offer_id", "sku_id", "attributes", "price", "stock"])
}

/// Adds an offer's tiers and SKUs to their sheets.
pub fn push_tiers_and_skus(o: &sourcing::Offer, tiers: &mut Sheet, skus: &mut Sheet) {
    for t in o.ladder.iter().flat_map(|l| l.tiers()) {
        tiers.push(vec![Cell::Int(o.id), Cell::Int(t.min_qty), Cell::opt_int(t.max_qty), Cell::Money(t.unit_price)]);
    }
    for s in &o.skus {
        let attrs = s.attributes.iter().map(|(k, v)| format!("{k}:{v}")).collect::<Vec<_>>().join(" ");
        skus.push(vec![
            Cell::Int(o.id),
            Cell::Int(s.id),
            Cell::Text(attrs),
            Cell::opt_money(s.price),
            Cell::opt_int(s.stock),
        ]);
    }
}

/// `search`.
pub async fn search(ctx: &Ctx, args: &SearchArgs) -> anyhow::Result<Vec<Sheet>> {
    let items = fetch_items(ctx, args).await?;
    Ok(vec![items_sheet(&items)])
}

/// `offer`: ladder and SKUs of each offer.
pub async fn offer(ctx: &Ctx, ids: &[i64]) -> anyhow::Result<Vec<Sheet>> {
    let candidates = fetch_named(ctx, ids).await?;
    if candidates.is_empty() {
        return Err(anyhow::anyhow!("none of the offers could be read: {ids:?}"));
    }
    let mut offers = Sheet::new(
        "offers",
        &[
            "offer_id",
            "title",
            "title_en",
            "unit",
            "moq",
            "batch",
            "quote_type",
            "stock",
            "weight_kg",
            "ship_from",
            "supplier",
            "seller_open_id",
            "status",
        ],
    );
    let mut tiers = tiers_sheet();
    let mut skus = skus_sheet();
    for c in &candidates {
        let o = &c.offer;
        offers.push(vec![
            Cell::Int(o.id),
            Cell::Text(o.title.clone()),
            Cell::opt_text(o.title_en.clone()),
            Cell::opt_text(o.unit.name.clone()),
            Cell::opt_int(o.moq),
            Cell::opt_int(o.batch_number),
            Cell::opt_text(o.quote_type.map(|q| format!("{q:?}"))),
            Cell::opt_int(o.stock),
            o.shipping.weight_kg.map_or(Cell::Empty, Cell::Num),
            Cell::opt_text(o.shipping.ship_from.clone()),
            Cell::opt_text(c.supplier.company.clone()),
            Cell::opt_text(o.supplier.open_id.clone()),
            Cell::opt_text(o.status.clone()),
        ]);
        push_tiers_and_skus(o, &mut tiers, &mut skus);
    }
    if let (Some(path), Some(first)) = (&ctx.chart, candidates.first())
        && let Some(ladder) = &first.offer.ladder
    {
        let tiers: Vec<(i64, rust_decimal::Decimal)> =
            ladder.tiers().iter().map(|t| (t.min_qty, t.unit_price)).collect();
        crate::charts::ladder_steps(path, &format!("{} 阶梯价 price ladder", first.offer.title), &tiers, 0)?;
        ctx.note(&format!("chart: {}", path.display()));
    }
    Ok(vec![offers, tiers, skus])
}

/// `image-search`.
pub async fn image_search(ctx: &Ctx, source: &str, limit: usize) -> anyhow::Result<Vec<Sheet>> {
    let source = if source.starts_with("http://") || source.starts_with("https://") {
        ImageSource::Url(source.to_owned())
    } else {
        let path = std::path::PathBuf::from(source);
        if !path.is_file() {
            return Err(usage(format!("no picture at {source}")));
        }
        ImageSource::Path(path)
    };
    let options = ImageSearch {
        language: ctx.config.language.clone(),
        page_size: limit.clamp(1, 50) as u32,
        max_pages: 1,
        ..ImageSearch::default()
    };
    let items: Vec<SearchItem> = ctx
        .client
        .image_search(&source, &options)
        .await
        .map_err(|e| match e {
            open1688::Error::Image { .. } => usage(e.to_string()),
            other => other.into(),
        })?
        .take(limit)
        .try_collect()
        .await?;
    Ok(vec![items_sheet(&items)])
}

/// `seller`: profile, offers, scorecard with its explanation.
pub async fn seller(ctx: &Ctx, id: &str, scorecard: &str) -> anyhow::Result<Vec<Sheet>> {
    let card = load_scorecard(scorecard)?;
    // An open id lists offers directly; a login id or domain is looked up first.
    let items: Vec<SearchItem> =
        ctx.client.seller_offers(id, &ctx.config.language).take(50).try_collect().await.unwrap_or_default();
    let (open_id, items) = if items.is_empty() {
        let key = if id.contains('.') { MemberKey::Domain(id.into()) } else { MemberKey::LoginId(id.into()) };
        let member = ctx.client.member(key).await?;
        return Err(anyhow::anyhow!(
            "{} ({}) has no listing by that id; pass the seller open id (`sellerOpenId` in `open1688 offer` JSON)",
            member.company_name.unwrap_or_default(),
            member.login_id.unwrap_or_default()
        ));
    } else {
        (id.to_owned(), items)
    };
    let ids: Vec<i64> = items.iter().filter_map(|i| i.offer_id).take(1).collect();
    let candidates = fetch_candidates(ctx, &ids, &items).await?;
    let Some(first) = candidates.first() else { return Err(anyhow::anyhow!("seller {open_id}: no readable offer")) };
    let mut supplier = first.supplier.clone();
    supplier.offer_count = Some(items.len() as i64);
    let report = card.score(&supplier);
    let mut profile =
        Sheet::new("supplier", &["open_id", "company", "location", "years", "identities", "score", "band", "action"]);
    profile.push(vec![
        Cell::Text(open_id),
        Cell::opt_text(supplier.company.clone()),
        Cell::opt_text(supplier.location.clone()),
        Cell::opt_int(supplier.years_on_platform),
        Cell::Text(supplier.identities.join(",")),
        Cell::Num(report.score.round_dp(1)),
        Cell::Text(report.band.clone()),
        Cell::Text(format!("{:?}", report.action).to_lowercase()),
    ]);
    let mut explain = Sheet::new("scorecard", &["criterion", "signal", "sub_score", "weight", "contribution"]);
    for c in &report.criteria {
        explain.push(vec![
            Cell::Text(c.name.clone()),
            c.signal.map_or(Cell::Empty, Cell::Num),
            c.sub_score.map_or(Cell::Empty, |s| Cell::Num(s.round_dp(1))),
            Cell::Num(c.effective_weight.round_dp(2)),
            Cell::Num(c.contribution.round_dp(2)),
        ]);
    }
    if let Some(note) = &report.missing_note {
        ctx.note(note);
    }
    if let Some(path) = &ctx.chart {
        let axes: Vec<(String, rust_decimal::Decimal)> =
            report.criteria.iter().map(|c| (c.name.clone(), c.sub_score.unwrap_or_default())).collect();
        let title =
            format!("{} 评分 scorecard {}", supplier.company.clone().unwrap_or_default(), report.score.round_dp(1));
        crate::charts::scorecard_radar(path, &title, &axes)?;
        ctx.note(&format!("chart: {}", path.display()));
    }
    Ok(vec![profile, explain, items_sheet(&items)])
}

/// A preset name or a TOML file.
pub fn load_scorecard(name: &str) -> anyhow::Result<Scorecard> {
    if let Some(card) = Scorecard::preset(name) {
        return Ok(card);
    }
    let text = std::fs::read_to_string(name).map_err(|e| {
        usage(format!(
            "scorecard {name:?} is neither a preset (default, legacy_credit, legacy_factory) nor a readable file: {e}"
        ))
    })?;
    Scorecard::from_toml(&text).map_err(|e| usage(e.to_string()))
}

/// `auth …`.
pub async fn auth(ctx: &Ctx, action: &AuthAction) -> anyhow::Result<Vec<Sheet>> {
    let mut s = Sheet::new("token", &["member", "access_expires_at", "refresh_expires_at"]);
    let token = match action {
        AuthAction::Login { no_browser, port } => Some(crate::login::login(ctx, *no_browser, *port).await?),
        AuthAction::Status => ctx.client.token().await?,
        AuthAction::Refresh => Some(ctx.client.refresh_token().await?),
        AuthAction::Logout => {
            ctx.client.logout().await?;
            ctx.note("the stored token is forgotten");
            None
        }
    };
    if let Some(t) = token {
        s.push(vec![
            Cell::opt_text(t.resource_owner.or(t.member_id)),
            Cell::opt_text(t.access_expires_at.map(|d| d.to_rfc3339())),
            Cell::opt_text(t.refresh_expires_at.map(|d| d.to_rfc3339())),
        ]);
    }
    Ok(vec![s])
}
