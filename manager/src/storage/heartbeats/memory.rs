//! Heartbeats answered from memory, their status written in bulk.
//!
//! Nine heartbeats in ten change nothing but a kiosk's status, and the reply
//! to them (no commands, the content version, the centre's allotment) is the
//! one the kiosk got last time. Sending each through the single writer cost a
//! thread hand-off and a commit per heartbeat, most of the manager's CPU
//! under a large fleet. So a kiosk's reply is remembered with the version of
//! `heartbeat_answers` it was computed at (a counter that triggers move on
//! whenever a reply could change: a command queued, a centre's allotment, a
//! revocation, new content); while that version stands, the next heartbeat
//! is answered from memory and its status held here until the writer's next
//! group, at most [`FLUSH_AFTER`] later.
//!
//! What a heartbeat's `200` promises changes accordingly: the status was
//! received, not committed; a crash may lose the last fraction of a second
//! of status (the next heartbeat brings it again). Reads through
//! [`crate::storage::Storage::read`] write held status first, so nothing read after a
//! heartbeat's reply misses it. Events are not touched: their
//! acknowledgement still means committed.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use rusqlite::Connection;
use uuid::Uuid;

use super::{HeartbeatOutcome, HeartbeatRecord, write_status};
use crate::storage::StorageResult;

/// The longest a held status waits for the writer when nothing else is
/// written: long enough to gather a fleet's heartbeats into one commit,
/// short beside the interval the dashboard counts a kiosk offline after.
pub(in crate::storage) const FLUSH_AFTER: Duration = Duration::from_millis(500);

/// Far above any network's kiosk count; beyond it the memory starts over.
const ANSWERS_MAX: usize = 200_000;

#[derive(Debug, Clone)]
struct RememberedAnswer {
    version: i64,
    content_version: u64,
    session_allotment_s: u32,
    session_extension_s: u32,
}

pub(in crate::storage) struct HeartbeatMemory {
    /// Accepted heartbeats not written yet, in arrival order.
    held: Mutex<Vec<HeartbeatRecord>>,
    /// Whether a flush is already on its way for what is held.
    flush_scheduled: AtomicBool,
    answers: Mutex<HashMap<Uuid, RememberedAnswer>>,
    /// `heartbeat_answers.version` as of the writer's latest commit.
    version: AtomicI64,
}

impl HeartbeatMemory {
    /// Starts with no answer remembered; `version` is the database's.
    pub(in crate::storage) fn new(version: i64) -> Self {
        Self {
            held: Mutex::new(Vec::new()),
            flush_scheduled: AtomicBool::new(false),
            answers: Mutex::new(HashMap::new()),
            version: AtomicI64::new(version),
        }
    }

    /// The reply to `record` if it can be given without the database: the
    /// kiosk acknowledges nothing and its remembered reply is still current.
    pub(in crate::storage) fn answer(&self, record: &HeartbeatRecord) -> Option<HeartbeatOutcome> {
        if !record.acked_commands.is_empty() {
            return None;
        }
        let answers = self.answers.lock().ok()?;
        let answer = answers.get(&record.kiosk_id)?;
        (answer.version == self.version.load(Ordering::Acquire)).then(|| HeartbeatOutcome {
            commands: Vec::new(),
            content_version: answer.content_version,
            session_allotment_s: answer.session_allotment_s,
            session_extension_s: answer.session_extension_s,
        })
    }

    /// Remembers a reply computed in the database at `version`. A reply with
    /// commands is not remembered: they are sent again until acknowledged.
    pub(in crate::storage) fn remember(
        &self,
        kiosk_id: Uuid,
        version: i64,
        outcome: &HeartbeatOutcome,
    ) {
        let Ok(mut answers) = self.answers.lock() else {
            return;
        };
        if !outcome.commands.is_empty() {
            answers.remove(&kiosk_id);
            return;
        }
        if answers.len() >= ANSWERS_MAX {
            answers.clear();
        }
        answers.insert(
            kiosk_id,
            RememberedAnswer {
                version,
                content_version: outcome.content_version,
                session_allotment_s: outcome.session_allotment_s,
                session_extension_s: outcome.session_extension_s,
            },
        );
    }

    /// Holds a status for the writer; true when the caller must schedule the
    /// flush (none is on its way).
    pub(in crate::storage) fn hold(&self, record: HeartbeatRecord) -> bool {
        if let Ok(mut held) = self.held.lock() {
            held.push(record);
        }
        !self.flush_scheduled.swap(true, Ordering::AcqRel)
    }

    /// The scheduled flush is starting: a status held from now on needs a
    /// new one.
    pub(in crate::storage) fn flush_started(&self) {
        self.flush_scheduled.store(false, Ordering::Release);
    }

    pub(in crate::storage) fn is_holding(&self) -> bool {
        self.held.lock().is_ok_and(|held| !held.is_empty())
    }

    /// Writes every held status inside the writer's open transaction, each
    /// in a savepoint of its own: one that cannot be written (its kiosk was
    /// just removed) does not take the others with it.
    pub(in crate::storage) fn write_held(&self, connection: &Connection) {
        let held = match self.held.lock() {
            Ok(mut held) => std::mem::take(&mut *held),
            Err(_) => return,
        };
        for record in &held {
            let written = connection
                .execute_batch("SAVEPOINT held_heartbeat")
                .map_err(Into::into)
                .and_then(|()| write_status(connection, record));
            let end = if written.is_ok() {
                "RELEASE held_heartbeat"
            } else {
                "ROLLBACK TO held_heartbeat; RELEASE held_heartbeat"
            };
            let ended = connection.execute_batch(end);
            if let Some(error) = written.err() {
                tracing::warn!(%error, kiosk_id = %record.kiosk_id, "held heartbeat not written");
            }
            if let Err(error) = ended {
                tracing::warn!(%error, "held heartbeat savepoint not closed");
            }
        }
    }

    /// After a commit: takes the database's answers version, and says
    /// whether it moved (remembered replies and tokens may be stale).
    pub(in crate::storage) fn committed(&self, connection: &Connection) -> bool {
        match answers_version(connection) {
            Ok(version) => self.version.swap(version, Ordering::AcqRel) != version,
            Err(error) => {
                tracing::warn!(%error, "cannot read the heartbeat answers version");
                // No remembered reply carries this version: all are forgotten
                // rather than trusted stale.
                self.version.store(i64::MIN, Ordering::Release);
                true
            }
        }
    }
}

/// The counter the triggers of migration 0007 move on.
pub(in crate::storage) fn answers_version(connection: &Connection) -> StorageResult<i64> {
    Ok(connection
        .prepare_cached("SELECT version FROM heartbeat_answers WHERE id = 1")?
        .query_row([], |row| row.get("version"))?)
}
