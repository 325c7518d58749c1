//! Votes: who voted goes to `consultation_voters`, what was chosen to
//! `consultation_ballots`, in one transaction and with nothing linking the
//! two rows: no shared key, no time finer than the day, and ballots at a
//! random key, so neither table's order says which ballot is whose.

use jiff::Timestamp;
use plaza_api::have_a_say::Eligibility;
use rusqlite::{Connection, params};

use super::consultations::consultation_by_id;
use super::day_of;
use super::residents::resident_of;
use crate::storage::{Storage, StorageError, StorageResult};

/// A vote to record: who and what, which storage writes apart.
#[derive(Debug, Clone)]
pub struct CastVote {
    pub consultation_id: i64,
    pub citizen_id: i64,
    /// Distinct positions, checked against the consultation's options here.
    pub choices: Vec<u32>,
    pub now: Timestamp,
}

/// Why a vote was not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteRefusal {
    NotYetOpen,
    Closed,
    /// Only verified residents may vote in it.
    NotVerified,
    /// The voter is not a resident of its neighbourhoods.
    OutOfScope,
    /// This account, or this person with another account, voted already.
    AlreadyVoted,
    /// Positions that are not options, repeated, or too many.
    InvalidChoices,
}

/// Counts of one consultation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub ballots: u64,
    /// Votes by option position.
    pub votes: Vec<u64>,
    /// Voters by neighbourhood (`None`: not verified), by name.
    pub turnout: Vec<(Option<String>, u64)>,
}

fn random_key() -> StorageResult<i64> {
    let bits = getrandom::u64().map_err(|error| StorageError::Internal(error.to_string()))?;
    // Positive, so keys sort as stored: randomly.
    Ok(i64::try_from(bits >> 1).unwrap_or(i64::MAX))
}

fn insert_ballot(connection: &Connection, id: i64, choices: &str, day: &str) -> StorageResult<()> {
    for _ in 0..8 {
        let inserted = connection
            .prepare_cached(
                "INSERT OR IGNORE INTO consultation_ballots (ballot_key, consultation_id, choices, day)
                 VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![random_key()?, id, choices, day])?;
        if inserted == 1 {
            return Ok(());
        }
    }
    Err(StorageError::Internal("no free ballot key".to_owned()))
}

/// Records a vote inside the caller's transaction.
pub(crate) fn cast(
    connection: &Connection,
    vote: &CastVote,
) -> StorageResult<Result<(), VoteRefusal>> {
    let consultation = consultation_by_id(connection, vote.consultation_id)?;
    if vote.now < consultation.opens_at {
        return Ok(Err(VoteRefusal::NotYetOpen));
    }
    if vote.now >= consultation.closes_at {
        return Ok(Err(VoteRefusal::Closed));
    }
    let mut choices = vote.choices.clone();
    choices.sort_unstable();
    choices.dedup();
    let options = u32::try_from(consultation.options.len()).unwrap_or(u32::MAX);
    if choices.is_empty()
        || choices.len() != vote.choices.len()
        || choices.len() > consultation.max_choices as usize
        || choices.iter().any(|position| *position >= options)
    {
        return Ok(Err(VoteRefusal::InvalidChoices));
    }
    let resident = resident_of(connection, vote.citizen_id)?;
    if resident.is_none() && consultation.eligibility == Eligibility::VerifiedResidents {
        return Ok(Err(VoteRefusal::NotVerified));
    }
    let neighbourhood = resident
        .as_ref()
        .map(|(record, _)| record.neighbourhood.clone());
    if !consultation.neighbourhoods.is_empty()
        && !neighbourhood
            .as_ref()
            .is_some_and(|name| consultation.neighbourhoods.contains(name))
    {
        return Ok(Err(VoteRefusal::OutOfScope));
    }
    let person = resident.map(|(_, hmac)| hmac);
    let day = day_of(vote.now);
    let voted = connection
        .prepare_cached(
            "INSERT OR IGNORE INTO consultation_voters
               (consultation_id, citizen_id, person, neighbourhood, day)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            vote.consultation_id,
            vote.citizen_id,
            person,
            neighbourhood,
            day
        ])?;
    if voted == 0 {
        return Ok(Err(VoteRefusal::AlreadyVoted));
    }
    let choices = serde_json::to_string(&choices)
        .map_err(|error| StorageError::Internal(error.to_string()))?;
    insert_ballot(connection, vote.consultation_id, &choices, &day)?;
    Ok(Ok(()))
}

impl Storage {
    /// Records a vote: the voter and the ballot, apart, in one transaction.
    pub async fn cast_vote(&self, vote: CastVote) -> StorageResult<Result<(), VoteRefusal>> {
        self.write(move |connection| cast(connection, &vote)).await
    }

    /// Ballots, votes per option and turnout per neighbourhood, from the
    /// running counts (migration 0014).
    pub async fn consultation_tally(&self, id: i64) -> StorageResult<Tally> {
        self.read(move |connection| {
            let consultation = consultation_by_id(connection, id)?;
            let ballots: u64 = connection
                .prepare_cached(
                    "SELECT coalesce((SELECT ballots FROM consultation_ballot_counts
                                      WHERE consultation_id = ?1), 0)",
                )?
                .query_row(params![id], |row| row.get(0))?;
            let mut votes = vec![0; consultation.options.len()];
            let counted = connection
                .prepare_cached(
                    "SELECT position, votes FROM consultation_option_votes
                     WHERE consultation_id = ?1",
                )?
                .query_map(params![id], |row| {
                    Ok((
                        row.get::<_, usize>("position")?,
                        row.get::<_, u64>("votes")?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            for (position, count) in counted {
                if let Some(slot) = votes.get_mut(position) {
                    *slot = count;
                }
            }
            let turnout = connection
                .prepare_cached(
                    "SELECT nullif(neighbourhood, '') AS neighbourhood, voters
                     FROM consultation_turnout WHERE consultation_id = ?1
                     ORDER BY neighbourhood",
                )?
                .query_map(params![id], |row| {
                    Ok((row.get("neighbourhood")?, row.get("voters")?))
                })?
                .collect::<Result<_, _>>()?;
            Ok(Tally {
                ballots,
                votes,
                turnout,
            })
        })
        .await
    }
}
