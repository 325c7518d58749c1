//! Reads behind the reach reports and the dashboard's alerts.

use std::collections::HashMap;

use jiff::Timestamp;
use rusqlite::params;
use uuid::Uuid;

use super::rollups::{self, DAY_MS, Sum, Tally};
use super::{Storage, StorageError, StorageResult, to_millis};

impl Storage {
    /// Sessions per kiosk that ended in a crash since `since`.
    pub async fn crashes_since(&self, since: Timestamp) -> StorageResult<HashMap<Uuid, u32>> {
        self.read(move |connection| {
            connection
                .prepare_cached(
                    "SELECT kiosk_id, count(*) FROM sessions
                     WHERE end_reason = 'crash' AND started_at >= ?1 GROUP BY kiosk_id",
                )?
                .query_map(params![to_millis(since)], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })?
                .collect::<Result<HashMap<Uuid, u32>, _>>()
                .map_err(Into::into)
        })
        .await
    }
}

/// Counts for a reach report, before suppression.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReachCounts {
    pub sessions: u64,
    pub total_seconds: u64,
    pub first_time: u64,
    /// Different citizen accounts that logged in.
    pub citizen_accounts: u64,
    /// (value or `None` when unanswered, sessions).
    pub by_age_band: Vec<(Option<String>, u64)>,
    pub by_gender: Vec<(Option<String>, u64)>,
    pub by_neighbourhood: Vec<(Option<String>, u64)>,
    pub by_centre: Vec<(String, u64)>,
    /// ((weekday 0 = Monday, hour), sessions).
    pub heatmap: Vec<((u8, u8), u64)>,
    pub sections: Vec<(String, u64)>,
    /// The most viewed, at most [`TOP_PROCEDURES`].
    pub procedures: Vec<(String, u64)>,
}

/// Procedures listed in a report.
pub const TOP_PROCEDURES: usize = 50;

impl Storage {
    /// Counts of sessions started in `[from, to)` at the given centres: whole
    /// days from the daily rollups where they exist, the rest (partial
    /// edges, today, days changed since they were rolled up) from sessions.
    pub async fn reach_counts(
        &self,
        from: Timestamp,
        to: Timestamp,
        centre_ids: Vec<i64>,
    ) -> StorageResult<ReachCounts> {
        self.read(move |connection| {
            let (from, to) = (to_millis(from), to_millis(to));
            let mut sum = Sum::default();
            let (full_from, full_to) = (
                from.div_euclid(DAY_MS) + i64::from(from.rem_euclid(DAY_MS) != 0),
                to.div_euclid(DAY_MS),
            );
            if full_from < full_to {
                let done =
                    rollups::add_rolled_up(connection, &mut sum, &centre_ids, full_from, full_to)?;
                for ((start, end), centres) in
                    rollups::missing_runs(&done, &centre_ids, full_from, full_to)
                {
                    sum.add(&raw_tally(
                        connection,
                        start * DAY_MS,
                        end * DAY_MS,
                        &centres,
                    )?);
                }
                if from < full_from * DAY_MS {
                    sum.add(&raw_tally(
                        connection,
                        from,
                        full_from * DAY_MS,
                        &centre_ids,
                    )?);
                }
                if full_to * DAY_MS < to {
                    sum.add(&raw_tally(connection, full_to * DAY_MS, to, &centre_ids)?);
                }
            } else {
                sum.add(&raw_tally(connection, from, to, &centre_ids)?);
            }
            let centres = json(&centre_ids)?;
            let citizen_accounts: u64 = connection
                .prepare_cached(
                    "SELECT count(DISTINCT l.citizen_id) FROM citizen_logins l
                     WHERE l.at >= ?1 AND l.at < ?2
                       AND l.centre_id IN (SELECT value FROM json_each(?3))",
                )?
                .query_row(params![from, to, centres], |row| row.get(0))?;
            let names: HashMap<i64, String> = connection
                .prepare_cached("SELECT id, name FROM centres")?
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<Result<_, _>>()?;
            Ok(sum.into_counts(citizen_accounts, &names))
        })
        .await
    }
}

pub(super) fn json(centre_ids: &[i64]) -> StorageResult<String> {
    serde_json::to_string(centre_ids).map_err(|error| StorageError::Internal(error.to_string()))
}

const SESSION_FILTER: &str = "s.started_at >= ?1 AND s.started_at < ?2
     AND s.centre_id IN (SELECT value FROM json_each(?3))";

fn grouped<K: rusqlite::types::FromSql>(
    connection: &rusqlite::Connection,
    select: &str,
    from: i64,
    to: i64,
    centres: &str,
) -> StorageResult<Vec<(K, u64)>> {
    connection
        .prepare_cached(select)?
        .query_map(params![from, to, centres], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()
        .map_err(Into::into)
}

/// The counts of sessions started in `[from, to)` at `centre_ids`, read
/// from the sessions themselves.
pub(super) fn raw_tally(
    connection: &rusqlite::Connection,
    from: i64,
    to: i64,
    centre_ids: &[i64],
) -> StorageResult<Tally> {
    let centres = json(centre_ids)?;
    let (sessions, total_ms, first_time): (u64, u64, u64) = connection
        .prepare_cached(&format!(
            "SELECT count(*),
                    coalesce(sum(max(0, coalesce(s.ended_at, s.last_activity_at) - s.started_at)), 0),
                    coalesce(sum(s.first_time_internet = 1), 0)
             FROM sessions s WHERE {SESSION_FILTER}"
        ))?
        .query_row(params![from, to, centres], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?;
    let by_column = |column: &str| {
        grouped::<Option<String>>(
            connection,
            &format!(
                "SELECT s.{column}, count(*) FROM sessions s WHERE {SESSION_FILTER}
                 GROUP BY s.{column}"
            ),
            from,
            to,
            &centres,
        )
    };
    let heatmap: Vec<((u8, u8), u64)> = connection
        .prepare_cached(&format!(
            "SELECT (CAST(strftime('%w', s.started_at / 1000, 'unixepoch') AS INTEGER) + 6) % 7,
                    CAST(strftime('%H', s.started_at / 1000, 'unixepoch') AS INTEGER),
                    count(*)
             FROM sessions s WHERE {SESSION_FILTER} GROUP BY 1, 2"
        ))?
        .query_map(params![from, to, centres], |row| {
            Ok(((row.get(0)?, row.get(1)?), row.get(2)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Tally {
        sessions,
        total_ms,
        first_time,
        by_age_band: by_column("age_band")?,
        by_gender: by_column("gender")?,
        by_neighbourhood: by_column("neighbourhood")?,
        by_centre: grouped(
            connection,
            &format!(
                "SELECT s.centre_id, count(*) FROM sessions s
                 WHERE {SESSION_FILTER} GROUP BY s.centre_id"
            ),
            from,
            to,
            &centres,
        )?,
        heatmap,
        sections: grouped(
            connection,
            &format!(
                "SELECT x.section, count(*) FROM sessions s
                 JOIN session_sections x ON x.session_id = s.id
                 WHERE {SESSION_FILTER} GROUP BY x.section"
            ),
            from,
            to,
            &centres,
        )?,
        procedures: grouped(
            connection,
            &format!(
                "SELECT json_extract(e.data, '$.procedure_id') AS procedure, count(DISTINCT e.session_id)
                 FROM events e JOIN sessions s ON s.id = e.session_id
                 WHERE e.kind = 'procedure_viewed' AND {SESSION_FILTER}
                 GROUP BY procedure"
            ),
            from,
            to,
            &centres,
        )?,
    })
}
