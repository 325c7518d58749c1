//! The words of a search index with their document counts: the typo
//! fallback's dictionary.
//!
//! Reading it from `fts5vocab` walks the whole index (tens of milliseconds
//! over 10,000 records), so each database file's dictionary is kept in
//! memory until its catalogue changes. The stamp is the highest record and
//! deletion version, read from their indexes; every write to a catalogue
//! (manager or kiosk copy) stores a version at least as high as any before.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use plaza_api::catalogue::CatalogueKind;
use rusqlite::Connection;

use crate::store::{CatalogueResult, words_table};

/// Words and how many documents hold each.
pub type Words = Arc<Vec<(String, u64)>>;

type Stamp = (i64, i64);

/// Per database file and catalogue: the stamp the words were read at.
type Cache = HashMap<(PathBuf, CatalogueKind), (Stamp, Words)>;

static CACHE: LazyLock<Mutex<Cache>> = LazyLock::new(Default::default);

/// The dictionary of `kind`'s index in the database behind `connection`.
pub fn words(connection: &Connection, kind: CatalogueKind) -> CatalogueResult<Words> {
    // A database in memory has no name to share a cache under; it is small.
    let Some(path) = connection
        .path()
        .filter(|path| !path.is_empty())
        .map(PathBuf::from)
    else {
        return Ok(Arc::new(read(connection, kind)?));
    };
    let stamp = stamp(connection)?;
    let key = (path, kind);
    if let Some((cached, words)) = lock().get(&key)
        && *cached == stamp
    {
        return Ok(Arc::clone(words));
    }
    let words: Words = Arc::new(read(connection, kind)?);
    lock().insert(key, (stamp, Arc::clone(&words)));
    Ok(words)
}

fn lock() -> std::sync::MutexGuard<'static, Cache> {
    // The map holds plain data: a panic elsewhere cannot leave it half-written.
    CACHE.lock().unwrap_or_else(PoisonError::into_inner)
}

fn stamp(connection: &Connection) -> CatalogueResult<Stamp> {
    Ok(connection
        .prepare_cached(
            "SELECT (SELECT coalesce(max(version), 0) FROM catalogue_records),
                    (SELECT coalesce(max(version), 0) FROM catalogue_deletions)",
        )?
        .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))?)
}

fn read(connection: &Connection, kind: CatalogueKind) -> CatalogueResult<Vec<(String, u64)>> {
    Ok(connection
        .prepare_cached(&format!("SELECT term, doc FROM {}", words_table(kind)))?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?)
}
