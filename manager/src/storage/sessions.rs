//! Citizen sessions, derived from events (see `events`), closed as `lost`
//! when their kiosk goes silent.

use std::collections::HashMap;

use jiff::Timestamp;
use plaza_api::events::SessionStarted;
use plaza_api::kiosks::SessionSummary;
use plaza_api::session::{EndReason, Section, SurveyAnswers};
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

use super::columns::{Columns, FromRow, Millis, Term};
use super::{Storage, StorageError, StorageResult};

/// What one batch of new events says about one session.
#[derive(Debug, Clone, Default)]
pub(crate) struct SessionActivity {
    pub(crate) first_at: Option<Timestamp>,
    pub(crate) last_at: Option<Timestamp>,
    pub(crate) events: u32,
    pub(crate) start: Option<(Timestamp, SessionStarted)>,
    pub(crate) end: Option<(Timestamp, EndReason)>,
    pub(crate) extended_s: u32,
    pub(crate) survey: Option<SurveyAnswers>,
    pub(crate) sections: HashMap<Section, u32>,
}

/// The kiosk a session belongs to, if the session is known.
pub(crate) fn owner(connection: &Connection, session_id: Uuid) -> StorageResult<Option<Uuid>> {
    Ok(connection
        .prepare_cached("SELECT kiosk_id FROM sessions WHERE id = ?1")?
        .query_row(params![session_id], |row| row.get("kiosk_id"))
        .optional()?)
}

/// Folds a batch's activity into the session row, whatever order events
/// arrive in: the start sets `started_at`, activity only ever moves
/// `last_activity_at` forward, and a real end replaces a provisional `lost`.
pub(crate) fn apply(
    connection: &Connection,
    session_id: Uuid,
    kiosk_id: Uuid,
    centre_id: i64,
    activity: &SessionActivity,
    received_at: Timestamp,
) -> StorageResult<()> {
    let (Some(first_at), Some(last_at)) = (activity.first_at, activity.last_at) else {
        return Ok(());
    };
    let start = activity.start.as_ref();
    connection
        .prepare_cached(
            "INSERT INTO sessions (
                 id, kiosk_id, centre_id, started_at, has_start, last_activity_at,
                 last_received_at, allotment_s, extended_s, language, large_text,
                 high_contrast, events)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
             ON CONFLICT (id) DO UPDATE SET
                 started_at = CASE
                     WHEN excluded.has_start = 1 THEN excluded.started_at
                     WHEN sessions.has_start = 1 THEN sessions.started_at
                     ELSE min(sessions.started_at, excluded.started_at) END,
                 has_start = max(sessions.has_start, excluded.has_start),
                 last_activity_at = max(sessions.last_activity_at, excluded.last_activity_at),
                 last_received_at = excluded.last_received_at,
                 allotment_s = coalesce(excluded.allotment_s, sessions.allotment_s),
                 extended_s = sessions.extended_s + excluded.extended_s,
                 language = coalesce(excluded.language, sessions.language),
                 large_text = coalesce(excluded.large_text, sessions.large_text),
                 high_contrast = coalesce(excluded.high_contrast, sessions.high_contrast),
                 events = sessions.events + excluded.events",
        )?
        .execute(params![
            session_id,
            kiosk_id,
            centre_id,
            Millis(start.map_or(first_at, |(at, _)| *at)),
            start.is_some(),
            Millis(last_at),
            Millis(received_at),
            start.map(|(_, started)| started.allotment_s),
            activity.extended_s,
            start.map(|(_, started)| Term(started.language)),
            start.map(|(_, started)| started.large_text),
            start.map(|(_, started)| started.high_contrast),
            activity.events,
        ])?;
    if let Some(survey) = &activity.survey {
        connection
            .prepare_cached(
                "UPDATE sessions SET age_band = ?2, gender = ?3, first_time_internet = ?4,
                     neighbourhood = ?5 WHERE id = ?1",
            )?
            .execute(params![
                session_id,
                survey.age_band.map(Term),
                survey.gender.map(Term),
                survey.first_time_internet,
                survey.neighbourhood,
            ])?;
    }
    let mut add_section = connection.prepare_cached(
        "INSERT INTO session_sections (session_id, section, opened) VALUES (?1, ?2, ?3)
         ON CONFLICT (session_id, section) DO UPDATE SET opened = opened + excluded.opened",
    )?;
    for (section, opened) in &activity.sections {
        add_section.execute(params![session_id, Term(*section), opened])?;
    }
    match activity.end {
        Some((ended_at, reason)) => {
            connection
                .prepare_cached(
                    "UPDATE sessions SET ended_at = ?2, end_reason = ?3
                     WHERE id = ?1 AND (ended_at IS NULL OR end_reason = 'lost')",
                )?
                .execute(params![session_id, Millis(ended_at), Term(reason)])?;
        }
        None => {
            // Late activity of a session closed as lost moves its end forward.
            connection
                .prepare_cached(
                    "UPDATE sessions SET ended_at = last_activity_at
                     WHERE id = ?1 AND end_reason = 'lost'",
                )?
                .execute(params![session_id])?;
        }
    }
    Ok(())
}

/// A heartbeat that reports a session in progress is activity of that session.
pub(crate) fn note_heartbeat_activity(
    connection: &Connection,
    session_id: Uuid,
    sent_at: Timestamp,
) -> StorageResult<()> {
    connection
        .prepare_cached(
            "UPDATE sessions SET last_activity_at = max(last_activity_at, ?2)
             WHERE id = ?1 AND ended_at IS NULL",
        )?
        .execute(params![session_id, Millis(sent_at)])?;
    Ok(())
}

impl Storage {
    /// Closes, at their last activity and with reason `lost`, the open
    /// sessions that will never hear from their kiosk again: those whose kiosk
    /// has been silent since `silent_since`, and those whose kiosk is alive
    /// but has moved on and has nothing left in its outbox to deliver.
    pub async fn close_lost_sessions(&self, silent_since: Timestamp) -> StorageResult<usize> {
        self.write(move |connection| {
            let silent = connection
                .prepare_cached(
                    "UPDATE sessions SET ended_at = last_activity_at, end_reason = 'lost'
                     WHERE ended_at IS NULL
                       AND last_received_at < ?1
                       AND coalesce((SELECT received_at FROM kiosk_status s
                                     WHERE s.kiosk_id = sessions.kiosk_id), 0) < ?1",
                )?
                .execute(params![Millis(silent_since)])?;
            let abandoned = connection
                .prepare_cached(
                    "UPDATE sessions SET ended_at = last_activity_at, end_reason = 'lost'
                     WHERE ended_at IS NULL
                       AND EXISTS (SELECT 1 FROM kiosk_status s
                                   WHERE s.kiosk_id = sessions.kiosk_id
                                     AND s.outbox_len = 0
                                     AND s.received_at > sessions.last_received_at
                                     AND (s.session_id IS NULL OR s.session_id <> sessions.id))",
                )?
                .execute([])?;
            Ok(silent + abandoned)
        })
        .await
    }

    pub async fn session(&self, session_id: Uuid) -> StorageResult<SessionSummary> {
        self.read(move |connection| {
            let session = connection
                .prepare_cached(&format!("{SESSION_SELECT} WHERE id = ?1"))?
                .query_row(params![session_id], SessionSummary::from_row)
                .optional()?
                .ok_or(StorageError::NotFound)?;
            with_sections(connection, session)
        })
        .await
    }

    /// One session's survey answers as stored, for checks of ingest only:
    /// no API response or page shows answers per session.
    pub async fn session_survey(&self, session_id: Uuid) -> StorageResult<SurveyAnswers> {
        self.read(move |connection| {
            connection
                .prepare_cached(
                    "SELECT age_band, gender, first_time_internet, neighbourhood
                     FROM sessions WHERE id = ?1",
                )?
                .query_row(params![session_id], |row| {
                    Ok(SurveyAnswers {
                        age_band: row.term_opt("age_band")?,
                        gender: row.term_opt("gender")?,
                        first_time_internet: row.get("first_time_internet")?,
                        neighbourhood: row.get("neighbourhood")?,
                    })
                })
                .optional()?
                .ok_or(StorageError::NotFound)
        })
        .await
    }

    /// A kiosk's latest sessions, newest first.
    pub async fn sessions_for_kiosk(
        &self,
        kiosk_id: Uuid,
        limit: u32,
    ) -> StorageResult<Vec<SessionSummary>> {
        self.read(move |connection| {
            let sessions = connection
                .prepare_cached(&format!(
                    "{SESSION_SELECT} WHERE kiosk_id = ?1 ORDER BY started_at DESC LIMIT ?2"
                ))?
                .query_map(params![kiosk_id, limit], SessionSummary::from_row)?
                .collect::<Result<Vec<_>, _>>()?;
            sessions
                .into_iter()
                .map(|session| with_sections(connection, session))
                .collect()
        })
        .await
    }
}

// No survey columns: a session's answers leave storage only as aggregates
// (the reach reports) or through `session_survey`, never with the session.
const SESSION_SELECT: &str = "
    SELECT id, kiosk_id, started_at, last_activity_at, ended_at, end_reason, language
    FROM sessions";

impl FromRow for SessionSummary {
    /// A row of [`SESSION_SELECT`]; its sections are read after.
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        let started_at = row.time("started_at")?;
        let last_activity_at = row.time("last_activity_at")?;
        let ended_at = row.time_opt("ended_at")?;
        let length = ended_at
            .unwrap_or(last_activity_at)
            .duration_since(started_at);
        Ok(Self {
            id: row.get("id")?,
            kiosk_id: row.get("kiosk_id")?,
            started_at,
            last_activity_at,
            ended_at,
            end_reason: row.term_opt("end_reason")?,
            duration_s: u64::try_from(length.as_secs()).unwrap_or(0),
            language: row.term_opt("language")?,
            sections: Vec::new(),
        })
    }
}

fn with_sections(
    connection: &Connection,
    session: SessionSummary,
) -> StorageResult<SessionSummary> {
    let sections = connection
        .prepare_cached(
            "SELECT section FROM session_sections WHERE session_id = ?1 ORDER BY section",
        )?
        .query_map(params![session.id], |row| row.term("section"))?
        .collect::<Result<_, _>>()?;
    Ok(SessionSummary {
        sections,
        ..session
    })
}
