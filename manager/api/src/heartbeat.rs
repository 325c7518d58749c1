//! The kiosk's periodic report, and the manager's reply carrying commands.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::wire_enum;

wire_enum! {
    /// What the terminal is doing right now.
    pub enum KioskState {
        /// Showing the attract screen, free for the next citizen.
        Idle = "idle",
        InSession = "in_session",
        /// Locked for maintenance by a supervisor.
        Locked = "locked",
    }
}

/// Health readings of the terminal at the time of the heartbeat.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Health {
    /// Seconds since the kiosk program started.
    #[cfg_attr(feature = "openapi", schema(maximum = 9_223_372_036_854_775_807_u64))]
    pub uptime_s: u64,
    /// Share of all CPU cores busy, 0 to 100.
    #[cfg_attr(feature = "openapi", schema(minimum = 0.0, maximum = 100.0))]
    pub cpu_percent: f32,
    #[cfg_attr(feature = "openapi", schema(maximum = 9_223_372_036_854_775_807_u64))]
    pub memory_used_bytes: u64,
    #[cfg_attr(feature = "openapi", schema(maximum = 9_223_372_036_854_775_807_u64))]
    pub memory_total_bytes: u64,
    #[cfg_attr(feature = "openapi", schema(maximum = 9_223_372_036_854_775_807_u64))]
    pub disk_free_bytes: u64,
    #[cfg_attr(feature = "openapi", schema(maximum = 9_223_372_036_854_775_807_u64))]
    pub disk_total_bytes: u64,
}

/// The session running on the kiosk, as the kiosk sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SessionProgress {
    pub session_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub started_at: Timestamp,
    /// When the allotment runs out, extensions included.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub ends_at: Timestamp,
}

/// `POST /api/v1/kiosks/{id}/heartbeat` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HeartbeatRequest {
    /// The kiosk's clock when it sent this; the manager derives the clock skew.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub sent_at: Timestamp,
    pub state: KioskState,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 64))]
    pub app_version: String,
    pub health: Health,
    /// Events waiting in the kiosk's outbox.
    #[cfg_attr(feature = "openapi", schema(maximum = 9_223_372_036_854_775_807_u64))]
    pub outbox_len: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<SessionProgress>,
    /// Commands the kiosk has carried out since its last heartbeat.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 1000))]
    pub acked_commands: Vec<Uuid>,
    /// Catalogue version the kiosk holds, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(maximum = 9_223_372_036_854_775_807_u64))]
    pub content_version: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeartbeatResponse {
    /// Commands not yet acknowledged, oldest first. The kiosk carries each id
    /// out once and acknowledges it in its next heartbeat.
    pub commands: Vec<Command>,
    /// Current catalogue version; refresh the local copy when it differs.
    pub content_version: u64,
    pub heartbeat_interval_s: u32,
    /// Time given to each new session at this kiosk's centre.
    pub session_allotment_s: u32,
    /// Time added by "more time"; 0 when the centre allows no extensions.
    pub session_extension_s: u32,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub server_time: Timestamp,
}

/// A remote action queued for one kiosk by a supervisor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Command {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub issued_at: Timestamp,
    pub action: CommandAction,
}

/// What a command asks the kiosk to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CommandAction {
    /// Show a message from the supervisor on screen.
    ShowMessage {
        #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
        text: String,
    },
    /// Lock the terminal for maintenance, ending any session.
    Lock {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(feature = "openapi", schema(max_length = 500))]
        reason: Option<String>,
    },
    Unlock,
    EndSession,
    ExtendSession {
        #[cfg_attr(feature = "openapi", schema(minimum = 60, maximum = 14400))]
        seconds: u32,
    },
    /// Change the allotment for sessions that start from now on.
    SetAllotment {
        #[cfg_attr(feature = "openapi", schema(minimum = 60, maximum = 14400))]
        seconds: u32,
    },
    /// Fetch the catalogue again even if the version did not change.
    RefreshContent,
    /// A command from a newer manager that this kiosk does not know; it is
    /// acknowledged and ignored.
    #[serde(other)]
    Unsupported,
}

impl CommandAction {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::ShowMessage { .. } => "show_message",
            Self::Lock { .. } => "lock",
            Self::Unlock => "unlock",
            Self::EndSession => "end_session",
            Self::ExtendSession { .. } => "extend_session",
            Self::SetAllotment { .. } => "set_allotment",
            Self::RefreshContent => "refresh_content",
            Self::Unsupported => "unsupported",
        }
    }
}
