//! What a kiosk needs to know about its centre before a citizen starts.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `GET /api/v1/kiosks/{id}/profile`: the centre's name, the neighbourhoods the
/// survey offers, and the session rules, fetched at start and after enrolment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KioskProfile {
    pub kiosk_id: Uuid,
    pub centre: String,
    /// In the order the operator gave them.
    pub neighbourhoods: Vec<String>,
    /// Time given to each new session.
    pub session_allotment_s: u32,
    /// Time added by "more time"; 0 when the centre allows no extensions.
    pub session_extension_s: u32,
    /// Whether the citizen is offered "more time" at the warnings.
    pub extensions_allowed: bool,
    pub heartbeat_interval_s: u32,
    /// The centre's web access; open with nothing recommended from a
    /// manager that predates it.
    #[serde(default)]
    pub web: crate::web::WebPolicy,
}
