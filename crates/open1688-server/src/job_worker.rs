//! This instance's share of the job queue: it claims queued jobs (and jobs whose instance died)
//! while it has turns free, runs each under a lease it renews every [`RENEW_EVERY`] with the job's
//! progress, and records the end with the files the job wrote. A job a caller cancels is told at
//! the next renewal (at once when it runs here); a lease found lost (this instance was taken for
//! dead) stops the job without recording anything. On a graceful stop the jobs still running
//! after the grace are handed back to the queue.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::Utc;
use open1688_jobs::{CancellationToken, Progress, ProgressEvent};
use open1688_store::{ClaimRules, Lease, ServiceJob, ServiceJobEnd, ServiceJobProgress, SqlStore};

use crate::problem::Problem;

/// Jobs running at once on one instance (each reads the platform through the app's one quota).
pub const RUNNING_AT_ONCE: usize = 4;
/// One key's jobs running at once, across every instance.
pub const RUNNING_PER_KEY: usize = 2;

/// What a finished job hands back: its report and the files it wrote.
pub type JobOutput = Result<(serde_json::Value, Vec<PathBuf>), Problem>;

/// How long a claim lasts without renewal: an instance that dies holds its jobs this long.
pub const LEASE: Duration = Duration::from_secs(10);
/// How often a running job's lease is renewed and its progress written (what other instances
/// show is at most this old).
pub const RENEW_EVERY: Duration = Duration::from_secs(1);
/// How often the queue is looked at when nothing wakes the worker.
pub const CLAIM_EVERY: Duration = Duration::from_millis(500);
/// Claims one job gets before it is given up (its instance stopped each time).
const MAX_ATTEMPTS: i64 = 3;
/// The most notes a job keeps.
const MAX_NOTES: usize = 100;

/// Runs the jobs of each kind: the service's application layer behind the queue.
#[async_trait]
pub trait JobRunner: Send + Sync {
    /// Runs a job of `kind` for the key `owner` with `request` (as submitted), reporting to
    /// `progress` (cancellation inside) and writing its files into `dir`.
    async fn run(
        &self,
        kind: &str,
        owner: i64,
        request: serde_json::Value,
        progress: Progress,
        dir: PathBuf,
    ) -> JobOutput;
}

/// This instance's worker.
#[derive(Clone)]
pub struct Worker {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<SqlStore>,
    /// This instance's name in leases (random: two processes never share one).
    name: String,
    scratch: PathBuf,
    runner: Arc<dyn JobRunner>,
    /// The jobs running here, by id.
    running: Mutex<HashMap<String, CancellationToken>>,
    wake: tokio::sync::Notify,
    /// Cancelled when the instance stops taking jobs.
    closing: CancellationToken,
    /// Cancelled when the jobs still running at the end of a stop's grace are stopped to be
    /// handed back (their errors are not their ends).
    handing_back: CancellationToken,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker").field("name", &self.inner.name).field("scratch", &self.inner.scratch).finish()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn millis(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

fn problem_json(problem: &Problem) -> String {
    problem.to_kept()
}

impl Worker {
    /// A worker on `store` whose jobs write their files under `scratch`.
    pub fn new(store: Arc<SqlStore>, scratch: PathBuf, runner: Arc<dyn JobRunner>) -> Self {
        let mut bytes = [0u8; 8];
        let _ = getrandom::fill(&mut bytes);
        let name = format!("{}-{}", std::process::id(), hex_of(&bytes));
        Self {
            inner: Arc::new(Inner {
                store,
                name,
                scratch,
                runner,
                running: Mutex::new(HashMap::new()),
                wake: tokio::sync::Notify::new(),
                closing: CancellationToken::new(),
                handing_back: CancellationToken::new(),
            }),
        }
    }

    /// Starts claiming jobs on a task of its own.
    pub fn start(&self) {
        let worker = self.clone();
        tokio::spawn(async move { worker.claim_loop().await });
    }

    /// Looks at the queue now (a job was just submitted here).
    pub fn wake(&self) {
        self.inner.wake.notify_one();
    }

    /// Stops job `id` at once if it runs here.
    pub fn cancel_here(&self, id: &str) {
        if let Some(cancel) = lock(&self.inner.running).get(id) {
            cancel.cancel();
        }
    }

    async fn claim_loop(&self) {
        let inner = &*self.inner;
        let gave_up = problem_json(&Problem::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "the service stopped while the job ran, three times; submit it again",
        ));
        let cancelled = problem_json(&Problem::new(axum::http::StatusCode::CONFLICT, "cancelled"));
        let rules = ClaimRules {
            lease_ms: millis(LEASE),
            per_owner: RUNNING_PER_KEY as i64,
            max_attempts: MAX_ATTEMPTS,
            gave_up: &gave_up,
            cancelled: &cancelled,
        };
        let mut failing = false;
        loop {
            while lock(&inner.running).len() < RUNNING_AT_ONCE && !inner.closing.is_cancelled() {
                match inner.store.claim_service_job(&inner.name, Utc::now().timestamp_millis(), &rules).await {
                    Ok(Some(job)) => {
                        failing = false;
                        self.run(job);
                    }
                    Ok(None) => break,
                    Err(e) => {
                        if !failing {
                            tracing::warn!(error = %e, "the job queue cannot be read; trying again");
                        }
                        failing = true;
                        break;
                    }
                }
            }
            tokio::select! {
                () = inner.wake.notified() => {}
                () = tokio::time::sleep(CLAIM_EVERY) => {}
                () = inner.closing.cancelled() => return,
            }
        }
    }

    /// Runs a claimed job on a task of its own.
    fn run(&self, job: ServiceJob) {
        let cancel = CancellationToken::new();
        if job.cancel_requested {
            cancel.cancel();
        }
        lock(&self.inner.running).insert(job.id.clone(), cancel.clone());
        let worker = self.clone();
        tokio::spawn(async move {
            let id = job.id.clone();
            worker.run_to_end(job, cancel).await;
            lock(&worker.inner.running).remove(&id);
            worker.wake();
        });
    }

    async fn run_to_end(&self, job: ServiceJob, cancel: CancellationToken) {
        let inner = &*self.inner;
        let progress_now = Arc::new(Mutex::new(ServiceJobProgress::default()));
        let sink = progress_now.clone();
        let progress = Progress::new(move |event| record(&mut lock(&sink), event)).with_cancellation(cancel.clone());
        let dir = inner.scratch.join(&job.id);
        let request = serde_json::from_str(&job.request).unwrap_or(serde_json::Value::Null);
        let work = inner.runner.run(&job.kind, job.owner, request, progress, dir.clone());
        let renewing = self.renew_until_lost(&job.id, &progress_now, &cancel);
        let output = tokio::select! {
            output = work => Some(output),
            () = renewing => None,
        };
        let Some(output) = output else {
            tracing::warn!(job = %job.id, "another instance took this job over (this one was taken for dead); stopped here");
            let _ = std::fs::remove_dir_all(&dir);
            return;
        };
        let end = match output {
            Ok((report, files)) => match read_files(&files) {
                Ok(files) => ServiceJobEnd::Succeeded { result: report.to_string(), files },
                Err(problem) => ServiceJobEnd::Failed(problem_json(&problem)),
            },
            Err(_) if inner.handing_back.is_cancelled() => {
                // Stopped by the shutdown: handed back in `shutdown`, not ended.
                let _ = std::fs::remove_dir_all(&dir);
                return;
            }
            Err(problem) if cancel.is_cancelled() => ServiceJobEnd::Cancelled(problem_json(&problem)),
            Err(problem) => ServiceJobEnd::Failed(problem_json(&problem)),
        };
        let progress = lock(&progress_now).clone();
        match inner.store.finish_service_job(&job.id, &inner.name, Utc::now().timestamp_millis(), &progress, &end).await
        {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!(job = %job.id, "the job ended here after another instance took it over; its end there counts")
            }
            Err(e) => {
                tracing::error!(job = %job.id, error = %e, "the job's end could not be stored; it will run again when its lease runs out")
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Renews the lease of job `id` with its progress every [`RENEW_EVERY`]; cancels the job when
    /// a caller asked; returns only when the lease is lost.
    async fn renew_until_lost(&self, id: &str, progress: &Mutex<ServiceJobProgress>, cancel: &CancellationToken) {
        let inner = &*self.inner;
        let mut last_held = tokio::time::Instant::now();
        loop {
            tokio::time::sleep(RENEW_EVERY).await;
            let now = lock(progress).clone();
            match inner
                .store
                .renew_service_job(id, &inner.name, Utc::now().timestamp_millis(), millis(LEASE), &now)
                .await
            {
                Ok(Lease::Held { cancel_requested }) => {
                    last_held = tokio::time::Instant::now();
                    if cancel_requested {
                        cancel.cancel();
                    }
                }
                Ok(Lease::Lost) => return,
                // The store is away: carry on while the lease may still hold; past it, another
                // instance may have the job.
                Err(e) => {
                    tracing::warn!(job = %id, error = %e, "the job's lease could not be renewed");
                    if last_held.elapsed() >= LEASE {
                        return;
                    }
                }
            }
        }
    }

    /// Stops claiming; waits up to `grace` for the jobs running here, then stops them and hands
    /// them back to the queue; how many were handed back.
    pub async fn shutdown(&self, grace: Duration) -> usize {
        let inner = &*self.inner;
        let deadline = tokio::time::Instant::now() + grace;
        // Claims end now; jobs running here go on for the grace.
        inner.closing.cancel();
        let still = || lock(&inner.running).keys().cloned().collect::<Vec<_>>();
        while !still().is_empty() && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        inner.handing_back.cancel();
        let left = still();
        for id in &left {
            self.cancel_here(id);
            match inner.store.release_service_job(id, &inner.name).await {
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(job = %id, error = %e, "the job could not be handed back; it runs again when its lease runs out")
                }
            }
        }
        left.len()
    }
}

/// Reads the files a job wrote, by name.
fn read_files(paths: &[PathBuf]) -> Result<Vec<(String, Vec<u8>)>, Problem> {
    paths
        .iter()
        .filter_map(|path| Some((path.file_name()?.to_str()?.to_owned(), path)))
        .map(|(name, path)| {
            std::fs::read(path).map(|bytes| (name.clone(), bytes)).map_err(|e| {
                Problem::new(
                    axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                    format!("the job's file {name} could not be read: {e}"),
                )
            })
        })
        .collect()
}

/// Keeps what a progress event says in the job's progress.
fn record(progress: &mut ServiceJobProgress, event: &ProgressEvent) {
    match event {
        ProgressEvent::Stage { step, of, stage, .. } => {
            progress.stage = Some(crate::job_stage::JobStage::stored(*step, *of, stage));
        }
        ProgressEvent::Begin { total, .. } => {
            progress.done = 0;
            progress.total = i64::try_from(*total).unwrap_or(i64::MAX);
        }
        ProgressEvent::Advance { .. } => progress.done = progress.done.saturating_add(1),
        ProgressEvent::End { .. } => {}
        ProgressEvent::Note { text } => {
            if progress.notes.len() < MAX_NOTES {
                progress.notes.push(text.clone());
            }
        }
    }
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
