//! The service-wide alert log: every watch's alerts and every order's, newest first, filtered by
//! time, watch and whether a person has acknowledged them; and the acknowledgement itself (once,
//! idempotent).

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::alerts::Alert;
use crate::dialect::Dialect;
use crate::error::{Result, StoreError};
use crate::on_pool;
use crate::pool::SqlStore;

/// The most alerts one listing returns.
pub const MAX_ALERT_LIST: i64 = 1_000;

/// Which alerts a listing returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlertQuery {
    /// Alerts raised at or after this moment (epoch ms; 0 for all).
    pub since_ms: i64,
    /// Only this watch's alerts (0: only alerts about orders, see [`crate::ORDER_ALERTS`]).
    pub watch_id: Option<i64>,
    /// Only alerts nobody has acknowledged yet.
    pub unacknowledged: bool,
    /// At most this many (clamped to 1..=[`MAX_ALERT_LIST`]).
    pub limit: i64,
}

/// An alert as the log keeps it: its id, its watch and its acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LoggedAlert {
    /// The alert's id (for acknowledging it).
    pub id: i64,
    /// The watch that raised it (0 for an alert about an order).
    pub watch_id: i64,
    /// The alert.
    #[serde(flatten)]
    pub alert: Alert,
    /// When a person acknowledged it, if anyone has.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// Who acknowledged it (the API key's name).
    pub acknowledged_by: Option<String>,
}

type Row = (i64, i64, i64, i64, String, String, Option<i64>, Option<String>, Option<i64>, Option<String>);

fn time(ms: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms).ok_or_else(|| StoreError::Corrupt(format!("alert time {ms} is out of range")))
}

fn logged((id, watch_id, offer_id, at_ms, rule, message, ack_ms, ack_by, order_id, event): Row) -> Result<LoggedAlert> {
    Ok(LoggedAlert {
        id,
        watch_id,
        alert: Alert { offer_id, at: time(at_ms)?, rule, message, order_id, event: crate::outbox::event_from(event) },
        acknowledged_at: ack_ms.map(time).transpose()?,
        acknowledged_by: ack_by,
    })
}

impl SqlStore {
    /// Alerts of every watch and order (or of one watch), newest first.
    pub async fn alert_log(&self, query: &AlertQuery) -> Result<Vec<LoggedAlert>> {
        let limit = query.limit.clamp(1, MAX_ALERT_LIST);
        let rows: Vec<Row> = on_pool!(self, pool => {
            sqlx::query_as(&pool.sql("SELECT id, watch_id, offer_id, at_ms, rule, message, acknowledged_ms, acknowledged_by, order_id, event FROM alerts \
                 WHERE at_ms >= $1 AND ($2 IS NULL OR watch_id = $3) AND (NOT $4 OR acknowledged_ms IS NULL) \
                 ORDER BY at_ms DESC, id DESC LIMIT $5")?,
            )
            .bind(query.since_ms)
            .bind(query.watch_id)
            .bind(query.watch_id)
            .bind(query.unacknowledged)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(logged).collect()
    }

    /// Alerts stored with an id above `after_id`, oldest id first, at most `limit` (clamped to
    /// 1..=[`MAX_ALERT_LIST`]): what live streams on every instance read to see every alert,
    /// whichever process raised it.
    pub async fn alerts_after(&self, after_id: i64, limit: i64) -> Result<Vec<LoggedAlert>> {
        let limit = limit.clamp(1, MAX_ALERT_LIST);
        let rows: Vec<Row> = on_pool!(self, pool => {
            sqlx::query_as(&pool.sql("SELECT id, watch_id, offer_id, at_ms, rule, message, acknowledged_ms, acknowledged_by, order_id, event FROM alerts \
                 WHERE id > $1 ORDER BY id LIMIT $2")?,
            )
            .bind(after_id)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(logged).collect()
    }

    /// The highest alert id stored (0 when there is none): where a live stream starts.
    pub async fn newest_alert_id(&self) -> Result<i64> {
        let newest: Option<i64> = on_pool!(self, pool => {
            sqlx::query_scalar(&pool.sql("SELECT MAX(id) FROM alerts")?).fetch_one(pool).await?
        });
        Ok(newest.unwrap_or(0))
    }

    /// Acknowledges an alert for `by`; acknowledging it again keeps the first acknowledgement.
    /// `None` when there is no such alert.
    pub async fn acknowledge_alert(&self, id: i64, by: &str, now_ms: i64) -> Result<Option<LoggedAlert>> {
        on_pool!(self, pool => {
            sqlx::query(&pool.sql("UPDATE alerts SET acknowledged_ms = $1, acknowledged_by = $2 WHERE id = $3 AND acknowledged_ms IS NULL")?,
            )
            .bind(now_ms)
            .bind(by)
            .bind(id)
            .execute(pool)
            .await?;
        });
        let row: Option<Row> = on_pool!(self, pool => {
            sqlx::query_as(&pool.sql("SELECT id, watch_id, offer_id, at_ms, rule, message, acknowledged_ms, acknowledged_by, order_id, event FROM alerts WHERE id = $1")?,
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        row.map(logged).transpose()
    }
}
