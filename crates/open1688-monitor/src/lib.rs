//! The monitor of open1688: it claims due watches from the store, reads fresh data within the
//! app's quota, records snapshots (the store detects what changed), evaluates the watch's alert
//! rules ([`rules`]), follows keyword searches ([`keyword`]), and sends new alerts through an outbox
//! ([`outbox`], stored with the alerts, so none is lost) to notifiers (stdout, a signed webhook with a verifier for receivers ([`webhook`]), email). Failing watches are paused by a
//! [`FailurePolicy`]; every cycle is a job run with a heartbeat, so a killed monitor resumes.
//!
//! ```
//! use open1688_monitor::rules::evaluate;
//! use open1688_store::{AlertRule, Snapshot, detect};
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

#[cfg(feature = "email")]
pub mod email;
pub mod keyword;
pub mod monitor;
pub mod notify;
pub mod order_readback;
pub mod order_watch;
pub mod outbox;
pub mod rules;
pub mod webhook;

#[cfg(feature = "email")]
pub use email::{EmailError, EmailNotifier};
pub use monitor::{Monitor, MonitorStats};
pub use notify::{Notifier, NotifyError, StdoutNotifier};
pub use open1688_store::delivery_id;
pub use open1688_store::{FailurePolicy, Finished};
pub use order_watch::{
    OpenOrdersRead, OrderReadError, OrderRound, OrderWatch, StuckAfter, read_open_orders, read_order,
};
pub use rules::{evaluate, throttle};
pub use webhook::{WeakSecret, WebhookNotifier, verify_webhook};
