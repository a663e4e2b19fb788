//! The connection pool behind [`SqlStore`]: SQLite by default (a file, WAL, busy timeout),
//! PostgreSQL or MySQL/MariaDB (by URL), migrations applied on open, and write transactions that
//! take their lock up front.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
#[cfg(feature = "mysql")]
use sqlx::mysql::{MySqlConnectOptions, MySqlPool, MySqlPoolOptions};
#[cfg(feature = "postgres")]
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

use crate::error::{Result, StoreError};

pub(crate) enum Backend {
    Sqlite(SqlitePool),
    #[cfg(feature = "postgres")]
    Postgres(PgPool),
    #[cfg(feature = "mysql")]
    MySql(MySqlPool),
}

/// The store on SQLite, PostgreSQL or MySQL/MariaDB.
pub struct SqlStore {
    pub(crate) db: Backend,
}

impl std::fmt::Debug for SqlStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self.db {
            Backend::Sqlite(_) => "SqlStore(sqlite)",
            #[cfg(feature = "postgres")]
            Backend::Postgres(_) => "SqlStore(postgres)",
            #[cfg(feature = "mysql")]
            Backend::MySql(_) => "SqlStore(mysql)",
        })
    }
}

/// Runs the same body against whichever pool the store has.
#[macro_export]
#[doc(hidden)]
macro_rules! on_pool {
    (backend $db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::pool::Backend::Sqlite($pool) => $body,
            #[cfg(feature = "postgres")]
            $crate::pool::Backend::Postgres($pool) => $body,
            #[cfg(feature = "mysql")]
            $crate::pool::Backend::MySql($pool) => $body,
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

#[cfg(feature = "postgres")]
#[async_trait]
impl BeginWrite for PgPool {
    type Db = sqlx::Postgres;
    async fn begin_write(&self) -> std::result::Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.begin().await
    }
}

#[cfg(feature = "mysql")]
#[async_trait]
impl BeginWrite for MySqlPool {
    type Db = sqlx::MySql;
    async fn begin_write(&self) -> std::result::Result<sqlx::Transaction<'static, sqlx::MySql>, sqlx::Error> {
        self.begin().await
    }
}

/// Decides whether a SQLite connection handed back to the pool may be reused: not when it is
/// still inside a transaction nobody owns. sqlx's SQLite `BEGIN` is not cancellation-safe: a
/// future dropped after the worker ran `BEGIN IMMEDIATE` and acknowledged it, but before the
/// acknowledgement was read (an aborted task, a request past its deadline), leaves the connection
/// in a transaction with no `Transaction` to roll it back. Pooled again, it would hold the write
/// lock (every other writer: "database is locked") and refuse every later `BEGIN IMMEDIATE`.
/// Closing it rolls the transaction back. The ping first lets the worker run rollbacks already
/// queued by dropped `Transaction`s, so a properly abandoned transaction does not cost a reconnect.
async fn release_outside_transaction(conn: &mut sqlx::SqliteConnection) -> std::result::Result<bool, sqlx::Error> {
    use sqlx::Connection;
    conn.ping().await?;
    let orphaned = conn.is_in_transaction();
    if orphaned {
        tracing::warn!("closing a SQLite connection left inside a cancelled transaction");
    }
    Ok(!orphaned)
}

impl SqlStore {
    /// Whether several machines can share this store (PostgreSQL or MySQL, not a SQLite file):
    /// then several services may run on it, and what they pace must be shared too.
    pub fn is_shared(&self) -> bool {
        !matches!(self.db, Backend::Sqlite(_))
    }

    /// Opens `sqlite://path` (created if missing), `postgres://…` or `mysql://…` (MariaDB too;
    /// `mariadb://…` is read as `mysql://…`), and migrates.
    pub async fn open(url: &str) -> Result<Self> {
        if let Some(rest) = url.strip_prefix("mysql://").or_else(|| url.strip_prefix("mariadb://")) {
            #[cfg(feature = "mysql")]
            {
                Self::open_mysql(&format!("mysql://{rest}")).await
            }
            #[cfg(not(feature = "mysql"))]
            {
                let _ = rest;
                Err(StoreError::Url("mysql://… (this build has no MySQL: enable the `mysql` feature)".into()))
            }
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            #[cfg(feature = "postgres")]
            {
                let pool = PgPoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await?;
                sqlx::migrate!("./migrations/postgres").run(&pool).await?;
                Ok(Self { db: Backend::Postgres(pool) })
            }
            #[cfg(not(feature = "postgres"))]
            Err(StoreError::Url("postgres://… (this build has no PostgreSQL: enable the `postgres` feature)".into()))
        } else if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            let options = SqliteConnectOptions::from_str(&format!("sqlite://{path}"))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // With WAL, NORMAL keeps the database consistent across crashes (the last
                // transactions may roll back) at a fraction of FULL's fsyncs.
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true);
            let pool = SqlitePoolOptions::new()
                .max_connections(4)
                .after_release(|conn, _| Box::pin(release_outside_transaction(conn)))
                .connect_with(options)
                .await?;
            sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
            Ok(Self { db: Backend::Sqlite(pool) })
        } else {
            Err(StoreError::Url(crate::error::redact_url(url)))
        }
    }

    /// MySQL/MariaDB: utf8mb4; `ANSI_QUOTES`, so the shared statements' `"key"` is an identifier
    /// (see [`crate::dialect`]); and READ COMMITTED, PostgreSQL's level, under which claims with
    /// `SKIP LOCKED` do not deadlock on InnoDB's gap locks as they do under REPEATABLE READ.
    #[cfg(feature = "mysql")]
    async fn open_mysql(url: &str) -> Result<Self> {
        let options = MySqlConnectOptions::from_str(url)?.charset("utf8mb4");
        let pool = MySqlPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(|conn, _| {
                Box::pin(async move {
                    sqlx::query("SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')")
                        .execute(&mut *conn)
                        .await?;
                    sqlx::query("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED").execute(&mut *conn).await?;
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/mysql").run(&pool).await?;
        Ok(Self { db: Backend::MySql(pool) })
    }
}

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    use super::*;

    /// Polls a `BEGIN IMMEDIATE` a few times, lets the worker answer, then drops it unread: for one
    /// of the poll counts the worker has acknowledged the `BEGIN` that nobody will roll back.
    async fn abandon_begin(pool: &SqlitePool, polls: usize) {
        let mut begin = pin!(pool.begin_write());
        let mut cx = Context::from_waker(Waker::noop());
        for _ in 0..polls {
            if let Poll::Ready(tx) = begin.as_mut().poll(&mut cx) {
                drop(tx);
                return;
            }
            tokio::time::sleep(Duration::from_millis(15)).await;
        }
    }

    #[tokio::test]
    async fn a_cancelled_begin_never_leaves_the_pool_locked() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("store.db").display());
        let store = SqlStore::open(&url).await.unwrap();
        let Backend::Sqlite(pool) = &store.db else { unreachable!("a sqlite URL opens SQLite") };
        for polls in 1..=8 {
            abandon_begin(pool, polls).await;
            // Every connection of the pool must still begin, write and commit.
            let mut held = Vec::new();
            for _ in 0..4 {
                let mut tx = tokio::time::timeout(Duration::from_secs(5), pool.begin_write())
                    .await
                    .expect("a write transaction starts while no other is open")
                    .unwrap_or_else(|e| panic!("after abandoning a BEGIN at poll {polls}: {e}"));
                sqlx::query("CREATE TABLE IF NOT EXISTS probe (n INTEGER)").execute(&mut *tx).await.unwrap();
                tx.commit().await.unwrap();
                held.push(pool.acquire().await.unwrap());
            }
        }
    }
}
