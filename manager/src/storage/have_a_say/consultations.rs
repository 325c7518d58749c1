//! Consultations: what staff ask, when, of whom; their official answer.

use jiff::Timestamp;
use plaza_api::have_a_say::{ChoiceKind, Eligibility, Localized};
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::storage::audit::{self, AuditEntry};
use crate::storage::columns::{Columns, FromRow, Millis, Term};
use crate::storage::{Storage, StorageError, StorageResult};

/// A consultation to create (validated by the handler).
#[derive(Debug, Clone)]
pub struct NewConsultationRecord {
    pub question: Localized,
    pub description: Localized,
    pub kind: ChoiceKind,
    pub max_choices: u32,
    pub options: Vec<Localized>,
    pub opens_at: Timestamp,
    pub closes_at: Timestamp,
    pub neighbourhoods: Vec<String>,
    pub eligibility: Eligibility,
    pub live_results: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerRecord {
    pub text: Localized,
    pub answered_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsultationRecord {
    pub id: i64,
    pub question: Localized,
    pub description: Localized,
    pub kind: ChoiceKind,
    pub max_choices: u32,
    /// Labels by position (0, 1, ...).
    pub options: Vec<Localized>,
    pub opens_at: Timestamp,
    pub closes_at: Timestamp,
    pub neighbourhoods: Vec<String>,
    pub eligibility: Eligibility,
    pub live_results: bool,
    pub answer: Option<AnswerRecord>,
}

pub(crate) fn localized(row: &Row<'_>, es: &str, en: &str) -> rusqlite::Result<Localized> {
    Ok(Localized {
        es: row.get(es)?,
        en: row.get(en)?,
    })
}

pub(crate) fn answer(row: &Row<'_>) -> rusqlite::Result<Option<AnswerRecord>> {
    let answered_at = row.time_opt("answered_at")?;
    let es: Option<String> = row.get("answer_es")?;
    Ok(match (answered_at, es) {
        (Some(answered_at), Some(es)) => Some(AnswerRecord {
            text: Localized {
                es,
                en: row.get("answer_en")?,
            },
            answered_at,
        }),
        _ => None,
    })
}

impl FromRow for ConsultationRecord {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get("id")?,
            question: localized(row, "question_es", "question_en")?,
            description: localized(row, "description_es", "description_en")?,
            kind: row.term("kind")?,
            max_choices: row.get("max_choices")?,
            options: Vec::new(),
            opens_at: row.time("opens_at")?,
            closes_at: row.time("closes_at")?,
            neighbourhoods: Vec::new(),
            eligibility: row.term("eligibility")?,
            live_results: row.get("live_results")?,
            answer: answer(row)?,
        })
    }
}

pub(crate) fn consultation_by_id(
    connection: &Connection,
    id: i64,
) -> StorageResult<ConsultationRecord> {
    let mut record = connection
        .prepare_cached("SELECT * FROM consultations WHERE id = ?1")?
        .query_row(params![id], ConsultationRecord::from_row)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    record.options = connection
        .prepare_cached(
            "SELECT label_es, label_en FROM consultation_options
             WHERE consultation_id = ?1 ORDER BY position",
        )?
        .query_map(params![id], |row| localized(row, "label_es", "label_en"))?
        .collect::<Result<_, _>>()?;
    record.neighbourhoods = connection
        .prepare_cached(
            "SELECT name FROM consultation_neighbourhoods WHERE consultation_id = ?1 ORDER BY name",
        )?
        .query_map(params![id], |row| row.get("name"))?
        .collect::<Result<_, _>>()?;
    Ok(record)
}

fn audit_consultation(
    connection: &Connection,
    id: i64,
    action: &str,
    actor: String,
    now: Timestamp,
) -> StorageResult<()> {
    audit::record(
        connection,
        &AuditEntry {
            at: now,
            actor,
            action: action.to_owned(),
            target: Some(format!("consultation:{id}")),
            detail: None,
        },
    )
}

/// Inserts a consultation with its options and scope; returns its id.
pub(crate) fn insert_consultation(
    connection: &Connection,
    new: &NewConsultationRecord,
    actor: &str,
    now: Timestamp,
) -> StorageResult<i64> {
    connection
        .prepare_cached(
            "INSERT INTO consultations
                   (question_es, question_en, description_es, description_en, kind,
                    max_choices, opens_at, closes_at, eligibility, live_results,
                    created_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?
        .execute(params![
            new.question.es,
            new.question.en,
            new.description.es,
            new.description.en,
            Term(new.kind),
            new.max_choices,
            Millis(new.opens_at),
            Millis(new.closes_at),
            Term(new.eligibility),
            new.live_results,
            actor,
            Millis(now),
        ])?;
    let id = connection.last_insert_rowid();
    for (position, label) in new.options.iter().enumerate() {
        connection
            .prepare_cached(
                "INSERT INTO consultation_options (consultation_id, position, label_es, label_en)
                     VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![id, position, label.es, label.en])?;
    }
    for name in &new.neighbourhoods {
        connection
            .prepare_cached(
                "INSERT OR IGNORE INTO consultation_neighbourhoods (consultation_id, name)
                     VALUES (?1, ?2)",
            )?
            .execute(params![id, name])?;
    }
    Ok(id)
}

impl Storage {
    /// Creates a consultation with its options and scope; audited.
    pub async fn create_consultation(
        &self,
        new: NewConsultationRecord,
        actor: String,
        now: Timestamp,
    ) -> StorageResult<ConsultationRecord> {
        self.write(move |connection| {
            let id = insert_consultation(connection, &new, &actor, now)?;
            audit_consultation(connection, id, "consultation.created", actor, now)?;
            consultation_by_id(connection, id)
        })
        .await
    }

    /// Every consultation, the latest to open first.
    pub async fn consultations(&self) -> StorageResult<Vec<ConsultationRecord>> {
        self.read(move |connection| {
            let ids: Vec<i64> = connection
                .prepare_cached("SELECT id FROM consultations ORDER BY opens_at DESC, id DESC")?
                .query_map([], |row| row.get("id"))?
                .collect::<Result<_, _>>()?;
            ids.into_iter()
                .map(|id| consultation_by_id(connection, id))
                .collect()
        })
        .await
    }

    /// One consultation.
    pub async fn consultation(&self, id: i64) -> StorageResult<ConsultationRecord> {
        self.read(move |connection| consultation_by_id(connection, id))
            .await
    }

    /// Ends an open consultation now; audited. One not yet open, or already
    /// closed, is a conflict.
    pub async fn close_consultation(
        &self,
        id: i64,
        actor: String,
        now: Timestamp,
    ) -> StorageResult<ConsultationRecord> {
        self.write(move |connection| {
            let record = consultation_by_id(connection, id)?;
            if now < record.opens_at || now >= record.closes_at {
                return Err(StorageError::Conflict(
                    "only an open consultation can be closed".to_owned(),
                ));
            }
            connection
                .prepare_cached("UPDATE consultations SET closes_at = ?2 WHERE id = ?1")?
                .execute(params![id, Millis(now)])?;
            audit_consultation(connection, id, "consultation.closed", actor, now)?;
            consultation_by_id(connection, id)
        })
        .await
    }

    /// Publishes (or replaces) the official answer; audited.
    pub async fn answer_consultation(
        &self,
        id: i64,
        text: Localized,
        actor: String,
        now: Timestamp,
    ) -> StorageResult<ConsultationRecord> {
        self.write(move |connection| {
            consultation_by_id(connection, id)?;
            connection
                .prepare_cached(
                    "UPDATE consultations SET answer_es = ?2, answer_en = ?3, answered_at = ?4,
                            answered_by = ?5 WHERE id = ?1",
                )?
                .execute(params![id, text.es, text.en, Millis(now), actor])?;
            audit_consultation(connection, id, "consultation.answered", actor, now)?;
            consultation_by_id(connection, id)
        })
        .await
    }

    /// The consultations a citizen account has voted in.
    pub async fn voted_in(&self, citizen_id: i64) -> StorageResult<Vec<i64>> {
        self.read(move |connection| {
            Ok(connection
                .prepare_cached(
                    "SELECT consultation_id FROM consultation_voters WHERE citizen_id = ?1",
                )?
                .query_map(params![citizen_id], |row| row.get("consultation_id"))?
                .collect::<Result<_, _>>()?)
        })
        .await
    }
}
