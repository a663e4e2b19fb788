//! The kinds of background job the service runs, and how: today the sourcing job. Each runs with
//! its gateway calls charged to the key that submitted it, waiting for its share rather than
//! failing (nobody holds a connection open for a job).

use std::path::PathBuf;
use std::sync::Arc;

use async_trait::async_trait;
use axum::http::StatusCode;
use open1688_jobs::{Jobs, Progress, SourceRequest};

use crate::call_shares::{CallShares, JOB_PATIENCE};
use crate::job_board::JobOutput;
use crate::job_worker::JobRunner;
use crate::problem::Problem;

/// The sourcing job's kind.
pub const SOURCE: &str = "source";

/// Runs the service's jobs over its application layer.
pub struct ServiceJobs {
    jobs: Arc<Jobs>,
    call_shares: CallShares,
}

impl ServiceJobs {
    /// Jobs over `jobs`, their calls charged to their keys' `call_shares`.
    pub fn new(jobs: Arc<Jobs>, call_shares: CallShares) -> Self {
        Self { jobs, call_shares }
    }
}

#[async_trait]
impl JobRunner for ServiceJobs {
    async fn run(
        &self,
        kind: &str,
        owner: i64,
        request: serde_json::Value,
        progress: Progress,
        dir: PathBuf,
    ) -> JobOutput {
        match kind {
            SOURCE => {
                let request: SourceRequest = serde_json::from_value(request).map_err(|e| {
                    Problem::new(StatusCode::UNPROCESSABLE_ENTITY, format!("the stored request no longer reads: {e}"))
                })?;
                let charge = self.call_shares.charge(owner, JOB_PATIENCE);
                let report = charge.scope(self.jobs.source(&request, &progress)).await?;
                let files = report.write_outputs(&dir, &progress, request.file_language())?;
                let json = serde_json::to_value(&report).map_err(|e| {
                    Problem::new(StatusCode::INTERNAL_SERVER_ERROR, format!("the report did not encode: {e}"))
                })?;
                Ok((json, files))
            }
            other => Err(Problem::new(StatusCode::UNPROCESSABLE_ENTITY, format!("no job of kind {other:?} runs here"))),
        }
    }
}
