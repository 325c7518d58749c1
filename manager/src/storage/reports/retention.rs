//! Retention: the raw rows that could re-identify a citizen are removed
//! once older than `retention.raw_days` (PRIVACY.md), after the days they
//! describe are rolled up, so the reports give the same figures after.
//!
//! - `events` of those sessions: deleted (procedure views live on in the
//!   rollups);
//! - `session_sections`: deleted (in the rollups);
//! - the survey answers and accessibility choices of each session: cleared
//!   (the session's kiosk and times stay, for kiosk occupancy);
//! - `citizen_logins`: each citizen's logins of a week at a centre become
//!   one row dated that week's Monday, with no kiosk: enough for the
//!   reports' distinct accounts (reports cover whole weeks) and for "the
//!   centres of a citizen" (staff scope); erased with the account.

use std::collections::HashSet;

use jiff::Timestamp;
use rusqlite::params;
use uuid::Uuid;

use super::rollups::DAY_MS;
use super::tally::raw_tally;
use crate::storage::columns::Json;
use crate::storage::{Storage, StorageResult};

/// What one pass removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    pub events: usize,
    pub sections: usize,
    pub surveys: usize,
    pub logins: usize,
}

/// The kiosk of a login coarsened to its week (the nil UUID).
pub const NO_KIOSK: Uuid = Uuid::nil();

impl Storage {
    /// Purges the raw rows of sessions started, and logins made, before
    /// `before` (a Monday, 00:00 UTC, so whole weeks go at once).
    pub async fn purge_raw_before(&self, before: Timestamp) -> StorageResult<Purged> {
        self.write(move |connection| {
            let before_ms = before.as_millisecond();
            // 1. Every (centre, day) about to lose raw rows has its rollup.
            let days: Vec<(i64, i64)> = connection
                .prepare_cached(
                    "SELECT DISTINCT s.centre_id AS centre, s.started_at / 86400000 AS day
                     FROM sessions s WHERE s.started_at < ?1
                       AND NOT EXISTS (SELECT 1 FROM report_rollups r
                           WHERE r.centre_id = s.centre_id AND r.day = s.started_at / 86400000)",
                )?
                .query_map(params![before_ms], |row| {
                    Ok((row.get("centre")?, row.get("day")?))
                })?
                .collect::<Result<_, _>>()?;
            for (centre, day) in days {
                let tally = raw_tally(connection, day * DAY_MS, (day + 1) * DAY_MS, &[centre])?;
                connection
                    .prepare_cached(
                        "INSERT OR REPLACE INTO report_rollups (centre_id, day, counts)
                         VALUES (?1, ?2, ?3)",
                    )?
                    .execute(params![centre, day, Json(&tally)])?;
            }
            // 2. The triggers of migration 0006 drop a day's rollup when its
            // sessions change: keep the rows and put them back after.
            let kept: Vec<(i64, i64, String)> = connection
                .prepare_cached("SELECT centre_id, day, counts FROM report_rollups WHERE day < ?1")?
                .query_map(params![before_ms.div_euclid(DAY_MS) + 1], |row| {
                    Ok((row.get("centre_id")?, row.get("day")?, row.get("counts")?))
                })?
                .collect::<Result<_, _>>()?;
            let old_sessions = "SELECT id FROM sessions WHERE started_at < ?1";
            let purged = Purged {
                events: connection.execute(
                    &format!("DELETE FROM events WHERE at < ?1 OR session_id IN ({old_sessions})"),
                    params![before_ms],
                )?,
                sections: connection.execute(
                    &format!("DELETE FROM session_sections WHERE session_id IN ({old_sessions})"),
                    params![before_ms],
                )?,
                surveys: connection.execute(
                    "UPDATE sessions SET age_band = NULL, gender = NULL,
                         first_time_internet = NULL, neighbourhood = NULL, language = NULL,
                         large_text = NULL, high_contrast = NULL
                     WHERE started_at < ?1 AND (age_band IS NOT NULL OR gender IS NOT NULL
                         OR first_time_internet IS NOT NULL OR neighbourhood IS NOT NULL
                         OR language IS NOT NULL OR large_text IS NOT NULL
                         OR high_contrast IS NOT NULL)",
                    params![before_ms],
                )?,
                logins: coarsen_logins(connection, before_ms)?,
            };
            let still: HashSet<(i64, i64)> = connection
                .prepare_cached("SELECT centre_id, day FROM report_rollups WHERE day < ?1")?
                .query_map(params![before_ms.div_euclid(DAY_MS) + 1], |row| {
                    Ok((row.get("centre_id")?, row.get("day")?))
                })?
                .collect::<Result<_, _>>()?;
            for (centre, day, counts) in kept {
                if !still.contains(&(centre, day)) {
                    connection
                        .prepare_cached(
                            "INSERT INTO report_rollups (centre_id, day, counts)
                             VALUES (?1, ?2, ?3)",
                        )?
                        .execute(params![centre, day, counts])?;
                }
            }
            Ok(purged)
        })
        .await
    }
}

/// One row per (citizen, centre, week) for logins before `before_ms`,
/// dated the week's Monday (1970-01-01 was a Thursday); returns how many
/// raw logins went.
fn coarsen_logins(connection: &rusqlite::Connection, before_ms: i64) -> StorageResult<usize> {
    connection.execute(
        "INSERT INTO citizen_logins (citizen_id, kiosk_id, centre_id, at)
         SELECT DISTINCT citizen_id, ?2, centre_id,
                ((at / 86400000) - ((at / 86400000) + 3) % 7) * 86400000
         FROM citizen_logins WHERE at < ?1 AND kiosk_id != ?2",
        params![before_ms, NO_KIOSK],
    )?;
    Ok(connection.execute(
        "DELETE FROM citizen_logins WHERE at < ?1 AND kiosk_id != ?2",
        params![before_ms, NO_KIOSK],
    )?)
}
