//! `history`: an offer's price per tier and its stock over time, from the store (no gateway),
//! with each tier's minimum, maximum, last price and change.

use crate::field_refusal::FieldRefusal;
use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use open1688_store::{HistoryPoint, Store};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{JobError, Result};
use crate::sheet::{Cell, Sheet};

/// One tier's prices over the window.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TierSummary {
    /// The tier's first quantity.
    pub tier_from: i64,
    /// Lowest unit price seen.
    pub min: Decimal,
    /// Highest unit price seen.
    pub max: Decimal,
    /// The latest unit price.
    pub last: Decimal,
    /// Change from the first price seen to the last, in percent (0 when the first was 0).
    pub change_pct: Decimal,
    /// The points, oldest first.
    pub points: Vec<(DateTime<Utc>, Decimal)>,
}

/// An offer's history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HistoryReport {
    /// The offer.
    pub offer_id: i64,
    /// Days back.
    pub days: i64,
    /// Per tier, lowest first quantity first.
    pub tiers: Vec<TierSummary>,
    /// Every snapshot, oldest first.
    pub points: Vec<HistoryPoint>,
}

/// The history of `offer_id` over the `days` before `now`.
pub async fn history(store: &dyn Store, offer_id: i64, days: i64, now: DateTime<Utc>) -> Result<HistoryReport> {
    if !(1..=3_660).contains(&days) {
        return Err(JobError::refused("days", FieldRefusal::between(1, 3660, days)));
    }
    let since = (now - Duration::days(days)).timestamp_millis();
    let points = store.price_history(offer_id, since).await?;
    if points.is_empty() {
        return Err(JobError::NotFound(format!(
            "no history for offer {offer_id} in the last {days} days (add a watch and run the monitor)"
        )));
    }
    let starts: BTreeSet<i64> = points.iter().flat_map(|s| s.tiers.keys().copied()).collect();
    let tiers = starts
        .into_iter()
        .filter_map(|start| {
            let series: Vec<(DateTime<Utc>, Decimal)> =
                points.iter().filter_map(|s| s.tiers.get(&start).map(|p| (s.at, *p))).collect();
            let (first, last) = (series.first()?.1, series.last()?.1);
            Some(TierSummary {
                tier_from: start,
                min: series.iter().map(|p| p.1).min()?,
                max: series.iter().map(|p| p.1).max()?,
                last,
                change_pct: percent_change(first, last),
                points: series,
            })
        })
        .collect();
    Ok(HistoryReport { offer_id, days, tiers, points })
}

/// The change from the first price to the last in percent, to two places; 0 when the first was 0.
fn percent_change(first: Decimal, last: Decimal) -> Decimal {
    sourcing::percent_change(first, last).unwrap_or_default().round_dp(2)
}

impl HistoryReport {
    /// Sheets: the summary per tier, then every point.
    pub fn sheets(&self) -> Vec<Sheet> {
        let mut summary = Sheet::new("summary", &["tier_from", "min", "max", "last", "change_pct"]);
        for t in &self.tiers {
            summary.push(vec![
                Cell::Int(t.tier_from),
                Cell::Money(t.min),
                Cell::Money(t.max),
                Cell::Money(t.last),
                Cell::Num(t.change_pct),
            ]);
        }
        let mut rows = Sheet::new("history", &["at", "tier_from", "unit_price", "stock", "moq", "status"]);
        for s in &self.points {
            for (start, price) in &s.tiers {
                rows.push(vec![
                    Cell::Text(s.at.to_rfc3339()),
                    Cell::Int(*start),
                    Cell::Money(*price),
                    Cell::opt_int(s.stock),
                    Cell::opt_int(s.moq),
                    Cell::opt_text(s.status.clone()),
                ]);
            }
        }
        vec![summary, rows]
    }

    /// A line per tier over time, with stock on a second axis, its words in `language`.
    #[cfg(feature = "charts")]
    pub fn chart(&self, path: &std::path::Path, language: sourcing::Language) -> Result<()> {
        let words = crate::chart_words::ChartWords::of(language);
        let series: Vec<crate::charts::Series> =
            self.tiers.iter().map(|t| (format!("≥{}", t.tier_from), t.points.clone())).collect();
        let stock: Vec<_> = self.points.iter().filter_map(|s| s.stock.map(|units| (s.at, units))).collect();
        let title = format!("{} {} {}", words.offer, self.offer_id, words.price_history);
        crate::charts::history_lines(path, words, &title, &series, &stock)
    }
}

/// The picture formats a chart is drawn in.
#[cfg(feature = "charts")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartFormat {
    /// A PNG picture.
    Png,
    /// An SVG drawing.
    Svg,
}

#[cfg(feature = "charts")]
impl ChartFormat {
    /// The file extension, with its dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => ".png",
            Self::Svg => ".svg",
        }
    }

    /// The media type (`image/png`).
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Svg => "image/svg+xml",
        }
    }
}

/// An offer's history over the last `days` drawn as a picture for a reader of `language`: a line
/// per tier, stock on a second axis. Drawn on a blocking thread in a scratch file (the charts library draws to files).
/// Not found when the store has no snapshot of the offer in that time.
#[cfg(feature = "charts")]
pub async fn history_chart(
    store: &dyn Store,
    offer_id: i64,
    days: i64,
    now: DateTime<Utc>,
    format: ChartFormat,
    language: sourcing::Language,
) -> Result<Vec<u8>> {
    let report = history(store, offer_id, days, now).await?;
    if report.points.is_empty() {
        return Err(JobError::NotFound(format!(
            "no snapshot of offer {offer_id} in the last {days} days (watch it to keep a history)"
        )));
    }
    let scratch = std::path::Path::new("history chart");
    tokio::task::spawn_blocking(move || {
        let file = tempfile::Builder::new()
            .prefix("open1688-history-")
            .suffix(format.extension())
            .tempfile()
            .map_err(|e| JobError::output(scratch, e))?;
        report.chart(file.path(), language)?;
        std::fs::read(file.path()).map_err(|e| JobError::output(file.path(), e))
    })
    .await
    .map_err(|e| JobError::output(scratch, e))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_change_is_checked() {
        assert_eq!(percent_change(Decimal::from(10), Decimal::from(8)), Decimal::from(-20));
        assert_eq!(percent_change(Decimal::ZERO, Decimal::from(8)), Decimal::ZERO);
        let tiny = Decimal::new(1, 28);
        assert_eq!(percent_change(tiny, Decimal::MAX), Decimal::MAX);
    }
}
