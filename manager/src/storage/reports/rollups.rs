//! Daily rollups of the reach report: one row per centre and closed UTC
//! day holding that day's counts, so a year's report reads a few thousand
//! rows instead of every session. Triggers (migration 0006) drop a day's
//! row whenever one of its sessions, their sections or procedure views
//! change; housekeeping rolls closed days up again. Distinct citizen
//! accounts do not add up across days and are always counted from logins.

use std::collections::{BTreeMap, HashSet};

use jiff::Timestamp;
use rusqlite::{Connection, params};

use super::tally::{Sum, Tally, raw_tally};
use crate::storage::columns::Json;
use crate::storage::{Storage, StorageResult};

pub(super) const DAY_MS: i64 = 86_400_000;

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
    let mut rows = statement.query(params![Json(centre_ids), from_day, to_day])?;
    while let Some(row) = rows.next()? {
        sum.add(&row.get::<_, Json<Tally>>("counts")?.0);
        done.insert((row.get("centre_id")?, row.get("day")?));
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
            let before_day = before.as_millisecond().div_euclid(DAY_MS);
            let done: HashSet<(i64, i64)> = connection
                .prepare_cached("SELECT centre_id, day FROM report_rollups")?
                .query_map([], |row| Ok((row.get("centre_id")?, row.get("day")?)))?
                .collect::<Result<_, _>>()?;
            let centres = connection
                .prepare_cached("SELECT id FROM centres ORDER BY id")?
                .query_map([], |row| row.get::<_, i64>("id"))?
                .collect::<Result<Vec<_>, _>>()?;
            let mut rolled = 0;
            for centre in centres {
                let first: Option<i64> = connection
                    .prepare_cached(
                        "SELECT min(started_at) AS first FROM sessions WHERE centre_id = ?1",
                    )?
                    .query_row(params![centre], |row| row.get("first"))?;
                let Some(first) = first else { continue };
                for day in first.div_euclid(DAY_MS)..before_day {
                    if rolled == limit {
                        return Ok(rolled);
                    }
                    if done.contains(&(centre, day)) {
                        continue;
                    }
                    let tally = raw_tally(connection, day * DAY_MS, (day + 1) * DAY_MS, &[centre])?;
                    connection
                        .prepare_cached(
                            "INSERT OR REPLACE INTO report_rollups (centre_id, day, counts)
                             VALUES (?1, ?2, ?3)",
                        )?
                        .execute(params![centre, day, Json(&tally)])?;
                    rolled += 1;
                }
            }
            Ok(rolled)
        })
        .await
    }
}
