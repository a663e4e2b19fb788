//! Long jobs run in the background: a submitted job gets an id at once, runs on its own task,
//! reports its progress here, and keeps its result (the report as JSON and the files it wrote)
//! for callers to fetch; a caller may cancel it. Each job has a folder under the service's jobs
//! folder holding its files, its view (`job.json`, written when it starts and when it ends) and its
//! report (`result.json`), so a restarted service still answers for it; a job that was running
//! when the service stopped is reported `interrupted`. Jobs take turns: at most
//! [`RUNNING_AT_ONCE`] run at once, at most [`RUNNING_PER_KEY`] of one key's, the others wait
//! (stage "waiting for a turn"), and a key with [`UNFINISHED_PER_KEY`] unfinished jobs is told to
//! wait (429). Finished jobs and their folders are removed after the retention
//! ([`JobBoard::prune`]).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use open1688_jobs::{CancellationToken, Progress, ProgressEvent};
use open1688_store::{ApiKey, Scope};
use serde::{Deserialize, Serialize};

use tokio::sync::Semaphore;

use crate::problem::Problem;

/// Jobs running at once in this process (each reads the platform through the app's one quota).
pub const RUNNING_AT_ONCE: usize = 4;
/// One key's jobs running at once.
pub const RUNNING_PER_KEY: usize = 2;
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
    /// The key that submitted it: only that key, and admin keys, see it (`None` for a job of an
    /// earlier version, which only admin keys see).
    #[serde(default)]
    pub owner: Option<i64>,
}

struct Entry {
    view: Mutex<JobView>,
    /// The report of a job that ended in this process (one from before a restart is read from
    /// its `result.json`).
    result: Mutex<Option<serde_json::Value>>,
    cancel: CancellationToken,
    dir: PathBuf,
}

/// The view's file in a job's folder.
const VIEW_FILE: &str = "job.json";
/// The report's file in a job's folder.
const RESULT_FILE: &str = "result.json";

impl Entry {
    /// Writes the view (and the report, when there is one) to the job's folder. A failure is
    /// logged, not fatal: the job still answers from memory while this process runs.
    fn persist(&self) {
        let view = lock(&self.view).clone();
        let result = lock(&self.result).clone();
        let written = std::fs::create_dir_all(&self.dir).and_then(|()| {
            if let Some(report) = &result {
                write_json(&self.dir.join(RESULT_FILE), report)?;
            }
            write_json(&self.dir.join(VIEW_FILE), &view)
        });
        if let Err(e) = written {
            tracing::warn!(job = %view.id, error = %e, "the job's state could not be written; it is lost on restart");
        }
    }
}

/// Writes JSON through a temporary file and a rename, so a crash leaves the old file or the new.
fn write_json(path: &std::path::Path, value: &impl Serialize) -> std::io::Result<()> {
    let text = serde_json::to_vec(value).map_err(std::io::Error::other)?;
    let partial = path.with_extension("json.partial");
    std::fs::write(&partial, text)?;
    std::fs::rename(partial, path)
}

/// The jobs of this process.
#[derive(Clone)]
pub struct JobBoard {
    jobs: Arc<Mutex<HashMap<String, Arc<Entry>>>>,
    root: PathBuf,
    /// Turns to run, for every job.
    turns: Arc<Semaphore>,
    /// Turns to run, per key.
    key_turns: Arc<Mutex<HashMap<i64, Arc<Semaphore>>>>,
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
    /// A board whose jobs write their files under `root`, with the jobs found there from earlier
    /// runs: their views and reports as they were, and a job that was running marked
    /// `interrupted`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let board = Self {
            jobs: Arc::default(),
            root: root.into(),
            turns: Arc::new(Semaphore::new(RUNNING_AT_ONCE)),
            key_turns: Arc::default(),
        };
        board.load_earlier();
        board
    }

    fn load_earlier(&self) {
        let Ok(dirs) = std::fs::read_dir(&self.root) else { return };
        let mut jobs = lock(&self.jobs);
        for dir in dirs.flatten().map(|d| d.path()) {
            let Some(mut view) = std::fs::read(dir.join(VIEW_FILE))
                .ok()
                .and_then(|bytes| serde_json::from_slice::<JobView>(&bytes).ok())
            else {
                continue;
            };
            if dir.file_name().and_then(|n| n.to_str()) != Some(view.id.as_str()) {
                continue; // A folder copied or renamed by hand: not a job of this board.
            }
            let interrupted = view.status == JobStatus::Running;
            if interrupted {
                interrupt(&mut view);
            }
            let entry = Arc::new(Entry {
                view: Mutex::new(view),
                result: Mutex::new(None),
                cancel: CancellationToken::new(),
                dir,
            });
            if interrupted {
                entry.persist();
            }
            let id = lock(&entry.view).id.clone();
            jobs.insert(id, entry);
        }
    }

    /// Starts `work` as a job of `kind` for the key `owner`; returns its view (status `running`)
    /// at once — it runs when its turn comes. `work` gets the job's progress (cancellation
    /// inside) and its output folder. A key with [`UNFINISHED_PER_KEY`] jobs unfinished is
    /// refused with 429.
    pub fn submit<F, Fut>(&self, kind: &'static str, owner: i64, work: F) -> Result<JobView, Problem>
    where
        F: FnOnce(Progress, PathBuf) -> Fut,
        Fut: std::future::Future<Output = JobOutput> + Send + 'static,
    {
        let unfinished = lock(&self.jobs)
            .values()
            .filter(|e| {
                let view = lock(&e.view);
                view.owner == Some(owner) && view.status == JobStatus::Running
            })
            .count();
        if unfinished >= UNFINISHED_PER_KEY {
            return Err(Problem {
                retry_after: Some(30),
                ..Problem::new(
                    axum::http::StatusCode::TOO_MANY_REQUESTS,
                    format!("this key has {unfinished} jobs unfinished; wait for one to end"),
                )
            });
        }
        let id = new_id();
        let view = JobView {
            id: id.clone(),
            kind: kind.to_owned(),
            status: JobStatus::Running,
            submitted_at: Utc::now(),
            finished_at: None,
            stage: None,
            done: 0,
            total: 0,
            notes: Vec::new(),
            error: None,
            files: Vec::new(),
            owner: Some(owner),
        };
        let entry = Arc::new(Entry {
            view: Mutex::new(view.clone()),
            result: Mutex::new(None),
            cancel: CancellationToken::new(),
            dir: self.root.join(&id),
        });
        lock(&self.jobs).insert(id, entry.clone());
        entry.persist();
        let sink = entry.clone();
        let progress = Progress::new(move |event| record(&sink, event)).with_cancellation(entry.cancel.clone());
        let running = work(progress, entry.dir.clone());
        let key_turns =
            lock(&self.key_turns).entry(owner).or_insert_with(|| Arc::new(Semaphore::new(RUNNING_PER_KEY))).clone();
        let turns = self.turns.clone();
        tokio::spawn(async move {
            lock(&entry.view).stage = Some("waiting for a turn".to_owned());
            let turn = async {
                let own = key_turns.acquire_owned().await;
                let any = turns.acquire_owned().await;
                (own, any)
            };
            let output = tokio::select! {
                _turn = turn => {
                    lock(&entry.view).stage = None;
                    running.await
                }
                () = entry.cancel.cancelled() => Err(Problem::new(axum::http::StatusCode::CONFLICT, "cancelled before its turn came")),
            };
            finish(&entry, output);
            entry.persist();
        });
        Ok(view)
    }

    /// Removes the jobs that ended before `older_than` ago, with their folders; how many.
    pub fn prune(&self, older_than: std::time::Duration) -> usize {
        let Some(cutoff) = chrono::Duration::from_std(older_than).ok().and_then(|d| Utc::now().checked_sub_signed(d))
        else {
            return 0;
        };
        let old: Vec<(String, PathBuf)> = lock(&self.jobs)
            .iter()
            .filter(|(_, e)| lock(&e.view).finished_at.is_some_and(|at| at < cutoff))
            .map(|(id, e)| (id.clone(), e.dir.clone()))
            .collect();
        for (id, dir) in &old {
            if let Err(e) = std::fs::remove_dir_all(dir) {
                tracing::warn!(job = %id, error = %e, "an old job's folder could not be removed");
            }
            lock(&self.jobs).remove(id);
        }
        old.len()
    }

    /// Job `id` if `reader` may see it: its owner's, or any for an admin key. Another key's job
    /// is answered as no job at all, so ids cannot be probed.
    fn entry(&self, id: &str, reader: &ApiKey) -> Option<Arc<Entry>> {
        lock(&self.jobs).get(id).filter(|e| may_see(&lock(&e.view), reader)).cloned()
    }

    /// A job's view, for `reader`.
    pub fn view(&self, id: &str, reader: &ApiKey) -> Option<JobView> {
        self.entry(id, reader).map(|e| lock(&e.view).clone())
    }

    /// The jobs in `status` that `reader` may see, newest first.
    pub fn with_status(&self, status: JobStatus, reader: &ApiKey) -> Vec<JobView> {
        let mut views: Vec<JobView> = lock(&self.jobs)
            .values()
            .map(|e| lock(&e.view).clone())
            .filter(|v| v.status == status && may_see(v, reader))
            .collect();
        views.sort_by_key(|v| std::cmp::Reverse(v.submitted_at));
        views
    }

    /// How many jobs there are in each status.
    pub fn counts(&self) -> HashMap<JobStatus, u64> {
        let mut counts = HashMap::new();
        for entry in lock(&self.jobs).values() {
            *counts.entry(lock(&entry.view).status).or_default() += 1;
        }
        counts
    }

    /// Lets running jobs finish for up to `grace`, then stops the rest and records them as
    /// `interrupted` (in memory and in their folders); returns how many were interrupted.
    pub async fn shutdown(&self, grace: std::time::Duration) -> usize {
        let deadline = tokio::time::Instant::now() + grace;
        while self.counts().get(&JobStatus::Running).copied().unwrap_or(0) > 0 && tokio::time::Instant::now() < deadline
        {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let running: Vec<Arc<Entry>> =
            lock(&self.jobs).values().filter(|e| lock(&e.view).status == JobStatus::Running).cloned().collect();
        for entry in &running {
            entry.cancel.cancel();
            interrupt(&mut lock(&entry.view));
            entry.persist();
        }
        running.len()
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

/// Marks a view interrupted: the service stopped before the job ended.
fn interrupt(view: &mut JobView) {
    view.status = JobStatus::Interrupted;
    view.finished_at = Some(Utc::now());
    view.error = Some(Problem::new(
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "the service stopped while the job ran; submit it again",
    ));
}

/// Records a job's end in its view, unless the service already marked it interrupted.
fn finish(entry: &Entry, output: JobOutput) {
    let mut view = lock(&entry.view);
    if view.status != JobStatus::Running {
        return;
    }
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
}

impl JobBoard {
    /// A finished job's report (read from its folder for a job of an earlier run), for `reader`.
    pub fn result(&self, id: &str, reader: &ApiKey) -> Option<serde_json::Value> {
        let entry = self.entry(id, reader)?;
        if let Some(report) = lock(&entry.result).clone() {
            return Some(report);
        }
        let bytes = std::fs::read(entry.dir.join(RESULT_FILE)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// A file a finished job wrote, by name (only names the job listed: no path escapes), for
    /// `reader`.
    pub fn file(&self, id: &str, name: &str, reader: &ApiKey) -> Option<PathBuf> {
        let entry = self.entry(id, reader)?;
        let listed = lock(&entry.view).files.iter().any(|f| f == name);
        listed.then(|| entry.dir.join(name))
    }

    /// Asks a running job to stop; `None` when there is no such job `reader` may see.
    pub fn cancel(&self, id: &str, reader: &ApiKey) -> Option<JobView> {
        let entry = self.entry(id, reader)?;
        entry.cancel.cancel();
        Some(lock(&entry.view).clone())
    }
}

/// Whether `reader` may see `view`: the key that submitted it, or an admin key.
fn may_see(view: &JobView, reader: &ApiKey) -> bool {
    reader.scope == Scope::Admin || view.owner == Some(reader.id)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: i64, scope: Scope) -> ApiKey {
        ApiKey { id, name: format!("k{id}"), scope, created_ms: 0, revoked_ms: None }
    }

    #[tokio::test]
    async fn jobs_take_turns_and_a_key_with_too_many_is_told_to_wait() {
        let root = std::env::temp_dir().join(format!("open1688-board-{}", new_id()));
        let board = JobBoard::new(&root);
        let gate = Arc::new(tokio::sync::Notify::new());
        let started = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut ids = Vec::new();
        for _ in 0..UNFINISHED_PER_KEY {
            let (gate, started) = (gate.clone(), started.clone());
            let view = board
                .submit("test", 7, move |_, _| async move {
                    started.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    gate.notified().await;
                    Ok((serde_json::json!({}), Vec::new()))
                })
                .unwrap();
            ids.push(view.id);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        assert_eq!(started.load(std::sync::atomic::Ordering::SeqCst), RUNNING_PER_KEY, "one key runs two at once");
        let waiting = board.view(&ids[UNFINISHED_PER_KEY - 1], &key(7, Scope::Write)).unwrap();
        assert_eq!(waiting.stage.as_deref(), Some("waiting for a turn"));
        let refused = board.submit("test", 7, |_, _| async { Ok((serde_json::json!({}), Vec::new())) }).unwrap_err();
        assert_eq!(refused.status, 429);
        // Another key is not held up by this one's queue.
        let other = board.submit("test", 8, |_, _| async { Ok((serde_json::json!({}), Vec::new())) }).unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        assert_eq!(board.view(&other.id, &key(8, Scope::Write)).unwrap().status, JobStatus::Succeeded);
        // A cancelled waiting job ends without running.
        board.cancel(&ids[UNFINISHED_PER_KEY - 1], &key(7, Scope::Write)).unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert_eq!(
            board.view(&ids[UNFINISHED_PER_KEY - 1], &key(7, Scope::Write)).unwrap().status,
            JobStatus::Cancelled
        );
        for _ in 0..UNFINISHED_PER_KEY {
            gate.notify_waiters();
            tokio::time::sleep(std::time::Duration::from_millis(30)).await;
        }
        // Finished jobs go with the retention, folders and all.
        assert_eq!(board.prune(std::time::Duration::from_secs(3600)), 0, "none is an hour old");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        let pruned = board.prune(std::time::Duration::from_millis(10));
        assert!(pruned >= 2, "{pruned}");
        assert!(board.view(&other.id, &key(1, Scope::Admin)).is_none());
        assert!(!root.join(&other.id).exists());
        let _ = std::fs::remove_dir_all(&root);
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
