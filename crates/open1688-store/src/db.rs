//! The [`Store`] trait — persistence for offers, history, watches and alerts — and its one
//! implementation over SQLite, PostgreSQL or MySQL ([`SqlStore`]). The same statements run on all
//! three (written with `$n` placeholders and rewritten for MySQL by [`crate::dialect`];
//! epoch-millisecond times); money differs: NUMERIC in PostgreSQL, DECIMAL in MySQL, exact decimal
//! TEXT in SQLite.

use async_trait::async_trait;
use sqlx::Row;

use crate::alerts::Alert;
use crate::catalog::CatalogStore;
use crate::dialect::Dialect;
use crate::error::{Result, StoreError};
use crate::failure::{FailurePolicy, Finished};
use crate::history::{HistoryPoint, point_line};
use crate::jobs::JobStore;
use crate::on_pool;
use crate::outbox::Delivery;
use crate::pool::{BeginWrite, SqlStore};
use crate::record::{Observation, Recorded, StoredOffer, StoredSupplier, snapshot_from};
use crate::snapshot::Snapshot;
use crate::supplier_profiles::SupplierProfile;
use crate::watch::{NewWatch, WATCH_COLUMNS, Watch, WatchSummary, watch_from_row};

/// Persistence for offers, history, watches and alerts.
#[async_trait]
pub trait Store: JobStore + CatalogStore + Send + Sync {
    /// Saves what one fetch saw — the offer's latest state (normalized and as received), its
    /// supplier, the snapshot and the changes since the last one — in one transaction.
    async fn record(&self, seen: &Observation<'_>) -> Result<Recorded>;
    /// An offer as last recorded.
    async fn offer(&self, offer_id: i64) -> Result<Option<StoredOffer>>;
    /// A supplier as last recorded (by `sourcing::plan::supplier_key`).
    async fn supplier(&self, key: &str) -> Result<Option<StoredSupplier>>;
    /// The full profile kept for a seller open id, however old.
    async fn supplier_profile(&self, open_id: &str) -> Result<Option<SupplierProfile>>;
    /// Keeps a supplier's full profile, replacing the one kept for its open id.
    async fn save_supplier_profile(&self, profile: &SupplierProfile) -> Result<()>;
    /// Imports snapshots (a backfill of history) in batched transactions, without change
    /// detection; repeats are ignored. Returns how many were new.
    async fn import_snapshots(&self, snapshots: &[Snapshot]) -> Result<u64>;
    /// Snapshots of an offer since a moment, oldest first.
    async fn history(&self, offer_id: i64, since_ms: i64) -> Result<Vec<Snapshot>>;
    /// Prices, stock, MOQ and status of an offer since a moment, oldest first: the history
    /// without SKUs, read much faster than [`Store::history`].
    async fn price_history(&self, offer_id: i64, since_ms: i64) -> Result<Vec<HistoryPoint>>;
    /// Creates a watch, due now.
    async fn add_watch(&self, watch: &NewWatch, now_ms: i64) -> Result<i64>;
    /// All watches.
    async fn watches(&self) -> Result<Vec<Watch>>;
    /// One watch, if there is one with this id.
    async fn watch(&self, id: i64) -> Result<Option<Watch>>;
    /// Up to `limit` watches in id order, from `offset` on: a page of a long list.
    async fn watch_page(&self, offset: i64, limit: i64) -> Result<Vec<Watch>>;
    /// How many watches there are in each state at `now_ms`, and the oldest last check: what an
    /// overview shows, counted by the database instead of read watch by watch.
    async fn watch_summary(&self, now_ms: i64) -> Result<WatchSummary>;
    /// Deletes a watch.
    async fn remove_watch(&self, id: i64) -> Result<bool>;
    /// Replaces what watch `id` watches and how (offer or keyword, interval, rules, daily cap),
    /// keeping its history, alerts and snooze, and makes it due now; `false` when there is no
    /// such watch. Checked as [`Store::add_watch`] checks a new one.
    async fn replace_watch(&self, id: i64, watch: &NewWatch, now_ms: i64) -> Result<bool>;
    /// Snoozes a watch's alerts until a moment.
    async fn snooze(&self, id: i64, until_ms: i64) -> Result<bool>;
    /// Claims up to `limit` due watches for `worker` (claims older than `lease_ms` are free again).
    async fn claim_due(&self, worker: &str, now_ms: i64, lease_ms: i64, limit: i64) -> Result<Vec<Watch>>;
    /// Ends `worker`'s check of a watch: success (`error` is `None`) schedules the next one;
    /// a failure is kept as the watch's last error, and repeated failure pauses the watch as
    /// `policy` says. `None` when the watch was removed meanwhile, or when another worker holds
    /// its claim now (this one's lease ran out): only the claim's holder finishes.
    async fn finish(
        &self,
        id: i64,
        worker: &str,
        error: Option<&str>,
        now_ms: i64,
        policy: &FailurePolicy,
    ) -> Result<Option<Finished>>;
    /// Renews every claim `worker` holds to `now_ms`, so a long cycle keeps the watches it is still
    /// checking; returns how many were renewed.
    async fn renew_claims(&self, worker: &str, now_ms: i64) -> Result<u64>;
    /// Stores alerts (a repeat of a stored alert is ignored) and queues the new ones for delivery
    /// on each of `channels`, in one transaction; returns the new alerts. See [`crate::outbox`].
    async fn save_alerts(&self, watch_id: i64, alerts: &[Alert], channels: &[&str], now_ms: i64) -> Result<Vec<Alert>>;
    /// Claims up to `limit` deliveries due at `now_ms` on `channels` for `worker`, for `lease_ms`.
    async fn claim_deliveries(
        &self,
        worker: &str,
        channels: &[&str],
        now_ms: i64,
        lease_ms: i64,
        limit: i64,
    ) -> Result<Vec<Delivery>>;
    /// Marks a claimed delivery sent.
    async fn delivered(&self, row: i64, now_ms: i64) -> Result<()>;
    /// Records a failed delivery attempt (the error without secrets) and when to try again.
    async fn delivery_failed(&self, row: i64, error: &str, next_attempt_ms: i64) -> Result<()>;
    /// How many deliveries wait to be sent.
    async fn pending_deliveries(&self) -> Result<u64>;
    /// How many alerts a watch raised since a moment.
    async fn alerts_since(&self, watch_id: i64, since_ms: i64) -> Result<u64>;
    /// The alerts a watch raised since a moment, oldest first.
    async fn alerts(&self, watch_id: i64, since_ms: i64) -> Result<Vec<Alert>>;
}

#[async_trait]
impl Store for SqlStore {
    async fn record(&self, seen: &Observation<'_>) -> Result<Recorded> {
        crate::record::record(&self.db, seen).await
    }

    async fn offer(&self, offer_id: i64) -> Result<Option<StoredOffer>> {
        crate::record::offer(&self.db, offer_id).await
    }

    async fn supplier(&self, key: &str) -> Result<Option<StoredSupplier>> {
        crate::record::supplier(&self.db, key).await
    }

    async fn supplier_profile(&self, open_id: &str) -> Result<Option<SupplierProfile>> {
        SqlStore::supplier_profile(self, open_id).await
    }

    async fn save_supplier_profile(&self, profile: &SupplierProfile) -> Result<()> {
        SqlStore::save_supplier_profile(self, profile).await
    }

    async fn import_snapshots(&self, snapshots: &[Snapshot]) -> Result<u64> {
        let mut added = 0;
        // Multi-row INSERTs (500 rows, 3,500 parameters) inside 10,000-row transactions.
        for batch in snapshots.chunks(10_000) {
            let data: Vec<String> = batch
                .iter()
                .map(serde_json::to_string)
                .collect::<std::result::Result<_, _>>()
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            added += on_pool!(self, pool => {
                let mut tx = pool.begin_write().await?;
                let mut n = 0;
                let (insert, skip) = pool.insert_skipping_duplicates("(offer_id, at_ms)");
                for (rows, json) in batch.chunks(500).zip(data.chunks(500)) {
                    let mut qb = sqlx::QueryBuilder::new(format!(
                        "{insert} snapshots (offer_id, at_ms, stock, moq, status, data, point) "
                    ));
                    qb.push_values(rows.iter().zip(json), |mut b, (snap, data)| {
                        b.push_bind(snap.offer_id)
                            .push_bind(snap.at.timestamp_millis())
                            .push_bind(snap.stock)
                            .push_bind(snap.moq)
                            .push_bind(snap.status.clone())
                            .push_bind(data.clone())
                            .push_bind(point_line(snap));
                    });
                    qb.push(&skip);
                    n += qb.build().execute(&mut *tx).await?.rows_affected();
                }
                tx.commit().await?;
                n
            });
        }
        Ok(added)
    }

    async fn history(&self, offer_id: i64, since_ms: i64) -> Result<Vec<Snapshot>> {
        let rows: Vec<String> = on_pool!(self, pool => {
            sqlx::query_scalar(&pool.sql("SELECT data FROM snapshots WHERE offer_id = $1 AND at_ms >= $2 ORDER BY at_ms")?)
                .bind(offer_id)
                .bind(since_ms)
                .fetch_all(pool)
                .await?
        });
        rows.iter().map(|d| snapshot_from(d)).collect()
    }

    async fn price_history(&self, offer_id: i64, since_ms: i64) -> Result<Vec<HistoryPoint>> {
        crate::history::price_history(&self.db, offer_id, since_ms).await
    }

    async fn add_watch(&self, watch: &NewWatch, now_ms: i64) -> Result<i64> {
        let rules = watch.checked_rules()?;
        Ok(on_pool!(self, pool => {
            sqlx::query_scalar(&pool.sql("INSERT INTO watches (offer_id, keyword, interval_secs, rules, max_per_day, next_due_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")?,
            )
            .bind(watch.offer_id)
            .bind(watch.keyword.clone())
            .bind(watch.interval_secs)
            .bind(rules)
            .bind(watch.max_per_day)
            .bind(now_ms)
            .fetch_one(pool)
            .await?
        }))
    }

    async fn watches(&self) -> Result<Vec<Watch>> {
        let sql = format!("SELECT {WATCH_COLUMNS} FROM watches ORDER BY id");
        on_pool!(self, pool => {
            sqlx::query(&pool.sql(&sql)?).fetch_all(pool).await?.iter().map(watch_from_row).collect()
        })
    }

    async fn watch(&self, id: i64) -> Result<Option<Watch>> {
        let sql = format!("SELECT {WATCH_COLUMNS} FROM watches WHERE id = $1");
        on_pool!(self, pool => {
            sqlx::query(&pool.sql(&sql)?).bind(id).fetch_optional(pool).await?.as_ref().map(watch_from_row).transpose()
        })
    }

    async fn watch_page(&self, offset: i64, limit: i64) -> Result<Vec<Watch>> {
        let sql = format!("SELECT {WATCH_COLUMNS} FROM watches ORDER BY id LIMIT $1 OFFSET $2");
        on_pool!(self, pool => {
            sqlx::query(&pool.sql(&sql)?)
                .bind(limit.clamp(0, 10_000))
                .bind(offset.max(0))
                .fetch_all(pool)
                .await?
                .iter()
                .map(watch_from_row)
                .collect()
        })
    }

    async fn watch_summary(&self, now_ms: i64) -> Result<WatchSummary> {
        // The same precedence as `Watch::state`: paused, then snoozed, else active.
        // COUNT over CASE (not SUM) so every back end answers a BIGINT (MySQL's SUM is DECIMAL).
        let sql = "SELECT COUNT(*), COUNT(CASE WHEN paused_until_ms > $1 THEN 1 END), \
             COUNT(CASE WHEN (paused_until_ms IS NULL OR paused_until_ms <= $2) AND snooze_until_ms > $3 THEN 1 END), \
             MIN(last_run_ms) FROM watches";
        let (total, paused, snoozed, oldest): (i64, i64, i64, Option<i64>) = on_pool!(self, pool => {
            let row = sqlx::query(&pool.sql(sql)?).bind(now_ms).bind(now_ms).bind(now_ms).fetch_one(pool).await?;
            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?)
        });
        Ok(WatchSummary { active: total - paused - snoozed, snoozed, paused, oldest_run_ms: oldest })
    }

    async fn remove_watch(&self, id: i64) -> Result<bool> {
        Ok(
            on_pool!(self, pool => sqlx::query(&pool.sql("DELETE FROM watches WHERE id = $1")?).bind(id).execute(pool).await?.rows_affected())
                > 0,
        )
    }

    async fn replace_watch(&self, id: i64, watch: &NewWatch, now_ms: i64) -> Result<bool> {
        let rules = watch.checked_rules()?;
        let changed = on_pool!(self, pool => {
            sqlx::query(&pool.sql("UPDATE watches SET offer_id = $1, keyword = $2, interval_secs = $3, rules = $4, max_per_day = $5, \
                 next_due_ms = $6, failures = 0, paused_until_ms = NULL, last_error = NULL WHERE id = $7")?,
            )
            .bind(watch.offer_id)
            .bind(watch.keyword.clone())
            .bind(watch.interval_secs)
            .bind(rules)
            .bind(watch.max_per_day)
            .bind(now_ms)
            .bind(id)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(changed > 0)
    }

    async fn snooze(&self, id: i64, until_ms: i64) -> Result<bool> {
        Ok(on_pool!(self, pool => sqlx::query(&pool.sql("UPDATE watches SET snooze_until_ms = $1 WHERE id = $2")?)
            .bind(until_ms)
            .bind(id)
            .execute(pool)
            .await?
            .rows_affected())
            > 0)
    }

    async fn claim_due(&self, worker: &str, now_ms: i64, lease_ms: i64, limit: i64) -> Result<Vec<Watch>> {
        // Select, mark and read back in one write transaction. Concurrent monitors skip the rows
        // another one is claiming (each due watch runs once per cycle): see `Dialect::skip_locked`.
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let due = format!(
                "SELECT id FROM watches WHERE next_due_ms <= $1 AND (claimed_ms IS NULL OR claimed_ms < $2) \
                 ORDER BY next_due_ms, id LIMIT $3{}",
                pool.skip_locked()
            );
            let ids: Vec<i64> =
                sqlx::query_scalar(&pool.sql(&due)?).bind(now_ms).bind(now_ms - lease_ms).bind(limit).fetch_all(&mut *tx).await?;
            if ids.is_empty() {
                tx.commit().await?;
                return Ok(Vec::new());
            }
            let mut claim = sqlx::QueryBuilder::new("UPDATE watches SET claimed_by = ");
            claim.push_bind(worker).push(", claimed_ms = ").push_bind(now_ms).push(" WHERE id IN (");
            let mut list = claim.separated(", ");
            for id in &ids {
                list.push_bind(*id);
            }
            claim.push(")").build().execute(&mut *tx).await?;
            let mut read = sqlx::QueryBuilder::new(format!("SELECT {WATCH_COLUMNS} FROM watches WHERE id IN ("));
            let mut list = read.separated(", ");
            for id in &ids {
                list.push_bind(*id);
            }
            read.push(") ORDER BY next_due_ms, id");
            let rows = read.build().fetch_all(&mut *tx).await?;
            tx.commit().await?;
            rows.iter().map(watch_from_row).collect()
        })
    }

    async fn finish(
        &self,
        id: i64,
        worker: &str,
        error: Option<&str>,
        now_ms: i64,
        policy: &FailurePolicy,
    ) -> Result<Option<Finished>> {
        // A message is kept short: it is shown beside the watch, not a log.
        let error: Option<String> = error.map(|e| e.chars().take(500).collect());
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let row: Option<(i64, i64, Option<String>)> =
                sqlx::query_as(&pool.sql("SELECT interval_secs, failures, claimed_by FROM watches WHERE id = $1")?)
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let Some((interval_secs, failures, claimed_by)) = row else {
                tx.commit().await?;
                return Ok(None);
            };
            if claimed_by.is_some_and(|holder| holder != worker) {
                tx.commit().await?;
                return Ok(None);
            }
            let finished = policy.schedule(interval_secs, if error.is_none() { 0 } else { failures + 1 }, now_ms);
            sqlx::query(&pool.sql("UPDATE watches SET failures = $1, last_run_ms = $2, next_due_ms = $3, paused_until_ms = $4, last_error = $5, claimed_by = NULL, claimed_ms = NULL WHERE id = $6")?,
            )
            .bind(finished.failures)
            .bind(now_ms)
            .bind(finished.next_due_ms)
            .bind(finished.paused.then_some(finished.next_due_ms))
            .bind(error.clone())
            .bind(id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(Some(finished))
        })
    }

    async fn renew_claims(&self, worker: &str, now_ms: i64) -> Result<u64> {
        Ok(on_pool!(self, pool => {
            sqlx::query(&pool.sql("UPDATE watches SET claimed_ms = $1 WHERE claimed_by = $2 AND claimed_ms < $3")?)
                .bind(now_ms)
                .bind(worker)
                .bind(now_ms)
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }

    async fn save_alerts(&self, watch_id: i64, alerts: &[Alert], channels: &[&str], now_ms: i64) -> Result<Vec<Alert>> {
        crate::outbox::save_alerts(&self.db, watch_id, alerts, channels, now_ms).await
    }

    async fn claim_deliveries(
        &self,
        worker: &str,
        channels: &[&str],
        now_ms: i64,
        lease_ms: i64,
        limit: i64,
    ) -> Result<Vec<Delivery>> {
        crate::outbox::claim_deliveries(&self.db, worker, channels, now_ms, lease_ms, limit).await
    }

    async fn delivered(&self, row: i64, now_ms: i64) -> Result<()> {
        crate::outbox::delivered(&self.db, row, now_ms).await
    }

    async fn delivery_failed(&self, row: i64, error: &str, next_attempt_ms: i64) -> Result<()> {
        crate::outbox::delivery_failed(&self.db, row, error, next_attempt_ms).await
    }

    async fn pending_deliveries(&self) -> Result<u64> {
        crate::outbox::pending(&self.db).await
    }

    async fn alerts(&self, watch_id: i64, since_ms: i64) -> Result<Vec<Alert>> {
        let rows: Vec<(i64, i64, String, String, Option<String>)> = on_pool!(self, pool => {
            sqlx::query_as(&pool.sql("SELECT offer_id, at_ms, rule, message, event FROM alerts WHERE watch_id = $1 AND at_ms >= $2 ORDER BY at_ms, id")?)
                .bind(watch_id)
                .bind(since_ms)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter()
            .map(|(offer_id, at_ms, rule, message, event)| {
                let at = chrono::DateTime::from_timestamp_millis(at_ms)
                    .ok_or_else(|| StoreError::Corrupt(format!("alert time {at_ms} is out of range")))?;
                Ok(Alert { offer_id, at, rule, message, order_id: None, event: crate::outbox::event_from(event) })
            })
            .collect()
    }

    async fn alerts_since(&self, watch_id: i64, since_ms: i64) -> Result<u64> {
        let n: i64 = on_pool!(self, pool => sqlx::query_scalar(&pool.sql("SELECT COUNT(*) FROM alerts WHERE watch_id = $1 AND at_ms >= $2")?)
            .bind(watch_id)
            .bind(since_ms)
            .fetch_one(pool)
            .await?);
        Ok(n.max(0) as u64)
    }
}
