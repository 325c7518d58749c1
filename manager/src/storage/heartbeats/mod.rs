//! Heartbeats: a kiosk's status written, commands handed out and
//! acknowledged, and the reply remembered (`memory`) so that most
//! heartbeats never wait for the database.

mod memory;

use rusqlite::{Connection, Row, params};
use uuid::Uuid;

use super::columns::{FromRow, Millis, Term};
use super::commands::{self, CommandRecord};
use super::kiosks::StatusRecord;
use super::writer::Urgency;
use super::{Storage, StorageError, StorageResult, availability, meta, sessions};

pub(super) use memory::{HeartbeatMemory, answers_version};

/// Session length rules for kiosks of centres that set none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionDefaults {
    pub allotment_s: u32,
    pub extension_s: u32,
}

#[derive(Debug, Clone)]
pub struct HeartbeatRecord {
    pub kiosk_id: Uuid,
    /// Its `received_at` is the manager's "now".
    pub status: StatusRecord,
    /// Commands the kiosk has carried out since its last heartbeat.
    pub acked_commands: Vec<Uuid>,
    /// One health sample is kept per period of this many milliseconds.
    pub health_sample_ms: i64,
    /// Heartbeats further apart than this mean the kiosk was offline between them.
    pub online_gap_ms: i64,
    pub defaults: SessionDefaults,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HeartbeatOutcome {
    /// Not yet acknowledged, oldest first.
    pub commands: Vec<CommandRecord>,
    pub content_version: u64,
    pub session_allotment_s: u32,
    pub session_extension_s: u32,
}

impl Storage {
    /// Stores a heartbeat and answers it: acknowledges carried-out commands,
    /// returns the pending ones, and the settings the kiosk must follow. A
    /// heartbeat whose answer cannot have changed is answered from memory
    /// and its status written with the writer's next group (see `memory`).
    pub async fn record_heartbeat(
        &self,
        record: HeartbeatRecord,
    ) -> StorageResult<HeartbeatOutcome> {
        let answers = &self.inner.memory.heartbeats;
        if let Some(outcome) = answers.answer(&record) {
            if answers.hold(record) {
                let storage = self.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(memory::FLUSH_AFTER).await;
                    storage.inner.memory.heartbeats.flush_started();
                    storage.flush_heartbeats(Urgency::CanWait).await;
                });
            }
            return Ok(outcome);
        }
        let kiosk_id = record.kiosk_id;
        let (version, outcome) = self
            .write_can_wait(move |connection| {
                let version = memory::answers_version(connection)?;
                Ok((version, heartbeat_in_database(connection, &record)?))
            })
            .await?;
        answers.remember(kiosk_id, version, &outcome);
        Ok(outcome)
    }
}

/// A heartbeat's full course: checks the kiosk, writes its status, takes
/// acknowledgements and hands out pending commands.
fn heartbeat_in_database(
    connection: &Connection,
    record: &HeartbeatRecord,
) -> StorageResult<HeartbeatOutcome> {
    let terms = connection
        .prepare_cached(
            "SELECT c.session_allotment_s, c.session_extension_s, k.revoked_at IS NOT NULL AS revoked
             FROM kiosks k JOIN centres c ON c.id = k.centre_id WHERE k.id = ?1",
        )?
        .query_row(params![record.kiosk_id], KioskTerms::from_row)?;
    if terms.revoked {
        return Err(StorageError::Revoked);
    }
    write_status(connection, record)?;
    let (kiosk_id, now) = (record.kiosk_id, record.status.received_at);
    commands::acknowledge(connection, kiosk_id, &record.acked_commands, now)?;
    let commands = commands::take_pending(connection, kiosk_id, now)?;
    Ok(HeartbeatOutcome {
        commands,
        content_version: meta::content_version(connection)?,
        session_allotment_s: terms
            .session_allotment_s
            .unwrap_or(record.defaults.allotment_s),
        session_extension_s: terms
            .session_extension_s
            .unwrap_or(record.defaults.extension_s),
    })
}

/// What a heartbeat's reply depends on besides commands: the kiosk's
/// centre's session rules, and whether its enrolment still holds.
struct KioskTerms {
    session_allotment_s: Option<u32>,
    session_extension_s: Option<u32>,
    revoked: bool,
}

impl FromRow for KioskTerms {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            session_allotment_s: row.get("session_allotment_s")?,
            session_extension_s: row.get("session_extension_s")?,
            revoked: row.get("revoked")?,
        })
    }
}

/// What a heartbeat says of its kiosk: the latest status, a health sample,
/// the online span, and activity in the session under way.
fn write_status(connection: &Connection, record: &HeartbeatRecord) -> StorageResult<()> {
    let (kiosk_id, status) = (record.kiosk_id, &record.status);
    upsert_status(connection, kiosk_id, status)?;
    let received_ms = status.received_at.as_millisecond();
    let bucket = received_ms - received_ms.rem_euclid(record.health_sample_ms);
    insert_health_sample(connection, kiosk_id, bucket, status)?;
    availability::note_online(
        connection,
        kiosk_id,
        status.received_at,
        record.online_gap_ms,
    )?;
    if let Some(session) = &status.session {
        // The manager's clock: the kiosk's may be hours off.
        sessions::note_heartbeat_activity(connection, session.session_id, status.received_at)?;
    }
    Ok(())
}

fn upsert_status(
    connection: &Connection,
    kiosk_id: Uuid,
    status: &StatusRecord,
) -> StorageResult<()> {
    let health = &status.health;
    let session = status.session.as_ref();
    connection
        .prepare_cached(
            "INSERT INTO kiosk_status (
                 kiosk_id, received_at, sent_at, state, app_version, uptime_s, cpu_percent,
                 memory_used_bytes, memory_total_bytes, disk_free_bytes, disk_total_bytes,
                 outbox_len, last_error, session_id, session_started_at, session_ends_at,
                 content_version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
             ON CONFLICT (kiosk_id) DO UPDATE SET
                 received_at = excluded.received_at, sent_at = excluded.sent_at,
                 state = excluded.state, app_version = excluded.app_version,
                 uptime_s = excluded.uptime_s, cpu_percent = excluded.cpu_percent,
                 memory_used_bytes = excluded.memory_used_bytes,
                 memory_total_bytes = excluded.memory_total_bytes,
                 disk_free_bytes = excluded.disk_free_bytes,
                 disk_total_bytes = excluded.disk_total_bytes,
                 outbox_len = excluded.outbox_len, last_error = excluded.last_error,
                 session_id = excluded.session_id,
                 session_started_at = excluded.session_started_at,
                 session_ends_at = excluded.session_ends_at,
                 content_version = excluded.content_version",
        )?
        .execute(params![
            kiosk_id,
            Millis(status.received_at),
            Millis(status.sent_at),
            Term(status.state),
            status.app_version,
            health.uptime_s,
            health.cpu_percent,
            health.memory_used_bytes,
            health.memory_total_bytes,
            health.disk_free_bytes,
            health.disk_total_bytes,
            status.outbox_len,
            status.last_error,
            session.map(|session| session.session_id),
            session.map(|session| Millis(session.started_at)),
            session.map(|session| Millis(session.ends_at)),
            status.content_version,
        ])?;
    Ok(())
}

fn insert_health_sample(
    connection: &Connection,
    kiosk_id: Uuid,
    bucket: i64,
    status: &StatusRecord,
) -> StorageResult<()> {
    let health = &status.health;
    connection
        .prepare_cached(
            "INSERT OR IGNORE INTO kiosk_health (
                 kiosk_id, bucket, cpu_percent, memory_used_bytes, memory_total_bytes,
                 disk_free_bytes, disk_total_bytes, outbox_len)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            kiosk_id,
            bucket,
            health.cpu_percent,
            health.memory_used_bytes,
            health.memory_total_bytes,
            health.disk_free_bytes,
            health.disk_total_bytes,
            status.outbox_len,
        ])?;
    Ok(())
}
