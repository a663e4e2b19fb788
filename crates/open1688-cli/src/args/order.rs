//! Arguments of `order`: purchase plans previewed and placed as 1688 orders, and the orders
//! tracked, paid (by link) and cancelled.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use rust_decimal::Decimal;

/// `order` actions.
#[derive(Debug, Subcommand)]
pub enum OrderAction {
    /// Preview a plan's orders with the platform: one per supplier, every difference from the
    /// plan named (prices, freight, promotions), every refusal explained. Places nothing.
    Preview(OrderPlanArgs),
    /// Place a plan's orders: only with --yes, only under the spending cap, each exactly once
    /// (a rerun finds the orders already placed). Prints the payment link; never pays.
    Place(PlaceArgs),
    /// The orders placed from here, newest first.
    List(OrderListArgs),
    /// One order: the store's record and its timeline.
    Show {
        /// The platform's order id.
        id: i64,
    },
    /// Read orders from the platform now (status, carrier, trace) and record what changed; all
    /// open orders without an id.
    Track {
        /// The platform's order id.
        id: Option<i64>,
    },
    /// Cancel an unpaid order.
    Cancel {
        /// The platform's order id.
        id: i64,
        /// `buyerCancel`, `sellerGoodsLack` or `other`.
        #[arg(long, default_value = "buyerCancel")]
        reason: String,
    },
    /// The buyer's saved delivery addresses, with the ids --address-id and `[order] ship_to`
    /// take.
    Addresses,
    /// The cashier link for unpaid orders (the buyer pays there, logged in to 1688).
    PayUrl {
        /// The platform's order ids (up to 100).
        #[arg(required = true)]
        ids: Vec<i64>,
    },
}

/// A plan to order, and where it goes.
#[derive(Debug, Args, Clone)]
pub struct OrderPlanArgs {
    /// The plan: CSV (`offer_id,sku_id,quantity`) or TOML (`[[lines]]`).
    pub plan: PathBuf,
    /// Raise quantities where that lowers the total (as `plan --optimize`).
    #[arg(long)]
    pub optimize: bool,
    /// A name for this batch of orders (default: a digest of the plan's lines).
    #[arg(long)]
    pub batch: Option<String>,
    /// A note to every seller.
    #[arg(long)]
    pub message: Option<String>,
    /// Deliver to this saved address id instead of the config's `[order] ship_to`.
    #[arg(long)]
    pub address_id: Option<i64>,
}

/// `order place`.
#[derive(Debug, Args, Clone)]
pub struct PlaceArgs {
    /// The plan and where it goes.
    #[command(flatten)]
    pub plan: OrderPlanArgs,
    /// Place the orders. Without it, the preview is shown and nothing is placed.
    #[arg(long)]
    pub yes: bool,
    /// The most this run may commit (CNY), below the config's `[order] spending_cap`.
    #[arg(long)]
    pub spending_cap: Option<Decimal>,
}

/// `order list`.
#[derive(Debug, Args, Clone)]
pub struct OrderListArgs {
    /// Only this batch's orders.
    #[arg(long)]
    pub batch: Option<String>,
    /// Only orders still moving (not failed, not succeeded or cancelled).
    #[arg(long)]
    pub open: bool,
    /// At most this many.
    #[arg(long, default_value_t = 50)]
    pub limit: i64,
}
