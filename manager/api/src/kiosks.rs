//! What supervisors see of kiosks and what they can ask of them.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::heartbeat::{CommandAction, Health};
use crate::session::{EndReason, Language, Section};
use crate::wire_enum;

wire_enum! {
    /// A kiosk's status as a supervisor reads it.
    pub enum KioskStatus {
        /// Online and free for a citizen.
        Free = "free",
        InSession = "in_session",
        Locked = "locked",
        /// No heartbeat for the configured number of intervals.
        Offline = "offline",
        /// Enrolled, but has never sent a heartbeat.
        NeverSeen = "never_seen",
    }
}

/// `GET /api/v1/kiosks` item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KioskSummary {
    pub id: Uuid,
    pub hostname: String,
    pub centre: String,
    pub status: KioskStatus,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub enrolled_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub last_heartbeat_at: Option<Timestamp>,
    /// Seconds since the last heartbeat.
    pub heartbeat_age_s: Option<u64>,
    pub app_version: Option<String>,
    pub health: Option<Health>,
    pub outbox_len: Option<u64>,
    pub last_error: Option<String>,
    /// Kiosk clock minus manager clock at the last heartbeat, in seconds.
    pub clock_skew_s: Option<i64>,
    pub session: Option<LiveSession>,
}

/// The session in progress on a kiosk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LiveSession {
    pub session_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub started_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub ends_at: Timestamp,
    pub time_left_s: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KioskList {
    pub kiosks: Vec<KioskSummary>,
}

/// `GET /api/v1/kiosks/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KioskDetail {
    pub kiosk: KioskSummary,
    /// The latest commands, newest first.
    pub commands: Vec<CommandStatus>,
    /// The latest sessions, newest first.
    pub recent_sessions: Vec<SessionSummary>,
}

/// A queued command and how far it got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommandStatus {
    pub id: Uuid,
    pub action: CommandAction,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub issued_at: Timestamp,
    /// Dropped if no heartbeat picked it up by then (session commands must
    /// not reach a later citizen's session).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub expires_at: Option<Timestamp>,
    /// First time a heartbeat reply carried it.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub delivered_at: Option<Timestamp>,
    /// When the kiosk confirmed it had carried it out.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub acked_at: Option<Timestamp>,
}

/// `POST /api/v1/kiosks/{id}/commands` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CommandRequest {
    pub action: CommandAction,
}

/// A citizen session as derived by the manager from events. It carries no
/// survey answers: those are for aggregates only (the reach reports), never
/// shown per session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionSummary {
    pub id: Uuid,
    pub kiosk_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub started_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub last_activity_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub ended_at: Option<Timestamp>,
    pub end_reason: Option<EndReason>,
    /// Seconds from start to end (or to the last activity while open).
    pub duration_s: u64,
    pub language: Option<Language>,
    pub sections: Vec<Section>,
}
