//! A supervisor verifies a citizen as a resident after seeing their ID, and
//! may revoke it. The document number is turned into its HMAC at once and
//! goes nowhere else: not to storage, not to a log, not to the audit log.

use axum::extract::State;
use axum::http::StatusCode;
use plaza_api::error::ErrorBody;
use plaza_api::have_a_say::{Resident, ResidentVerification};

use super::document::document_hmac;
use super::present::resident;
use crate::access::{Duty, Subject};
use crate::auth::StaffAuth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::participation::text::alias_key;
use crate::state::AppState;
use crate::storage::StorageError;
use crate::storage::have_a_say::residents::NewResident;

/// Mark a citizen account as a verified resident of a neighbourhood.
///
/// Only an HMAC of the document number's digits is kept, to refuse a second
/// verified account for the same document. Audited with who and where.
#[utoipa::path(post, path = "/api/v1/participation/residents", tag = "have a say",
    request_body = ResidentVerification,
    security(("staff_token" = [])),
    responses(
        (status = 201, body = Resident),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not a supervisor of that centre", body = ErrorBody),
        (status = 404, description = "No such account or centre", body = ErrorBody),
        (status = 409, description = "Already verified, or the document is verified for another account", body = ErrorBody),
        (status = 422, description = "A document number without 6 to 12 digits, or an unknown neighbourhood", body = ErrorBody),
    ))]
pub(super) async fn verify(
    State(state): State<AppState>,
    staff: StaffAuth,
    Json(request): Json<ResidentVerification>,
) -> ApiResult<(StatusCode, Json<Resident>)> {
    let resident = verify_as(&state, &staff, request).await?;
    Ok((StatusCode::CREATED, Json(resident)))
}

/// Verifies as `staff` (the API and the dashboard's page).
pub async fn verify_as(
    state: &AppState,
    staff: &StaffAuth,
    request: ResidentVerification,
) -> ApiResult<Resident> {
    staff.require(Duty::Participation)?;
    let centre = state
        .storage
        .centre_by_name(request.centre.clone())
        .await
        .map_err(|error| match error {
            StorageError::NotFound => ApiError::not_found("no centre with that name"),
            other => other.into(),
        })?;
    staff
        .require_on(
            &state.storage,
            Duty::Participation,
            Subject::Centre(centre.id),
        )
        .await?;
    let document_hmac = document_hmac(&state.settings.data_dir, &request.document_number).await?;
    let record = state
        .storage
        .verify_resident(NewResident {
            alias_key: alias_key(&request.alias),
            document_hmac,
            neighbourhood: request.neighbourhood,
            centre: centre.name,
            actor: staff.name.clone(),
            now: state.clock.now(),
        })
        .await
        .map_err(|error| match error {
            StorageError::NotFound => ApiError::not_found("no account with that alias"),
            StorageError::Conflict(message) => {
                ApiError::new(StatusCode::CONFLICT, "already_verified", message)
            }
            other => other.into(),
        })?;
    tracing::info!(
        citizen_id = record.citizen_id,
        centre_id = record.centre_id,
        "resident verified"
    );
    Ok(resident(record))
}

/// Verified residents, newest first: those verified at your centres.
#[utoipa::path(get, path = "/api/v1/participation/residents", tag = "have a say",
    security(("staff_token" = [])),
    responses(
        (status = 200, body = Vec<Resident>),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
    ))]
pub(super) async fn list(
    State(state): State<AppState>,
    staff: StaffAuth,
) -> ApiResult<Json<Vec<Resident>>> {
    staff.require(Duty::Participation)?;
    let records = state.storage.residents(staff.centres(), 500).await?;
    Ok(Json(records.into_iter().map(resident).collect()))
}

/// Revoke a verification (staff of the centre where it was made); audited.
#[utoipa::path(delete, path = "/api/v1/participation/residents/{alias}", tag = "have a say",
    params(("alias" = String, Path, description = "The account's alias, any case")),
    security(("staff_token" = [])),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Verified at a centre you do not supervise", body = ErrorBody),
        (status = 404, description = "No verified resident with that alias", body = ErrorBody),
    ))]
pub(crate) async fn revoke(
    State(state): State<AppState>,
    staff: StaffAuth,
    Path(alias): Path<String>,
) -> ApiResult<StatusCode> {
    let key = alias_key(&alias);
    staff
        .require_on(&state.storage, Duty::Participation, Subject::Resident(&key))
        .await?;
    state
        .storage
        .revoke_resident(key, staff.name.clone(), state.clock.now())
        .await
        .map_err(|error| match error {
            StorageError::NotFound => ApiError::not_found("no verified resident with that alias"),
            other => other.into(),
        })?;
    Ok(StatusCode::NO_CONTENT)
}
