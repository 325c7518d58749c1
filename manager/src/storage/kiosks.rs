//! Kiosks: enrolment codes, enrolment, token look-up, heartbeats, status.

use jiff::Timestamp;
use plaza_api::heartbeat::{Command, Health, HeartbeatRequest, KioskState, SessionProgress};
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

use super::centres::{Centre, centre_by_id, centre_id_by_name};
use super::{
    Storage, StorageError, StorageResult, commands, from_millis, from_millis_opt, meta, to_millis,
};

/// Why an enrolment code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnrolRefusal {
    Unknown,
    AlreadyUsed,
    Expired,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolledKiosk {
    pub kiosk_id: Uuid,
    pub centre: String,
}

/// Who a kiosk token belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KioskIdentity {
    pub kiosk_id: Uuid,
    pub centre_id: i64,
    pub revoked: bool,
}

/// Session length rules for kiosks of centres that set none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionDefaults {
    pub allotment_s: u32,
    pub extension_s: u32,
}

#[derive(Debug, Clone)]
pub struct HeartbeatRecord {
    pub kiosk_id: Uuid,
    pub received_at: Timestamp,
    pub request: HeartbeatRequest,
    /// One health sample is kept per period of this many milliseconds.
    pub health_sample_ms: i64,
    /// Heartbeats further apart than this mean the kiosk was offline between them.
    pub online_gap_ms: i64,
    pub defaults: SessionDefaults,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HeartbeatOutcome {
    pub commands: Vec<Command>,
    pub content_version: u64,
    pub session_allotment_s: u32,
    pub session_extension_s: u32,
}

/// A kiosk and its latest heartbeat, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct KioskRecord {
    pub id: Uuid,
    pub hostname: String,
    pub centre_id: i64,
    pub centre: String,
    pub enrolled_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    pub status: Option<StatusRecord>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatusRecord {
    pub received_at: Timestamp,
    pub sent_at: Timestamp,
    pub state: KioskState,
    pub app_version: String,
    pub health: Health,
    pub outbox_len: u64,
    pub last_error: Option<String>,
    pub session: Option<SessionProgress>,
    pub content_version: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KioskCounts {
    /// Enrolled and not revoked.
    pub enrolled: u64,
    /// Of those, heard from since the cut-off.
    pub online: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HealthSample {
    pub at: Timestamp,
    pub cpu_percent: f32,
    pub memory_used_bytes: u64,
    pub memory_total_bytes: u64,
    pub disk_free_bytes: u64,
    pub disk_total_bytes: u64,
    pub outbox_len: u64,
}

impl Storage {
    /// Stores a new enrolment code (only its hash) for the named centre.
    pub async fn add_enrolment_code(
        &self,
        centre: String,
        code_hash: [u8; 32],
        now: Timestamp,
        expires_at: Timestamp,
    ) -> StorageResult<Centre> {
        self.write(move |connection| {
            let centre_id = centre_id_by_name(connection, &centre)?;
            connection
                .prepare_cached(
                    "INSERT INTO enrolment_codes (code_hash, centre_id, created_at, expires_at)
                     VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![
                    code_hash,
                    centre_id,
                    to_millis(now),
                    to_millis(expires_at)
                ])?;
            centre_by_id(connection, centre_id)
        })
        .await
    }

    /// Exchanges a code for a new kiosk, in one transaction: the code is used
    /// at most once even if two kiosks race with it.
    pub async fn enrol_kiosk(
        &self,
        code_hash: [u8; 32],
        hostname: String,
        token_hash: [u8; 32],
        now: Timestamp,
    ) -> StorageResult<Result<EnrolledKiosk, EnrolRefusal>> {
        self.write(move |connection| {
            let code = connection
                .prepare_cached(
                    "SELECT centre_id, expires_at, used_at FROM enrolment_codes WHERE code_hash = ?1",
                )?
                .query_row(params![code_hash], |row| {
                    Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?, row.get::<_, Option<i64>>(2)?))
                })
                .optional()?;
            let Some((centre_id, expires_at, used_at)) = code else {
                return Ok(Err(EnrolRefusal::Unknown));
            };
            if used_at.is_some() {
                return Ok(Err(EnrolRefusal::AlreadyUsed));
            }
            if expires_at <= to_millis(now) {
                return Ok(Err(EnrolRefusal::Expired));
            }
            let kiosk_id = Uuid::now_v7();
            connection
                .prepare_cached(
                    "INSERT INTO kiosks (id, centre_id, hostname, token_hash, enrolled_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![kiosk_id, centre_id, hostname, token_hash, to_millis(now)])?;
            connection
                .prepare_cached(
                    "UPDATE enrolment_codes SET used_at = ?2, kiosk_id = ?3 WHERE code_hash = ?1",
                )?
                .execute(params![code_hash, to_millis(now), kiosk_id])?;
            let centre = centre_by_id(connection, centre_id)?;
            Ok(Ok(EnrolledKiosk {
                kiosk_id,
                centre: centre.name,
            }))
        })
        .await
    }

    pub async fn kiosk_by_token(
        &self,
        token_hash: [u8; 32],
    ) -> StorageResult<Option<KioskIdentity>> {
        if let Some(identity) = self.inner.memory.kiosk_tokens.get(&token_hash) {
            return Ok(Some(identity));
        }
        let found = self
            .read_ignoring_heartbeats(move |connection| {
                Ok(connection
                    .prepare_cached(
                        "SELECT id, centre_id, revoked_at FROM kiosks WHERE token_hash = ?1",
                    )?
                    .query_row(params![token_hash], |row| {
                        Ok(KioskIdentity {
                            kiosk_id: row.get(0)?,
                            centre_id: row.get(1)?,
                            revoked: row.get::<_, Option<i64>>(2)?.is_some(),
                        })
                    })
                    .optional()?)
            })
            .await?;
        if let Some(identity) = found {
            self.inner.memory.kiosk_tokens.put(token_hash, identity);
        }
        Ok(found)
    }

    /// Stores a heartbeat and answers it: acknowledges carried-out commands,
    /// returns the pending ones, and the settings the kiosk must follow. A
    /// heartbeat whose answer cannot have changed is answered from memory
    /// and its status written with the writer's next group (see
    /// `storage::heartbeats`).
    pub async fn record_heartbeat(
        &self,
        record: HeartbeatRecord,
    ) -> StorageResult<HeartbeatOutcome> {
        let memory = &self.inner.memory.heartbeats;
        if let Some(outcome) = memory.answer(&record) {
            if memory.hold(record) {
                let storage = self.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(super::heartbeats::FLUSH_AFTER).await;
                    storage.inner.memory.heartbeats.flush_started();
                    storage
                        .flush_heartbeats(super::writer::Urgency::CanWait)
                        .await;
                });
            }
            return Ok(outcome);
        }
        let kiosk_id = record.kiosk_id;
        let (version, outcome) = self
            .write_can_wait(move |connection| {
                let version = super::heartbeats::answers_version(connection)?;
                Ok((version, heartbeat_in_database(connection, &record)?))
            })
            .await?;
        memory.remember(kiosk_id, version, &outcome);
        Ok(outcome)
    }

    /// Every kiosk with its latest heartbeat, ordered by centre and host name;
    /// only one centre's when `centre_id` is given.
    pub async fn kiosks(&self, centre_id: Option<i64>) -> StorageResult<Vec<KioskRecord>> {
        self.read(move |connection| {
            let mut statement = connection.prepare_cached(&format!(
                "{KIOSK_SELECT} WHERE (?1 IS NULL OR k.centre_id = ?1) ORDER BY c.name, k.hostname, k.id"
            ))?;
            let rows = statement.query_map(params![centre_id], kiosk_columns)?;
            rows.map(|row| row?.into_record()).collect()
        })
        .await
    }

    pub async fn kiosk(&self, kiosk_id: Uuid) -> StorageResult<KioskRecord> {
        self.read(move |connection| {
            connection
                .prepare_cached(&format!("{KIOSK_SELECT} WHERE k.id = ?1"))?
                .query_row(params![kiosk_id], kiosk_columns)
                .optional()?
                .ok_or(StorageError::NotFound)?
                .into_record()
        })
        .await
    }

    /// Health samples of one kiosk since `since`, oldest first.
    pub async fn health_history(
        &self,
        kiosk_id: Uuid,
        since: Timestamp,
    ) -> StorageResult<Vec<HealthSample>> {
        self.read(move |connection| {
            connection
                .prepare_cached(
                    "SELECT bucket, cpu_percent, memory_used_bytes, memory_total_bytes,
                            disk_free_bytes, disk_total_bytes, outbox_len
                     FROM kiosk_health WHERE kiosk_id = ?1 AND bucket >= ?2 ORDER BY bucket",
                )?
                .query_map(params![kiosk_id, to_millis(since)], |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        HealthSample {
                            at: Timestamp::UNIX_EPOCH,
                            cpu_percent: row.get(1)?,
                            memory_used_bytes: row.get(2)?,
                            memory_total_bytes: row.get(3)?,
                            disk_free_bytes: row.get(4)?,
                            disk_total_bytes: row.get(5)?,
                            outbox_len: row.get(6)?,
                        },
                    ))
                })?
                .map(|row| {
                    let (bucket, sample) = row?;
                    Ok(HealthSample {
                        at: from_millis(bucket)?,
                        ..sample
                    })
                })
                .collect()
        })
        .await
    }

    pub async fn kiosk_counts(&self, online_since: Timestamp) -> StorageResult<KioskCounts> {
        self.read(move |connection| {
            Ok(connection
                .prepare_cached(
                    "SELECT count(*), count(s.kiosk_id) FROM kiosks k
                     LEFT JOIN kiosk_status s ON s.kiosk_id = k.id AND s.received_at >= ?1
                     WHERE k.revoked_at IS NULL",
                )?
                .query_row(params![to_millis(online_since)], |row| {
                    Ok(KioskCounts {
                        enrolled: row.get(0)?,
                        online: row.get(1)?,
                    })
                })?)
        })
        .await
    }

    /// Revokes a kiosk's enrolment: its token stops working at once.
    pub async fn revoke_kiosk(&self, kiosk_id: Uuid, now: Timestamp) -> StorageResult<()> {
        self.write(move |connection| {
            let changed = connection
                .prepare_cached(
                    "UPDATE kiosks SET revoked_at = coalesce(revoked_at, ?2) WHERE id = ?1",
                )?
                .execute(params![kiosk_id, to_millis(now)])?;
            if changed == 0 {
                return Err(StorageError::NotFound);
            }
            Ok(())
        })
        .await?;
        self.inner.memory.kiosk_tokens.forget_kiosk(kiosk_id);
        Ok(())
    }

    /// Drops health samples older than `before`; returns how many.
    pub async fn prune_health(&self, before: Timestamp) -> StorageResult<usize> {
        self.write(move |connection| {
            Ok(connection
                .prepare_cached("DELETE FROM kiosk_health WHERE bucket < ?1")?
                .execute(params![to_millis(before)])?)
        })
        .await
    }
}

/// A heartbeat's full course: checks the kiosk, writes its status, takes
/// acknowledgements and hands out pending commands.
fn heartbeat_in_database(
    connection: &Connection,
    record: &HeartbeatRecord,
) -> StorageResult<HeartbeatOutcome> {
    let (allotment, extension, revoked) = connection
        .prepare_cached(
            "SELECT c.session_allotment_s, c.session_extension_s, k.revoked_at IS NOT NULL
             FROM kiosks k JOIN centres c ON c.id = k.centre_id WHERE k.id = ?1",
        )?
        .query_row(params![record.kiosk_id], |row| {
            Ok((
                row.get::<_, Option<u32>>(0)?,
                row.get::<_, Option<u32>>(1)?,
                row.get::<_, bool>(2)?,
            ))
        })?;
    if revoked {
        return Err(StorageError::Revoked);
    }
    write_status(connection, record)?;
    let (kiosk_id, now) = (record.kiosk_id, record.received_at);
    commands::acknowledge(connection, kiosk_id, &record.request.acked_commands, now)?;
    let commands = commands::take_pending(connection, kiosk_id, now)?;
    Ok(HeartbeatOutcome {
        commands,
        content_version: meta::content_version(connection)?,
        session_allotment_s: allotment.unwrap_or(record.defaults.allotment_s),
        session_extension_s: extension.unwrap_or(record.defaults.extension_s),
    })
}

/// What a heartbeat says of its kiosk: the latest status, a health sample,
/// the online span, and activity in the session under way.
pub(super) fn write_status(connection: &Connection, record: &HeartbeatRecord) -> StorageResult<()> {
    let (kiosk_id, received_at, request) = (record.kiosk_id, record.received_at, &record.request);
    upsert_status(connection, kiosk_id, received_at, request)?;
    let received_ms = to_millis(received_at);
    let bucket = received_ms - received_ms.rem_euclid(record.health_sample_ms);
    insert_health_sample(connection, kiosk_id, bucket, request)?;
    super::availability::note_online(connection, kiosk_id, received_at, record.online_gap_ms)?;
    if let Some(session) = &request.session {
        // The manager's clock: the kiosk's may be hours off.
        super::sessions::note_heartbeat_activity(connection, session.session_id, received_at)?;
    }
    Ok(())
}

fn upsert_status(
    connection: &Connection,
    kiosk_id: Uuid,
    received_at: Timestamp,
    request: &HeartbeatRequest,
) -> StorageResult<()> {
    let health = &request.health;
    let session = request.session.as_ref();
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
            to_millis(received_at),
            to_millis(request.sent_at),
            request.state.as_str(),
            request.app_version,
            health.uptime_s,
            health.cpu_percent,
            health.memory_used_bytes,
            health.memory_total_bytes,
            health.disk_free_bytes,
            health.disk_total_bytes,
            request.outbox_len,
            request.last_error,
            session.map(|session| session.session_id),
            session.map(|session| to_millis(session.started_at)),
            session.map(|session| to_millis(session.ends_at)),
            request.content_version,
        ])?;
    Ok(())
}

fn insert_health_sample(
    connection: &Connection,
    kiosk_id: Uuid,
    bucket: i64,
    request: &HeartbeatRequest,
) -> StorageResult<()> {
    let health = &request.health;
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
            request.outbox_len,
        ])?;
    Ok(())
}

const KIOSK_SELECT: &str = "
    SELECT k.id, k.hostname, k.centre_id, c.name, k.enrolled_at, k.revoked_at,
           s.received_at, s.sent_at, s.state, s.app_version, s.uptime_s, s.cpu_percent,
           s.memory_used_bytes, s.memory_total_bytes, s.disk_free_bytes, s.disk_total_bytes,
           s.outbox_len, s.last_error, s.session_id, s.session_started_at, s.session_ends_at,
           s.content_version
    FROM kiosks k
    JOIN centres c ON c.id = k.centre_id
    LEFT JOIN kiosk_status s ON s.kiosk_id = k.id";

/// The raw columns of [`KIOSK_SELECT`], converted once out of the row closure
/// so conversion errors surface as storage errors.
struct KioskColumns {
    id: Uuid,
    hostname: String,
    centre_id: i64,
    centre: String,
    enrolled_at: i64,
    revoked_at: Option<i64>,
    status: Option<StatusColumns>,
}

struct StatusColumns {
    received_at: i64,
    sent_at: i64,
    state: String,
    app_version: String,
    health: Health,
    outbox_len: u64,
    last_error: Option<String>,
    session: Option<(Uuid, i64, i64)>,
    content_version: Option<u64>,
}

fn kiosk_columns(row: &Row<'_>) -> rusqlite::Result<KioskColumns> {
    let received_at: Option<i64> = row.get(6)?;
    let status = match received_at {
        None => None,
        Some(received_at) => {
            let session_id: Option<Uuid> = row.get(18)?;
            let session = match (session_id, row.get(19)?, row.get(20)?) {
                (Some(id), Some(started), Some(ends)) => Some((id, started, ends)),
                _ => None,
            };
            Some(StatusColumns {
                received_at,
                sent_at: row.get(7)?,
                state: row.get(8)?,
                app_version: row.get(9)?,
                health: Health {
                    uptime_s: row.get(10)?,
                    cpu_percent: row.get(11)?,
                    memory_used_bytes: row.get(12)?,
                    memory_total_bytes: row.get(13)?,
                    disk_free_bytes: row.get(14)?,
                    disk_total_bytes: row.get(15)?,
                },
                outbox_len: row.get(16)?,
                last_error: row.get(17)?,
                session,
                content_version: row.get(21)?,
            })
        }
    };
    Ok(KioskColumns {
        id: row.get(0)?,
        hostname: row.get(1)?,
        centre_id: row.get(2)?,
        centre: row.get(3)?,
        enrolled_at: row.get(4)?,
        revoked_at: row.get(5)?,
        status,
    })
}

impl KioskColumns {
    fn into_record(self) -> StorageResult<KioskRecord> {
        let status = self.status.map(StatusColumns::into_record).transpose()?;
        Ok(KioskRecord {
            id: self.id,
            hostname: self.hostname,
            centre_id: self.centre_id,
            centre: self.centre,
            enrolled_at: from_millis(self.enrolled_at)?,
            revoked_at: from_millis_opt(self.revoked_at)?,
            status,
        })
    }
}

impl StatusColumns {
    fn into_record(self) -> StorageResult<StatusRecord> {
        let state = KioskState::parse(&self.state).ok_or_else(|| {
            StorageError::Internal(format!("stored kiosk state `{}`", self.state))
        })?;
        let session = self
            .session
            .map(|(session_id, started_at, ends_at)| {
                Ok::<_, StorageError>(SessionProgress {
                    session_id,
                    started_at: from_millis(started_at)?,
                    ends_at: from_millis(ends_at)?,
                })
            })
            .transpose()?;
        Ok(StatusRecord {
            received_at: from_millis(self.received_at)?,
            sent_at: from_millis(self.sent_at)?,
            state,
            app_version: self.app_version,
            health: self.health,
            outbox_len: self.outbox_len,
            last_error: self.last_error,
            session,
            content_version: self.content_version,
        })
    }
}
