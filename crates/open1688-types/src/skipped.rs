//! Items skipped while decoding a response: a list element that cannot be read as its model (a
//! string or a number where an offer object belongs) is left out so the rest of the page
//! survives, and noted here. Decoding is synchronous, so the notes are kept per thread and read
//! back by [`collect_skipped`] around one decode.

use std::cell::RefCell;
use std::fmt;

/// One list element that was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedItem {
    /// The model the element should have been (`SearchItem`, `SkuInfo`, `String`).
    pub model: &'static str,
    /// Its position in its list (from 0).
    pub index: usize,
    /// What was there instead (`a string`, `null`, `an array`).
    pub found: &'static str,
}

impl fmt::Display for SkippedItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} #{}: {} where the model belongs", self.model, self.index, self.found)
    }
}

thread_local! {
    static SKIPPED: RefCell<Option<Vec<SkippedItem>>> = const { RefCell::new(None) };
}

/// Runs a decode and returns what it skipped. Outside `collect_skipped`, skips are not recorded.
pub fn collect_skipped<T>(decode: impl FnOnce() -> T) -> (T, Vec<SkippedItem>) {
    let outer = SKIPPED.with(|s| s.borrow_mut().replace(Vec::new()));
    let value = decode();
    let skipped = SKIPPED.with(|s| std::mem::replace(&mut *s.borrow_mut(), outer)).unwrap_or_default();
    (value, skipped)
}

pub(crate) fn note(item: SkippedItem) {
    SKIPPED.with(|s| {
        if let Some(list) = s.borrow_mut().as_mut() {
            list.push(item);
        }
    });
}

/// The short name of a model type, for reports.
pub(crate) fn model_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    full.rsplit("::").next().unwrap_or(full)
}
