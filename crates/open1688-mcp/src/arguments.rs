//! The arguments of the tools that have no request type of their own in the application layer
//! (the others take the application layer's requests as they are: `SearchRequest`,
//! `QuoteRequest`, `CompareRequest`, `PlanRequest`, `SourceRequest`, `WatchRequest`). Each refuses
//! unknown fields, so a misspelt argument is an error that names it, not a silent default.

use open1688_jobs::NeedRequest;
use rust_decimal::Decimal;
use serde::Deserialize;

/// `get_offer`: the offers to read.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GetOfferArgs {
    /// The offer ids (1 to 20), as in an offer's URL `detail.1688.com/offer/<id>.html`.
    #[schema(min_items = 1, max_items = 20)]
    pub offer_ids: Vec<i64>,
}

/// `search_by_image`: the picture and how many matches.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImageSearchArgs {
    /// An `https://` picture URL, or (stdio only) a picture file on this machine.
    #[schema(min_length = 1)]
    pub picture: String,
    /// Matches at most (1–50, default 20).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 50)]
    pub limit: Option<usize>,
    /// Narrow the matches by keyword.
    #[serde(default)]
    pub keyword: Option<String>,
}

/// `find_same_item`: the reference offer and the need every listing is priced at.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SameItemArgs {
    /// The offer whose item to find from other sellers.
    #[schema(minimum = 1)]
    pub offer_id: i64,
    /// The need every listing is priced at.
    #[serde(flatten)]
    pub need: NeedRequest,
    /// Listings to read at most (default: the policy's `compare_candidates`).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 50)]
    pub candidates: Option<usize>,
    /// How the pick trades price for supplier safety: `cheapest`, `balanced` or `safest`.
    #[serde(default)]
    pub strategy: Option<sourcing::Strategy>,
}

/// `analyze_market`: the search and the quantity prices are read at.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnalyzeArgs {
    /// Search words, Chinese or English.
    #[schema(min_length = 1)]
    pub keyword: String,
    /// Quantity the market's prices are compared at (default 100).
    #[serde(default)]
    #[schema(minimum = 1)]
    pub quantity: Option<i64>,
    /// Offers to read at most (default 50, at most 100).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
    /// Lowest unit price.
    #[serde(default)]
    pub price_min: Option<Decimal>,
    /// Highest unit price.
    #[serde(default)]
    pub price_max: Option<Decimal>,
    /// Only this category id.
    #[serde(default)]
    pub category: Option<i64>,
}

/// `supplier_report`: the seller and the scorecard to judge it with.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SupplierArgs {
    /// The seller's open id (`sellerOpenId` in an offer), or its login id.
    #[schema(min_length = 1)]
    pub seller: String,
    /// A scorecard preset: `default`, `legacy_credit` or `legacy_factory` (default: the active
    /// scorecard).
    #[serde(default)]
    pub scorecard: Option<String>,
}

/// `price_history`: the offer and how far back.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HistoryArgs {
    /// The offer (watched, or watched before: history is kept from the monitor's snapshots).
    #[schema(minimum = 1)]
    pub offer_id: i64,
    /// Days back (default 30).
    #[serde(default)]
    #[schema(minimum = 1)]
    pub days: Option<i64>,
}

/// `list_alerts`: which alerts.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertArgs {
    /// Only this watch's alerts (0: only the alerts about orders).
    #[serde(default)]
    pub watch_id: Option<i64>,
    /// Only alerts nobody has acknowledged.
    #[serde(default)]
    pub unacknowledged: bool,
    /// Alerts from the last this many hours only.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub hours: Option<i64>,
    /// At most this many (default 50, at most 1,000).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

/// Tools that take no argument (`list_watches`).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoArgs {}

/// `preview_order`: a plan to preview as 1688 orders, one per supplier.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderArgs {
    /// The purchase plan: lines (offer, SKU, quantity) and whether to optimize quantities.
    pub plan: open1688_jobs::PlanRequest,
    /// Where the goods go (default: the installation's `[order] ship_to`).
    #[serde(default)]
    pub ship_to: Option<open1688_jobs::ShipTo>,
    /// A name for the batch of orders.
    #[serde(default)]
    pub batch: Option<String>,
}

/// `place_order`: the plan to place, and the explicit confirmation a person gave.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaceOrderArgs {
    /// The purchase plan.
    pub plan: open1688_jobs::PlanRequest,
    /// Where the goods go (default: the installation's `[order] ship_to`).
    #[serde(default)]
    pub ship_to: Option<open1688_jobs::ShipTo>,
    /// A name for the batch of orders.
    #[serde(default)]
    pub batch: Option<String>,
    /// `true` only when the person has seen the preview and said to place these orders.
    pub confirm: bool,
}

/// `list_orders`: which orders.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderListArgs {
    /// Only this batch's orders.
    #[serde(default)]
    pub batch: Option<String>,
    /// Only orders still moving (not failed, succeeded or cancelled).
    #[serde(default)]
    pub open: bool,
    /// At most this many (1–200, default 50).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// `track_order`: the order to read again.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackOrderArgs {
    /// The platform's order id.
    #[schema(minimum = 1)]
    pub order_id: i64,
}

/// The orders `list_orders` answers.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct OrderList {
    /// The orders, newest first.
    pub orders: Vec<open1688_store::StoredOrder>,
}
