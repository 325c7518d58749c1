//! The right to erasure (Ley 25.326 art. 16, GDPR art. 17): a citizen
//! erases their account at a kiosk with their PIN, or staff do it on their
//! request. Either way the citizen chooses what becomes of what they wrote.

use axum::extract::State;
use plaza_api::error::ErrorBody;
use plaza_api::participation::accounts::{Erased, ErasedPosts, OwnErasure, StaffErasure};

use super::accounts::check_own_pin;
use super::auth::CitizenAuth;
use super::error::ParticipationResult;
use super::text::alias_key;
use crate::access::{Duty, Subject};
use crate::auth::StaffAuth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::state::AppState;
use crate::storage::StorageError;
use crate::storage::erasure::ErasedBy;

/// Erase one's own account, confirmed with the PIN. The login ends with it.
#[utoipa::path(post, path = "/api/v1/citizens/me/erasure", tag = "participation",
    request_body = OwnErasure,
    security(("kiosk_token" = [], "citizen_token" = [])),
    responses(
        (status = 200, description = "Erased: the account, its logins, memberships and reports are gone", body = Erased),
        (status = 401, body = ErrorBody),
        (status = 403, description = "The PIN is wrong", body = ErrorBody),
        (status = 404, description = "The account is gone", body = ErrorBody),
        (status = 422, body = ErrorBody),
        (status = 429, description = "Locked after too many wrong PINs, or too many PIN attempts at this kiosk; see Retry-After", body = ErrorBody),
    ))]
pub(super) async fn erase_own(
    State(state): State<AppState>,
    citizen: CitizenAuth,
    Json(request): Json<OwnErasure>,
) -> ParticipationResult<Json<Erased>> {
    check_own_pin(&state, &citizen, request.pin).await?;
    let by = ErasedBy::Citizen {
        centre_id: citizen.kiosk.0.centre_id,
    };
    let erased = erase(&state, &citizen.citizen.alias, request.posts, by).await?;
    Ok(Json(erased))
}

/// Erase a citizen's account on their request (supervisors of a centre
/// where the account logged in, and admins). Audited.
#[utoipa::path(post, path = "/api/v1/citizens/{alias}/erasure", tag = "participation",
    params(("alias" = String, Path, description = "The account's alias, any case")),
    request_body = StaffErasure,
    security(("staff_token" = [])),
    responses(
        (status = 200, description = "Erased", body = Erased),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not a supervisor, or the citizen never logged in at a centre you supervise", body = ErrorBody),
        (status = 404, description = "No account with that alias", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub(super) async fn erase_on_request(
    State(state): State<AppState>,
    staff: StaffAuth,
    Path(alias): Path<String>,
    Json(request): Json<StaffErasure>,
) -> ApiResult<Json<Erased>> {
    staff
        .require_on(
            &state.storage,
            Duty::Participation,
            Subject::Citizen(&alias_key(&alias)),
        )
        .await?;
    let by = ErasedBy::Staff(staff.name.clone());
    Ok(Json(erase(&state, &alias, request.posts, by).await?))
}

async fn erase(
    state: &AppState,
    alias: &str,
    posts: ErasedPosts,
    by: ErasedBy,
) -> ApiResult<Erased> {
    let erased = state
        .storage
        .erase_citizen(alias_key(alias), posts, by, state.clock.now())
        .await
        .map_err(|error| match error {
            StorageError::NotFound => ApiError::not_found("no account with that alias"),
            other => other.into(),
        })?;
    // No alias in the log either: the account is gone.
    tracing::info!(
        anonymised = erased.anonymised,
        removed = erased.removed,
        "citizen account erased"
    );
    Ok(erased)
}
