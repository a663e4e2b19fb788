//! Orders as the platform keeps them (spec `trade-and-messages.md` §A): created by
//! `createCrossOrder` after the preview's checks ([`pricing`]), holding their stock until they are
//! cancelled, and moving `waitbuyerpay → waitsellersend → waitbuyerreceive → success` (or
//! `cancel`) — paid through a control endpoint (nothing pays through the API), shipped by the
//! seller after a delay on the sandbox clock, traced through the carrier's nodes, and received.
//! Every step is logged as the message the platform would push ([`OrderMessage`]).

pub mod book;
pub mod destination;
pub mod pricing;

pub use crate::config::OrderConfig;
pub use book::{OrderBook, OrderMessage, SandboxOrder};

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
