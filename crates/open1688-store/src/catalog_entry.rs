//! One offer in the catalog, as crawls store it and both search engines index it.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sourcing::{Offer, StandardAttribute, Supplier};

/// One offer in the catalog: what search shows and filters on, from its latest fetch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CatalogEntry {
    /// The offer, normalized.
    pub offer: Offer,
    /// Its supplier as the detail described it.
    pub supplier: Supplier,
    /// The supplier's score (0–100) under the scorecard the crawl used.
    pub score: Option<Decimal>,
    /// The scorecard band that score falls in (`good`), when scored.
    #[serde(default)]
    pub band: Option<String>,
    /// The offer's and its SKUs' attributes standardized (raw values kept), offer first.
    pub attributes: Vec<StandardAttribute>,
    /// The crawls that found it (`keyword:保温杯`, `seller:…`), each once.
    pub sources: Vec<String>,
    /// When it was fetched (epoch ms).
    pub fetched_ms: i64,
}

impl CatalogEntry {
    /// The province and city the offer ships from (`浙江省 义乌市`), when it says.
    pub fn place(&self) -> (Option<&str>, Option<&str>) {
        let Some(from) = self.offer.shipping.ship_from.as_deref() else { return (None, None) };
        let mut parts = from.split_whitespace();
        (parts.next(), parts.next())
    }

    /// The lowest unit price on its ladder.
    pub fn lowest_price(&self) -> Option<Decimal> {
        self.offer.ladder.as_ref().map(sourcing::PriceLadder::lowest_price)
    }
}
