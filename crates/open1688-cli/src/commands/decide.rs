//! Decision commands: analyze, quote, compare, plan, recommend.

use std::path::Path;

use rust_decimal::Decimal;
use serde::Deserialize;
use sourcing::{
    Filters, PlanLine, PlanOptions, PricePoint, Ranking, RiskThresholds, compare, market_report, optimal_quantity,
    plan, recommend, split_options,
};

use super::basic::load_scorecard;
use super::{default_freight, fetch_candidates, fetch_items, fetch_named, need, supplier_name};
use crate::cli::{NeedArgs, SearchArgs};
use crate::context::Ctx;
use crate::exit::usage;
use crate::report::{Cell, Sheet};

/// `analyze`: market statistics at a quantity.
pub async fn analyze(ctx: &Ctx, args: &SearchArgs, quantity: i64) -> anyhow::Result<Vec<Sheet>> {
    if quantity <= 0 {
        return Err(usage(format!("--quantity must be at least 1, got {quantity}")));
    }
    let items = fetch_items(ctx, args).await?;
    let points: Vec<PricePoint> = items
        .iter()
        .filter_map(|i| sourcing::summary_from_search_item(i).ok())
        .filter_map(|s| PricePoint::from_summary(&s))
        .collect();
    if points.is_empty() {
        return Err(anyhow::anyhow!("no priced offers for {:?}", args.keyword));
    }
    let r = market_report(&points, 10, 10)?;
    if let Some(path) = &ctx.chart {
        let prices: Vec<Decimal> = points.iter().map(|p| p.price).collect();
        crate::charts::price_histogram(
            path,
            &format!("{} 价格分布 price distribution", args.keyword),
            &prices,
            r.price.mean,
            r.price.median,
            12,
        )?;
        ctx.note(&format!("chart: {}", path.display()));
    }
    let mut stats = Sheet::new("price statistics", &["statistic", "value"]);
    let p = &r.price;
    for (name, v) in [
        ("min", p.min),
        ("p10", p.p10),
        ("p25", p.p25),
        ("median", p.median),
        ("mean", p.mean),
        ("p75", p.p75),
        ("p90", p.p90),
        ("max", p.max),
    ] {
        stats.push(vec![Cell::Text(name.into()), Cell::Money(v)]);
    }
    stats.push(vec![Cell::Text("count".into()), Cell::Int(p.count as i64)]);
    if let Some(m) = &r.moq {
        stats.push(vec![Cell::Text("moq median".into()), Cell::Num(m.median)]);
    }
    let mut hist = Sheet::new("histogram", &["from", "to", "count"]);
    for b in &r.histogram {
        hist.push(vec![Cell::Money(b.from), Cell::Money(b.to), Cell::Int(b.count as i64)]);
    }
    let mut top = Sheet::new("top suppliers", &["supplier", "listings"]);
    for (s, n) in &r.top_by_listings {
        top.push(vec![Cell::Text(s.clone()), Cell::Int(*n as i64)]);
    }
    let mut sales = Sheet::new("top by sales", &["supplier", "monthly_sales"]);
    for (s, n) in &r.top_by_sales {
        sales.push(vec![Cell::Text(s.clone()), Cell::Int(*n)]);
    }
    Ok(vec![stats, hist, top, sales])
}

/// `quote`: options table, split batches, risk.
pub async fn quote(
    ctx: &Ctx,
    offer_id: i64,
    need_args: &NeedArgs,
    sku: Option<i64>,
    batches: i64,
) -> anyhow::Result<Vec<Sheet>> {
    let _ = need(need_args, None)?;
    let candidates = fetch_named(ctx, &[offer_id]).await?;
    let Some(c) = candidates.first() else { return Err(anyhow::anyhow!("offer {offer_id} could not be read")) };
    let n = need(need_args, Some(&c.offer))?;
    let freight = default_freight();
    let advice = optimal_quantity(&c.offer, sku, &n, &freight)?;
    let mut options = Sheet::new(
        "options",
        &["quantity", "unit_price", "goods", "freight", "holding", "total", "extra_units", "saving", "recommended"],
    );
    for (i, o) in advice.options.iter().enumerate() {
        options.push(vec![
            Cell::Int(o.quantity),
            Cell::Money(o.unit_price),
            Cell::Money(o.goods),
            Cell::Money(o.freight),
            Cell::Money(o.holding),
            Cell::Money(o.total),
            Cell::Int(o.extra_units),
            Cell::Money(o.saving),
            Cell::Text(if i == advice.recommended { "yes".into() } else { String::new() }),
        ]);
    }
    ctx.note(&advice.reason);
    if let (Some(path), Some(ladder)) = (&ctx.chart, &c.offer.ladder) {
        let tiers: Vec<(i64, Decimal)> = ladder.tiers().iter().map(|t| (t.min_qty, t.unit_price)).collect();
        crate::charts::ladder_steps(
            path,
            &format!("{} 阶梯价 price ladder", c.offer.title),
            &tiers,
            advice.best().quantity * 2,
        )?;
        ctx.note(&format!("chart: {}", path.display()));
    }
    let mut sheets = vec![options];
    if let Some(daily) = n.daily_sales {
        let splits =
            split_options(&c.offer, sku, advice.best().quantity, daily, batches, &freight, &RiskThresholds::default())?;
        let mut s = Sheet::new(
            "batches",
            &["batches", "per_batch", "unit_price", "total", "extra_cost", "turnover_days", "risk"],
        );
        for o in splits {
            s.push(vec![
                Cell::Int(o.batches),
                Cell::Int(o.per_batch),
                Cell::Money(o.unit_price),
                Cell::Money(o.total),
                Cell::Money(o.extra_cost),
                Cell::Num(o.turnover_days),
                Cell::Text(format!("{:?}", o.risk).to_lowercase()),
            ]);
        }
        sheets.push(s);
    } else {
        ctx.note("no sales figure: give --daily-sales for the split-batch comparison");
    }
    Ok(sheets)
}

/// The comparison table: cost and score ranks, the Pareto front, the scorecard's action.
pub fn comparison_sheet(cmp: &sourcing::Comparison) -> Sheet {
    let mut s = Sheet::new(
        "comparison",
        &[
            "offer_id",
            "supplier",
            "quantity",
            "total",
            "per_unit",
            "score",
            "cost_rank",
            "score_rank",
            "pareto",
            "action",
        ],
    );
    for r in &cmp.rows {
        s.push(vec![
            Cell::Int(r.offer_id),
            Cell::Text(r.supplier.clone()),
            Cell::Int(r.quantity),
            Cell::Money(r.total),
            Cell::Money(r.per_unit),
            Cell::Num(r.score.round_dp(1)),
            Cell::Int(r.cost_rank as i64),
            Cell::Int(r.score_rank as i64),
            Cell::Text(if r.pareto { "yes".into() } else { String::new() }),
            Cell::Text(format!("{:?}", r.action).to_lowercase()),
        ]);
    }
    s
}

/// `compare`: same-item candidates for an offer id, or the results of a keyword.
pub async fn compare_cmd(ctx: &Ctx, target: &str, need_args: &NeedArgs, max: usize) -> anyhow::Result<Vec<Sheet>> {
    let n = need(need_args, None)?;
    let card = load_scorecard("default")?;
    let (candidates, reference) = match target.parse::<i64>() {
        Ok(id) => {
            let reference = fetch_named(ctx, &[id])
                .await?
                .into_iter()
                .next()
                .ok_or_else(|| anyhow::anyhow!("offer {id} could not be read"))?;
            let args = SearchArgs::keyword(reference.offer.title.as_str(), max);
            let items = fetch_items(ctx, &args).await?;
            let ids: Vec<i64> = items.iter().filter_map(|i| i.offer_id).filter(|&x| x != id).collect();
            let mut all = fetch_candidates(ctx, &ids, &items).await?;
            all.push(reference.clone());
            (all, Some(reference))
        }
        Err(_) => {
            let args = SearchArgs::keyword(target, max);
            let items = fetch_items(ctx, &args).await?;
            let ids: Vec<i64> = items.iter().filter_map(|i| i.offer_id).collect();
            (fetch_candidates(ctx, &ids, &items).await?, None)
        }
    };
    let group: Vec<&sourcing::Candidate> = match &reference {
        Some(r) => sourcing::compare::same_item_as(&r.offer, &candidates, 0.35),
        None => candidates.iter().collect(),
    };
    let cmp = compare(&group, &n, &default_freight(), &card, Decimal::from(10))?;
    let s = comparison_sheet(&cmp);
    if let Some((id, reason)) = &cmp.best_value {
        ctx.note(&format!("best value: {id} — {reason}"));
    }
    if let Some(path) = &ctx.chart {
        let bars: Vec<(String, Decimal)> = cmp.rows.iter().map(|r| (r.supplier.clone(), r.per_unit)).collect();
        crate::charts::supplier_bars(path, &format!("{target}: 供应商到岸单价 landed cost by supplier"), &bars)?;
        ctx.note(&format!("chart: {}", path.display()));
    }
    Ok(vec![s])
}

#[derive(Deserialize)]
struct PlanFile {
    lines: Vec<PlanLine>,
}

/// Reads plan lines from CSV (`offer_id,sku_id,quantity`, header optional) or TOML (`[[lines]]`).
pub fn read_plan(path: &Path) -> anyhow::Result<Vec<PlanLine>> {
    let text =
        std::fs::read_to_string(path).map_err(|e| usage(format!("cannot read plan file {}: {e}", path.display())))?;
    if path.extension().is_some_and(|e| e == "toml") {
        let file: PlanFile = toml::from_str(&text).map_err(|e| usage(format!("plan file {}: {e}", path.display())))?;
        return Ok(file.lines);
    }
    let mut lines = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let raw = raw.trim();
        if raw.is_empty() || raw.starts_with('#') || (line_no == 1 && raw.starts_with("offer")) {
            continue;
        }
        let fields: Vec<&str> = raw.split(',').map(str::trim).collect();
        let bad = |what: &str| {
            usage(format!(
                "plan file {} line {line_no}: {what} (expected offer_id,sku_id,quantity): {raw:?}",
                path.display()
            ))
        };
        if fields.len() != 3 {
            return Err(bad("three fields"));
        }
        let offer_id = fields[0].parse().map_err(|_| bad("offer_id is not a whole number"))?;
        let sku_id = if fields[1].is_empty() {
            None
        } else {
            Some(fields[1].parse().map_err(|_| bad("sku_id is not a whole number"))?)
        };
        let quantity: i64 = fields[2].parse().map_err(|_| bad("quantity is not a whole number"))?;
        if quantity <= 0 {
            return Err(bad("quantity must be at least 1"));
        }
        lines.push(PlanLine { offer_id, sku_id, quantity });
    }
    if lines.is_empty() {
        return Err(usage(format!("plan file {} has no lines", path.display())));
    }
    Ok(lines)
}

/// Plan sheets.
pub fn plan_sheets(p: &sourcing::PurchasePlan) -> Vec<Sheet> {
    let mut lines =
        Sheet::new("plan lines", &["supplier", "line", "offer_id", "sku_id", "quantity", "unit_price", "amount"]);
    let mut by_supplier =
        Sheet::new("plan by supplier", &["supplier", "company", "mixed", "goods", "freight", "total", "violations"]);
    for o in &p.orders {
        for l in &o.lines {
            lines.push(vec![
                Cell::Text(o.supplier.clone()),
                Cell::Int(l.line as i64),
                Cell::Int(l.offer_id),
                Cell::opt_int(l.sku_id),
                Cell::Int(l.quantity),
                Cell::Money(l.unit_price),
                Cell::Money(l.amount),
            ]);
        }
        let violations = o.violations.iter().map(describe).collect::<Vec<_>>().join("; ");
        by_supplier.push(vec![
            Cell::Text(o.supplier.clone()),
            Cell::opt_text(o.company.clone()),
            Cell::Text(if o.mixed { "yes".into() } else { String::new() }),
            Cell::Money(o.goods),
            Cell::Money(o.freight),
            Cell::Money(o.total),
            Cell::Text(violations),
        ]);
    }
    by_supplier.push(vec![
        Cell::Text("TOTAL".into()),
        Cell::Empty,
        Cell::Empty,
        Cell::Money(p.goods),
        Cell::Money(p.freight),
        Cell::Money(p.total),
        Cell::Empty,
    ]);
    vec![by_supplier, lines]
}

fn describe(v: &sourcing::Violation) -> String {
    use sourcing::Violation::*;
    match v {
        BelowMoq { offer_id, quantity, moq, add_units } => {
            format!("offer {offer_id}: {quantity} below MOQ {moq}, add {add_units}")
        }
        NotBatchMultiple { offer_id, quantity, batch, add_units } => {
            format!("offer {offer_id}: {quantity} not a multiple of {batch}, add {add_units}")
        }
        MixMinimum { top_up_offer, top_up_units, top_up_cost, .. } => {
            format!(
                "mixed batch below the seller's minimum: add {top_up_units} of offer {top_up_offer} (¥{})",
                top_up_cost.round_dp(2)
            )
        }
    }
}

/// Names the plan line of the offer an error is about.
fn plan_error(file: &Path, lines: &[PlanLine], e: anyhow::Error) -> anyhow::Error {
    let text = format!("{e:#}");
    let line = lines.iter().position(|l| text.contains(&format!("offer {}", l.offer_id))).map_or(0, |i| i + 1);
    anyhow::anyhow!("plan file {} line {line}: {text}", file.display())
}

/// `plan`.
pub async fn plan_cmd(ctx: &Ctx, file: &Path, optimize: bool) -> anyhow::Result<Vec<Sheet>> {
    let lines = read_plan(file)?;
    let mut ids: Vec<i64> = lines.iter().map(|l| l.offer_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let candidates = fetch_named(ctx, &ids).await.map_err(|e| plan_error(file, &lines, e))?;
    let offers: Vec<sourcing::Offer> = candidates.into_iter().map(|c| c.offer).collect();
    if let Some(missing) = ids.iter().find(|id| !offers.iter().any(|o| o.id == **id)) {
        let line = lines.iter().position(|l| l.offer_id == *missing).map_or(0, |i| i + 1);
        return Err(anyhow::anyhow!("plan file {} line {line}: offer {missing} could not be read", file.display()));
    }
    let p = plan(&lines, &offers, &PlanOptions { freight: default_freight(), optimize, ..PlanOptions::default() })?;
    for r in &p.raises {
        ctx.note(&format!("line {}: {} → {} saves ¥{}", r.line, r.from, r.to, r.saving.round_dp(2)));
    }
    Ok(plan_sheets(&p))
}

/// `recommend`.
#[allow(clippy::too_many_arguments)]
pub async fn recommend_cmd(
    ctx: &Ctx,
    args: &SearchArgs,
    quantity: i64,
    max_unit_price: Option<Decimal>,
    max_moq: Option<i64>,
    identities: &[String],
    min_score: Option<Decimal>,
    ships_within: Option<u32>,
) -> anyhow::Result<Vec<Sheet>> {
    if quantity <= 0 {
        return Err(usage(format!("--quantity must be at least 1, got {quantity}")));
    }
    let items = fetch_items(ctx, args).await?;
    let ids: Vec<i64> = items.iter().filter_map(|i| i.offer_id).collect();
    let candidates = fetch_candidates(ctx, &ids, &items).await?;
    let filters = Filters {
        max_price_at: max_unit_price.map(|p| (quantity, p)),
        max_moq,
        required_identities: identities.to_vec(),
        min_score,
        ships_within_hours: ships_within,
    };
    let recs = recommend(&candidates, quantity, &filters, &Ranking::default(), &load_scorecard("default")?)?;
    let mut s =
        Sheet::new("recommendations", &["rank", "offer_id", "title", "supplier", "unit_price", "score", "value"]);
    for (i, r) in recs.iter().enumerate() {
        let c = candidates.iter().find(|c| c.offer.id == r.offer_id).expect("recommendations come from the candidates");
        s.push(vec![
            Cell::Int(i as i64 + 1),
            Cell::Int(r.offer_id),
            Cell::Text(c.offer.title.clone()),
            Cell::Text(supplier_name(&c.supplier, &c.offer)),
            Cell::Money(r.unit_price),
            Cell::Num(r.score.round_dp(1)),
            Cell::Num(r.value.round_dp(1)),
        ]);
    }
    Ok(vec![s])
}
