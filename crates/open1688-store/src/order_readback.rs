//! What the platform says of a placed order when it is read back ([`OrderReadback`]) kept beside
//! what was placed and compared with it, and the orders the platform made beside the one asked
//! for (one `createCrossOrder` call can make several).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::dialect::Dialect;
use crate::error::{Result, StoreError};
use crate::money::MoneyArg;
use crate::on_pool;
use crate::orders::{COLUMNS, OrderState, StoredOrder, order_from_row};
use crate::pool::{BeginWrite, SqlStore};
use crate::readback::{OrderReadback, ReadbackLine};

/// What about an order changed between placing it and reading it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderChangeKind {
    /// What the buyer pays.
    Total,
    /// A line's units.
    Quantity,
    /// A line's unit price.
    UnitPrice,
    /// A placed line the platform no longer lists.
    LineGone,
    /// A line the platform lists that was not placed.
    LineAdded,
}

/// One difference between what was placed and what the platform says now; surfaces say it in
/// their reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OrderChange {
    /// What changed.
    pub kind: OrderChangeKind,
    /// The line's offer, for a line's change.
    pub offer_id: Option<i64>,
    /// The line's SKU spec id, for a line's change.
    pub spec_id: Option<String>,
    /// The figure as placed (CNY for money, units for a quantity).
    pub placed: Option<Decimal>,
    /// The figure now.
    pub now: Option<Decimal>,
}

impl StoredOrder {
    /// Every difference between what was placed (the platform's total at creation, else the
    /// plan's; the lines sent) and the last read-back. Empty before the first read-back. An order
    /// of a create call the platform split (the first as well as the others) is compared by its
    /// total only: which lines went to which order is known only from the read-back itself.
    pub fn changes_since_placed(&self) -> Vec<OrderChange> {
        let Some(read) = &self.readback else { return Vec::new() };
        let mut out = Vec::new();
        let placed_total = self.platform_total.unwrap_or(self.expected_total);
        if let Some(now) = read.total
            && now != placed_total
        {
            out.push(OrderChange {
                kind: OrderChangeKind::Total,
                offer_id: None,
                spec_id: None,
                placed: Some(placed_total),
                now: Some(now),
            });
        }
        let split = self.split_of.is_some() || self.lines.is_empty();
        if split {
            return out;
        }
        let same = |line: &crate::orders::OrderLine, r: &ReadbackLine| {
            r.offer_id == Some(line.offer_id) && (line.spec_id.is_none() || r.spec_id == line.spec_id)
        };
        let change = |kind, offer_id: i64, spec_id: &Option<String>, placed: Option<Decimal>, now: Option<Decimal>| {
            OrderChange { kind, offer_id: Some(offer_id), spec_id: spec_id.clone(), placed, now }
        };
        for line in &self.lines {
            match read.lines.iter().find(|r| same(line, r)) {
                None => out.push(change(
                    OrderChangeKind::LineGone,
                    line.offer_id,
                    &line.spec_id,
                    Some(line.quantity.into()),
                    None,
                )),
                Some(r) => {
                    if let Some(q) = r.quantity.filter(|q| *q != line.quantity) {
                        out.push(change(
                            OrderChangeKind::Quantity,
                            line.offer_id,
                            &line.spec_id,
                            Some(line.quantity.into()),
                            Some(q.into()),
                        ));
                    }
                    if let Some(p) = r.unit_price.filter(|p| *p != line.unit_price) {
                        out.push(change(
                            OrderChangeKind::UnitPrice,
                            line.offer_id,
                            &line.spec_id,
                            Some(line.unit_price),
                            Some(p),
                        ));
                    }
                }
            }
        }
        for r in read.lines.iter().filter(|r| !self.lines.iter().any(|line| same(line, r))) {
            out.push(OrderChange {
                kind: OrderChangeKind::LineAdded,
                offer_id: r.offer_id,
                spec_id: r.spec_id.clone(),
                placed: None,
                now: r.quantity.map(Decimal::from),
            });
        }
        out
    }
}

impl SqlStore {
    /// Keeps what the platform said of order `order_id` when it was read back; the last reading
    /// replaces the one before.
    pub async fn save_order_readback(&self, order_id: i64, readback: &OrderReadback, now_ms: i64) -> Result<()> {
        let json = serde_json::to_string(readback).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let changed = on_pool!(self, pool => {
            sqlx::query(&pool.sql("UPDATE orders SET readback = $1, updated_ms = $2 WHERE order_id = $3")?)
                .bind(&json)
                .bind(now_ms)
                .bind(order_id)
                .execute(pool)
                .await?
                .rows_affected()
        });
        if changed == 0 {
            return Err(StoreError::Invalid(format!("no order {order_id} is tracked")));
        }
        Ok(())
    }

    /// Records order `order_id` that the platform made beside `parent` from the same create call
    /// (its `n`-th order, from 2): a placed row of its own, `{parent}-{n}`, with the platform's
    /// `total`, split off `parent`. Its lines are not known until it is read back. Recording it
    /// again (a second look at the same answer) returns the row already there.
    pub async fn record_split_order(
        &self,
        parent: &StoredOrder,
        n: usize,
        order_id: i64,
        total: Option<Decimal>,
        now_ms: i64,
    ) -> Result<StoredOrder> {
        if let Some(known) = self.order_by_platform_id(order_id).await? {
            return Ok(known);
        }
        let out_order_id = format!("{}-{n}", parent.out_order_id);
        let status = "waitbuyerpay";
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let added = sqlx::query(&pool.sql("INSERT INTO orders (out_order_id, batch, supplier, cargo, expected_total, platform_total, state, \
                 order_id, status, status_ms, created_ms, updated_ms, split_of) VALUES ($1, $2, $3, '[]', $4, $5, $6, $7, $8, $9, $10, $11, $12) \
                 ON CONFLICT (out_order_id) DO NOTHING")?)
                .bind(&out_order_id)
                .bind(&parent.batch)
                .bind(&parent.supplier)
                .bind(MoneyArg(total.unwrap_or_default()))
                .bind(total.map(MoneyArg))
                .bind(OrderState::Placed.as_str())
                .bind(order_id)
                .bind(status)
                .bind(now_ms)
                .bind(now_ms)
                .bind(now_ms)
                .bind(&parent.out_order_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            // The first order is part of the split too: its lines are those of every order made.
            sqlx::query(&pool.sql("UPDATE orders SET split_of = $1 WHERE out_order_id = $2")?)
                .bind(&parent.out_order_id)
                .bind(&parent.out_order_id)
                .execute(&mut *tx)
                .await?;
            if added > 0 {
                // Its first status is its making: nothing to alert anyone about.
                sqlx::query(&pool.sql("INSERT INTO order_events (order_row, at_ms, status, source, detail, alerted_ms) \
                     SELECT id, $1, $2, 'create', $3, $4 FROM orders WHERE out_order_id = $5")?)
                    .bind(now_ms)
                    .bind(status)
                    .bind(format!("made beside {} by the same create call", parent.out_order_id))
                    .bind(now_ms)
                    .bind(&out_order_id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.order_by_out_id(&out_order_id)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("order {out_order_id} vanished as it was recorded")))
    }

    /// The orders the platform made beside `out_order_id` from the same create call, in order.
    pub async fn split_orders(&self, out_order_id: &str) -> Result<Vec<StoredOrder>> {
        on_pool!(self, pool => {
            let rows = sqlx::query(&pool.sql(&format!("SELECT {COLUMNS} FROM orders WHERE split_of = $1 AND out_order_id <> $2 ORDER BY id"))?)
                .bind(out_order_id)
                .bind(out_order_id)
                .fetch_all(pool)
                .await?;
            rows.iter().map(order_from_row).collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::OrderLine;

    fn placed(lines: Vec<OrderLine>, readback: Option<OrderReadback>) -> StoredOrder {
        StoredOrder {
            id: 1,
            out_order_id: "o1688-x".into(),
            batch: "b".into(),
            supplier: "s".into(),
            lines,
            expected_total: Decimal::new(10_000, 2),
            platform_total: Some(Decimal::new(9_500, 2)),
            state: OrderState::Placed,
            order_id: Some(7),
            status: Some("waitbuyerpay".into()),
            logistics: None,
            error: None,
            created_ms: 0,
            updated_ms: 0,
            status_ms: None,
            readback,
            split_of: None,
        }
    }

    fn line(offer_id: i64, spec: &str, quantity: i64, price: i64) -> OrderLine {
        OrderLine { offer_id, spec_id: Some(spec.into()), quantity, unit_price: Decimal::new(price, 2), title: None }
    }

    fn read(total: i64, lines: Vec<(i64, &str, i64, i64)>) -> OrderReadback {
        OrderReadback {
            total: Some(Decimal::new(total, 2)),
            lines: lines
                .into_iter()
                .map(|(offer, spec, q, p)| ReadbackLine {
                    offer_id: Some(offer),
                    spec_id: Some(spec.into()),
                    quantity: Some(q),
                    unit_price: Some(Decimal::new(p, 2)),
                    ..ReadbackLine::default()
                })
                .collect(),
            ..OrderReadback::default()
        }
    }

    #[test]
    fn nothing_changed_says_nothing_and_no_readback_says_nothing() {
        let lines = vec![line(1, "a", 10, 950)];
        assert!(placed(lines.clone(), None).changes_since_placed().is_empty());
        assert!(placed(lines, Some(read(9_500, vec![(1, "a", 10, 950)]))).changes_since_placed().is_empty());
    }

    #[test]
    fn every_difference_is_named_against_the_platforms_total_at_creation() {
        let order = placed(
            vec![line(1, "a", 10, 950), line(2, "b", 5, 100)],
            Some(read(9_000, vec![(1, "a", 8, 900), (3, "c", 1, 100)])),
        );
        let kinds: Vec<_> =
            order.changes_since_placed().into_iter().map(|c| (c.kind, c.offer_id, c.placed, c.now)).collect();
        assert_eq!(
            kinds,
            [
                (OrderChangeKind::Total, None, Some(Decimal::new(9_500, 2)), Some(Decimal::new(9_000, 2))),
                (OrderChangeKind::Quantity, Some(1), Some(10.into()), Some(8.into())),
                (OrderChangeKind::UnitPrice, Some(1), Some(Decimal::new(950, 2)), Some(Decimal::new(900, 2))),
                (OrderChangeKind::LineGone, Some(2), Some(5.into()), None),
                (OrderChangeKind::LineAdded, Some(3), None, Some(1.into())),
            ]
        );
    }

    #[test]
    fn a_split_order_is_compared_by_its_total_only() {
        let mut order = placed(vec![line(1, "a", 10, 950)], Some(read(4_000, vec![(9, "z", 1, 4_000)])));
        order.split_of = Some("o1688-parent".into());
        let changes = order.changes_since_placed();
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].kind, OrderChangeKind::Total);
    }
}
