//! Kiosks: enrolment codes, enrolment, token look-up, status (heartbeats
//! write it: `storage::heartbeats`).

use jiff::Timestamp;
use plaza_api::heartbeat::KioskState;
use rusqlite::{OptionalExtension, Row, params};
use uuid::Uuid;

use super::centres::{Centre, centre_by_id, centre_id_by_name};
use super::columns::{Columns, FromRow, Millis};
use super::{Storage, StorageError, StorageResult};

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

impl FromRow for KioskIdentity {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            kiosk_id: row.get("id")?,
            centre_id: row.get("centre_id")?,
            revoked: row.get("revoked")?,
        })
    }
}

/// A one-time enrolment code, as stored.
struct EnrolmentCode {
    centre_id: i64,
    expires_at: Timestamp,
    used_at: Option<Timestamp>,
}

impl FromRow for EnrolmentCode {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            centre_id: row.get("centre_id")?,
            expires_at: row.time("expires_at")?,
            used_at: row.time_opt("used_at")?,
        })
    }
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

/// What a kiosk said of itself in its latest heartbeat (`kiosk_status`):
/// what a heartbeat writes and the floor reads.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusRecord {
    /// On the manager's clock.
    pub received_at: Timestamp,
    /// On the kiosk's clock.
    pub sent_at: Timestamp,
    pub state: KioskState,
    pub app_version: String,
    pub health: HealthReadings,
    pub outbox_len: u64,
    pub last_error: Option<String>,
    pub session: Option<SessionUnderWay>,
    /// The catalogue version of the kiosk's copy.
    pub content_version: Option<u64>,
}

/// A kiosk's health: its machine's readings.
#[derive(Debug, Clone, PartialEq)]
pub struct HealthReadings {
    pub uptime_s: u64,
    pub cpu_percent: f32,
    pub memory_used_bytes: u64,
    pub memory_total_bytes: u64,
    pub disk_free_bytes: u64,
    pub disk_total_bytes: u64,
}

/// The session a kiosk reports under way, on the kiosk's clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUnderWay {
    pub session_id: Uuid,
    pub started_at: Timestamp,
    pub ends_at: Timestamp,
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
                    Millis(now),
                    Millis(expires_at)
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
                .query_row(params![code_hash], EnrolmentCode::from_row)
                .optional()?;
            let Some(code) = code else {
                return Ok(Err(EnrolRefusal::Unknown));
            };
            if code.used_at.is_some() {
                return Ok(Err(EnrolRefusal::AlreadyUsed));
            }
            if code.expires_at <= now {
                return Ok(Err(EnrolRefusal::Expired));
            }
            let centre_id = code.centre_id;
            let kiosk_id = Uuid::now_v7();
            connection
                .prepare_cached(
                    "INSERT INTO kiosks (id, centre_id, hostname, token_hash, enrolled_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![kiosk_id, centre_id, hostname, token_hash, Millis(now)])?;
            connection
                .prepare_cached(
                    "UPDATE enrolment_codes SET used_at = ?2, kiosk_id = ?3 WHERE code_hash = ?1",
                )?
                .execute(params![code_hash, Millis(now), kiosk_id])?;
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
                        "SELECT id, centre_id, revoked_at IS NOT NULL AS revoked
                         FROM kiosks WHERE token_hash = ?1",
                    )?
                    .query_row(params![token_hash], KioskIdentity::from_row)
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
            Ok(statement
                .query_map(params![centre_id], KioskRecord::from_row)?
                .collect::<Result<_, _>>()?)
        })
        .await
    }

    pub async fn kiosk(&self, kiosk_id: Uuid) -> StorageResult<KioskRecord> {
        self.read(move |connection| {
            connection
                .prepare_cached(&format!("{KIOSK_SELECT} WHERE k.id = ?1"))?
                .query_row(params![kiosk_id], KioskRecord::from_row)
                .optional()?
                .ok_or(StorageError::NotFound)
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
            Ok(connection
                .prepare_cached(
                    "SELECT bucket, cpu_percent, memory_used_bytes, memory_total_bytes,
                            disk_free_bytes, disk_total_bytes, outbox_len
                     FROM kiosk_health WHERE kiosk_id = ?1 AND bucket >= ?2 ORDER BY bucket",
                )?
                .query_map(params![kiosk_id, Millis(since)], HealthSample::from_row)?
                .collect::<Result<_, _>>()?)
        })
        .await
    }

    pub async fn kiosk_counts(&self, online_since: Timestamp) -> StorageResult<KioskCounts> {
        self.read(move |connection| {
            Ok(connection
                .prepare_cached(
                    "SELECT count(*) AS enrolled, count(s.kiosk_id) AS online FROM kiosks k
                     LEFT JOIN kiosk_status s ON s.kiosk_id = k.id AND s.received_at >= ?1
                     WHERE k.revoked_at IS NULL",
                )?
                .query_row(params![Millis(online_since)], |row| {
                    Ok(KioskCounts {
                        enrolled: row.get("enrolled")?,
                        online: row.get("online")?,
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
                .execute(params![kiosk_id, Millis(now)])?;
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
                .execute(params![Millis(before)])?)
        })
        .await
    }
}

const KIOSK_SELECT: &str = "
    SELECT k.id, k.hostname, k.centre_id, c.name AS centre, k.enrolled_at, k.revoked_at,
           s.received_at, s.sent_at, s.state, s.app_version, s.uptime_s, s.cpu_percent,
           s.memory_used_bytes, s.memory_total_bytes, s.disk_free_bytes, s.disk_total_bytes,
           s.outbox_len, s.last_error, s.session_id, s.session_started_at, s.session_ends_at,
           s.content_version
    FROM kiosks k
    JOIN centres c ON c.id = k.centre_id
    LEFT JOIN kiosk_status s ON s.kiosk_id = k.id";

impl FromRow for KioskRecord {
    /// A row of [`KIOSK_SELECT`]: a kiosk never heard from has no status.
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        let heard_from = row.time_opt("received_at")?.is_some();
        let status = heard_from
            .then(|| StatusRecord::from_row(row))
            .transpose()?;
        Ok(Self {
            id: row.get("id")?,
            hostname: row.get("hostname")?,
            centre_id: row.get("centre_id")?,
            centre: row.get("centre")?,
            enrolled_at: row.time("enrolled_at")?,
            revoked_at: row.time_opt("revoked_at")?,
            status,
        })
    }
}

impl FromRow for StatusRecord {
    /// The columns of `kiosk_status`.
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        let session = match (
            row.get::<_, Option<Uuid>>("session_id")?,
            row.time_opt("session_started_at")?,
            row.time_opt("session_ends_at")?,
        ) {
            (Some(session_id), Some(started_at), Some(ends_at)) => Some(SessionUnderWay {
                session_id,
                started_at,
                ends_at,
            }),
            _ => None,
        };
        Ok(Self {
            received_at: row.time("received_at")?,
            sent_at: row.time("sent_at")?,
            state: row.term("state")?,
            app_version: row.get("app_version")?,
            health: HealthReadings {
                uptime_s: row.get("uptime_s")?,
                cpu_percent: row.get("cpu_percent")?,
                memory_used_bytes: row.get("memory_used_bytes")?,
                memory_total_bytes: row.get("memory_total_bytes")?,
                disk_free_bytes: row.get("disk_free_bytes")?,
                disk_total_bytes: row.get("disk_total_bytes")?,
            },
            outbox_len: row.get("outbox_len")?,
            last_error: row.get("last_error")?,
            session,
            content_version: row.get("content_version")?,
        })
    }
}

impl FromRow for HealthSample {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            at: row.time("bucket")?,
            cpu_percent: row.get("cpu_percent")?,
            memory_used_bytes: row.get("memory_used_bytes")?,
            memory_total_bytes: row.get("memory_total_bytes")?,
            disk_free_bytes: row.get("disk_free_bytes")?,
            disk_total_bytes: row.get("disk_total_bytes")?,
            outbox_len: row.get("outbox_len")?,
        })
    }
}
