//! Orders as the platform keeps them (spec `trade-and-messages.md` §A): created by
//! `createCrossOrder` after the preview's checks ([`pricing`]), holding their stock until they are
//! cancelled, and moving `waitbuyerpay → waitsellersend → waitbuyerreceive → success` (or
//! `cancel`) — paid through a control endpoint (nothing pays through the API), shipped by the
//! seller after a delay on the sandbox clock, traced through the carrier's nodes, and received.
//! Every step is logged as the message the platform would push ([`OrderMessage`]).

pub mod book;
pub mod pricing;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use book::{OrderBook, OrderMessage, SandboxOrder};

/// How orders behave where the spec leaves it open or where time decides.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OrderConfig {
    /// Whether a second `createCrossOrder` with an `outOrderId` already used by the same buyer
    /// answers the first order instead of creating another. The spec does not say what the
    /// platform does, so the default is the unforgiving answer: a second order.
    pub dedupe_out_order_id: bool,
    /// Minutes (sandbox clock) from payment until the seller ships.
    pub ship_after_minutes: i64,
    /// Minutes between the carrier's trace nodes (consigned, accepted, in transport, delivering,
    /// signed).
    pub trace_step_minutes: i64,
    /// Hours from shipping until the trade succeeds (the buyer's receipt, confirmed).
    pub receive_after_hours: i64,
    /// Hours an unpaid order waits before the platform closes it.
    pub pay_timeout_hours: i64,
    /// Freight of a shipment up to 1 kg (CNY).
    pub freight_first_kg: Decimal,
    /// Freight of each further kg or part of one (CNY).
    pub freight_per_kg: Decimal,
    /// Goods amount from which the seller ships free (CNY; `None`: never).
    pub free_freight_over: Option<Decimal>,
}

impl Default for OrderConfig {
    fn default() -> Self {
        Self {
            dedupe_out_order_id: false,
            ship_after_minutes: 240,
            trace_step_minutes: 360,
            receive_after_hours: 72,
            pay_timeout_hours: 72,
            freight_first_kg: Decimal::new(8, 0),
            freight_per_kg: Decimal::new(3, 0),
            free_freight_over: Some(Decimal::new(3_000, 0)),
        }
    }
}

/// The order statuses the sandbox moves through (`baseInfo.status`).
pub mod status {
    /// Created, not paid.
    pub const WAIT_BUYER_PAY: &str = "waitbuyerpay";
    /// Paid, not shipped.
    pub const WAIT_SELLER_SEND: &str = "waitsellersend";
    /// Shipped.
    pub const WAIT_BUYER_RECEIVE: &str = "waitbuyerreceive";
    /// Received: the trade is done.
    pub const SUCCESS: &str = "success";
    /// Closed before payment.
    pub const CANCEL: &str = "cancel";
}
