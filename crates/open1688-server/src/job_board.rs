//! Long jobs run in the background: a submitted job gets an id at once, runs on its own task,
//! reports its progress here, and keeps its result (the report as JSON and the files it wrote)
//! for callers to fetch; a caller may cancel it. Jobs live in this process's memory; their output
//! files live in the service's output folder, one folder per job.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use open1688_jobs::{CancellationToken, Progress, ProgressEvent};
use serde::Serialize;

use crate::problem::Problem;

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
}

/// A job as a caller sees it.
#[derive(Debug, Clone, Serialize)]
pub struct JobView {
    /// The job's id.
    pub id: String,
    /// What it is (`source`).
    pub kind: &'static str,
    /// Where it is.
    pub status: JobStatus,
    /// When it was submitted.
    pub submitted_at: DateTime<Utc>,
    /// When it ended, if it did.
    pub finished_at: Option<DateTime<Utc>>,
    /// The stage it reached (`2 of 4: reading 30 offers`).
    pub stage: Option<String>,
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
}

struct Entry {
    view: Mutex<JobView>,
    result: Mutex<Option<serde_json::Value>>,
    cancel: CancellationToken,
    dir: PathBuf,
}

/// The jobs of this process.
#[derive(Clone)]
pub struct JobBoard {
    jobs: Arc<Mutex<HashMap<String, Arc<Entry>>>>,
    root: PathBuf,
}

impl std::fmt::Debug for JobBoard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobBoard").field("root", &self.root).finish_non_exhaustive()
    }
}

/// What a finished job hands back: its report and the files it wrote.
pub type JobOutput = Result<(serde_json::Value, Vec<PathBuf>), Problem>;

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock leaves plain data behind; keep serving it.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl JobBoard {
    /// A board whose jobs write their files under `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { jobs: Arc::default(), root: root.into() }
    }

    /// Starts `work` as a job of `kind`; returns its view (status `running`) at once. `work` gets
    /// the job's progress (cancellation inside) and its output folder.
    pub fn submit<F, Fut>(&self, kind: &'static str, work: F) -> JobView
    where
        F: FnOnce(Progress, PathBuf) -> Fut,
        Fut: std::future::Future<Output = JobOutput> + Send + 'static,
    {
        let id = new_id();
        let view = JobView {
            id: id.clone(),
            kind,
            status: JobStatus::Running,
            submitted_at: Utc::now(),
            finished_at: None,
            stage: None,
            done: 0,
            total: 0,
            notes: Vec::new(),
            error: None,
            files: Vec::new(),
        };
        let entry = Arc::new(Entry {
            view: Mutex::new(view.clone()),
            result: Mutex::new(None),
            cancel: CancellationToken::new(),
            dir: self.root.join(&id),
        });
        lock(&self.jobs).insert(id, entry.clone());
        let sink = entry.clone();
        let progress = Progress::new(move |event| record(&sink, event)).with_cancellation(entry.cancel.clone());
        let running = work(progress, entry.dir.clone());
        tokio::spawn(async move {
            let output = running.await;
            let mut view = lock(&entry.view);
            view.finished_at = Some(Utc::now());
            match output {
                Ok((report, files)) => {
                    view.status = JobStatus::Succeeded;
                    view.files = files.iter().filter_map(|f| f.file_name()?.to_str().map(str::to_owned)).collect();
                    *lock(&entry.result) = Some(report);
                }
                Err(problem) if entry.cancel.is_cancelled() => {
                    view.status = JobStatus::Cancelled;
                    view.error = Some(problem);
                }
                Err(problem) => {
                    view.status = JobStatus::Failed;
                    view.error = Some(problem);
                }
            }
        });
        view
    }

    /// A job's view.
    pub fn view(&self, id: &str) -> Option<JobView> {
        lock(&self.jobs).get(id).map(|e| lock(&e.view).clone())
    }

    /// A finished job's report.
    pub fn result(&self, id: &str) -> Option<serde_json::Value> {
        lock(&self.jobs).get(id).and_then(|e| lock(&e.result).clone())
    }

    /// A file a finished job wrote, by name (only names the job listed: no path escapes).
    pub fn file(&self, id: &str, name: &str) -> Option<PathBuf> {
        let entry = lock(&self.jobs).get(id).cloned()?;
        let listed = lock(&entry.view).files.iter().any(|f| f == name);
        listed.then(|| entry.dir.join(name))
    }

    /// Asks a running job to stop; `None` when there is no such job.
    pub fn cancel(&self, id: &str) -> Option<JobView> {
        let entry = lock(&self.jobs).get(id).cloned()?;
        entry.cancel.cancel();
        Some(lock(&entry.view).clone())
    }
}

fn record(entry: &Entry, event: &ProgressEvent) {
    let mut view = lock(&entry.view);
    match event {
        ProgressEvent::Stage { step, of, label } => view.stage = Some(format!("{step} of {of}: {label}")),
        ProgressEvent::Begin { total, .. } => {
            view.done = 0;
            view.total = *total;
        }
        ProgressEvent::Advance { .. } => view.done = view.done.saturating_add(1),
        ProgressEvent::End { .. } => {}
        ProgressEvent::Note { text } => {
            // A job with thousands of notes keeps the first hundred.
            if view.notes.len() < 100 {
                view.notes.push(text.clone());
            }
        }
    }
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
