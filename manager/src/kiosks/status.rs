//! What supervisors see of kiosks, and the commands they send them.

use axum::extract::State;
use axum::http::StatusCode;
use jiff::{SignedDuration, Timestamp};
use plaza_api::error::ErrorBody;
use plaza_api::heartbeat::{CommandAction, Health, KioskState};
use plaza_api::kiosks::{
    CommandRequest, CommandStatus, KioskDetail, KioskList, KioskStatus, KioskSummary, LiveSession,
};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::access::{Duty, StaffAuth, Subject};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::state::AppState;
use crate::storage::StorageResult;
use crate::storage::commands::{CommandRecord, NewCommand};
use crate::storage::kiosks::KioskRecord;

const RECENT_LIMIT: u32 = 20;
const MESSAGE_MAX: usize = 500;
/// Bounds of "extend" and "set allotment", in seconds.
const SECONDS_RANGE: std::ops::RangeInclusive<u32> = 60..=4 * 3600;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct ListQuery {
    /// Only this centre's kiosks.
    centre: Option<String>,
}

/// Every kiosk with its live status.
#[utoipa::path(get, path = "/api/v1/kiosks", tag = "kiosks",
    params(ListQuery),
    security(("staff_token" = [])),
    responses(
        (status = 200, body = KioskList),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, description = "Unknown centre", body = ErrorBody),
    ))]
pub(super) async fn list(
    State(state): State<AppState>,
    staff: StaffAuth,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<KioskList>> {
    staff.require(Duty::Floor)?;
    let centre_id = match query.centre {
        Some(name) => Some(
            state
                .storage
                .centre_by_name(name.clone())
                .await
                .map_err(|_| ApiError::not_found(format!("no centre named `{name}`")))?
                .id,
        ),
        None => None,
    };
    let kiosks = visible_kiosks(&state, &staff, centre_id).await?;
    Ok(Json(KioskList { kiosks }))
}

/// The kiosks `staff` sees (of one centre, or all), with their status at
/// the state's "now": the API's list and the dashboard's floor.
pub async fn visible_kiosks(
    state: &AppState,
    staff: &StaffAuth,
    centre_id: Option<i64>,
) -> StorageResult<Vec<KioskSummary>> {
    let now = state.clock.now();
    let offline_after = state.settings.offline_after();
    Ok(state
        .storage
        .kiosks(centre_id)
        .await?
        .into_iter()
        .filter(|kiosk| staff.sees_kiosk(kiosk))
        .map(|kiosk| summarise(kiosk, now, offline_after))
        .collect())
}

/// One kiosk: live status, latest commands and sessions.
#[utoipa::path(get, path = "/api/v1/kiosks/{id}", tag = "kiosks",
    params(("id" = Uuid, Path, description = "The kiosk's id")),
    security(("staff_token" = [])),
    responses(
        (status = 200, body = KioskDetail),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub(super) async fn detail(
    State(state): State<AppState>,
    staff: StaffAuth,
    Path(kiosk_id): Path<Uuid>,
) -> ApiResult<Json<KioskDetail>> {
    staff
        .require_on(&state.storage, Duty::Floor, Subject::Kiosk(kiosk_id))
        .await?;
    let record = state.storage.kiosk(kiosk_id).await?;
    let commands = state
        .storage
        .commands_for(kiosk_id, RECENT_LIMIT)
        .await?
        .into_iter()
        .map(command_status)
        .collect();
    let recent_sessions = state
        .storage
        .sessions_for_kiosk(kiosk_id, RECENT_LIMIT)
        .await?;
    Ok(Json(KioskDetail {
        kiosk: summarise(record, state.clock.now(), state.settings.offline_after()),
        commands,
        recent_sessions,
    }))
}

/// Queue a remote command; the kiosk receives it with its next heartbeat.
#[utoipa::path(post, path = "/api/v1/kiosks/{id}/commands", tag = "kiosks",
    params(("id" = Uuid, Path, description = "The kiosk's id")),
    request_body = CommandRequest,
    security(("staff_token" = [])),
    responses(
        (status = 201, body = CommandStatus),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub(super) async fn queue_command(
    State(state): State<AppState>,
    staff: StaffAuth,
    Path(kiosk_id): Path<Uuid>,
    Json(request): Json<CommandRequest>,
) -> ApiResult<(StatusCode, Json<CommandStatus>)> {
    staff.require(Duty::Floor)?;
    validate_action(&request.action)?;
    staff
        .require_on(&state.storage, Duty::Floor, Subject::Kiosk(kiosk_id))
        .await?;
    let now = state.clock.now();
    let ttl = SignedDuration::from_secs(i64::from(state.settings.kiosks.command_ttl_s));
    let command = state
        .storage
        .queue_command(NewCommand {
            kiosk_id,
            expires_at: acts_on_session(&request.action).then(|| now + ttl),
            action: request.action,
            issued_by: format!("token:{}", staff.name),
            issued_at: now,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(command_status(command))))
}

/// A stored command as the API shows it.
fn command_status(command: CommandRecord) -> CommandStatus {
    CommandStatus {
        id: command.id,
        action: command.action,
        issued_at: command.issued_at,
        expires_at: command.expires_at,
        delivered_at: command.delivered_at,
        acked_at: command.acked_at,
    }
}

pub fn validate_action(action: &CommandAction) -> ApiResult<()> {
    match action {
        CommandAction::ShowMessage { text } => {
            let length = text.trim().chars().count();
            if length == 0 || length > MESSAGE_MAX {
                return Err(ApiError::invalid(format!(
                    "a message has 1 to {MESSAGE_MAX} characters"
                )));
            }
        }
        CommandAction::Lock {
            reason: Some(reason),
        } if reason.chars().count() > MESSAGE_MAX => {
            return Err(ApiError::invalid(format!(
                "a lock reason has at most {MESSAGE_MAX} characters"
            )));
        }
        CommandAction::ExtendSession { seconds } | CommandAction::SetAllotment { seconds }
            if !SECONDS_RANGE.contains(seconds) =>
        {
            return Err(ApiError::invalid(format!(
                "seconds must be between {} and {}",
                SECONDS_RANGE.start(),
                SECONDS_RANGE.end()
            )));
        }
        CommandAction::Unsupported => {
            return Err(ApiError::invalid("unknown command kind"));
        }
        _ => {}
    }
    Ok(())
}

/// Commands about the current session expire if not delivered promptly, so
/// they never reach the next citizen's session.
pub fn acts_on_session(action: &CommandAction) -> bool {
    matches!(
        action,
        CommandAction::ShowMessage { .. }
            | CommandAction::EndSession
            | CommandAction::ExtendSession { .. }
    )
}

/// The supervisor's view of a stored kiosk at `now`.
pub fn summarise(
    record: KioskRecord,
    now: Timestamp,
    offline_after: SignedDuration,
) -> KioskSummary {
    let status_record = record.status.as_ref();
    let age = status_record.map(|status| now.duration_since(status.received_at));
    let status = match (status_record, age) {
        (None, _) | (_, None) => KioskStatus::NeverSeen,
        (Some(_), Some(age)) if age > offline_after => KioskStatus::Offline,
        (Some(status), Some(_)) => match status.state {
            KioskState::Idle => KioskStatus::Free,
            KioskState::InSession => KioskStatus::InSession,
            KioskState::Locked => KioskStatus::Locked,
        },
    };
    // The kiosk reports its session on its own clock; the supervisor needs
    // it on the manager's.
    let skew = status_record.map(|status| status.sent_at.duration_since(status.received_at));
    let session = status_record
        .and_then(|status| status.session.as_ref())
        .filter(|_| status == KioskStatus::InSession)
        .map(|session| {
            let skew = skew.unwrap_or_default();
            let started_at = session
                .started_at
                .checked_sub(skew)
                .unwrap_or(session.started_at);
            let ends_at = session.ends_at.checked_sub(skew).unwrap_or(session.ends_at);
            LiveSession {
                session_id: session.session_id,
                started_at,
                ends_at,
                time_left_s: seconds(ends_at.duration_since(now)),
            }
        });
    KioskSummary {
        id: record.id,
        hostname: record.hostname,
        centre: record.centre,
        status,
        enrolled_at: record.enrolled_at,
        last_heartbeat_at: status_record.map(|status| status.received_at),
        heartbeat_age_s: age.map(seconds),
        app_version: status_record.map(|status| status.app_version.clone()),
        health: status_record.map(|status| {
            let health = &status.health;
            Health {
                uptime_s: health.uptime_s,
                cpu_percent: health.cpu_percent,
                memory_used_bytes: health.memory_used_bytes,
                memory_total_bytes: health.memory_total_bytes,
                disk_free_bytes: health.disk_free_bytes,
                disk_total_bytes: health.disk_total_bytes,
            }
        }),
        outbox_len: status_record.map(|status| status.outbox_len),
        last_error: status_record.and_then(|status| status.last_error.clone()),
        clock_skew_s: skew.map(|skew| skew.as_secs()),
        session,
    }
}

/// Whole seconds of a duration, negative ones as zero.
fn seconds(duration: SignedDuration) -> u64 {
    u64::try_from(duration.as_secs()).unwrap_or(0)
}
