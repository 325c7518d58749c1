//! Opening SQLite connections with the pragmas every connection needs.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::{StorageError, StorageResult};
use crate::config::{StorageSettings, Synchronous};

pub(super) fn open_writer(path: &Path, settings: &StorageSettings) -> StorageResult<Connection> {
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI,
    )
    .map_err(|error| cannot_open(path, &error))?;
    // SQLite quietly falls back to read-only when the file or its disk is
    // not writable; a manager that cannot store what kiosks send must not
    // start as if it could.
    if connection.is_readonly(rusqlite::MAIN_DB)? {
        return Err(StorageError::Unavailable(format!(
            "{} is read-only (file permissions or a read-only disk); the manager needs to write to it",
            path.display()
        )));
    }
    configure(&connection, settings)?;
    let mode: String = connection
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get("journal_mode"))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StorageError::Unavailable(format!(
            "{} cannot use write-ahead logging (journal mode {mode})",
            path.display()
        )));
    }
    let synchronous = match settings.synchronous {
        Synchronous::Normal => "NORMAL",
        Synchronous::Full => "FULL",
    };
    connection.pragma_update(None, "synchronous", synchronous)?;
    Ok(connection)
}

pub(super) fn open_reader(path: &Path, settings: &StorageSettings) -> StorageResult<Connection> {
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI,
    )
    .map_err(|error| cannot_open(path, &error))?;
    configure(&connection, settings)?;
    Ok(connection)
}

fn configure(connection: &Connection, settings: &StorageSettings) -> StorageResult<()> {
    connection.busy_timeout(Duration::from_millis(settings.busy_timeout_ms))?;
    connection.pragma_update(None, "foreign_keys", "ON")?;
    connection.pragma_update(None, "temp_store", "MEMORY")?;
    // 16 MiB of page cache per connection (negative = KiB).
    connection.pragma_update(None, "cache_size", -16_384)?;
    connection.set_prepared_statement_cache_capacity(64);
    Ok(())
}

fn cannot_open(path: &Path, error: &rusqlite::Error) -> StorageError {
    StorageError::Unavailable(format!("cannot open {}: {error}", path.display()))
}
