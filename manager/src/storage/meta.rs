//! Small key/value facts about the database as a whole.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Storage, StorageError, StorageResult};

const CONTENT_VERSION: &str = "content_version";

/// The catalogue version kiosks compare against their local copy.
pub(crate) fn content_version(connection: &Connection) -> StorageResult<u64> {
    let value: Option<String> = connection
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row(params![CONTENT_VERSION], |row| row.get("value"))
        .optional()?;
    value.map_or(Ok(0), |text| {
        text.parse()
            .map_err(|_| StorageError::Internal(format!("content_version is not a number: {text}")))
    })
}

/// Moves the catalogue version on by one and returns the new version; call
/// it in the same write job as the change it announces.
pub(crate) fn bump_content_version(connection: &Connection) -> StorageResult<u64> {
    let next = content_version(connection)? + 1;
    connection
        .prepare_cached("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)")?
        .execute(params![CONTENT_VERSION, next.to_string()])?;
    Ok(next)
}

pub(crate) fn touch_ready_probe(connection: &Connection, now: Timestamp) -> StorageResult<()> {
    connection
        .prepare_cached("INSERT OR REPLACE INTO meta (key, value) VALUES ('ready_probe', ?1)")?
        .execute(params![now.as_millisecond().to_string()])?;
    Ok(())
}

impl Storage {
    pub async fn content_version(&self) -> StorageResult<u64> {
        self.read(content_version).await
    }
}
