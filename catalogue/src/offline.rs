//! The kiosk's offline copy of the catalogues: a SQLite file with the same
//! tables and search as the manager, brought up to date by applying the
//! replies of `GET /api/v1/catalogue?since_version=N`.
//!
//! The kiosk asks with [`OfflineCatalogue::version`] when the heartbeat's
//! `content_version` differs, and applies the reply; browsing and search
//! then work with the manager unreachable. The copy is a cache: if its
//! layout is from another release it is emptied and filled again.

use std::path::Path;

use plaza_api::catalogue::CatalogueSync;
use rusqlite::{Connection, OptionalExtension, params};

use crate::record::Record;
use crate::search::{Found, Search, search};
use crate::store::{self, CatalogueResult, Filter, SCHEMA};

/// Layout of the copy; a copy with another one is rebuilt.
const LAYOUT_VERSION: i64 = 1;

pub struct OfflineCatalogue {
    connection: Connection,
}

impl OfflineCatalogue {
    /// Opens (creating if needed) the copy at `path`.
    pub fn open(path: &Path) -> CatalogueResult<Self> {
        let connection = Connection::open(path)?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        Self::prepare(connection)
    }

    /// A copy in memory (tests, or a kiosk without a writable disk).
    pub fn in_memory() -> CatalogueResult<Self> {
        Self::prepare(Connection::open_in_memory()?)
    }

    fn prepare(connection: Connection) -> CatalogueResult<Self> {
        crate::store::tune_for_search(&connection)?;
        let layout: i64 = connection.pragma_query_value(None, "user_version", |row| row.get(0))?;
        if layout != LAYOUT_VERSION {
            if layout != 0 {
                drop_everything(&connection)?;
            }
            connection.execute_batch(&format!(
                "BEGIN;
                 {SCHEMA}
                 CREATE TABLE catalogue_copy (
                     only INTEGER PRIMARY KEY CHECK (only = 1),
                     version INTEGER NOT NULL
                 );
                 INSERT INTO catalogue_copy (only, version) VALUES (1, 0);
                 PRAGMA user_version = {LAYOUT_VERSION};
                 COMMIT;"
            ))?;
        }
        Ok(Self { connection })
    }

    /// The manager's content version this copy holds; 0 when empty.
    pub fn version(&self) -> CatalogueResult<u64> {
        let version: Option<i64> = self
            .connection
            .query_row("SELECT version FROM catalogue_copy", [], |row| row.get(0))
            .optional()?;
        Ok(version.unwrap_or(0).max(0) as u64)
    }

    /// Applies a sync reply in one transaction: a full reply replaces the
    /// copy, an incremental one adds changed records and drops deleted ones.
    pub fn apply(&mut self, sync: &CatalogueSync) -> CatalogueResult<()> {
        let transaction = self.connection.transaction()?;
        if sync.full {
            store::clear(&transaction)?;
        }
        for record in &sync.procedures {
            store::put(&transaction, record, sync.version)?;
        }
        for record in &sync.tenders {
            store::put(&transaction, record, sync.version)?;
        }
        for record in &sync.networks {
            store::put(&transaction, record, sync.version)?;
        }
        for deletion in &sync.deleted {
            store::delete(&transaction, deletion.kind, &deletion.id, sync.version)?;
        }
        transaction.execute(
            "UPDATE catalogue_copy SET version = ?1",
            params![sync.version as i64],
        )?;
        transaction.commit()?;
        Ok(())
    }

    pub fn search<R: Record>(&self, query: &Search) -> CatalogueResult<Found<R>> {
        search(&self.connection, query)
    }

    pub fn get<R: Record>(&self, id_or_slug: &str) -> CatalogueResult<Option<R>> {
        store::get(&self.connection, id_or_slug)
    }

    pub fn list<R: Record>(&self, filter: &Filter, limit: u32) -> CatalogueResult<Vec<R>> {
        store::list(&self.connection, filter, limit)
    }
}

fn drop_everything(connection: &Connection) -> CatalogueResult<()> {
    // Virtual tables first: dropping one drops its shadow tables.
    let objects: Vec<(String, String)> = connection
        .prepare(
            "SELECT type, name FROM sqlite_master
             WHERE name NOT LIKE 'sqlite_%' AND type IN ('table', 'view')
             ORDER BY sql LIKE 'CREATE VIRTUAL TABLE%' DESC, name LIKE '%_words' DESC",
        )?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    for (kind, name) in objects {
        let exists: bool = connection
            .prepare("SELECT 1 FROM sqlite_master WHERE name = ?1")?
            .exists(params![name])?;
        if exists {
            let statement = if kind == "view" { "VIEW" } else { "TABLE" };
            connection.execute_batch(&format!("DROP {statement} IF EXISTS \"{name}\""))?;
        }
    }
    connection.pragma_update(None, "user_version", 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_from_another_layout_is_rebuilt_empty() {
        let folder = tempfile::tempdir().expect("folder");
        let path = folder.path().join("catalogue.sqlite3");
        {
            let copy = OfflineCatalogue::open(&path).expect("open");
            copy.connection
                .execute("UPDATE catalogue_copy SET version = 7", [])
                .expect("set version");
            assert_eq!(copy.version().expect("version"), 7);
            copy.connection
                .pragma_update(None, "user_version", 99)
                .expect("pretend another layout");
        }
        let copy = OfflineCatalogue::open(&path).expect("reopen");
        assert_eq!(copy.version().expect("version"), 0);
    }
}
