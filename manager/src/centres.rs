//! `/api/v1/centres`: access centres, and enrolment codes for their kiosks,
//! for staff tools (the fleet simulator, scripts) that cannot run the CLI
//! on the manager's machine.

use axum::extract::State;
use axum::http::StatusCode;
use jiff::SignedDuration;
use plaza_api::centres::{
    CentreHours, CentreInfo, CentreList, EnrolmentCode, NewCentreRequest, OpeningHoursRequest,
};
use plaza_api::error::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::access::{Duty, StaffAuth, Subject};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::kiosks::issue_enrolment_code;
use crate::reports::{OpeningHours, ReportRules};
use crate::state::AppState;
use crate::storage::StorageError;
use crate::storage::centres::{Centre, NewCentre};

const NAME_MAX: usize = 120;
const NEIGHBOURHOODS_MAX: usize = 200;
/// What a centre may give a session, and add with "more time" (seconds):
/// the bounds of the kiosk commands that change them.
const ALLOTMENT_S: std::ops::RangeInclusive<u32> = 60..=4 * 3600;
const EXTENSION_S: std::ops::RangeInclusive<u32> = 0..=4 * 3600;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(enrolment_code))
        .routes(routes!(hours, set_hours))
}

/// A centre's opening hours: its own, or the manager's default.
pub async fn opening_hours(state: &AppState, centre: &Centre) -> ApiResult<CentreHours> {
    let own = state.storage.centre_hours(centre.id).await?;
    let default = own.is_none();
    let hours = own.map_or_else(
        || ReportRules::of(&state.settings.dashboard).default_hours,
        |rows| OpeningHours::from_rows(&rows),
    );
    Ok(CentreHours {
        centre: centre.name.clone(),
        hours: hours.to_string(),
        default,
    })
}

/// Sets a centre's opening hours from their text, audited as `actor`.
pub async fn set_opening_hours(
    state: &AppState,
    centre: &Centre,
    text: &str,
    actor: &str,
) -> ApiResult<CentreHours> {
    let hours = OpeningHours::parse(text).map_err(|error| ApiError::invalid(error.to_string()))?;
    state
        .storage
        .set_centre_hours(
            centre.id,
            hours.rows(),
            hours.to_string(),
            actor.to_owned(),
            state.clock.now(),
        )
        .await?;
    tracing::info!(centre = %centre.name, hours = %hours, by = %actor, "opening hours set");
    opening_hours(state, centre).await
}

pub(crate) async fn centre_named(state: &AppState, name: String) -> ApiResult<Centre> {
    state
        .storage
        .centre_by_name(name)
        .await
        .map_err(|error| match error {
            StorageError::NotFound => ApiError::not_found("no such centre"),
            other => other.into(),
        })
}

/// A centre's opening hours (UTC), against which kiosk availability is
/// measured.
#[utoipa::path(get, path = "/api/v1/centres/{name}/hours", tag = "centres",
    params(("name" = String, Path, description = "The centre's name")),
    security(("staff_token" = [])),
    responses(
        (status = 200, body = CentreHours),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such centre", body = ErrorBody),
    ))]
async fn hours(
    State(state): State<AppState>,
    _staff: StaffAuth,
    Path(name): Path<String>,
) -> ApiResult<Json<CentreHours>> {
    let centre = centre_named(&state, name).await?;
    Ok(Json(opening_hours(&state, &centre).await?))
}

/// Set a centre's opening hours (admin, or a supervisor of the centre).
#[utoipa::path(put, path = "/api/v1/centres/{name}/hours", tag = "centres",
    params(("name" = String, Path, description = "The centre's name")),
    request_body = OpeningHoursRequest,
    security(("staff_token" = [])),
    responses(
        (status = 200, body = CentreHours),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such centre", body = ErrorBody),
        (status = 422, description = "Not opening hours", body = ErrorBody),
    ))]
async fn set_hours(
    State(state): State<AppState>,
    staff: StaffAuth,
    Path(name): Path<String>,
    Json(request): Json<OpeningHoursRequest>,
) -> ApiResult<Json<CentreHours>> {
    staff.require(Duty::OpeningHours)?;
    let centre = centre_named(&state, name).await?;
    staff
        .require_on(
            &state.storage,
            Duty::OpeningHours,
            Subject::Centre(centre.id),
        )
        .await?;
    Ok(Json(
        set_opening_hours(&state, &centre, &request.hours, &staff.name).await?,
    ))
}

fn info(centre: Centre) -> CentreInfo {
    CentreInfo {
        name: centre.name,
        neighbourhoods: centre.neighbourhoods,
        session_allotment_s: centre.session_allotment_s,
        session_extension_s: centre.session_extension_s,
    }
}

/// Counted as sent, as the document's `maxLength` is: a name padded with
/// spaces past the limit is refused, not trimmed into it.
fn valid_name(name: &str) -> bool {
    !name.trim().is_empty()
        && name.chars().count() <= NAME_MAX
        && !name.chars().any(char::is_control)
}

/// Every centre.
#[utoipa::path(get, path = "/api/v1/centres", tag = "centres",
    security(("staff_token" = [])),
    responses((status = 200, body = CentreList), (status = 401, body = ErrorBody)))]
async fn list(State(state): State<AppState>, _staff: StaffAuth) -> ApiResult<Json<CentreList>> {
    let centres = state.storage.centres().await?;
    Ok(Json(CentreList {
        centres: centres.into_iter().map(info).collect(),
    }))
}

/// Add a centre (admin).
#[utoipa::path(post, path = "/api/v1/centres", tag = "centres",
    request_body = NewCentreRequest,
    security(("staff_token" = [])),
    responses(
        (status = 201, body = CentreInfo),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, description = "A centre with that name exists", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
async fn create(
    State(state): State<AppState>,
    staff: StaffAuth,
    Json(request): Json<NewCentreRequest>,
) -> ApiResult<(StatusCode, Json<CentreInfo>)> {
    staff.require(Duty::Provisioning)?;
    if !valid_name(&request.name) {
        return Err(ApiError::invalid(format!(
            "a centre name is 1 to {NAME_MAX} printable characters"
        )));
    }
    if request.neighbourhoods.len() > NEIGHBOURHOODS_MAX
        || !request.neighbourhoods.iter().all(|name| valid_name(name))
    {
        return Err(ApiError::invalid(format!(
            "at most {NEIGHBOURHOODS_MAX} neighbourhoods, each 1 to {NAME_MAX} printable characters"
        )));
    }
    let out_of = |range: &std::ops::RangeInclusive<u32>, value: Option<u32>| {
        value.is_some_and(|seconds| !range.contains(&seconds))
    };
    if out_of(&ALLOTMENT_S, request.session_allotment_s)
        || out_of(&EXTENSION_S, request.session_extension_s)
    {
        return Err(ApiError::invalid(format!(
            "session_allotment_s is {} to {} seconds, session_extension_s {} to {}",
            ALLOTMENT_S.start(),
            ALLOTMENT_S.end(),
            EXTENSION_S.start(),
            EXTENSION_S.end()
        )));
    }
    let centre = state
        .storage
        .add_centre(
            NewCentre {
                name: request.name.trim().to_owned(),
                neighbourhoods: request
                    .neighbourhoods
                    .iter()
                    .map(|name| name.trim().to_owned())
                    .collect(),
                session_allotment_s: request.session_allotment_s,
                session_extension_s: request.session_extension_s,
            },
            state.clock.now(),
            &format!("token:{}", staff.name),
        )
        .await?;
    tracing::info!(centre = %centre.name, by = %staff.name, "centre added");
    Ok((StatusCode::CREATED, Json(info(centre))))
}

/// A one-time code that enrols one kiosk into the centre (admin).
#[utoipa::path(post, path = "/api/v1/centres/{name}/enrolment-codes", tag = "centres",
    params(("name" = String, Path, description = "The centre's name")),
    security(("staff_token" = [])),
    responses(
        (status = 201, body = EnrolmentCode),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such centre", body = ErrorBody),
    ))]
async fn enrolment_code(
    State(state): State<AppState>,
    staff: StaffAuth,
    Path(name): Path<String>,
) -> ApiResult<(StatusCode, Json<EnrolmentCode>)> {
    staff.require(Duty::Provisioning)?;
    let ttl = SignedDuration::from_hours(i64::from(state.settings.kiosks.enrolment_code_ttl_h));
    let (code, centre, expires_at) =
        issue_enrolment_code(&state.storage, &name, state.clock.now(), ttl).await?;
    tracing::info!(%centre, by = %staff.name, "enrolment code issued");
    Ok((
        StatusCode::CREATED,
        Json(EnrolmentCode {
            code,
            centre,
            expires_at,
        }),
    ))
}
