//! The repository keeps its own copy of the shared ground-truth fixtures so that a clone alone
//! passes its tests. Whenever the shared folder sits beside the repository (`../shared/fixtures`,
//! as on the development and CI machines), the copy must be identical to it, file by file.

mod fixtures;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file below `root`, by its path relative to `root`.
fn files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                out.insert(path.strip_prefix(root).unwrap().to_path_buf(), bytes);
            }
        }
    }
    out
}

#[test]
fn the_repository_copy_is_identical_to_the_shared_fixtures_when_they_are_beside_it() {
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures");
    if !shared.is_dir() {
        eprintln!("skipped: no ../shared/fixtures beside the repository; the repository's copy is used alone");
        return;
    }
    let copy = files(&fixtures::repository_copy());
    let original = files(&shared);
    let names = |m: &BTreeMap<PathBuf, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&copy), names(&original), "fixtures/ lists other files than ../shared/fixtures");
    for (name, bytes) in &original {
        assert!(copy[name] == *bytes, "fixtures/{} differs from ../shared/fixtures: copy it again", name.display());
    }
}
