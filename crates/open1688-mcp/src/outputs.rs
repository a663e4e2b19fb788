//! The files tools leave behind for agents to read as resources: each caller's last sourcing job
//! (its report, workbook and charts) in a folder of its own under the outputs folder, replaced
//! whole by the caller's next job and kept across restarts.

use std::path::{Path, PathBuf};

use open1688_jobs::{JobError, Progress, Result, SourceReport};

use crate::caller::Caller;

/// The resource URI prefix of a caller's last sourcing job.
pub const LAST_SOURCE: &str = "open1688://source/last/";

/// The outputs folder.
#[derive(Debug, Clone)]
pub struct Outputs {
    root: PathBuf,
}

/// One file of a caller's last sourcing job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Its resource URI.
    pub uri: String,
    /// Its file name.
    pub name: String,
    /// Its media type.
    pub media_type: &'static str,
    /// Its size in bytes.
    pub size: u64,
    /// Where it is.
    pub path: PathBuf,
}

impl Outputs {
    /// Outputs under `root` (created when first written).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    fn folder(&self, caller: &Caller) -> PathBuf {
        self.root.join(caller.folder()).join("source")
    }

    /// Writes `report` (as `report.json`), its workbook and its charts as `caller`'s last sourcing
    /// job, replacing the one before; returns the files.
    pub async fn write_source(
        &self,
        caller: &Caller,
        report: SourceReport,
        progress: &Progress,
    ) -> Result<Vec<OutputFile>> {
        let folder = self.folder(caller);
        let progress = progress.clone();
        let written = tokio::task::spawn_blocking(move || -> Result<()> {
            // Written beside the last job and swapped in, so a reader never sees half of each.
            let fresh = folder.with_extension(format!("new-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&fresh);
            report.write_outputs(&fresh, &progress)?;
            let json = serde_json::to_vec_pretty(&report).map_err(|e| JobError::output(&fresh, e))?;
            std::fs::write(fresh.join("report.json"), json).map_err(|e| JobError::output(&fresh, e))?;
            let _ = std::fs::remove_dir_all(&folder);
            std::fs::rename(&fresh, &folder).map_err(|e| JobError::output(&folder, e))
        })
        .await
        .map_err(|e| JobError::output(Path::new("the sourcing job's files"), e))?;
        written?;
        Ok(self.last_source(caller))
    }

    /// The files of `caller`'s last sourcing job (none before its first).
    pub fn last_source(&self, caller: &Caller) -> Vec<OutputFile> {
        let Ok(entries) = std::fs::read_dir(self.folder(caller)) else { return Vec::new() };
        let mut files: Vec<OutputFile> = entries
            .filter_map(|entry| {
                let entry = entry.ok()?;
                let meta = entry.metadata().ok().filter(std::fs::Metadata::is_file)?;
                let name = entry.file_name().into_string().ok()?;
                let media_type = media_type(&name)?;
                Some(OutputFile {
                    uri: format!("{LAST_SOURCE}{name}"),
                    name,
                    media_type,
                    size: meta.len(),
                    path: entry.path(),
                })
            })
            .collect();
        files.sort_by(|a, b| a.name.cmp(&b.name));
        files
    }

    /// The file at `uri` of `caller`'s last sourcing job. Only names the folder lists are read, so
    /// no URI reaches outside it.
    pub fn find(&self, caller: &Caller, uri: &str) -> Option<OutputFile> {
        let name = uri.strip_prefix(LAST_SOURCE)?;
        self.last_source(caller).into_iter().find(|f| f.name == name)
    }
}

/// The media type of a file the sourcing job writes, by its extension (others are not served).
fn media_type(name: &str) -> Option<&'static str> {
    let extension = Path::new(name).extension()?.to_str()?;
    match extension {
        "xlsx" => Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "png" => Some("image/png"),
        "svg" => Some("image/svg+xml"),
        "json" => Some("application/json"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_listed_files_of_the_callers_own_folder_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let outputs = Outputs::new(dir.path());
        let caller = Caller::Local;
        let folder = outputs.folder(&caller);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("sourcing.xlsx"), b"x").unwrap();
        std::fs::write(folder.join("notes.txt"), b"x").unwrap();
        std::fs::write(dir.path().join("secret.png"), b"x").unwrap();
        let files = outputs.last_source(&caller);
        assert_eq!(files.len(), 1, "{files:?}");
        assert_eq!(files[0].uri, "open1688://source/last/sourcing.xlsx");
        assert!(outputs.find(&caller, "open1688://source/last/sourcing.xlsx").is_some());
        assert!(outputs.find(&caller, "open1688://source/last/../../secret.png").is_none());
        assert!(outputs.find(&caller, "open1688://source/last/notes.txt").is_none());
        let other = Caller::Key { id: 3, name: "x".into(), scope: open1688_store::Scope::Read };
        assert!(outputs.last_source(&other).is_empty(), "one caller never sees another's files");
    }
}
