//! Platform message pushes as the store keeps them: each `msgId` once, with the message text
//! exactly as received; and the follow-up a product message asks for (the watches of the offers
//! it names fall due now, so the monitor reads them fresh).

use open1688::types::PushMessage;

use crate::dialect::Dialect;
use crate::error::Result;
use crate::on_pool;
use crate::pool::{BeginWrite, SqlStore};

impl SqlStore {
    /// Stores a push once; `false` when its `msgId` was stored before (a redelivery).
    pub async fn record_push(&self, push: &PushMessage, now_ms: i64) -> Result<bool> {
        let added = on_pool!(self, pool => {
            sqlx::query(&pool.sql("INSERT INTO push_messages (msg_id, topic, user_info, born_ms, message, received_ms) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (msg_id) DO NOTHING")?,
            )
            .bind(&push.msg_id)
            .bind(&push.topic)
            .bind(push.user_info.as_deref())
            .bind(push.born_ms)
            .bind(&push.raw)
            .bind(now_ms)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(added > 0)
    }

    /// How many pushes of a topic were stored (all topics with `None`).
    pub async fn push_count(&self, topic: Option<&str>) -> Result<u64> {
        let n: i64 = on_pool!(self, pool => {
            sqlx::query_scalar(&pool.sql("SELECT COUNT(*) FROM push_messages WHERE $1 IS NULL OR topic = $2")?)
                .bind(topic)
                .bind(topic)
                .fetch_one(pool)
                .await?
        });
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Makes the watches of `offer_ids` due at `now_ms` (unless already due sooner); returns how
    /// many watches that touched.
    pub async fn make_due(&self, offer_ids: &[i64], now_ms: i64) -> Result<u64> {
        if offer_ids.is_empty() {
            return Ok(0);
        }
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let mut n = 0;
            for id in offer_ids {
                n += sqlx::query(&pool.sql("UPDATE watches SET next_due_ms = $1 WHERE offer_id = $2 AND next_due_ms > $3")?)
                    .bind(now_ms)
                    .bind(id)
                    .bind(now_ms)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
            Ok(n)
        })
    }
}
