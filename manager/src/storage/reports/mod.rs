//! Reads behind the reach reports and the dashboard's alerts. A report adds
//! up daily rollups (`rollups`) where they exist and tallies the sessions
//! themselves (`tally`) for the rest.

pub mod retention;
mod rollups;
mod tally;

use std::collections::HashMap;

use jiff::Timestamp;
use rusqlite::params;
use uuid::Uuid;

use super::columns::{Json, Millis};
use super::{Storage, StorageResult};
use rollups::DAY_MS;
use tally::{Sum, raw_tally};

impl Storage {
    /// Sessions per kiosk that ended in a crash since `since`.
    pub async fn crashes_since(&self, since: Timestamp) -> StorageResult<HashMap<Uuid, u32>> {
        self.read(move |connection| {
            connection
                .prepare_cached(
                    "SELECT kiosk_id, count(*) AS crashes FROM sessions
                     WHERE end_reason = 'crash' AND started_at >= ?1 GROUP BY kiosk_id",
                )?
                .query_map(params![Millis(since)], |row| {
                    Ok((row.get("kiosk_id")?, row.get("crashes")?))
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
    /// (web purpose, sessions that visited the web for it).
    pub internet: Vec<(String, u64)>,
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
            let (from, to) = (from.as_millisecond(), to.as_millisecond());
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
            let citizen_accounts: u64 = connection
                .prepare_cached(
                    "SELECT count(DISTINCT l.citizen_id) AS accounts FROM citizen_logins l
                     WHERE l.at >= ?1 AND l.at < ?2
                       AND l.centre_id IN (SELECT value FROM json_each(?3))",
                )?
                .query_row(params![from, to, Json(&centre_ids)], |row| {
                    row.get("accounts")
                })?;
            let names: HashMap<i64, String> = connection
                .prepare_cached("SELECT id, name FROM centres")?
                .query_map([], |row| Ok((row.get("id")?, row.get("name")?)))?
                .collect::<Result<_, _>>()?;
            Ok(sum.into_counts(citizen_accounts, &names))
        })
        .await
    }
}
