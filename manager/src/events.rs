//! `POST /api/v1/events`: batches of usage events from a kiosk's outbox.
//!
//! Each event is checked on its own: a batch with some invalid events stores
//! the valid ones and names each invalid one with a reason, so one bad event
//! never holds back the rest of an outbox.

use axum::extract::State;
use plaza_api::error::ErrorBody;
use plaza_api::events::{
    Event, EventBatch, EventBatchResponse, EventPayload, MAX_BATCH, RejectedEvent,
};
use plaza_api::session::EndReason;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::auth::KioskAuth;
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::state::AppState;
use crate::storage::events::ValidEvent;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(ingest))
}

/// The batch as received: events stay raw JSON until checked one by one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBatch {
    events: Vec<serde_json::Value>,
}

/// Deliver a batch of usage events; idempotent by event id.
#[utoipa::path(post, path = "/api/v1/events", tag = "events",
    request_body = EventBatch,
    security(("kiosk_token" = [])),
    responses(
        (status = 200, description = "Stored and rejected events", body = EventBatchResponse),
        (status = 401, body = ErrorBody),
        (status = 413, description = "More than 1000 events, or body too large", body = ErrorBody),
    ))]
async fn ingest(
    State(state): State<AppState>,
    auth: KioskAuth,
    Json(batch): Json<RawBatch>,
) -> ApiResult<Json<EventBatchResponse>> {
    if batch.events.len() > MAX_BATCH {
        return Err(ApiError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "batch_too_large",
            format!(
                "a batch holds at most {MAX_BATCH} events; this one has {}",
                batch.events.len()
            ),
        ));
    }
    let mut valid = Vec::with_capacity(batch.events.len());
    let mut rejected = Vec::new();
    for (index, value) in batch.events.into_iter().enumerate() {
        match check(value) {
            Ok(event) => valid.push(ValidEvent { index, event }),
            Err((id, reason)) => rejected.push(RejectedEvent { index, id, reason }),
        }
    }
    let outcome = state
        .storage
        .ingest_events(auth.kiosk_id(), valid, state.clock.now())
        .await?;
    rejected.extend(
        outcome
            .refused
            .into_iter()
            .map(|(index, id, reason)| RejectedEvent {
                index,
                id: Some(id),
                reason,
            }),
    );
    rejected.sort_by_key(|rejection| rejection.index);
    let metrics = &state.metrics;
    let accepted = outcome.accepted.len() as u64;
    metrics
        .events_ingested
        .inc_by(accepted.saturating_sub(u64::from(outcome.duplicates)));
    metrics
        .events_duplicate
        .inc_by(u64::from(outcome.duplicates));
    metrics.events_rejected.inc_by(rejected.len() as u64);
    if !rejected.is_empty() {
        tracing::warn!(kiosk_id = %auth.kiosk_id(), rejected = rejected.len(), "events rejected");
    }
    Ok(Json(EventBatchResponse {
        accepted: outcome.accepted,
        duplicates: outcome.duplicates,
        rejected,
    }))
}

/// Decodes and checks one event; on failure, its id (if readable) and why.
fn check(value: serde_json::Value) -> Result<Event, (Option<Uuid>, String)> {
    let id = value
        .get("id")
        .and_then(serde_json::Value::as_str)
        .and_then(|id| Uuid::parse_str(id).ok());
    let event: Event = serde_json::from_value(value).map_err(|error| (id, error.to_string()))?;
    if let EventPayload::SessionEnded(ended) = &event.payload
        && ended.reason == EndReason::Lost
    {
        return Err((
            id,
            "end reason `lost` is set by the manager only".to_owned(),
        ));
    }
    if let EventPayload::WebVisited(visit) = &event.payload
        && visit.seconds > WEB_VISIT_MAX_S
    {
        return Err((
            id,
            format!("a web visit lasts at most {WEB_VISIT_MAX_S} seconds (a session's longest)"),
        ));
    }
    if let Some(record_id) = catalogue_record_id(&event.payload)
        && !is_record_id(record_id)
    {
        return Err((
            id,
            format!("a catalogue record id is 1 to {RECORD_ID_MAX} letters, digits, `-` or `_`"),
        ));
    }
    Ok(event)
}

const RECORD_ID_MAX: usize = 100;
/// A session lasts at most a day.
const WEB_VISIT_MAX_S: u32 = 86_400;

fn catalogue_record_id(payload: &EventPayload) -> Option<&str> {
    match payload {
        EventPayload::ProcedureViewed(viewed) => Some(&viewed.procedure_id),
        EventPayload::TenderViewed(viewed) => Some(&viewed.tender_id),
        EventPayload::NetworkViewed(viewed) => Some(&viewed.network_id),
        _ => None,
    }
}

/// Record ids end up in reports and page links; anything beyond a slug or a
/// UUID is a forged event, not a kiosk's.
fn is_record_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= RECORD_ID_MAX
        && id
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_'))
}
