//! After placing: an order's status and logistics read from the platform and kept in the store
//! (each change once, as its timeline), the payment link for unpaid orders, and cancelling one.
//! The monitor polls open orders with [`Jobs::track_open_orders`]; the service calls
//! [`Jobs::track_order`] when a push says an order changed (a push is a notice: the order is read
//! again rather than trusted).

use crate::field_refusal::FieldRefusal;
use open1688::types::api::order_read::{CancelOrder, PaymentUrl};
use open1688_monitor::{OrderReadError, read_open_orders, read_order};
use open1688_store::{OrderChange, OrderEvent, SqlStore, StatusChange, StoredOrder};
use serde::Serialize;

use crate::error::{JobError, Result};
use crate::jobs::Jobs;

/// An order as tracked: the store's record after this read, its timeline, and what changed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TrackedOrder {
    /// The order.
    pub order: StoredOrder,
    /// Every status it was seen in, oldest first.
    pub timeline: Vec<OrderEvent>,
    /// The change this read found, if any.
    pub change: Option<StatusChange>,
    /// Every difference between what was placed and what the platform said when last read
    /// (its total, a line's units or price, a line gone or added); empty before the first read.
    pub changes_since_placed: Vec<OrderChange>,
}

impl TrackedOrder {
    /// The order with its timeline, `change` the status change this read found (if it read).
    pub fn new(order: StoredOrder, timeline: Vec<OrderEvent>, change: Option<StatusChange>) -> Self {
        let changes_since_placed = order.changes_since_placed();
        Self { order, timeline, change, changes_since_placed }
    }

    /// Reads order `order_id`'s record and timeline from the store (no platform call).
    pub async fn stored(store: &SqlStore, order_id: i64) -> Result<Self> {
        let order = store.order_by_platform_id(order_id).await?.ok_or_else(|| {
            JobError::NotFound(format!("no order {order_id} was placed from here (order list shows them)"))
        })?;
        let timeline = store.order_events(order.id).await?;
        Ok(Self::new(order, timeline, None))
    }
}

/// One pass over the open orders.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct OpenOrdersTracked {
    /// Orders read.
    pub read: u64,
    /// The status changes found.
    pub changes: Vec<StatusChange>,
    /// Orders that could not be read, and why.
    pub unreadable: Vec<(i64, String)>,
}

/// A payment link: where the buyer pays (nothing here pays).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PayLink {
    /// The cashier's address.
    pub url: String,
    /// The orders it covers.
    pub order_ids: Vec<i64>,
}

impl Jobs {
    /// Reads order `order_id` from the platform (status, and the carrier's trace once shipped),
    /// records what changed, and returns it with its timeline. `source` says who asked (`poll`,
    /// `push`, `track`). The monitor's order watch reads orders with the same function.
    pub async fn track_order(&self, store: &SqlStore, order_id: i64, source: &str) -> Result<TrackedOrder> {
        let change = read_order(self.client(), store, order_id, source).await.map_err(|e| match e {
            OrderReadError::NotHere(id) => {
                JobError::NotFound(format!("order {id} was not placed from here (order list shows ours)"))
            }
            OrderReadError::Missing(id) => JobError::NotFound(format!("the platform has no order {id}")),
            OrderReadError::Gateway { what, source } => JobError::gateway(what, *source),
            OrderReadError::Store(e) => JobError::Store(e),
        })?;
        let tracked = TrackedOrder::stored(store, order_id).await?;
        Ok(TrackedOrder::new(tracked.order, tracked.timeline, change))
    }

    /// Tracks every open order in the store (as the monitor's order watch does). An order that
    /// cannot be read this time is named and read again next time; the store failing ends the
    /// pass.
    pub async fn track_open_orders(&self, store: &SqlStore) -> Result<OpenOrdersTracked> {
        let pass = read_open_orders(self.client(), store, "poll").await?;
        Ok(OpenOrdersTracked {
            read: pass.read,
            changes: pass.changes.into_iter().map(|(_, change)| change).collect(),
            unreadable: pass.unreadable,
        })
    }

    /// The cashier link for unpaid orders placed from here (up to 100); nothing is paid. An
    /// order not placed from here, or no longer waiting for payment, is named.
    pub async fn pay_url(&self, store: &SqlStore, order_ids: &[i64]) -> Result<PayLink> {
        if order_ids.is_empty() || order_ids.len() > open1688::types::api::order_read::MAX_PAY_ORDERS {
            return Err(JobError::refused("order_ids", FieldRefusal::between(1, 100, order_ids.len())));
        }
        for &id in order_ids {
            let order = store
                .order_by_platform_id(id)
                .await?
                .ok_or_else(|| JobError::NotFound(format!("order {id} was not placed from here")))?;
            if let Some(status) = order.status.as_deref().filter(|s| *s != "waitbuyerpay") {
                return Err(JobError::invalid("order_ids", format!("order {id} is {status}, not waiting for payment")));
            }
        }
        let answer = self
            .client()
            .execute(&PaymentUrl { order_ids: order_ids.to_vec() })
            .await
            .map_err(|e| JobError::gateway("the payment link", e))?;
        let url = answer.pay_url.ok_or_else(|| JobError::NoAnswer("the platform made no payment link".into()))?;
        Ok(PayLink { url, order_ids: order_ids.to_vec() })
    }

    /// Cancels an unpaid order placed from here, and records it.
    pub async fn cancel_order(&self, store: &SqlStore, order_id: i64, reason: &str) -> Result<TrackedOrder> {
        if !["buyerCancel", "sellerGoodsLack", "other"].contains(&reason) {
            return Err(JobError::invalid(
                "reason",
                format!("{reason:?} is not buyerCancel, sellerGoodsLack or other"),
            ));
        }
        if store.order_by_platform_id(order_id).await?.is_none() {
            return Err(JobError::NotFound(format!("order {order_id} was not placed from here")));
        }
        self.client()
            .execute(&CancelOrder { order_id, reason: reason.to_owned(), remark: None })
            .await
            .map_err(|e| JobError::gateway(format!("cancelling order {order_id}"), e))?;
        self.track_order(store, order_id, "cancel").await
    }
}
