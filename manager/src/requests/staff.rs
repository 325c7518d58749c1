//! Staff's side: the queue with its filters, one request with its history,
//! assigning, and status changes with a public and an internal note. A
//! supervisor reaches the requests filed at their centres and those
//! assigned to them (`access::Subject::Request`).

use axum::extract::State;
use jiff::SignedDuration;
use plaza_api::error::ErrorBody;
use plaza_api::participation::limits;
use plaza_api::requests::{
    Assignment, NOTE_MAX, RequestQueue, RequestStatus, StaffRequest, StatusChange,
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::staff_view;
use crate::access::{CentreScope, Duty, Subject};
use crate::auth::StaffAuth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query, bounded};
use crate::participation::text::plain_text;
use crate::state::AppState;
use crate::storage::requests::{RequestFilter, RequestScope, Transition};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct QueueQuery {
    /// Only this service type.
    pub service_code: Option<String>,
    /// Only this status.
    pub status: Option<RequestStatus>,
    /// Only this neighbourhood.
    pub neighbourhood: Option<String>,
    /// Only requests filed at least this many days ago.
    #[param(minimum = 0, maximum = 3650)]
    pub older_than_days: Option<u32>,
    /// From a previous page's `next_cursor`.
    #[param(pattern = r"^[+-]?[0-9]{1,18}$")]
    pub cursor: Option<String>,
    /// Items per page (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// The storage filter of a queue page for `staff`.
pub fn queue_filter(
    state: &AppState,
    staff: &StaffAuth,
    query: &QueueQuery,
) -> ApiResult<RequestFilter> {
    let limit = bounded(
        "limit",
        query.limit,
        limits::PAGE_DEFAULT,
        1..=limits::PAGE_MAX,
    )?;
    let after = match query.cursor.as_deref() {
        Some(cursor) => cursor
            .parse()
            .map_err(|_| ApiError::bad_request("that cursor is not one this server gave out"))?,
        None => 0,
    };
    let older_than = bounded("older_than_days", query.older_than_days, 0, 0..=3650)?;
    Ok(RequestFilter {
        after,
        limit,
        service_codes: query.service_code.clone().map(|code| vec![code]),
        statuses: query.status.map(|status| vec![status]),
        neighbourhood: query.neighbourhood.clone().filter(|name| !name.is_empty()),
        before: (older_than > 0)
            .then(|| state.clock.now() - SignedDuration::from_hours(24 * i64::from(older_than))),
        scope: match &staff.scope {
            CentreScope::All => None,
            CentreScope::Only(centres) => Some(RequestScope {
                centres: centres.clone(),
                assignee: staff.name.clone(),
            }),
        },
        ..RequestFilter::default()
    })
}

/// The queue, oldest first: a supervisor's account sees the requests filed
/// at their centres and those assigned to them.
#[utoipa::path(get, path = "/api/v1/requests", tag = "requests",
    params(QueueQuery),
    security(("staff_token" = [])),
    responses(
        (status = 200, body = RequestQueue),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, description = "`limit` out of range", body = ErrorBody),
    ))]
pub(super) async fn queue(
    State(state): State<AppState>,
    staff: StaffAuth,
    Query(query): Query<QueueQuery>,
) -> ApiResult<Json<RequestQueue>> {
    staff.require(Duty::Requests)?;
    let mut filter = queue_filter(&state, &staff, &query)?;
    let limit = filter.limit as usize;
    filter.limit += 1;
    let mut records = state.storage.request_list(filter).await?;
    let next_cursor = (records.len() > limit).then(|| {
        records.truncate(limit);
        records.last().map(|last| last.id.to_string())
    });
    Ok(Json(RequestQueue {
        items: records.into_iter().map(staff_view).collect(),
        next_cursor: next_cursor.flatten(),
    }))
}

/// One request, with its history (internal notes included).
#[utoipa::path(get, path = "/api/v1/requests/{id}", tag = "requests",
    params(("id" = i64, Path, description = "Request id")),
    security(("staff_token" = [])),
    responses(
        (status = 200, body = StaffRequest),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub(super) async fn detail(
    State(state): State<AppState>,
    staff: StaffAuth,
    Path(id): Path<i64>,
) -> ApiResult<Json<StaffRequest>> {
    staff
        .require_on(&state.storage, Duty::Requests, Subject::Request(id))
        .await?;
    Ok(Json(staff_view(state.storage.request(id).await?)))
}

fn note(text: Option<&str>, what: &str) -> ApiResult<Option<String>> {
    text.filter(|text| !text.trim().is_empty())
        .map(|text| plain_text(text, what, 1, NOTE_MAX))
        .transpose()
        .map_err(|error| ApiError::invalid(error.to_string()))
}

/// Assign a request to a staff account (an admin or a supervisor); audited.
#[utoipa::path(post, path = "/api/v1/requests/{id}/assign", tag = "requests",
    params(("id" = i64, Path, description = "Request id")),
    request_body = Assignment,
    security(("staff_token" = [])),
    responses(
        (status = 200, body = StaffRequest),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody),
        (status = 415, body = ErrorBody),
        (status = 422, description = "No such admin or supervisor", body = ErrorBody),
    ))]
pub(super) async fn assign(
    State(state): State<AppState>,
    staff: StaffAuth,
    Path(id): Path<i64>,
    Json(assignment): Json<Assignment>,
) -> ApiResult<Json<StaffRequest>> {
    staff
        .require_on(&state.storage, Duty::Requests, Subject::Request(id))
        .await?;
    let internal_note = note(assignment.internal_note.as_deref(), "the internal note")?;
    state
        .storage
        .assign_request(
            id,
            assignment.assignee,
            internal_note,
            staff.name.clone(),
            state.clock.now(),
        )
        .await?;
    Ok(Json(staff_view(state.storage.request(id).await?)))
}

/// Move a request on: open → in_process → closed or rejected (or open →
/// closed/rejected), with a public note the citizen reads at any kiosk and
/// an optional internal note; audited.
#[utoipa::path(post, path = "/api/v1/requests/{id}/status", tag = "requests",
    params(("id" = i64, Path, description = "Request id")),
    request_body = StatusChange,
    security(("staff_token" = [])),
    responses(
        (status = 200, body = StaffRequest),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "The lifecycle does not allow this move", body = ErrorBody),
        (status = 413, body = ErrorBody),
        (status = 415, body = ErrorBody),
        (status = 422, description = "Public note missing or too long", body = ErrorBody),
    ))]
pub(super) async fn change_status(
    State(state): State<AppState>,
    staff: StaffAuth,
    Path(id): Path<i64>,
    Json(change): Json<StatusChange>,
) -> ApiResult<Json<StaffRequest>> {
    staff
        .require_on(&state.storage, Duty::Requests, Subject::Request(id))
        .await?;
    let public_note = note(Some(&change.public_note), "the public note")?
        .ok_or_else(|| ApiError::invalid("write a public note for the citizen"))?;
    let internal_note = note(change.internal_note.as_deref(), "the internal note")?;
    state
        .storage
        .change_request_status(Transition {
            request_id: id,
            status: change.status,
            public_note,
            internal_note,
            actor: staff.name.clone(),
            now: state.clock.now(),
        })
        .await?
        .map_err(|refused| {
            ApiError::conflict(format!(
                "a request that is {} cannot become {}",
                refused.from, refused.to
            ))
        })?;
    Ok(Json(staff_view(state.storage.request(id).await?)))
}
