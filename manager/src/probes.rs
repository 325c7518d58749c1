//! Probes for operators and their monitoring: liveness (`/healthz`, a name
//! monitoring tools expect), readiness (`/readyz`) and metrics (`/metrics`).
//! Elsewhere in the manager, as in the kiosk, "health" means a kiosk's
//! readings (CPU, memory, disk).

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::metrics::{KIOSK_SCAN_EVERY, READY_WRITE_EVERY, due};
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .routes(routes!(metrics))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Status {
    pub status: &'static str,
}

/// The process is alive.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, body = Status)))]
async fn healthz() -> Json<Status> {
    Json(Status { status: "ok" })
}

/// The database takes durable writes right now (proved by a write at most
/// once a second; calls in between answer from the last proof, unless a
/// write has failed since).
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses(
        (status = 200, body = Status),
        (status = 503, description = "The database cannot take writes", body = plaza_api::error::ErrorBody),
    ))]
async fn readyz(State(state): State<AppState>) -> ApiResult<Json<Status>> {
    let now = state.clock.now();
    // A write that just failed (disk full, read-only) voids the cached proof.
    let failing = state.storage.last_write_failed();
    if failing || due(&state.metrics.last_ready_write, now, READY_WRITE_EVERY) {
        state.metrics.ready_writes.inc();
        if let Err(error) = state.storage.check_writable(now).await {
            // A failure is not cached: the next call writes again.
            *state
                .metrics
                .last_ready_write
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
            return Err(ApiError::from(error));
        }
    }
    Ok(Json(Status { status: "ready" }))
}

/// Prometheus text exposition.
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain")))]
async fn metrics(State(state): State<AppState>) -> ApiResult<impl IntoResponse> {
    let now = state.clock.now();
    if due(&state.metrics.last_kiosk_scan, now, KIOSK_SCAN_EVERY) {
        state.metrics.kiosk_scans.inc();
        let counts = state
            .storage
            .kiosk_counts(now - state.settings.offline_after())
            .await?;
        state
            .metrics
            .kiosks_online
            .set(i64::try_from(counts.online).unwrap_or(i64::MAX));
        state
            .metrics
            .kiosks_enrolled
            .set(i64::try_from(counts.enrolled).unwrap_or(i64::MAX));
        crate::dashboard::export_alerts(&state).await?;
    }
    let text = state
        .metrics
        .render()
        .map_err(|error| ApiError::internal(format!("render metrics: {error}")))?;
    Ok(([(header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE)], text))
}
