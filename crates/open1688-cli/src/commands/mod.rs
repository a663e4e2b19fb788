//! The commands, and the fetching and normalizing they share.

pub mod basic;
pub mod decide;
pub mod source;
pub mod watch;

use futures::StreamExt;
use open1688::{SearchQuery, SortOrder};
use open1688_types::api::search::SearchItem;
use sourcing::{Candidate, Freight, FreightModel, Need, Offer, Supplier};

use crate::cli::{NeedArgs, SearchArgs, Sort};
use crate::context::Ctx;
use crate::exit::usage;

/// The search the arguments describe.
pub fn search_query(args: &SearchArgs, language: &str) -> SearchQuery {
    let page_size = args.limit.map_or(50, |l| l.clamp(1, 50)) as u32;
    let mut q = SearchQuery::new(&args.keyword).language(language).page_size(page_size).max_pages(args.pages.max(1));
    if let Some(c) = args.category {
        q = q.category(c);
    }
    if args.price_min.is_some() || args.price_max.is_some() {
        q = q.price_range(args.price_min, args.price_max);
    }
    if let Some(sort) = args.sort {
        q = q.sort(match sort {
            Sort::Price => SortOrder::PriceAscending,
            Sort::PriceDesc => SortOrder::PriceDescending,
            Sort::Sales => SortOrder::SalesDescending,
            Sort::Newest => SortOrder::Newest,
        });
    }
    for f in &args.filter {
        q = q.filter(f);
    }
    q
}

/// Search results, with a progress bar over pages.
pub async fn fetch_items(ctx: &Ctx, args: &SearchArgs) -> anyhow::Result<Vec<SearchItem>> {
    if args.keyword.trim().is_empty() {
        return Err(usage("the keyword is empty"));
    }
    let query = search_query(args, &ctx.config.language);
    let bar = ctx.progress(u64::from(args.pages.max(1)), "searching");
    let mut pages = ctx.client.search_pages(&query);
    let mut items = Vec::new();
    while let Some(page) = pages.next().await {
        items.extend(page?.data);
        bar.inc(1);
        if args.limit.is_some_and(|l| items.len() >= l) {
            break;
        }
    }
    bar.finish_and_clear();
    if let Some(limit) = args.limit {
        items.truncate(limit);
    }
    Ok(items)
}

/// Details of offers, normalized, with their suppliers; failures are noted and skipped.
pub async fn fetch_candidates(ctx: &Ctx, ids: &[i64], items: &[SearchItem]) -> anyhow::Result<Vec<Candidate>> {
    fetch(ctx, ids, items, false).await
}

/// Details of offers the user named: the first failure is the command's error.
pub async fn fetch_named(ctx: &Ctx, ids: &[i64]) -> anyhow::Result<Vec<Candidate>> {
    fetch(ctx, ids, &[], true).await
}

async fn fetch(ctx: &Ctx, ids: &[i64], items: &[SearchItem], strict: bool) -> anyhow::Result<Vec<Candidate>> {
    let bar = ctx.progress(ids.len() as u64, "offer details");
    let mut out = Vec::with_capacity(ids.len());
    let mut details =
        futures::stream::iter(ids.iter().map(|&id| ctx.client.offer_in(id, &ctx.config.language))).buffered(8);
    let mut i = 0;
    while let Some(result) = details.next().await {
        let id = ids[i];
        i += 1;
        bar.inc(1);
        let detail = match result {
            Ok(d) => d,
            Err(e) if strict || e.is_authorization() || e.is_quota_exhausted() => {
                bar.finish_and_clear();
                return Err(anyhow::Error::new(e).context(format!("offer {id}")));
            }
            Err(e) => {
                bar.suspend(|| ctx.note(&format!("offer {id}: {e}")));
                continue;
            }
        };
        let mut offer = match sourcing::offer_from_detail(&detail, chrono::Utc::now()) {
            Ok(o) => o,
            Err(e) if strict => return Err(crate::exit::usage(e.to_string())),
            Err(e) => {
                bar.suspend(|| ctx.note(&format!("skipped: {e}")));
                continue;
            }
        };
        let mut supplier = sourcing::supplier_from_detail(&detail);
        if let Some(item) = items.iter().find(|it| it.offer_id == Some(id))
            && let Ok(summary) = sourcing::summary_from_search_item(item)
        {
            offer.complete_from(&summary);
            supplier.merge(&summary.supplier);
        }
        out.push(Candidate { offer, supplier });
    }
    bar.finish_and_clear();
    Ok(out)
}

/// The need from its arguments (a need below 1 is a usage error).
pub fn need(args: &NeedArgs, offer: Option<&Offer>) -> anyhow::Result<Need> {
    if args.need <= 0 {
        return Err(usage(format!("--need must be at least 1, got {}", args.need)));
    }
    Ok(Need {
        quantity: args.need,
        daily_sales: args.daily_sales.or_else(|| offer.and_then(sourcing::batches::daily_sales)),
        holding_cost_per_unit_day: args.holding_cost,
        max_overstock: args.max_overstock,
    })
}

/// Freight assumed per supplier shipment: ¥8 for the first kg, ¥3 each further kg (domestic
/// express rates as 1688 sellers quote them).
pub fn default_freight() -> Freight {
    Freight {
        model: FreightModel::ByWeight {
            first_kg: rust_decimal::Decimal::ONE,
            first_fee: rust_decimal::Decimal::from(8),
            additional_per_kg: rust_decimal::Decimal::from(3),
        },
        free_over: None,
    }
}

/// A supplier's display name.
pub fn supplier_name(s: &Supplier, o: &Offer) -> String {
    s.company.clone().unwrap_or_else(|| sourcing::plan::supplier_key(o))
}
