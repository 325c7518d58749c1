//! `GET /api/v1/catalogue?since_version=N`: how a kiosk keeps its offline copy.

use axum::extract::State;
use plaza_api::catalogue::CatalogueSync;
use plaza_api::error::ErrorBody;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query, STORED_COUNTER_MAX};
use crate::state::AppState;

pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(catalogue))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct SyncQuery {
    /// The version of the caller's copy; 0 or absent for a first copy.
    #[param(maximum = 9_223_372_036_854_775_807_u64)]
    since_version: Option<u64>,
}

/// What changed in the catalogues since `since_version` (records changed and
/// deletions), or the whole catalogue when the copy is empty or unknown.
#[utoipa::path(get, path = "/api/v1/catalogue", tag = "catalogue",
    params(SyncQuery),
    responses(
        (status = 200, body = CatalogueSync),
        (status = 422, description = "`since_version` out of range", body = ErrorBody),
    ))]
async fn catalogue(
    State(state): State<AppState>,
    Query(query): Query<SyncQuery>,
) -> ApiResult<Json<CatalogueSync>> {
    let since = query.since_version.unwrap_or(0);
    if since > STORED_COUNTER_MAX {
        return Err(ApiError::invalid(format!(
            "since_version is at most {STORED_COUNTER_MAX}"
        )));
    }
    let found = state.storage.catalogue_changes(since).await?;
    tracing::debug!(
        since,
        version = found.version,
        full = found.full,
        "catalogue sync"
    );
    Ok(Json(CatalogueSync {
        version: found.version,
        full: found.full,
        procedures: found.changes.procedures,
        tenders: found.changes.tenders,
        networks: found.changes.networks,
        deleted: found.changes.deleted,
    }))
}
