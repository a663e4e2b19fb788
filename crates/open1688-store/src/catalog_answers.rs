//! Broad catalog searches in PostgreSQL answered from a cache that is never stale. A one-word
//! search like `批发` matches a third of the catalog; counting its facets reads every match
//! (55–80 ms over 100,000 offers), whatever the cache of the database holds. Its answer is kept
//! with the catalog's version, and served while the version has not moved.
//!
//! The version is the sum of sixteen counters (`catalog_version`). Every transaction that writes
//! search rows bumps one of them as its last statement, chosen by offer: one row lock per
//! transaction, held only until its commit, so concurrent crawls rarely wait on each other and can
//! never deadlock on the counters. A search reads the version *before* it computes its answer and
//! keeps the answer under that version: a write committed in between moves the version past it,
//! so the answer is never served for a catalog it did not see (at worst it is computed again).

use sqlx::{PgPool, Postgres, Transaction};

use crate::catalog_query::{CatalogQuery, CatalogResults};
use crate::error::{Result, StoreError};

/// Counters the version is spread over.
const SLOTS: i64 = 16;
/// Answers matching at least this many offers are kept (narrower ones answer fast anyway).
pub(crate) const BROAD: u64 = 200;
/// Answers kept; the least recently computed go first.
const KEPT: i64 = 1_000;

/// Marks the catalog changed, in the transaction that changed it (its last statement).
pub(crate) async fn mark_changed(tx: &mut Transaction<'static, Postgres>, offer_id: i64) -> Result<()> {
    sqlx::query("UPDATE catalog_version SET version = version + 1 WHERE slot = $1")
        .bind(offer_id.rem_euclid(SLOTS))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The key an answer is kept under: the query with its text as its sorted, distinct words.
pub(crate) fn key(query: &CatalogQuery, words: &[String]) -> String {
    let rest = CatalogQuery { text: String::new(), ..query.clone() };
    serde_json::to_string(&(words, rest)).unwrap_or_default()
}

/// The catalog's version now, and the answer kept for `key` at that version, if there is one.
pub(crate) async fn look_up(pool: &PgPool, key: &str) -> Result<(i64, Option<CatalogResults>)> {
    let (version, answer): (Option<i64>, Option<String>) = sqlx::query_as(
        "SELECT v.total, c.answer FROM (SELECT CAST(SUM(version) AS BIGINT) AS total FROM catalog_version) v \
         LEFT JOIN catalog_answer_cache c ON c.query_key = $1 AND c.version = v.total",
    )
    .bind(key)
    .fetch_one(pool)
    .await?;
    let answer = answer
        .map(|text| serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(format!("cached catalog answer: {e}"))))
        .transpose()?;
    Ok((version.unwrap_or(0), answer))
}

/// Keeps `answer` for `key` at `version` when it is broad; the oldest answers beyond [`KEPT`] go.
pub(crate) async fn keep(pool: &PgPool, key: &str, version: i64, answer: &CatalogResults, now_ms: i64) -> Result<()> {
    if answer.total < BROAD {
        return Ok(());
    }
    let text = serde_json::to_string(answer).map_err(|e| StoreError::Corrupt(format!("catalog answer: {e}")))?;
    sqlx::query(
        "INSERT INTO catalog_answer_cache (query_key, version, answer, used_ms) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (query_key) DO UPDATE SET version = excluded.version, answer = excluded.answer, used_ms = excluded.used_ms",
    )
    .bind(key)
    .bind(version)
    .bind(text)
    .bind(now_ms)
    .execute(pool)
    .await?;
    sqlx::query(
        "DELETE FROM catalog_answer_cache WHERE used_ms < \
         (SELECT used_ms FROM catalog_answer_cache ORDER BY used_ms DESC OFFSET $1 LIMIT 1)",
    )
    .bind(KEPT)
    .execute(pool)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_the_words_and_the_filters_not_the_spelling() {
        let mut a = CatalogQuery::text("批发 保温杯");
        let b = CatalogQuery::text("保温杯   批发");
        let words = vec!["保温杯".to_owned(), "批发".to_owned()];
        assert_eq!(key(&a, &words), key(&b, &words));
        a.province = Some("浙江".into());
        assert_ne!(key(&a, &words), key(&b, &words), "a filter is part of the key");
    }
}
