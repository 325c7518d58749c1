//! The audit log: who did what, when, to what. Written in the same
//! transaction as the action it records, so neither exists without the other.

use jiff::Timestamp;
use rusqlite::{Connection, Row, params};

use super::columns::{Columns, FromRow, Millis};
use super::{Storage, StorageResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: Timestamp,
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    pub detail: Option<String>,
}

impl FromRow for AuditEntry {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            at: row.time("at")?,
            actor: row.get("actor")?,
            action: row.get("action")?,
            target: row.get("target")?,
            detail: row.get("detail")?,
        })
    }
}

pub(crate) fn record(connection: &Connection, entry: &AuditEntry) -> StorageResult<()> {
    connection
        .prepare_cached(
            "INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            Millis(entry.at),
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
            Ok(connection
                .prepare_cached(
                    "SELECT at, actor, action, target, detail FROM audit_log ORDER BY id DESC LIMIT ?1",
                )?
                .query_map(params![limit], AuditEntry::from_row)?
                .collect::<Result<_, _>>()?)
        })
        .await
    }
}
