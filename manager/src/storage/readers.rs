//! A small pool of read-only connections used from blocking threads.

use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::Mutex;

use rusqlite::Connection;
use tokio::sync::Semaphore;

use super::{StorageError, StorageResult, connection};
use crate::config::StorageSettings;

pub(super) struct ReaderPool {
    idle: Mutex<Vec<Connection>>,
    available: Semaphore,
}

impl ReaderPool {
    pub(super) fn open(path: &Path, settings: &StorageSettings) -> StorageResult<Self> {
        let connections = (0..settings.readers)
            .map(|_| connection::open_reader(path, settings))
            .collect::<StorageResult<Vec<_>>>()?;
        Ok(Self {
            available: Semaphore::new(connections.len()),
            idle: Mutex::new(connections),
        })
    }

    pub(super) async fn run<T, F>(&self, job: F) -> StorageResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StorageResult<T> + Send + 'static,
    {
        let _permit = self
            .available
            .acquire()
            .await
            .map_err(|_| StorageError::Closed)?;
        let connection = self.take()?;
        let (connection, outcome) = tokio::task::spawn_blocking(move || {
            // A panicking job must not take its connection down with it.
            let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| job(&connection)))
                .unwrap_or_else(|_| Err(StorageError::Internal("read job panicked".to_owned())));
            (connection, outcome)
        })
        .await
        .map_err(|error| StorageError::Internal(format!("reader task: {error}")))?;
        self.give_back(connection);
        outcome
    }

    fn take(&self) -> StorageResult<Connection> {
        self.idle
            .lock()
            .map_err(|_| StorageError::Internal("reader pool poisoned".to_owned()))?
            .pop()
            .ok_or_else(|| StorageError::Internal("reader pool empty despite a permit".to_owned()))
    }

    fn give_back(&self, connection: Connection) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(connection);
        }
    }
}
