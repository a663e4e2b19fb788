//! The application layer of open1688: every user-facing job as a typed function that returns a
//! typed, serializable report. The CLI, the HTTP service and the MCP server all call these and
//! render the same reports; none of them decides anything itself.
//!
//! - [`Jobs`] holds the gateway client, the language and the [`SourcingPolicy`]; its methods are
//!   the jobs that call the gateway: [`Jobs::search`], [`Jobs::offers`], [`Jobs::image_search`],
//!   [`Jobs::seller`], [`Jobs::analyze`], [`Jobs::quote`], [`Jobs::compare`], [`Jobs::plan`],
//!   [`Jobs::recommend`] and the main job, [`Jobs::source`].
//! - Jobs over the store need no gateway: [`history::history`] and the [`watches`] functions.
//! - Long jobs report through a [`Progress`] (stages, counted work, notes) and stop when its
//!   cancellation token is cancelled.
//! - Every report has `sheets()`: the same tables for a terminal, CSV, JSON rows and the
//!   workbook ([`workbook`], feature `xlsx`); reports with a picture have `chart()` (feature
//!   `charts`).
//! - Errors are [`JobError`]s whose [`ErrorKind`] a surface maps to an exit code or a status.
//!
//! ```
//! use open1688_jobs::{Jobs, NeedRequest, Progress, QuoteRequest, SourcingPolicy};
//!
//! async fn how_many(client: open1688::Client) -> open1688_jobs::Result<i64> {
//!     let jobs = Jobs::new(client).language("en").policy(SourcingPolicy::default());
//!     let request = QuoteRequest { offer_id: 630526089341, need: NeedRequest::units(95), sku: None, batches: 3 };
//!     let report = jobs.quote(&request, &Progress::silent()).await?;
//!     // The same report renders as tables, JSON or a workbook.
//!     assert!(!report.sheets().is_empty());
//!     Ok(report.advice.best().quantity)
//! }
//! ```

pub mod addresses;
pub mod alerts;
pub mod analyze;
pub mod candidates;
pub mod catalog_crawl;
pub mod catalog_plan;
pub mod catalog_refresh;
pub mod catalog_search;
#[cfg(feature = "charts")]
mod chart_glyphs;
#[cfg(feature = "charts")]
pub mod chart_words;
#[cfg(feature = "charts")]
pub mod charts;
#[cfg(feature = "xlsx")]
pub mod column_titles;
pub mod compare;
pub mod data_source;
pub mod error;
pub mod field_refusal;
pub mod freight_confirmation;
pub mod history;
pub mod image_search;
pub mod jobs;
mod kept_answers;
pub mod offers;
pub mod order_place;
pub mod order_preview;
pub mod order_sheets;
pub mod order_track;
pub mod picture_hash;
pub mod plan;
pub mod plan_file;
pub mod policy;
pub mod progress;
pub mod quote;
pub mod recommend;
pub mod same_item;
pub mod schema;
pub mod search;
pub mod seller;
pub mod sheet;
pub mod source;
#[cfg(all(feature = "xlsx", feature = "charts"))]
mod source_files;
mod source_outputs;
mod source_summary;
pub mod split;
pub mod supplier_profiles;
pub mod watches;
#[cfg(feature = "xlsx")]
pub mod workbook;

pub use addresses::{AddressBook, SavedAddress};
pub use alerts::AlertList;
pub use analyze::AnalyzeReport;
pub use candidates::{MAX_UNITS, NeedRequest, supplier_name};
pub use catalog_crawl::{CrawlReport, CrawlRequest, CrawlSource, SourceCrawl};
pub use catalog_plan::{CatalogPlan, PlannedCrawl};
pub use catalog_refresh::{RefreshReport, RefreshRequest};
pub use catalog_search::{CatalogEngine, CatalogSearchReport};
pub use compare::{CompareReport, CompareRequest, CompareTarget};
pub use data_source::DataSource;
pub use error::{ErrorKind, JobError, Result};
pub use field_refusal::FieldRefusal;
pub use freight_confirmation::{ConfirmFreight, FreightConfirmation};
pub use history::HistoryReport;
pub use image_search::{ImageSearchRequest, picture_source};
pub use jobs::{Jobs, load_scorecard, remote_scorecard};
pub use offers::OffersReport;
pub use order_place::{OrderPolicy, PlaceOptions, PlaceReport, PlacedOrder};
pub use order_preview::{
    Difference, DifferenceKind, OrderPreviewReport, OrderRequest, PreviewedOrder, Refusal, ShipTo,
};
pub use order_track::{OpenOrdersTracked, PayLink, TrackedOrder};
pub use plan::{PlanItem, PlanReport, PlanRequest};
pub use plan_file::{PlanFormat, parse_plan, read_plan_file};
pub use policy::SourcingPolicy;
pub use progress::{Progress, ProgressEvent, Stage};
pub use quote::{QuoteReport, QuoteRequest};
pub use recommend::{RecommendReport, RecommendRequest};
pub use same_item::{SameItemReport, SameItemRequest};
pub use search::{SearchReport, SearchRequest, Sort};
pub use seller::SellerReport;
pub use sheet::{Cell, Sheet};
pub use source::{SourceDecision, SourceReport, SourceRequest};
pub use sourcing::{Language, Strategy};
pub use split::{SplitAnswer, SplitReport, SplitRequest};
pub use tokio_util::sync::CancellationToken;

/// Compiles the Rust examples of the book (`docs/src`) as doc tests, here where the SDK, the
/// engine, the application layer and, as a dev-dependency, the sandbox are all in reach, so the
/// book stays true. (The command examples run as `open1688-cli`'s `docs` test.)
#[cfg(doctest)]
pub mod book_doctests {
    #[doc = include_str!("../../../docs/src/sdk.md")]
    pub struct Sdk;
    #[doc = include_str!("../../../docs/src/engine.md")]
    pub struct Engine;
    #[doc = include_str!("../../../docs/src/application-layer.md")]
    pub struct ApplicationLayer;
    #[doc = include_str!("../../../docs/src/monitor.md")]
    pub struct Monitor;
    #[doc = include_str!("../../../docs/src/sandbox.md")]
    pub struct Sandbox;
}
