//! `POST /api/v1/kiosks/enroll`: a one-time code for a kiosk id and token.

use axum::extract::State;
use axum::http::StatusCode;
use jiff::{SignedDuration, Timestamp};
use plaza_api::enrol::{EnrolRequest, EnrolResponse};
use plaza_api::error::ErrorBody;

use crate::auth::{
    KIOSK_TOKEN_PREFIX, hash_secret, new_enrolment_code, new_secret, normalise_enrolment_code,
};
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::limits::ClientAddr;
use crate::participation::error::Refusal;
use crate::state::AppState;
use crate::storage::Storage;
use crate::storage::kiosks::EnrolRefusal;

const HOSTNAME_MAX: usize = 253;

/// Exchange a one-time enrolment code for a kiosk id and its secret token.
#[utoipa::path(post, path = "/api/v1/kiosks/enroll", tag = "kiosks",
    request_body = EnrolRequest,
    responses(
        (status = 201, body = EnrolResponse),
        (status = 401, description = "Unknown, used or expired code", body = ErrorBody),
        (status = 422, description = "Malformed code or host name", body = ErrorBody),
        (status = 429, description = "Too many codes tried from this address or overall; see Retry-After", body = ErrorBody),
    ))]
pub(super) async fn enrol(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    Json(request): Json<EnrolRequest>,
) -> Result<(StatusCode, Json<EnrolResponse>), Refusal> {
    state.limits.enrolment_attempt(address)?;
    let response = match enrol_with_code(&state.storage, request, state.clock.now()).await {
        Ok(response) => response,
        Err(refused) if refused.status == StatusCode::UNAUTHORIZED => {
            state.limits.enrolment_refused(address)?;
            return Err(refused.into());
        }
        Err(other) => return Err(other.into()),
    };
    tracing::info!(kiosk_id = %response.kiosk_id, centre = %response.centre, "kiosk enrolled");
    Ok((StatusCode::CREATED, Json(response)))
}

/// Creates a one-time code for a centre; returns it (shown once) and the
/// centre's canonical name.
pub async fn issue_enrolment_code(
    storage: &Storage,
    centre: &str,
    now: Timestamp,
    ttl: SignedDuration,
) -> ApiResult<(String, String, Timestamp)> {
    let code = new_enrolment_code().map_err(|error| ApiError::internal(error.to_string()))?;
    let canonical = normalise_enrolment_code(&code)
        .ok_or_else(|| ApiError::internal("generated code does not normalise"))?;
    let expires_at = now + ttl;
    let centre = storage
        .add_enrolment_code(centre.to_owned(), hash_secret(&canonical), now, expires_at)
        .await
        .map_err(|error| match error {
            crate::storage::StorageError::NotFound => {
                ApiError::not_found(format!("no centre named `{centre}`"))
            }
            other => ApiError::from(other),
        })?;
    Ok((code, centre.name, expires_at))
}

/// Validates and exchanges a code; shared by the API and the demo launcher.
pub async fn enrol_with_code(
    storage: &Storage,
    request: EnrolRequest,
    now: Timestamp,
) -> ApiResult<EnrolResponse> {
    let code = normalise_enrolment_code(&request.code).ok_or_else(|| {
        ApiError::invalid("an enrolment code has 12 letters and digits, like K7QM-2XWD-9HRT")
    })?;
    let hostname = request.hostname.trim().to_owned();
    // Counted as sent, as the document's `maxLength` is.
    if hostname.is_empty()
        || request.hostname.chars().count() > HOSTNAME_MAX
        || hostname.chars().any(char::is_control)
    {
        return Err(ApiError::invalid(format!(
            "hostname must be 1 to {HOSTNAME_MAX} printable characters"
        )));
    }
    let token =
        new_secret(KIOSK_TOKEN_PREFIX).map_err(|error| ApiError::internal(error.to_string()))?;
    let outcome = storage
        .enrol_kiosk(hash_secret(&code), hostname, hash_secret(&token), now)
        .await?;
    match outcome {
        Ok(enrolled) => Ok(EnrolResponse {
            kiosk_id: enrolled.kiosk_id,
            token,
            centre: enrolled.centre,
        }),
        Err(EnrolRefusal::Unknown) => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "enrolment_code_unknown",
            "this enrolment code does not exist; check it or ask for a new one",
        )),
        Err(EnrolRefusal::AlreadyUsed) => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "enrolment_code_used",
            "this enrolment code was already used; each code enrols one kiosk",
        )),
        Err(EnrolRefusal::Expired) => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "enrolment_code_expired",
            "this enrolment code has expired; ask for a new one",
        )),
    }
}
