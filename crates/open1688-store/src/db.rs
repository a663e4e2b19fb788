//! The SQL store: SQLite by default (a file, WAL, busy timeout) or PostgreSQL (by URL), with
//! migrations applied on open and every write in a transaction. The same statements run on both
//! (`$n` placeholders, epoch-millisecond times); only money differs: NUMERIC in PostgreSQL, exact
//! decimal TEXT in SQLite.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

use crate::alerts::{Alert, AlertRule};
use crate::failure::{FailurePolicy, Finished};
use crate::history::{HistoryPoint, point_line};
use crate::jobs::JobStore;
use crate::record::{Observation, StoredOffer, StoredSupplier};
use crate::snapshot::{Change, Snapshot};

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or failed (retrying may help when it is a connection problem).
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Migrations could not be applied.
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Stored data could not be read back.
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    /// A watch to add makes no sense (says which part); fix the input, a retry will not help.
    #[error("invalid watch: {0}")]
    InvalidWatch(String),
    /// The URL names no supported database.
    #[error("unsupported database URL {0:?} (use sqlite://… or postgres://…)")]
    Url(String),
}

/// Result of the store.
pub type Result<T> = std::result::Result<T, StoreError>;

/// A watch: an offer (or a keyword) checked on an interval with alert rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Watch {
    /// Id.
    pub id: i64,
    /// The offer watched.
    pub offer_id: Option<i64>,
    /// Or a keyword search watched.
    pub keyword: Option<String>,
    /// Seconds between checks.
    pub interval_secs: i64,
    /// Alert rules.
    pub rules: Vec<AlertRule>,
    /// No alerts before this moment (epoch ms).
    pub snooze_until_ms: Option<i64>,
    /// At most this many alerts a day.
    pub max_per_day: Option<i64>,
    /// Next check (epoch ms).
    pub next_due_ms: i64,
    /// Last check (epoch ms).
    pub last_run_ms: Option<i64>,
    /// Failures in a row.
    pub failures: i64,
}

/// A watch to create.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewWatch {
    /// The offer.
    pub offer_id: Option<i64>,
    /// Or a keyword.
    pub keyword: Option<String>,
    /// Seconds between checks.
    pub interval_secs: i64,
    /// Alert rules.
    pub rules: Vec<AlertRule>,
    /// At most this many alerts a day.
    pub max_per_day: Option<i64>,
}

impl NewWatch {
    /// Checks the watch names exactly one target and rules that fit it.
    pub fn validate(&self) -> Result<()> {
        let keyword = match (&self.offer_id, &self.keyword) {
            (Some(_), None) => false,
            (None, Some(k)) if !k.trim().is_empty() => true,
            (None, Some(_)) => return Err(StoreError::InvalidWatch("the keyword is empty".into())),
            _ => return Err(StoreError::InvalidWatch("a watch needs either an offer id or a keyword".into())),
        };
        if self.interval_secs < 60 {
            return Err(StoreError::InvalidWatch(format!(
                "interval of {} s is below the 60 s minimum",
                self.interval_secs
            )));
        }
        for rule in &self.rules {
            if let Some(why) = rule.unsupported_for(keyword) {
                return Err(StoreError::InvalidWatch(format!("rule {} {why}", crate::alerts::rule_name(rule))));
            }
        }
        Ok(())
    }
}

/// What recording a snapshot did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// Changes since the previous snapshot (empty for the first, or a repeat).
    pub changes: Vec<Change>,
    /// Whether the snapshot was new (a repeat of the same offer and moment is ignored).
    pub inserted: bool,
}

/// Persistence for offers, history, watches and alerts.
#[async_trait]
pub trait Store: JobStore + Send + Sync {
    /// Saves what one fetch saw — the offer's latest state (normalized and as received), its
    /// supplier, the snapshot and the changes since the last one — in one transaction.
    async fn record(&self, seen: &Observation<'_>) -> Result<Recorded>;
    /// An offer as last recorded.
    async fn offer(&self, offer_id: i64) -> Result<Option<StoredOffer>>;
    /// A supplier as last recorded (by `sourcing::plan::supplier_key`).
    async fn supplier(&self, key: &str) -> Result<Option<StoredSupplier>>;
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
    /// Deletes a watch.
    async fn remove_watch(&self, id: i64) -> Result<bool>;
    /// Snoozes a watch's alerts until a moment.
    async fn snooze(&self, id: i64, until_ms: i64) -> Result<bool>;
    /// Claims up to `limit` due watches for `worker` (claims older than `lease_ms` are free again).
    async fn claim_due(&self, worker: &str, now_ms: i64, lease_ms: i64, limit: i64) -> Result<Vec<Watch>>;
    /// Ends a claimed check: success schedules the next one; repeated failure pauses the watch
    /// as `policy` says. `None` when the watch was removed meanwhile.
    async fn finish(&self, id: i64, ok: bool, now_ms: i64, policy: &FailurePolicy) -> Result<Option<Finished>>;
    /// Stores alerts (a repeat of the same alert is ignored); returns how many were new.
    async fn save_alerts(&self, watch_id: i64, alerts: &[Alert]) -> Result<u64>;
    /// Alerts of a watch since a moment.
    async fn alerts_since(&self, watch_id: i64, since_ms: i64) -> Result<u64>;
}

pub(crate) enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The store on SQLite or PostgreSQL.
pub struct SqlStore {
    pub(crate) db: Backend,
}

impl std::fmt::Debug for SqlStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.db {
            Backend::Sqlite(_) => "SqlStore(sqlite)",
            Backend::Postgres(_) => "SqlStore(postgres)",
        })
    }
}

/// Runs the same body against whichever pool the store has.
#[macro_export]
#[doc(hidden)]
macro_rules! on_pool {
    (backend $db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Backend::Sqlite($pool) => $body,
            $crate::db::Backend::Postgres($pool) => $body,
        }
    };
    ($self:ident, $pool:ident => $body:expr) => {
        $crate::on_pool!(backend &$self.db, $pool => $body)
    };
}

/// Opens a write transaction. SQLite's must take the write lock at BEGIN (`IMMEDIATE`): a
/// deferred transaction that reads first and writes later fails at once with "database is
/// locked" when another connection wrote in between, instead of waiting out the busy timeout.
#[async_trait]
pub(crate) trait BeginWrite {
    type Db: sqlx::Database;
    async fn begin_write(&self) -> std::result::Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>;
}

#[async_trait]
impl BeginWrite for SqlitePool {
    type Db = sqlx::Sqlite;
    async fn begin_write(&self) -> std::result::Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

#[async_trait]
impl BeginWrite for PgPool {
    type Db = sqlx::Postgres;
    async fn begin_write(&self) -> std::result::Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.begin().await
    }
}

impl SqlStore {
    /// Opens `sqlite://path` (created if missing) or `postgres://…`, and migrates.
    pub async fn open(url: &str) -> Result<Self> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool =
                PgPoolOptions::new().max_connections(8).acquire_timeout(Duration::from_secs(10)).connect(url).await?;
            sqlx::migrate!("./migrations/postgres").run(&pool).await?;
            Ok(Self { db: Backend::Postgres(pool) })
        } else if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            let options = SqliteConnectOptions::from_str(&format!("sqlite://{path}"))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // With WAL, NORMAL keeps the database consistent across crashes (the last
                // transactions may roll back) at a fraction of FULL's fsyncs.
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true);
            let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
            sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
            Ok(Self { db: Backend::Sqlite(pool) })
        } else {
            Err(StoreError::Url(url.to_owned()))
        }
    }
}

impl SqlStore {
    /// Saves an encrypted secret (nonce and ciphertext, base64) under a key.
    pub async fn save_sealed(&self, key: &str, nonce: &str, ciphertext: &str, now_ms: i64) -> Result<()> {
        on_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO tokens (app_key, nonce, ciphertext, updated_ms) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (app_key) DO UPDATE SET nonce = excluded.nonce, ciphertext = excluded.ciphertext, updated_ms = excluded.updated_ms",
            )
            .bind(key)
            .bind(nonce)
            .bind(ciphertext)
            .bind(now_ms)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(())
    }

    /// The encrypted secret under a key.
    pub async fn load_sealed(&self, key: &str) -> Result<Option<(String, String)>> {
        Ok(on_pool!(self, pool => {
            sqlx::query_as("SELECT nonce, ciphertext FROM tokens WHERE app_key = $1").bind(key).fetch_optional(pool).await?
        }))
    }

    /// Forgets the secret under a key.
    pub async fn clear_sealed(&self, key: &str) -> Result<()> {
        on_pool!(self, pool => sqlx::query("DELETE FROM tokens WHERE app_key = $1").bind(key).execute(pool).await?.rows_affected());
        Ok(())
    }
}

pub(crate) fn snapshot_from(data: &str) -> Result<Snapshot> {
    serde_json::from_str(data).map_err(|e| StoreError::Corrupt(format!("snapshot: {e}")))
}

fn watch_from_row<R: Row>(row: &R) -> Result<Watch>
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<i64>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> Option<String>: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let rules: String = row.try_get("rules")?;
    Ok(Watch {
        id: row.try_get("id")?,
        offer_id: row.try_get("offer_id")?,
        keyword: row.try_get("keyword")?,
        interval_secs: row.try_get("interval_secs")?,
        rules: serde_json::from_str(&rules).map_err(|e| StoreError::Corrupt(format!("watch rules: {e}")))?,
        snooze_until_ms: row.try_get("snooze_until_ms")?,
        max_per_day: row.try_get("max_per_day")?,
        next_due_ms: row.try_get("next_due_ms")?,
        last_run_ms: row.try_get("last_run_ms")?,
        failures: row.try_get("failures")?,
    })
}

const WATCH_COLUMNS: &str =
    "id, offer_id, keyword, interval_secs, rules, snooze_until_ms, max_per_day, next_due_ms, last_run_ms, failures";

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
                for (rows, json) in batch.chunks(500).zip(data.chunks(500)) {
                    let mut qb =
                        sqlx::QueryBuilder::new("INSERT INTO snapshots (offer_id, at_ms, stock, moq, status, data, point) ");
                    qb.push_values(rows.iter().zip(json), |mut b, (snap, data)| {
                        b.push_bind(snap.offer_id)
                            .push_bind(snap.at.timestamp_millis())
                            .push_bind(snap.stock)
                            .push_bind(snap.moq)
                            .push_bind(snap.status.clone())
                            .push_bind(data.clone())
                            .push_bind(point_line(snap));
                    });
                    qb.push(" ON CONFLICT (offer_id, at_ms) DO NOTHING");
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
            sqlx::query_scalar("SELECT data FROM snapshots WHERE offer_id = $1 AND at_ms >= $2 ORDER BY at_ms")
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
        watch.validate()?;
        let rules = serde_json::to_string(&watch.rules).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(on_pool!(self, pool => {
            sqlx::query_scalar(
                "INSERT INTO watches (offer_id, keyword, interval_secs, rules, max_per_day, next_due_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
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
            sqlx::query(&sql).fetch_all(pool).await?.iter().map(watch_from_row).collect()
        })
    }

    async fn remove_watch(&self, id: i64) -> Result<bool> {
        Ok(
            on_pool!(self, pool => sqlx::query("DELETE FROM watches WHERE id = $1").bind(id).execute(pool).await?.rows_affected())
                > 0,
        )
    }

    async fn snooze(&self, id: i64, until_ms: i64) -> Result<bool> {
        Ok(on_pool!(self, pool => sqlx::query("UPDATE watches SET snooze_until_ms = $1 WHERE id = $2")
            .bind(until_ms)
            .bind(id)
            .execute(pool)
            .await?
            .rows_affected())
            > 0)
    }

    async fn claim_due(&self, worker: &str, now_ms: i64, lease_ms: i64, limit: i64) -> Result<Vec<Watch>> {
        // PostgreSQL: concurrent monitors skip rows another one is claiming (each due watch runs
        // once per cycle). SQLite serializes writers, so the plain statement is already exclusive.
        let lock = match self.db {
            Backend::Postgres(_) => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite(_) => "",
        };
        let sql = format!(
            "UPDATE watches SET claimed_by = $1, claimed_ms = $2 WHERE id IN (\
               SELECT id FROM watches WHERE next_due_ms <= $2 AND (claimed_ms IS NULL OR claimed_ms < $3) \
               ORDER BY next_due_ms, id LIMIT $4{lock}) RETURNING {WATCH_COLUMNS}"
        );
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let rows = sqlx::query(&sql).bind(worker).bind(now_ms).bind(now_ms - lease_ms).bind(limit).fetch_all(&mut *tx).await?;
            tx.commit().await?;
            let mut watches: Vec<Watch> = rows.iter().map(watch_from_row).collect::<Result<_>>()?;
            watches.sort_by_key(|w| (w.next_due_ms, w.id));
            Ok(watches)
        })
    }

    async fn finish(&self, id: i64, ok: bool, now_ms: i64, policy: &FailurePolicy) -> Result<Option<Finished>> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let row: Option<(i64, i64)> = sqlx::query_as("SELECT interval_secs, failures FROM watches WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some((interval_secs, failures)) = row else {
                tx.commit().await?;
                return Ok(None);
            };
            let finished = policy.schedule(interval_secs, if ok { 0 } else { failures + 1 }, now_ms);
            sqlx::query(
                "UPDATE watches SET failures = $1, last_run_ms = $2, next_due_ms = $3, claimed_by = NULL, claimed_ms = NULL WHERE id = $4",
            )
            .bind(finished.failures)
            .bind(now_ms)
            .bind(finished.next_due_ms)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(Some(finished))
        })
    }

    async fn save_alerts(&self, watch_id: i64, alerts: &[Alert]) -> Result<u64> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let mut added = 0;
            for a in alerts {
                added += sqlx::query(
                    "INSERT INTO alerts (watch_id, offer_id, at_ms, rule, message) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (watch_id, offer_id, at_ms, rule) DO NOTHING",
                )
                .bind(watch_id)
                .bind(a.offer_id)
                .bind(a.at.timestamp_millis())
                .bind(&a.rule)
                .bind(&a.message)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
            tx.commit().await?;
            Ok(added)
        })
    }

    async fn alerts_since(&self, watch_id: i64, since_ms: i64) -> Result<u64> {
        let n: i64 = on_pool!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM alerts WHERE watch_id = $1 AND at_ms >= $2")
            .bind(watch_id)
            .bind(since_ms)
            .fetch_one(pool)
            .await?);
        Ok(n.max(0) as u64)
    }
}
