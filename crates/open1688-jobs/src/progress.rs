//! Progress and cancellation of long jobs. A job reports what it is doing through a
//! [`Progress`]; each surface draws the events its own way (a progress bar, a web page, a log
//! line, an MCP notification) and may cancel the job through the same value.

use std::sync::Arc;

use serde::Serialize;
use tokio_util::sync::CancellationToken;

use crate::error::{JobError, Result};

/// What a stage of a job does, as data (each surface says it in its reader's language; `Display`
/// is the English).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Stage {
    /// Searching for a keyword.
    Searching {
        /// The keyword.
        keyword: String,
    },
    /// Reading one page of a keyword's results (a crawl).
    SearchingPage {
        /// The keyword.
        keyword: String,
        /// The page, from 1.
        page: u32,
    },
    /// Reading the offers found.
    ReadingOffers {
        /// How many.
        count: usize,
    },
    /// Scoring suppliers and comparing landed costs.
    Comparing,
    /// Writing the workbook and the other files.
    WritingFiles,
    /// Reading a seller's listings (a crawl).
    ReadingSellerListings {
        /// The seller's open id.
        open_id: String,
    },
    /// Reading again the stored offers that went stale.
    RefreshingStale {
        /// How many are read now.
        count: usize,
        /// How many are stale in all.
        of: usize,
    },
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Searching { keyword } => write!(f, "searching {keyword:?}"),
            Self::SearchingPage { keyword, page } => write!(f, "searching {keyword:?}, page {page}"),
            Self::ReadingOffers { count } => write!(f, "reading {count} offers"),
            Self::Comparing => f.write_str("scoring suppliers and comparing landed costs"),
            Self::WritingFiles => f.write_str("writing the workbook"),
            Self::ReadingSellerListings { open_id } => write!(f, "reading seller {open_id}'s listings"),
            Self::RefreshingStale { count, of } => write!(f, "refreshing {count} of {of} stale offers"),
        }
    }
}

/// One thing a job reports while it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ProgressEvent {
    /// A numbered stage of a multi-stage job began (`step` of `of`, e.g. 2 of 4 "reading 30 offers").
    Stage {
        /// This stage's number, from 1.
        step: u32,
        /// How many stages the job has.
        of: u32,
        /// What the stage does, in English (`stage` rendered).
        label: String,
        /// What the stage does, as data, for a surface to say in its reader's language.
        stage: Stage,
    },
    /// Counted work began: `total` units of `task` (pages, offer details).
    Begin {
        /// What is counted.
        task: &'static str,
        /// How many units there will be at most.
        total: u64,
    },
    /// One unit of the current counted work is done.
    Advance {
        /// What is counted.
        task: &'static str,
    },
    /// The counted work ended (possibly early).
    End {
        /// What was counted.
        task: &'static str,
    },
    /// Something the user should know that does not stop the job (an offer skipped and why).
    Note {
        /// The note, for a person.
        text: String,
    },
}

type Sink = Arc<dyn Fn(&ProgressEvent) + Send + Sync>;

/// Where a job reports its progress, and how its caller cancels it. Cloning shares both.
#[derive(Clone)]
pub struct Progress {
    sink: Option<Sink>,
    cancel: CancellationToken,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress").field("cancelled", &self.cancel.is_cancelled()).finish_non_exhaustive()
    }
}

impl Default for Progress {
    fn default() -> Self {
        Self::silent()
    }
}

impl Progress {
    /// Reports nothing; the job can still be cancelled through [`Progress::cancellation`].
    pub fn silent() -> Self {
        Self { sink: None, cancel: CancellationToken::new() }
    }

    /// Reports every event to `sink`.
    pub fn new(sink: impl Fn(&ProgressEvent) + Send + Sync + 'static) -> Self {
        Self { sink: Some(Arc::new(sink)), cancel: CancellationToken::new() }
    }

    /// Uses `token` to cancel: cancelling it stops the job at its next step.
    pub fn with_cancellation(mut self, token: CancellationToken) -> Self {
        self.cancel = token;
        self
    }

    /// The token that cancels the job.
    pub fn cancellation(&self) -> &CancellationToken {
        &self.cancel
    }

    /// Reports an event.
    pub fn emit(&self, event: ProgressEvent) {
        if let Some(sink) = &self.sink {
            sink(&event);
        }
    }

    /// Reports stage `step` of `of`.
    pub fn stage(&self, step: u32, of: u32, stage: Stage) {
        self.emit(ProgressEvent::Stage { step, of, label: stage.to_string(), stage });
    }

    /// Reports a note.
    pub fn note(&self, text: impl Into<String>) {
        self.emit(ProgressEvent::Note { text: text.into() });
    }

    /// `Err(Cancelled)` once the caller has cancelled.
    pub fn check(&self) -> Result<()> {
        if self.cancel.is_cancelled() { Err(JobError::Cancelled) } else { Ok(()) }
    }

    /// Awaits `work` unless the job is cancelled first.
    pub async fn or_cancel<T>(&self, work: impl std::future::Future<Output = T>) -> Result<T> {
        tokio::select! {
            biased;
            () = self.cancel.cancelled() => Err(JobError::Cancelled),
            value = work => Ok(value),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[tokio::test]
    async fn events_reach_the_sink_and_cancellation_stops_waiting() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let progress = Progress::new(move |e| log.lock().unwrap().push(e.clone()));
        progress.stage(1, 2, Stage::Comparing);
        progress.note("skipped");
        assert_eq!(seen.lock().unwrap().len(), 2);
        assert!(progress.check().is_ok());
        progress.cancellation().cancel();
        assert!(matches!(progress.check(), Err(JobError::Cancelled)));
        let never = std::future::pending::<()>();
        assert!(matches!(progress.or_cancel(never).await, Err(JobError::Cancelled)));
    }
}
