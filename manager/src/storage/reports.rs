//! Reads behind the reach reports and the dashboard's alerts.

use std::collections::HashMap;

use jiff::Timestamp;
use rusqlite::params;
use uuid::Uuid;

use super::{Storage, StorageResult, to_millis};

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

/// Raw counts for a reach report, before suppression.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReachCounts {
    pub sessions: u64,
    pub total_seconds: u64,
    pub first_time: u64,
    /// (value or `None` when unanswered, sessions).
    pub by_age_band: Vec<(Option<String>, u64)>,
    pub by_gender: Vec<(Option<String>, u64)>,
    pub by_neighbourhood: Vec<(Option<String>, u64)>,
    pub by_centre: Vec<(String, u64)>,
    /// ((weekday 0 = Monday, hour), sessions).
    pub heatmap: Vec<((u8, u8), u64)>,
    pub sections: Vec<(String, u64)>,
    pub procedures: Vec<(String, u64)>,
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

impl Storage {
    /// Counts of sessions started in `[from, to)` at the given centres.
    pub async fn reach_counts(
        &self,
        from: Timestamp,
        to: Timestamp,
        centre_ids: Vec<i64>,
    ) -> StorageResult<ReachCounts> {
        self.read(move |connection| {
            let (from, to) = (to_millis(from), to_millis(to));
            let centres = serde_json::to_string(&centre_ids)
                .map_err(|error| super::StorageError::Internal(error.to_string()))?;
            let (sessions, total_seconds, first_time): (u64, u64, u64) = connection
                .prepare_cached(&format!(
                    "SELECT count(*),
                            coalesce(sum(max(0, coalesce(s.ended_at, s.last_activity_at) - s.started_at)) / 1000, 0),
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
                         GROUP BY s.{column} ORDER BY s.{column}"
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
            Ok(ReachCounts {
                sessions,
                total_seconds,
                first_time,
                by_age_band: by_column("age_band")?,
                by_gender: by_column("gender")?,
                by_neighbourhood: by_column("neighbourhood")?,
                by_centre: grouped(
                    connection,
                    &format!(
                        "SELECT c.name, count(*) FROM sessions s JOIN centres c ON c.id = s.centre_id
                         WHERE {SESSION_FILTER} GROUP BY c.name ORDER BY c.name"
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
                         WHERE {SESSION_FILTER} GROUP BY x.section ORDER BY x.section"
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
                         GROUP BY procedure ORDER BY 2 DESC, procedure LIMIT 50"
                    ),
                    from,
                    to,
                    &centres,
                )?,
            })
        })
        .await
    }
}
