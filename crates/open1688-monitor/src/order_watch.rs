//! Orders placed from here, kept current: [`read_order`] reads one from the platform (its status;
//! once shipped, the carrier's trace) and records what changed in the store's timeline; an
//! [`OrderWatch`] does that for every open order on a schedule and turns the timeline into
//! alerts: every status change (whoever saw it: this poll, a push to the service, `order track`),
//! and an order stuck too long (unpaid, or paid and not shipped). The alerts go through the
//! store's outbox, like a watch's, so none is lost and none is sent twice.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use open1688::Client;
use open1688::types::api::logistics::{LogisticsTrace, NOT_SHIPPED};
use open1688::types::api::order_read::OrderDetail;
use open1688_store::{
    Alert, AlertEvent, Happening, OrderAlert, OrderAlertSubject, OrderQuery, SqlStore, StatusChange, StoreError,
    StoredOrder, UnalertedChange,
};
use serde_json::json;

use crate::order_readback::readback_of;

/// Why an order could not be read.
#[derive(Debug, thiserror::Error)]
pub enum OrderReadError {
    /// The order was not placed from here (the store has no record of it); nothing to retry.
    #[error("order {0} was not placed from here")]
    NotHere(i64),
    /// A gateway call failed (`what` says which); the SDK's error says whether a retry helps.
    #[error("{what}: {source}")]
    Gateway {
        /// The call.
        what: String,
        /// The SDK's error.
        #[source]
        source: Box<open1688::Error>,
    },
    /// The platform answered without the order.
    #[error("the platform has no order {0}")]
    Missing(i64),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Reads order `order_id` from the platform and records its status (and trace, once shipped);
/// returns the change, if the status moved. `source` says who asked (`poll`, `push`, `track`).
pub async fn read_order(
    client: &Client,
    store: &SqlStore,
    order_id: i64,
    source: &str,
) -> Result<Option<StatusChange>, OrderReadError> {
    if store.order_by_platform_id(order_id).await?.is_none() {
        return Err(OrderReadError::NotHere(order_id));
    }
    let gateway = |what: String| move |e| OrderReadError::Gateway { what, source: Box::new(e) };
    let detail = client.execute(&OrderDetail { order_id }).await.map_err(gateway(format!("order {order_id}")))?;
    let trade = detail.result.filter(|t| t.base_info.is_some()).ok_or(OrderReadError::Missing(order_id))?;
    let status = trade.base_info.as_ref().and_then(|b| b.status.clone()).unwrap_or_else(|| "unknown".to_owned());
    let (logistics, summary) = if matches!(status.as_str(), "waitbuyerpay" | "waitsellersend" | "cancel") {
        (None, None)
    } else {
        match client.execute(&LogisticsTrace { order_id }).await {
            Ok(answer) => match answer.traces.first() {
                Some(trace) => {
                    let steps: Vec<_> =
                        trace.steps.iter().map(|s| json!({"at": s.accept_time, "remark": s.remark})).collect();
                    let last = trace.steps.last().and_then(|s| s.remark.as_deref()).unwrap_or("no step yet");
                    let summary = format!("{} {last}", trace.bill_no.as_deref().unwrap_or("?"));
                    (
                        Some(json!({"logistics_id": trace.logistics_id, "bill_no": trace.bill_no, "steps": steps})),
                        Some(summary),
                    )
                }
                None => (None, None),
            },
            Err(open1688::Error::Business { failure, .. }) if failure.code.as_deref() == Some(NOT_SHIPPED) => {
                (None, None)
            }
            Err(e) => return Err(gateway(format!("the trace of order {order_id}"))(e)),
        }
    };
    let now = Utc::now().timestamp_millis();
    let change = store.set_order_status(order_id, &status, source, summary.as_deref(), logistics.as_ref(), now).await?;
    store.save_order_readback(order_id, &readback_of(&trade, now), now).await?;
    Ok(change)
}

/// One pass over the open orders: how many were read, the changes found, and the orders that
/// could not be read (with why; they are read again next time).
#[derive(Debug, Default)]
pub struct OpenOrdersRead {
    /// Orders read.
    pub read: u64,
    /// Each change found, with the order as it was before the read.
    pub changes: Vec<(StoredOrder, StatusChange)>,
    /// Orders that could not be read, and why.
    pub unreadable: Vec<(i64, String)>,
}

/// Reads every open order of `store` (see [`read_order`]); a store failure ends the pass.
pub async fn read_open_orders(client: &Client, store: &SqlStore, source: &str) -> Result<OpenOrdersRead, StoreError> {
    let open = store.orders(&OrderQuery { open_only: true, ..OrderQuery::default() }).await?;
    let mut pass = OpenOrdersRead::default();
    for order in open {
        let Some(id) = order.order_id else { continue };
        match read_order(client, store, id, source).await {
            Ok(change) => {
                pass.read += 1;
                pass.changes.extend(change.map(|c| (order, c)));
            }
            Err(OrderReadError::Store(e)) => return Err(e),
            Err(e) => {
                tracing::warn!(order = id, error = %e, "an order could not be read");
                pass.unreadable.push((id, e.to_string()));
            }
        }
    }
    Ok(pass)
}

/// How long an order may sit in a status before it is called stuck.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StuckAfter {
    /// Created and not paid (default 24 h; the platform closes unpaid orders later).
    pub unpaid: Duration,
    /// Paid and not shipped (default 72 h).
    pub unshipped: Duration,
}

impl Default for StuckAfter {
    fn default() -> Self {
        Self { unpaid: Duration::from_secs(24 * 3600), unshipped: Duration::from_secs(72 * 3600) }
    }
}

/// How many unalerted changes one store read takes.
const CHANGES_PER_READ: i64 = 500;

/// What one round of an [`OrderWatch`] did.
#[derive(Debug, Default)]
pub struct OrderRound {
    /// The alerts stored and queued for delivery this round.
    pub alerts: Vec<Alert>,
    /// Orders that could not be read (they are read again next time).
    pub unreadable: usize,
}

/// Every open order read on a schedule, with alerts for changes and for stuck orders.
#[derive(Debug)]
pub struct OrderWatch {
    store: Arc<SqlStore>,
    stuck: StuckAfter,
    every: Duration,
    last: Option<DateTime<Utc>>,
}

impl OrderWatch {
    /// Reads the open orders of `store` at most once per `every`, calling orders stuck as
    /// `stuck` says.
    pub fn new(store: Arc<SqlStore>, every: Duration, stuck: StuckAfter) -> Self {
        Self { store, stuck, every, last: None }
    }

    /// One round: when due, reads every open order from the platform; then, every round, turns
    /// the changes in the timeline not alerted yet (this read's, and those pushes and `order
    /// track` recorded) and the orders stuck now into alerts, stored with a delivery queued on
    /// each of `channels`. A store failure ends the round.
    pub async fn poll(
        &mut self,
        client: &Client,
        now: DateTime<Utc>,
        channels: &[&str],
    ) -> Result<OrderRound, StoreError> {
        let mut round = OrderRound::default();
        let due = self.last.is_none_or(|last| (now - last).to_std().map_or(true, |since| since >= self.every));
        if due {
            self.last = Some(now);
            round.unreadable = read_open_orders(client, &self.store, "poll").await?.unreadable.len();
        }
        let now_ms = now.timestamp_millis();
        loop {
            let changes = self.store.unalerted_order_changes(CHANGES_PER_READ).await?;
            let more = i64::try_from(changes.len()).is_ok_and(|n| n >= CHANGES_PER_READ);
            let alerts: Vec<OrderAlert> = changes.iter().map(|c| change_alert(c, now)).collect();
            round.alerts.extend(self.store.save_order_alerts(&alerts, channels, now_ms).await?);
            if !more {
                break;
            }
        }
        // Stuck: the statuses as they stand after this round's reads.
        let open = self.store.orders(&OrderQuery { open_only: true, ..OrderQuery::default() }).await?;
        let stuck: Vec<OrderAlert> = open
            .iter()
            .filter_map(|order| {
                let why = stuck(order, now, &self.stuck)?;
                let subject = OrderAlertSubject::Stuck { order_row: order.id, status_ms: order.status_ms? };
                Some(OrderAlert { subject, alert: alert(order, now, "order_stuck", why) })
            })
            .collect();
        round.alerts.extend(self.store.save_order_alerts(&stuck, channels, now_ms).await?);
        Ok(round)
    }
}

/// The alert for a status change, at the time the change was seen.
fn change_alert(change: &UnalertedChange, now: DateTime<Utc>) -> OrderAlert {
    // Every event belongs to an order the platform numbered; 0 would only show a damaged row.
    let order_id = change.order.order_id.unwrap_or_default();
    let at = DateTime::from_timestamp_millis(change.at_ms).unwrap_or(now);
    let what = Happening::OrderStatus {
        order_id,
        supplier: change.order.supplier.clone(),
        from: change.from.clone(),
        to: change.to.clone(),
        seen_by: change.source.clone(),
    };
    OrderAlert {
        subject: OrderAlertSubject::Change { event_id: change.event_id },
        alert: alert(&change.order, at, "order_status", what),
    }
}

/// Why `order` is stuck at `now`, if it is.
pub fn stuck(order: &StoredOrder, now: DateTime<Utc>, after: &StuckAfter) -> Option<Happening> {
    let since = order.status_ms?;
    let waited = Duration::from_millis(u64::try_from(now.timestamp_millis() - since).ok()?);
    let hours = |d: Duration| d.as_secs() / 3600;
    let id = order.order_id?;
    match order.status.as_deref()? {
        "waitbuyerpay" if waited >= after.unpaid => {
            Some(Happening::OrderUnpaid { order_id: id, supplier: order.supplier.clone(), hours: hours(waited) })
        }
        "waitsellersend" if waited >= after.unshipped => {
            Some(Happening::OrderUnshipped { order_id: id, supplier: order.supplier.clone(), hours: hours(waited) })
        }
        _ => None,
    }
}

fn alert(order: &StoredOrder, now: DateTime<Utc>, rule: &str, what: Happening) -> Alert {
    let offer_id = order.lines.first().map_or(0, |l| l.offer_id);
    Alert { order_id: order.order_id, ..Alert::of(offer_id, now, rule, AlertEvent::new(what)) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use open1688_store::{OrderLine, OrderState};

    fn order(status: &str, status_ms: i64) -> StoredOrder {
        StoredOrder {
            id: 1,
            out_order_id: "o".into(),
            batch: "b".into(),
            supplier: "s".into(),
            lines: vec![OrderLine { offer_id: 7, spec_id: None, quantity: 1, unit_price: 1.into(), title: None }],
            expected_total: 1.into(),
            platform_total: None,
            state: OrderState::Placed,
            order_id: Some(9),
            status: Some(status.into()),
            logistics: None,
            error: None,
            created_ms: 0,
            updated_ms: 0,
            status_ms: Some(status_ms),
            readback: None,
            split_of: None,
        }
    }

    #[test]
    fn orders_are_stuck_only_past_their_status_threshold() {
        let after = StuckAfter::default();
        let now = DateTime::from_timestamp_millis(100 * 3_600_000).unwrap();
        let hours_ago = |h: i64| now.timestamp_millis() - h * 3_600_000;
        assert!(stuck(&order("waitbuyerpay", hours_ago(23)), now, &after).is_none());
        assert!(
            stuck(&order("waitbuyerpay", hours_ago(25)), now, &after)
                .unwrap()
                .render(sourcing::Language::En)
                .contains("unpaid after 25 h")
        );
        assert!(stuck(&order("waitsellersend", hours_ago(71)), now, &after).is_none());
        assert!(
            stuck(&order("waitsellersend", hours_ago(73)), now, &after)
                .unwrap()
                .render(sourcing::Language::En)
                .contains("not shipped")
        );
        assert!(stuck(&order("waitbuyerreceive", hours_ago(500)), now, &after).is_none());
        assert!(stuck(&order("waitbuyerpay", now.timestamp_millis() + 5), now, &after).is_none(), "a clock ahead");
    }
}
