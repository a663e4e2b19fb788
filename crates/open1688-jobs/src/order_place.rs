//! `order place`: the previewed orders placed — only with a person's confirmation, only under the
//! spending cap, each exactly once. Every order is recorded as an intent with its stable
//! `outOrderId` before the platform is asked; an order whose answer was lost (a timeout, a crash)
//! is looked up in the platform's order list by that id, never created again. Nothing is paid:
//! the report carries the payment link.

use chrono::Utc;
use open1688::types::api::order::CreateCrossOrder;
use open1688::types::api::order_read::{OrderList, PaymentUrl};
use open1688_store::{NewOrder, OrderState, SqlStore, StoredOrder};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{JobError, Result};
use crate::jobs::Jobs;
use crate::order_preview::{OrderPreviewReport, OrderRequest, PreviewedOrder};
use crate::progress::Progress;

/// The installation's ordering rules (`[order]` in the config): where goods go by default, and
/// the most one run may commit.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct OrderPolicy {
    /// The default delivery address (a forwarder's warehouse, usually).
    pub ship_to: Option<crate::order_preview::ShipTo>,
    /// The most one placing run may commit (CNY); a plan above it is refused whole.
    pub spending_cap: Option<Decimal>,
}

impl OrderPolicy {
    /// The cap a run places under: the lower of this policy's and the one `asked` for (a caller
    /// may lower the cap, never raise it).
    pub fn cap(&self, asked: Option<Decimal>) -> Option<Decimal> {
        match (asked, self.spending_cap) {
            (Some(asked), Some(own)) => Some(asked.min(own)),
            (asked, own) => asked.or(own),
        }
    }

    /// Where goods go: the address `given`, else this policy's default; `None` when neither.
    pub fn ship_to_or(&self, given: Option<crate::order_preview::ShipTo>) -> Option<crate::order_preview::ShipTo> {
        given.or_else(|| self.ship_to.clone())
    }
}

/// How placing may go: the person's confirmation and the spending cap.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlaceOptions {
    /// The person confirmed placing these orders (`--yes`). Without it nothing is placed.
    pub confirmed: bool,
    /// The most one run may commit in all (CNY); `None`: no cap.
    pub spending_cap: Option<Decimal>,
}

/// What happened to one supplier's order.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlacedOrder {
    /// Our order number.
    pub out_order_id: String,
    /// The supplier.
    pub supplier: String,
    /// The order as the store keeps it now.
    pub order: StoredOrder,
    /// What this run did: `placed`, `already_placed`, `found` (a lost answer's order found in
    /// the platform's list), `split_off` (an order the platform made beside the one asked for:
    /// one create call can make several), `unconfirmed` or `failed`.
    pub outcome: String,
}

/// The run's result: the preview, what was placed, and where to pay.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlaceReport {
    /// The preview the orders were placed from.
    pub preview: OrderPreviewReport,
    /// Each order's fate (empty when nothing was confirmed).
    pub placed: Vec<PlacedOrder>,
    /// The cashier link for the unpaid orders placed (nothing is paid here).
    pub pay_url: Option<String>,
    /// How many orders the platform has for this run's request (a create call can make several).
    pub orders_created: usize,
    /// What a person should know: nothing placed without confirmation, unconfirmed orders.
    pub notes: Vec<String>,
}

impl Jobs {
    /// Previews the request's orders and, when `options` allow, places them (see the module).
    pub async fn place_orders(
        &self,
        store: &SqlStore,
        request: &OrderRequest,
        options: &PlaceOptions,
        progress: &Progress,
    ) -> Result<PlaceReport> {
        let preview = self.preview_orders(request, progress).await?;
        if let Some(refused) = preview.orders.iter().find(|o| o.refused.is_some()) {
            let why = refused.refused.as_ref().map(|r| r.message.as_str()).unwrap_or_default();
            return Err(JobError::invalid(
                format!("order for {}", refused.supplier),
                format!("the platform refuses {}'s order: {why}; nothing was placed", refused.supplier),
            ));
        }
        let total: Decimal = preview.orders.iter().map(PreviewedOrder::expected_total).sum();
        if let Some(cap) = options.spending_cap
            && total > cap
        {
            return Err(JobError::invalid(
                "spending_cap",
                format!("the orders come to ¥{total}, above the spending cap of ¥{cap}; nothing was placed"),
            ));
        }
        if !options.confirmed {
            let note = format!(
                "nothing was placed: {} order(s) for ¥{total} need your confirmation (--yes)",
                preview.orders.len()
            );
            return Ok(PlaceReport {
                preview,
                placed: Vec::new(),
                pay_url: None,
                orders_created: 0,
                notes: vec![note],
            });
        }
        let mut placed = Vec::with_capacity(preview.orders.len());
        let mut notes = Vec::new();
        for order in &preview.orders {
            progress.check()?;
            let done = self.place_one(store, request, &preview.batch, order).await?;
            if let Some(first) = done.first().filter(|d| d.outcome == "unconfirmed") {
                notes.push(format!(
                    "{}'s order ({}) got no answer; run the same command again to look it up — it is never created twice",
                    first.supplier, first.out_order_id
                ));
            }
            if done.len() > 1 {
                notes.push(format!(
                    "the platform made {} orders of {}'s order; each is tracked and in the payment link",
                    done.len(),
                    done[0].supplier
                ));
            }
            placed.extend(done);
        }
        let orders_created = placed.iter().filter(|p| p.order.order_id.is_some()).count();
        let unpaid: Vec<i64> = placed
            .iter()
            .filter(|p| p.order.status.as_deref() == Some("waitbuyerpay"))
            .filter_map(|p| p.order.order_id)
            .collect();
        let pay_url = if unpaid.is_empty() {
            None
        } else {
            let link = self.client().execute(&PaymentUrl { order_ids: unpaid }).await;
            match link {
                Ok(link) => link.pay_url,
                Err(e) => {
                    notes.push(format!("no payment link yet ({e}); `order pay-url` makes one"));
                    None
                }
            }
        };
        Ok(PlaceReport { preview, placed, pay_url, orders_created, notes })
    }

    /// Places one previewed order exactly once: the order as stored, then any others the
    /// platform made of it (`split_off`).
    async fn place_one(
        &self,
        store: &SqlStore,
        request: &OrderRequest,
        batch: &str,
        order: &PreviewedOrder,
    ) -> Result<Vec<PlacedOrder>> {
        let intent = NewOrder {
            out_order_id: order.out_order_id.clone(),
            batch: batch.to_owned(),
            // People read the company; the key stays in the order's number.
            supplier: order.company.clone().unwrap_or_else(|| order.supplier.clone()),
            lines: order.lines.clone(),
            expected_total: order.expected_total(),
        };
        let (stored, new) = store.record_order_intent(&intent, now_ms()).await?;
        if !new {
            match stored.state {
                OrderState::Placed => return self.with_split(store, stored, "already_placed", "already_placed").await,
                // Asked before, answer unknown (or never asked: a crash between recording and
                // sending). The platform's list says which; only an order it does not know is sent.
                OrderState::Intent | OrderState::Unconfirmed => {
                    if let Some(found) = self.reconcile(store, &stored).await? {
                        return self.with_split(store, found, "found", "split_off").await;
                    }
                }
                OrderState::Failed => {}
            }
        }
        let create = CreateCrossOrder {
            address: request.ship_to.param(),
            cargo: order
                .lines
                .iter()
                .map(|l| open1688::types::api::order::CargoParam {
                    offer_id: l.offer_id,
                    spec_id: l.spec_id.clone(),
                    quantity: l.quantity,
                })
                .collect(),
            flow: "general".into(),
            out_order_id: order.out_order_id.clone(),
            message: request.message.clone(),
        };
        match self.client().execute(&create).await {
            Ok(answer) => {
                let made: Vec<(i64, Option<Decimal>)> =
                    answer.created().into_iter().filter_map(|c| c.order_id.map(|id| (id, c.amount_yuan()))).collect();
                let Some(&(id, amount)) = made.first() else {
                    // A success without an order id: treat it as a lost answer and look.
                    store
                        .mark_order(&order.out_order_id, OrderState::Unconfirmed, "the answer named no order", now_ms())
                        .await?;
                    return self.after_lost_answer(store, &order.out_order_id).await;
                };
                // With several orders, the first's own amount is its total; the plan's covers all.
                let total = if made.len() > 1 { amount } else { amount.or(order.platform_total) };
                let placed =
                    store.mark_order_placed(&order.out_order_id, id, total, "waitbuyerpay", "create", now_ms()).await?;
                for (n, &(id, amount)) in made.iter().enumerate().skip(1) {
                    store.record_split_order(&placed, n + 1, id, amount, now_ms()).await?;
                }
                self.with_split(store, placed, "placed", "split_off").await
            }
            Err(open1688::Error::Business { failure, .. }) => {
                let why = failure.message.unwrap_or_else(|| "refused".into());
                store.mark_order(&order.out_order_id, OrderState::Failed, &why, now_ms()).await?;
                let failed = self.stored(store, &order.out_order_id).await?;
                Ok(vec![outcome(failed, "failed")])
            }
            Err(e) => {
                // No answer: the order may exist. Never send it again; look it up.
                store.mark_order(&order.out_order_id, OrderState::Unconfirmed, &e.to_string(), now_ms()).await?;
                self.after_lost_answer(store, &order.out_order_id).await
            }
        }
    }

    /// `order` as `first`, then the orders the platform made beside it as `others`.
    async fn with_split(
        &self,
        store: &SqlStore,
        order: StoredOrder,
        first: &str,
        others: &str,
    ) -> Result<Vec<PlacedOrder>> {
        let split = store.split_orders(&order.out_order_id).await?;
        // Read again: recording a split marks the first order too.
        let order = if split.is_empty() { order } else { self.stored(store, &order.out_order_id).await? };
        let mut all = vec![outcome(order, first)];
        all.extend(split.into_iter().map(|o| outcome(o, others)));
        Ok(all)
    }

    /// After a lost answer: the order (and any made beside it) found in the platform's list,
    /// else left unconfirmed.
    async fn after_lost_answer(&self, store: &SqlStore, out_order_id: &str) -> Result<Vec<PlacedOrder>> {
        let stored = self.stored(store, out_order_id).await?;
        // The list may fail as the create did; the order stays unconfirmed for the next run.
        match self.reconcile(store, &stored).await {
            Ok(Some(found)) => self.with_split(store, found, "found", "split_off").await,
            Ok(None) | Err(_) => Ok(vec![outcome(self.stored(store, out_order_id).await?, "unconfirmed")]),
        }
    }

    async fn stored(&self, store: &SqlStore, out_order_id: &str) -> Result<StoredOrder> {
        store
            .order_by_out_id(out_order_id)
            .await?
            .ok_or_else(|| JobError::NotFound(format!("order {out_order_id} is not in the store")))
    }

    /// Looks `stored` up in the platform's order list by its `outOrderId`; when the platform has
    /// it, records it as placed and returns it.
    pub async fn reconcile(&self, store: &SqlStore, stored: &StoredOrder) -> Result<Option<StoredOrder>> {
        let query = OrderList {
            page: 1,
            page_size: 10,
            out_order_id: Some(stored.out_order_id.clone()),
            ..OrderList::default()
        };
        let listed = self
            .client()
            .execute(&query)
            .await
            .map_err(|e| JobError::gateway(format!("looking up order {}", stored.out_order_id), e))?;
        // One create call can have made several orders, all with our outOrderId; the list is
        // newest first, so the oldest (the first made) takes our row.
        let mut found: Vec<_> = listed
            .result
            .iter()
            .filter_map(|t| t.base_info.as_ref())
            .filter(|b| b.out_order_id.as_deref() == Some(stored.out_order_id.as_str()))
            .filter_map(|b| b.order_id().map(|id| (id, b)))
            .collect();
        found.sort_by_key(|(id, _)| *id);
        let Some(&(id, base)) = found.first() else { return Ok(None) };
        let status = base.status.clone().unwrap_or_else(|| "waitbuyerpay".into());
        let placed = store
            .mark_order_placed(&stored.out_order_id, id, base.total_amount, &status, "reconcile", now_ms())
            .await?;
        for (n, &(id, base)) in found.iter().enumerate().skip(1) {
            store.record_split_order(&placed, n + 1, id, base.total_amount, now_ms()).await?;
        }
        Ok(Some(placed))
    }
}

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// What happened to `order` in this run.
fn outcome(order: StoredOrder, outcome: &str) -> PlacedOrder {
    PlacedOrder {
        out_order_id: order.out_order_id.clone(),
        supplier: order.supplier.clone(),
        order,
        outcome: outcome.to_owned(),
    }
}
