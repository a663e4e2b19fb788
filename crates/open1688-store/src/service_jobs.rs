//! The service's background jobs as a durable queue: a job is a row (its request, its owner key,
//! where it is, its progress, its result and files), so any instance answers for any job. An
//! instance *claims* a queued job with a lease it renews while the job runs; an instance that
//! dies leaves its lease to run out, and another claims the job and runs it again. Only the
//! holder of the lease can record the end, so a client sees exactly one result.
//!
//! Why not a queue library: the well-kept ones are PostgreSQL-only (`sqlxmq`,
//! `graphile_worker`) or bring their own job model and runtime (`apalis`, whose SQL back ends
//! also pin a sqlx version of their own); what clients read here (progress, notes, result, files,
//! the owner) would still be ours to keep beside them. A claim is one conditional `UPDATE` that
//! only one instance can win, the same on SQLite, PostgreSQL and MySQL.

use serde::Serialize;

use crate::dialect::Dialect;
use crate::error::{Result, StoreError};
use crate::on_pool;
use crate::pool::{BeginWrite, SqlStore};

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceJobStatus {
    /// Waiting for an instance to claim it.
    Queued,
    /// Claimed: running on the instance holding its lease.
    Running,
    /// Done; its result and files are kept.
    Succeeded,
    /// Stopped with an error.
    Failed,
    /// Cancelled by a caller.
    Cancelled,
    /// Given up after its instances stopped while it ran too many times.
    Interrupted,
}

impl ServiceJobStatus {
    /// The status as stored (`queued`, `running`…).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
            Self::Interrupted => "interrupted",
        }
    }

    fn parse(text: &str) -> Result<Self> {
        Ok(match text {
            "queued" => Self::Queued,
            "running" => Self::Running,
            "succeeded" => Self::Succeeded,
            "failed" => Self::Failed,
            "cancelled" => Self::Cancelled,
            "interrupted" => Self::Interrupted,
            other => return Err(StoreError::Corrupt(format!("job status {other:?}"))),
        })
    }

    /// Whether the job has ended (it will not run again).
    pub fn is_final(self) -> bool {
        !matches!(self, Self::Queued | Self::Running)
    }
}

/// A job as stored (without its result and files, which are read on their own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceJob {
    /// The job's id (random; also what its owner asks for it by).
    pub id: String,
    /// What it is (`source`).
    pub kind: String,
    /// The API key that submitted it.
    pub owner: i64,
    /// The request, as JSON.
    pub request: String,
    /// Where it is.
    pub status: ServiceJobStatus,
    /// The stage it reached.
    pub stage: Option<String>,
    /// Units of the current counted work done.
    pub done: i64,
    /// Units of the current counted work in all.
    pub total: i64,
    /// Notes the job made.
    pub notes: Vec<String>,
    /// Why it failed, as the service's problem JSON.
    pub error: Option<String>,
    /// Names of the files it wrote.
    pub files: Vec<String>,
    /// When it was submitted (epoch ms).
    pub submitted_ms: i64,
    /// When it was first claimed.
    pub started_ms: Option<i64>,
    /// When it ended.
    pub finished_ms: Option<i64>,
    /// Times it was claimed (more than once: an instance stopped while it ran).
    pub attempts: i64,
    /// Whether a caller asked it to stop.
    pub cancel_requested: bool,
}

/// A job to queue.
#[derive(Debug, Clone)]
pub struct NewServiceJob<'a> {
    /// Its id.
    pub id: &'a str,
    /// What it is.
    pub kind: &'a str,
    /// The key submitting it.
    pub owner: i64,
    /// The request, as JSON.
    pub request: &'a str,
    /// Now (epoch ms).
    pub submitted_ms: i64,
}

/// A running job's progress, written with each renewal of its lease.
#[derive(Debug, Clone, Default)]
pub struct ServiceJobProgress {
    /// The stage it reached.
    pub stage: Option<String>,
    /// Units done.
    pub done: i64,
    /// Units in all.
    pub total: i64,
    /// Notes so far.
    pub notes: Vec<String>,
}

/// How a job ended, as its lease holder records it.
#[derive(Debug, Clone)]
pub enum ServiceJobEnd {
    /// Done: the report as JSON and the files (name, bytes).
    Succeeded {
        /// The report.
        result: String,
        /// The files it wrote.
        files: Vec<(String, Vec<u8>)>,
    },
    /// Failed, with the problem JSON.
    Failed(String),
    /// Stopped at a caller's request, with the problem JSON.
    Cancelled(String),
}

/// What a renewal found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lease {
    /// Still this instance's; whether a caller asked the job to stop.
    Held {
        /// A caller asked it to stop.
        cancel_requested: bool,
    },
    /// Another instance holds it now (this one was taken for dead), or the job ended: stop
    /// working on it, record nothing.
    Lost,
}

/// How the queue's claims behave.
#[derive(Debug, Clone, Copy)]
pub struct ClaimRules<'a> {
    /// How long a claim lasts without renewal (ms).
    pub lease_ms: i64,
    /// One owner's jobs running at once, across every instance.
    pub per_owner: i64,
    /// Claims a job gets; one whose lease ran out this many times is given up.
    pub max_attempts: i64,
    /// The problem JSON a job given up carries.
    pub gave_up: &'a str,
    /// The problem JSON a job asked to stop carries when its instance stopped first.
    pub cancelled: &'a str,
}

type Row = (
    String,
    String,
    i64,
    String,
    String,
    Option<String>,
    i64,
    i64,
    String,
    Option<String>,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    i64,
    i64,
);

const COLUMNS: &str = "id, kind, owner, request, status, stage, done, total, notes, error, files, submitted_ms, \
     started_ms, finished_ms, attempts, cancel_requested";

fn job_from(row: Row) -> Result<ServiceJob> {
    let (
        id,
        kind,
        owner,
        request,
        status,
        stage,
        done,
        total,
        notes,
        error,
        files,
        submitted_ms,
        started_ms,
        finished_ms,
        attempts,
        cancel,
    ) = row;
    let list = |text: &str, what: &str| {
        serde_json::from_str::<Vec<String>>(text).map_err(|e| StoreError::Corrupt(format!("job {id} {what}: {e}")))
    };
    Ok(ServiceJob {
        status: ServiceJobStatus::parse(&status)?,
        notes: list(&notes, "notes")?,
        files: list(&files, "files")?,
        id: id.clone(),
        kind,
        owner,
        request,
        stage,
        done,
        total,
        error,
        submitted_ms,
        started_ms,
        finished_ms,
        attempts,
        cancel_requested: cancel != 0,
    })
}

fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

impl SqlStore {
    /// Queues `job` unless its owner already has `max_unfinished` jobs queued or running; `Err`
    /// with that count when it has.
    pub async fn submit_service_job(
        &self,
        job: &NewServiceJob<'_>,
        max_unfinished: i64,
    ) -> Result<std::result::Result<(), i64>> {
        let unfinished: i64 = on_pool!(self, pool => {
            sqlx::query_scalar(&pool.sql("SELECT COUNT(*) FROM service_jobs WHERE owner = $1 AND status IN ('queued', 'running')")?)
                .bind(job.owner)
                .fetch_one(pool)
                .await?
        });
        if unfinished >= max_unfinished {
            return Ok(Err(unfinished));
        }
        on_pool!(self, pool => {
            sqlx::query(&pool.sql("INSERT INTO service_jobs (id, kind, owner, request, status, notes, files, submitted_ms, done, total, attempts, cancel_requested) \
                 VALUES ($1, $2, $3, $4, 'queued', '[]', '[]', $5, 0, 0, 0, 0)")?)
                .bind(job.id)
                .bind(job.kind)
                .bind(job.owner)
                .bind(job.request)
                .bind(job.submitted_ms)
                .execute(pool)
                .await?;
        });
        Ok(Ok(()))
    }

    /// Claims the oldest job `worker` may run at `now_ms`: a queued one, or a running one whose
    /// lease ran out (its instance stopped), whose owner has fewer than `rules.per_owner` jobs
    /// running. Jobs whose lease ran out `rules.max_attempts` times are given up first, and those
    /// a caller asked to stop are cancelled.
    pub async fn claim_service_job(
        &self,
        worker: &str,
        now_ms: i64,
        rules: &ClaimRules<'_>,
    ) -> Result<Option<ServiceJob>> {
        on_pool!(self, pool => {
            sqlx::query(&pool.sql("UPDATE service_jobs SET status = 'interrupted', finished_ms = $1, error = $2, lease_owner = NULL, lease_until_ms = NULL \
                 WHERE status = 'running' AND lease_until_ms < $3 AND attempts >= $4")?)
                .bind(now_ms)
                .bind(rules.gave_up)
                .bind(now_ms)
                .bind(rules.max_attempts)
                .execute(pool)
                .await?;
        });
        on_pool!(self, pool => {
            sqlx::query(&pool.sql("UPDATE service_jobs SET status = 'cancelled', finished_ms = $1, error = $2, lease_owner = NULL, lease_until_ms = NULL \
                 WHERE status = 'running' AND lease_until_ms < $3 AND cancel_requested = 1")?)
                .bind(now_ms)
                .bind(rules.cancelled)
                .bind(now_ms)
                .execute(pool)
                .await?;
        });
        let candidates: Vec<(String, i64)> = on_pool!(self, pool => {
            sqlx::query_as(&pool.sql("SELECT id, owner FROM service_jobs WHERE (status = 'queued' OR (status = 'running' AND lease_until_ms < $1)) \
                 AND cancel_requested = 0 ORDER BY submitted_ms, id LIMIT 50")?)
                .bind(now_ms)
                .fetch_all(pool)
                .await?
        });
        if candidates.is_empty() {
            return Ok(None);
        }
        let running: Vec<(i64, i64)> = on_pool!(self, pool => {
            sqlx::query_as(&pool.sql("SELECT owner, COUNT(*) FROM service_jobs WHERE status = 'running' AND lease_until_ms >= $1 GROUP BY owner")?)
                .bind(now_ms)
                .fetch_all(pool)
                .await?
        });
        let busy = |owner: i64| running.iter().find(|(o, _)| *o == owner).map_or(0, |(_, n)| *n);
        let until = now_ms.saturating_add(rules.lease_ms);
        for (id, owner) in candidates {
            if busy(owner) >= rules.per_owner {
                continue;
            }
            // Only one instance's update finds the job still claimable.
            let won = on_pool!(self, pool => {
                sqlx::query(&pool.sql("UPDATE service_jobs SET status = 'running', lease_owner = $1, lease_until_ms = $2, \
                     started_ms = COALESCE(started_ms, $3), attempts = attempts + 1, stage = NULL, done = 0, total = 0 \
                     WHERE id = $4 AND cancel_requested = 0 AND (status = 'queued' OR (status = 'running' AND lease_until_ms < $5))")?)
                    .bind(worker)
                    .bind(until)
                    .bind(now_ms)
                    .bind(&id)
                    .bind(now_ms)
                    .execute(pool)
                    .await?
                    .rows_affected()
            });
            if won == 1 {
                return self.service_job(&id).await;
            }
        }
        Ok(None)
    }

    /// Renews `worker`'s lease on job `id` until `now_ms + lease_ms` and writes its progress.
    pub async fn renew_service_job(
        &self,
        id: &str,
        worker: &str,
        now_ms: i64,
        lease_ms: i64,
        progress: &ServiceJobProgress,
    ) -> Result<Lease> {
        let renewed = on_pool!(self, pool => {
            sqlx::query(&pool.sql("UPDATE service_jobs SET lease_until_ms = $1, stage = $2, done = $3, total = $4, notes = $5 \
                 WHERE id = $6 AND lease_owner = $7 AND status = 'running'")?)
                .bind(now_ms.saturating_add(lease_ms))
                .bind(progress.stage.as_deref())
                .bind(progress.done)
                .bind(progress.total)
                .bind(json_list(&progress.notes))
                .bind(id)
                .bind(worker)
                .execute(pool)
                .await?
                .rows_affected()
        });
        if renewed == 0 {
            return Ok(Lease::Lost);
        }
        let cancel: i64 = on_pool!(self, pool => {
            sqlx::query_scalar(&pool.sql("SELECT cancel_requested FROM service_jobs WHERE id = $1")?)
                .bind(id)
                .fetch_one(pool)
                .await?
        });
        Ok(Lease::Held { cancel_requested: cancel != 0 })
    }

    /// Records the end of job `id`, if `worker` still holds its lease (`false` otherwise: another
    /// instance runs it now, and its end is the one recorded). The files go in with the end.
    pub async fn finish_service_job(
        &self,
        id: &str,
        worker: &str,
        now_ms: i64,
        progress: &ServiceJobProgress,
        end: &ServiceJobEnd,
    ) -> Result<bool> {
        let (status, result, error, files) = match end {
            ServiceJobEnd::Succeeded { result, files } => ("succeeded", Some(result.as_str()), None, files.as_slice()),
            ServiceJobEnd::Failed(problem) => ("failed", None, Some(problem.as_str()), &[][..]),
            ServiceJobEnd::Cancelled(problem) => ("cancelled", None, Some(problem.as_str()), &[][..]),
        };
        let names: Vec<String> = files.iter().map(|(name, _)| name.clone()).collect();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            let ended = sqlx::query(&pool.sql("UPDATE service_jobs SET status = $1, result = $2, error = $3, files = $4, finished_ms = $5, \
                 stage = $6, done = $7, total = $8, notes = $9, lease_owner = NULL, lease_until_ms = NULL \
                 WHERE id = $10 AND lease_owner = $11 AND status = 'running'")?)
                .bind(status)
                .bind(result)
                .bind(error)
                .bind(json_list(&names))
                .bind(now_ms)
                .bind(progress.stage.as_deref())
                .bind(progress.done)
                .bind(progress.total)
                .bind(json_list(&progress.notes))
                .bind(id)
                .bind(worker)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if ended == 0 {
                tx.rollback().await?;
                return Ok(false);
            }
            for (name, bytes) in files {
                sqlx::query(&pool.sql("INSERT INTO service_job_files (job_id, name, content) VALUES ($1, $2, $3)")?)
                    .bind(id)
                    .bind(name)
                    .bind(bytes.as_slice())
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Records a job that ran outside the queue (an MCP tool's sourcing job) as succeeded, with
    /// its files, replacing `job.owner`'s earlier jobs of the same kind (the last one is what is
    /// read back).
    pub async fn record_finished_service_job(
        &self,
        job: &NewServiceJob<'_>,
        result: &str,
        files: &[(String, Vec<u8>)],
    ) -> Result<()> {
        let names: Vec<String> = files.iter().map(|(name, _)| name.clone()).collect();
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(&pool.sql("DELETE FROM service_job_files WHERE job_id IN (SELECT id FROM service_jobs WHERE owner = $1 AND kind = $2)")?)
                .bind(job.owner)
                .bind(job.kind)
                .execute(&mut *tx)
                .await?;
            sqlx::query(&pool.sql("DELETE FROM service_jobs WHERE owner = $1 AND kind = $2")?)
                .bind(job.owner)
                .bind(job.kind)
                .execute(&mut *tx)
                .await?;
            sqlx::query(&pool.sql("INSERT INTO service_jobs (id, kind, owner, request, status, notes, files, result, submitted_ms, started_ms, finished_ms, done, total, attempts, cancel_requested) \
                 VALUES ($1, $2, $3, $4, 'succeeded', '[]', $5, $6, $7, $8, $9, 0, 0, 1, 0)")?)
                .bind(job.id)
                .bind(job.kind)
                .bind(job.owner)
                .bind(job.request)
                .bind(json_list(&names))
                .bind(result)
                .bind(job.submitted_ms)
                .bind(job.submitted_ms)
                .bind(job.submitted_ms)
                .execute(&mut *tx)
                .await?;
            for (name, bytes) in files {
                sqlx::query(&pool.sql("INSERT INTO service_job_files (job_id, name, content) VALUES ($1, $2, $3)")?)
                    .bind(job.id)
                    .bind(name)
                    .bind(bytes.as_slice())
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })
    }

    /// `owner`'s newest succeeded job of `kind`.
    pub async fn newest_service_job(&self, owner: i64, kind: &str) -> Result<Option<ServiceJob>> {
        let row: Option<Row> = on_pool!(self, pool => {
            sqlx::query_as(&pool.sql(&format!("SELECT {COLUMNS} FROM service_jobs WHERE owner = $1 AND kind = $2 AND status = 'succeeded' \
                 ORDER BY finished_ms DESC, id LIMIT 1"))?)
                .bind(owner)
                .bind(kind)
                .fetch_optional(pool)
                .await?
        });
        row.map(job_from).transpose()
    }

    /// The names and sizes (bytes) of the files job `id` wrote.
    pub async fn service_job_file_sizes(&self, id: &str) -> Result<Vec<(String, i64)>> {
        Ok(on_pool!(self, pool => {
            sqlx::query_as(&pool.sql("SELECT name, CAST(LENGTH(content) AS BIGINT) FROM service_job_files WHERE job_id = $1 ORDER BY name")?)
                .bind(id)
                .fetch_all(pool)
                .await?
        }))
    }

    /// Hands job `id` back to the queue (an instance stopping before the job ended), if `worker`
    /// still holds it: another instance claims it at once and runs it again.
    pub async fn release_service_job(&self, id: &str, worker: &str) -> Result<bool> {
        let released = on_pool!(self, pool => {
            sqlx::query(&pool.sql("UPDATE service_jobs SET status = 'queued', lease_owner = NULL, lease_until_ms = NULL \
                 WHERE id = $1 AND lease_owner = $2 AND status = 'running'")?)
                .bind(id)
                .bind(worker)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(released == 1)
    }

    /// Asks job `id` to stop: a queued one is cancelled at once (with `problem`), a running one
    /// is told at its next renewal. The job as it is then; `None` when there is no such job.
    pub async fn cancel_service_job(&self, id: &str, now_ms: i64, problem: &str) -> Result<Option<ServiceJob>> {
        on_pool!(self, pool => {
            sqlx::query(&pool.sql("UPDATE service_jobs SET status = 'cancelled', finished_ms = $1, error = $2 WHERE id = $3 AND status = 'queued'")?)
                .bind(now_ms)
                .bind(problem)
                .bind(id)
                .execute(pool)
                .await?;
            sqlx::query(&pool.sql("UPDATE service_jobs SET cancel_requested = 1 WHERE id = $1 AND status = 'running'")?)
                .bind(id)
                .execute(pool)
                .await?;
        });
        self.service_job(id).await
    }

    /// Job `id`.
    pub async fn service_job(&self, id: &str) -> Result<Option<ServiceJob>> {
        let row: Option<Row> = on_pool!(self, pool => {
            sqlx::query_as(&pool.sql(&format!("SELECT {COLUMNS} FROM service_jobs WHERE id = $1"))?)
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(job_from).transpose()
    }

    /// Jobs in one of `statuses` (of `owner`, or everyone's), newest first, at most `limit`.
    pub async fn service_jobs(
        &self,
        statuses: &[ServiceJobStatus],
        owner: Option<i64>,
        limit: i64,
    ) -> Result<Vec<ServiceJob>> {
        if statuses.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<Row> = on_pool!(self, pool => {
            let mut query = sqlx::QueryBuilder::new(format!("SELECT {COLUMNS} FROM service_jobs WHERE status IN ("));
            let mut list = query.separated(", ");
            for status in statuses {
                list.push_bind(status.as_str());
            }
            query.push(")");
            if let Some(owner) = owner {
                query.push(" AND owner = ").push_bind(owner);
            }
            query.push(" ORDER BY submitted_ms DESC, id LIMIT ").push_bind(limit.clamp(1, 1_000));
            query.build_query_as().fetch_all(pool).await?
        });
        rows.into_iter().map(job_from).collect()
    }

    /// The instance holding job `id`'s lease (its worker name), while one does: for operators
    /// asking where a job runs.
    pub async fn service_job_lease_owner(&self, id: &str) -> Result<Option<String>> {
        self.service_job_text("SELECT lease_owner FROM service_jobs WHERE id = $1", id).await
    }

    /// A finished job's report, as JSON.
    pub async fn service_job_result(&self, id: &str) -> Result<Option<String>> {
        self.service_job_text("SELECT result FROM service_jobs WHERE id = $1", id).await
    }

    /// One nullable text column of job `id` (`statement` selects it by id).
    async fn service_job_text(&self, statement: &'static str, id: &str) -> Result<Option<String>> {
        let text: Option<Option<String>> = on_pool!(self, pool => {
            sqlx::query_scalar(&pool.sql(statement)?).bind(id).fetch_optional(pool).await?
        });
        Ok(text.flatten())
    }

    /// A file job `id` wrote, by name.
    pub async fn service_job_file(&self, id: &str, name: &str) -> Result<Option<Vec<u8>>> {
        Ok(on_pool!(self, pool => {
            sqlx::query_scalar(&pool.sql("SELECT content FROM service_job_files WHERE job_id = $1 AND name = $2")?)
                .bind(id)
                .bind(name)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// How many jobs there are in each status.
    pub async fn service_job_counts(&self) -> Result<Vec<(ServiceJobStatus, i64)>> {
        let rows: Vec<(String, i64)> = on_pool!(self, pool => {
            sqlx::query_as(&pool.sql("SELECT status, COUNT(*) FROM service_jobs GROUP BY status")?).fetch_all(pool).await?
        });
        rows.into_iter().map(|(status, n)| Ok((ServiceJobStatus::parse(&status)?, n))).collect()
    }

    /// Removes the jobs that ended before `before_ms`, with their files; how many.
    pub async fn prune_service_jobs(&self, before_ms: i64) -> Result<u64> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query(&pool.sql("DELETE FROM service_job_files WHERE job_id IN (SELECT id FROM service_jobs WHERE finished_ms < $1)")?)
                .bind(before_ms)
                .execute(&mut *tx)
                .await?;
            let removed = sqlx::query(&pool.sql("DELETE FROM service_jobs WHERE finished_ms < $1")?)
                .bind(before_ms)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            Ok(removed)
        })
    }
}
