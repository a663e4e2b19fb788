//! The catalog's search engine inside PostgreSQL, so several service instances share one index
//! (migration 0013 says why it is built this way). Each catalog entry has a row in
//! `catalog_search`: its words as a tsvector (jieba's words, [`crate::catalog_words`], the title's
//! weighted A) and what hits, filters and facets read. A search is two statements run at once:
//! the first `limit` matches in order, and every facet counted over all matches.

use rust_decimal::Decimal;
use sqlx::{PgPool, Postgres, QueryBuilder, Row, Transaction};

use crate::catalog_entry::CatalogEntry;
use crate::catalog_query::{CatalogHit, CatalogQuery, CatalogResults, CatalogSort, FacetCounts};
use crate::catalog_words::words;
use crate::error::{Result, StoreError};

/// PostgreSQL refuses a lexeme of 2 KiB or more; no real word comes near it.
const MAX_WORD_BYTES: usize = 2_000;
/// Entries made searchable per transaction when filling the columns in.
const BATCH: i64 = 500;
/// `ts_rank`'s weights, {D, C, B, A}: a word in the title (A) counts three times one elsewhere
/// (D), as in the embedded index.
const WEIGHTS: &str = "{0.333, 0.333, 0.333, 1.0}";

/// `word` as a quoted lexeme of a tsvector or tsquery literal.
fn lexeme(word: &str) -> String {
    format!("'{}'", word.replace('\\', "\\\\").replace('\'', "''"))
}

/// The entry's words as a tsvector literal: the title's with weight A, then the rest.
fn search_vector(entry: &CatalogEntry) -> String {
    let o = &entry.offer;
    let mut rest = vec![o.title_en.clone().unwrap_or_default()];
    rest.extend(o.category.leaf_name.clone());
    rest.extend(o.supplier.company.clone());
    for a in &entry.attributes {
        rest.push(a.value.clone());
        rest.push(a.raw_value.clone());
    }
    let title = words(&o.title).into_iter().map(|w| (w, "A"));
    let rest = words(&rest.join(" ")).into_iter().map(|w| (w, ""));
    let mut vector = String::new();
    // Positions carry the weights; PostgreSQL keeps positions up to 16,383.
    for (position, (word, weight)) in title.chain(rest).filter(|(w, _)| w.len() < MAX_WORD_BYTES).enumerate() {
        if !vector.is_empty() {
            vector.push(' ');
        }
        vector.push_str(&format!("{}:{}{weight}", lexeme(&word), (position + 1).min(16_383)));
    }
    vector
}

/// A tsquery literal requiring every one of `words`.
fn every_word(words: &[String]) -> String {
    words.iter().filter(|w| w.len() < MAX_WORD_BYTES).map(|w| lexeme(w)).collect::<Vec<_>>().join(" & ")
}

/// A tsquery literal matching any of `words`: ranked with it, `ts_rank` counts each word's
/// occurrences (saturating, by weight) instead of the distances between the words that an
/// every-word query ranks by.
fn any_word(words: &[String]) -> String {
    words.iter().filter(|w| w.len() < MAX_WORD_BYTES).map(|w| lexeme(w)).collect::<Vec<_>>().join(" | ")
}

/// Writes the entry's search row, in the transaction that stored the entry, and marks the
/// catalog changed (the last statement before the commit: see [`crate::catalog_answers`]).
pub(crate) async fn keep_searchable(tx: &mut Transaction<'static, Postgres>, entry: &CatalogEntry) -> Result<()> {
    write_search_row(tx, entry).await?;
    crate::catalog_answers::mark_changed(tx, entry.offer.id).await
}

/// Writes the entry's search row.
async fn write_search_row(tx: &mut Transaction<'static, Postgres>, entry: &CatalogEntry) -> Result<()> {
    let tiers: Vec<(i64, Decimal)> =
        entry.offer.ladder.iter().flat_map(|l| l.tiers()).map(|t| (t.min_qty, t.unit_price)).collect();
    let mut identities = entry.supplier.identities.clone();
    identities.sort_unstable();
    identities.dedup();
    let (province, city) = entry.place();
    sqlx::query(
        "INSERT INTO catalog_search (offer_id, search, title, province, city, identities, identity_set, band, \
         category_id, moq, score, tier_starts, tier_prices) \
         VALUES ($1, CAST($2 AS tsvector), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
         ON CONFLICT (offer_id) DO UPDATE SET search = excluded.search, title = excluded.title, \
         province = excluded.province, city = excluded.city, identities = excluded.identities, \
         identity_set = excluded.identity_set, band = excluded.band, \
         category_id = excluded.category_id, moq = excluded.moq, score = excluded.score, \
         tier_starts = excluded.tier_starts, tier_prices = excluded.tier_prices",
    )
    .bind(entry.offer.id)
    .bind(search_vector(entry))
    .bind(&entry.offer.title)
    .bind(province)
    .bind(city)
    .bind(&identities)
    .bind(identities.join(" "))
    .bind(&entry.band)
    .bind(entry.offer.category.ids.last().copied())
    .bind(entry.offer.moq)
    .bind(entry.score)
    .bind(tiers.iter().map(|t| t.0).collect::<Vec<_>>())
    .bind(tiers.iter().map(|t| t.1).collect::<Vec<_>>())
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM catalog_unsearchable WHERE offer_id = $1").bind(entry.offer.id).execute(&mut **tx).await?;
    Ok(())
}

/// Works off the queue of entries to make searchable (every entry first with `all`); returns
/// how many were made searchable.
pub(crate) async fn make_searchable(pool: &PgPool, all: bool) -> Result<u64> {
    if all {
        sqlx::query("INSERT INTO catalog_unsearchable (offer_id) SELECT offer_id FROM catalog ON CONFLICT DO NOTHING")
            .execute(pool)
            .await?;
    }
    let mut done = 0;
    loop {
        let mut tx = pool.begin().await?;
        // Rows another instance is working on are skipped, not waited for.
        let rows: Vec<(i64, Option<String>)> = sqlx::query_as(
            "SELECT q.offer_id, c.data FROM catalog_unsearchable q LEFT JOIN catalog c ON c.offer_id = q.offer_id \
             ORDER BY q.offer_id LIMIT $1 FOR UPDATE OF q SKIP LOCKED",
        )
        .bind(BATCH)
        .fetch_all(&mut *tx)
        .await?;
        if rows.is_empty() {
            tx.commit().await?;
            tidy_after(pool, all, done).await;
            return Ok(done);
        }
        for (offer_id, data) in &rows {
            match data {
                Some(data) => {
                    let entry: CatalogEntry = serde_json::from_str(data)
                        .map_err(|e| StoreError::Corrupt(format!("catalog entry {offer_id}: {e}")))?;
                    write_search_row(&mut tx, &entry).await?;
                    done += 1;
                }
                // Queued, then removed from the catalog: nothing to search.
                None => {
                    sqlx::query("DELETE FROM catalog_unsearchable WHERE offer_id = $1")
                        .bind(offer_id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        if let Some((first, _)) = rows.first() {
            crate::catalog_answers::mark_changed(&mut tx, *first).await?;
        }
        tx.commit().await?;
    }
}

/// After this many rows were made searchable at once, the planner's statistics are renewed.
const ANALYZE_AFTER: u64 = 10_000;

/// Renews the planner's statistics after many search rows changed (and, after a full reindex,
/// which rewrote every row, reclaims the old rows too). Without them, a search planned on the
/// guesses for an empty table expects a broad word to match 1 % of the catalog and sorts its
/// third of the catalog to count facets, instead of hashing it: twice as slow. Autovacuum gets
/// there too, later. A failure here costs speed, not correctness, so it is logged, not returned.
async fn tidy_after(pool: &PgPool, all: bool, done: u64) {
    let statement = if all {
        "VACUUM (ANALYZE) catalog_search"
    } else if done >= ANALYZE_AFTER {
        "ANALYZE catalog_search"
    } else {
        return;
    };
    if let Err(e) = sqlx::query(statement).execute(pool).await {
        tracing::warn!(error = %e, statement, "the catalog's search statistics were not renewed");
    }
}

/// Ladders up to this many tiers are read by subscript (most have two to four); a longer one
/// through `unnest`.
const SUBSCRIPTED_TIERS: usize = 4;

/// Pushes the unit price at `at`: the price of the last tier starting at or below it; without a
/// quantity, the first tier's (the price at the MOQ).
fn push_price_at(q: &mut QueryBuilder<'_, Postgres>, at: Option<i64>) {
    let Some(at) = at else {
        q.push("s.tier_prices[1]");
        return;
    };
    q.push("CASE WHEN cardinality(s.tier_starts) > ").push(SUBSCRIPTED_TIERS.to_string());
    q.push(" THEN (SELECT t.p FROM unnest(s.tier_starts, s.tier_prices) AS t(st, p) WHERE t.st <= ").push_bind(at);
    q.push(" ORDER BY t.st DESC LIMIT 1)");
    for i in (1..=SUBSCRIPTED_TIERS).rev() {
        q.push(format!(" WHEN s.tier_starts[{i}] <= ")).push_bind(at).push(format!(" THEN s.tier_prices[{i}]"));
    }
    q.push(" END");
}

/// The SQL of a facet's band, mirroring [`crate::catalog_query::moq_band`] and `price_band`.
const MOQ_BAND: &str = "CASE WHEN COALESCE(moq, 1) <= 1 THEN '1' WHEN moq <= 9 THEN '2-9' WHEN moq <= 99 THEN '10-99' \
     WHEN moq <= 999 THEN '100-999' ELSE '1000+' END";
const PRICE_BAND: &str = "CASE WHEN price IS NULL THEN 'no price' WHEN price < 5 THEN '<5' WHEN price < 10 THEN '5-10' \
     WHEN price < 20 THEN '10-20' WHEN price < 50 THEN '20-50' ELSE '50+' END";

/// Pushes the rows `query` matches, as a subquery `x` with the columns hits and facets read:
/// `offer_id, title, province, city, identity_set, band, category_id, moq, score, price, relevance`.
fn push_matches(q: &mut QueryBuilder<'_, Postgres>, query: &CatalogQuery, words: &[String], ranked: bool) {
    q.push(
        "(SELECT * FROM (SELECT s.offer_id, s.title, s.province, s.city, s.identity_set, \
         s.band, s.category_id, s.moq, s.score, ",
    );
    push_price_at(q, query.at);
    q.push(" AS price, ");
    if ranked && !words.is_empty() {
        q.push("ts_rank(CAST(").push_bind(WEIGHTS).push(" AS real[]), s.search, CAST(").push_bind(any_word(words));
        q.push(" AS tsquery), 0)");
    } else {
        q.push("CAST(0 AS real)");
    }
    q.push(" AS relevance FROM catalog_search s WHERE TRUE");
    if !words.is_empty() {
        q.push(" AND s.search @@ CAST(").push_bind(every_word(words)).push(" AS tsquery)");
    }
    for (column, value) in [("province", &query.province), ("city", &query.city), ("band", &query.band)] {
        if let Some(v) = value {
            q.push(format!(" AND s.{column} = ")).push_bind(v.clone());
        }
    }
    if let Some(identity) = &query.identity {
        q.push(" AND ").push_bind(identity.clone()).push(" = ANY(s.identities)");
    }
    if let Some(category) = query.category {
        q.push(" AND s.category_id = ").push_bind(category);
    }
    q.push(") m WHERE TRUE");
    if let Some(min) = query.price_min {
        q.push(" AND m.price >= ").push_bind(min);
    }
    if let Some(max) = query.price_max {
        q.push(" AND m.price <= ").push_bind(max);
    }
    if let Some(max) = query.moq_max {
        q.push(" AND COALESCE(m.moq, 1) <= ").push_bind(max);
    }
    q.push(") x");
}

/// Runs a search (the query was validated by the caller). The hits and the facets are two
/// statements run at once on two connections: a broad query's matches are read twice, but in
/// parallel, which answers sooner than one statement that reads them once and then counts seven
/// facets over them. The two may see different snapshots when the catalog changes in between.
pub(crate) async fn search(pool: &PgPool, query: &CatalogQuery) -> Result<CatalogResults> {
    let mut words = words(&query.text);
    words.sort_unstable();
    words.dedup();
    // A broad search answered before, on the catalog as it is now, is answered again as it was.
    let key = crate::catalog_answers::key(query, &words);
    let (version, kept) = crate::catalog_answers::look_up(pool, &key).await?;
    if let Some(answer) = kept {
        return Ok(answer);
    }
    let answer = compute(pool, query, &words).await?;
    let now_ms = chrono::Utc::now().timestamp_millis();
    if let Err(e) = crate::catalog_answers::keep(pool, &key, version, &answer, now_ms).await {
        // Only speed is lost: the next search computes it again.
        tracing::warn!(error = %e, "a broad catalog answer was not kept");
    }
    Ok(answer)
}

/// Computes a search's answer.
async fn compute(pool: &PgPool, query: &CatalogQuery, words: &[String]) -> Result<CatalogResults> {
    let words = words.to_vec();
    let order = match query.sort {
        CatalogSort::Relevance => "relevance DESC, offer_id",
        CatalogSort::Price => "price ASC NULLS LAST, offer_id",
        CatalogSort::Score => "score DESC NULLS LAST, offer_id",
        CatalogSort::Moq => "moq ASC NULLS LAST, offer_id",
    };
    let mut hits_sql =
        QueryBuilder::<Postgres>::new("SELECT offer_id, title, price, moq, score, province, city, relevance FROM ");
    push_matches(&mut hits_sql, query, &words, query.sort == CatalogSort::Relevance);
    hits_sql.push(format!(" ORDER BY {order} LIMIT ")).push_bind(i64::try_from(query.limit).unwrap_or(i64::MAX));
    hits_sql.push(" OFFSET ").push_bind(i64::try_from(query.offset).unwrap_or(i64::MAX));
    // Facets as counts of each combination of facet values; added up per facet below (far
    // fewer combinations than matches, and one hash key a row instead of seven).
    let mut facets_sql = QueryBuilder::<Postgres>::new(format!(
        "SELECT province, city, identity_set, band, CAST(category_id AS text) AS category, {MOQ_BAND} AS moq_band, \
         {PRICE_BAND} AS price_band, count(*) AS n FROM "
    ));
    push_matches(&mut facets_sql, query, &words, false);
    facets_sql.push(" GROUP BY 1, 2, 3, 4, 5, 6, 7");
    // Not kept as prepared statements: after five runs PostgreSQL would plan a kept one once
    // for any words, expecting a few hundred matches whatever they are, and a broad word's third
    // of the catalog would then be sorted to count facets instead of hashed (twice as slow).
    // Planned each time, the plan fits the words' own frequency.
    let (hit_rows, facet_rows) = tokio::try_join!(
        hits_sql.build().persistent(false).fetch_all(pool),
        facets_sql.build().persistent(false).fetch_all(pool)
    )?;
    let mut hits = Vec::with_capacity(hit_rows.len());
    for row in hit_rows {
        hits.push(CatalogHit {
            offer_id: row.try_get("offer_id")?,
            title: row.try_get("title")?,
            price: row.try_get("price")?,
            moq: row.try_get("moq")?,
            score: row.try_get("score")?,
            province: row.try_get("province")?,
            city: row.try_get("city")?,
            relevance: row.try_get("relevance")?,
        });
    }
    let mut facets = FacetCounts::default();
    let mut total = 0u64;
    for row in facet_rows {
        let n = u64::try_from(row.try_get::<i64, _>("n")?).unwrap_or(0);
        total += n;
        for (facet, column) in [
            ("province", "province"),
            ("city", "city"),
            ("band", "band"),
            ("category", "category"),
            ("moq", "moq_band"),
            ("price", "price_band"),
        ] {
            if let Some(value) = row.try_get::<Option<String>, _>(column)? {
                facets.add(facet, &value, n);
            }
        }
        let identity_set: Option<String> = row.try_get("identity_set")?;
        for identity in identity_set.iter().flat_map(|set| set.split(' ')).filter(|i| !i.is_empty()) {
            facets.add("identity", identity, n);
        }
    }
    Ok(CatalogResults { total, hits, facets: facets.finish() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexemes_are_quoted_so_no_word_is_syntax() {
        assert_eq!(lexeme("保温杯"), "'保温杯'");
        assert_eq!(lexeme("it's"), "'it''s'");
        assert_eq!(lexeme("a\\b"), "'a\\\\b'");
        assert_eq!(every_word(&["a".into(), "b|c".into()]), "'a' & 'b|c'");
    }

    #[test]
    fn title_words_carry_weight_a() {
        let mut offer = sourcing::Offer::new(1, "保温杯");
        offer.title_en = Some("Tumbler".into());
        let entry = CatalogEntry {
            offer,
            supplier: Default::default(),
            score: None,
            band: None,
            attributes: Vec::new(),
            sources: Vec::new(),
            fetched_ms: 0,
        };
        let v = search_vector(&entry);
        assert!(v.starts_with("'保温':1A '保温杯':2A"), "{v}");
        assert!(v.ends_with("'tumbler':3"), "{v}");
    }
}
