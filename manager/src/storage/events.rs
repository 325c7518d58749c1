//! Usage events: idempotent ingest by id, and session derivation in the same
//! transaction, so a stored event and its effect on its session are one fact.

use std::collections::HashMap;

use jiff::Timestamp;
use plaza_api::events::{Event, EventPayload};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::columns::{FromRow, Millis};
use super::kiosks::KioskIdentity;
use super::sessions::{self, SessionActivity};
use super::{Storage, StorageError, StorageResult};

/// An event that passed validation, with its position in the batch.
#[derive(Debug, Clone)]
pub struct ValidEvent {
    pub index: usize,
    pub event: Event,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestOutcome {
    /// Every id now stored, in batch order, duplicates included.
    pub accepted: Vec<Uuid>,
    pub duplicates: u32,
    /// Events refused by storage rules: (index, id, reason).
    pub refused: Vec<(usize, Uuid, String)>,
}

impl Storage {
    /// Stores the batch's new events and updates their sessions. Answers once
    /// committed, so every id in `accepted` is durable.
    pub async fn ingest_events(
        &self,
        kiosk_id: Uuid,
        events: Vec<ValidEvent>,
        received_at: Timestamp,
    ) -> StorageResult<IngestOutcome> {
        self.write_can_wait(move |connection| ingest(connection, kiosk_id, events, received_at))
            .await
    }

    /// How many events are stored (for tests and diagnostics).
    pub async fn event_count(&self) -> StorageResult<u64> {
        self.read(|connection| {
            Ok(connection
                .prepare_cached("SELECT count(*) AS events FROM events")?
                .query_row([], |row| row.get("events"))?)
        })
        .await
    }

    /// Which of these ids are stored.
    pub async fn stored_event_ids(&self, ids: Vec<Uuid>) -> StorageResult<Vec<Uuid>> {
        self.read(move |connection| {
            let mut statement = connection.prepare_cached("SELECT 1 FROM events WHERE id = ?1")?;
            let mut stored = Vec::new();
            for id in ids {
                if statement.exists(params![id])? {
                    stored.push(id);
                }
            }
            Ok(stored)
        })
        .await
    }
}

fn ingest(
    connection: &Connection,
    kiosk_id: Uuid,
    events: Vec<ValidEvent>,
    received_at: Timestamp,
) -> StorageResult<IngestOutcome> {
    let kiosk = connection
        .prepare_cached(
            "SELECT id, centre_id, revoked_at IS NOT NULL AS revoked FROM kiosks WHERE id = ?1",
        )?
        .query_row(params![kiosk_id], KioskIdentity::from_row)
        .optional()?
        .ok_or(StorageError::NotFound)?;
    // The token may have been authenticated from the cache.
    if kiosk.revoked {
        return Err(StorageError::Revoked);
    }
    let skew_ms = clock_correction_ms(connection, kiosk_id)?;
    let mut owners: HashMap<Uuid, bool> = HashMap::new();
    let mut insert = connection.prepare_cached(
        "INSERT OR IGNORE INTO events (id, kiosk_id, session_id, kind, at, received_at, data)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut outcome = IngestOutcome::default();
    let mut activity: HashMap<Uuid, SessionActivity> = HashMap::new();
    for ValidEvent { index, mut event } in events {
        event.at = corrected(event.at, skew_ms);
        let owned = match owners.get(&event.session_id) {
            Some(owned) => *owned,
            None => {
                let owned = sessions::owner(connection, event.session_id)?
                    .is_none_or(|owner| owner == kiosk_id);
                owners.insert(event.session_id, owned);
                owned
            }
        };
        if !owned {
            outcome.refused.push((
                index,
                event.id,
                "session_id belongs to another kiosk".to_owned(),
            ));
            continue;
        }
        if let EventPayload::SurveyAnswered(answers) = &event.payload
            && let Some(neighbourhood) = &answers.neighbourhood
            && !centre_has_neighbourhood(connection, kiosk.centre_id, neighbourhood)?
        {
            outcome.refused.push((
                index,
                event.id,
                "neighbourhood is not one of the centre's neighbourhoods".to_owned(),
            ));
            continue;
        }
        let raw = plaza_api::events::RawEvent::from(event.clone());
        let data = serde_json::to_string(&raw.data)
            .map_err(|error| StorageError::Internal(format!("encode event data: {error}")))?;
        let inserted = insert.execute(params![
            event.id,
            kiosk_id,
            event.session_id,
            raw.kind,
            Millis(event.at),
            Millis(received_at),
            data,
        ])?;
        outcome.accepted.push(event.id);
        if inserted == 0 {
            outcome.duplicates += 1;
            continue;
        }
        activity
            .entry(event.session_id)
            .or_default()
            .record(event.at, &event.payload);
    }
    for (session_id, session_activity) in activity {
        sessions::apply(
            connection,
            session_id,
            kiosk_id,
            kiosk.centre_id,
            &session_activity,
            received_at,
        )?;
    }
    Ok(outcome)
}

fn centre_has_neighbourhood(
    connection: &Connection,
    centre_id: i64,
    name: &str,
) -> StorageResult<bool> {
    Ok(connection
        .prepare_cached("SELECT 1 FROM centre_neighbourhoods WHERE centre_id = ?1 AND name = ?2")?
        .exists(params![centre_id, name])?)
}

/// Below this, a kiosk's clock is trusted as it is: the difference is
/// within what network delay and ordinary drift explain.
const SKEW_CORRECTION_MIN_MS: i64 = 60_000;

/// How far ahead (positive) the kiosk's clock was at its latest heartbeat,
/// when that is enough to correct its events for; zero otherwise.
fn clock_correction_ms(connection: &Connection, kiosk_id: Uuid) -> StorageResult<i64> {
    let skew: Option<i64> = connection
        .prepare_cached(
            "SELECT sent_at - received_at AS skew_ms FROM kiosk_status WHERE kiosk_id = ?1",
        )?
        .query_row(params![kiosk_id], |row| row.get("skew_ms"))
        .optional()?;
    Ok(skew
        .filter(|skew| skew.abs() >= SKEW_CORRECTION_MIN_MS)
        .unwrap_or(0))
}

/// An event time from a kiosk's clock, on the manager's clock: events of a
/// kiosk hours off still land in the right hour of the reports and in order
/// with everyone else's.
fn corrected(at: Timestamp, skew_ms: i64) -> Timestamp {
    if skew_ms == 0 {
        return at;
    }
    at.checked_sub(jiff::SignedDuration::from_millis(skew_ms))
        .unwrap_or(at)
}

impl SessionActivity {
    fn record(&mut self, at: Timestamp, payload: &EventPayload) {
        self.first_at = Some(self.first_at.map_or(at, |first| first.min(at)));
        self.last_at = Some(self.last_at.map_or(at, |last| last.max(at)));
        self.events += 1;
        match payload {
            EventPayload::SessionStarted(started) => self.start = Some((at, started.clone())),
            EventPayload::SessionEnded(ended) => {
                // The earliest end wins if a kiosk ever sends two.
                if self.end.is_none_or(|(end_at, _)| at < end_at) {
                    self.end = Some((at, ended.reason));
                }
            }
            EventPayload::SessionExtended(extended) => self.extended_s += extended.by_s,
            EventPayload::SurveyAnswered(answers) => self.survey = Some(answers.clone()),
            EventPayload::SectionOpened(opened) => {
                *self.sections.entry(opened.section).or_default() += 1;
            }
            EventPayload::ProcedureViewed(_)
            | EventPayload::TenderViewed(_)
            | EventPayload::NetworkViewed(_)
            | EventPayload::SearchMade(_)
            | EventPayload::PostWritten(_)
            | EventPayload::WebVisited(_) => {}
        }
    }
}
