//! The kiosk's copy of the catalogues (procedures, tenders, networks): a
//! `plaza_catalogue::offline::OfflineCatalogue` in the data folder, so
//! browsing and search work with the manager unreachable and give the same
//! results as the manager's own search.
//!
//! The screens read it through [`LocalCatalogue::read`]; [`LocalCatalogue::sync`]
//! brings it up to date from `GET /api/v1/catalogue?since_version=N` off the
//! UI thread. A copy on disk is written through a connection of its own, so
//! a long first sync never holds the screens' connection; a failed sync
//! leaves the old copy exactly as it was (one transaction). [`Refresh`]
//! says when a sync is due.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use plaza_api::catalogue::{CatalogueSync, Network, Procedure, Tender};
use plaza_catalogue::offline::OfflineCatalogue;
use plaza_catalogue::{CatalogueError, CatalogueResult, Filter, Record};
use plaza_client::{ClientError, ManagerClient};

/// File name of the copy in the kiosk's data folder.
pub const CATALOGUE_FILE: &str = "catalogue.sqlite";

/// Most records a listing shows.
const LIST_LIMIT: u32 = 500;

/// Why a sync failed. `Clone` so it can travel in UI messages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error("cannot update the local catalogue: {0}")]
    Copy(String),
}

impl From<CatalogueError> for SyncError {
    fn from(error: CatalogueError) -> Self {
        Self::Copy(error.to_string())
    }
}

/// What a sync brought.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Synced {
    /// The copy's version before and after.
    pub from: u64,
    pub to: u64,
    /// The whole catalogue was replaced (first copy, or too far behind).
    pub full: bool,
    /// Records added or changed, and records removed.
    pub changed: usize,
    pub deleted: usize,
}

/// When the copy is brought up to date: at start, when a heartbeat
/// announces a content version other than the copy's, and on the
/// supervisor's "refresh content"; one sync at a time, in the background, so
/// the screens never wait for it.
#[derive(Debug, Default)]
pub struct Refresh {
    /// A sync is due.
    wanted: bool,
    running: bool,
    /// Why the last sync failed, for the maintenance menu; cleared by a
    /// successful one.
    last_error: Option<String>,
}

impl Refresh {
    /// Asks for a sync at the next chance.
    pub fn want(&mut self) {
        self.wanted = true;
    }

    /// The manager says its content is at `version`; the copy is at `copy`.
    pub fn announced(&mut self, version: u64, copy: u64) {
        if version != copy {
            self.wanted = true;
        }
    }

    /// Whether to start a sync now (one is due and none is running); if so,
    /// it counts as started.
    pub fn begin(&mut self) -> bool {
        if !self.wanted || self.running {
            return false;
        }
        self.wanted = false;
        self.running = true;
        true
    }

    /// The sync started by [`Self::begin`] ended. A failed one leaves the
    /// copy as it was; the next heartbeat asks again.
    pub fn finished(&mut self, result: &Result<Synced, SyncError>) {
        self.running = false;
        match result {
            Ok(synced) => {
                tracing::info!(
                    from = synced.from,
                    to = synced.to,
                    full = synced.full,
                    changed = synced.changed,
                    deleted = synced.deleted,
                    "catalogue copy updated"
                );
                self.last_error = None;
            }
            Err(error) => {
                tracing::warn!(%error, "catalogue sync failed; keeping the copy");
                self.last_error = Some(format!("catalogue sync failed: {error}"));
            }
        }
    }

    pub fn last_error(&self) -> Option<&str> {
        self.last_error.as_deref()
    }
}

/// Why the seed content could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {problems}")]
    Invalid { path: PathBuf, problems: String },
    #[error(transparent)]
    Copy(#[from] CatalogueError),
}

/// The copy, shared by the screens and the sync task.
#[derive(Clone)]
pub struct LocalCatalogue {
    copy: Arc<Mutex<OfflineCatalogue>>,
    /// The file, when on disk: syncs write through a connection of their own.
    path: Option<PathBuf>,
}

impl std::fmt::Debug for LocalCatalogue {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("LocalCatalogue")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl LocalCatalogue {
    /// Opens (creating if needed) the copy at `path`.
    pub fn open(path: &Path) -> CatalogueResult<Self> {
        Ok(Self {
            copy: Arc::new(Mutex::new(OfflineCatalogue::open(path)?)),
            path: Some(path.to_owned()),
        })
    }

    /// Opens the copy at `path`; a file that cannot be opened (damaged, or
    /// not a database) is only a cache: it is removed and started again.
    pub fn open_or_replace(path: &Path) -> CatalogueResult<Self> {
        match Self::open(path) {
            Ok(catalogue) => Ok(catalogue),
            Err(error) => {
                tracing::warn!(%error, path = %path.display(), "catalogue copy unusable; starting a new one");
                for suffix in ["", "-wal", "-shm"] {
                    let mut file = path.as_os_str().to_owned();
                    file.push(suffix);
                    let _ = std::fs::remove_file(PathBuf::from(file));
                }
                Self::open(path)
            }
        }
    }

    /// An empty copy in memory (tests; a kiosk whose disk refuses the file).
    pub fn in_memory() -> CatalogueResult<Self> {
        Ok(Self {
            copy: Arc::new(Mutex::new(OfflineCatalogue::in_memory()?)),
            path: None,
        })
    }

    /// A copy in memory filled from catalogue files (`procedures.json`,
    /// `tenders.json`, `networks.json` in `folder`, as in `assets/content/`).
    /// Its version stays 0, so the first sync with a manager replaces it.
    pub fn from_files(folder: &Path) -> Result<Self, SeedError> {
        let catalogue = Self::in_memory()?;
        let sync = CatalogueSync {
            version: 0,
            full: true,
            procedures: read_records::<Procedure>(&folder.join("procedures.json"))?,
            tenders: read_records::<Tender>(&folder.join("tenders.json"))?,
            networks: read_records::<Network>(&folder.join("networks.json"))?,
            deleted: Vec::new(),
        };
        catalogue.lock().apply(&sync)?;
        Ok(catalogue)
    }

    fn lock(&self) -> MutexGuard<'_, OfflineCatalogue> {
        // A panic while reading leaves nothing half-written (writes are one
        // transaction), so the copy stays usable.
        self.copy.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Reads the copy (search, listing, one record).
    pub fn read<T>(
        &self,
        read: impl FnOnce(&OfflineCatalogue) -> CatalogueResult<T>,
    ) -> CatalogueResult<T> {
        read(&self.lock())
    }

    /// The records matching `filter`, in catalogue order.
    pub fn list<R: Record>(&self, filter: &Filter) -> CatalogueResult<Vec<R>> {
        self.read(|copy| copy.list::<R>(filter, LIST_LIMIT))
    }

    /// One record, by id or slug.
    pub fn get<R: Record>(&self, id: &str) -> CatalogueResult<Option<R>> {
        self.read(|copy| copy.get::<R>(id))
    }

    /// The manager's content version this copy holds; 0 when empty.
    pub fn version(&self) -> u64 {
        self.lock().version().unwrap_or(0)
    }

    /// Brings the copy up to date with the manager; on any failure the copy
    /// is left as it was.
    pub async fn sync(&self, client: &ManagerClient) -> Result<Synced, SyncError> {
        let from = self.version();
        let reply = client.catalogue(from).await?;
        let catalogue = self.clone();
        tokio::task::spawn_blocking(move || catalogue.apply(from, &reply))
            .await
            .map_err(|error| SyncError::Copy(error.to_string()))?
    }

    /// Applies a sync reply (what [`Self::sync`] does once it has one).
    pub fn apply(&self, from: u64, reply: &CatalogueSync) -> Result<Synced, SyncError> {
        match &self.path {
            Some(path) => OfflineCatalogue::open(path)?.apply(reply)?,
            None => self.lock().apply(reply)?,
        }
        Ok(Synced {
            from,
            to: reply.version,
            full: reply.full,
            changed: reply.procedures.len() + reply.tenders.len() + reply.networks.len(),
            deleted: reply.deleted.len(),
        })
    }
}

fn read_records<R: Record>(path: &Path) -> Result<Vec<R>, SeedError> {
    let text = std::fs::read_to_string(path).map_err(|source| SeedError::Read {
        path: path.to_owned(),
        source,
    })?;
    plaza_catalogue::file::parse_records(&text).map_err(|errors| SeedError::Invalid {
        path: path.to_owned(),
        problems: errors.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use plaza_api::session::Language;
    use plaza_catalogue::{Filter, Search};

    use super::*;

    fn seed() -> LocalCatalogue {
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../assets/content");
        LocalCatalogue::from_files(Path::new(folder)).expect("seed content")
    }

    #[test]
    fn the_seed_content_loads_and_is_searchable_without_accents() {
        let catalogue = seed();
        assert_eq!(catalogue.version(), 0, "a seeded copy still syncs in full");
        let found = catalogue
            .read(|copy| {
                copy.search::<Procedure>(&Search {
                    text: "licencia conducir".to_owned(),
                    language: Language::Es,
                    filter: Filter::default(),
                    limit: 20,
                })
            })
            .expect("search");
        assert!(
            found
                .records
                .iter()
                .any(|procedure| procedure.title.get(Language::Es).contains("Licencia")),
            "{found:?}"
        );
    }

    #[test]
    fn a_copy_on_disk_is_written_by_the_sync_and_read_by_the_screens() {
        let folder = tempfile::tempdir().expect("folder");
        let path = folder.path().join(CATALOGUE_FILE);
        let catalogue = LocalCatalogue::open(&path).expect("open");
        let seeded = seed();
        let procedures = seeded
            .read(|copy| copy.list::<Procedure>(&Filter::default(), 1000))
            .expect("list");
        let reply = CatalogueSync {
            version: 4,
            full: true,
            procedures: procedures.clone(),
            tenders: Vec::new(),
            networks: Vec::new(),
            deleted: Vec::new(),
        };
        let synced = catalogue.apply(0, &reply).expect("apply");
        assert_eq!(synced.changed, procedures.len());
        assert_eq!(catalogue.version(), 4);
        let listed = catalogue
            .read(|copy| copy.list::<Procedure>(&Filter::default(), 1000))
            .expect("list");
        assert_eq!(listed.len(), procedures.len());
        drop(catalogue);
        assert_eq!(
            LocalCatalogue::open_or_replace(&path)
                .expect("reopen")
                .version(),
            4,
            "a good copy is kept"
        );
        assert_eq!(
            LocalCatalogue::open(&path).expect("reopen").version(),
            4,
            "kept across restarts"
        );
    }

    #[test]
    fn a_sync_is_wanted_when_the_manager_announces_another_version() {
        let mut refresh = Refresh::default();
        refresh.announced(0, 0);
        assert!(!refresh.begin(), "the copy is already at version 0");
        refresh.announced(3, 0);
        assert!(refresh.begin());
        refresh.want();
        assert!(!refresh.begin(), "one sync at a time");
        refresh.finished(&Ok(Synced {
            from: 0,
            to: 3,
            full: true,
            changed: 0,
            deleted: 0,
        }));
        assert!(
            refresh.begin(),
            "refresh_content asks even without a new version"
        );
    }

    #[test]
    fn a_damaged_copy_is_replaced_by_an_empty_one() {
        let folder = tempfile::tempdir().expect("folder");
        let path = folder.path().join(CATALOGUE_FILE);
        std::fs::write(
            &path,
            b"this is not a database, it is a very long line of text",
        )
        .expect("write");
        let catalogue = LocalCatalogue::open_or_replace(&path).expect("replaced");
        assert_eq!(catalogue.version(), 0);
    }
}
