//! The local SQLite outbox: every usage event is written here before anything
//! else happens, and leaves only when the manager has acknowledged it.
//!
//! Events the manager refuses as invalid go to a dead-letter table, so one bad
//! event never blocks the queue and is still kept for a supervisor to inspect.
//! A damaged outbox file is moved aside (quarantined) and a fresh one started:
//! the kiosk keeps working and the quarantine is reported in the heartbeat.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use jiff::Timestamp;
use plaza_api::events::Event;
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, params};
use uuid::Uuid;

/// Schema versions, applied in order; `user_version` records how far.
const MIGRATIONS: [&str; 2] = [
    "
    CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id BLOB NOT NULL UNIQUE,
        body TEXT NOT NULL
    );
    CREATE TABLE dead_letter (
        id BLOB PRIMARY KEY,
        body TEXT NOT NULL,
        reason TEXT NOT NULL,
        rejected_at INTEGER NOT NULL
    );
    ",
    // The session running now, so one cut short by a crash or power cut is
    // ended (as `crash`, at its last activity) when the kiosk starts again.
    "
    CREATE TABLE open_session (
        id BLOB PRIMARY KEY,
        last_at INTEGER NOT NULL
    );
    ",
];

/// How an event changes the record of the running session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionMark {
    /// The event starts a session: it is now the open one.
    Opens,
    /// An event within the open session: its last activity moves on.
    Continues,
    /// The event ends the session: none is open any more.
    Closes,
}

#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    #[error("outbox database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("cannot encode event: {0}")]
    Encode(#[from] serde_json::Error),
    #[error("cannot move the damaged outbox aside: {0}")]
    Quarantine(std::io::Error),
    #[error("the outbox lock was poisoned by a panic")]
    Poisoned,
}

pub type OutboxResult<T> = Result<T, OutboxError>;

/// A damaged outbox file that was moved aside at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quarantined {
    pub moved_to: PathBuf,
    pub reason: String,
}

/// Handle to the outbox; cheap to clone, safe to share between threads.
#[derive(Debug, Clone)]
pub struct Outbox {
    connection: Arc<Mutex<Connection>>,
}

impl Outbox {
    /// Opens (or creates) the outbox at `path`. A file SQLite cannot read is
    /// renamed to `<name>.corrupt-<millis>` and replaced by an empty outbox.
    pub fn open(path: &Path, now: Timestamp) -> OutboxResult<(Self, Option<Quarantined>)> {
        match Self::open_checked(path) {
            Ok(outbox) => Ok((outbox, None)),
            Err(OutboxError::Sqlite(error)) if is_corruption(&error) => {
                let moved_to =
                    path.with_extension(format!("sqlite.corrupt-{}", now.as_millisecond()));
                std::fs::rename(path, &moved_to).map_err(OutboxError::Quarantine)?;
                for suffix in ["-wal", "-shm"] {
                    let mut side = path.as_os_str().to_owned();
                    side.push(suffix);
                    // Stale side files of the damaged database must not be
                    // replayed into the fresh one; absent ones are fine.
                    let _ = std::fs::remove_file(PathBuf::from(side));
                }
                tracing::error!(moved_to = %moved_to.display(), %error, "outbox damaged; quarantined");
                let outbox = Self::open_checked(path)?;
                Ok((
                    outbox,
                    Some(Quarantined {
                        moved_to,
                        reason: error.to_string(),
                    }),
                ))
            }
            Err(error) => Err(error),
        }
    }

    /// An outbox in memory, for tests and the fleet simulator.
    pub fn in_memory() -> OutboxResult<Self> {
        let connection = Connection::open_in_memory()?;
        Self::prepare(connection)
    }

    fn open_checked(path: &Path) -> OutboxResult<Self> {
        let connection = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        )?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "FULL")?;
        let check: String = connection.query_row("PRAGMA quick_check", [], |row| row.get(0))?;
        if check != "ok" {
            return Err(OutboxError::Sqlite(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
                Some(check),
            )));
        }
        Self::prepare(connection)
    }

    fn prepare(mut connection: Connection) -> OutboxResult<Self> {
        let version: usize = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        let transaction = connection.transaction()?;
        for (index, migration) in MIGRATIONS.iter().enumerate().skip(version) {
            transaction.execute_batch(migration)?;
            transaction.pragma_update(None, "user_version", index + 1)?;
        }
        transaction.commit()?;
        Ok(Self {
            connection: Arc::new(Mutex::new(connection)),
        })
    }

    fn lock(&self) -> OutboxResult<MutexGuard<'_, Connection>> {
        self.connection.lock().map_err(|_| OutboxError::Poisoned)
    }

    /// Stores an event durably; returns once it is committed.
    pub fn push(&self, event: &Event) -> OutboxResult<()> {
        self.push_marked(event, SessionMark::Continues)
    }

    /// Stores an event and, in the same transaction, what it does to the
    /// record of the open session.
    pub fn push_marked(&self, event: &Event, mark: SessionMark) -> OutboxResult<()> {
        let body = serde_json::to_string(event)?;
        let mut connection = self.lock()?;
        let transaction = connection.transaction()?;
        transaction
            .prepare_cached("INSERT OR IGNORE INTO outbox (id, body) VALUES (?1, ?2)")?
            .execute(params![event.id, body])?;
        let at = event.at.as_millisecond();
        let sql = match mark {
            SessionMark::Opens => {
                transaction.execute("DELETE FROM open_session", [])?;
                "INSERT INTO open_session (id, last_at) VALUES (?1, ?2)"
            }
            SessionMark::Continues => {
                "UPDATE open_session SET last_at = MAX(last_at, ?2) WHERE id = ?1"
            }
            SessionMark::Closes => "DELETE FROM open_session WHERE id = ?1 AND ?2 IS NOT NULL",
        };
        transaction
            .prepare_cached(sql)?
            .execute(params![event.session_id, at])?;
        transaction.commit()?;
        Ok(())
    }

    /// The session left open by the previous run, with its last activity.
    pub fn open_session(&self) -> OutboxResult<Option<(Uuid, Timestamp)>> {
        let row: Option<(Uuid, i64)> = self
            .lock()?
            .prepare_cached("SELECT id, last_at FROM open_session")?
            .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))
            .optional()?;
        Ok(row.map(|(id, at)| {
            (
                id,
                Timestamp::from_millisecond(at).unwrap_or(Timestamp::UNIX_EPOCH),
            )
        }))
    }

    /// The oldest `limit` events, in the order they were written. Rows that
    /// no longer decode are moved to the dead letters on the way.
    pub fn next_batch(&self, limit: usize, now: Timestamp) -> OutboxResult<Vec<Event>> {
        let rows: Vec<(Uuid, String)> = {
            let connection = self.lock()?;
            let mut statement =
                connection.prepare_cached("SELECT id, body FROM outbox ORDER BY seq LIMIT ?1")?;
            statement
                .query_map(params![limit as i64], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<Result<_, _>>()?
        };
        let mut events = Vec::with_capacity(rows.len());
        for (id, body) in rows {
            match serde_json::from_str::<Event>(&body) {
                Ok(event) => events.push(event),
                Err(error) => self.dead_letter(id, &format!("unreadable: {error}"), now)?,
            }
        }
        Ok(events)
    }

    /// Removes acknowledged events; ids not in the outbox are ignored.
    pub fn acknowledge(&self, ids: &[Uuid]) -> OutboxResult<usize> {
        let mut connection = self.lock()?;
        let transaction = connection.transaction()?;
        let mut removed = 0;
        {
            let mut delete = transaction.prepare_cached("DELETE FROM outbox WHERE id = ?1")?;
            for id in ids {
                removed += delete.execute(params![id])?;
            }
        }
        transaction.commit()?;
        Ok(removed)
    }

    /// Moves one event out of the queue into the dead letters, with the reason.
    pub fn dead_letter(&self, id: Uuid, reason: &str, now: Timestamp) -> OutboxResult<()> {
        let mut connection = self.lock()?;
        let transaction = connection.transaction()?;
        let body: Option<String> = transaction
            .prepare_cached("SELECT body FROM outbox WHERE id = ?1")?
            .query_row(params![id], |row| row.get(0))
            .optional()?;
        if let Some(body) = body {
            transaction
                .prepare_cached(
                    "INSERT OR REPLACE INTO dead_letter (id, body, reason, rejected_at)
                     VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![id, body, reason, now.as_millisecond()])?;
            transaction
                .prepare_cached("DELETE FROM outbox WHERE id = ?1")?
                .execute(params![id])?;
        }
        transaction.commit()?;
        Ok(())
    }

    /// Events waiting for delivery.
    pub fn len(&self) -> OutboxResult<u64> {
        count(&*self.lock()?, "SELECT COUNT(*) FROM outbox")
    }

    pub fn is_empty(&self) -> OutboxResult<bool> {
        Ok(self.len()? == 0)
    }

    /// Events the manager refused, kept aside.
    pub fn dead_letters(&self) -> OutboxResult<u64> {
        count(&*self.lock()?, "SELECT COUNT(*) FROM dead_letter")
    }
}

fn count(connection: &Connection, sql: &str) -> OutboxResult<u64> {
    let count: i64 = connection.query_row(sql, [], |row| row.get(0))?;
    Ok(u64::try_from(count).unwrap_or_default())
}

fn is_corruption(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
    )
}

#[cfg(test)]
mod tests {
    use plaza_api::events::{EventPayload, SessionEnded};
    use plaza_api::session::EndReason;

    use super::*;

    fn event() -> Event {
        Event {
            id: Uuid::now_v7(),
            at: Timestamp::UNIX_EPOCH,
            session_id: Uuid::now_v7(),
            payload: EventPayload::SessionEnded(SessionEnded {
                reason: EndReason::Logout,
            }),
        }
    }

    #[test]
    fn only_acknowledged_events_leave_and_order_is_kept() {
        let outbox = Outbox::in_memory().expect("outbox");
        let events: Vec<Event> = (0..5).map(|_| event()).collect();
        for event in &events {
            outbox.push(event).expect("push");
        }
        let batch = outbox.next_batch(3, Timestamp::UNIX_EPOCH).expect("batch");
        assert_eq!(batch, events[..3]);
        outbox
            .acknowledge(&[events[0].id, events[2].id, Uuid::now_v7()])
            .expect("ack");
        let rest = outbox.next_batch(10, Timestamp::UNIX_EPOCH).expect("batch");
        assert_eq!(
            rest,
            [events[1].clone(), events[3].clone(), events[4].clone()]
        );
        assert_eq!(outbox.len().expect("len"), 3);
    }

    #[test]
    fn a_dead_letter_leaves_the_queue_but_is_kept() {
        let outbox = Outbox::in_memory().expect("outbox");
        let bad = event();
        let good = event();
        outbox.push(&bad).expect("push");
        outbox.push(&good).expect("push");
        outbox
            .dead_letter(bad.id, "invalid", Timestamp::UNIX_EPOCH)
            .expect("dead letter");
        assert_eq!(
            outbox.next_batch(10, Timestamp::UNIX_EPOCH).expect("batch"),
            [good]
        );
        assert_eq!(outbox.dead_letters().expect("count"), 1);
    }

    #[test]
    fn events_survive_reopening_the_file() {
        let folder = tempfile::tempdir().expect("folder");
        let path = folder.path().join("outbox.sqlite");
        let written = event();
        {
            let (outbox, quarantined) = Outbox::open(&path, Timestamp::UNIX_EPOCH).expect("open");
            assert!(quarantined.is_none());
            outbox.push(&written).expect("push");
        }
        let (outbox, _) = Outbox::open(&path, Timestamp::UNIX_EPOCH).expect("reopen");
        assert_eq!(
            outbox.next_batch(10, Timestamp::UNIX_EPOCH).expect("batch"),
            [written]
        );
    }

    #[test]
    fn a_corrupt_file_is_quarantined_and_a_fresh_outbox_started() {
        let folder = tempfile::tempdir().expect("folder");
        let path = folder.path().join("outbox.sqlite");
        std::fs::write(&path, b"this is not a database, just garbage bytes....").expect("write");
        let (outbox, quarantined) = Outbox::open(&path, Timestamp::UNIX_EPOCH).expect("open");
        let quarantined = quarantined.expect("reported");
        assert!(quarantined.moved_to.exists());
        assert_eq!(
            std::fs::read(&quarantined.moved_to).expect("kept"),
            b"this is not a database, just garbage bytes...."
        );
        outbox.push(&event()).expect("fresh outbox works");
        assert_eq!(outbox.len().expect("len"), 1);
    }
}
