//! Daily rollups of the reach report: one row per centre and closed UTC
//! day holding that day's counts, so a year's report reads a few thousand
//! rows instead of every session. Triggers (migration 0006) drop a day's
//! row whenever one of its sessions, their sections or procedure views
//! change; housekeeping rolls closed days up again. Distinct citizen
//! accounts do not add up across days and are always counted from logins.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::Timestamp;
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::reports::{ReachCounts, TOP_PROCEDURES, json, raw_tally};
use super::{Storage, StorageError, StorageResult, to_millis};

pub(crate) const DAY_MS: i64 = 86_400_000;

/// Counts that add up across days and centres (the rollup row's JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Tally {
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
pub(crate) struct Sum {
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
        }
    }
}

/// Adds the rollups of `centre_ids` on days `[from_day, to_day)` to `sum`;
/// returns which (centre, day) pairs they covered.
pub(super) fn add_rolled_up(
    connection: &Connection,
    sum: &mut Sum,
    centre_ids: &[i64],
    from_day: i64,
    to_day: i64,
) -> StorageResult<HashSet<(i64, i64)>> {
    let mut done = HashSet::new();
    let mut statement = connection.prepare_cached(
        "SELECT centre_id, day, counts FROM report_rollups
         WHERE centre_id IN (SELECT value FROM json_each(?1)) AND day >= ?2 AND day < ?3",
    )?;
    let mut rows = statement.query(params![json(centre_ids)?, from_day, to_day])?;
    while let Some(row) = rows.next()? {
        let counts: String = row.get(2)?;
        let tally: Tally = serde_json::from_str(&counts)
            .map_err(|error| StorageError::Internal(format!("report rollup: {error}")))?;
        sum.add(&tally);
        done.insert((row.get(0)?, row.get(1)?));
    }
    Ok(done)
}

/// The days of `[from_day, to_day)` not in `done`, as runs of days, each
/// with the centres missing all of it.
pub(super) fn missing_runs(
    done: &HashSet<(i64, i64)>,
    centre_ids: &[i64],
    from_day: i64,
    to_day: i64,
) -> BTreeMap<(i64, i64), Vec<i64>> {
    let mut runs: BTreeMap<(i64, i64), Vec<i64>> = BTreeMap::new();
    for &centre in centre_ids {
        let mut day = from_day;
        while day < to_day {
            if done.contains(&(centre, day)) {
                day += 1;
                continue;
            }
            let start = day;
            while day < to_day && !done.contains(&(centre, day)) {
                day += 1;
            }
            runs.entry((start, day)).or_default().push(centre);
        }
    }
    runs
}

impl Storage {
    /// Rolls up at most `limit` (centre, day) pairs that have none, from
    /// each centre's first session up to the day before `before` (a day is
    /// rolled up once closed); returns how many it rolled up. Runs on the
    /// writer, so no session changes between reading a day and storing it.
    pub async fn roll_up_report_days(
        &self,
        before: Timestamp,
        limit: usize,
    ) -> StorageResult<usize> {
        self.write(move |connection| {
            let before_day = to_millis(before).div_euclid(DAY_MS);
            let done: HashSet<(i64, i64)> = connection
                .prepare_cached("SELECT centre_id, day FROM report_rollups")?
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<Result<_, _>>()?;
            let centres = connection
                .prepare_cached("SELECT id FROM centres ORDER BY id")?
                .query_map([], |row| row.get::<_, i64>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            let mut rolled = 0;
            for centre in centres {
                let first: Option<i64> = connection
                    .prepare_cached("SELECT min(started_at) FROM sessions WHERE centre_id = ?1")?
                    .query_row(params![centre], |row| row.get(0))?;
                let Some(first) = first else { continue };
                for day in first.div_euclid(DAY_MS)..before_day {
                    if rolled == limit {
                        return Ok(rolled);
                    }
                    if done.contains(&(centre, day)) {
                        continue;
                    }
                    let tally = raw_tally(connection, day * DAY_MS, (day + 1) * DAY_MS, &[centre])?;
                    let counts = serde_json::to_string(&tally)
                        .map_err(|error| StorageError::Internal(error.to_string()))?;
                    connection
                        .prepare_cached(
                            "INSERT OR REPLACE INTO report_rollups (centre_id, day, counts)
                             VALUES (?1, ?2, ?3)",
                        )?
                        .execute(params![centre, day, counts])?;
                    rolled += 1;
                }
            }
            Ok(rolled)
        })
        .await
    }
}
