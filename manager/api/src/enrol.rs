//! Kiosk enrolment: a one-time code exchanged for a kiosk id and a secret token.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnrolRequest {
    /// The one-time code printed by `plaza-manager kiosk enroll`.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = r"^[- ]*([2-9A-HJKMNP-TV-Za-hjkmnp-tv-z][- ]*){12}$")
    )]
    pub code: String,
    /// The terminal's host name, shown to supervisors.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 253))]
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
