//! Citizen accounts: an alias and a PIN, nothing else.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// `POST /api/v1/citizens` (sign up) and `POST /api/v1/citizens/login` body.
///
/// The account is logged in only inside the kiosk session named here: the
/// token stops working when that session ends, for whatever reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    /// 3 to 24 characters: letters, digits, spaces, `.`, `_` or `-`.
    #[cfg_attr(feature = "openapi", schema(min_length = 3, max_length = 24))]
    pub alias: String,
    /// 4 to 8 digits.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{4,8}$"))]
    pub pin: String,
    /// The kiosk session the citizen is in.
    pub session_id: Uuid,
}

/// A logged-in citizen: send `token` as `X-Citizen-Token` with every call
/// made on their behalf, alongside the kiosk's bearer token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CitizenLogin {
    pub token: String,
    /// At the latest; the end of the kiosk session ends it sooner.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: Timestamp,
    pub citizen: CitizenProfile,
}

/// What a citizen sees of their own account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CitizenProfile {
    pub alias: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    /// Communities the citizen coordinates, by id.
    #[serde(default)]
    pub coordinates: Vec<i64>,
}

/// `PUT /api/v1/citizens/me/pin` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PinChange {
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{4,8}$"))]
    pub current_pin: String,
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{4,8}$"))]
    pub new_pin: String,
}

/// `POST /api/v1/citizens/{alias}/pin-reset` reply: a temporary PIN the
/// supervisor hands to the citizen, who can change it after logging in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PinReset {
    pub alias: String,
    pub temporary_pin: String,
}
