//! Kiosks: enrolment codes, enrolment, token look-up, status (heartbeats
//! write it: `storage::heartbeats`).

use jiff::Timestamp;
use plaza_api::heartbeat::{Health, KioskState, SessionProgress};
use rusqlite::{OptionalExtension, Row, params};
use uuid::Uuid;

use super::centres::{Centre, centre_by_id, centre_id_by_name};
use super::{Storage, StorageError, StorageResult, from_millis, from_millis_opt, to_millis};

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
