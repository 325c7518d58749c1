//! Requests to the municipality ("pedidos y reclamos"): service types and
//! requests, modelled on Open311 GeoReport v2. No personal field travels
//! here: the place is a neighbourhood, a street and a reference.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::wire_enum;

/// Longest description accepted, in characters.
pub const DESCRIPTION_MAX: usize = 4000;
/// Longest street or reference, in characters.
pub const PLACE_MAX: usize = 200;
/// Longest public or internal note, in characters.
pub const NOTE_MAX: usize = 2000;

wire_enum! {
    /// Where a request stands. Open311 publishes `open` and `in_process`
    /// as `open`, `closed` and `rejected` as `closed`.
    pub enum RequestStatus {
        Open = "open",
        InProcess = "in_process",
        Closed = "closed",
        Rejected = "rejected",
    }
}

impl RequestStatus {
    /// Whether a request may move from `self` to `next`:
    /// open → in_process → closed/rejected, or open → closed/rejected.
    pub fn may_become(self, next: RequestStatus) -> bool {
        matches!(
            (self, next),
            (
                RequestStatus::Open,
                RequestStatus::InProcess | RequestStatus::Closed | RequestStatus::Rejected
            ) | (
                RequestStatus::InProcess,
                RequestStatus::Closed | RequestStatus::Rejected
            )
        )
    }

    pub fn is_final(self) -> bool {
        matches!(self, RequestStatus::Closed | RequestStatus::Rejected)
    }
}

wire_enum! {
    /// How a request reached the municipality.
    pub enum RequestChannel {
        /// At a Plaza kiosk.
        Kiosk = "kiosk",
        /// Through the Open311 API.
        Open311 = "open311",
        /// Turned into a request from a live-help conversation.
        Chat = "chat",
    }
}

/// A service type, in the citizen's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceType {
    pub code: String,
    pub name: String,
    pub group: String,
    pub description: String,
    #[serde(default)]
    pub keywords: Vec<String>,
    /// The pictogram the kiosk shows.
    pub pictogram: String,
}

/// `GET /api/v1/requests/services` reply, grouped order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceTypes {
    pub services: Vec<ServiceType>,
}

/// `POST /api/v1/requests` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewRequest {
    pub service_code: String,
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub description: String,
    pub neighbourhood: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub street: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lon: Option<f64>,
}

/// A request as the citizen sees it (by ticket or under "my requests"):
/// no assignee, no internal notes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicRequest {
    /// The ticket code, to follow it at any kiosk.
    pub ticket: String,
    pub service_code: String,
    pub service_name: String,
    pub description: String,
    pub neighbourhood: Option<String>,
    #[serde(default)]
    pub street: Option<String>,
    #[serde(default)]
    pub reference: Option<String>,
    pub status: RequestStatus,
    /// The latest note staff wrote for the citizen.
    #[serde(default)]
    pub public_note: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: Timestamp,
}

/// `GET /api/v1/requests/mine` reply, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MyRequests {
    pub requests: Vec<PublicRequest>,
}

/// One change of a request, for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestChange {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
    pub actor: String,
    pub status: RequestStatus,
    #[serde(default)]
    pub assignee: Option<String>,
    #[serde(default)]
    pub public_note: Option<String>,
    #[serde(default)]
    pub internal_note: Option<String>,
}

/// A request as staff see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffRequest {
    pub id: i64,
    #[serde(flatten)]
    pub public: PublicRequest,
    pub channel: RequestChannel,
    /// The centre it was filed at, if filed at a kiosk.
    #[serde(default)]
    pub centre: Option<String>,
    #[serde(default)]
    pub assignee: Option<String>,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
    /// Oldest first; only in a single request's reply.
    #[serde(default)]
    pub changes: Vec<RequestChange>,
}

/// `GET /api/v1/requests` reply, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestQueue {
    pub items: Vec<StaffRequest>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// `POST /api/v1/requests/{id}/assign` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    /// A staff account's name (an admin or a supervisor).
    pub assignee: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub internal_note: Option<String>,
}

/// `POST /api/v1/requests/{id}/status` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    pub status: RequestStatus,
    /// Shown to the citizen at any kiosk, and as Open311 `status_notes`.
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub public_note: String,
    /// For staff only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub internal_note: Option<String>,
}

/// One row of a requests breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestGroup {
    /// A service code, neighbourhood or centre name (`none`: not given).
    pub key: String,
    pub requests: crate::reports::Cell,
}

/// `GET /api/v1/reports/requests`: requests filed in whole weeks (UTC),
/// small groups suppressed as in every other report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestsReport {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub from: jiff::civil::Date,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub to: jiff::civil::Date,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub requested_from: jiff::civil::Date,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub requested_to: jiff::civil::Date,
    pub k_anonymity: u32,
    pub total: crate::reports::Cell,
    pub by_type: Vec<RequestGroup>,
    pub by_neighbourhood: Vec<RequestGroup>,
    pub by_centre: Vec<RequestGroup>,
    /// Of those, how many are closed or rejected.
    pub closed: crate::reports::Cell,
    /// Median hours from filing to closing, one decimal; `null` when fewer
    /// than k were closed.
    #[serde(default)]
    pub median_hours_to_close: Option<f64>,
}
