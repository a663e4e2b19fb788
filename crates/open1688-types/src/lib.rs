//! Sans-IO wire protocol of the 1688 Open Platform gateway.
//!
//! This crate knows how a request is named, encoded and signed, and how the gateway's responses
//! and errors look, with every type quirk decoded leniently. It performs no IO; the `open1688`
//! crate sends what this crate builds, and the sandbox verifies it with the same code.
//!
//! ```
//! use open1688_types::api::search::{KeywordQuery, OfferQueryParam};
//! use open1688_types::ApiRequest;
//!
//! let request = KeywordQuery {
//!     query: OfferQueryParam {
//!         keyword: "饼干".into(),
//!         begin_page: 1,
//!         page_size: 20,
//!         country: "en".into(),
//!         ..Default::default()
//!     },
//! };
//! let mut params = request.params().unwrap();
//! params.set_raw("access_token", "f14da3b8-b0b1-4f73-a5de-9bed637e0188");
//! params.set_raw("_aop_timestamp", "1700000000000");
//! let signature = params.signature(&request.api().sign_path("1000000"), b"test123");
//! assert_eq!(signature, "BC4C71D0132DDB3FF63DF0CE127FB2FF46F7069E"); // vector V2
//! ```

pub mod api;
pub mod business;
pub mod envelope;
pub mod gateway_error;
pub mod lenient;
pub mod oauth;
pub mod params;
pub mod push;
pub mod request;
pub mod signing;
pub mod skipped;
pub mod wire_struct;

pub use business::{BusinessFailure, ResponseFamily};
pub use gateway_error::{GatewayErrorBody, GatewayErrorCode};
pub use params::{EncodeError, Json, Params, WireValue};
pub use push::{PushError, PushMessage, verify_push};
pub use request::{ApiId, ApiRequest, ApiResponse};
pub use signing::{SortRule, sign, sign_path, sign_with, verify};
pub use skipped::{SkippedItem, collect_skipped};

/// System parameter: the user's token.
pub const ACCESS_TOKEN: &str = "access_token";
/// System parameter: request time in epoch milliseconds.
pub const TIMESTAMP: &str = "_aop_timestamp";
