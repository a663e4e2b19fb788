//! The application layer's progress events drawn on a terminal: stage lines and notes on stderr,
//! a progress bar for counted work when stderr is a terminal. `--quiet` hides all of it.

use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use open1688_jobs::{Progress, ProgressEvent};

/// A [`Progress`] that draws on stderr.
pub fn terminal(quiet: bool) -> Progress {
    let bars = std::io::stderr().is_terminal();
    let current: Arc<Mutex<Option<ProgressBar>>> = Arc::new(Mutex::new(None));
    Progress::new(move |event| {
        if quiet {
            return;
        }
        // A poisoned lock only means another thread panicked while drawing; keep drawing.
        let mut bar = current.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match event {
            ProgressEvent::Stage { step, of, label, .. } => print_above(bar.as_ref(), &format!("{step}/{of} {label}")),
            ProgressEvent::Note { text } => print_above(bar.as_ref(), text),
            ProgressEvent::Begin { task, total } if bars => *bar = Some(new_bar(*total, task)),
            ProgressEvent::Advance { .. } => {
                if let Some(b) = bar.as_ref() {
                    b.inc(1);
                }
            }
            ProgressEvent::End { .. } => {
                if let Some(b) = bar.take() {
                    b.finish_and_clear();
                }
            }
            ProgressEvent::Begin { .. } => {}
        }
    })
}

fn print_above(bar: Option<&ProgressBar>, text: &str) {
    match bar {
        Some(b) => b.suspend(|| eprintln!("{text}")),
        None => eprintln!("{text}"),
    }
}

fn new_bar(total: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg:<18} [{bar:30}] {pos}/{len} {elapsed}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_owned());
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}
