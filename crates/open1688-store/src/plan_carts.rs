//! Each key's purchase plan in the making (the dashboard's "plan cart"): the offers, SKUs and
//! quantities a person picked from answers, comparisons and offer pages, kept in the store so
//! any instance shows the same cart and a restart loses nothing.
//!
//! A line is one offer and SKU; adding the same one again sets its quantity (an answer's
//! quantity is a decision, not an increment). A cart holds at most [`MAX_CART_LINES`] lines.

use serde::Serialize;

use crate::dialect::Dialect;
use crate::error::{Result, StoreError};
use crate::on_pool;
use crate::pool::SqlStore;

/// The most lines one key's cart holds: a ceiling on what one person can make every plan
/// request cost (each line is an offer read when the plan is priced).
pub const MAX_CART_LINES: usize = 50;

/// The SKU column's value for a line without a SKU: primary keys hold no NULL, and no SKU id is 0.
const NO_SKU: i64 = 0;

/// One line of a cart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CartLine {
    /// The offer.
    pub offer_id: i64,
    /// The SKU, when the offer has them.
    pub sku_id: Option<i64>,
    /// How many units.
    pub quantity: i64,
    /// When it was added or last changed (epoch ms).
    pub added_ms: i64,
}

/// What adding a line did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CartAdd {
    /// A new line.
    Added,
    /// The offer and SKU were in the cart: their quantity is now the one given.
    Replaced,
    /// The cart holds [`MAX_CART_LINES`] lines already: nothing changed.
    Full,
}

fn sku_column(sku_id: Option<i64>) -> i64 {
    sku_id.unwrap_or(NO_SKU)
}

fn check(offer_id: i64, sku_id: Option<i64>, quantity: i64) -> Result<()> {
    if offer_id <= 0 {
        return Err(StoreError::Invalid(format!("offer id must be positive, got {offer_id}")));
    }
    if let Some(sku) = sku_id.filter(|s| *s <= 0) {
        return Err(StoreError::Invalid(format!("SKU id must be positive, got {sku}")));
    }
    if quantity <= 0 {
        return Err(StoreError::Invalid(format!("quantity must be at least 1, got {quantity}")));
    }
    Ok(())
}

impl SqlStore {
    /// The cart of key `key_id`, oldest line first.
    pub async fn cart(&self, key_id: i64) -> Result<Vec<CartLine>> {
        let rows: Vec<(i64, i64, i64, i64)> = on_pool!(self, pool => {
            sqlx::query_as(&pool.sql("SELECT offer_id, sku_id, quantity, added_ms FROM plan_cart_lines \
                 WHERE key_id = $1 ORDER BY added_ms, offer_id, sku_id")?)
                .bind(key_id)
                .fetch_all(pool)
                .await?
        });
        Ok(rows
            .into_iter()
            .map(|(offer_id, sku, quantity, added_ms)| CartLine {
                offer_id,
                sku_id: (sku != NO_SKU).then_some(sku),
                quantity,
                added_ms,
            })
            .collect())
    }

    /// Adds `quantity` of `offer_id` (and `sku_id`) to key `key_id`'s cart, or sets the quantity
    /// of the line already there.
    pub async fn add_to_cart(
        &self,
        key_id: i64,
        offer_id: i64,
        sku_id: Option<i64>,
        quantity: i64,
        now_ms: i64,
    ) -> Result<CartAdd> {
        check(offer_id, sku_id, quantity)?;
        let sku = sku_column(sku_id);
        if self.update_cart_quantity(key_id, offer_id, sku, quantity).await? > 0 {
            return Ok(CartAdd::Replaced);
        }
        // Two adds at the same moment may both see room for one more line; a cart one or two
        // lines over the ceiling is harmless, and the ceiling holds for every later add.
        let (lines,): (i64,) = on_pool!(self, pool => {
            sqlx::query_as(&pool.sql("SELECT COUNT(*) FROM plan_cart_lines WHERE key_id = $1")?)
                .bind(key_id)
                .fetch_one(pool)
                .await?
        });
        if usize::try_from(lines).unwrap_or(usize::MAX) >= MAX_CART_LINES {
            return Ok(CartAdd::Full);
        }
        on_pool!(self, pool => {
            sqlx::query(&pool.sql("INSERT INTO plan_cart_lines (key_id, offer_id, sku_id, quantity, added_ms) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key_id, offer_id, sku_id) DO UPDATE SET quantity = excluded.quantity")?)
                .bind(key_id)
                .bind(offer_id)
                .bind(sku)
                .bind(quantity)
                .bind(now_ms)
                .execute(pool)
                .await?;
        });
        Ok(CartAdd::Added)
    }

    /// Sets the quantity of a line of key `key_id`'s cart; `false` when there is no such line.
    pub async fn set_cart_quantity(
        &self,
        key_id: i64,
        offer_id: i64,
        sku_id: Option<i64>,
        quantity: i64,
    ) -> Result<bool> {
        check(offer_id, sku_id, quantity)?;
        let changed = self.update_cart_quantity(key_id, offer_id, sku_column(sku_id), quantity).await?;
        // MySQL counts a row set to the value it had as unchanged: ask whether the line exists.
        if changed > 0 {
            return Ok(true);
        }
        Ok(self.cart(key_id).await?.iter().any(|l| l.offer_id == offer_id && l.sku_id == sku_id))
    }

    /// Sets the quantity of the line of `offer_id` and the SKU column's value `sku`; how many
    /// rows the database counts as changed.
    async fn update_cart_quantity(&self, key_id: i64, offer_id: i64, sku: i64, quantity: i64) -> Result<u64> {
        Ok(on_pool!(self, pool => {
            sqlx::query(&pool.sql("UPDATE plan_cart_lines SET quantity = $1 \
                 WHERE key_id = $2 AND offer_id = $3 AND sku_id = $4")?)
                .bind(quantity)
                .bind(key_id)
                .bind(offer_id)
                .bind(sku)
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }

    /// Removes a line from key `key_id`'s cart; `false` when there was none.
    pub async fn remove_from_cart(&self, key_id: i64, offer_id: i64, sku_id: Option<i64>) -> Result<bool> {
        let removed = on_pool!(self, pool => {
            sqlx::query(&pool.sql("DELETE FROM plan_cart_lines WHERE key_id = $1 AND offer_id = $2 AND sku_id = $3")?)
                .bind(key_id)
                .bind(offer_id)
                .bind(sku_column(sku_id))
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(removed > 0)
    }

    /// Empties key `key_id`'s cart; how many lines it held.
    pub async fn clear_cart(&self, key_id: i64) -> Result<u64> {
        Ok(on_pool!(self, pool => {
            sqlx::query(&pool.sql("DELETE FROM plan_cart_lines WHERE key_id = $1")?)
                .bind(key_id)
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }
}
