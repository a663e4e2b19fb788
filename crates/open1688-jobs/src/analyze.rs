//! `analyze`: the market for a keyword at a quantity — price statistics, the histogram and the
//! top suppliers by listings and by sales.

use crate::field_refusal::FieldRefusal;
use serde::Serialize;
use sourcing::{MarketReport, PricePoint, market_report};

use crate::error::{JobError, Result};
use crate::jobs::Jobs;
use crate::progress::Progress;
use crate::search::SearchRequest;
use crate::sheet::{Cell, Sheet};

/// Market statistics for a search.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AnalyzeReport {
    /// The keyword searched.
    pub keyword: String,
    /// The quantity prices were read at.
    pub quantity: i64,
    /// Statistics, histogram (the policy's bin count) and top suppliers.
    pub market: MarketReport,
}

impl Jobs {
    /// `analyze`: statistics of the search's prices at `quantity`.
    pub async fn analyze(&self, search: &SearchRequest, quantity: i64, progress: &Progress) -> Result<AnalyzeReport> {
        if quantity <= 0 {
            return Err(JobError::refused("quantity", FieldRefusal::at_least(1, quantity)));
        }
        let items = self.search_items(search, progress).await?;
        let points: Vec<PricePoint> = items
            .iter()
            .filter_map(|i| sourcing::summary_from_search_item(i).ok())
            .filter_map(|s| PricePoint::from_summary(&s))
            .collect();
        if points.is_empty() {
            return Err(JobError::NoAnswer(format!("no priced offers for {:?}", search.keyword)));
        }
        let policy = self.sourcing_policy();
        let market = market_report(&points, policy.histogram_bins, policy.top_suppliers)?;
        Ok(AnalyzeReport { keyword: search.keyword.clone(), quantity, market })
    }
}

impl AnalyzeReport {
    /// Sheets: price statistics, histogram, top suppliers by listings and by sales.
    pub fn sheets(&self) -> Vec<Sheet> {
        let r = &self.market;
        let mut stats = Sheet::new("price statistics", &["statistic", "value"]);
        let p = &r.price;
        for (name, v) in [
            ("min", p.min),
            ("p10", p.p10),
            ("p25", p.p25),
            ("median", p.median),
            ("mean", p.mean),
            ("p75", p.p75),
            ("p90", p.p90),
            ("max", p.max),
        ] {
            stats.push(vec![Cell::Text(name.into()), Cell::Money(v)]);
        }
        stats.push(vec![Cell::Text("count".into()), Cell::count(p.count)]);
        if let Some(m) = &r.moq {
            stats.push(vec![Cell::Text("moq median".into()), Cell::Num(m.median)]);
        }
        let mut hist = Sheet::new("histogram", &["from", "to", "count"]);
        for b in &r.histogram {
            hist.push(vec![Cell::Money(b.from), Cell::Money(b.to), Cell::count(b.count)]);
        }
        let mut top = Sheet::new("top suppliers", &["supplier", "listings"]);
        for (s, n) in &r.top_by_listings {
            top.push(vec![Cell::Text(s.clone()), Cell::count(*n)]);
        }
        let mut sales = Sheet::new("top by sales", &["supplier", "monthly_sales"]);
        for (s, n) in &r.top_by_sales {
            sales.push(vec![Cell::Text(s.clone()), Cell::Int(*n)]);
        }
        vec![stats, hist, top, sales]
    }

    /// The price histogram of the report's own bins, with mean and median, its words in
    /// `language`.
    #[cfg(feature = "charts")]
    pub fn chart(&self, path: &std::path::Path, language: sourcing::Language) -> Result<()> {
        let words = crate::chart_words::ChartWords::of(language);
        crate::charts::price_histogram(
            path,
            words,
            &format!("{} {}", self.keyword, words.price_distribution),
            &self.market.histogram,
            self.market.price.mean,
            self.market.price.median,
        )
    }
}
