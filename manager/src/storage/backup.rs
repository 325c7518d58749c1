//! Copies of the database for operators: an online backup taken while a
//! server writes, a restore into a stopped data folder, and a check.
//!
//! The copy uses SQLite's online backup API in a single step, that is inside
//! one read transaction over the whole file. In WAL mode a reader never
//! blocks the writer, so the server (another process) keeps committing while
//! the copy is made, and the copy is the database as of the instant the step
//! began. Copying in many small steps instead would start over after every
//! commit of the server, and under a fleet's load it would never finish.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::{MIGRATIONS, StorageError, StorageResult};

/// How long a copy waits when the source is locked (a checkpoint, or WAL
/// recovery after a crash) before giving up.
const LOCKED_PATIENCE: Duration = Duration::from_secs(30);
/// Problems `check` lists at most; one is enough to refuse a file.
const PROBLEMS_LISTED: u32 = 20;

/// A copy that was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub path: PathBuf,
    pub bytes: u64,
    pub schema_version: usize,
    pub elapsed: Duration,
}

/// What `check` found in a database file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub schema_version: usize,
    /// The version this manager's migrations bring a database to.
    pub latest_version: usize,
    /// Empty when the file is sound and this manager can use it.
    pub problems: Vec<String>,
}

impl Checked {
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty()
    }
}

/// A restore that was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub schema_version: usize,
    /// Where the database that was replaced now is, if there was one.
    pub previous: Option<PathBuf>,
}

/// Copies the database at `source` (live or not) to `destination`, a new
/// file: a self-contained SQLite file (no WAL) that `restore` and `check`
/// read. The copy appears under its name only once complete and on disk.
pub fn copy_database(source: &Path, destination: &Path) -> StorageResult<Copied> {
    let started = Instant::now();
    if destination.exists() {
        return Err(StorageError::Conflict(format!(
            "{} already exists; choose a new name or remove it first",
            destination.display()
        )));
    }
    let from = open_existing(source)?;
    let partial = with_suffix(destination, ".partial");
    remove_if_present(&partial)?;
    let copied = copy_into(&from, &partial).and_then(|schema_version| {
        File::open(&partial)
            .and_then(|file| file.sync_all())
            .and_then(|()| fs::rename(&partial, destination))
            .map_err(|error| file_error("cannot finish the copy", destination, &error))?;
        sync_parent(destination)?;
        Ok(schema_version)
    });
    let schema_version = match copied {
        Ok(schema_version) => schema_version,
        Err(error) => {
            let _ = fs::remove_file(&partial);
            return Err(error);
        }
    };
    let bytes = fs::metadata(destination)
        .map_err(|error| file_error("cannot read", destination, &error))?
        .len();
    Ok(Copied {
        path: destination.to_path_buf(),
        bytes,
        schema_version,
        elapsed: started.elapsed(),
    })
}

fn copy_into(from: &Connection, partial: &Path) -> StorageResult<usize> {
    let mut to = Connection::open(partial).map_err(|error| {
        StorageError::Unavailable(format!("cannot create {}: {error}", partial.display()))
    })?;
    {
        let backup = Backup::new(from, &mut to)?;
        let deadline = Instant::now() + LOCKED_PATIENCE;
        loop {
            // -1: every page in this one step (see the module's comment).
            match backup.step(-1)? {
                StepResult::Done => break,
                // Busy or Locked (More never comes with -1): wait, try again.
                _ if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                _ => {
                    return Err(StorageError::Unavailable(
                        "the database stayed locked for 30 s; try again".to_owned(),
                    ));
                }
            }
        }
    }
    // The copied header still says WAL; a backup is one file on its own.
    let _: String = to.pragma_update_and_check(None, "journal_mode", "DELETE", |row| row.get(0))?;
    let schema_version = to.pragma_query_value(None, "user_version", |row| row.get(0))?;
    to.close().map_err(|(_, error)| StorageError::from(error))?;
    Ok(schema_version)
}

/// Integrity, foreign keys and schema version of the database at `path`.
/// Read-only: safe on the live database while a server runs, and on a
/// backup that must stay as it is.
pub fn check_database(path: &Path) -> StorageResult<Checked> {
    let connection = open_existing(path)?;
    let latest_version = MIGRATIONS.len();
    let mut problems = Vec::new();
    let schema_version: usize =
        match connection.pragma_query_value(None, "user_version", |row| row.get(0)) {
            Ok(version) => version,
            Err(error) => {
                return Ok(Checked {
                    schema_version: 0,
                    latest_version,
                    problems: vec![format!(
                        "{} is not a readable SQLite database: {error}",
                        path.display()
                    )],
                });
            }
        };
    match integrity_problems(&connection) {
        Ok(found) => problems.extend(found),
        Err(error) => problems.push(format!("damaged: the integrity check stopped at {error}")),
    }
    match foreign_key_violations(&connection) {
        Ok(0) => {}
        Ok(count) => problems.push(format!("{count} rows point at rows that do not exist")),
        Err(error) => problems.push(format!("the foreign key check could not finish: {error}")),
    }
    if schema_version == 0 {
        problems.push("schema version 0: not a Plaza database, or never migrated".to_owned());
    } else if schema_version > latest_version {
        problems.push(format!(
            "schema version {schema_version} is newer than this plaza-manager knows ({latest_version}); install the newer plaza-manager"
        ));
    }
    Ok(Checked {
        schema_version,
        latest_version,
        problems,
    })
}

fn integrity_problems(connection: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut statement =
        connection.prepare(&format!("PRAGMA integrity_check({PROBLEMS_LISTED})"))?;
    let found = statement
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(found.into_iter().filter(|line| line != "ok").collect())
}

fn foreign_key_violations(connection: &Connection) -> rusqlite::Result<u64> {
    let mut statement = connection.prepare("PRAGMA foreign_key_check")?;
    let mut rows = statement.query([])?;
    let mut count = 0;
    while rows.next()?.is_some() {
        count += 1;
    }
    Ok(count)
}

/// Replaces the database at `database` with the backup at `backup`, which is
/// checked first. The database replaced, with its WAL files, is kept beside
/// it as `…before-restore-{stamp}`. The caller holds the data folder's lock,
/// so no server has the database open.
pub fn restore_database(backup: &Path, database: &Path, stamp: &str) -> StorageResult<Restored> {
    let checked = check_database(backup)?;
    if !checked.is_sound() {
        return Err(StorageError::Invalid(format!(
            "{} cannot be restored: {}",
            backup.display(),
            checked.problems.join("; ")
        )));
    }
    let staged = with_suffix(database, ".restoring");
    remove_if_present(&staged)?;
    copy_database(backup, &staged)?;
    let previous = if database.exists() {
        let aside = with_suffix(database, &format!(".before-restore-{stamp}"));
        for (from, to) in wal_family(database).into_iter().zip(wal_family(&aside)) {
            if from.exists() {
                fs::rename(&from, &to)
                    .map_err(|error| file_error("cannot move aside", &from, &error))?;
            }
        }
        Some(aside)
    } else {
        None
    };
    fs::rename(&staged, database)
        .map_err(|error| file_error("cannot put the restored copy in place", database, &error))?;
    sync_parent(database)?;
    Ok(Restored {
        schema_version: checked.schema_version,
        previous,
    })
}

/// Opens an existing database without creating one, read-only.
fn open_existing(path: &Path) -> StorageResult<Connection> {
    if !path.is_file() {
        return Err(StorageError::Invalid(format!(
            "there is no database at {}",
            path.display()
        )));
    }
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|error| {
        StorageError::Unavailable(format!("cannot open {}: {error}", path.display()))
    })?;
    connection.busy_timeout(LOCKED_PATIENCE)?;
    Ok(connection)
}

/// The database file and the two files SQLite keeps beside it in WAL mode.
fn wal_family(database: &Path) -> [PathBuf; 3] {
    [
        database.to_path_buf(),
        with_suffix(database, "-wal"),
        with_suffix(database, "-shm"),
    ]
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_present(path: &Path) -> StorageResult<()> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(file_error("cannot remove", path, &error)),
    }
}

/// A rename is durable only once the folder holding it is synced.
fn sync_parent(path: &Path) -> StorageResult<()> {
    let parent = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    File::open(parent)
        .and_then(|folder| folder.sync_all())
        .map_err(|error| file_error("cannot sync", parent, &error))
}

fn file_error(what: &str, path: &Path, error: &std::io::Error) -> StorageError {
    StorageError::Unavailable(format!("{what} {}: {error}", path.display()))
}
