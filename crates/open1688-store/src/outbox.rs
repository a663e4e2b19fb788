//! The alert outbox: new alerts are stored together with one pending delivery per notifier
//! channel, in one transaction, so an alert that was stored is an alert that will be sent — a kill
//! between storing and sending leaves the delivery pending, and whoever runs next sends it.
//! Deliveries are claimed with a lease (a killed sender's claim runs out), retried on the
//! schedule the sender gives, and carry a delivery id that stays the same across attempts, so a
//! receiver that deduplicates on it sees each alert once.

use sha2::{Digest, Sha256};

use crate::alerts::Alert;
use crate::dialect::Dialect;
use crate::error::{Result, StoreError};
use crate::on_pool;
use crate::pool::{Backend, BeginWrite};

/// One pending delivery of a watch's new alerts to one channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The outbox row, for [`crate::Store::delivered`] and [`crate::Store::delivery_failed`].
    pub row: i64,
    /// The id receivers deduplicate on: the same for every attempt (see [`delivery_id`]).
    pub delivery_id: String,
    /// The notifier channel it is for (`webhook`, `email`, `stdout`).
    pub channel: String,
    /// The watch that raised the alerts.
    pub watch_id: i64,
    /// The alerts, as they were stored.
    pub alerts: Vec<Alert>,
    /// Attempts made before this one.
    pub attempts: i64,
    /// When the alerts were stored (epoch ms).
    pub created_ms: i64,
}

/// The delivery id of a watch's alerts: the same watch and alerts always give the same id (a
/// re-delivery after a crash included); another watch or other alerts give another. Two watches
/// of one offer raising the same alert get different ids, so a receiver drops neither.
pub fn delivery_id(watch_id: i64, alerts: &[Alert]) -> String {
    let mut hash = Sha256::new();
    hash.update(watch_id.to_be_bytes());
    for a in alerts {
        hash.update(a.offer_id.to_be_bytes());
        hash.update(a.at.timestamp_millis().to_be_bytes());
        hash.update(a.rule.as_bytes());
        hash.update([0]);
        hash.update(a.message.as_bytes());
        hash.update([0]);
    }
    hex::encode(&hash.finalize()[..16])
}

/// Stores one alert of a watch (0 for an order's alert, with its `order_id`); a repeat of a
/// stored alert (same watch, offer, time and rule) is ignored.
pub(crate) const INSERT_ALERT: &str = "INSERT INTO alerts (watch_id, offer_id, at_ms, rule, message, order_id, event) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (watch_id, offer_id, at_ms, rule) DO NOTHING";

/// An alert's event as the `event` column keeps it (JSON), or `NULL`.
pub(crate) fn event_json(alert: &Alert) -> Result<Option<String>> {
    alert.event.as_ref().map(|e| serde_json::to_string(e).map_err(|e| StoreError::Corrupt(e.to_string()))).transpose()
}

/// An alert's event read back from its `event` column; an unreadable one is dropped (the
/// English message still says it).
pub(crate) fn event_from(column: Option<String>) -> Option<crate::AlertEvent> {
    column.and_then(|text| serde_json::from_str(&text).ok())
}

/// Queues one delivery of new alerts to one channel (once per delivery id and channel).
pub(crate) const QUEUE_DELIVERY: &str = "INSERT INTO alert_outbox (delivery_id, channel, watch_id, alerts, created_ms, next_attempt_ms) \
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (delivery_id, channel) DO NOTHING";

/// Queues one delivery of `alerts` (new alerts of watch `watch_id`) per channel, inside the
/// caller's transaction `tx`; `sql` is [`QUEUE_DELIVERY`] in the store's dialect. No alerts,
/// no delivery.
pub(crate) async fn queue_deliveries<'c, DB: sqlx::Database>(
    tx: &mut sqlx::Transaction<'c, DB>,
    sql: &str,
    watch_id: i64,
    alerts: &[Alert],
    channels: &[&str],
    now_ms: i64,
) -> Result<()>
where
    for<'e> &'e mut DB::Connection: sqlx::Executor<'e, Database = DB>,
    for<'q> DB::Arguments<'q>: sqlx::IntoArguments<'q, DB>,
    for<'q> i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    for<'q> &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    if alerts.is_empty() {
        return Ok(());
    }
    let id = delivery_id(watch_id, alerts);
    let json = serde_json::to_string(alerts).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    for channel in channels {
        sqlx::query(sql)
            .bind(id.as_str())
            .bind(*channel)
            .bind(watch_id)
            .bind(json.as_str())
            .bind(now_ms)
            .bind(now_ms)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Stores alerts (repeats of stored ones are ignored) and, for the new ones, one pending delivery
/// per channel — all in one transaction. Returns the new alerts.
pub(crate) async fn save_alerts(
    db: &Backend,
    watch_id: i64,
    alerts: &[Alert],
    channels: &[&str],
    now_ms: i64,
) -> Result<Vec<Alert>> {
    on_pool!(backend db, pool => {
        let mut tx = pool.begin_write().await?;
        let mut new = Vec::new();
        for a in alerts {
            let added = sqlx::query(&pool.sql(INSERT_ALERT)?)
            .bind(watch_id)
            .bind(a.offer_id)
            .bind(a.at.timestamp_millis())
            .bind(&a.rule)
            .bind(&a.message)
            .bind(a.order_id)
            .bind(event_json(a)?)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if added > 0 {
                new.push(a.clone());
            }
        }
        queue_deliveries(&mut tx, &pool.sql(QUEUE_DELIVERY)?, watch_id, &new, channels, now_ms).await?;
        tx.commit().await?;
        Ok(new)
    })
}

type DeliveryRow = (i64, String, String, i64, String, i64, i64);

fn delivery_from(row: DeliveryRow) -> Result<Delivery> {
    let (row, delivery_id, channel, watch_id, alerts, attempts, created_ms) = row;
    let alerts = serde_json::from_str(&alerts).map_err(|e| StoreError::Corrupt(format!("outbox row {row}: {e}")))?;
    Ok(Delivery { row, delivery_id, channel, watch_id, alerts, attempts, created_ms })
}

/// Claims up to `limit` deliveries due at `now_ms` on `channels` for `worker`: each is pushed
/// `lease_ms` into the future, so a concurrent sender skips it and a killed sender's claim runs out.
pub(crate) async fn claim_deliveries(
    db: &Backend,
    worker: &str,
    channels: &[&str],
    now_ms: i64,
    lease_ms: i64,
    limit: i64,
) -> Result<Vec<Delivery>> {
    if channels.is_empty() {
        return Ok(Vec::new());
    }
    let until = now_ms.saturating_add(lease_ms);
    // Select, mark and read back in one write transaction; concurrent senders skip the rows
    // another one is claiming (see `Dialect::skip_locked`). Channel names are the notifiers' own
    // constants, bound as parameters all the same.
    on_pool!(backend db, pool => {
        let mut tx = pool.begin_write().await?;
        let mut due = sqlx::QueryBuilder::new("SELECT id FROM alert_outbox WHERE delivered_ms IS NULL AND next_attempt_ms <= ");
        due.push_bind(now_ms).push(" AND channel IN (");
        let mut list = due.separated(", ");
        for channel in channels {
            list.push_bind(*channel);
        }
        due.push(") ORDER BY id LIMIT ").push_bind(limit).push(pool.skip_locked());
        let ids: Vec<i64> = due.build_query_scalar().fetch_all(&mut *tx).await?;
        if ids.is_empty() {
            tx.commit().await?;
            return Ok(Vec::new());
        }
        let mut claim = sqlx::QueryBuilder::new("UPDATE alert_outbox SET claimed_by = ");
        claim.push_bind(worker).push(", next_attempt_ms = ").push_bind(until).push(" WHERE id IN (");
        let mut list = claim.separated(", ");
        for id in &ids {
            list.push_bind(*id);
        }
        claim.push(")").build().execute(&mut *tx).await?;
        let mut read = sqlx::QueryBuilder::new(
            "SELECT id, delivery_id, channel, watch_id, alerts, attempts, created_ms FROM alert_outbox WHERE id IN (",
        );
        let mut list = read.separated(", ");
        for id in &ids {
            list.push_bind(*id);
        }
        read.push(") ORDER BY id");
        let rows: Vec<DeliveryRow> = read.build_query_as().fetch_all(&mut *tx).await?;
        tx.commit().await?;
        rows.into_iter().map(delivery_from).collect()
    })
}

/// Marks a delivery sent.
pub(crate) async fn delivered(db: &Backend, row: i64, now_ms: i64) -> Result<()> {
    on_pool!(backend db, pool => {
        sqlx::query(&pool.sql("UPDATE alert_outbox SET delivered_ms = $1, attempts = attempts + 1, claimed_by = NULL, last_error = NULL WHERE id = $2")?)
            .bind(now_ms)
            .bind(row)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// Records a failed attempt and when to try again.
pub(crate) async fn delivery_failed(db: &Backend, row: i64, error: &str, next_attempt_ms: i64) -> Result<()> {
    on_pool!(backend db, pool => {
        sqlx::query(&pool.sql("UPDATE alert_outbox SET attempts = attempts + 1, next_attempt_ms = $1, last_error = $2, claimed_by = NULL WHERE id = $3")?)
            .bind(next_attempt_ms)
            .bind(error)
            .bind(row)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// How many deliveries are waiting to be sent (on any channel).
pub(crate) async fn pending(db: &Backend) -> Result<u64> {
    let n: i64 = on_pool!(backend db, pool => {
        sqlx::query_scalar(&pool.sql("SELECT COUNT(*) FROM alert_outbox WHERE delivered_ms IS NULL")?).fetch_one(pool).await?
    });
    Ok(u64::try_from(n).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;

    fn alert(offer_id: i64) -> Alert {
        Alert {
            offer_id,
            at: DateTime::<Utc>::UNIX_EPOCH,
            rule: "sold_out".into(),
            message: "sold out".into(),
            order_id: None,
            event: None,
        }
    }

    #[test]
    fn delivery_ids_are_stable_per_watch_and_alert_set() {
        assert_eq!(delivery_id(1, &[alert(1), alert(2)]), delivery_id(1, &[alert(1), alert(2)]));
        assert_ne!(delivery_id(1, &[alert(1)]), delivery_id(1, &[alert(2)]));
        assert_ne!(delivery_id(1, &[alert(1)]), delivery_id(2, &[alert(1)]), "two watches of one offer");
        assert_eq!(delivery_id(1, &[alert(1)]).len(), 32);
    }
}
