//! Job runs and checkpoints: every monitor cycle is a row with a heartbeat and progress counts,
//! so a killed run is visible (and recovered by the next run of the same worker); checkpoints
//! keep small named state between runs, such as a keyword watch's last results.

use async_trait::async_trait;
use serde::Serialize;

use crate::dialect::Dialect;
use crate::error::Result;
use crate::pool::{BeginWrite, SqlStore};

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Still going (or killed, if its heartbeat is old).
    Running,
    /// Finished normally.
    Completed,
    /// Stopped by an error.
    Failed,
    /// Found still running by the next run of the same worker: it was killed.
    Interrupted,
}

impl std::fmt::Display for RunStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl RunStatus {
    fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Completed => "completed",
            Self::Failed => "failed",
            Self::Interrupted => "interrupted",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "completed" => Self::Completed,
            "failed" => Self::Failed,
            "interrupted" => Self::Interrupted,
            _ => Self::Running,
        }
    }
}

/// Counts of a run so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RunProgress {
    /// Checks attempted.
    pub checks: i64,
    /// Checks that succeeded.
    pub succeeded: i64,
    /// New alerts.
    pub alerts: i64,
}

/// One run of a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct JobRun {
    /// Id.
    pub id: i64,
    /// The job (`monitor`).
    pub job: String,
    /// The worker that ran it.
    pub worker: String,
    /// Start (epoch ms).
    pub started_ms: i64,
    /// Last sign of life (epoch ms).
    pub heartbeat_ms: i64,
    /// End (epoch ms).
    pub finished_ms: Option<i64>,
    /// Outcome.
    pub status: RunStatus,
    /// Counts.
    pub progress: RunProgress,
}

/// What a run began with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunStart {
    /// The new run's id.
    pub id: i64,
    /// Earlier runs of this worker that never finished (now marked interrupted).
    pub interrupted: Vec<i64>,
    /// Watches those runs had claimed and were released for this run.
    pub released_claims: u64,
}

/// Persistence of job runs and checkpoints.
#[async_trait]
pub trait JobStore: Send + Sync {
    /// Starts a run of `job` by `worker`. The worker's unfinished runs are marked interrupted and
    /// the watches they had claimed are released, so a restarted worker picks up where it died.
    async fn start_run(&self, job: &str, worker: &str, now_ms: i64) -> Result<RunStart>;
    /// Records progress and a heartbeat.
    async fn heartbeat(&self, run_id: i64, progress: RunProgress, now_ms: i64) -> Result<()>;
    /// Ends a run.
    async fn finish_run(&self, run_id: i64, status: RunStatus, progress: RunProgress, now_ms: i64) -> Result<()>;
    /// The latest runs, newest first.
    async fn runs(&self, limit: i64) -> Result<Vec<JobRun>>;
    /// A checkpoint's value.
    async fn checkpoint(&self, name: &str) -> Result<Option<String>>;
    /// Sets a checkpoint.
    async fn set_checkpoint(&self, name: &str, value: &str, now_ms: i64) -> Result<()>;
}

impl SqlStore {
    /// Progress and a heartbeat; with a status, the run's end.
    async fn write_run(&self, run_id: i64, end: Option<RunStatus>, progress: RunProgress, now_ms: i64) -> Result<()> {
        crate::on_pool!(self, pool => {
            sqlx::query(&pool.sql("UPDATE job_runs SET heartbeat_ms = $1, checks = $2, succeeded = $3, alerts = $4, \
                 status = coalesce($5, status), finished_ms = CASE WHEN $6 IS NULL THEN finished_ms ELSE $7 END \
                 WHERE id = $8")?,
            )
            .bind(now_ms)
            .bind(progress.checks)
            .bind(progress.succeeded)
            .bind(progress.alerts)
            .bind(end.map(RunStatus::as_str))
            .bind(end.map(RunStatus::as_str))
            .bind(now_ms)
            .bind(run_id)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(())
    }
}

#[async_trait]
impl JobStore for SqlStore {
    async fn start_run(&self, job: &str, worker: &str, now_ms: i64) -> Result<RunStart> {
        crate::on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            // Read, then mark, inside the write transaction (MySQL has no UPDATE … RETURNING).
            let interrupted: Vec<i64> = sqlx::query_scalar(&pool.sql(
                "SELECT id FROM job_runs WHERE worker = $1 AND job = $2 AND status = 'running' ORDER BY id",
            )?)
            .bind(worker)
            .bind(job)
            .fetch_all(&mut *tx)
            .await?;
            sqlx::query(&pool.sql(
                "UPDATE job_runs SET status = 'interrupted', finished_ms = $1 WHERE worker = $2 AND job = $3 AND status = 'running'",
            )?)
            .bind(now_ms)
            .bind(worker)
            .bind(job)
            .execute(&mut *tx)
            .await?;
            let released = sqlx::query(&pool.sql("UPDATE watches SET claimed_by = NULL, claimed_ms = NULL WHERE claimed_by = $1")?)
                .bind(worker)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let id: i64 = sqlx::query_scalar(&pool.sql("INSERT INTO job_runs (job, worker, started_ms, heartbeat_ms, status) VALUES ($1, $2, $3, $4, 'running') RETURNING id")?,
            )
            .bind(job)
            .bind(worker)
            .bind(now_ms)
            .bind(now_ms)
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(RunStart { id, interrupted, released_claims: released })
        })
    }

    async fn heartbeat(&self, run_id: i64, progress: RunProgress, now_ms: i64) -> Result<()> {
        self.write_run(run_id, None, progress, now_ms).await
    }

    async fn finish_run(&self, run_id: i64, status: RunStatus, progress: RunProgress, now_ms: i64) -> Result<()> {
        self.write_run(run_id, Some(status), progress, now_ms).await
    }

    async fn runs(&self, limit: i64) -> Result<Vec<JobRun>> {
        type Row = (i64, String, String, i64, i64, Option<i64>, String, i64, i64, i64);
        let rows: Vec<Row> = crate::on_pool!(self, pool => {
            sqlx::query_as(&pool.sql("SELECT id, job, worker, started_ms, heartbeat_ms, finished_ms, status, checks, succeeded, alerts \
                 FROM job_runs ORDER BY id DESC LIMIT $1")?,
            )
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, job, worker, started_ms, heartbeat_ms, finished_ms, status, checks, succeeded, alerts)| JobRun {
                id,
                job,
                worker,
                started_ms,
                heartbeat_ms,
                finished_ms,
                status: RunStatus::parse(&status),
                progress: RunProgress { checks, succeeded, alerts },
            })
            .collect())
    }

    async fn checkpoint(&self, name: &str) -> Result<Option<String>> {
        Ok(crate::on_pool!(self, pool => {
            sqlx::query_scalar(&pool.sql("SELECT value FROM checkpoints WHERE name = $1")?).bind(name).fetch_optional(pool).await?
        }))
    }

    async fn set_checkpoint(&self, name: &str, value: &str, now_ms: i64) -> Result<()> {
        crate::on_pool!(self, pool => {
            sqlx::query(&pool.sql("INSERT INTO checkpoints (name, value, updated_ms) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_ms = excluded.updated_ms")?,
            )
            .bind(name)
            .bind(value)
            .bind(now_ms)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(())
    }
}
