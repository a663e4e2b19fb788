//! `open1688 mcp`: the sourcing toolkit for AI agents, over the Model Context Protocol (the
//! official Rust SDK, `rmcp`).
//!
//! The application layer's jobs become tools with JSON-schema inputs and structured outputs (the
//! same report types the CLI and the service render; schemas from the same derives as the
//! service's OpenAPI document), each saying what it costs in gateway calls. Failures are tool
//! errors carrying the CLI's message. The sourcing job reports progress and stops when cancelled.
//! Resources: the active scorecard, the caller's last sourcing job (report, workbook, charts) and
//! watched offers' history charts; prompts: sourcing a product and checking a supplier.
//!
//! Served over stdio ([`serve_stdio`], for desktop assistants) and over streamable HTTP
//! ([`http_service`], mounted at `/mcp` by `open1688 serve` behind its API keys).
//!
//! ```no_run
//! use std::sync::Arc;
//! use open1688_mcp::SourcingServer;
//!
//! async fn run(jobs: open1688_jobs::Jobs, store: open1688_store::SqlStore) -> Result<(), open1688_mcp::ServeError> {
//!     let server = SourcingServer::builder(Arc::new(jobs), Arc::new(store)).sandbox(true).build();
//!     // Answers on stdin/stdout until the client closes them.
//!     open1688_mcp::serve_stdio(server).await
//! }
//! ```

pub mod arguments;
pub mod call;
pub mod caller;
pub mod failure;
pub mod outputs;
pub mod progress;
pub mod prompts;
pub mod reader;
pub mod resources;
pub mod server;
pub mod toolkit;
pub mod tools;
mod transport;

pub use caller::Caller;
pub use server::{SourcingServer, SourcingServerBuilder};
pub use toolkit::Toolkit;
pub use transport::{MAX_MESSAGE_BYTES, ServeError, http_service, serve_stdio};
