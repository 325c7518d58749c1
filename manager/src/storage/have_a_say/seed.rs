//! The demo's consultations and proposals, written in one transaction.

use jiff::Timestamp;
use plaza_api::have_a_say::{Localized, ProposalModeration, ProposalStatus};
use rusqlite::{Connection, OptionalExtension, params};

use super::ballots::{CastVote, cast};
use super::consultations::{NewConsultationRecord, insert_consultation};
use super::day_of;
use crate::storage::centres::centre_id_by_name;
use crate::storage::columns::{Millis, Term};
use crate::storage::{Storage, StorageError, StorageResult};

pub struct SeedConsultation {
    pub new: NewConsultationRecord,
    /// (alias key, choices), cast an hour after it opened.
    pub votes: Vec<(String, Vec<u32>)>,
    pub answer: Option<Localized>,
}

pub struct SeedProposal {
    pub author: String,
    pub title: String,
    pub body: String,
    pub language: String,
    pub status: ProposalStatus,
    pub answer: Option<Localized>,
    pub supporters: Vec<String>,
    pub days_ago: i64,
}

pub struct SayPlan {
    pub centre: String,
    /// (alias key, neighbourhood): demo residents, with a random stand-in for
    /// a document's HMAC (they have no document).
    pub residents: Vec<(String, String)>,
    pub consultations: Vec<SeedConsultation>,
    pub proposals: Vec<SeedProposal>,
    pub now: Timestamp,
}

fn citizen_id(connection: &Connection, alias_key: &str) -> StorageResult<Option<i64>> {
    Ok(connection
        .prepare_cached("SELECT id FROM citizens WHERE alias_key = ?1")?
        .query_row(params![alias_key], |row| row.get("id"))
        .optional()?)
}

fn seed(connection: &Connection, plan: &SayPlan) -> StorageResult<()> {
    let centre_id = centre_id_by_name(connection, &plan.centre)?;
    for (alias_key, neighbourhood) in &plan.residents {
        let Some(id) = citizen_id(connection, alias_key)? else {
            continue;
        };
        let mut stand_in = [0u8; 32];
        getrandom::fill(&mut stand_in)
            .map_err(|error| StorageError::Internal(error.to_string()))?;
        connection
            .prepare_cached(
                "INSERT OR IGNORE INTO verified_residents
                   (citizen_id, document_hmac, neighbourhood, centre_id, verified_at, verified_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'demo')",
            )?
            .execute(params![
                id,
                stand_in,
                neighbourhood,
                centre_id,
                Millis(plan.now)
            ])?;
    }
    for consultation in &plan.consultations {
        let id = insert_consultation(connection, &consultation.new, "demo", plan.now)?;
        let at = consultation.new.opens_at + jiff::SignedDuration::from_hours(1);
        for (alias_key, choices) in &consultation.votes {
            if let Some(citizen_id) = citizen_id(connection, alias_key)? {
                // A refusal (a demo account not in scope) just casts nothing.
                let _ = cast(
                    connection,
                    &CastVote {
                        consultation_id: id,
                        citizen_id,
                        choices: choices.clone(),
                        now: at,
                    },
                )?;
            }
        }
        if let Some(answer) = &consultation.answer {
            connection
                .prepare_cached(
                    "UPDATE consultations SET answer_es = ?2, answer_en = ?3, answered_at = ?4,
                            answered_by = 'demo' WHERE id = ?1",
                )?
                .execute(params![id, answer.es, answer.en, Millis(plan.now)])?;
        }
    }
    for proposal in &plan.proposals {
        let Some(author_id) = citizen_id(connection, &proposal.author)? else {
            continue;
        };
        let neighbourhood: Option<String> = connection
            .prepare_cached("SELECT neighbourhood FROM verified_residents WHERE citizen_id = ?1")?
            .query_row(params![author_id], |row| row.get("neighbourhood"))
            .optional()?;
        let Some(neighbourhood) = neighbourhood else {
            continue;
        };
        let created = plan.now - jiff::SignedDuration::from_hours(24 * proposal.days_ago);
        connection
            .prepare_cached(
                "INSERT INTO proposals (author_id, title, body, language, neighbourhood, centre_id,
                    moderation, status, answer_es, answer_en, answered_at, answered_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?
            .execute(params![
                author_id,
                proposal.title,
                proposal.body,
                proposal.language,
                neighbourhood,
                centre_id,
                Term(ProposalModeration::Published),
                Term(proposal.status),
                proposal.answer.as_ref().map(|answer| answer.es.clone()),
                proposal
                    .answer
                    .as_ref()
                    .and_then(|answer| answer.en.clone()),
                proposal.answer.as_ref().map(|_| Millis(plan.now)),
                proposal.answer.as_ref().map(|_| "demo"),
                Millis(created),
            ])?;
        let id = connection.last_insert_rowid();
        for supporter in &proposal.supporters {
            if let Some(citizen_id) = citizen_id(connection, supporter)? {
                let added = connection
                    .prepare_cached(
                        "INSERT OR IGNORE INTO proposal_supports (proposal_id, citizen_id, day)
                         VALUES (?1, ?2, ?3)",
                    )?
                    .execute(params![id, citizen_id, day_of(created)])?;
                connection
                    .prepare_cached("UPDATE proposals SET supports = supports + ?2 WHERE id = ?1")?
                    .execute(params![id, added])?;
            }
        }
    }
    Ok(())
}

impl Storage {
    /// Writes the demo's consultations and proposals unless there are
    /// consultations already; returns whether it wrote them.
    pub async fn seed_have_a_say(&self, plan: SayPlan) -> StorageResult<bool> {
        self.write(move |connection| {
            let any: bool = connection
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM consultations)")?
                .query_row([], |row| row.get(0))?;
            if any {
                return Ok(false);
            }
            seed(connection, &plan)?;
            Ok(true)
        })
        .await
    }
}
