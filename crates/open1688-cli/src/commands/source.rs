//! `source`: the main job. Search → details → scorecards → comparison → optimal plan; a workbook
//! in the output folder and a short summary of what to buy, from whom, at what landed cost, and
//! why.

use std::path::Path;

use anyhow::Context;
use rust_decimal::Decimal;
use sourcing::{PlanLine, PlanOptions, compare, optimal_quantity, plan};

use super::basic::{load_scorecard, push_tiers_and_skus, skus_sheet, tiers_sheet};
use super::decide::{comparison_sheet, plan_sheets};
use super::{default_freight, fetch_candidates, fetch_items, need, supplier_name};
use crate::cli::{NeedArgs, SearchArgs};
use crate::context::Ctx;
use crate::report::{Cell, Sheet, write_xlsx};

/// Runs the job; returns the summary sheet (the workbook holds the rest).
pub async fn source(
    ctx: &Ctx,
    keyword: &str,
    need_args: &NeedArgs,
    out: &Path,
    max: usize,
) -> anyhow::Result<Vec<Sheet>> {
    let n = need(need_args, None)?;
    let args = SearchArgs::keyword(keyword, max.clamp(1, 50));
    ctx.note(&format!("1/4 searching {keyword:?}"));
    let items = fetch_items(ctx, &args).await?;
    if items.is_empty() {
        return Err(anyhow::anyhow!("no offers found for {keyword:?}"));
    }
    ctx.note(&format!("2/4 reading {} offers", items.len()));
    let ids: Vec<i64> = items.iter().filter_map(|i| i.offer_id).collect();
    let candidates = fetch_candidates(ctx, &ids, &items).await?;
    ctx.note("3/4 scoring suppliers and comparing landed costs");
    let card = load_scorecard("default")?;
    let freight = default_freight();
    let refs: Vec<&sourcing::Candidate> = candidates.iter().collect();
    let cmp = compare(&refs, &n, &freight, &card, Decimal::from(10))?;
    let (best_id, reason) =
        cmp.best_value.clone().ok_or_else(|| anyhow::anyhow!("no candidate from an acceptable supplier"))?;
    let best = candidates.iter().find(|c| c.offer.id == best_id).expect("the pick is a candidate");
    let mut need_for_best = n.clone();
    need_for_best.daily_sales = need_for_best.daily_sales.or_else(|| sourcing::batches::daily_sales(&best.offer));
    let advice = optimal_quantity(&best.offer, None, &need_for_best, &freight)?;
    let p = plan(
        &[PlanLine { offer_id: best_id, sku_id: None, quantity: advice.best().quantity }],
        std::slice::from_ref(&best.offer),
        &PlanOptions { freight: freight.clone(), optimize: true, ..PlanOptions::default() },
    )?;

    ctx.note("4/4 writing the workbook");
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let mut offers = Sheet::new(
        "offers",
        &["offer_id", "title", "title_en", "moq", "unit_price_at_need", "monthly_sales", "supplier", "url"],
    );
    let mut tiers = tiers_sheet();
    let mut skus = skus_sheet();
    let mut suppliers =
        Sheet::new("suppliers", &["supplier", "years", "identities", "score", "band", "action", "explanation"]);
    for c in &candidates {
        let o = &c.offer;
        offers.push(vec![
            Cell::Int(o.id),
            Cell::Text(o.title.clone()),
            Cell::opt_text(o.title_en.clone()),
            Cell::opt_int(o.moq),
            Cell::opt_money(sourcing::cost::unit_price(o, None, n.quantity).ok()),
            Cell::opt_int(o.monthly_sales),
            Cell::Text(supplier_name(&c.supplier, o)),
            Cell::opt_text(o.detail_url.clone()),
        ]);
        push_tiers_and_skus(o, &mut tiers, &mut skus);
        let r = card.score(&c.supplier);
        let explanation = r
            .criteria
            .iter()
            .map(|x| format!("{} {}", x.name, x.contribution.round_dp(1)))
            .collect::<Vec<_>>()
            .join("; ");
        suppliers.push(vec![
            Cell::Text(supplier_name(&c.supplier, o)),
            Cell::opt_int(c.supplier.years_on_platform),
            Cell::Text(c.supplier.identities.join(",")),
            Cell::Num(r.score.round_dp(1)),
            Cell::Text(r.band.clone()),
            Cell::Text(format!("{:?}", r.action).to_lowercase()),
            Cell::Text(explanation),
        ]);
    }
    let comparison = comparison_sheet(&cmp);
    let plan_tabs = plan_sheets(&p);
    let mut summary = Sheet::new(
        "summary",
        &[
            "keyword",
            "need",
            "buy_quantity",
            "offer_id",
            "title",
            "supplier",
            "unit_price",
            "landed_total",
            "landed_per_unit",
            "why",
        ],
    );
    let best_option = advice.best();
    summary.push(vec![
        Cell::Text(keyword.to_owned()),
        Cell::Int(n.quantity),
        Cell::Int(best_option.quantity),
        Cell::Int(best_id),
        Cell::Text(best.offer.title.clone()),
        Cell::Text(supplier_name(&best.supplier, &best.offer)),
        Cell::Money(best_option.unit_price),
        Cell::Money(p.total),
        Cell::Money(p.total / Decimal::from(best_option.quantity)),
        Cell::Text(format!("{reason}. {}", advice.reason)),
    ]);
    let workbook = out.join("sourcing.xlsx");
    let mut all: Vec<&Sheet> = vec![&summary, &offers, &tiers, &skus, &suppliers, &comparison];
    all.extend(plan_tabs.iter());
    write_xlsx(&workbook, &all)?;
    let prices: Vec<Decimal> =
        candidates.iter().filter_map(|c| sourcing::cost::unit_price(&c.offer, None, n.quantity).ok()).collect();
    if let Some(stats) = sourcing::Distribution::of(prices.clone()) {
        crate::charts::price_histogram(
            &out.join("price-histogram.png"),
            &format!("{keyword} 价格分布 @ {}", n.quantity),
            &prices,
            stats.mean,
            stats.median,
            10,
        )?;
    }
    let bars: Vec<(String, Decimal)> = cmp.rows.iter().take(15).map(|r| (r.supplier.clone(), r.per_unit)).collect();
    crate::charts::supplier_bars(
        &out.join("suppliers.png"),
        &format!("{keyword}: 到岸单价 landed cost per unit"),
        &bars,
    )?;
    let report = card.score(&best.supplier);
    let axes: Vec<(String, Decimal)> =
        report.criteria.iter().map(|c| (c.name.clone(), c.sub_score.unwrap_or_default())).collect();
    crate::charts::scorecard_radar(
        &out.join("scorecard.png"),
        &format!("{} {}", supplier_name(&best.supplier, &best.offer), report.score.round_dp(1)),
        &axes,
    )?;
    if let Some(ladder) = &best.offer.ladder {
        let tiers: Vec<(i64, Decimal)> = ladder.tiers().iter().map(|t| (t.min_qty, t.unit_price)).collect();
        crate::charts::ladder_steps(
            &out.join("ladder.png"),
            &format!("{} 阶梯价", best.offer.title),
            &tiers,
            n.quantity * 2,
        )?;
    }
    ctx.note(&format!(
        "buy {} × offer {} from {} at ¥{} landed (¥{} a unit): {}",
        best_option.quantity,
        best_id,
        supplier_name(&best.supplier, &best.offer),
        p.total.round_dp(2),
        (p.total / Decimal::from(best_option.quantity)).round_dp(2),
        advice.reason
    ));
    ctx.note(&format!("workbook and charts: {}", out.display()));
    if let Some(calls) = ctx.sandbox_calls() {
        ctx.note(&format!("{calls} gateway calls (counted by the sandbox)"));
    }
    Ok(vec![summary])
}
