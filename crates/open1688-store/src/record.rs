//! Recording one fetch of an offer: its latest state (normalized, and as the gateway sent it),
//! its supplier with the score it was given, the snapshot, and the changes since the previous
//! snapshot, all in one transaction. A repeat of the same offer and moment records nothing new.

use rust_decimal::Decimal;
use serde::Serialize;
use sourcing::{Offer, Supplier};

use crate::dialect::Dialect;
use crate::error::{Result, StoreError};
use crate::history::point_line;
use crate::money::MoneyArg;
use crate::pool::{Backend, BeginWrite};
use crate::snapshot::{Change, Snapshot, detect};

/// What recording a snapshot did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// Changes since the previous snapshot (empty for the first, or a repeat).
    pub changes: Vec<Change>,
    /// Whether the snapshot was new (a repeat of the same offer and moment is ignored).
    pub inserted: bool,
}

pub(crate) fn snapshot_from(data: &str) -> Result<Snapshot> {
    serde_json::from_str(data).map_err(|e| StoreError::Corrupt(format!("snapshot: {e}")))
}

/// What one fetch of an offer saw.
#[derive(Debug, Clone, Copy)]
pub struct Observation<'a> {
    /// The normalized offer.
    pub offer: &'a Offer,
    /// Its snapshot (with the supplier's score, when scored).
    pub snapshot: &'a Snapshot,
    /// The gateway's answer as JSON, kept beside the normalized offer.
    pub raw: Option<&'a str>,
    /// The supplier as the fetch described it.
    pub supplier: Option<&'a Supplier>,
}

impl<'a> Observation<'a> {
    /// An offer and its snapshot.
    pub fn new(offer: &'a Offer, snapshot: &'a Snapshot) -> Self {
        Self { offer, snapshot, raw: None, supplier: None }
    }

    /// With the gateway's answer.
    pub fn raw(mut self, raw: &'a str) -> Self {
        self.raw = Some(raw);
        self
    }

    /// With the supplier.
    pub fn supplier(mut self, supplier: &'a Supplier) -> Self {
        self.supplier = Some(supplier);
        self
    }
}

/// A supplier as last recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StoredSupplier {
    /// `sourcing::supplier_key`: the seller open id, else the company name.
    pub key: String,
    /// The normalized supplier.
    pub supplier: Supplier,
    /// The score it was given (0–100), if scored.
    pub score: Option<Decimal>,
    /// When (epoch ms).
    pub updated_ms: i64,
}

/// An offer as last recorded.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StoredOffer {
    /// The normalized offer.
    pub offer: Offer,
    /// The gateway's answer as JSON, when it was kept.
    pub raw: Option<String>,
    /// When (epoch ms).
    pub updated_ms: i64,
}

fn json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(crate) async fn record(db: &Backend, seen: &Observation<'_>) -> Result<Recorded> {
    let (offer, snapshot) = (seen.offer, seen.snapshot);
    let offer_json = json(offer)?;
    let snap_json = json(snapshot)?;
    let supplier_json = seen.supplier.map(json).transpose()?;
    let at = snapshot.at.timestamp_millis();
    crate::on_pool!(backend db, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query(&pool.sql("INSERT INTO offers (offer_id, title, supplier, data, raw, updated_ms) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (offer_id) DO UPDATE SET title = excluded.title, supplier = excluded.supplier, \
             data = excluded.data, raw = coalesce(excluded.raw, offers.raw), updated_ms = excluded.updated_ms")?,
        )
        .bind(offer.id)
        .bind(&offer.title)
        .bind(offer.supplier.company.clone())
        .bind(&offer_json)
        .bind(seen.raw)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        if let (Some(supplier), Some(data)) = (seen.supplier, &supplier_json) {
            sqlx::query(&pool.sql("INSERT INTO suppliers (supplier_key, company, score, data, updated_ms) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (supplier_key) DO UPDATE SET company = excluded.company, score = excluded.score, \
                 data = excluded.data, updated_ms = excluded.updated_ms")?,
            )
            .bind(sourcing::plan::supplier_key(offer))
            .bind(supplier.company.clone())
            .bind(snapshot.supplier_score.map(MoneyArg))
            .bind(data)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        let previous: Option<String> =
            sqlx::query_scalar(&pool.sql("SELECT data FROM snapshots WHERE offer_id = $1 AND at_ms < $2 ORDER BY at_ms DESC LIMIT 1")?)
                .bind(offer.id)
                .bind(at)
                .fetch_optional(&mut *tx)
                .await?;
        let inserted: Option<i64> = sqlx::query_scalar(&pool.sql("INSERT INTO snapshots (offer_id, at_ms, stock, moq, status, data, point) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (offer_id, at_ms) DO NOTHING RETURNING id")?,
        )
        .bind(offer.id)
        .bind(at)
        .bind(snapshot.stock)
        .bind(snapshot.moq)
        .bind(snapshot.status.clone())
        .bind(&snap_json)
        .bind(point_line(snapshot))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(snapshot_id) = inserted else {
            tx.commit().await?;
            return Ok(Recorded { changes: Vec::new(), inserted: false });
        };
        for (start, price) in &snapshot.tiers {
            sqlx::query(&pool.sql("INSERT INTO snapshot_tiers (snapshot_id, start_quantity, unit_price) VALUES ($1, $2, $3)")?)
                .bind(snapshot_id)
                .bind(*start)
                .bind(MoneyArg(*price))
                .execute(&mut *tx)
                .await?;
        }
        let changes = match previous {
            Some(data) => detect(&snapshot_from(&data)?, snapshot),
            None => Vec::new(),
        };
        for change in &changes {
            let data = serde_json::to_value(change).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let kind = data["kind"].as_str().unwrap_or_default().to_owned();
            sqlx::query(&pool.sql("INSERT INTO events (offer_id, at_ms, kind, data) VALUES ($1, $2, $3, $4)")?)
                .bind(offer.id)
                .bind(at)
                .bind(kind)
                .bind(data.to_string())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(Recorded { changes, inserted: true })
    })
}

pub(crate) async fn supplier(db: &Backend, key: &str) -> Result<Option<StoredSupplier>> {
    // The score is read as text on every database (NUMERIC in PostgreSQL, DECIMAL in MySQL) and
    // parsed exactly.
    let row: Option<(String, Option<String>, i64)> = match db {
        Backend::Sqlite(pool) => {
            sqlx::query_as(&pool.sql("SELECT data, score, updated_ms FROM suppliers WHERE supplier_key = $1")?)
                .bind(key)
                .fetch_optional(pool)
                .await?
        }
        #[cfg(feature = "postgres")]
        Backend::Postgres(pool) => {
            sqlx::query_as(&pool.sql("SELECT data, score::TEXT, updated_ms FROM suppliers WHERE supplier_key = $1")?)
                .bind(key)
                .fetch_optional(pool)
                .await?
        }
        #[cfg(feature = "mysql")]
        Backend::MySql(pool) => {
            sqlx::query_as(
                &pool.sql("SELECT data, CAST(score AS CHAR), updated_ms FROM suppliers WHERE supplier_key = $1")?,
            )
            .bind(key)
            .fetch_optional(pool)
            .await?
        }
    };
    let Some((data, score, updated_ms)) = row else { return Ok(None) };
    let supplier = serde_json::from_str(&data).map_err(|e| StoreError::Corrupt(format!("supplier {key}: {e}")))?;
    let mut score = score
        .map(|s| s.parse::<Decimal>().map_err(|e| StoreError::Corrupt(format!("supplier {key} score {s:?}: {e}"))))
        .transpose()?;
    // MySQL's DECIMAL has a fixed scale: 87.25 comes back as 87.2500. The zeros are the column's.
    #[cfg(feature = "mysql")]
    if matches!(db, Backend::MySql(_)) {
        score = score.map(|s| s.normalize());
    }
    Ok(Some(StoredSupplier { key: key.to_owned(), supplier, score, updated_ms }))
}

pub(crate) async fn offer(db: &Backend, offer_id: i64) -> Result<Option<StoredOffer>> {
    let row: Option<(String, Option<String>, i64)> = crate::on_pool!(backend db, pool => {
        sqlx::query_as(&pool.sql("SELECT data, raw, updated_ms FROM offers WHERE offer_id = $1")?)
            .bind(offer_id)
            .fetch_optional(pool)
            .await?
    });
    let Some((data, raw, updated_ms)) = row else { return Ok(None) };
    let offer = serde_json::from_str(&data).map_err(|e| StoreError::Corrupt(format!("offer {offer_id}: {e}")))?;
    Ok(Some(StoredOffer { offer, raw, updated_ms }))
}
