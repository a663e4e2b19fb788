//! Suppliers' full profiles, kept by seller open id with the moment they were read: the one
//! source every surface scores a supplier from while the profile is fresh.

use serde::{Deserialize, Serialize};
use sourcing::Supplier;

use crate::dialect::Dialect;
use crate::error::Result;
use crate::on_pool;
use crate::pool::SqlStore;

/// A supplier's profile as read from the platform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SupplierProfile {
    /// The seller's open id.
    pub open_id: String,
    /// Every signal the platform gave for the supplier.
    pub supplier: Supplier,
    /// When it was read (epoch ms).
    pub fetched_ms: i64,
}

impl SqlStore {
    /// The profile kept for `open_id`, however old (the caller judges freshness).
    pub async fn supplier_profile(&self, open_id: &str) -> Result<Option<SupplierProfile>> {
        let row: Option<(String, i64)> = on_pool!(self, pool => {
            sqlx::query_as(&pool.sql("SELECT profile, fetched_ms FROM supplier_profiles WHERE open_id = $1")?)
                .bind(open_id)
                .fetch_optional(pool)
                .await?
        });
        let Some((profile, fetched_ms)) = row else { return Ok(None) };
        // A profile written by an older version that no longer reads is as good as none: the
        // caller reads the supplier again and replaces it.
        Ok(serde_json::from_str(&profile).ok().map(|supplier| SupplierProfile {
            open_id: open_id.to_owned(),
            supplier,
            fetched_ms,
        }))
    }

    /// Keeps `profile`, replacing the one kept for its open id.
    pub async fn save_supplier_profile(&self, profile: &SupplierProfile) -> Result<()> {
        let json = serde_json::to_string(&profile.supplier)
            .map_err(|e| crate::error::StoreError::Corrupt(format!("supplier profile: {e}")))?;
        on_pool!(self, pool => {
            sqlx::query(&pool.sql("INSERT INTO supplier_profiles (open_id, profile, fetched_ms) VALUES ($1, $2, $3) \
                 ON CONFLICT (open_id) DO UPDATE SET profile = excluded.profile, fetched_ms = excluded.fetched_ms")?)
                .bind(&profile.open_id)
                .bind(json)
                .bind(profile.fetched_ms)
                .execute(pool)
                .await?;
        });
        Ok(())
    }
}
