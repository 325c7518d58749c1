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

/// What becomes of an erased account's posts, threads, announcements and
/// events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErasedPosts {
    /// They stay, signed "deleted account", with nothing that leads back
    /// to the account.
    Anonymise,
    /// They are removed (shown as "deleted", with no text).
    Remove,
}

/// `POST /api/v1/citizens/me/erasure` body: the citizen confirms with their
/// PIN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OwnErasure {
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{4,8}$"))]
    pub pin: String,
    pub posts: ErasedPosts,
}

/// `POST /api/v1/citizens/{alias}/erasure` body: staff erase an account on
/// the citizen's request, with the citizen's choice for their posts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StaffErasure {
    pub posts: ErasedPosts,
}

/// What an erasure did. The account, its logins, memberships, reports and
/// the centres it used are gone either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Erased {
    /// Posts (and announcements and events) kept, signed "deleted account".
    pub anonymised: u64,
    /// Posts (and announcements and events) removed.
    pub removed: u64,
}
