//! `open1688 serve`: the sourcing data service. Business systems call one HTTP API (JSON in and
//! out, money as decimal strings, errors as RFC 9457 problem documents) that answers from the
//! application layer (`open1688-jobs`) — the same jobs the CLI runs — behind API keys with
//! scopes. The CLI wires it up (`open1688 serve`, `open1688 serve keys …`).
//!
//! ```
//! use axum::http::StatusCode;
//! use open1688_server::problem::Problem;
//!
//! let p = Problem::invalid("need", "need must be at least 1, got 0");
//! assert_eq!((p.status, p.field.as_deref()), (400, Some("need")));
//! assert_eq!(&*Problem::new(StatusCode::NOT_FOUND, "no offer 1").title, "Not Found");
//! ```

pub mod alert_stream;
pub mod answer_cache;
pub mod api;
pub mod app;
pub mod auth;
pub mod call_shares;
pub mod extract;
pub mod job_board;
pub mod job_kinds;
pub mod job_stage;
pub mod job_worker;
pub mod key_cache;
pub mod key_limits;
pub mod key_pacing;
pub mod language;
pub mod mcp_answers;
pub mod openapi;
pub mod pages;
pub mod problem;
pub mod revocations;
pub mod routes;
pub mod state;
pub mod telemetry;

pub use alert_stream::StreamNotifier;
pub use answer_cache::AnswerCache;
pub use api::document;
pub use app::{ServeOptions, router, serve};
pub use call_shares::CallShares;
pub use job_board::JobBoard;
pub use key_cache::KeyCache;
pub use key_limits::KeyLimits;
pub use problem::Problem;
pub use state::ServiceState;
