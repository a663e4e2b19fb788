//! Arguments of the decision commands: analyze, quote, compare, plan, recommend, source.

use std::path::PathBuf;

use clap::Args;
use open1688_jobs::{CompareRequest, CompareTarget, NeedRequest, QuoteRequest, RecommendRequest, SourceRequest};
use rust_decimal::Decimal;

use super::SearchArgs;

/// The need, for quotes and comparisons.
#[derive(Debug, Args, Clone)]
pub struct NeedArgs {
    /// Units needed.
    #[arg(long, allow_negative_numbers = true)]
    pub need: i64,
    /// Expected sales per day (default: the offer's monthly sales / 30).
    #[arg(long)]
    pub daily_sales: Option<Decimal>,
    /// Holding cost per unit per day.
    #[arg(long)]
    pub holding_cost: Option<Decimal>,
    /// At most this many units above the need.
    #[arg(long)]
    pub max_overstock: Option<i64>,
    /// The variant, by a SKU attribute `NAME=VALUE` (repeat: `--spec 容量=750ml --spec 颜色=红色`):
    /// every offer is priced, and its stock read, for the one SKU these name.
    #[arg(long = "spec", value_name = "NAME=VALUE", value_parser = spec_term)]
    pub spec: Vec<(String, String)>,
}

impl NeedArgs {
    /// The application layer's need.
    pub fn request(&self) -> NeedRequest {
        NeedRequest {
            need: self.need,
            daily_sales: self.daily_sales,
            holding_cost: self.holding_cost,
            max_overstock: self.max_overstock,
            spec: self.spec.iter().cloned().collect(),
        }
    }
}

/// `analyze`.
#[derive(Debug, Args, Clone)]
pub struct AnalyzeArgs {
    /// Search filters.
    #[command(flatten)]
    pub search: SearchArgs,
    /// Price the market at this quantity.
    #[arg(long, default_value_t = 1, allow_negative_numbers = true)]
    pub quantity: i64,
}

/// `quote`.
#[derive(Debug, Args, Clone)]
pub struct QuoteArgs {
    /// The offer.
    pub offer: i64,
    /// The need.
    #[command(flatten)]
    pub need: NeedArgs,
    /// For this SKU (per-SKU prices), by id (or by attributes: `--spec`).
    #[arg(long)]
    pub sku: Option<i64>,
    /// Compare up to this many split batches.
    #[arg(long, default_value_t = 3)]
    pub batches: i64,
}

impl QuoteArgs {
    /// The application layer's request.
    pub fn request(&self) -> QuoteRequest {
        QuoteRequest { offer_id: self.offer, need: self.need.request(), sku: self.sku, batches: self.batches }
    }
}

/// One `--spec NAME=VALUE` term.
fn spec_term(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() && !value.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.trim().to_owned()))
        }
        _ => Err(format!("expected NAME=VALUE (e.g. 容量=750ml), got {text:?}")),
    }
}

/// `compare`.
#[derive(Debug, Args, Clone)]
pub struct CompareArgs {
    /// An offer id or a keyword.
    pub target: String,
    /// The need.
    #[command(flatten)]
    pub need: NeedArgs,
    /// Candidates to fetch at most.
    #[arg(long, default_value_t = 40)]
    pub candidates: usize,
    /// How the pick trades price for supplier safety: cheapest, balanced or safest (default:
    /// the config's `strategy`, else balanced).
    #[arg(long)]
    pub strategy: Option<open1688_jobs::Strategy>,
}

impl CompareArgs {
    /// The application layer's request.
    pub fn request(&self) -> CompareRequest {
        CompareRequest {
            target: CompareTarget::parse(&self.target),
            need: self.need.request(),
            candidates: Some(self.candidates),
            strategy: self.strategy,
        }
    }
}

/// `plan`.
#[derive(Debug, Args, Clone)]
pub struct PlanArgs {
    /// The lines: CSV (`offer_id,sku_id,quantity`) or TOML (`[[lines]]`). With `--split`, the
    /// offers to split over (their quantities are not read: the split decides them).
    pub file: PathBuf,
    /// Raise quantities where that lowers the total.
    #[arg(long, conflicts_with = "split")]
    pub optimize: bool,
    /// Split a need over the file's offers instead: the cheapest allocation, suppliers weighed by
    /// their scorecard band (needs `--need`).
    #[arg(long, requires = "need")]
    pub split: bool,
    /// Units needed (with `--split`).
    #[arg(long, requires = "split", allow_negative_numbers = true)]
    pub need: Option<i64>,
    /// At most this many suppliers (with `--split`).
    #[arg(long, requires = "split")]
    pub max_suppliers: Option<usize>,
    /// Write the split as a plan file here, for `order preview` (with `--split`).
    #[arg(long, requires = "split", value_name = "FILE")]
    pub save: Option<PathBuf>,
}

/// `recommend`.
#[derive(Debug, Args, Clone)]
pub struct RecommendArgs {
    /// Search filters.
    #[command(flatten)]
    pub search: SearchArgs,
    /// Price at this quantity.
    #[arg(long, default_value_t = 1, allow_negative_numbers = true)]
    pub quantity: i64,
    /// At most this unit price at the quantity.
    #[arg(long)]
    pub max_unit_price: Option<Decimal>,
    /// At most this MOQ.
    #[arg(long)]
    pub max_moq: Option<i64>,
    /// Required supplier identity (repeatable), e.g. `super_factory`.
    #[arg(long)]
    pub identity: Vec<String>,
    /// Minimum supplier score.
    #[arg(long)]
    pub min_score: Option<Decimal>,
    /// Ships within this many hours.
    #[arg(long)]
    pub ships_within: Option<u32>,
}

impl RecommendArgs {
    /// The application layer's filters.
    pub fn request(&self) -> RecommendRequest {
        RecommendRequest {
            quantity: self.quantity,
            max_unit_price: self.max_unit_price,
            max_moq: self.max_moq,
            identity: self.identity.clone(),
            min_score: self.min_score,
            ships_within: self.ships_within,
        }
    }
}

/// `source`.
#[derive(Debug, Args, Clone)]
pub struct SourceArgs {
    /// Search words.
    pub keyword: String,
    /// The need.
    #[command(flatten)]
    pub need: NeedArgs,
    /// Output folder for the workbook.
    #[arg(long, default_value = "open1688-out")]
    pub out: PathBuf,
    /// Candidates to fetch details for.
    #[arg(long, default_value_t = 30)]
    pub candidates: usize,
    /// How the pick trades price for supplier safety: cheapest, balanced or safest (default:
    /// the config's `strategy`, else balanced).
    #[arg(long)]
    pub strategy: Option<open1688_jobs::Strategy>,
    /// Also read other sellers' listings of the first pick's item, found by its picture, and
    /// decide among all.
    #[arg(long)]
    pub same_item: bool,
    /// Split the need across at most this many suppliers when a split is shown.
    #[arg(long)]
    pub max_suppliers: Option<usize>,
    /// Preview the best N candidates' orders with 1688 (read-only, nothing is placed) and decide
    /// on the platform's freight and promotions: N preview calls (default 3, at most 5). The
    /// goods go to `[order] ship_to`, or to `--address-id`.
    #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "3")]
    pub confirm_freight: Option<usize>,
    /// A saved delivery address for `--confirm-freight` (`open1688 order addresses` lists them).
    #[arg(long, requires = "confirm_freight")]
    pub address_id: Option<i64>,
}

impl SourceArgs {
    /// The application layer's request.
    pub fn request(&self) -> SourceRequest {
        SourceRequest {
            keyword: self.keyword.clone(),
            need: self.need.request(),
            candidates: Some(self.candidates),
            strategy: self.strategy,
            same_item: self.same_item,
            max_suppliers: self.max_suppliers,
            confirm_freight: None,
            // The global --file-language, set by the command.
            file_language: None,
        }
    }
}
