//! The files tools leave behind for agents to read as resources: each caller's last sourcing job
//! (its report, workbook and charts), replaced whole by the caller's next job and kept across
//! restarts. A service's callers (API keys) have theirs in the store, so any instance behind a
//! balancer reads what another wrote; the local user of `open1688 mcp` has a folder of its own
//! under the outputs folder.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use open1688_jobs::{JobError, Progress, Result, SourceReport};
use open1688_store::{NewServiceJob, SqlStore};

use crate::caller::Caller;

/// The resource URI prefix of a caller's last sourcing job.
pub const LAST_SOURCE: &str = "open1688://source/last/";

/// The job kind a key's last sourcing job is kept under in the store.
const MCP_SOURCE: &str = "mcp_source";

/// Where callers' outputs are kept.
#[derive(Debug, Clone)]
pub struct Outputs {
    root: PathBuf,
    store: Arc<SqlStore>,
}

/// Where one output's bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A file of the local user's folder.
    File(PathBuf),
    /// A file of a job kept in the store.
    Stored {
        /// The job's id.
        job: String,
    },
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
    pub location: Location,
}

fn output_file(name: String, size: u64, location: Location) -> Option<OutputFile> {
    let media_type = media_type(&name)?;
    Some(OutputFile { uri: format!("{LAST_SOURCE}{name}"), name, media_type, size, location })
}

impl Outputs {
    /// Outputs under `root` for the local user (created when first written) and in `store` for
    /// API keys.
    pub fn new(root: impl Into<PathBuf>, store: Arc<SqlStore>) -> Self {
        Self { root: root.into(), store }
    }

    fn folder(&self, caller: &Caller) -> PathBuf {
        self.root.join(caller.folder()).join("source")
    }

    /// Writes `report` (as `report.json`), its workbook and its charts (in `language`) as
    /// `caller`'s last sourcing job, replacing the one before; returns the files.
    pub async fn write_source(
        &self,
        caller: &Caller,
        report: SourceReport,
        progress: &Progress,
        language: open1688_jobs::Language,
    ) -> Result<Vec<OutputFile>> {
        let folder = self.folder(caller);
        // Written beside the last job (a reader never sees half of each), then swapped in, or
        // read into the store.
        let fresh = folder.with_extension(format!("new-{}-{}", std::process::id(), unique()));
        let written = {
            let (fresh, progress, report) = (fresh.clone(), progress.clone(), report.clone());
            tokio::task::spawn_blocking(move || -> Result<()> {
                let _ = std::fs::remove_dir_all(&fresh);
                report.write_outputs(&fresh, &progress, language)?;
                let json = serde_json::to_vec_pretty(&report).map_err(|e| JobError::output(&fresh, e))?;
                std::fs::write(fresh.join("report.json"), json).map_err(|e| JobError::output(&fresh, e))
            })
            .await
            .map_err(|e| JobError::output(Path::new("the sourcing job's files"), e))?
        };
        written?;
        match caller {
            Caller::Local => {
                let _ = std::fs::remove_dir_all(&folder);
                std::fs::rename(&fresh, &folder).map_err(|e| JobError::output(&folder, e))?;
            }
            Caller::Key { id, .. } => {
                let stored = self.store_folder(*id, &fresh).await;
                let _ = std::fs::remove_dir_all(&fresh);
                stored?;
            }
        }
        self.last_source(caller).await
    }

    /// Keeps the files of `folder` in the store as key `owner`'s last sourcing job.
    async fn store_folder(&self, owner: i64, folder: &Path) -> Result<()> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(folder).map_err(|e| JobError::output(folder, e))?.flatten() {
            let Ok(name) = entry.file_name().into_string() else { continue };
            if media_type(&name).is_some() {
                files.push((name, std::fs::read(entry.path()).map_err(|e| JobError::output(&entry.path(), e))?));
            }
        }
        let id = format!("{MCP_SOURCE}-{owner}-{}-{}", std::process::id(), unique());
        let now = chrono::Utc::now().timestamp_millis();
        let job = NewServiceJob { id: &id, kind: MCP_SOURCE, owner, request: "{}", submitted_ms: now };
        Ok(self.store.record_finished_service_job(&job, "{}", &files).await?)
    }

    /// The files of `caller`'s last sourcing job (none before its first).
    pub async fn last_source(&self, caller: &Caller) -> Result<Vec<OutputFile>> {
        let mut files: Vec<OutputFile> = match caller {
            Caller::Local => {
                let Ok(entries) = std::fs::read_dir(self.folder(caller)) else { return Ok(Vec::new()) };
                entries
                    .filter_map(|entry| {
                        let entry = entry.ok()?;
                        let meta = entry.metadata().ok().filter(std::fs::Metadata::is_file)?;
                        output_file(entry.file_name().into_string().ok()?, meta.len(), Location::File(entry.path()))
                    })
                    .collect()
            }
            Caller::Key { id, .. } => {
                let Some(job) = self.store.newest_service_job(*id, MCP_SOURCE).await? else { return Ok(Vec::new()) };
                let sizes = self.store.service_job_file_sizes(&job.id).await?;
                sizes
                    .into_iter()
                    .filter_map(|(name, size)| {
                        output_file(name, u64::try_from(size).unwrap_or(0), Location::Stored { job: job.id.clone() })
                    })
                    .collect()
            }
        };
        files.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(files)
    }

    /// The file at `uri` of `caller`'s last sourcing job. Only names the job lists are read, so
    /// no URI reaches outside it.
    pub async fn find(&self, caller: &Caller, uri: &str) -> Result<Option<OutputFile>> {
        let Some(name) = uri.strip_prefix(LAST_SOURCE) else { return Ok(None) };
        Ok(self.last_source(caller).await?.into_iter().find(|f| f.name == name))
    }

    /// The bytes of `file`.
    pub async fn read(&self, file: &OutputFile) -> Result<Vec<u8>> {
        match &file.location {
            Location::File(path) => tokio::fs::read(path).await.map_err(|e| JobError::output(path, e)),
            Location::Stored { job } => self
                .store
                .service_job_file(job, &file.name)
                .await?
                .ok_or_else(|| JobError::NotFound(format!("{} (replaced by a newer sourcing job)", file.uri))),
        }
    }
}

/// A name part no other writer uses: this process's count of writes and the time in nanoseconds
/// (with the process id beside it in every name).
fn unique() -> String {
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{}-{n}", chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default())
}

/// The media type of a file the sourcing job writes, by its extension (others are not served).
fn media_type(name: &str) -> Option<&'static str> {
    let extension = Path::new(name).extension()?.to_str()?;
    match extension {
        "xlsx" => Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "png" => Some("image/png"),
        "svg" => Some("image/svg+xml"),
        "json" => Some("application/json"),
        "csv" => Some("text/csv"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn only_listed_files_of_the_callers_own_job_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(SqlStore::open(&format!("sqlite://{}", dir.path().join("s.db").display())).await.unwrap());
        let outputs = Outputs::new(dir.path().join("out"), store.clone());
        let caller = Caller::Local;
        let folder = outputs.folder(&caller);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("sourcing.xlsx"), b"x").unwrap();
        std::fs::write(folder.join("notes.txt"), b"x").unwrap();
        std::fs::write(dir.path().join("secret.png"), b"x").unwrap();
        let files = outputs.last_source(&caller).await.unwrap();
        assert_eq!(files.len(), 1, "{files:?}");
        assert_eq!(files[0].uri, "open1688://source/last/sourcing.xlsx");
        assert!(outputs.find(&caller, "open1688://source/last/sourcing.xlsx").await.unwrap().is_some());
        assert!(outputs.find(&caller, "open1688://source/last/../../secret.png").await.unwrap().is_none());
        assert!(outputs.find(&caller, "open1688://source/last/notes.txt").await.unwrap().is_none());

        // A key's job is kept in the store: another instance on it reads the same files.
        let key = Caller::Key { id: 3, name: "x".into(), scope: open1688_store::Scope::Read };
        assert!(outputs.last_source(&key).await.unwrap().is_empty(), "one caller never sees another's files");
        let written = dir.path().join("written");
        std::fs::create_dir_all(&written).unwrap();
        std::fs::write(written.join("report.json"), b"{}").unwrap();
        std::fs::write(written.join("notes.txt"), b"x").unwrap();
        outputs.store_folder(3, &written).await.unwrap();
        let elsewhere = Outputs::new(dir.path().join("another-instance"), store);
        let files = elsewhere.last_source(&key).await.unwrap();
        assert_eq!(files.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["report.json"]);
        let found = elsewhere.find(&key, "open1688://source/last/report.json").await.unwrap().unwrap();
        assert_eq!(elsewhere.read(&found).await.unwrap(), b"{}");
        assert!(
            elsewhere
                .last_source(&Caller::Key { id: 4, name: "y".into(), scope: open1688_store::Scope::Read })
                .await
                .unwrap()
                .is_empty()
        );
    }
}
