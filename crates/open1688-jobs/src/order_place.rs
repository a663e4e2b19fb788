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
    /// the platform's list), `unconfirmed` or `failed`.
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
            return Ok(PlaceReport { preview, placed: Vec::new(), pay_url: None, notes: vec![note] });
        }
        let mut placed = Vec::with_capacity(preview.orders.len());
        let mut notes = Vec::new();
        for order in &preview.orders {
            progress.check()?;
            let done = self.place_one(store, request, &preview.batch, order).await?;
            if done.outcome == "unconfirmed" {
                notes.push(format!(
                    "{}'s order ({}) got no answer; run the same command again to look it up — it is never created twice",
                    done.supplier, done.out_order_id
                ));
            }
            placed.push(done);
        }
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
        Ok(PlaceReport { preview, placed, pay_url, notes })
    }

    /// Places one previewed order exactly once.
    async fn place_one(
        &self,
        store: &SqlStore,
        request: &OrderRequest,
        batch: &str,
        order: &PreviewedOrder,
    ) -> Result<PlacedOrder> {
        let now = || Utc::now().timestamp_millis();
        let intent = NewOrder {
            out_order_id: order.out_order_id.clone(),
            batch: batch.to_owned(),
            // People read the company; the key stays in the order's number.
            supplier: order.company.clone().unwrap_or_else(|| order.supplier.clone()),
            lines: order.lines.clone(),
            expected_total: order.expected_total(),
        };
        let (stored, new) = store.record_order_intent(&intent, now()).await?;
        let outcome = |order: StoredOrder, outcome: &str| PlacedOrder {
            out_order_id: order.out_order_id.clone(),
            supplier: order.supplier.clone(),
            order,
            outcome: outcome.to_owned(),
        };
        if !new {
            match stored.state {
                OrderState::Placed => return Ok(outcome(stored, "already_placed")),
                // Asked before, answer unknown (or never asked: a crash between recording and
                // sending). The platform's list says which; only an order it does not know is sent.
                OrderState::Intent | OrderState::Unconfirmed => {
                    if let Some(found) = self.reconcile(store, &stored).await? {
                        return Ok(outcome(found, "found"));
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
                let Some(created) =
                    answer.created().into_iter().find_map(|c| c.order_id.map(|id| (id, c.amount_yuan())))
                else {
                    // A success without an order id: treat it as a lost answer and look.
                    store
                        .mark_order(&order.out_order_id, OrderState::Unconfirmed, "the answer named no order", now())
                        .await?;
                    return self.after_lost_answer(store, &order.out_order_id).await.map(|(o, how)| outcome(o, how));
                };
                let (id, amount) = created;
                let placed = store
                    .mark_order_placed(
                        &order.out_order_id,
                        id,
                        amount.or(order.platform_total),
                        "waitbuyerpay",
                        "create",
                        now(),
                    )
                    .await?;
                Ok(outcome(placed, "placed"))
            }
            Err(open1688::Error::Business { failure, .. }) => {
                let why = failure.message.unwrap_or_else(|| "refused".into());
                store.mark_order(&order.out_order_id, OrderState::Failed, &why, now()).await?;
                let failed = self.stored(store, &order.out_order_id).await?;
                Ok(outcome(failed, "failed"))
            }
            Err(e) => {
                // No answer: the order may exist. Never send it again; look it up.
                store.mark_order(&order.out_order_id, OrderState::Unconfirmed, &e.to_string(), now()).await?;
                self.after_lost_answer(store, &order.out_order_id).await.map(|(o, how)| outcome(o, how))
            }
        }
    }

    /// After a lost answer: the order found in the platform's list, else left unconfirmed.
    async fn after_lost_answer(&self, store: &SqlStore, out_order_id: &str) -> Result<(StoredOrder, &'static str)> {
        let stored = self.stored(store, out_order_id).await?;
        // The list may fail as the create did; the order stays unconfirmed for the next run.
        match self.reconcile(store, &stored).await {
            Ok(Some(found)) => Ok((found, "found")),
            Ok(None) | Err(_) => Ok((self.stored(store, out_order_id).await?, "unconfirmed")),
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
        let found = listed
            .result
            .iter()
            .filter_map(|t| t.base_info.as_ref())
            .find(|b| b.out_order_id.as_deref() == Some(stored.out_order_id.as_str()) && b.order_id().is_some());
        let Some(base) = found else { return Ok(None) };
        let (Some(id), status) = (base.order_id(), base.status.clone().unwrap_or_else(|| "waitbuyerpay".into())) else {
            return Ok(None);
        };
        let now = Utc::now().timestamp_millis();
        Ok(Some(store.mark_order_placed(&stored.out_order_id, id, base.total_amount, &status, "reconcile", now).await?))
    }
}
