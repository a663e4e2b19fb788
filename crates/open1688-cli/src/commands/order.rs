//! `order`: a plan previewed and placed as 1688 orders (placing only with --yes, under the
//! spending cap, each order once), then listed, tracked, paid by link and cancelled.

use open1688_jobs::order_sheets::orders_sheet;
use open1688_jobs::plan_file::read_plan_file;
use open1688_jobs::{OrderRequest, PlaceOptions, PlanRequest, Sheet, ShipTo};
use open1688_store::OrderQuery;

use crate::args::{OrderAction, OrderPlanArgs};
use crate::context::Ctx;
use crate::exit::{CliError, usage};

/// Runs an `order` action.
pub async fn order(ctx: &Ctx, action: &OrderAction) -> Result<Vec<Sheet>, CliError> {
    match action {
        OrderAction::Preview(args) => {
            let request = request(ctx, args)?;
            let report = ctx.jobs().await?.preview_orders(&request, &ctx.progress()).await?;
            for o in report.orders.iter().filter_map(|o| o.refused.as_ref().map(|r| (o, r))) {
                ctx.note(&format!("{}: the platform refuses this order: {}", o.0.supplier, o.1.message));
            }
            Ok(report.sheets())
        }
        OrderAction::Place(args) => {
            let request = request(ctx, &args.plan)?;
            let cap = ctx.settings.order_policy.cap(args.spending_cap);
            let options = PlaceOptions { confirmed: args.yes, spending_cap: cap };
            let store = ctx.store().await?;
            let report = ctx.jobs().await?.place_orders(&store, &request, &options, &ctx.progress()).await?;
            // The notes and the link are in the report's sheets too (read with -q or --format json).
            for note in &report.notes {
                ctx.note(note);
            }
            if let Some(url) = &report.pay_url {
                ctx.note(&format!("pay at {url} (nothing was paid)"));
            }
            Ok(report.sheets())
        }
        OrderAction::List(args) => {
            let store = ctx.store().await?;
            let query = OrderQuery { batch: args.batch.clone(), open_only: args.open, limit: args.limit.max(1) };
            Ok(vec![orders_sheet(&store.orders(&query).await.map_err(anyhow::Error::from)?)])
        }
        OrderAction::Show { id } => {
            let store = ctx.store().await?;
            if store.order_by_platform_id(*id).await.map_err(anyhow::Error::from)?.is_none() {
                return Err(usage(format!("no order {id} was placed from here (order list shows them)")));
            }
            Ok(open1688_jobs::TrackedOrder::stored(&store, *id).await?.sheets())
        }
        OrderAction::Track { id: Some(id) } => {
            let store = ctx.store().await?;
            let tracked = ctx.jobs().await?.track_order(&store, *id, "track").await?;
            if let Some(change) = &tracked.change {
                ctx.note(&format!("order {id}: {} → {}", change.from.as_deref().unwrap_or("—"), change.to));
            }
            Ok(tracked.sheets())
        }
        OrderAction::Track { id: None } => {
            let store = ctx.store().await?;
            let tracked = ctx.jobs().await?.track_open_orders(&store).await?;
            for (id, why) in &tracked.unreadable {
                ctx.note(&format!("order {id} could not be read: {why}"));
            }
            let mut changes = Sheet::new("changes", &["order_id", "from", "to"]);
            for c in &tracked.changes {
                changes.push(vec![
                    open1688_jobs::Cell::Text(c.order_id.to_string()),
                    open1688_jobs::Cell::opt_text(c.from.clone()),
                    open1688_jobs::Cell::Text(c.to.clone()),
                ]);
            }
            let open = store
                .orders(&OrderQuery { open_only: true, ..OrderQuery::default() })
                .await
                .map_err(anyhow::Error::from)?;
            Ok(vec![changes, orders_sheet(&open)])
        }
        OrderAction::Cancel { id, reason } => {
            let store = ctx.store().await?;
            Ok(ctx.jobs().await?.cancel_order(&store, *id, reason).await?.sheets())
        }
        OrderAction::Addresses => Ok(ctx.jobs().await?.saved_addresses().await?.sheets()),
        OrderAction::PayUrl { ids } => {
            let store = ctx.store().await?;
            let link = ctx.jobs().await?.pay_url(&store, ids).await?;
            let mut sheet = Sheet::new("pay", &["pay_url", "orders"]);
            let orders = link.order_ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
            sheet.push(vec![open1688_jobs::Cell::Text(link.url), open1688_jobs::Cell::Text(orders)]);
            Ok(vec![sheet])
        }
    }
}

/// The order request `args` and the config make: the plan file's lines, and where they go.
fn request(ctx: &Ctx, args: &OrderPlanArgs) -> Result<OrderRequest, CliError> {
    let lines = read_plan_file(&args.plan)?;
    let given = args.address_id.map(|id| ShipTo { address_id: Some(id), ..ShipTo::default() });
    let ship_to = ctx.settings.order_policy.ship_to_or(given).ok_or_else(|| {
        usage(format!(
            "where should the goods go? Set [order] ship_to in {} (config init writes an example) or pass --address-id",
            ctx.settings.path.display()
        ))
    })?;
    Ok(OrderRequest {
        plan: PlanRequest { lines, optimize: args.optimize },
        ship_to,
        batch: args.batch.clone(),
        message: args.message.clone(),
    })
}
