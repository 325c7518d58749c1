//! Importing a catalogue file: read, validate every record (line-precise
//! errors), then store all of them in one transaction, or none.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use plaza_catalogue::Record;
use plaza_catalogue::file::{FileErrors, parse_records};

use crate::storage::catalogue::ImportReport;
use crate::storage::{Storage, StorageError};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} was not imported (nothing changed): {errors}", path.display())]
    Invalid { path: PathBuf, errors: FileErrors },
    #[error("{} was not imported (nothing changed): {source}", path.display())]
    Storage { path: PathBuf, source: StorageError },
}

/// Imports `path`, a JSON array of `R` records. With `replace`, records of
/// this catalogue missing from the file are deleted.
pub async fn import_file<R: Record>(
    storage: &Storage,
    path: &Path,
    replace: bool,
    actor: &str,
    now: Timestamp,
) -> Result<ImportReport, ImportError> {
    let text = std::fs::read_to_string(path).map_err(|source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    import_text::<R>(storage, path, &text, replace, actor, now).await
}

/// Imports `text`, the contents of a catalogue file named `path` in errors
/// (the demo imports the seed content built into the binary).
pub async fn import_text<R: Record>(
    storage: &Storage,
    path: &Path,
    text: &str,
    replace: bool,
    actor: &str,
    now: Timestamp,
) -> Result<ImportReport, ImportError> {
    let records = parse_records::<R>(text).map_err(|errors| ImportError::Invalid {
        path: path.to_path_buf(),
        errors,
    })?;
    storage
        .import_catalogue(records, replace, actor.to_owned(), now)
        .await
        .map_err(|source| ImportError::Storage {
            path: path.to_path_buf(),
            source,
        })
}
