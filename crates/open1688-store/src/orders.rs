//! Orders placed from purchase plans, as the store keeps them. An order is written as an
//! **intent** — its stable `out_order_id`, supplier, lines and the plan's total — *before* the
//! platform is asked to create it; the answer moves it to `placed` (with the platform's order
//! id), `failed` (the platform refused: nothing was created) or `unconfirmed` (no answer: it may
//! exist, and is looked up by `out_order_id`, never created again). Each status the platform
//! reports afterwards (by push or by polling) is kept once, in order: the order's timeline.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::dialect::Dialect;
use crate::error::{Result, StoreError};
use crate::money::MoneyArg;
use crate::on_pool;
use crate::pool::{BeginWrite, SqlStore};

/// Where an order stands on our side of the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderState {
    /// Recorded, not yet sent to the platform (or sent and the process died before the answer).
    Intent,
    /// The platform created it: it has an order id.
    Placed,
    /// Sent, but no answer came (a timeout, a server error): it may exist; find it by
    /// `out_order_id` before anything else.
    Unconfirmed,
    /// The platform refused it: nothing was created.
    Failed,
}

impl OrderState {
    /// The state's name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Intent => "intent",
            Self::Placed => "placed",
            Self::Unconfirmed => "unconfirmed",
            Self::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "intent" => Self::Intent,
            "placed" => Self::Placed,
            "unconfirmed" => Self::Unconfirmed,
            "failed" => Self::Failed,
            _ => return None,
        })
    }
}

/// One line of an order: an offer, its SKU, how many, and the unit price the plan expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderLine {
    /// The offer.
    pub offer_id: i64,
    /// The SKU's spec id (`None` for an offer without SKUs).
    pub spec_id: Option<String>,
    /// Units.
    pub quantity: i64,
    /// The unit price the plan expected (CNY).
    pub unit_price: Decimal,
    /// The offer's title, for people reading the order.
    #[serde(default)]
    pub title: Option<String>,
}

/// An order to record before it is placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrder {
    /// Our order number, the same every time the same lines of the same batch are placed.
    pub out_order_id: String,
    /// The placing batch (a plan's name or digest), to list a plan's orders together.
    pub batch: String,
    /// The supplier (one order per supplier: the platform's rule).
    pub supplier: String,
    /// The lines.
    pub lines: Vec<OrderLine>,
    /// What the plan expects to pay, goods and freight (CNY).
    pub expected_total: Decimal,
}

/// An order as stored.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StoredOrder {
    /// The row's id.
    pub id: i64,
    /// Our order number (sent as `outOrderId`).
    pub out_order_id: String,
    /// The placing batch.
    pub batch: String,
    /// The supplier.
    pub supplier: String,
    /// The lines.
    pub lines: Vec<OrderLine>,
    /// What the plan expected to pay (CNY).
    pub expected_total: Decimal,
    /// What the platform said it costs, once it said (CNY).
    pub platform_total: Option<Decimal>,
    /// Where it stands on our side.
    pub state: OrderState,
    /// The platform's order id, once created.
    pub order_id: Option<i64>,
    /// The platform's status as last seen (`waitbuyerpay`, `waitsellersend`, …).
    pub status: Option<String>,
    /// The latest logistics the platform reported (carrier, waybill, trace), as JSON.
    #[schema(value_type = Option<Object>)]
    pub logistics: Option<serde_json::Value>,
    /// Why it failed or is unconfirmed.
    pub error: Option<String>,
    /// When it was recorded (epoch ms).
    pub created_ms: i64,
    /// When the row last changed (epoch ms).
    pub updated_ms: i64,
    /// When its status last changed (epoch ms).
    pub status_ms: Option<i64>,
    /// What the platform said of it when last read back (total, freight, receiver, carrier,
    /// lines).
    pub readback: Option<crate::readback::OrderReadback>,
    /// When the platform made several orders of one create call: that call's number (the first
    /// order's own `out_order_id`), on every order it made.
    pub split_of: Option<String>,
}

/// A status an order was seen in: one step of its timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OrderEvent {
    /// When it was seen (epoch ms).
    pub at_ms: i64,
    /// The status.
    pub status: String,
    /// Who said so: `create`, `push`, `poll`, `cancel`.
    pub source: String,
    /// What else was said (a carrier and waybill, a push's topic).
    pub detail: Option<String>,
}

/// A status that changed: what the order was, what it is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StatusChange {
    /// The order's row id.
    pub id: i64,
    /// The platform's order id.
    pub order_id: i64,
    /// The status before (`None` for the first one seen).
    pub from: Option<String>,
    /// The status now.
    pub to: String,
}

/// Which orders to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderQuery {
    /// Only this batch's.
    pub batch: Option<String>,
    /// Only orders still moving: not failed, and not in a final platform status (`success`,
    /// `cancel`, `terminated`).
    pub open_only: bool,
    /// At most this many, newest first (0: no limit).
    pub limit: i64,
}

pub(crate) const COLUMNS: &str = "id, out_order_id, batch, supplier, cargo, expected_total, platform_total, state, order_id, \
                       status, logistics, error, created_ms, updated_ms, status_ms, readback, split_of";

/// Platform statuses after which an order no longer moves.
pub const FINAL_STATUSES: [&str; 3] = ["success", "cancel", "terminated"];

pub(crate) fn order_from_row<R: Row>(row: &R) -> Result<StoredOrder>
where
    usize: sqlx::ColumnIndex<R>,
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> MoneyArg: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<MoneyArg>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let id: i64 = row.try_get("id")?;
    let corrupt = |what: &str, e: &dyn std::fmt::Display| StoreError::Corrupt(format!("order {id}: {what}: {e}"));
    let cargo: String = row.try_get("cargo")?;
    let state: String = row.try_get("state")?;
    let logistics: Option<String> = row.try_get("logistics")?;
    Ok(StoredOrder {
        id,
        out_order_id: row.try_get("out_order_id")?,
        batch: row.try_get("batch")?,
        supplier: row.try_get("supplier")?,
        lines: serde_json::from_str(&cargo).map_err(|e| corrupt("lines", &e))?,
        expected_total: row.try_get::<MoneyArg, _>("expected_total")?.0,
        platform_total: row.try_get::<Option<MoneyArg>, _>("platform_total")?.map(|m| m.0),
        state: OrderState::parse(&state).ok_or_else(|| corrupt("state", &state))?,
        order_id: row.try_get("order_id")?,
        status: row.try_get("status")?,
        logistics: logistics.map(|l| serde_json::from_str(&l)).transpose().map_err(|e| corrupt("logistics", &e))?,
        error: row.try_get("error")?,
        created_ms: row.try_get("created_ms")?,
        updated_ms: row.try_get("updated_ms")?,
        status_ms: row.try_get("status_ms")?,
        readback: row
            .try_get::<Option<String>, _>("readback")?
            .map(|r| serde_json::from_str(&r))
            .transpose()
            .map_err(|e| corrupt("readback", &e))?,
        split_of: row.try_get("split_of")?,
    })
}

impl SqlStore {
    /// Records an order before it is placed; `(order, true)` when new. Recording the same
    /// `out_order_id` again returns the stored order untouched with `false`: the caller then
    /// goes by its state (an intent or an unconfirmed order is looked up on the platform first).
    pub async fn record_order_intent(&self, order: &NewOrder, now_ms: i64) -> Result<(StoredOrder, bool)> {
        if order.lines.is_empty() {
            return Err(StoreError::Invalid(format!("order {}: no lines", order.out_order_id)));
        }
        let cargo = serde_json::to_string(&order.lines).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let added = on_pool!(self, pool => {
            sqlx::query(&pool.sql("INSERT INTO orders (out_order_id, batch, supplier, cargo, expected_total, state, created_ms, updated_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (out_order_id) DO NOTHING")?)
                .bind(&order.out_order_id)
                .bind(&order.batch)
                .bind(&order.supplier)
                .bind(&cargo)
                .bind(MoneyArg(order.expected_total))
                .bind(OrderState::Intent.as_str())
                .bind(now_ms)
                .bind(now_ms)
                .execute(pool)
                .await?
                .rows_affected()
        });
        let stored = self
            .order_by_out_id(&order.out_order_id)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("order {} vanished as it was recorded", order.out_order_id)))?;
        Ok((stored, added > 0))
    }

    /// The order with our number `out_order_id`.
    pub async fn order_by_out_id(&self, out_order_id: &str) -> Result<Option<StoredOrder>> {
        on_pool!(self, pool => {
            let row = sqlx::query(&pool.sql(&format!("SELECT {COLUMNS} FROM orders WHERE out_order_id = $1"))?)
                .bind(out_order_id)
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(order_from_row).transpose()
        })
    }

    /// The order in row `id`.
    pub async fn order_by_row(&self, id: i64) -> Result<Option<StoredOrder>> {
        on_pool!(self, pool => {
            let row = sqlx::query(&pool.sql(&format!("SELECT {COLUMNS} FROM orders WHERE id = $1"))?)
                .bind(id)
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(order_from_row).transpose()
        })
    }

    /// The order the platform numbered `order_id`.
    pub async fn order_by_platform_id(&self, order_id: i64) -> Result<Option<StoredOrder>> {
        on_pool!(self, pool => {
            let row = sqlx::query(&pool.sql(&format!("SELECT {COLUMNS} FROM orders WHERE order_id = $1"))?)
                .bind(order_id)
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(order_from_row).transpose()
        })
    }

    /// Orders as `query` asks, newest first.
    pub async fn orders(&self, query: &OrderQuery) -> Result<Vec<StoredOrder>> {
        let limit = if query.limit > 0 { query.limit } else { i64::MAX };
        let open = if query.open_only {
            format!(
                " AND state <> 'failed' AND (status IS NULL OR status NOT IN ({}))",
                FINAL_STATUSES.map(|s| format!("'{s}'")).join(", ")
            )
        } else {
            String::new()
        };
        on_pool!(self, pool => {
            let sql = format!("SELECT {COLUMNS} FROM orders WHERE ($1 IS NULL OR batch = $2){open} ORDER BY id DESC LIMIT $3");
            let rows = sqlx::query(&pool.sql(&sql)?)
                .bind(query.batch.as_deref())
                .bind(query.batch.as_deref())
                .bind(limit)
                .fetch_all(pool)
                .await?;
            rows.iter().map(order_from_row).collect()
        })
    }

    /// Notes that the platform created `out_order_id` as `order_id` (its total and status as it
    /// said), and starts its timeline.
    pub async fn mark_order_placed(
        &self,
        out_order_id: &str,
        order_id: i64,
        platform_total: Option<Decimal>,
        status: &str,
        source: &str,
        now_ms: i64,
    ) -> Result<StoredOrder> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            // The platform numbers each order once, so a row that already holds this number came
            // from a gateway that has forgotten it (a sandbox that was restarted): it lets the
            // number go, or this order could never be marked placed and would stay an intent.
            sqlx::query(&pool.sql("UPDATE orders SET order_id = NULL, state = $1, error = $2, updated_ms = $3 \
                 WHERE order_id = $4 AND out_order_id <> $5")?)
                .bind(OrderState::Failed.as_str())
                .bind(format!(
                    "the platform no longer knows this order: it gave its number {order_id} to order {out_order_id}"
                ))
                .bind(now_ms)
                .bind(order_id)
                .bind(out_order_id)
                .execute(&mut *tx)
                .await?;
            let changed = sqlx::query(&pool.sql("UPDATE orders SET state = $1, order_id = $2, platform_total = COALESCE($3, platform_total), \
                 status = $4, status_ms = $5, error = NULL, updated_ms = $6 WHERE out_order_id = $7")?)
                .bind(OrderState::Placed.as_str())
                .bind(order_id)
                .bind(platform_total.map(MoneyArg))
                .bind(status)
                .bind(now_ms)
                .bind(now_ms)
                .bind(out_order_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if changed == 0 {
                return Err(StoreError::Invalid(format!("no order {out_order_id} was recorded")));
            }
            // The first status is the placing itself: nothing to alert anyone about.
            sqlx::query(&pool.sql("INSERT INTO order_events (order_row, at_ms, status, source, alerted_ms) \
                 SELECT id, $1, $2, $3, $4 FROM orders WHERE out_order_id = $5")?)
                .bind(now_ms)
                .bind(status)
                .bind(source)
                .bind(now_ms)
                .bind(out_order_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.order_by_out_id(out_order_id)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("order {out_order_id} vanished as it was placed")))
    }

    /// Notes that `out_order_id` is `state` (unconfirmed or failed) because of `error`.
    pub async fn mark_order(&self, out_order_id: &str, state: OrderState, error: &str, now_ms: i64) -> Result<bool> {
        let changed = on_pool!(self, pool => {
            sqlx::query(&pool.sql("UPDATE orders SET state = $1, error = $2, updated_ms = $3 WHERE out_order_id = $4 AND state <> 'placed'")?)
                .bind(state.as_str())
                .bind(error)
                .bind(now_ms)
                .bind(out_order_id)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(changed > 0)
    }

    /// Records the platform's `status` of order `order_id` (and its logistics, when given). A
    /// status other than the last one seen joins the timeline and is returned as a change; the
    /// same status again (a push and a poll saying the same) changes only the logistics. A change
    /// waits in the timeline to be alerted (see [`SqlStore::unalerted_order_changes`]), whoever
    /// saw it.
    pub async fn set_order_status(
        &self,
        order_id: i64,
        status: &str,
        source: &str,
        detail: Option<&str>,
        logistics: Option<&serde_json::Value>,
        now_ms: i64,
    ) -> Result<Option<StatusChange>> {
        let logistics = logistics.map(serde_json::Value::to_string);
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let current: Option<(i64, Option<String>)> =
                sqlx::query_as(&pool.sql(&format!("SELECT id, status FROM orders WHERE order_id = $1{}", pool.for_update()))?)
                    .bind(order_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((id, before)) = current else {
                return Err(StoreError::Invalid(format!("no order {order_id} is tracked")));
            };
            let changed = before.as_deref() != Some(status);
            sqlx::query(&pool.sql("UPDATE orders SET status = $1, logistics = COALESCE($2, logistics), updated_ms = $3, \
                 status_ms = CASE WHEN $4 = 1 THEN $5 ELSE status_ms END WHERE id = $6")?)
                .bind(status)
                .bind(logistics.as_deref())
                .bind(now_ms)
                .bind(i64::from(changed))
                .bind(now_ms)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if changed {
                sqlx::query(&pool.sql("INSERT INTO order_events (order_row, at_ms, status, source, detail) VALUES ($1, $2, $3, $4, $5)")?)
                    .bind(id)
                    .bind(now_ms)
                    .bind(status)
                    .bind(source)
                    .bind(detail)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(changed.then(|| StatusChange { id, order_id, from: before, to: status.to_owned() }))
        })
    }

    /// The order's timeline (row id `id`), oldest first.
    pub async fn order_events(&self, id: i64) -> Result<Vec<OrderEvent>> {
        let rows: Vec<(i64, String, String, Option<String>)> = on_pool!(self, pool => {
            sqlx::query_as(&pool.sql("SELECT at_ms, status, source, detail FROM order_events WHERE order_row = $1 ORDER BY id")?)
                .bind(id)
                .fetch_all(pool)
                .await?
        });
        Ok(rows
            .into_iter()
            .map(|(at_ms, status, source, detail)| OrderEvent { at_ms, status, source, detail })
            .collect())
    }
}
