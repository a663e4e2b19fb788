//! Locates the shared ground-truth fixtures (`../shared/fixtures` beside the repository).

use std::path::PathBuf;

/// The fixtures folder; `OPEN1688_FIXTURES` overrides the default location.
pub fn dir() -> PathBuf {
    let dir = std::env::var_os("OPEN1688_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures"));
    assert!(
        dir.is_dir(),
        "fixtures folder {} not found: the repository expects shared/ beside it (or set OPEN1688_FIXTURES)",
        dir.display()
    );
    dir
}

/// Reads one fixture file.
pub fn read(relative: &str) -> Vec<u8> {
    let path = dir().join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", path.display()))
}
