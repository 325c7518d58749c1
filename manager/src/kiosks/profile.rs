//! `GET /api/v1/kiosks/{id}/profile`: the centre and session rules a kiosk runs by.

use axum::extract::State;
use plaza_api::error::ErrorBody;
use plaza_api::profile::KioskProfile;
use uuid::Uuid;

use crate::auth::KioskAuth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::state::AppState;

/// The kiosk's centre, its neighbourhoods, the session rules and the
/// centre's web access.
#[utoipa::path(get, path = "/api/v1/kiosks/{id}/profile", tag = "kiosks",
    params(("id" = Uuid, Path, description = "The kiosk's id")),
    security(("kiosk_token" = [])),
    responses(
        (status = 200, body = KioskProfile),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "Token of another kiosk", body = ErrorBody),
    ))]
pub(super) async fn profile(
    State(state): State<AppState>,
    auth: KioskAuth,
    Path(kiosk_id): Path<Uuid>,
) -> ApiResult<Json<KioskProfile>> {
    if auth.kiosk_id() != kiosk_id {
        return Err(ApiError::forbidden("this token belongs to another kiosk"));
    }
    let kiosk = state.storage.kiosk(kiosk_id).await?;
    let centre = state.storage.centre_by_name(kiosk.centre.clone()).await?;
    let web = crate::web::centre_web(&state, &centre).await?.policy;
    let sessions = &state.settings.sessions;
    let extension_s = centre
        .session_extension_s
        .unwrap_or(sessions.default_extension_s);
    Ok(Json(KioskProfile {
        kiosk_id,
        centre: centre.name,
        neighbourhoods: centre.neighbourhoods,
        session_allotment_s: centre
            .session_allotment_s
            .unwrap_or(sessions.default_allotment_s),
        session_extension_s: extension_s,
        extensions_allowed: extension_s > 0,
        heartbeat_interval_s: state.settings.kiosks.heartbeat_interval_s,
        web,
    }))
}
