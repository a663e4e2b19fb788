//! Persistence for open1688, and nothing else: offer snapshots with the changes between them,
//! price and stock history, suppliers and raw answers, watches with their alert rules, leases and
//! failure schedule, alerts, job runs and checkpoints, and OAuth tokens encrypted with
//! AES-256-GCM, and the response cache's on-disk level — on SQLite (the default), PostgreSQL or
//! MySQL/MariaDB behind one [`Store`] trait, with migrations for each. The monitor that uses it is `open1688-monitor`; Redis is
//! `open1688-redis`.
//!
//! ```
//! use open1688_store::{Change, Snapshot, detect};
//! use sourcing::{Offer, PriceLadder};
//!
//! let mut before = Offer::new(1, "保温杯");
//! before.ladder = Some(PriceLadder::parse("1-99:10.00;100+:9.00").unwrap());
//! let mut after = before.clone();
//! after.ladder = Some(PriceLadder::parse("1-99:8.50;100+:8.00").unwrap());
//! let changes = detect(&Snapshot::of(&before, None), &Snapshot::of(&after, None));
//! assert!(changes.iter().any(|c| matches!(c, Change::TierPrice { start_quantity: 1, .. })));
//! ```

pub mod alert_event;
pub mod alert_log;
pub mod alerts;
pub mod api_keys;
pub mod catalog;
#[cfg(feature = "postgres")]
mod catalog_answers;
mod catalog_entry;
pub mod catalog_index;
#[cfg(feature = "postgres")]
mod catalog_pg;
pub mod catalog_query;
pub mod catalog_words;
pub mod db;
mod dialect;
pub mod error;
pub mod failure;
pub mod history;
pub mod jobs;
mod money;
pub mod offer_labels;
pub mod order_alerts;
pub mod order_readback;
pub mod orders;
pub mod outbox;
pub mod plan_carts;
pub mod pool;
pub mod pushes;
pub mod readback;
pub mod record;
pub mod response_cache;
pub mod scope_table;
pub mod secret;
pub mod service_jobs;
pub mod sessions;
pub mod snapshot;
pub mod supplier_profiles;
pub mod watch;

pub use alert_event::{AlertEvent, Happening, TierMove, order_status_name};
pub use alert_log::{AlertQuery, LoggedAlert};
pub use alerts::{Alert, AlertRule};
pub use api_keys::{ApiKey, NewApiKey, Scope};
pub use catalog::{CatalogEntry, CatalogStore, DataAge, Stale};
pub use catalog_index::{CatalogIndex, IndexError};
pub use catalog_query::{CatalogHit, CatalogQuery, CatalogResults, CatalogSort, Facets};
pub use db::Store;
pub use error::{Result, StoreError};
pub use failure::{FailurePolicy, Finished};
pub use history::HistoryPoint;
pub use jobs::{JobRun, JobStore, RunProgress, RunStart, RunStatus};
pub use offer_labels::OfferLabel;
pub use order_alerts::{ORDER_ALERTS, OrderAlert, OrderAlertSubject, UnalertedChange};
pub use order_readback::{OrderChange, OrderChangeKind};
pub use orders::{NewOrder, OrderEvent, OrderLine, OrderQuery, OrderState, StatusChange, StoredOrder};
pub use outbox::{Delivery, delivery_id};
pub use plan_carts::{CartAdd, CartLine, MAX_CART_LINES};
pub use pool::SqlStore;
pub use readback::{OrderReadback, OrderReceiver, ReadbackLine};
pub use record::Recorded;
pub use record::{Observation, StoredOffer, StoredSupplier};
pub use response_cache::{ApiCount, CacheStats, StoreCache};
pub use secret::{EncryptedTokenStore, SecretKey, SecretKeyError};
pub use service_jobs::{
    ClaimRules, Lease, NewServiceJob, ServiceJob, ServiceJobEnd, ServiceJobProgress, ServiceJobStatus,
};
pub use snapshot::{Change, Snapshot, detect};
pub use supplier_profiles::SupplierProfile;
pub use watch::{NewWatch, Watch, WatchState, WatchSummary};
