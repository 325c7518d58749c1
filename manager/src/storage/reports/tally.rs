//! A tally of sessions: the counts of a report that add up across days
//! and centres, read from the sessions themselves ([`raw_tally`]) or from a
//! day's rollup, and summed ([`Sum`]).

use std::collections::{BTreeMap, HashMap};

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::{ReachCounts, TOP_PROCEDURES};
use crate::storage::StorageResult;
use crate::storage::columns::Json;

/// Counts that add up across days and centres (the rollup row's JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Tally {
    pub sessions: u64,
    /// Summed before dividing, so the report's seconds are exact.
    pub total_ms: u64,
    pub first_time: u64,
    pub by_age_band: Vec<(Option<String>, u64)>,
    pub by_gender: Vec<(Option<String>, u64)>,
    pub by_neighbourhood: Vec<(Option<String>, u64)>,
    /// (centre id, sessions).
    pub by_centre: Vec<(i64, u64)>,
    pub heatmap: Vec<((u8, u8), u64)>,
    pub sections: Vec<(String, u64)>,
    /// Every procedure viewed (the top ones are chosen after adding up).
    pub procedures: Vec<(String, u64)>,
    /// Sessions per web purpose (absent from rollups written before).
    #[serde(default)]
    pub internet: Vec<(String, u64)>,
}

/// Adds `(key, count)` pairs into an ordered map (ordered like SQLite's
/// `BINARY` collation, NULL first, as the raw queries ordered them).
fn add_into<K: Ord + Clone>(map: &mut BTreeMap<K, u64>, pairs: &[(K, u64)]) {
    for (key, count) in pairs {
        *map.entry(key.clone()).or_default() += count;
    }
}

/// A running sum of tallies.
#[derive(Debug, Default)]
pub(super) struct Sum {
    sessions: u64,
    total_ms: u64,
    first_time: u64,
    by_age_band: BTreeMap<Option<String>, u64>,
    by_gender: BTreeMap<Option<String>, u64>,
    by_neighbourhood: BTreeMap<Option<String>, u64>,
    by_centre: BTreeMap<i64, u64>,
    heatmap: BTreeMap<(u8, u8), u64>,
    sections: BTreeMap<String, u64>,
    procedures: HashMap<String, u64>,
    internet: BTreeMap<String, u64>,
}

impl Sum {
    pub fn add(&mut self, tally: &Tally) {
        self.sessions += tally.sessions;
        self.total_ms += tally.total_ms;
        self.first_time += tally.first_time;
        add_into(&mut self.by_age_band, &tally.by_age_band);
        add_into(&mut self.by_gender, &tally.by_gender);
        add_into(&mut self.by_neighbourhood, &tally.by_neighbourhood);
        add_into(&mut self.by_centre, &tally.by_centre);
        add_into(&mut self.heatmap, &tally.heatmap);
        add_into(&mut self.sections, &tally.sections);
        add_into(&mut self.internet, &tally.internet);
        for (procedure, count) in &tally.procedures {
            *self.procedures.entry(procedure.clone()).or_default() += count;
        }
    }

    pub fn into_counts(self, citizen_accounts: u64, names: &HashMap<i64, String>) -> ReachCounts {
        let mut procedures: Vec<(String, u64)> = self.procedures.into_iter().collect();
        // Most viewed first, ties by name: as `ORDER BY 2 DESC, procedure`.
        procedures.sort_unstable_by(|left, right| right.1.cmp(&left.1).then(left.0.cmp(&right.0)));
        procedures.truncate(TOP_PROCEDURES);
        ReachCounts {
            sessions: self.sessions,
            total_seconds: self.total_ms / 1000,
            first_time: self.first_time,
            citizen_accounts,
            by_age_band: self.by_age_band.into_iter().collect(),
            by_gender: self.by_gender.into_iter().collect(),
            by_neighbourhood: self.by_neighbourhood.into_iter().collect(),
            by_centre: self
                .by_centre
                .into_iter()
                .filter_map(|(id, count)| names.get(&id).map(|name| (name.clone(), count)))
                .collect(),
            heatmap: self.heatmap.into_iter().collect(),
            sections: self.sections.into_iter().collect(),
            procedures,
            internet: self.internet.into_iter().collect(),
        }
    }
}

const SESSION_FILTER: &str = "s.started_at >= ?1 AND s.started_at < ?2
     AND s.centre_id IN (SELECT value FROM json_each(?3))";

/// `(group_key, sessions)` pairs of a `GROUP BY` over [`SESSION_FILTER`].
fn grouped<K: rusqlite::types::FromSql>(
    connection: &rusqlite::Connection,
    select: &str,
    from: i64,
    to: i64,
    centre_ids: &[i64],
) -> StorageResult<Vec<(K, u64)>> {
    Ok(connection
        .prepare_cached(select)?
        .query_map(params![from, to, Json(centre_ids)], |row| {
            Ok((row.get("group_key")?, row.get("sessions")?))
        })?
        .collect::<Result<_, _>>()?)
}

/// The counts of sessions started in `[from, to)` (milliseconds since the
/// epoch) at `centre_ids`, read from the sessions themselves.
pub(super) fn raw_tally(
    connection: &rusqlite::Connection,
    from: i64,
    to: i64,
    centre_ids: &[i64],
) -> StorageResult<Tally> {
    let totals = connection
        .prepare_cached(&format!(
            "SELECT count(*) AS sessions,
                    coalesce(sum(max(0, coalesce(s.ended_at, s.last_activity_at) - s.started_at)), 0)
                        AS total_ms,
                    coalesce(sum(s.first_time_internet = 1), 0) AS first_time
             FROM sessions s WHERE {SESSION_FILTER}"
        ))?
        .query_row(params![from, to, Json(centre_ids)], |row| {
            Ok(Tally {
                sessions: row.get("sessions")?,
                total_ms: row.get("total_ms")?,
                first_time: row.get("first_time")?,
                ..Tally::default()
            })
        })?;
    let by_column = |column: &str| {
        grouped::<Option<String>>(
            connection,
            &format!(
                "SELECT s.{column} AS group_key, count(*) AS sessions
                 FROM sessions s WHERE {SESSION_FILTER}
                 GROUP BY s.{column}"
            ),
            from,
            to,
            centre_ids,
        )
    };
    let heatmap: Vec<((u8, u8), u64)> = connection
        .prepare_cached(&format!(
            "SELECT (CAST(strftime('%w', s.started_at / 1000, 'unixepoch') AS INTEGER) + 6) % 7
                        AS weekday,
                    CAST(strftime('%H', s.started_at / 1000, 'unixepoch') AS INTEGER) AS hour,
                    count(*) AS sessions
             FROM sessions s WHERE {SESSION_FILTER} GROUP BY 1, 2"
        ))?
        .query_map(params![from, to, Json(centre_ids)], |row| {
            Ok((
                (row.get("weekday")?, row.get("hour")?),
                row.get("sessions")?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Tally {
        by_age_band: by_column("age_band")?,
        by_gender: by_column("gender")?,
        by_neighbourhood: by_column("neighbourhood")?,
        by_centre: grouped(
            connection,
            &format!(
                "SELECT s.centre_id AS group_key, count(*) AS sessions FROM sessions s
                 WHERE {SESSION_FILTER} GROUP BY s.centre_id"
            ),
            from,
            to,
            centre_ids,
        )?,
        heatmap,
        sections: grouped(
            connection,
            &format!(
                "SELECT x.section AS group_key, count(*) AS sessions FROM sessions s
                 JOIN session_sections x ON x.session_id = s.id
                 WHERE {SESSION_FILTER} GROUP BY x.section"
            ),
            from,
            to,
            centre_ids,
        )?,
        procedures: grouped(
            connection,
            &format!(
                "SELECT json_extract(e.data, '$.procedure_id') AS group_key,
                        count(DISTINCT e.session_id) AS sessions
                 FROM events e JOIN sessions s ON s.id = e.session_id
                 WHERE e.kind = 'procedure_viewed' AND {SESSION_FILTER}
                 GROUP BY group_key"
            ),
            from,
            to,
            centre_ids,
        )?,
        internet: grouped(
            connection,
            &format!(
                "SELECT json_extract(e.data, '$.purpose') AS group_key,
                        count(DISTINCT e.session_id) AS sessions
                 FROM events e JOIN sessions s ON s.id = e.session_id
                 WHERE e.kind = 'web_visited' AND {SESSION_FILTER}
                 GROUP BY group_key ORDER BY group_key"
            ),
            from,
            to,
            centre_ids,
        )?,
        ..totals
    })
}
