//! Usage events: written to the kiosk's outbox first, delivered in batches.
//!
//! On the wire an event is `{id, kind, at, session_id, data}`, with `data`'s
//! shape fixed by `kind`. Events carry no account id and no typed text (a
//! search sends only how many results it found).

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::session::{EndReason, Language, Section, SurveyAnswers};
use crate::wire_enum;

/// Most events one batch may carry.
pub const MAX_BATCH: usize = 1000;

/// One usage event as the kiosk records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawEvent", into = "RawEvent")]
pub struct Event {
    /// Chosen by the kiosk (UUIDv7, time-ordered); the manager ingests each id once.
    pub id: Uuid,
    /// When it happened, by the kiosk's clock.
    pub at: Timestamp,
    pub session_id: Uuid,
    pub payload: EventPayload,
}

wire_enum! {
    /// What happened; names the shape of `data`.
    pub enum EventKind {
        SessionStarted = "session_started",
        SessionEnded = "session_ended",
        SessionExtended = "session_extended",
        SurveyAnswered = "survey_answered",
        SectionOpened = "section_opened",
        ProcedureViewed = "procedure_viewed",
        TenderViewed = "tender_viewed",
        NetworkViewed = "network_viewed",
        SearchMade = "search_made",
        PostWritten = "post_written",
        WebVisited = "web_visited",
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum EventPayload {
    SessionStarted(SessionStarted),
    SessionEnded(SessionEnded),
    SessionExtended(SessionExtended),
    SurveyAnswered(SurveyAnswers),
    SectionOpened(SectionOpened),
    ProcedureViewed(ProcedureViewed),
    TenderViewed(TenderViewed),
    NetworkViewed(NetworkViewed),
    SearchMade(SearchMade),
    PostWritten(PostWritten),
    WebVisited(WebVisited),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SessionStarted {
    /// Seconds the session was given at its start.
    pub allotment_s: u32,
    pub language: Language,
    pub large_text: bool,
    pub high_contrast: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SessionEnded {
    pub reason: EndReason,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SessionExtended {
    /// Seconds added to the session.
    pub by_s: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SectionOpened {
    pub section: Section,
}

/// Time on the web for one purpose: never a URL, a query or a title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WebVisited {
    pub purpose: crate::web::Purpose,
    pub seconds: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProcedureViewed {
    pub procedure_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TenderViewed {
    pub tender_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NetworkViewed {
    pub network_id: String,
}

/// A search happened; the query text itself never leaves the kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SearchMade {
    pub section: Section,
    pub results: u32,
}

/// A forum or community post was published; no author, no text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PostWritten {
    pub section: Section,
}

impl EventPayload {
    pub fn kind(&self) -> EventKind {
        match self {
            Self::SessionStarted(_) => EventKind::SessionStarted,
            Self::SessionEnded(_) => EventKind::SessionEnded,
            Self::SessionExtended(_) => EventKind::SessionExtended,
            Self::SurveyAnswered(_) => EventKind::SurveyAnswered,
            Self::SectionOpened(_) => EventKind::SectionOpened,
            Self::ProcedureViewed(_) => EventKind::ProcedureViewed,
            Self::TenderViewed(_) => EventKind::TenderViewed,
            Self::NetworkViewed(_) => EventKind::NetworkViewed,
            Self::SearchMade(_) => EventKind::SearchMade,
            Self::PostWritten(_) => EventKind::PostWritten,
            Self::WebVisited(_) => EventKind::WebVisited,
        }
    }

    fn to_data(&self) -> Result<serde_json::Value, serde_json::Error> {
        match self {
            Self::SessionStarted(data) => serde_json::to_value(data),
            Self::SessionEnded(data) => serde_json::to_value(data),
            Self::SessionExtended(data) => serde_json::to_value(data),
            Self::SurveyAnswered(data) => serde_json::to_value(data),
            Self::SectionOpened(data) => serde_json::to_value(data),
            Self::ProcedureViewed(data) => serde_json::to_value(data),
            Self::TenderViewed(data) => serde_json::to_value(data),
            Self::NetworkViewed(data) => serde_json::to_value(data),
            Self::SearchMade(data) => serde_json::to_value(data),
            Self::PostWritten(data) => serde_json::to_value(data),
            Self::WebVisited(data) => serde_json::to_value(data),
        }
    }

    /// Decodes `data` for a given kind, naming the field at fault on error.
    pub fn from_data(kind: EventKind, data: serde_json::Value) -> Result<Self, String> {
        fn decode<T: serde::de::DeserializeOwned>(data: serde_json::Value) -> Result<T, String> {
            serde_json::from_value(data).map_err(|error| format!("data: {error}"))
        }
        Ok(match kind {
            EventKind::SessionStarted => Self::SessionStarted(decode(data)?),
            EventKind::SessionEnded => Self::SessionEnded(decode(data)?),
            EventKind::SessionExtended => Self::SessionExtended(decode(data)?),
            EventKind::SurveyAnswered => Self::SurveyAnswered(decode(data)?),
            EventKind::SectionOpened => Self::SectionOpened(decode(data)?),
            EventKind::ProcedureViewed => Self::ProcedureViewed(decode(data)?),
            EventKind::TenderViewed => Self::TenderViewed(decode(data)?),
            EventKind::NetworkViewed => Self::NetworkViewed(decode(data)?),
            EventKind::SearchMade => Self::SearchMade(decode(data)?),
            EventKind::PostWritten => Self::PostWritten(decode(data)?),
            EventKind::WebVisited => Self::WebVisited(decode(data)?),
        })
    }
}

/// The literal wire shape of an event, before `data` is checked against `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Event))]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    pub id: Uuid,
    pub kind: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
    pub session_id: Uuid,
    /// Shape fixed by `kind`; `{}` when the kind carries nothing.
    #[serde(default)]
    pub data: serde_json::Value,
}

impl TryFrom<RawEvent> for Event {
    type Error = String;

    fn try_from(raw: RawEvent) -> Result<Self, Self::Error> {
        let kind = EventKind::parse(&raw.kind)
            .ok_or_else(|| format!("unknown event kind `{}`", raw.kind))?;
        Ok(Event {
            id: raw.id,
            at: raw.at,
            session_id: raw.session_id,
            payload: EventPayload::from_data(kind, raw.data)?,
        })
    }
}

impl From<Event> for RawEvent {
    fn from(event: Event) -> Self {
        // Every payload is a plain struct of strings, numbers and enums, which
        // serde_json always encodes; an empty object is the honest fallback.
        let data = event
            .payload
            .to_data()
            .unwrap_or_else(|_| serde_json::Value::Object(serde_json::Map::new()));
        RawEvent {
            id: event.id,
            kind: event.payload.kind().as_str().to_owned(),
            at: event.at,
            session_id: event.session_id,
            data,
        }
    }
}

/// `POST /api/v1/events` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EventBatch {
    /// At most [`MAX_BATCH`] events, each an `Event`. Each is checked on its
    /// own: one that is not a valid `Event` is named in the answer's
    /// `rejected` and the others are stored, so any JSON value is taken here.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Value>, max_items = 1000))]
    pub events: Vec<Event>,
}

/// What the manager did with a batch. The kiosk deletes `accepted` ids from its
/// outbox and sets `rejected` ones aside: resending them would fail again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventBatchResponse {
    /// Every id now durably stored, including ones already stored earlier.
    pub accepted: Vec<Uuid>,
    /// How many of `accepted` had been stored before.
    pub duplicates: u32,
    pub rejected: Vec<RejectedEvent>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RejectedEvent {
    /// Position in the batch, counting from 0.
    pub index: usize,
    /// The event's id when it could be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
    pub reason: String,
}
