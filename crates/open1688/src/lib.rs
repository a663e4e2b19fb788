//! Async SDK for the 1688 Open Platform (`gw.open.1688.com`).
//!
//! Signed calls (HMAC-SHA1 `_aop_signature`), the OAuth token lifecycle, and a quota-aware
//! transport: per-app and per-API rate limits that make callers wait instead of fail, a local
//! daily cap, and retries by error class with full-jitter backoff and a retry budget. The wire
//! format lives in [`open1688_types`], re-exported here as [`types`].
//!
//! ```no_run
//! use open1688::Client;
//! use open1688::types::api::search::{KeywordQuery, OfferQueryParam};
//!
//! # async fn run() -> open1688::Result<()> {
//! let client = Client::builder()
//!     .app_key("1000000")
//!     .app_secret("your-app-secret")
//!     .access_token("the-user-access-token")
//!     .build()?;
//! let page = client
//!     .execute(&KeywordQuery {
//!         query: OfferQueryParam {
//!             keyword: "蓝牙耳机".into(),
//!             begin_page: 1,
//!             page_size: 20,
//!             country: "en".into(),
//!             ..Default::default()
//!         },
//!     })
//!     .await?
//!     .into_payload();
//! println!("{} offers", page.map_or(0, |p| p.data.len()));
//! # Ok(())
//! # }
//! ```

mod builder;
mod buyer;
pub mod cache;
pub mod call_share;
mod client;
pub mod clock;
pub mod error;
pub mod image_search;
pub mod limiter;
mod oauth;
pub mod picture_decode;
pub mod picture_url;
mod platform;
pub mod retry;
pub mod telemetry;
pub mod tiered_cache;
pub mod token;
mod token_state;
pub mod token_store;
mod transport;

pub use builder::{ClientBuilder, DEFAULT_ENDPOINT, env};
pub use buyer::{MemberKey, SearchQuery, SortOrder};
pub use cache::{CacheCounts, CacheTtls, MemoryCache, ResponseCache};
pub use client::Client;
pub use error::{Credential, DecodeCategory, Error, Result};
pub use image_search::{ImageSearch, ImageSource};
pub use limiter::{RateLimits, SharedLimiterUnavailable, SharedPacer, SharedRateLimiter};
pub use oauth::new_oauth_state;
pub use open1688_types as types;
pub use open1688_types::Params;
pub use platform::{is_loopback, on_1688};
pub use retry::{ErrorClass, RetryPolicy};
pub use tiered_cache::{SecondLevelCache, TieredCache};
pub use token::Token;
pub use token_store::{FileTokenStore, MemoryTokenStore, TokenStore, TokenStoreError};
