//! Where a running service job is, as data: waiting for a worker, or at a numbered stage of its
//! own ([`open1688_jobs::Stage`]). The worker keeps it in the store as JSON; the board reads it
//! back for the API (in English) and the dashboard (in the reader's language).

use serde::{Deserialize, Serialize};

/// What the board says of a queued job.
pub const WAITING: &str = "waiting for a turn";

/// Where a running job is, as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "at", rename_all = "snake_case")]
pub enum JobStage {
    /// Queued: waiting for a worker.
    Waiting,
    /// Stage `step` of `of`.
    Step {
        /// This stage's number, from 1.
        step: u32,
        /// How many stages the job has.
        of: u32,
        /// What the stage does.
        stage: open1688_jobs::Stage,
    },
}

impl JobStage {
    /// What a worker keeps in the store for stage `step` of `of`.
    pub fn stored(step: u32, of: u32, stage: &open1688_jobs::Stage) -> String {
        let at = Self::Step { step, of, stage: stage.clone() };
        serde_json::to_string(&at).unwrap_or_else(|_| format!("{step} of {of}: {stage}"))
    }
}

/// The English of a stored stage (a stage stored as text by an older version is its own text).
pub fn stage_text(stored: &str) -> String {
    match serde_json::from_str::<JobStage>(stored) {
        Ok(JobStage::Step { step, of, stage }) => format!("{step} of {of}: {stage}"),
        Ok(JobStage::Waiting) => WAITING.to_owned(),
        Err(_) => stored.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use open1688_jobs::Stage;

    #[test]
    fn a_stored_stage_reads_back_as_data_and_in_english() {
        let stored = JobStage::stored(2, 4, &Stage::ReadingOffers { count: 30 });
        assert_eq!(stage_text(&stored), "2 of 4: reading 30 offers");
        let back: JobStage = serde_json::from_str(&stored).unwrap();
        assert_eq!(back, JobStage::Step { step: 2, of: 4, stage: Stage::ReadingOffers { count: 30 } });
        // A stage an older version stored as text is shown as it was.
        assert_eq!(stage_text("3 of 4: scoring suppliers"), "3 of 4: scoring suppliers");
    }
}
