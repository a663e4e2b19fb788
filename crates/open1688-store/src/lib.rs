//! Persistence and monitoring for open1688. This first part is the pure core: offer snapshots,
//! change detection between consecutive snapshots, and alert rules with snooze and a daily cap.
//!
//! ```
//! use open1688_store::{AlertRule, Snapshot, detect, evaluate};
//! use sourcing::{Offer, PriceLadder};
//!
//! let mut before = Offer::new(1, "保温杯");
//! before.ladder = Some(PriceLadder::parse("1-99:10.00;100+:9.00").unwrap());
//! let mut after = before.clone();
//! after.ladder = Some(PriceLadder::parse("1-99:8.50;100+:8.00").unwrap());
//! let history = [Snapshot::of(&before, None), Snapshot::of(&after, None)];
//! let changes = detect(&history[0], &history[1]);
//! let rules = [AlertRule::PriceBelow { quantity: 50, target: "9.00".parse().unwrap() }];
//! let alerts = evaluate(&rules, &history, &changes);
//! assert_eq!(alerts.len(), 1);
//! ```

pub mod alerts;
pub mod db;
pub mod email;
pub mod failure;
pub mod history;
pub mod jobs;
pub mod keyword;
mod money;
pub mod monitor;
pub mod notify;
pub mod record;
pub mod secret;
pub mod shared;
pub mod snapshot;

pub use alerts::{Alert, AlertRule, evaluate, throttle};
pub use db::{NewWatch, Recorded, SqlStore, Store, StoreError, Watch};
pub use email::{EmailError, EmailNotifier};
pub use failure::{FailurePolicy, Finished};
pub use history::HistoryPoint;
pub use jobs::{JobRun, JobStore, RunProgress, RunStart, RunStatus};
pub use monitor::{Monitor, MonitorStats};
pub use notify::{Notifier, StdoutNotifier, WebhookNotifier};
pub use record::{Observation, StoredOffer, StoredSupplier};
pub use secret::{EncryptedTokenStore, SecretKey};
pub use shared::{RedisBackend, RedisCache, RedisRateLimiter, TieredCache};
pub use snapshot::{Change, Snapshot, detect};
