//! `POST /api/v1/kiosks/{id}/heartbeat`: status in, commands out.

use axum::extract::State;
use jiff::Timestamp;
use plaza_api::error::ErrorBody;
use plaza_api::heartbeat::{Command, HeartbeatRequest, HeartbeatResponse};
use uuid::Uuid;

use crate::auth::KioskAuth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path};
use crate::state::AppState;
use crate::storage::heartbeats::{HeartbeatRecord, SessionDefaults};
use crate::storage::kiosks::{HealthReadings, SessionUnderWay, StatusRecord};

const APP_VERSION_MAX: usize = 64;
/// Longer error texts are cut, not refused: a kiosk in trouble must still be heard.
const LAST_ERROR_MAX: usize = 500;
const ACKS_MAX: usize = 1000;

/// Report the kiosk's state and health; the reply carries pending commands.
#[utoipa::path(post, path = "/api/v1/kiosks/{id}/heartbeat", tag = "kiosks",
    params(("id" = Uuid, Path, description = "The kiosk's id")),
    request_body = HeartbeatRequest,
    security(("kiosk_token" = [])),
    responses(
        (status = 200, body = HeartbeatResponse),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "Token of another kiosk", body = ErrorBody),
        (status = 422, description = "Invalid heartbeat", body = ErrorBody),
    ))]
pub(super) async fn heartbeat(
    State(state): State<AppState>,
    auth: KioskAuth,
    Path(kiosk_id): Path<Uuid>,
    Json(mut request): Json<HeartbeatRequest>,
) -> ApiResult<Json<HeartbeatResponse>> {
    if auth.kiosk_id() != kiosk_id {
        return Err(ApiError::forbidden("this token belongs to another kiosk"));
    }
    sanitise(&mut request)?;
    let now = state.clock.now();
    let settings = &state.settings;
    let acked_commands = std::mem::take(&mut request.acked_commands);
    let outcome = state
        .storage
        .record_heartbeat(HeartbeatRecord {
            kiosk_id,
            status: status_of(request, now),
            acked_commands,
            health_sample_ms: i64::from(settings.kiosks.health_sample_s) * 1000,
            online_gap_ms: settings
                .offline_after()
                .as_millis()
                .try_into()
                .unwrap_or(i64::MAX),
            defaults: SessionDefaults {
                allotment_s: settings.sessions.default_allotment_s,
                extension_s: settings.sessions.default_extension_s,
            },
        })
        .await?;
    state.metrics.heartbeats.inc();
    Ok(Json(HeartbeatResponse {
        commands: outcome
            .commands
            .into_iter()
            .map(|command| Command {
                id: command.id,
                issued_at: command.issued_at,
                action: command.action,
            })
            .collect(),
        content_version: outcome.content_version,
        heartbeat_interval_s: settings.kiosks.heartbeat_interval_s,
        session_allotment_s: outcome.session_allotment_s,
        session_extension_s: outcome.session_extension_s,
        server_time: now,
    }))
}

/// What the heartbeat says of its kiosk, as storage keeps it.
fn status_of(request: HeartbeatRequest, received_at: Timestamp) -> StatusRecord {
    let health = request.health;
    StatusRecord {
        received_at,
        sent_at: request.sent_at,
        state: request.state,
        app_version: request.app_version,
        health: HealthReadings {
            uptime_s: health.uptime_s,
            cpu_percent: health.cpu_percent,
            memory_used_bytes: health.memory_used_bytes,
            memory_total_bytes: health.memory_total_bytes,
            disk_free_bytes: health.disk_free_bytes,
            disk_total_bytes: health.disk_total_bytes,
        },
        outbox_len: request.outbox_len,
        last_error: request.last_error,
        session: request.session.map(|session| SessionUnderWay {
            session_id: session.session_id,
            started_at: session.started_at,
            ends_at: session.ends_at,
        }),
        content_version: request.content_version,
    }
}

fn sanitise(request: &mut HeartbeatRequest) -> ApiResult<()> {
    if request.app_version.is_empty() || request.app_version.chars().count() > APP_VERSION_MAX {
        return Err(ApiError::invalid(format!(
            "app_version must be 1 to {APP_VERSION_MAX} characters"
        )));
    }
    // SQLite integers are signed 64-bit: larger values cannot be stored.
    let health = &request.health;
    let counters = [
        ("health.uptime_s", health.uptime_s),
        ("health.memory_used_bytes", health.memory_used_bytes),
        ("health.memory_total_bytes", health.memory_total_bytes),
        ("health.disk_free_bytes", health.disk_free_bytes),
        ("health.disk_total_bytes", health.disk_total_bytes),
        ("outbox_len", request.outbox_len),
        ("content_version", request.content_version.unwrap_or(0)),
    ];
    if let Some((name, _)) = counters
        .iter()
        .find(|(_, value)| i64::try_from(*value).is_err())
    {
        return Err(ApiError::invalid(format!("{name} is out of range")));
    }
    let cpu = request.health.cpu_percent;
    if !cpu.is_finite() || !(0.0..=100.0).contains(&cpu) {
        return Err(ApiError::invalid(
            "health.cpu_percent must be between 0 and 100",
        ));
    }
    if request.health.memory_used_bytes > request.health.memory_total_bytes
        || request.health.disk_free_bytes > request.health.disk_total_bytes
    {
        return Err(ApiError::invalid(
            "health: used or free bytes exceed the total",
        ));
    }
    if let Some(session) = &request.session
        && session.ends_at < session.started_at
    {
        return Err(ApiError::invalid(
            "session.ends_at is before session.started_at",
        ));
    }
    if request.acked_commands.len() > ACKS_MAX {
        return Err(ApiError::invalid(format!(
            "at most {ACKS_MAX} acknowledged commands per heartbeat"
        )));
    }
    if let Some(error) = &mut request.last_error
        && error.chars().count() > LAST_ERROR_MAX
    {
        *error = error.chars().take(LAST_ERROR_MAX).collect();
    }
    Ok(())
}
