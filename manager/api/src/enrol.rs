//! Kiosk enrolment: a one-time code exchanged for a kiosk id and a secret token.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnrolRequest {
    /// The one-time code printed by `plaza-manager kiosk enroll`.
    pub code: String,
    /// The terminal's host name, shown to supervisors.
    pub hostname: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrolResponse {
    pub kiosk_id: Uuid,
    /// Bearer token for every later call. Shown once; the manager keeps only a hash.
    pub token: String,
    /// Name of the access centre the kiosk belongs to.
    pub centre: String,
}
