//! Requests to the municipality (Open311 GeoReport v2's service requests)
//! and their service types. A request keeps no personal field: its place
//! (neighbourhood, street, reference, optional coordinates), its text, the
//! centre of the kiosk it was filed at and, when filed logged in, the
//! citizen account it is listed under. Filing, assigning and every status
//! change are audited in the same transaction.

mod changes;
mod queue;
pub mod services;

use jiff::Timestamp;
use plaza_api::requests::{RequestChannel, RequestStatus};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::audit::{self, AuditEntry};
use super::columns::{Columns, FromRow, Json, Millis, Term};
use super::{Storage, StorageError, StorageResult};

pub use changes::{ChangeRecord, Transition, TransitionRefused};
pub use queue::{RequestFilter, RequestScope, RequestTallyRow};
pub use services::ServiceTypeRecord;

/// A request about to be filed (validated by the caller).
#[derive(Debug, Clone, PartialEq)]
pub struct NewRequestRecord {
    /// The public id (`requests::new_ticket`).
    pub ticket: String,
    pub service_code: String,
    pub description: String,
    pub neighbourhood: Option<String>,
    pub street: Option<String>,
    pub reference: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Answers to the type's attributes (Open311 `attribute[code]`).
    pub attributes: serde_json::Map<String, serde_json::Value>,
    pub channel: RequestChannel,
    /// The kiosk's centre; `None` through Open311.
    pub centre_id: Option<i64>,
    /// Filed logged in.
    pub citizen_id: Option<i64>,
    /// Who files, for the audit log (a kiosk, an Open311 key, a staff name).
    pub actor: String,
    pub now: Timestamp,
}

/// A stored request.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestRecord {
    pub id: i64,
    pub ticket: String,
    pub service_code: String,
    pub service_name_es: String,
    pub service_name_en: String,
    pub description: String,
    pub neighbourhood: Option<String>,
    pub street: Option<String>,
    pub reference: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub channel: RequestChannel,
    pub centre_id: Option<i64>,
    pub centre: Option<String>,
    pub citizen_id: Option<i64>,
    pub status: RequestStatus,
    pub assignee: Option<String>,
    pub public_note: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub closed_at: Option<Timestamp>,
    /// Filled only by [`Storage::request`].
    pub changes: Vec<ChangeRecord>,
}

pub(crate) const REQUEST_SELECT: &str = "SELECT r.id, r.ticket, t.code AS service_code,
        t.name_es AS service_name_es, t.name_en AS service_name_en, r.description,
        r.neighbourhood, r.street, r.reference, r.lat, r.lon, r.channel, r.centre_id,
        c.name AS centre, r.citizen_id, r.status, u.name AS assignee, r.public_note,
        r.created_at, r.updated_at, r.closed_at
     FROM service_requests r
     JOIN service_types t ON t.id = r.service_type_id
     LEFT JOIN centres c ON c.id = r.centre_id
     LEFT JOIN users u ON u.id = r.assignee_id";

impl FromRow for RequestRecord {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get("id")?,
            ticket: row.get("ticket")?,
            service_code: row.get("service_code")?,
            service_name_es: row.get("service_name_es")?,
            service_name_en: row.get("service_name_en")?,
            description: row.get("description")?,
            neighbourhood: row.get("neighbourhood")?,
            street: row.get("street")?,
            reference: row.get("reference")?,
            lat: row.get("lat")?,
            lon: row.get("lon")?,
            channel: row.term("channel")?,
            centre_id: row.get("centre_id")?,
            centre: row.get("centre")?,
            citizen_id: row.get("citizen_id")?,
            status: row.term("status")?,
            assignee: row.get("assignee")?,
            public_note: row.get("public_note")?,
            created_at: row.time("created_at")?,
            updated_at: row.time("updated_at")?,
            closed_at: row.time_opt("closed_at")?,
            changes: Vec::new(),
        })
    }
}

pub(crate) fn request_by_id(connection: &Connection, id: i64) -> StorageResult<RequestRecord> {
    connection
        .prepare_cached(&format!("{REQUEST_SELECT} WHERE r.id = ?1"))?
        .query_row(params![id], RequestRecord::from_row)
        .optional()?
        .ok_or(StorageError::NotFound)
}

impl Storage {
    /// Files a request (kiosk, Open311 or a live-help conversation); an
    /// unknown service code is invalid, a ticket taken a conflict; audited.
    pub async fn file_request(&self, request: NewRequestRecord) -> StorageResult<RequestRecord> {
        self.write(move |connection| {
            let type_id: i64 = connection
                .prepare_cached("SELECT id FROM service_types WHERE code = ?1")?
                .query_row(params![request.service_code], |row| row.get("id"))
                .optional()?
                .ok_or_else(|| {
                    StorageError::Invalid(format!(
                        "there is no service type `{}`",
                        request.service_code
                    ))
                })?;
            let inserted = connection
                .prepare_cached(
                    "INSERT INTO service_requests (ticket, service_type_id, description,
                        neighbourhood, street, reference, lat, lon, attributes, channel,
                        centre_id, citizen_id, status, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'open', ?13, ?13)
                     ON CONFLICT (ticket) DO NOTHING",
                )?
                .execute(params![
                    request.ticket,
                    type_id,
                    request.description,
                    request.neighbourhood,
                    request.street,
                    request.reference,
                    request.lat,
                    request.lon,
                    Json(&request.attributes),
                    Term(request.channel),
                    request.centre_id,
                    request.citizen_id,
                    Millis(request.now),
                ])?;
            if inserted == 0 {
                return Err(StorageError::Conflict(
                    "that ticket code is taken".to_owned(),
                ));
            }
            let id = connection.last_insert_rowid();
            changes::record_change(
                connection,
                id,
                &ChangeRecord {
                    at: request.now,
                    actor: request.actor.clone(),
                    status: RequestStatus::Open,
                    assignee: None,
                    public_note: None,
                    internal_note: None,
                },
            )?;
            audit::record(
                connection,
                &AuditEntry {
                    at: request.now,
                    actor: request.actor,
                    action: "request.filed".to_owned(),
                    target: Some(request.ticket),
                    detail: Some(format!(
                        "{} via {}",
                        request.service_code,
                        request.channel.as_str()
                    )),
                },
            )?;
            request_by_id(connection, id)
        })
        .await
    }

    /// One request by its ticket code (any case), without its changes.
    pub async fn request_by_ticket(&self, ticket: String) -> StorageResult<RequestRecord> {
        self.read_ignoring_heartbeats(move |connection| {
            connection
                .prepare_cached(&format!("{REQUEST_SELECT} WHERE r.ticket = upper(?1)"))?
                .query_row(params![ticket], RequestRecord::from_row)
                .optional()?
                .ok_or(StorageError::NotFound)
        })
        .await
    }

    /// One request with its changes, oldest first.
    pub async fn request(&self, id: i64) -> StorageResult<RequestRecord> {
        self.read_ignoring_heartbeats(move |connection| {
            let mut record = request_by_id(connection, id)?;
            record.changes = changes::changes_of(connection, id)?;
            Ok(record)
        })
        .await
    }

    /// The requests filed by a citizen account, newest first.
    pub async fn citizen_requests(
        &self,
        citizen_id: i64,
        limit: u32,
    ) -> StorageResult<Vec<RequestRecord>> {
        self.read_ignoring_heartbeats(move |connection| {
            Ok(connection
                .prepare_cached(&format!(
                    "{REQUEST_SELECT} WHERE r.citizen_id = ?1 ORDER BY r.id DESC LIMIT ?2"
                ))?
                .query_map(params![citizen_id, limit], RequestRecord::from_row)?
                .collect::<Result<_, _>>()?)
        })
        .await
    }
}
