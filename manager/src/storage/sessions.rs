//! Citizen sessions, derived from events (see `events`), closed as `lost`
//! when their kiosk goes silent.

use std::collections::HashMap;

use jiff::Timestamp;
use plaza_api::events::SessionStarted;
use plaza_api::kiosks::SessionSummary;
use plaza_api::session::{AgeBand, EndReason, Gender, Language, Section, SurveyAnswers};
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

use super::{Storage, StorageError, StorageResult, from_millis, from_millis_opt, to_millis};

/// What one batch of new events says about one session.
#[derive(Debug, Clone, Default)]
pub(crate) struct SessionActivity {
    pub(crate) first_at: Option<i64>,
    pub(crate) last_at: Option<i64>,
    pub(crate) events: u32,
    pub(crate) start: Option<(i64, SessionStarted)>,
    pub(crate) end: Option<(i64, EndReason)>,
    pub(crate) extended_s: u32,
    pub(crate) survey: Option<SurveyAnswers>,
    pub(crate) sections: HashMap<Section, u32>,
}

/// The kiosk a session belongs to, if the session is known.
pub(crate) fn owner(connection: &Connection, session_id: Uuid) -> StorageResult<Option<Uuid>> {
    Ok(connection
        .prepare_cached("SELECT kiosk_id FROM sessions WHERE id = ?1")?
        .query_row(params![session_id], |row| row.get(0))
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
            start.map_or(first_at, |(at, _)| *at),
            start.is_some(),
            last_at,
            to_millis(received_at),
            start.map(|(_, started)| started.allotment_s),
            activity.extended_s,
            start.map(|(_, started)| started.language.as_str()),
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
                survey.age_band.map(AgeBand::as_str),
                survey.gender.map(Gender::as_str),
                survey.first_time_internet,
                survey.neighbourhood,
            ])?;
    }
    let mut add_section = connection.prepare_cached(
        "INSERT INTO session_sections (session_id, section, opened) VALUES (?1, ?2, ?3)
         ON CONFLICT (session_id, section) DO UPDATE SET opened = opened + excluded.opened",
    )?;
    for (section, opened) in &activity.sections {
        add_section.execute(params![session_id, section.as_str(), opened])?;
    }
    match activity.end {
        Some((ended_at, reason)) => {
            connection
                .prepare_cached(
                    "UPDATE sessions SET ended_at = ?2, end_reason = ?3
                     WHERE id = ?1 AND (ended_at IS NULL OR end_reason = 'lost')",
                )?
                .execute(params![session_id, ended_at, reason.as_str()])?;
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
        .execute(params![session_id, to_millis(sent_at)])?;
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
                .execute(params![to_millis(silent_since)])?;
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
            let row = connection
                .prepare_cached(&format!("{SESSION_SELECT} WHERE id = ?1"))?
                .query_row(params![session_id], session_columns)
                .optional()?
                .ok_or(StorageError::NotFound)?;
            into_summary(connection, row)
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
            let rows = connection
                .prepare_cached(&format!(
                    "{SESSION_SELECT} WHERE kiosk_id = ?1 ORDER BY started_at DESC LIMIT ?2"
                ))?
                .query_map(params![kiosk_id, limit], session_columns)?
                .collect::<Result<Vec<_>, _>>()?;
            rows.into_iter()
                .map(|row| into_summary(connection, row))
                .collect()
        })
        .await
    }
}

const SESSION_SELECT: &str = "
    SELECT id, kiosk_id, started_at, last_activity_at, ended_at, end_reason, language,
           age_band, gender, first_time_internet, neighbourhood
    FROM sessions";

struct SessionColumns {
    id: Uuid,
    kiosk_id: Uuid,
    started_at: i64,
    last_activity_at: i64,
    ended_at: Option<i64>,
    end_reason: Option<String>,
    language: Option<String>,
    age_band: Option<String>,
    gender: Option<String>,
    first_time_internet: Option<bool>,
    neighbourhood: Option<String>,
}

fn session_columns(row: &Row<'_>) -> rusqlite::Result<SessionColumns> {
    Ok(SessionColumns {
        id: row.get(0)?,
        kiosk_id: row.get(1)?,
        started_at: row.get(2)?,
        last_activity_at: row.get(3)?,
        ended_at: row.get(4)?,
        end_reason: row.get(5)?,
        language: row.get(6)?,
        age_band: row.get(7)?,
        gender: row.get(8)?,
        first_time_internet: row.get(9)?,
        neighbourhood: row.get(10)?,
    })
}

fn into_summary(connection: &Connection, row: SessionColumns) -> StorageResult<SessionSummary> {
    let sections = connection
        .prepare_cached(
            "SELECT section FROM session_sections WHERE session_id = ?1 ORDER BY section",
        )?
        .query_map(params![row.id], |section| section.get::<_, String>(0))?
        .filter_map(|section| section.ok().as_deref().and_then(Section::parse))
        .collect();
    let end = row.ended_at.unwrap_or(row.last_activity_at);
    Ok(SessionSummary {
        id: row.id,
        kiosk_id: row.kiosk_id,
        started_at: from_millis(row.started_at)?,
        last_activity_at: from_millis(row.last_activity_at)?,
        ended_at: from_millis_opt(row.ended_at)?,
        end_reason: row.end_reason.as_deref().and_then(EndReason::parse),
        duration_s: u64::try_from((end - row.started_at).max(0) / 1000).unwrap_or(0),
        language: row.language.as_deref().and_then(Language::parse),
        sections,
        survey: SurveyAnswers {
            age_band: row.age_band.as_deref().and_then(AgeBand::parse),
            gender: row.gender.as_deref().and_then(Gender::parse),
            first_time_internet: row.first_time_internet,
            neighbourhood: row.neighbourhood,
        },
    })
}
