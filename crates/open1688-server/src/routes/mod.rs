//! The service's routes, one module per family: operations, lookups, the catalog, decisions,
//! watching.

pub mod alerts;
pub mod catalog;
pub mod decide;
pub mod jobs;
pub mod keys;
pub mod lookup;
pub mod metrics;
pub mod ops;
pub mod orders;
pub mod picture;
pub mod push;
pub mod watch;
