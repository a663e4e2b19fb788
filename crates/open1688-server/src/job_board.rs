//! Long jobs run in the background, kept in the store so any instance answers for any job: a
//! submitted job is a row (see [`open1688_store::service_jobs`]) and gets an id at once; some
//! instance's worker ([`crate::job_worker`]) claims it, runs it under a lease it renews with the
//! job's progress, and stores its report and files; a caller on any instance polls it, fetches
//! the result and files, or cancels it. An instance that dies leaves its lease to run out and
//! another runs the job again; only one end is recorded.
//!
//! Jobs take turns: at most [`RUNNING_AT_ONCE`] run at once on one instance, at most
//! [`RUNNING_PER_KEY`] of one key's across every instance, the others wait (stage "waiting for a
//! turn"), and a key with [`UNFINISHED_PER_KEY`] unfinished jobs is told to wait (429). Finished
//! jobs and their files are removed after the retention ([`JobBoard::prune`]).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use open1688_store::{ApiKey, NewServiceJob, Scope, ServiceJob, ServiceJobStatus, SqlStore};
use serde::{Deserialize, Serialize};

use crate::job_stage::{JobStage, WAITING, stage_text};
pub use crate::job_worker::{JobOutput, RUNNING_AT_ONCE, RUNNING_PER_KEY};
use crate::job_worker::{JobRunner, Worker};
use crate::problem::Problem;

/// One key's jobs running or waiting; one more is refused with 429.
pub const UNFINISHED_PER_KEY: usize = 10;

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Running.
    Running,
    /// Done; the result is ready.
    Succeeded,
    /// Stopped with an error (see `error`).
    Failed,
    /// Cancelled by a caller.
    Cancelled,
    /// The service stopped while it ran; submit it again.
    Interrupted,
}

impl JobStatus {
    /// The status as sent (`running`, `succeeded`…).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
            Self::Interrupted => "interrupted",
        }
    }
}

/// A job as a caller sees it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct JobView {
    /// The job's id.
    pub id: String,
    /// What it is (`source`).
    pub kind: String,
    /// Where it is.
    pub status: JobStatus,
    /// When it was submitted.
    pub submitted_at: DateTime<Utc>,
    /// When it ended, if it did.
    pub finished_at: Option<DateTime<Utc>>,
    /// The stage it reached, in English (`2 of 4: reading 30 offers`).
    pub stage: Option<String>,
    /// The stage it reached, as data, for a surface to say in its reader's language.
    #[serde(default)]
    pub stage_detail: Option<JobStage>,
    /// Units of the current counted work done, and how many there are.
    pub done: u64,
    /// See `done`.
    pub total: u64,
    /// Notes the job made (offers skipped and why).
    pub notes: Vec<String>,
    /// Why it failed.
    pub error: Option<Problem>,
    /// Names of the files it wrote, for `GET /v1/jobs/{id}/files/{name}`.
    pub files: Vec<String>,
    /// The key that submitted it: only that key, and admin keys, see it (`None` for a job of an
    /// earlier version, which only admin keys see).
    #[serde(default)]
    pub owner: Option<i64>,
}

/// The service's jobs, as every instance sees them, and this instance's worker.
#[derive(Clone)]
pub struct JobBoard {
    store: Arc<SqlStore>,
    worker: Worker,
}

impl std::fmt::Debug for JobBoard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobBoard").field("worker", &self.worker).finish_non_exhaustive()
    }
}

impl JobBoard {
    /// The jobs in `store`, run by this instance with `runner`; running jobs write their files
    /// under `scratch` before the files go into the store. Call [`JobBoard::start`] to take
    /// jobs from the queue.
    pub fn new(store: Arc<SqlStore>, scratch: impl Into<PathBuf>, runner: Arc<dyn JobRunner>) -> Self {
        let worker = Worker::new(store.clone(), scratch.into(), runner);
        Self { store, worker }
    }

    /// Starts taking jobs from the queue (until [`JobBoard::shutdown`]).
    pub fn start(&self) {
        self.worker.start();
    }

    /// Queues a job of `kind` with `request` for the key `owner`; returns its view at once (it
    /// runs when its turn comes). A key with [`UNFINISHED_PER_KEY`] jobs unfinished is refused
    /// with 429.
    pub async fn submit(&self, kind: &str, owner: i64, request: &impl Serialize) -> Result<JobView, Problem> {
        let request = serde_json::to_string(request).map_err(|e| {
            Problem::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, format!("the request did not encode: {e}"))
        })?;
        let id = new_id();
        let job =
            NewServiceJob { id: &id, kind, owner, request: &request, submitted_ms: Utc::now().timestamp_millis() };
        if let Err(unfinished) = self.store.submit_service_job(&job, UNFINISHED_PER_KEY as i64).await? {
            return Err(Problem {
                retry_after: Some(30),
                ..Problem::new(
                    axum::http::StatusCode::TOO_MANY_REQUESTS,
                    format!("this key has {unfinished} jobs unfinished; wait for one to end"),
                )
            });
        }
        self.worker.wake();
        // The view of the job just queued, as a read of its row would give it.
        let submitted_at = time(job.submitted_ms);
        Ok(JobView {
            id,
            kind: kind.to_owned(),
            status: JobStatus::Running,
            submitted_at,
            finished_at: None,
            stage: Some(WAITING.to_owned()),
            stage_detail: Some(JobStage::Waiting),
            done: 0,
            total: 0,
            notes: Vec::new(),
            error: None,
            files: Vec::new(),
            owner: Some(owner),
        })
    }

    /// Job `id` as `reader` sees it: its owner's, or any for an admin key. Another key's job is
    /// answered as no job at all, so ids cannot be probed.
    async fn visible(&self, id: &str, reader: &ApiKey) -> Result<Option<ServiceJob>, Problem> {
        let job = self.store.service_job(id).await?;
        Ok(job.filter(|j| reader.scope == Scope::Admin || j.owner == reader.id))
    }

    /// A job's view, for `reader`.
    pub async fn view(&self, id: &str, reader: &ApiKey) -> Result<Option<JobView>, Problem> {
        Ok(self.visible(id, reader).await?.map(view_of))
    }

    /// The jobs in `status` that `reader` may see, newest first (at most 100).
    pub async fn with_status(&self, status: JobStatus, reader: &ApiKey) -> Result<Vec<JobView>, Problem> {
        let stored: &[ServiceJobStatus] = match status {
            JobStatus::Running => &[ServiceJobStatus::Queued, ServiceJobStatus::Running],
            JobStatus::Succeeded => &[ServiceJobStatus::Succeeded],
            JobStatus::Failed => &[ServiceJobStatus::Failed],
            JobStatus::Cancelled => &[ServiceJobStatus::Cancelled],
            JobStatus::Interrupted => &[ServiceJobStatus::Interrupted],
        };
        let owner = (reader.scope != Scope::Admin).then_some(reader.id);
        Ok(self.store.service_jobs(stored, owner, 100).await?.into_iter().map(view_of).collect())
    }

    /// How many jobs there are in each status, on every instance.
    pub async fn counts(&self) -> Result<HashMap<JobStatus, u64>, Problem> {
        let mut counts = HashMap::new();
        for (status, n) in self.store.service_job_counts().await? {
            *counts.entry(status_of(status)).or_default() += u64::try_from(n).unwrap_or(0);
        }
        Ok(counts)
    }

    /// A finished job's report, for `reader`.
    pub async fn result(&self, id: &str, reader: &ApiKey) -> Result<Option<serde_json::Value>, Problem> {
        if self.visible(id, reader).await?.is_none() {
            return Ok(None);
        }
        let text = self.store.service_job_result(id).await?;
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
    }

    /// A file a finished job wrote, by name (only names the job listed), for `reader`.
    pub async fn file(&self, id: &str, name: &str, reader: &ApiKey) -> Result<Option<Vec<u8>>, Problem> {
        let Some(job) = self.visible(id, reader).await? else { return Ok(None) };
        if !job.files.iter().any(|f| f == name) {
            return Ok(None);
        }
        Ok(self.store.service_job_file(id, name).await?)
    }

    /// Asks a job to stop (a waiting one ends at once; a running one on any instance within a
    /// second or two); `None` when there is no such job `reader` may see.
    pub async fn cancel(&self, id: &str, reader: &ApiKey) -> Result<Option<JobView>, Problem> {
        if self.visible(id, reader).await?.is_none() {
            return Ok(None);
        }
        let cancelled = Problem::new(axum::http::StatusCode::CONFLICT, "cancelled before its turn came");
        let problem = serde_json::to_string(&cancelled).unwrap_or_default();
        let job = self.store.cancel_service_job(id, Utc::now().timestamp_millis(), &problem).await?;
        // Running here: stop it now rather than at the next renewal.
        self.worker.cancel_here(id);
        Ok(job.map(view_of))
    }

    /// Removes the jobs that ended before `older_than` ago, with their files; how many.
    pub async fn prune(&self, older_than: std::time::Duration) -> Result<u64, Problem> {
        let Some(cutoff) = chrono::Duration::from_std(older_than).ok().and_then(|d| Utc::now().checked_sub_signed(d))
        else {
            return Ok(0);
        };
        Ok(self.store.prune_service_jobs(cutoff.timestamp_millis()).await?)
    }

    /// Stops taking jobs, lets the ones running here finish for up to `grace`, then stops the
    /// rest and hands them back to the queue (another instance, or this one restarted, runs them
    /// again); returns how many were handed back.
    pub async fn shutdown(&self, grace: std::time::Duration) -> usize {
        self.worker.shutdown(grace).await
    }
}

/// The caller's status of a stored one (a queued job is running, waiting for its turn).
fn status_of(status: ServiceJobStatus) -> JobStatus {
    match status {
        ServiceJobStatus::Queued | ServiceJobStatus::Running => JobStatus::Running,
        ServiceJobStatus::Succeeded => JobStatus::Succeeded,
        ServiceJobStatus::Failed => JobStatus::Failed,
        ServiceJobStatus::Cancelled => JobStatus::Cancelled,
        ServiceJobStatus::Interrupted => JobStatus::Interrupted,
    }
}

fn time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// A stored job as a caller sees it.
fn view_of(job: ServiceJob) -> JobView {
    let waiting = job.status == ServiceJobStatus::Queued;
    JobView {
        status: status_of(job.status),
        submitted_at: time(job.submitted_ms),
        finished_at: job.finished_ms.map(time),
        stage: if waiting { Some(WAITING.to_owned()) } else { job.stage.as_deref().map(stage_text) },
        stage_detail: if waiting {
            Some(JobStage::Waiting)
        } else {
            job.stage.as_deref().and_then(|s| serde_json::from_str(s).ok())
        },
        done: u64::try_from(job.done).unwrap_or(0),
        total: u64::try_from(job.total).unwrap_or(0),
        error: job.error.as_deref().and_then(Problem::from_kept),
        notes: job.notes,
        files: job.files,
        owner: Some(job.owner),
        kind: job.kind,
        id: job.id,
    }
}

/// Removes the files under `root` last changed before `older_than` ago (and the folders they
/// leave empty); how many files. For folders of outputs kept without a board (MCP's).
pub fn remove_old_files(root: &std::path::Path, older_than: std::time::Duration) -> usize {
    let Some(cutoff) = std::time::SystemTime::now().checked_sub(older_than) else { return 0 };
    fn walk(dir: &std::path::Path, cutoff: std::time::SystemTime) -> usize {
        let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
        let mut removed = 0;
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                removed += walk(&path, cutoff);
                // Only an emptied folder goes (remove_dir refuses one that is not empty).
                let _ = std::fs::remove_dir(&path);
            } else if meta.modified().is_ok_and(|at| at < cutoff) && std::fs::remove_file(&path).is_ok() {
                removed += 1;
            }
        }
        removed
    }
    walk(root, cutoff)
}

/// 128 random bits as hex: ids cannot be guessed to read another caller's job.
fn new_id() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // No random source: a time-based id still names the job uniquely in this process.
        let nanos = Utc::now().timestamp_nanos_opt().unwrap_or_default();
        bytes[..8].copy_from_slice(&nanos.to_be_bytes());
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::job_worker::JobRunner;
    use async_trait::async_trait;
    use open1688_jobs::{Progress, ProgressEvent};
    use std::time::Duration;

    fn key(id: i64, scope: Scope) -> ApiKey {
        ApiKey { id, name: format!("k{id}"), scope, created_ms: 0, revoked_ms: None }
    }

    /// Jobs that wait for the test's word, then write a file.
    struct Gated {
        gate: Arc<tokio::sync::Semaphore>,
        started: Arc<std::sync::atomic::AtomicUsize>,
    }

    #[async_trait]
    impl JobRunner for Gated {
        async fn run(
            &self,
            _kind: &str,
            _owner: i64,
            request: serde_json::Value,
            progress: Progress,
            dir: PathBuf,
        ) -> JobOutput {
            self.started.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            progress.emit(ProgressEvent::Note { text: "started".into() });
            let permit = progress.or_cancel(self.gate.acquire()).await;
            let Ok(Ok(_permit)) = permit else {
                return Err(Problem::new(axum::http::StatusCode::CONFLICT, "cancelled"));
            };
            std::fs::create_dir_all(&dir).unwrap();
            let file = dir.join("answer.json");
            std::fs::write(&file, request.to_string()).unwrap();
            Ok((serde_json::json!({"echo": request}), vec![file]))
        }
    }

    async fn wait_for(board: &JobBoard, id: &str, reader: &ApiKey, status: JobStatus) -> crate::job_board::JobView {
        for _ in 0..200 {
            let view = board.view(id, reader).await.unwrap().unwrap();
            if view.status == status {
                return view;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("job {id} never reached {status:?}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn jobs_take_turns_end_once_with_their_files_and_a_key_with_too_many_is_told_to_wait() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(SqlStore::open(&format!("sqlite://{}", dir.path().join("s.db").display())).await.unwrap());
        let gate = Arc::new(tokio::sync::Semaphore::new(0));
        let started = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let runner = Arc::new(Gated { gate: gate.clone(), started: started.clone() });
        let board = JobBoard::new(store, dir.path().join("scratch"), runner);
        board.start();
        let (seven, eight) = (key(7, Scope::Write), key(8, Scope::Write));
        let mut ids = Vec::new();
        for n in 0..UNFINISHED_PER_KEY {
            ids.push(board.submit("test", 7, &serde_json::json!({ "n": n })).await.unwrap().id);
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(started.load(std::sync::atomic::Ordering::SeqCst), RUNNING_PER_KEY, "one key runs two at once");
        let waiting = board.view(&ids[UNFINISHED_PER_KEY - 1], &seven).await.unwrap().unwrap();
        assert_eq!((waiting.status, waiting.stage.as_deref()), (JobStatus::Running, Some("waiting for a turn")));
        let refused = board.submit("test", 7, &serde_json::json!({})).await.unwrap_err();
        assert_eq!(refused.status, 429);
        assert!(board.view(&ids[0], &eight).await.unwrap().is_none(), "another key's job does not exist for it");

        // A cancelled waiting job ends without running; a running one stops.
        let last = &ids[UNFINISHED_PER_KEY - 1];
        assert_eq!(board.cancel(last, &seven).await.unwrap().unwrap().status, JobStatus::Cancelled);
        board.cancel(&ids[0], &seven).await.unwrap();
        wait_for(&board, &ids[0], &seven, JobStatus::Cancelled).await;

        // The others finish one after another, each once, with its file in the store.
        gate.add_permits(UNFINISHED_PER_KEY);
        let done = wait_for(&board, &ids[1], &seven, JobStatus::Succeeded).await;
        assert_eq!(done.files, ["answer.json"]);
        assert_eq!(done.notes, ["started"]);
        assert_eq!(board.result(&ids[1], &seven).await.unwrap().unwrap()["echo"]["n"], 1);
        assert_eq!(board.file(&ids[1], "answer.json", &seven).await.unwrap().unwrap(), br#"{"n":1}"#);
        assert!(board.file(&ids[1], "../s.db", &seven).await.unwrap().is_none(), "only names the job listed");
        for id in &ids[2..UNFINISHED_PER_KEY - 1] {
            wait_for(&board, id, &key(1, Scope::Admin), JobStatus::Succeeded).await;
        }
        assert!(!dir.path().join("scratch").join(&ids[1]).exists(), "scratch files go once stored");

        // Finished jobs go with the retention.
        assert_eq!(board.prune(Duration::from_secs(3600)).await.unwrap(), 0, "none is an hour old");
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(board.prune(Duration::from_millis(10)).await.unwrap(), UNFINISHED_PER_KEY as u64);
        assert!(board.view(&ids[1], &key(1, Scope::Admin)).await.unwrap().is_none());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_stopping_instance_hands_its_jobs_to_another() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("s.db").display());
        let store = Arc::new(SqlStore::open(&url).await.unwrap());
        let started = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let held = Arc::new(tokio::sync::Semaphore::new(0));
        let first = JobBoard::new(
            store.clone(),
            dir.path().join("a"),
            Arc::new(Gated { gate: held, started: started.clone() }),
        );
        first.start();
        let id = first.submit("test", 7, &serde_json::json!({"n": 1})).await.unwrap().id;
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(first.shutdown(Duration::from_millis(100)).await, 1, "handed back");
        let open = Arc::new(tokio::sync::Semaphore::new(10));
        let second =
            JobBoard::new(store, dir.path().join("b"), Arc::new(Gated { gate: open, started: started.clone() }));
        second.start();
        let done = wait_for(&second, &id, &key(7, Scope::Write), JobStatus::Succeeded).await;
        assert_eq!(done.files, ["answer.json"]);
        assert_eq!(started.load(std::sync::atomic::Ordering::SeqCst), 2, "run again, once");
    }

    #[test]
    fn old_files_go_and_new_ones_stay() {
        let root = std::env::temp_dir().join(format!("open1688-outputs-{}", new_id()));
        std::fs::create_dir_all(root.join("key-7")).unwrap();
        std::fs::write(root.join("key-7/report.json"), "{}").unwrap();
        assert_eq!(remove_old_files(&root, std::time::Duration::from_secs(3600)), 0);
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(remove_old_files(&root, std::time::Duration::from_millis(5)), 1);
        assert!(!root.join("key-7").exists(), "an emptied folder goes too");
        let _ = std::fs::remove_dir_all(&root);
    }
}
