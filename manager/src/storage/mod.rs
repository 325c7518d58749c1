//! Storage: the only place in the manager that speaks SQL.
//!
//! [`Storage`] is the narrow interface handlers and tasks use: async methods
//! that take and return domain types, grouped by resource in the submodules
//! (`storage::kiosks`, `storage::events`, ...). Behind it, SQLite in WAL mode
//! with one writer thread that groups queued jobs into one transaction (group
//! commit) and a small pool of read-only connections. A PostgreSQL backend
//! would replace this module's insides, not its callers.

mod columns;
mod connection;
mod kiosk_tokens;
mod migrations;
mod readers;
mod writer;

pub mod audit;
pub mod availability;
pub mod backup;
pub mod catalogue;
pub mod centres;
pub mod citizens;
pub mod commands;
pub mod communities;
pub mod erasure;
pub mod events;
pub mod forums;
pub mod have_a_say;
pub mod heartbeats;
pub mod help_chat;
pub mod kiosks;
pub mod lock;
pub mod meta;
pub mod moderation;
pub mod participation_seed;
pub mod reports;
pub mod requests;
pub mod sessions;
pub mod tokens;
pub mod users;
pub mod web;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use jiff::Timestamp;
use rusqlite::Connection;

use crate::config::StorageSettings;
use heartbeats::HeartbeatMemory;
use kiosk_tokens::KioskTokenCache;
use readers::ReaderPool;
use writer::{GroupHooks, Grouping, Urgency, Writer};

pub use migrations::{MIGRATIONS, migrate};

/// Handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Storage {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Writer,
    readers: ReaderPool,
    memory: Arc<Memory>,
    /// The last write failed because the disk could not take it; cleared
    /// by the next write that succeeds. `/readyz` asks this instead of
    /// trusting its cached proof.
    unwritable: AtomicBool,
}

/// What the manager remembers between requests instead of asking the
/// database each time.
struct Memory {
    kiosk_tokens: KioskTokenCache,
    heartbeats: HeartbeatMemory,
}

impl GroupHooks for Memory {
    fn has_writes(&self) -> bool {
        self.heartbeats.is_holding()
    }

    fn before_jobs(&self, connection: &Connection) {
        self.heartbeats.write_held(connection);
    }

    fn after_group(&self, connection: &Connection) {
        // The answers version also moves on a revocation or a kiosk moved to
        // another centre, possibly by another process (the CLI).
        if self.heartbeats.committed(connection) {
            self.kiosk_tokens.forget_all();
        }
    }
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum StorageError {
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Invalid(String),
    /// The disk is full, read-only or failing: writes cannot be made durable.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    #[error("database error: {0}")]
    Database(Arc<rusqlite::Error>),
    #[error("migration failed: {0}")]
    Migration(String),
    #[error("storage is shut down")]
    Closed,
    /// The kiosk's enrolment was revoked (found inside a write).
    #[error("kiosk enrolment revoked")]
    Revoked,
    #[error("storage job failed: {0}")]
    Internal(String),
}

impl From<rusqlite::Error> for StorageError {
    fn from(error: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match error.sqlite_error_code() {
            Some(
                ErrorCode::DiskFull
                | ErrorCode::ReadOnly
                | ErrorCode::SystemIoFailure
                | ErrorCode::CannotOpen
                | ErrorCode::DatabaseCorrupt,
            ) => StorageError::Unavailable(error.to_string()),
            _ if matches!(error, rusqlite::Error::QueryReturnedNoRows) => StorageError::NotFound,
            // A stored value that does not read back: a corrupt row.
            _ if matches!(
                error,
                rusqlite::Error::FromSqlConversionFailure(..)
                    | rusqlite::Error::InvalidColumnType(..)
                    | rusqlite::Error::IntegralValueOutOfRange(..)
                    | rusqlite::Error::ToSqlConversionFailure(_)
            ) =>
            {
                StorageError::Internal(error.to_string())
            }
            _ => StorageError::Database(Arc::new(error)),
        }
    }
}

pub type StorageResult<T> = Result<T, StorageError>;

impl Storage {
    /// Opens (creating if needed) the database at `path` and brings its schema
    /// up to date.
    pub fn open(path: &Path, settings: &StorageSettings) -> StorageResult<Self> {
        if let Some(parent) = path
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent).map_err(|error| {
                StorageError::Unavailable(format!("cannot create {}: {error}", parent.display()))
            })?;
        }
        let mut write_connection = connection::open_writer(path, settings)?;
        migrate(&mut write_connection)?;
        // A migration may have rebuilt the catalogue search index empty.
        catalogue::reindex_after_migration(&write_connection)?;
        let readers = ReaderPool::open(path, settings)?;
        let memory = Arc::new(Memory {
            kiosk_tokens: KioskTokenCache::default(),
            heartbeats: HeartbeatMemory::new(heartbeats::answers_version(&write_connection)?),
        });
        let grouping = Grouping {
            batch_max: settings.writer_batch_max,
            window: std::time::Duration::from_millis(settings.group_commit_window_ms),
        };
        let writer = Writer::spawn(write_connection, grouping, memory.clone())?;
        Ok(Self {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                writer,
                readers,
                memory,
                unwritable: AtomicBool::new(false),
            }),
        })
    }

    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs `job` inside the writer's current transaction; resolves once that
    /// transaction is committed, so an `Ok` is durable.
    pub(crate) async fn write<T, F>(&self, job: F) -> StorageResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StorageResult<T> + Send + 'static,
    {
        let outcome = self.inner.writer.run(Urgency::Now, job).await;
        self.note_write(&outcome);
        outcome
    }

    /// [`Self::write`] for deliveries nobody watches for (kiosks' events and
    /// statuses): the commit may wait up to `storage.group_commit_window_ms`
    /// to be shared with others. An `Ok` is just as durable.
    pub(crate) async fn write_can_wait<T, F>(&self, job: F) -> StorageResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StorageResult<T> + Send + 'static,
    {
        let outcome = self.inner.writer.run(Urgency::CanWait, job).await;
        self.note_write(&outcome);
        outcome
    }

    fn note_write<T>(&self, outcome: &StorageResult<T>) {
        let unwritable = match outcome {
            Err(StorageError::Unavailable(_)) => true,
            Ok(_) => false,
            Err(_) => return,
        };
        self.inner.unwritable.store(unwritable, Ordering::Relaxed);
    }

    /// Whether the last write found the disk unable to take it.
    pub fn last_write_failed(&self) -> bool {
        self.inner.unwritable.load(Ordering::Relaxed)
    }

    /// Runs `job` on a pooled read-only connection, off the async threads,
    /// after writing the statuses of heartbeats already answered: a read
    /// sees every heartbeat replied to before it.
    pub(crate) async fn read<T, F>(&self, job: F) -> StorageResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StorageResult<T> + Send + 'static,
    {
        self.flush_heartbeats(Urgency::Now).await;
        self.inner.readers.run(job).await
    }

    /// [`Self::read`] for reads that never look at kiosk status (tokens,
    /// catalogue content): they need not wait for held heartbeats.
    pub(crate) async fn read_ignoring_heartbeats<T, F>(&self, job: F) -> StorageResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StorageResult<T> + Send + 'static,
    {
        self.inner.readers.run(job).await
    }

    /// Writes the statuses of heartbeats answered from memory. A failure is
    /// logged, not returned: held status is soft, and the next heartbeat of
    /// each kiosk brings it again.
    async fn flush_heartbeats(&self, urgency: Urgency) {
        if !self.inner.memory.heartbeats.is_holding() {
            return;
        }
        if let Err(error) = self.inner.writer.run(urgency, |_| Ok(())).await {
            tracing::warn!(%error, "held heartbeats not written");
        }
    }

    /// Proves the database takes a durable write right now (for `/readyz`).
    pub async fn check_writable(&self, now: Timestamp) -> StorageResult<()> {
        self.write(move |connection| meta::touch_ready_probe(connection, now))
            .await
    }

    /// Finishes every queued write, checkpoints the WAL and stops the writer.
    pub async fn close(&self) {
        self.inner.writer.close().await;
    }
}

#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// A storage on a fresh file in its own temporary folder.
    pub(crate) fn temporary() -> (tempfile::TempDir, Storage) {
        let folder = tempfile::tempdir().expect("temporary folder");
        let storage = Storage::open(
            &folder.path().join("test.sqlite3"),
            &StorageSettings::default(),
        )
        .expect("open storage");
        (folder, storage)
    }
}
