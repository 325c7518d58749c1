//! The catalogue tables: writing records (and their search rows), reading
//! them back, and what changed since a version. Plain functions over a
//! `rusqlite::Connection`, used by the manager's storage inside its
//! transactions and by the kiosk's offline copy.

use plaza_api::catalogue::{CatalogueKind, Deletion, Network, Procedure, Tender};
use plaza_api::session::Language;
use rusqlite::{Connection, OptionalExtension, params};

use crate::query::fold;
use crate::record::Record;

/// The tables, as created in an empty database.
pub const SCHEMA: &str = include_str!("schema.sql");

#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("stored {kind} record `{id}` is unreadable: {message}")]
    Corrupt {
        kind: CatalogueKind,
        id: String,
        message: String,
    },
    #[error("the slug `{slug}` is already used by `{id}`")]
    SlugTaken { slug: String, id: String },
    #[error("cannot encode a record: {0}")]
    Encode(#[from] serde_json::Error),
}

pub type CatalogueResult<T> = Result<T, CatalogueError>;

/// What a write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Unchanged,
    Created,
    Updated,
}

/// Pragmas for a connection that searches: a page cache big enough to hold
/// the hot parts of a large catalogue's search tables, instead of a
/// `read()` per page. Not memory-mapped I/O: a disk error while reading a
/// mapped page kills the process (SIGBUS), and an old kiosk's disk is the
/// likeliest to fail; mapping measured only ~1 ms better at p99.
pub fn tune_for_search(connection: &Connection) -> CatalogueResult<()> {
    // 32 MiB of page cache (negative = KiB).
    connection.pragma_update(None, "cache_size", -32_768)?;
    connection.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}

pub(crate) fn search_table(kind: CatalogueKind) -> &'static str {
    match kind {
        CatalogueKind::Procedures => "procedures_search",
        CatalogueKind::Tenders => "tenders_search",
        CatalogueKind::Networks => "networks_search",
    }
}

pub(crate) fn words_table(kind: CatalogueKind) -> &'static str {
    match kind {
        CatalogueKind::Procedures => "procedures_words",
        CatalogueKind::Tenders => "tenders_words",
        CatalogueKind::Networks => "networks_words",
    }
}

/// Search rows per record: one per language, at most this many.
pub(crate) const ROWS_PER_RECORD: i64 = 8;

fn search_rowid(key: i64, language_index: usize) -> i64 {
    key * ROWS_PER_RECORD + language_index as i64
}

fn remove_search_rows(
    connection: &Connection,
    kind: CatalogueKind,
    key: i64,
) -> CatalogueResult<()> {
    connection
        .prepare_cached(&format!(
            "DELETE FROM {} WHERE rowid >= ?1 AND rowid < ?2",
            search_table(kind)
        ))?
        .execute(params![search_rowid(key, 0), search_rowid(key + 1, 0)])?;
    Ok(())
}

/// Stores `record` as of `version`, unless it is already stored exactly so.
pub fn put<R: Record>(
    connection: &Connection,
    record: &R,
    version: u64,
) -> CatalogueResult<Change> {
    let kind = R::KIND.as_str();
    let body = serde_json::to_string(record)?;
    let existing: Option<String> = connection
        .prepare_cached("SELECT body FROM catalogue_records WHERE kind = ?1 AND id = ?2")?
        .query_row(params![kind, record.id()], |row| row.get(0))
        .optional()?;
    if existing.as_deref() == Some(body.as_str()) {
        return Ok(Change::Unchanged);
    }
    if let Some(slug) = record.slug() {
        let holder: Option<String> = connection
            .prepare_cached(
                "SELECT id FROM catalogue_records WHERE kind = ?1 AND slug = ?2 AND id <> ?3",
            )?
            .query_row(params![kind, slug, record.id()], |row| row.get(0))
            .optional()?;
        if let Some(id) = holder {
            return Err(CatalogueError::SlugTaken {
                slug: slug.to_owned(),
                id,
            });
        }
    }
    let key: i64 = connection
        .prepare_cached(
            "INSERT INTO catalogue_records (kind, id, slug, category, status, sort_title, body, version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (kind, id) DO UPDATE SET
                slug = excluded.slug, category = excluded.category, status = excluded.status,
                sort_title = excluded.sort_title, body = excluded.body, version = excluded.version
             RETURNING key",
        )?
        .query_row(
            params![
                kind,
                record.id(),
                record.slug(),
                record.category(),
                record.status().map(plaza_api::catalogue::TenderStatus::as_str),
                fold(record.title().get(Language::Es)),
                body,
                version as i64,
            ],
            |row| row.get(0),
        )?;
    index(connection, record, key)?;
    connection
        .prepare_cached("DELETE FROM catalogue_deletions WHERE kind = ?1 AND id = ?2")?
        .execute(params![kind, record.id()])?;
    Ok(if existing.is_some() {
        Change::Updated
    } else {
        Change::Created
    })
}

/// (Re)writes the search rows of the record stored under `key`.
fn index<R: Record>(connection: &Connection, record: &R, key: i64) -> CatalogueResult<()> {
    let table = search_table(R::KIND);
    remove_search_rows(connection, R::KIND, key)?;
    let mut insert = connection.prepare_cached(&format!(
        "INSERT INTO {table} (rowid, title, body, lang) VALUES (?1, ?2, ?3, ?4)"
    ))?;
    for (index, language) in Language::ALL.iter().enumerate() {
        let mut body = record.body(*language);
        if *language != Language::Es {
            // Procedures are known locally by their Spanish names: a citizen
            // with the screen in English may still type "partida".
            body.push_str(" \n");
            body.push_str(record.title().get(Language::Es));
        }
        insert.execute(params![
            search_rowid(key, index),
            record.title().get(*language),
            body,
            language.as_str()
        ])?;
    }
    Ok(())
}

fn reindex_kind<R: Record>(connection: &Connection) -> CatalogueResult<usize> {
    let rows: Vec<(i64, String, String)> = connection
        .prepare("SELECT key, id, body FROM catalogue_records WHERE kind = ?1")?
        .query_map(params![R::KIND.as_str()], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?
        .collect::<Result<_, _>>()?;
    for (key, id, body) in &rows {
        index(connection, &decode::<R>(id, body)?, *key)?;
    }
    Ok(rows.len())
}

/// Refills the search tables from the records when they are empty but
/// records exist (after a migration rebuilt them); returns how many
/// records were indexed.
pub fn reindex_if_empty(connection: &Connection) -> CatalogueResult<usize> {
    let records: i64 =
        connection.query_row("SELECT count(*) FROM catalogue_records", [], |row| {
            row.get(0)
        })?;
    let indexed: i64 = connection.query_row(
        "SELECT (SELECT count(*) FROM procedures_search) + (SELECT count(*) FROM tenders_search)
              + (SELECT count(*) FROM networks_search)",
        [],
        |row| row.get(0),
    )?;
    if records == 0 || indexed > 0 {
        return Ok(0);
    }
    Ok(reindex_kind::<Procedure>(connection)?
        + reindex_kind::<Tender>(connection)?
        + reindex_kind::<Network>(connection)?)
}

/// Removes a record as of `version`; false if there was none.
pub fn delete(
    connection: &Connection,
    kind: CatalogueKind,
    id: &str,
    version: u64,
) -> CatalogueResult<bool> {
    let key: Option<i64> = connection
        .prepare_cached("DELETE FROM catalogue_records WHERE kind = ?1 AND id = ?2 RETURNING key")?
        .query_row(params![kind.as_str(), id], |row| row.get(0))
        .optional()?;
    let Some(key) = key else {
        return Ok(false);
    };
    remove_search_rows(connection, kind, key)?;
    connection
        .prepare_cached(
            "INSERT INTO catalogue_deletions (kind, id, version) VALUES (?1, ?2, ?3)
             ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version",
        )?
        .execute(params![kind.as_str(), id, version as i64])?;
    Ok(true)
}

/// Empties every catalogue (the kiosk, before a full copy).
pub fn clear(connection: &Connection) -> CatalogueResult<()> {
    connection.execute_batch(
        "DELETE FROM catalogue_records; DELETE FROM catalogue_deletions;
         DELETE FROM procedures_search; DELETE FROM tenders_search; DELETE FROM networks_search;",
    )?;
    Ok(())
}

pub(crate) fn decode<R: Record>(id: &str, body: &str) -> CatalogueResult<R> {
    serde_json::from_str(body).map_err(|error| CatalogueError::Corrupt {
        kind: R::KIND,
        id: id.to_owned(),
        message: error.to_string(),
    })
}

/// One record by id (or, for procedures, by slug).
pub fn get<R: Record>(connection: &Connection, id_or_slug: &str) -> CatalogueResult<Option<R>> {
    let row: Option<(String, String)> = connection
        .prepare_cached(
            "SELECT id, body FROM catalogue_records
             WHERE kind = ?1 AND (id = ?2 OR slug = ?2) ORDER BY id = ?2 DESC LIMIT 1",
        )?
        .query_row(params![R::KIND.as_str(), id_or_slug], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?;
    row.map(|(id, body)| decode(&id, &body)).transpose()
}

/// Filters of a listing or a search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub category: Option<String>,
    pub status: Option<String>,
}

/// Every record of a kind matching `filter`, by Spanish title.
pub fn list<R: Record>(
    connection: &Connection,
    filter: &Filter,
    limit: u32,
) -> CatalogueResult<Vec<R>> {
    connection
        .prepare_cached(
            "SELECT id, body FROM catalogue_records
             WHERE kind = ?1 AND (?2 IS NULL OR category = ?2) AND (?3 IS NULL OR status = ?3)
             ORDER BY sort_title, id LIMIT ?4",
        )?
        .query_map(
            params![R::KIND.as_str(), filter.category, filter.status, limit],
            |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)),
        )?
        .map(|row| {
            let (id, body) = row?;
            decode(&id, &body)
        })
        .collect()
}

/// Records of a kind changed after `version` (all of them for 0).
fn changed_since<R: Record>(connection: &Connection, version: u64) -> CatalogueResult<Vec<R>> {
    connection
        .prepare_cached(
            "SELECT id, body FROM catalogue_records WHERE kind = ?1 AND version > ?2 ORDER BY key",
        )?
        .query_map(params![R::KIND.as_str(), version as i64], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?
        .map(|row| {
            let (id, body) = row?;
            decode(&id, &body)
        })
        .collect()
}

/// Everything that changed after `version`: what a copy at `version` needs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    pub procedures: Vec<Procedure>,
    pub tenders: Vec<Tender>,
    pub networks: Vec<Network>,
    pub deleted: Vec<Deletion>,
}

pub fn changes_since(connection: &Connection, version: u64) -> CatalogueResult<Changes> {
    let deleted = connection
        .prepare_cached(
            "SELECT kind, id FROM catalogue_deletions WHERE version > ?1 ORDER BY version, kind, id",
        )?
        .query_map(params![version as i64], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?
        .filter_map(|row| match row {
            Ok((kind, id)) => CatalogueKind::parse(&kind).map(|kind| Ok(Deletion { kind, id })),
            Err(error) => Some(Err(error)),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Changes {
        procedures: changed_since(connection, version)?,
        tenders: changed_since(connection, version)?,
        networks: changed_since(connection, version)?,
        deleted: if version == 0 { Vec::new() } else { deleted },
    })
}

/// Ids of every record of a kind (for imports that replace a catalogue).
pub fn ids(connection: &Connection, kind: CatalogueKind) -> CatalogueResult<Vec<String>> {
    connection
        .prepare_cached("SELECT id FROM catalogue_records WHERE kind = ?1 ORDER BY id")?
        .query_map(params![kind.as_str()], |row| row.get(0))?
        .collect::<Result<_, _>>()
        .map_err(Into::into)
}
