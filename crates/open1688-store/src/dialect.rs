//! One SQL text for three databases. The store's statements are written once, in the SQL that
//! PostgreSQL and SQLite share (`$n` placeholders, `ON CONFLICT … DO NOTHING | DO UPDATE SET …
//! excluded.col`, `CAST(… AS BIGINT)`, `"key"` quoted as an identifier); [`Dialect::sql`] hands
//! them to each pool in the form its database reads. Only MySQL/MariaDB needs a rewrite:
//!
//! - `$1, $2, …` become `?`. MySQL binds by position, so a statement must use each placeholder
//!   once and in order (`$1 … $1` would bind one value to the first `?` only); the rewrite refuses
//!   any other statement instead of binding the wrong values.
//! - `INSERT … ON CONFLICT (…) DO NOTHING` becomes `INSERT IGNORE …` (MariaDB also returns no
//!   row from `RETURNING` for an ignored duplicate, as PostgreSQL does).
//! - `ON CONFLICT (…) DO UPDATE SET a = excluded.a` becomes `ON DUPLICATE KEY UPDATE a = VALUES(a)`.
//! - `CAST(… AS BIGINT)` becomes `CAST(… AS SIGNED)`.
//! - `"key"` stays: the MySQL pool runs with `ANSI_QUOTES` (see `pool`).
//!
//! What has no rewrite — `UPDATE … RETURNING`, a claim's `UPDATE … WHERE id IN (SELECT … LIMIT
//! …)` — is written out for MySQL where it is used, next to the shared statement.

use std::borrow::Cow;

use crate::error::{Result, StoreError};

/// A pool's SQL dialect: turns a statement of the shared text into the form its database reads.
pub(crate) trait Dialect {
    /// `text` as this pool's database reads it.
    fn sql<'a>(&self, text: &'a str) -> Result<Cow<'a, str>>;
    /// What ends a `SELECT` that claims rows inside a write transaction, so that concurrent
    /// claimers skip the rows another one is claiming instead of waiting for it or taking them
    /// too: `FOR UPDATE SKIP LOCKED` where rows lock (PostgreSQL, MySQL 8, MariaDB 10.6); nothing
    /// in SQLite, whose write transaction (`BEGIN IMMEDIATE`) already excludes every other writer.
    fn skip_locked(&self) -> &'static str {
        " FOR UPDATE SKIP LOCKED"
    }
    /// What ends a `SELECT` that reads a row to decide how to change it inside a write
    /// transaction, so that a concurrent writer waits for this one: `FOR UPDATE` where rows
    /// lock; nothing in SQLite, whose write transaction already excludes every other writer.
    fn for_update(&self) -> &'static str {
        " FOR UPDATE"
    }
    /// The start and the end of a multi-row `INSERT` built with a `QueryBuilder` (which the
    /// rewrite of [`Dialect::sql`] cannot reach) whose rows that repeat the unique `target` are
    /// skipped: `INSERT INTO` and `ON CONFLICT target DO NOTHING`, or MySQL's `INSERT IGNORE INTO`.
    fn insert_skipping_duplicates(&self, target: &str) -> (&'static str, String) {
        ("INSERT INTO", format!(" ON CONFLICT {target} DO NOTHING"))
    }
}

impl Dialect for sqlx::SqlitePool {
    fn sql<'a>(&self, text: &'a str) -> Result<Cow<'a, str>> {
        Ok(Cow::Borrowed(text))
    }

    fn skip_locked(&self) -> &'static str {
        ""
    }

    fn for_update(&self) -> &'static str {
        ""
    }
}

#[cfg(feature = "postgres")]
impl Dialect for sqlx::PgPool {
    fn sql<'a>(&self, text: &'a str) -> Result<Cow<'a, str>> {
        Ok(Cow::Borrowed(text))
    }
}

#[cfg(feature = "mysql")]
impl Dialect for sqlx::MySqlPool {
    fn sql<'a>(&self, text: &'a str) -> Result<Cow<'a, str>> {
        for_mysql(text).map(Cow::Owned).map_err(|why| {
            StoreError::Dialect(format!("{why} in {:?}", text.split_whitespace().collect::<Vec<_>>().join(" ")))
        })
    }

    fn insert_skipping_duplicates(&self, _target: &str) -> (&'static str, String) {
        ("INSERT IGNORE INTO", String::new())
    }
}

/// The MySQL form of a statement of the shared text, or why there is none.
pub(crate) fn for_mysql(text: &str) -> std::result::Result<String, String> {
    let text = positional_placeholders(text)?;
    let text = text.replace(" AS BIGINT)", " AS SIGNED)");
    if text.trim_start().starts_with("UPDATE") && text.contains(" RETURNING ") {
        return Err("UPDATE … RETURNING has no MySQL form".into());
    }
    let Some(at) = text.find("ON CONFLICT") else { return Ok(text) };
    let rest = &text[at + "ON CONFLICT".len()..];
    let target_end = rest.find(')').ok_or("ON CONFLICT without a conflict target")?;
    let action = rest[target_end + 1..].trim_start();
    let head = text[..at].trim_end();
    if let Some(after) = action.strip_prefix("DO NOTHING") {
        let insert = head.strip_prefix("INSERT INTO").ok_or("ON CONFLICT DO NOTHING outside an INSERT INTO")?;
        Ok(format!("INSERT IGNORE INTO{insert}{after}"))
    } else if let Some(set) = action.strip_prefix("DO UPDATE SET") {
        Ok(format!("{head} ON DUPLICATE KEY UPDATE{}", excluded_as_values(set)))
    } else {
        Err("ON CONFLICT with an action other than DO NOTHING or DO UPDATE SET".into())
    }
}

/// `$n` placeholders (outside string literals) as `?`, checking they come once each, in order.
fn positional_placeholders(text: &str) -> std::result::Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices().peekable();
    let mut in_literal = false;
    let mut next = 1u32;
    while let Some((_, c)) = chars.next() {
        if c == '\'' {
            in_literal = !in_literal;
        }
        if c != '$' || in_literal {
            out.push(c);
            continue;
        }
        let mut digits = String::new();
        while let Some(&(_, d)) = chars.peek().filter(|(_, d)| d.is_ascii_digit()) {
            digits.push(d);
            chars.next();
        }
        let n: u32 = digits.parse().map_err(|_| "a `$` that is not a placeholder".to_owned())?;
        if n != next {
            return Err(format!("placeholder ${n} where ${next} was due (MySQL binds by position)"));
        }
        next += 1;
        out.push('?');
    }
    Ok(out)
}

/// `excluded.col` (PostgreSQL and SQLite: the row that was not inserted) as `VALUES(col)`.
fn excluded_as_values(set: &str) -> String {
    let mut out = String::with_capacity(set.len());
    let mut rest = set;
    while let Some(at) = rest.find("excluded.") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "excluded.".len()..];
        let end = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
        out.push_str(&format!("VALUES({})", &after[..end]));
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_positional() {
        assert_eq!(
            for_mysql("SELECT data FROM t WHERE a = $1 AND b > $2 LIMIT $3").unwrap(),
            "SELECT data FROM t WHERE a = ? AND b > ? LIMIT ?"
        );
        // A dollar sign inside a literal is text, not a placeholder.
        assert_eq!(for_mysql("SELECT '$1' FROM t WHERE a = $1").unwrap(), "SELECT '$1' FROM t WHERE a = ?");
    }

    #[test]
    fn repeated_or_reordered_placeholders_are_refused() {
        let e = for_mysql("UPDATE t SET a = $2 WHERE id = $1").unwrap_err();
        assert!(e.contains("$2 where $1 was due"), "{e}");
        assert!(for_mysql("SELECT 1 FROM t WHERE a = $1 OR b = $1").is_err());
        assert!(for_mysql("SELECT 1 FROM t WHERE a = $x").is_err());
    }

    #[test]
    fn conflicts_become_ignore_or_duplicate_key_updates() {
        assert_eq!(
            for_mysql("INSERT INTO a (x, y) VALUES ($1, $2) ON CONFLICT (x) DO NOTHING RETURNING id").unwrap(),
            "INSERT IGNORE INTO a (x, y) VALUES (?, ?) RETURNING id"
        );
        assert_eq!(
            for_mysql(
                "INSERT INTO offers (id, raw, t) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET \
                 raw = coalesce(excluded.raw, offers.raw), t = excluded.t"
            )
            .unwrap(),
            "INSERT INTO offers (id, raw, t) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE \
             raw = coalesce(VALUES(raw), offers.raw), t = VALUES(t)"
        );
        assert!(for_mysql("INSERT INTO a VALUES ($1) ON CONFLICT (x) DO SOMETHING").is_err());
    }

    #[test]
    fn casts_and_returning_updates() {
        assert_eq!(
            for_mysql("SELECT CAST(COUNT(*) AS BIGINT) FROM t").unwrap(),
            "SELECT CAST(COUNT(*) AS SIGNED) FROM t"
        );
        assert!(for_mysql("UPDATE t SET a = $1 RETURNING id").is_err());
    }
}
