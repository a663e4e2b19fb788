//! What a catalog search asks and answers, whichever engine runs it.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How catalog results are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CatalogSort {
    /// Best text match first.
    #[default]
    Relevance,
    /// Lowest price at the quantity first.
    Price,
    /// Highest supplier score first.
    Score,
    /// Lowest MOQ first.
    Moq,
}

/// A catalog search: words, filters, the quantity prices are read at, and an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogQuery {
    /// Words to find in titles (Chinese or English), suppliers, categories and attributes.
    pub text: String,
    /// The quantity prices are read at: an offer whose ladder starts above it has no price there
    /// and is left out by a price filter. Absent, each offer's price at its MOQ (its ladder's
    /// first tier), the "from" price a buyer compares before choosing a quantity.
    #[serde(default)]
    pub at: Option<i64>,
    /// Lowest unit price at `at`.
    #[serde(default)]
    pub price_min: Option<Decimal>,
    /// Highest unit price at `at`.
    #[serde(default)]
    pub price_max: Option<Decimal>,
    /// Highest MOQ.
    #[serde(default)]
    pub moq_max: Option<i64>,
    /// Ships from this province (`浙江省`).
    #[serde(default)]
    pub province: Option<String>,
    /// Ships from this city (`义乌市`).
    #[serde(default)]
    pub city: Option<String>,
    /// The supplier has this identity (`super_factory`).
    #[serde(default)]
    pub identity: Option<String>,
    /// The supplier's scorecard band (`good`).
    #[serde(default)]
    pub band: Option<String>,
    /// The leaf category id.
    #[serde(default)]
    pub category: Option<i64>,
    /// The order.
    #[serde(default)]
    pub sort: CatalogSort,
    /// At most this many hits (default 20).
    #[serde(default = "twenty")]
    pub limit: usize,
    /// Hits to pass over first, in the asked order (default 0): the next page of a list starts at
    /// the hits already shown.
    #[serde(default)]
    pub offset: usize,
}

fn twenty() -> usize {
    20
}

impl CatalogQuery {
    /// A search for `text` with no filter, prices at each offer's MOQ, best match first, 20 hits.
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            at: None,
            price_min: None,
            price_max: None,
            moq_max: None,
            province: None,
            city: None,
            identity: None,
            band: None,
            category: None,
            sort: CatalogSort::Relevance,
            limit: 20,
            offset: 0,
        }
    }
}

/// One offer a catalog search found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CatalogHit {
    /// The offer.
    pub offer_id: i64,
    /// Its title.
    pub title: String,
    /// Unit price at the query's quantity (`None` below the ladder's first tier).
    pub price: Option<Decimal>,
    /// MOQ.
    pub moq: Option<i64>,
    /// The supplier's score.
    pub score: Option<Decimal>,
    /// Ships from (province).
    pub province: Option<String>,
    /// Ships from (city).
    pub city: Option<String>,
    /// The text match's score (higher is better).
    pub relevance: f32,
}

/// Counts of the matching offers by facet value, each sorted by count, most first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Facets {
    /// By province.
    pub province: Vec<(String, u64)>,
    /// By city.
    pub city: Vec<(String, u64)>,
    /// By supplier identity (an offer counts once under each of its identities).
    pub identity: Vec<(String, u64)>,
    /// By scorecard band.
    pub band: Vec<(String, u64)>,
    /// By leaf category id.
    pub category: Vec<(String, u64)>,
    /// By MOQ band (`1`, `2-9`, `10-99`, `100-999`, `1000+`).
    pub moq: Vec<(String, u64)>,
    /// By price band at the quantity (`<5`, `5-10`, `10-20`, `20-50`, `50+`, `no price`).
    pub price: Vec<(String, u64)>,
}

/// A catalog search's answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CatalogResults {
    /// Offers matching words and filters.
    pub total: u64,
    /// The first `limit` of them in the asked order.
    pub hits: Vec<CatalogHit>,
    /// Counts over all matching offers.
    pub facets: Facets,
}

/// The MOQ bands, in order.
pub const MOQ_BANDS: [&str; 5] = ["1", "2-9", "10-99", "100-999", "1000+"];

/// The price bands, in order.
pub const PRICE_BANDS: [&str; 6] = ["<5", "5-10", "10-20", "20-50", "50+", "no price"];

/// The MOQ band an offer falls in (an index into [`MOQ_BANDS`]).
pub fn moq_band(moq: Option<i64>) -> usize {
    match moq.unwrap_or(1) {
        ..=1 => 0,
        2..=9 => 1,
        10..=99 => 2,
        100..=999 => 3,
        _ => 4,
    }
}

/// The price band a unit price falls in (an index into [`PRICE_BANDS`]).
pub fn price_band(price: Option<Decimal>) -> usize {
    let Some(p) = price else { return 5 };
    [5, 10, 20, 50].iter().position(|edge| p < Decimal::from(*edge)).unwrap_or(4)
}

/// Facet counts being gathered.
#[derive(Debug, Default)]
pub(crate) struct FacetCounts(BTreeMap<&'static str, BTreeMap<String, u64>>);

impl FacetCounts {
    /// Counts `n` more offers under `value` of `facet`.
    pub(crate) fn add(&mut self, facet: &'static str, value: &str, n: u64) {
        let values = self.0.entry(facet).or_default();
        match values.get_mut(value) {
            Some(count) => *count += n,
            None => {
                values.insert(value.to_owned(), n);
            }
        }
    }

    pub(crate) fn merge(&mut self, other: FacetCounts) {
        for (facet, values) in other.0 {
            let mine = self.0.entry(facet).or_default();
            for (value, n) in values {
                *mine.entry(value).or_default() += n;
            }
        }
    }

    pub(crate) fn finish(mut self) -> Facets {
        let mut take = |facet: &str| {
            let mut v: Vec<(String, u64)> = self.0.remove(facet).unwrap_or_default().into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v
        };
        Facets {
            province: take("province"),
            city: take("city"),
            identity: take("identity"),
            band: take("band"),
            category: take("category"),
            moq: take("moq"),
            price: take("price"),
        }
    }
}
