//! Live help ("Ayuda en vivo"): a chat between a kiosk session and the
//! staff of its centre. The kiosk opens a conversation, sends messages and
//! waits for the staff's with a long poll
//! (`GET .../messages?after=N&wait_s=S`); staff answer from the dashboard.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Longest message, in characters.
pub const MESSAGE_MAX_CHARS: usize = 1000;
/// Longest wait of one long poll, in seconds.
pub const WAIT_MAX_S: u32 = 25;

/// `GET /api/v1/help/availability`: whether anyone can answer now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HelpAvailability {
    /// A member of staff of the kiosk's centre has the help page open and
    /// has not marked themselves away.
    pub available: bool,
    /// The kiosk's centre.
    pub centre: String,
    /// The centre's opening hours (UTC), as text: `Mon-Fri 09:00-20:00`.
    pub hours: String,
}

/// `POST /api/v1/help/conversations` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OpenConversationRequest {
    /// The citizen's first message.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1000))]
    pub text: String,
}

/// `POST /api/v1/help/conversations/{id}/messages` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SendMessageRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1000))]
    pub text: String,
}

crate::wire_enum! {
    /// Who wrote a message.
    pub enum MessageAuthor {
        /// The citizen at the kiosk.
        Citizen = "citizen",
        /// A member of the centre's staff (never named to the kiosk).
        Staff = "staff",
    }
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HelpMessage {
    /// Increasing within the manager: ask for messages `after` the last seen.
    pub id: i64,
    pub author: MessageAuthor,
    pub text: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
}

/// A conversation as the kiosk sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conversation {
    pub id: Uuid,
    /// Messages after the one asked for (all of them when opened).
    pub messages: Vec<HelpMessage>,
    /// Ended by staff or by the kiosk: nothing more can be sent.
    pub ended: bool,
}
