//! Access centres and the codes that enrol kiosks into them.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// `POST /api/v1/centres` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewCentreRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 120))]
    pub name: String,
    /// Offered, in this order, by the kiosk's survey.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 200))]
    pub neighbourhoods: Vec<String>,
    /// Session length for this centre; the manager's default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 60, maximum = 14400))]
    pub session_allotment_s: Option<u32>,
    /// What one "more time" adds; 0 disables extensions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(maximum = 14400))]
    pub session_extension_s: Option<u32>,
}

/// A centre as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CentreInfo {
    pub name: String,
    pub neighbourhoods: Vec<String>,
    pub session_allotment_s: Option<u32>,
    pub session_extension_s: Option<u32>,
}

/// `GET /api/v1/centres`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CentreList {
    pub centres: Vec<CentreInfo>,
}

/// A one-time code that enrols one kiosk into `centre`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrolmentCode {
    pub code: String,
    pub centre: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub expires_at: Timestamp,
}

/// `PUT /api/v1/centres/{name}/hours` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OpeningHoursRequest {
    /// UTC, like `Mon-Fri 09:00-14:00,16:00-20:00; Sat 10:00-14:00`; days
    /// not named are closed.
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub hours: String,
}

/// A centre's opening hours (kiosk availability is measured against them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CentreHours {
    pub centre: String,
    /// UTC, like `Mon-Fri 09:00-20:00; Sat 10:00-14:00`, or `closed`.
    pub hours: String,
    /// The manager's `dashboard.default_opening_hours`: never set for this centre.
    pub default: bool,
}
