//! A faithful local copy of the 1688 Open Platform gateway, to develop, test and demo against
//! without an app key or a network.
//!
//! It verifies `_aop_signature` with the SDK's own signing code, runs the gateway checks in the
//! order of the protocol spec (§5.1), issues and checks OAuth codes and tokens, enforces per-app
//! and per-API QPS and a daily quota, and serves the buyer APIs from a catalog generated
//! deterministically from a seed (20,000 offers, 1,600 suppliers by default), with images,
//! a controllable clock that makes prices and stock drift, injectable faults, and call counters.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use open1688_sandbox::Sandbox;
//!
//! let sandbox = Sandbox::builder().catalog_size(2_000, 200).simulated_clock(None).start().await?;
//! println!("endpoint {} app key {}", sandbox.base_url(), sandbox.app_key());
//! sandbox.advance(std::time::Duration::from_secs(86_400))?;
//! let changes = sandbox.changes(i64::MIN, sandbox.now_ms());
//! println!("{} catalog changes in a day; {} calls so far", changes.len(), sandbox.stats().total.calls);
//! # Ok(()) }
//! ```

pub mod api;
pub mod apis;
pub mod call;
pub mod catalog;
pub mod clock;
pub mod config;
mod control;
pub mod faults;
pub mod gateway;
pub mod images;
mod lazy;
pub mod orders;
pub mod push;
pub mod push_log;
pub mod quota;
pub mod reply;
mod server;
pub mod server_options;
pub mod state;
pub mod stats;
pub mod tokens;
mod web;

pub use catalog::drift::{Change, ChangeKind};
pub use config::{AppConfig, DEMO_APP_KEY, DEMO_APP_SECRET, SandboxConfig};
pub use faults::{Fault, FaultPlan, FaultRates};
pub use lazy::LazySandbox;
pub use open1688_listen::Limits;
pub use server::{Sandbox, SandboxBuilder, StartError, router};
pub use server_options::ServerOptions;
pub use state::IssuedTokens;
pub use stats::{CallCounts, StatsSnapshot};
