//! Alerts about orders, through the same outbox as a watch's: a status change in an order's
//! timeline is alerted once, whoever saw it (the monitor's poll, a push to the service,
//! `order track`), and an order stuck in a status is alerted once per stay in that status, across
//! restarts and monitors. What an alert reports is marked alerted in the transaction that stores
//! it and queues its deliveries, and the mark is the claim: of two monitors, one alerts.

use std::collections::HashMap;

use chrono::DateTime;

use crate::alerts::Alert;
use crate::dialect::Dialect;
use crate::error::{Result, StoreError};
use crate::on_pool;
use crate::orders::StoredOrder;
use crate::outbox::{INSERT_ALERT, QUEUE_DELIVERY, queue_deliveries};
use crate::pool::{BeginWrite, SqlStore};

/// The watch id of alerts about orders: no watch raised them (watch ids start at 1).
pub const ORDER_ALERTS: i64 = 0;

/// How far an order alert's time moves on when another alert already holds its key (same
/// offer, millisecond and rule: two orders of one offer changing in the same millisecond).
const MAX_TIME_NUDGE_MS: i64 = 1_000;

/// A status change in an order's timeline that has not been alerted yet.
#[derive(Debug, Clone, PartialEq)]
pub struct UnalertedChange {
    /// The timeline event's id (the alert's [`OrderAlertSubject::Change`]).
    pub event_id: i64,
    /// The order, as it stands now.
    pub order: StoredOrder,
    /// The status before (`None` when the change is the first status seen).
    pub from: Option<String>,
    /// The status it changed to.
    pub to: String,
    /// When the change was seen (epoch ms).
    pub at_ms: i64,
    /// Who saw it: `poll`, `push`, `track`, `cancel`.
    pub source: String,
}

/// What an order alert reports; it is marked alerted with the alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderAlertSubject {
    /// A status change (its timeline event's id).
    Change {
        /// The event.
        event_id: i64,
    },
    /// An order stuck in the status it entered at `status_ms` (row `order_row`).
    Stuck {
        /// The order's row.
        order_row: i64,
        /// When it entered the status it is stuck in (epoch ms).
        status_ms: i64,
    },
}

/// One alert about one order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderAlert {
    /// What it reports.
    pub subject: OrderAlertSubject,
    /// The alert: its `order_id` is the platform's order id, its offer the order's first line's.
    pub alert: Alert,
}

type ChangeRow = (i64, i64, i64, String, String, Option<String>);

impl SqlStore {
    /// Status changes not alerted yet, oldest first (at most `limit`).
    pub async fn unalerted_order_changes(&self, limit: i64) -> Result<Vec<UnalertedChange>> {
        let rows: Vec<ChangeRow> = on_pool!(self, pool => {
            sqlx::query_as(&pool.sql("SELECT e.id, e.order_row, e.at_ms, e.status, e.source, \
                 (SELECT p.status FROM order_events p WHERE p.order_row = e.order_row AND p.id < e.id ORDER BY p.id DESC LIMIT 1) \
                 FROM order_events e WHERE e.alerted_ms IS NULL ORDER BY e.id LIMIT $1")?)
                .bind(limit.max(1))
                .fetch_all(pool)
                .await?
        });
        // An order's several changes (paid, shipped, received between two rounds) read it once.
        let mut orders: HashMap<i64, StoredOrder> = HashMap::new();
        let mut changes = Vec::with_capacity(rows.len());
        for (event_id, order_row, at_ms, to, source, from) in rows {
            let order = match orders.get(&order_row) {
                Some(order) => order.clone(),
                None => {
                    let order = self.order_by_row(order_row).await?.ok_or_else(|| {
                        StoreError::Corrupt(format!("order event {event_id}: no order row {order_row}"))
                    })?;
                    orders.insert(order_row, order.clone());
                    order
                }
            };
            changes.push(UnalertedChange { event_id, order, from, to, at_ms, source });
        }
        Ok(changes)
    }

    /// Stores order alerts and queues one delivery per channel for the new ones, marking what
    /// each reports as alerted — all in one transaction. An alert whose subject is already
    /// marked (alerted before, or by another monitor just now) is skipped. Returns the alerts
    /// stored.
    pub async fn save_order_alerts(&self, alerts: &[OrderAlert], channels: &[&str], now_ms: i64) -> Result<Vec<Alert>> {
        // Most rounds have nothing to alert: no write transaction (SQLite's takes the lock).
        if alerts.is_empty() {
            return Ok(Vec::new());
        }
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let mut new = Vec::new();
            for a in alerts {
                let claimed = match a.subject {
                    OrderAlertSubject::Change { event_id } => {
                        sqlx::query(&pool.sql("UPDATE order_events SET alerted_ms = $1 WHERE id = $2 AND alerted_ms IS NULL")?)
                            .bind(now_ms)
                            .bind(event_id)
                            .execute(&mut *tx)
                            .await?
                    }
                    OrderAlertSubject::Stuck { order_row, status_ms } => {
                        sqlx::query(&pool.sql("UPDATE orders SET stuck_alerted_ms = $1 \
                             WHERE id = $2 AND (stuck_alerted_ms IS NULL OR stuck_alerted_ms <> $3)")?)
                            .bind(status_ms)
                            .bind(order_row)
                            .bind(status_ms)
                            .execute(&mut *tx)
                            .await?
                    }
                }
                .rows_affected();
                if claimed == 0 {
                    continue;
                }
                // The alerts' key was made for a watch's repeat checks; two orders of one offer
                // can share it, so a taken key moves this alert's time on by a millisecond.
                let mut alert = a.alert.clone();
                let mut stored = false;
                for _ in 0..MAX_TIME_NUDGE_MS {
                    stored = sqlx::query(&pool.sql(INSERT_ALERT)?)
                        .bind(ORDER_ALERTS)
                        .bind(alert.offer_id)
                        .bind(alert.at.timestamp_millis())
                        .bind(&alert.rule)
                        .bind(&alert.message)
                        .bind(alert.order_id)
                        .bind(crate::outbox::event_json(&alert)?)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected()
                        > 0;
                    if stored {
                        break;
                    }
                    let later = alert.at.timestamp_millis().saturating_add(1);
                    alert.at = DateTime::from_timestamp_millis(later)
                        .ok_or_else(|| StoreError::Invalid(format!("alert time {later} is out of range")))?;
                }
                if !stored {
                    return Err(StoreError::Invalid(format!("order {:?}: no free alert time near {}", a.alert.order_id, a.alert.at)));
                }
                new.push(alert);
            }
            queue_deliveries(&mut tx, &pool.sql(QUEUE_DELIVERY)?, ORDER_ALERTS, &new, channels, now_ms).await?;
            tx.commit().await?;
            Ok(new)
        })
    }
}
