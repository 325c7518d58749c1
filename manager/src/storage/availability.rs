//! Opening hours of centres, when kiosks were online (kept from heartbeats
//! as spans), and the reads behind kiosk availability and occupancy.

use std::collections::HashMap;

use jiff::Timestamp;
use rusqlite::{Connection, Row, params};
use uuid::Uuid;

use super::audit::{self, AuditEntry};
use super::columns::{FromRow, Json, Millis};
use super::{Storage, StorageResult};

/// One open period: (weekday 0 = Monday, opens, closes), minutes after
/// midnight UTC.
pub type HoursRow = (u8, u16, u16);

/// What one kiosk did in a range, in milliseconds since the epoch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KioskUseRecord {
    pub kiosk_id: Uuid,
    pub hostname: String,
    pub centre_id: i64,
    pub centre: String,
    /// Online spans overlapping the range, in order.
    pub online: Vec<(i64, i64)>,
    /// Sessions overlapping the range: (start, end), in order of start.
    pub sessions: Vec<(i64, i64)>,
}

impl FromRow for KioskUseRecord {
    /// The kiosk; its spans and sessions are read after.
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            kiosk_id: row.get("id")?,
            hostname: row.get("hostname")?,
            centre_id: row.get("centre_id")?,
            centre: row.get("centre")?,
            online: Vec::new(),
            sessions: Vec::new(),
        })
    }
}

/// Extends the kiosk's latest online span to `at` when its previous
/// heartbeat is at most `gap_ms` old, or starts a new one.
pub(super) fn note_online(
    connection: &Connection,
    kiosk_id: Uuid,
    at: Timestamp,
    gap_ms: i64,
) -> StorageResult<()> {
    let at = Millis(at);
    let extended = connection
        .prepare_cached(
            "UPDATE kiosk_online SET until = max(until, ?2)
             WHERE kiosk_id = ?1
               AND since = (SELECT max(since) FROM kiosk_online WHERE kiosk_id = ?1)
               AND until >= ?2 - ?3",
        )?
        .execute(params![kiosk_id, at, gap_ms])?;
    if extended == 0 {
        connection
            .prepare_cached(
                "INSERT OR IGNORE INTO kiosk_online (kiosk_id, since, until) VALUES (?1, ?2, ?2)",
            )?
            .execute(params![kiosk_id, at])?;
    }
    Ok(())
}

fn hours_of(connection: &Connection, centre_id: i64) -> StorageResult<Option<Vec<HoursRow>>> {
    let set = connection
        .prepare_cached("SELECT 1 FROM centre_hours_set WHERE centre_id = ?1")?
        .exists(params![centre_id])?;
    if !set {
        return Ok(None);
    }
    let rows = connection
        .prepare_cached(
            "SELECT weekday, opens, closes FROM centre_hours WHERE centre_id = ?1
             ORDER BY weekday, opens",
        )?
        .query_map(params![centre_id], |row| {
            Ok((row.get("weekday")?, row.get("opens")?, row.get("closes")?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(rows))
}

impl Storage {
    /// A centre's opening hours; `None` when never set (the default applies).
    pub async fn centre_hours(&self, centre_id: i64) -> StorageResult<Option<Vec<HoursRow>>> {
        self.read(move |connection| hours_of(connection, centre_id))
            .await
    }

    /// Opening hours of every centre that has its own.
    pub async fn all_centre_hours(&self) -> StorageResult<HashMap<i64, Vec<HoursRow>>> {
        self.read(|connection| {
            let ids = connection
                .prepare_cached("SELECT centre_id FROM centre_hours_set")?
                .query_map([], |row| row.get::<_, i64>("centre_id"))?
                .collect::<Result<Vec<_>, _>>()?;
            let mut all = HashMap::new();
            for id in ids {
                if let Some(rows) = hours_of(connection, id)? {
                    all.insert(id, rows);
                }
            }
            Ok(all)
        })
        .await
    }

    /// Replaces a centre's opening hours (`described` is their text, for
    /// the audit log).
    pub async fn set_centre_hours(
        &self,
        centre_id: i64,
        rows: Vec<HoursRow>,
        described: String,
        actor: String,
        now: Timestamp,
    ) -> StorageResult<()> {
        self.write(move |connection| {
            let name: String = connection
                .prepare_cached("SELECT name FROM centres WHERE id = ?1")?
                .query_row(params![centre_id], |row| row.get("name"))?;
            connection
                .prepare_cached("DELETE FROM centre_hours WHERE centre_id = ?1")?
                .execute(params![centre_id])?;
            let mut insert = connection.prepare_cached(
                "INSERT INTO centre_hours (centre_id, weekday, opens, closes) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (weekday, opens, closes) in rows {
                insert.execute(params![centre_id, weekday, opens, closes])?;
            }
            connection
                .prepare_cached("INSERT OR IGNORE INTO centre_hours_set (centre_id) VALUES (?1)")?
                .execute(params![centre_id])?;
            audit::record(
                connection,
                &AuditEntry {
                    at: now,
                    actor,
                    action: "centre.hours".to_owned(),
                    target: Some(format!("centre:{name}")),
                    detail: Some(described),
                },
            )
        })
        .await
    }

    /// Online spans and sessions of the kiosks of `centre_ids` overlapping
    /// `[from, to)`, for availability and occupancy.
    ///
    /// A year of a thousand kiosks is a million sessions: the kiosks are
    /// read in parts on several reader connections at once.
    pub async fn kiosk_use(
        &self,
        from: Timestamp,
        to: Timestamp,
        centre_ids: Vec<i64>,
    ) -> StorageResult<Vec<KioskUseRecord>> {
        let (from, to) = (Millis(from), Millis(to));
        let kiosks = self
            .read(move |connection| kiosks_in(connection, &centre_ids, from, to))
            .await?;
        let parts = std::thread::available_parallelism()
            .map_or(1, std::num::NonZeroUsize::get)
            .clamp(1, 4);
        let part_size = kiosks.len().div_ceil(parts).max(1);
        let mut reads = Vec::new();
        let mut kiosks = kiosks;
        while !kiosks.is_empty() {
            let rest = kiosks.split_off(part_size.min(kiosks.len()));
            let mut part = std::mem::replace(&mut kiosks, rest);
            reads.push(self.read(move |connection| {
                fill_use(connection, &mut part, from, to)?;
                Ok(part)
            }));
        }
        let parts = futures_util::future::try_join_all(reads).await?;
        Ok(parts.into_iter().flatten().collect())
    }
}

fn kiosks_in(
    connection: &Connection,
    centre_ids: &[i64],
    from: Millis,
    to: Millis,
) -> StorageResult<Vec<KioskUseRecord>> {
    Ok(connection
        .prepare_cached(
            "SELECT k.id, k.hostname, k.centre_id, c.name AS centre FROM kiosks k
             JOIN centres c ON c.id = k.centre_id
             WHERE k.centre_id IN (SELECT value FROM json_each(?1))
               AND k.enrolled_at < ?3 AND (k.revoked_at IS NULL OR k.revoked_at > ?2)
             ORDER BY c.name, k.hostname, k.id",
        )?
        .query_map(
            params![Json(centre_ids), from, to],
            KioskUseRecord::from_row,
        )?
        .collect::<Result<_, _>>()?)
}

/// Reads each kiosk's online spans and sessions in `[from, to)`.
fn fill_use(
    connection: &Connection,
    kiosks: &mut [KioskUseRecord],
    from: Millis,
    to: Millis,
) -> StorageResult<()> {
    let mut spans = connection.prepare_cached(
        "SELECT since, until FROM kiosk_online
         WHERE kiosk_id = ?1 AND since < ?3 AND until > ?2 ORDER BY since",
    )?;
    // Sessions last hours at most: a day's margin keeps the range scan on
    // the index.
    let mut sessions = connection.prepare_cached(
        "SELECT started_at, max(started_at, coalesce(ended_at, last_activity_at)) AS until
         FROM sessions
         WHERE kiosk_id = ?1 AND started_at >= ?2 - 86400000 AND started_at < ?3
           AND coalesce(ended_at, last_activity_at) > ?2
         ORDER BY started_at",
    )?;
    for kiosk in kiosks {
        kiosk.online = spans
            .query_map(params![kiosk.kiosk_id, from, to], |row| {
                Ok((row.get("since")?, row.get("until")?))
            })?
            .collect::<Result<_, _>>()?;
        kiosk.sessions = sessions
            .query_map(params![kiosk.kiosk_id, from, to], |row| {
                Ok((row.get("started_at")?, row.get("until")?))
            })?
            .collect::<Result<_, _>>()?;
    }
    Ok(())
}
