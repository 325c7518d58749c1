//! A small pool of read-only connections used from blocking threads.

use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;
use tokio::sync::Semaphore;

use super::{StorageError, StorageResult, connection};
use crate::config::StorageSettings;

pub(super) struct ReaderPool {
    idle: Arc<Mutex<Vec<Connection>>>,
    available: Arc<Semaphore>,
}

impl ReaderPool {
    pub(super) fn open(path: &Path, settings: &StorageSettings) -> StorageResult<Self> {
        let connections = (0..settings.readers)
            .map(|_| connection::open_reader(path, settings))
            .collect::<StorageResult<Vec<_>>>()?;
        Ok(Self {
            available: Arc::new(Semaphore::new(connections.len())),
            idle: Arc::new(Mutex::new(connections)),
        })
    }

    pub(super) async fn run<T, F>(&self, job: F) -> StorageResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StorageResult<T> + Send + 'static,
    {
        let permit = Arc::clone(&self.available)
            .acquire_owned()
            .await
            .map_err(|_| StorageError::Closed)?;
        let connection = self.take()?;
        let idle = Arc::clone(&self.idle);
        tokio::task::spawn_blocking(move || {
            // A panicking job must not take its connection down with it.
            let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| job(&connection)))
                .unwrap_or_else(|_| Err(StorageError::Internal("read job panicked".to_owned())));
            // Given back here, before the permit goes, even when the caller
            // stopped waiting (a closed page, a timed-out request): given
            // back by the caller, each cancelled read lost a connection for
            // good and the pool ran dry.
            give_back(&idle, connection);
            drop(permit);
            outcome
        })
        .await
        .map_err(|error| StorageError::Internal(format!("reader task: {error}")))?
    }

    fn take(&self) -> StorageResult<Connection> {
        self.idle
            .lock()
            .map_err(|_| StorageError::Internal("reader pool poisoned".to_owned()))?
            .pop()
            .ok_or_else(|| StorageError::Internal("reader pool empty despite a permit".to_owned()))
    }
}

fn give_back(idle: &Mutex<Vec<Connection>>, connection: Connection) {
    if let Ok(mut idle) = idle.lock() {
        idle.push(connection);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_read_whose_caller_stopped_waiting_still_gives_its_connection_back() {
        let folder = tempfile::tempdir().expect("folder");
        let path = folder.path().join("readers.sqlite3");
        rusqlite::Connection::open(&path)
            .expect("create")
            .execute_batch("CREATE TABLE t (x INTEGER)")
            .expect("table");
        let settings = StorageSettings {
            readers: 1,
            ..StorageSettings::default()
        };
        let pool = Arc::new(ReaderPool::open(&path, &settings).expect("pool"));
        let (started, job_started) = std::sync::mpsc::channel::<()>();
        let (release, released) = std::sync::mpsc::channel::<()>();
        let reading = tokio::spawn({
            let pool = Arc::clone(&pool);
            async move {
                pool.run(move |_| {
                    started.send(()).ok();
                    released.recv().ok();
                    Ok(())
                })
                .await
            }
        });
        tokio::task::spawn_blocking(move || job_started.recv())
            .await
            .expect("join")
            .expect("the job runs");
        // The caller gives up while the job is running (a closed page).
        reading.abort();
        assert!(reading.await.is_err(), "cancelled");
        release.send(()).expect("release the job");
        let one: i64 = pool
            .run(
                |connection| Ok(connection.query_row("SELECT 1 AS one", [], |row| row.get("one"))?),
            )
            .await
            .expect("the only connection came back");
        assert_eq!(one, 1);
    }
}
