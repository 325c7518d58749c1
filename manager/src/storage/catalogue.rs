//! The catalogues (procedures, tenders, networks). The tables and their SQL
//! live in `plaza_catalogue` so the kiosk's offline copy is the same; this
//! module adds what only the manager does: versioning every change, auditing
//! writes, and imports that are all or nothing.

use jiff::Timestamp;
use plaza_api::catalogue::CatalogueKind;
use plaza_catalogue::store::{self, Changes};
use plaza_catalogue::{CatalogueError, Change, Found, Record, Search};

use super::audit::{AuditEntry, record as audit};
use super::{Storage, StorageError, StorageResult, meta};

impl From<CatalogueError> for StorageError {
    fn from(error: CatalogueError) -> Self {
        match error {
            CatalogueError::Database(error) => error.into(),
            CatalogueError::SlugTaken { .. } => StorageError::Conflict(error.to_string()),
            CatalogueError::Corrupt { .. } | CatalogueError::Encode(_) => {
                StorageError::Internal(error.to_string())
            }
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Records absent from the file, removed (only when replacing).
    pub deleted: usize,
    pub content_version: u64,
}

/// How a single-record write treats an existing record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// Refuse if the id is taken.
    Create,
    /// Refuse if the id is unknown.
    Update,
}

/// Everything a kiosk needs to bring its copy from some version to `version`.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogueChanges {
    pub version: u64,
    pub full: bool,
    pub changes: Changes,
}

fn audit_entry(
    actor: &str,
    action: &str,
    target: String,
    detail: String,
    at: Timestamp,
) -> AuditEntry {
    AuditEntry {
        at,
        actor: actor.to_owned(),
        action: action.to_owned(),
        target: Some(target),
        detail: Some(detail),
    }
}

/// Refills the catalogue search tables if a migration rebuilt them.
pub(crate) fn reindex_after_migration(connection: &rusqlite::Connection) -> StorageResult<()> {
    let indexed = store::reindex_if_empty(connection)?;
    if indexed > 0 {
        tracing::info!(records = indexed, "catalogue search index rebuilt");
    }
    Ok(())
}

impl Storage {
    /// Stores every record of a validated file in one transaction: either
    /// all of them or none. Records equal to the stored ones change nothing,
    /// so importing the same file twice leaves the version where it was.
    /// With `replace`, records missing from the file are deleted.
    pub async fn import_catalogue<R: Record>(
        &self,
        records: Vec<R>,
        replace: bool,
        actor: String,
        now: Timestamp,
    ) -> StorageResult<ImportReport> {
        self.write(move |connection| {
            let next = meta::content_version(connection)? + 1;
            let mut report = ImportReport::default();
            for record in &records {
                match store::put(connection, record, next)? {
                    Change::Created => report.created += 1,
                    Change::Updated => report.updated += 1,
                    Change::Unchanged => report.unchanged += 1,
                }
            }
            if replace {
                let keep: std::collections::HashSet<&str> =
                    records.iter().map(Record::id).collect();
                for id in store::ids(connection, R::KIND)? {
                    if !keep.contains(id.as_str()) && store::delete(connection, R::KIND, &id, next)?
                    {
                        report.deleted += 1;
                    }
                }
            }
            report.content_version = if report.created + report.updated + report.deleted > 0 {
                let version = meta::bump_content_version(connection)?;
                audit(
                    connection,
                    &audit_entry(
                        &actor,
                        "catalogue.import",
                        R::KIND.as_str().to_owned(),
                        format!(
                            "{} created, {} updated, {} deleted, {} unchanged",
                            report.created, report.updated, report.deleted, report.unchanged
                        ),
                        now,
                    ),
                )?;
                version
            } else {
                next - 1
            };
            Ok(report)
        })
        .await
    }

    /// Creates or updates one (validated) record; returns the new version.
    pub async fn save_catalogue_record<R: Record>(
        &self,
        record: R,
        mode: WriteMode,
        actor: String,
        now: Timestamp,
    ) -> StorageResult<u64> {
        self.write(move |connection| {
            let exists = store::get::<R>(connection, record.id())?
                .is_some_and(|stored| stored.id() == record.id());
            match (mode, exists) {
                (WriteMode::Create, true) => {
                    return Err(StorageError::Conflict(format!(
                        "{} `{}` already exists",
                        R::KIND,
                        record.id()
                    )));
                }
                (WriteMode::Update, false) => return Err(StorageError::NotFound),
                _ => {}
            }
            let next = meta::content_version(connection)? + 1;
            if store::put(connection, &record, next)? == Change::Unchanged {
                return Ok(next - 1);
            }
            let version = meta::bump_content_version(connection)?;
            let action = match mode {
                WriteMode::Create => "catalogue.create",
                WriteMode::Update => "catalogue.update",
            };
            audit(
                connection,
                &audit_entry(
                    &actor,
                    action,
                    format!("{}/{}", R::KIND, record.id()),
                    format!("content version {version}"),
                    now,
                ),
            )?;
            Ok(version)
        })
        .await
    }

    /// Deletes one record; returns the new version.
    pub async fn delete_catalogue_record(
        &self,
        kind: CatalogueKind,
        id: String,
        actor: String,
        now: Timestamp,
    ) -> StorageResult<u64> {
        self.write(move |connection| {
            let next = meta::content_version(connection)? + 1;
            if !store::delete(connection, kind, &id, next)? {
                return Err(StorageError::NotFound);
            }
            let version = meta::bump_content_version(connection)?;
            audit(
                connection,
                &audit_entry(
                    &actor,
                    "catalogue.delete",
                    format!("{kind}/{id}"),
                    format!("content version {version}"),
                    now,
                ),
            )?;
            Ok(version)
        })
        .await
    }

    pub async fn catalogue_record<R: Record>(&self, id_or_slug: String) -> StorageResult<R> {
        self.read_ignoring_heartbeats(move |connection| {
            store::get(connection, &id_or_slug)?.ok_or(StorageError::NotFound)
        })
        .await
    }

    pub async fn search_catalogue<R: Record>(&self, search: Search) -> StorageResult<Found<R>> {
        self.read_ignoring_heartbeats(move |connection| {
            Ok(plaza_catalogue::search(connection, &search)?)
        })
        .await
    }

    /// Every record of a kind, for export.
    pub async fn catalogue_records<R: Record>(&self) -> StorageResult<Vec<R>> {
        self.read_ignoring_heartbeats(|connection| {
            Ok(store::list(
                connection,
                &store::Filter::default(),
                u32::MAX,
            )?)
        })
        .await
    }

    /// What a copy at `since` needs. A copy at 0, or ahead of this manager
    /// (its database was replaced), gets everything.
    pub async fn catalogue_changes(&self, since: u64) -> StorageResult<CatalogueChanges> {
        self.read_ignoring_heartbeats(move |connection| {
            // Read first: a write landing in between only adds records the
            // next sync sends again, never loses one.
            let version = meta::content_version(connection)?;
            let full = since == 0 || since > version;
            let changes = if since == version {
                Changes::default()
            } else {
                store::changes_since(connection, if full { 0 } else { since })?
            };
            Ok(CatalogueChanges {
                version,
                full,
                changes,
            })
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use crate::storage::migrate;

    fn catalogue_schema(connection: &Connection) -> Vec<(String, String)> {
        connection
            .prepare(
                "SELECT name, sql FROM sqlite_master
                 WHERE sql IS NOT NULL AND (name LIKE 'catalogue_%' OR name LIKE '%_search'
                    OR name LIKE '%_words')
                 ORDER BY name",
            )
            .expect("prepare")
            .query_map([], |row| Ok((row.get("name")?, row.get("sql")?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    }

    /// A database filled under migration 0002's layout comes out of the
    /// later migrations searchable.
    #[test]
    fn records_stored_before_the_index_rebuild_are_searchable_after_it() {
        use plaza_api::catalogue::Network;
        use rusqlite_migration::Migrations;

        let mut connection = Connection::open_in_memory().expect("database");
        Migrations::from_slice(&crate::storage::MIGRATIONS[..2])
            .to_latest(&mut connection)
            .expect("migrate to 0002");
        let body = serde_json::json!({
            "id": "red-agua", "name": {"es": "Red Agua Segura"}, "theme": "water",
            "description": {"es": "Potabilización y riego."},
            "members": [{"municipality": "Fiambalá", "region": "Catamarca"}],
            "coordinator": "Fiambalá", "contact": {"email": "agua@example.org"},
            "how_to_join": {"es": "Nota del intendente."}
        });
        connection
            .execute(
                "INSERT INTO catalogue_records (kind, id, category, sort_title, body, version)
                 VALUES ('networks', 'red-agua', 'water', 'red agua segura', ?1, 1)",
                [body.to_string()],
            )
            .expect("old record");
        migrate(&mut connection).expect("migrate to latest");
        super::reindex_after_migration(&connection).expect("reindex");
        let found = plaza_catalogue::search::<Network>(
            &connection,
            &plaza_catalogue::Search {
                text: "potabilizacion".to_owned(),
                language: plaza_api::session::Language::En,
                filter: plaza_catalogue::Filter::default(),
                limit: 10,
            },
        )
        .expect("search");
        assert_eq!(found.records.len(), 1);
    }

    /// The kiosk creates its copy from `plaza_catalogue::SCHEMA`; the
    /// manager's migrations must end at the same tables, or the two would
    /// search differently. A schema change needs a new migration.
    #[test]
    fn migrations_end_at_the_shared_catalogue_schema() {
        let mut migrated = Connection::open_in_memory().expect("database");
        migrate(&mut migrated).expect("migrate");
        let fresh = Connection::open_in_memory().expect("database");
        fresh
            .execute_batch(plaza_catalogue::SCHEMA)
            .expect("schema");
        let schema = catalogue_schema(&fresh);
        assert!(schema.len() >= 10, "{schema:?}");
        assert_eq!(catalogue_schema(&migrated), schema);
    }
}
