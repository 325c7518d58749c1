//! The audit log: who did what, when, to what. Written in the same
//! transaction as the action it records, so neither exists without the other.

use jiff::Timestamp;
use rusqlite::{Connection, params};

use super::{Storage, StorageResult, from_millis, to_millis};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: Timestamp,
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    pub detail: Option<String>,
}

pub(crate) fn record(connection: &Connection, entry: &AuditEntry) -> StorageResult<()> {
    connection
        .prepare_cached(
            "INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            to_millis(entry.at),
            entry.actor,
            entry.action,
            entry.target,
            entry.detail
        ])?;
    Ok(())
}

impl Storage {
    /// The latest entries, newest first.
    pub async fn audit_entries(&self, limit: u32) -> StorageResult<Vec<AuditEntry>> {
        self.read(move |connection| {
            connection
                .prepare_cached(
                    "SELECT at, actor, action, target, detail FROM audit_log ORDER BY id DESC LIMIT ?1",
                )?
                .query_map(params![limit], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?))
                })?
                .map(|row| {
                    let (at, actor, action, target, detail) = row?;
                    Ok(AuditEntry {
                        at: from_millis(at)?,
                        actor,
                        action,
                        target,
                        detail,
                    })
                })
                .collect()
        })
        .await
    }
}
