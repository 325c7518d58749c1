//! Proposals by verified residents, their supports (once per account) and
//! the municipality's answer with a status: the accountability loop.

use jiff::Timestamp;
use plaza_api::have_a_say::{Localized, ProposalDecision, ProposalModeration, ProposalStatus};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::consultations::{AnswerRecord, answer};
use super::day_of;
use super::residents::resident_of;
use crate::storage::audit::{self, AuditEntry};
use crate::storage::columns::{Columns, FromRow, Millis, Term};
use crate::storage::{Storage, StorageError, StorageResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalRecord {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub language: String,
    pub author: String,
    pub neighbourhood: String,
    pub centre_id: i64,
    pub moderation: ProposalModeration,
    pub status: ProposalStatus,
    pub supports: u64,
    pub answer: Option<AnswerRecord>,
    pub created_at: Timestamp,
}

impl FromRow for ProposalRecord {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get("id")?,
            title: row.get("title")?,
            body: row.get("body")?,
            language: row.get("language")?,
            author: row.get("author")?,
            neighbourhood: row.get("neighbourhood")?,
            centre_id: row.get("centre_id")?,
            moderation: row.term("moderation")?,
            status: row.term("status")?,
            supports: row.get("supports")?,
            answer: answer(row)?,
            created_at: row.time("created_at")?,
        })
    }
}

/// A proposal to store; `held` when the word filter found something.
#[derive(Debug, Clone)]
pub struct NewProposalRecord {
    pub author_id: i64,
    pub title: String,
    pub body: String,
    pub language: String,
    pub held: bool,
    pub now: Timestamp,
}

/// An erased author's kept proposal has no alias: `author` is empty.
const PROPOSAL_COLUMNS: &str = "SELECT p.*, coalesce(c.alias, '') AS author FROM proposals p
     LEFT JOIN citizens c ON c.id = p.author_id";

pub(crate) fn proposal_by_id(connection: &Connection, id: i64) -> StorageResult<ProposalRecord> {
    connection
        .prepare_cached(&format!("{PROPOSAL_COLUMNS} WHERE p.id = ?1"))?
        .query_row(params![id], ProposalRecord::from_row)
        .optional()?
        .ok_or(StorageError::NotFound)
}

fn audit_proposal(
    connection: &Connection,
    id: i64,
    action: &str,
    actor: String,
    detail: Option<String>,
    now: Timestamp,
) -> StorageResult<()> {
    audit::record(
        connection,
        &AuditEntry {
            at: now,
            actor,
            action: action.to_owned(),
            target: Some(format!("proposal:{id}")),
            detail,
        },
    )
}

impl Storage {
    /// A verified resident's proposal, in their neighbourhood and their
    /// verification's centre; `None` when the author is not verified.
    pub async fn create_proposal(
        &self,
        new: NewProposalRecord,
    ) -> StorageResult<Option<ProposalRecord>> {
        self.write(move |connection| {
            let Some((resident, _)) = resident_of(connection, new.author_id)? else {
                return Ok(None);
            };
            let moderation = if new.held {
                ProposalModeration::Held
            } else {
                ProposalModeration::Published
            };
            connection
                .prepare_cached(
                    "INSERT INTO proposals (author_id, title, body, language, neighbourhood,
                        centre_id, moderation, status, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                )?
                .execute(params![
                    new.author_id,
                    new.title,
                    new.body,
                    new.language,
                    resident.neighbourhood,
                    resident.centre_id,
                    Term(moderation),
                    Term(ProposalStatus::Evaluating),
                    Millis(new.now),
                ])?;
            proposal_by_id(connection, connection.last_insert_rowid()).map(Some)
        })
        .await
    }

    /// Proposals, newest first: the published ones, or those in `moderation`
    /// at `centres` (all when `None`).
    pub async fn proposals(
        &self,
        moderation: ProposalModeration,
        centres: Option<Vec<i64>>,
    ) -> StorageResult<Vec<ProposalRecord>> {
        self.read(move |connection| {
            let all: Vec<ProposalRecord> = connection
                .prepare_cached(&format!(
                    "{PROPOSAL_COLUMNS} WHERE p.moderation = ?1 ORDER BY p.created_at DESC, p.id DESC"
                ))?
                .query_map(params![Term(moderation)], ProposalRecord::from_row)?
                .collect::<Result<_, _>>()?;
            Ok(all
                .into_iter()
                .filter(|record| {
                    centres
                        .as_ref()
                        .is_none_or(|centres| centres.contains(&record.centre_id))
                })
                .collect())
        })
        .await
    }

    /// One proposal, in any moderation state.
    pub async fn proposal(&self, id: i64) -> StorageResult<ProposalRecord> {
        self.read(move |connection| proposal_by_id(connection, id))
            .await
    }

    /// Supports a published proposal once; `false` when this account already
    /// did.
    pub async fn support_proposal(
        &self,
        id: i64,
        citizen_id: i64,
        now: Timestamp,
    ) -> StorageResult<(bool, ProposalRecord)> {
        self.write(move |connection| {
            let proposal = proposal_by_id(connection, id)?;
            if proposal.moderation != ProposalModeration::Published {
                return Err(StorageError::NotFound);
            }
            let neighbourhood =
                resident_of(connection, citizen_id)?.map(|(record, _)| record.neighbourhood);
            let added = connection
                .prepare_cached(
                    "INSERT OR IGNORE INTO proposal_supports (proposal_id, citizen_id, neighbourhood, day)
                     VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![id, citizen_id, neighbourhood, day_of(now)])?;
            if added == 1 {
                connection
                    .prepare_cached("UPDATE proposals SET supports = supports + 1 WHERE id = ?1")?
                    .execute(params![id])?;
            }
            Ok((added == 1, proposal_by_id(connection, id)?))
        })
        .await
    }

    /// The proposals an account supports.
    pub async fn supported_by(&self, citizen_id: i64) -> StorageResult<Vec<i64>> {
        self.read(move |connection| {
            Ok(connection
                .prepare_cached("SELECT proposal_id FROM proposal_supports WHERE citizen_id = ?1")?
                .query_map(params![citizen_id], |row| row.get("proposal_id"))?
                .collect::<Result<_, _>>()?)
        })
        .await
    }

    /// The municipality's answer and the new status; audited.
    pub async fn answer_proposal(
        &self,
        id: i64,
        status: ProposalStatus,
        text: Localized,
        actor: String,
        now: Timestamp,
    ) -> StorageResult<ProposalRecord> {
        self.write(move |connection| {
            proposal_by_id(connection, id)?;
            connection
                .prepare_cached(
                    "UPDATE proposals SET status = ?2, answer_es = ?3, answer_en = ?4,
                            answered_at = ?5, answered_by = ?6 WHERE id = ?1",
                )?
                .execute(params![
                    id,
                    Term(status),
                    text.es,
                    text.en,
                    Millis(now),
                    actor
                ])?;
            audit_proposal(
                connection,
                id,
                "proposal.answered",
                actor,
                Some(format!("status {status}")),
                now,
            )?;
            proposal_by_id(connection, id)
        })
        .await
    }

    /// Publishes a held proposal or removes one; audited.
    pub async fn moderate_proposal(
        &self,
        id: i64,
        decision: ProposalDecision,
        actor: String,
        now: Timestamp,
    ) -> StorageResult<ProposalRecord> {
        self.write(move |connection| {
            proposal_by_id(connection, id)?;
            let moderation = match decision {
                ProposalDecision::Publish => ProposalModeration::Published,
                ProposalDecision::Remove => ProposalModeration::Removed,
            };
            connection
                .prepare_cached("UPDATE proposals SET moderation = ?2 WHERE id = ?1")?
                .execute(params![id, Term(moderation)])?;
            audit_proposal(
                connection,
                id,
                "proposal.moderated",
                actor,
                Some(decision.as_str().to_owned()),
                now,
            )?;
            proposal_by_id(connection, id)
        })
        .await
    }
}
