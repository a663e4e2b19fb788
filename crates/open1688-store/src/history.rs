//! Price history read fast: each snapshot row carries its prices and stock as one compact line
//! (`at_ms,stock,moq,tiers,status`, tiers as `start:price;…`), written with the snapshot, so
//! history is read without decoding each snapshot's JSON. On SQLite the lines are concatenated
//! inside SQLite and fetched as one value: the driver's per-row cost was most of a year of
//! hourly rows. Consecutive lines usually repeat their tiers and status, which are then cloned
//! instead of parsed again.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::dialect::Dialect;
use crate::error::{Result, StoreError};
use crate::pool::Backend;

/// An offer's prices and stock at one fetch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct HistoryPoint {
    /// When it was fetched.
    pub at: DateTime<Utc>,
    /// Tiers: start quantity → unit price.
    pub tiers: BTreeMap<i64, Decimal>,
    /// Total stock.
    pub stock: Option<i64>,
    /// Minimum order quantity.
    pub moq: Option<i64>,
    /// `published`, `expired`…
    pub status: Option<String>,
}

impl HistoryPoint {
    /// The unit price for an order of `quantity` (the tier in force; below the first tier, the
    /// first tier's price).
    pub fn price_at(&self, quantity: i64) -> Option<Decimal> {
        self.tiers.range(..=quantity).next_back().map(|(_, p)| *p).or_else(|| self.tiers.values().next().copied())
    }
}

/// The stored line of a snapshot.
pub(crate) fn point_line(snapshot: &crate::snapshot::Snapshot) -> String {
    let opt = |x: Option<i64>| x.map(|v| v.to_string()).unwrap_or_default();
    format!(
        "{},{},{},{},{}",
        snapshot.at.timestamp_millis(),
        opt(snapshot.stock),
        opt(snapshot.moq),
        format_tiers(&snapshot.tiers),
        snapshot.status.as_deref().unwrap_or_default()
    )
}

/// `2:10.50;100:9.80` for tiers (empty for none).
fn format_tiers(tiers: &BTreeMap<i64, Decimal>) -> String {
    let mut out = String::with_capacity(tiers.len() * 12);
    for (i, (start, price)) in tiers.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(&start.to_string());
        out.push(':');
        out.push_str(&price.to_string());
    }
    out
}

fn corrupt(what: &str, text: &str) -> StoreError {
    StoreError::Corrupt(format!("history {what}: {text:?}"))
}

fn parse_tiers(text: &str) -> Result<BTreeMap<i64, Decimal>> {
    let mut tiers = BTreeMap::new();
    for tier in text.split(';').filter(|t| !t.is_empty()) {
        let (start, price) = tier.split_once(':').ok_or_else(|| corrupt("tier", tier))?;
        let start = start.parse().map_err(|_| corrupt("tier start", tier))?;
        let price = price.parse().map_err(|_| corrupt("tier price", tier))?;
        tiers.insert(start, price);
    }
    Ok(tiers)
}

fn opt_int(text: &str) -> Result<Option<i64>> {
    if text.is_empty() { Ok(None) } else { text.parse().map(Some).map_err(|_| corrupt("number", text)) }
}

/// Parses stored lines, reusing the previous line's tiers and status when their text repeats.
#[derive(Default)]
struct LineParser<'a> {
    last_tiers: Option<(&'a str, BTreeMap<i64, Decimal>)>,
    last_status: Option<(&'a str, Option<String>)>,
}

impl<'a> LineParser<'a> {
    /// One `at_ms,stock,moq,tiers,status` line (status last: it is free text).
    fn parse(&mut self, line: &'a str) -> Result<HistoryPoint> {
        let mut fields = line.splitn(5, ',');
        let mut next = || fields.next().ok_or_else(|| corrupt("line", line));
        let at_ms: i64 = next()?.parse().map_err(|_| corrupt("time", line))?;
        let stock = opt_int(next()?)?;
        let moq = opt_int(next()?)?;
        let tiers_text = next()?;
        let status_text = next().unwrap_or_default();
        let tiers = match &self.last_tiers {
            Some((text, tiers)) if *text == tiers_text => tiers.clone(),
            _ => {
                let tiers = parse_tiers(tiers_text)?;
                self.last_tiers = Some((tiers_text, tiers.clone()));
                tiers
            }
        };
        let status = match &self.last_status {
            Some((text, status)) if *text == status_text => status.clone(),
            _ => {
                let status = Some(status_text).filter(|s| !s.is_empty()).map(str::to_owned);
                self.last_status = Some((status_text, status.clone()));
                status
            }
        };
        let at = DateTime::from_timestamp_millis(at_ms).ok_or_else(|| corrupt("time", line))?;
        Ok(HistoryPoint { at, tiers, stock, moq, status })
    }
}

/// Row separator inside the concatenated history (ASCII record separator).
const RS: char = '\u{1e}';

pub(crate) async fn price_history(db: &Backend, offer_id: i64, since_ms: i64) -> Result<Vec<HistoryPoint>> {
    let mut parser = LineParser::default();
    let mut points = match db {
        Backend::Sqlite(pool) => {
            let all: Option<String> = sqlx::query_scalar(&pool.sql(
                "SELECT group_concat(ifnull(point, ''), char(30)) FROM \
                 (SELECT point FROM snapshots WHERE offer_id = $1 AND at_ms >= $2 ORDER BY at_ms)",
            )?)
            .bind(offer_id)
            .bind(since_ms)
            .fetch_one(pool)
            .await?;
            match &all {
                Some(all) => all.split(RS).map(|line| parser.parse(line)).collect::<Result<Vec<_>>>()?,
                None => Vec::new(),
            }
        }
        // PostgreSQL and MySQL send rows fast enough that one concatenated value gains nothing.
        #[allow(unreachable_patterns)]
        _ => crate::on_pool!(backend db, pool => {
            let lines: Vec<String> = sqlx::query_scalar(&pool.sql(
                "SELECT coalesce(point, '') FROM snapshots WHERE offer_id = $1 AND at_ms >= $2 ORDER BY at_ms",
            )?)
            .bind(offer_id)
            .bind(since_ms)
            .fetch_all(pool)
            .await?;
            lines.iter().map(|line| parser.parse(line)).collect::<Result<Vec<_>>>()?
        }),
    };
    // SQLite keeps the subquery's order in practice but does not promise it.
    points.sort_by_key(|p| p.at);
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_round_trip_and_bad_ones_say_what_is_wrong() {
        let tiers = BTreeMap::from([(2, Decimal::new(1050, 2)), (100, Decimal::new(980, 2))]);
        let line = format!("1728000000000,,2,{},published, old", format_tiers(&tiers));
        let next_hour = line.replacen("1728000000000", "1728003600000", 1);
        let mut parser = LineParser::default();
        let p = parser.parse(&line).unwrap();
        assert_eq!((&p.tiers, p.stock, p.moq), (&tiers, None, Some(2)));
        assert_eq!(p.status.as_deref(), Some("published, old"), "the status may hold commas");
        assert_eq!(p.price_at(1), Some(Decimal::new(1050, 2)));
        let again = parser.parse(&next_hour).unwrap();
        assert_eq!((&again.tiers, &again.status), (&p.tiers, &p.status), "repeats are reused");
        let err = parser.parse("1728000000000,5,2,2:ten,published").unwrap_err();
        assert!(err.to_string().contains("tier price"), "{err}");
        assert!(parser.parse("not a time").is_err());
    }
}
