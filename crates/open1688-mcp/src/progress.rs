//! A job's progress as MCP progress notifications: [`ProgressCounter`] turns the application
//! layer's events into an ever-increasing number out of a known total (the job's stages, each
//! worth one, split by its counted work), a pure function tested alone; [`relay`] sends them.

use open1688_jobs::{Progress, ProgressEvent};
use rmcp::model::{ProgressNotificationParam, ProgressToken};
use rmcp::service::{Peer, RoleServer};
use tokio_util::sync::CancellationToken;

/// One notification's figures: progress so far, out of `total` when known, and what is happening.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Progress so far (never decreases).
    pub progress: f64,
    /// The total progress will reach.
    pub total: Option<f64>,
    /// What is happening, for a person.
    pub message: String,
}

/// Turns progress events into [`Step`]s.
#[derive(Debug, Default)]
pub struct ProgressCounter {
    stages: Option<u32>,
    stage: u32,
    label: String,
    units: u64,
    done: u64,
    last: f64,
}

impl ProgressCounter {
    /// The step an event means, or `None` for one that changes nothing worth saying.
    pub fn step(&mut self, event: &ProgressEvent) -> Option<Step> {
        let message = match event {
            ProgressEvent::Stage { step, of, label, .. } => {
                self.stages = Some(*of);
                self.stage = *step;
                self.label = label.clone();
                self.units = 0;
                self.done = 0;
                format!("{step}/{of}: {label}")
            }
            ProgressEvent::Begin { task, total } => {
                self.units = *total;
                self.done = 0;
                format!("{task}: 0/{total}")
            }
            ProgressEvent::Advance { task } => {
                self.done = self.done.saturating_add(1).min(self.units.max(1));
                format!("{task}: {}/{}", self.done, self.units)
            }
            ProgressEvent::End { .. } => return None,
            ProgressEvent::Note { text } => text.clone(),
        };
        let within = if self.units == 0 { 0.0 } else { self.done as f64 / self.units as f64 };
        let progress = match self.stages {
            Some(_) => f64::from(self.stage.saturating_sub(1)) + within,
            None => self.done as f64,
        };
        // Never backwards, whatever order events arrive in.
        self.last = self.last.max(progress);
        let total = match self.stages {
            Some(of) => Some(f64::from(of)),
            None => (self.units > 0).then_some(self.units as f64),
        };
        Some(Step { progress: self.last, total, message })
    }
}

/// A [`Progress`] for one tool call: cancelled by `cancel` (the client's cancellation), and, when
/// the call carries a progress token, reporting to `peer` as progress notifications (sent in
/// order by one task, so a slow client never slows the job).
pub fn relay(peer: Peer<RoleServer>, token: Option<ProgressToken>, cancel: CancellationToken) -> Progress {
    let Some(token) = token else {
        return Progress::silent().with_cancellation(cancel);
    };
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel::<ProgressEvent>();
    tokio::spawn(async move {
        let mut counter = ProgressCounter::default();
        while let Some(event) = receiver.recv().await {
            let Some(step) = counter.step(&event) else { continue };
            let mut param = ProgressNotificationParam::new(token.clone(), step.progress).with_message(step.message);
            if let Some(total) = step.total {
                param = param.with_total(total);
            }
            if peer.notify_progress(param).await.is_err() {
                break; // The client is gone; the job learns of it through its cancellation.
            }
        }
    });
    Progress::new(move |event| {
        let _ = sender.send(event.clone());
    })
    .with_cancellation(cancel)
}

#[cfg(test)]
mod tests {
    use super::*;
    use open1688_jobs::Stage;

    #[test]
    fn stages_and_counted_work_make_one_rising_figure_out_of_the_stage_count() {
        let mut c = ProgressCounter::default();
        let s = c
            .step(&ProgressEvent::Stage { step: 1, of: 4, label: "searching".into(), stage: Stage::Comparing })
            .unwrap();
        assert_eq!((s.progress, s.total), (0.0, Some(4.0)));
        c.step(&ProgressEvent::Stage { step: 2, of: 4, label: "reading".into(), stage: Stage::Comparing });
        c.step(&ProgressEvent::Begin { task: "offer details", total: 4 });
        let s = c.step(&ProgressEvent::Advance { task: "offer details" }).unwrap();
        assert_eq!(s.progress, 1.25);
        assert_eq!(s.message, "offer details: 1/4");
        assert!(c.step(&ProgressEvent::End { task: "offer details" }).is_none());
        let s = c.step(&ProgressEvent::Note { text: "offer 9 skipped".into() }).unwrap();
        assert_eq!(s.progress, 1.25, "a note does not move the figure");
        let s = c
            .step(&ProgressEvent::Stage { step: 4, of: 4, label: "writing".into(), stage: Stage::WritingFiles })
            .unwrap();
        assert_eq!(s.progress, 3.0);
    }

    #[test]
    fn the_figure_never_goes_back_and_extra_advances_stay_within_the_count() {
        let mut c = ProgressCounter::default();
        c.step(&ProgressEvent::Begin { task: "pages", total: 2 });
        for _ in 0..5 {
            c.step(&ProgressEvent::Advance { task: "pages" });
        }
        let s = c.step(&ProgressEvent::Begin { task: "pages", total: 2 }).unwrap();
        assert_eq!(s.progress, 2.0);
        assert_eq!(s.total, Some(2.0));
    }
}
