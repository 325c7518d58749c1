//! Communities: the directory, joining and leaving, requests to join,
//! coordinators, announcements and events.

use axum::extract::State;
use axum::http::StatusCode;
use plaza_api::error::ErrorBody;
use plaza_api::participation::communities::{
    Announcement, CommunityCategory, CommunityDetail, CommunityEvent, CommunityList,
    CommunitySummary, JoinRequestList, Membership, MembershipStatus, NewAnnouncement, NewCommunity,
    NewCommunityEvent,
};
use plaza_api::participation::limits;
use serde::Deserialize;
use utoipa::IntoParams;

use super::auth::{CitizenAuth, Viewer, Writer};
use super::text::{TextError, WordFilter, alias_key, plain_text, single_line};
use crate::access::{Duty, Subject};
use crate::auth::StaffAuth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::state::AppState;
use crate::storage::StorageError;
use crate::storage::communities::{ItemAuthor, NewEventRecord};

const NAME_MAX: usize = 80;
const PLACE_MAX: usize = 200;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct DirectoryQuery {
    neighbourhood: Option<String>,
    category: Option<CommunityCategory>,
}

fn invalid(error: TextError) -> ApiError {
    ApiError::invalid(error.to_string())
}

fn no_community(error: StorageError) -> ApiError {
    match error {
        StorageError::NotFound => ApiError::not_found("no such community"),
        other => other.into(),
    }
}

/// The directory of communities, by name.
#[utoipa::path(get, path = "/api/v1/communities", tag = "participation",
    params(DirectoryQuery),
    security(("kiosk_token" = [], "citizen_token" = []), ("kiosk_token" = []), ("staff_token" = [])),
    responses((status = 200, body = CommunityList), (status = 401, body = ErrorBody)))]
pub(super) async fn directory(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<DirectoryQuery>,
) -> ApiResult<Json<CommunityList>> {
    let communities = state
        .storage
        .communities(query.neighbourhood, query.category, viewer.citizen_id())
        .await?;
    Ok(Json(CommunityList { communities }))
}

/// A community: coordinators, latest announcements, upcoming events.
#[utoipa::path(get, path = "/api/v1/communities/{id}", tag = "participation",
    params(("id" = i64, Path, description = "Community id")),
    security(("kiosk_token" = [], "citizen_token" = []), ("kiosk_token" = []), ("staff_token" = [])),
    responses((status = 200, body = CommunityDetail), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn detail(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(community_id): Path<i64>,
) -> ApiResult<Json<CommunityDetail>> {
    let contents = state
        .storage
        .community(community_id, viewer.citizen_id(), state.clock.now())
        .await
        .map_err(no_community)?;
    Ok(Json(CommunityDetail {
        community: contents.community,
        coordinators: contents.coordinators,
        announcements: contents.announcements,
        events: contents.events,
    }))
}

/// Create a community, with its own board (staff).
#[utoipa::path(post, path = "/api/v1/communities", tag = "participation",
    request_body = NewCommunity,
    security(("staff_token" = [])),
    responses(
        (status = 201, body = CommunitySummary),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not staff who manage communities, or `centre_id` is not a centre you supervise", body = ErrorBody),
        (status = 409, description = "Name taken", body = ErrorBody),
        (status = 422, description = "A field not allowed, no such centre, or `centre_id` left out by a supervisor of several centres", body = ErrorBody),
    ))]
pub(super) async fn create(
    State(state): State<AppState>,
    staff: StaffAuth,
    Json(request): Json<NewCommunity>,
) -> ApiResult<(StatusCode, Json<CommunitySummary>)> {
    staff.require(Duty::Participation)?;
    let centre_id = staff.centre_for_new(request.centre_id)?;
    let community = NewCommunity {
        centre_id,
        name: single_line(&request.name, "the name", 3, NAME_MAX).map_err(invalid)?,
        description: plain_text(&request.description, "the description", 1, limits::BODY_MAX)
            .map_err(invalid)?,
        neighbourhood: request
            .neighbourhood
            .as_deref()
            .map(|name| single_line(name, "the neighbourhood", 1, NAME_MAX))
            .transpose()
            .map_err(invalid)?,
        ..request
    };
    let created = state
        .storage
        .create_community(community, staff.name.clone(), state.clock.now())
        .await?;
    tracing::info!(community_id = created.id, actor = %staff.name, "community created");
    Ok((StatusCode::CREATED, Json(created)))
}

/// Join a community, or ask to when it needs a coordinator's approval.
#[utoipa::path(post, path = "/api/v1/communities/{id}/membership", tag = "participation",
    params(("id" = i64, Path, description = "Community id")),
    security(("kiosk_token" = [], "citizen_token" = [])),
    responses((status = 200, body = Membership), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn join(
    State(state): State<AppState>,
    citizen: CitizenAuth,
    Path(community_id): Path<i64>,
) -> ApiResult<Json<Membership>> {
    let status = state
        .storage
        .join_community(community_id, citizen.id(), state.clock.now())
        .await
        .map_err(no_community)?;
    Ok(Json(Membership {
        community_id,
        status,
    }))
}

/// Leave a community, or withdraw a request to join.
#[utoipa::path(delete, path = "/api/v1/communities/{id}/membership", tag = "participation",
    params(("id" = i64, Path, description = "Community id")),
    security(("kiosk_token" = [], "citizen_token" = [])),
    responses((status = 204, description = "Left"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn leave(
    State(state): State<AppState>,
    citizen: CitizenAuth,
    Path(community_id): Path<i64>,
) -> ApiResult<StatusCode> {
    state
        .storage
        .leave_community(community_id, citizen.id())
        .await
        .map_err(no_community)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Requests to join, for the community's coordinators.
#[utoipa::path(get, path = "/api/v1/communities/{id}/requests", tag = "participation",
    params(("id" = i64, Path, description = "Community id")),
    security(("kiosk_token" = [], "citizen_token" = []), ("staff_token" = [])),
    responses((status = 200, body = JoinRequestList), (status = 401, body = ErrorBody), (status = 403, description = "Not a coordinator of the community, or staff of another centre", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn requests(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(community_id): Path<i64>,
) -> ApiResult<Json<JoinRequestList>> {
    require_coordinator(&state, &viewer, community_id).await?;
    let requests = state.storage.join_requests(community_id).await?;
    Ok(Json(JoinRequestList { requests }))
}

/// Accept a request to join.
#[utoipa::path(post, path = "/api/v1/communities/{id}/requests/{alias}", tag = "participation",
    params(("id" = i64, Path, description = "Community id"), ("alias" = String, Path, description = "Who asked")),
    security(("kiosk_token" = [], "citizen_token" = []), ("staff_token" = [])),
    responses((status = 204, description = "Now a member"), (status = 401, body = ErrorBody), (status = 403, description = "Not a coordinator of the community, or staff of another centre", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn accept(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((community_id, alias)): Path<(i64, String)>,
) -> ApiResult<StatusCode> {
    decide_request(state, viewer, community_id, alias, true).await
}

/// Turn down a request to join.
#[utoipa::path(delete, path = "/api/v1/communities/{id}/requests/{alias}", tag = "participation",
    params(("id" = i64, Path, description = "Community id"), ("alias" = String, Path, description = "Who asked")),
    security(("kiosk_token" = [], "citizen_token" = []), ("staff_token" = [])),
    responses((status = 204, description = "Turned down"), (status = 401, body = ErrorBody), (status = 403, description = "Not a coordinator of the community, or staff of another centre", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn reject(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((community_id, alias)): Path<(i64, String)>,
) -> ApiResult<StatusCode> {
    decide_request(state, viewer, community_id, alias, false).await
}

async fn decide_request(
    state: AppState,
    viewer: Viewer,
    community_id: i64,
    alias: String,
    accept: bool,
) -> ApiResult<StatusCode> {
    require_coordinator(&state, &viewer, community_id).await?;
    state
        .storage
        .decide_join_request(community_id, alias_key(&alias), accept)
        .await
        .map_err(|error| match error {
            StorageError::NotFound => {
                ApiError::not_found(format!("`{alias}` has not asked to join"))
            }
            other => other.into(),
        })?;
    Ok(StatusCode::NO_CONTENT)
}

/// Post an announcement (coordinators and staff).
#[utoipa::path(post, path = "/api/v1/communities/{id}/announcements", tag = "participation",
    params(("id" = i64, Path, description = "Community id")),
    request_body = NewAnnouncement,
    security(("kiosk_token" = [], "citizen_token" = []), ("staff_token" = [])),
    responses((status = 201, body = Announcement), (status = 401, body = ErrorBody), (status = 403, description = "Not a coordinator of the community, or staff of another centre", body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, description = "A field not allowed, or a coordinator's text with filtered words (`words_not_allowed`)", body = ErrorBody)))]
pub(super) async fn announce(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(community_id): Path<i64>,
    Json(request): Json<NewAnnouncement>,
) -> ApiResult<(StatusCode, Json<Announcement>)> {
    let writer = require_coordinator(&state, &viewer, community_id).await?;
    let title = single_line(
        &request.title,
        "the title",
        limits::TITLE_MIN,
        limits::TITLE_MAX,
    )
    .map_err(invalid)?;
    let body =
        plain_text(&request.body, "the announcement", 1, limits::BODY_MAX).map_err(invalid)?;
    filter_words(&state, &writer, &[&title, &body], "announcement")?;
    let announcement = state
        .storage
        .add_announcement(
            community_id,
            title,
            body,
            item_author(&writer),
            state.clock.now(),
        )
        .await
        .map_err(no_community)?;
    Ok((StatusCode::CREATED, Json(announcement)))
}

/// Add an event: date, place (coordinators and staff).
#[utoipa::path(post, path = "/api/v1/communities/{id}/events", tag = "participation",
    params(("id" = i64, Path, description = "Community id")),
    request_body = NewCommunityEvent,
    security(("kiosk_token" = [], "citizen_token" = []), ("staff_token" = [])),
    responses((status = 201, body = CommunityEvent), (status = 401, body = ErrorBody), (status = 403, description = "Not a coordinator of the community, or staff of another centre", body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, description = "A field not allowed, or a coordinator's text with filtered words (`words_not_allowed`)", body = ErrorBody)))]
pub(super) async fn add_event(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(community_id): Path<i64>,
    Json(request): Json<NewCommunityEvent>,
) -> ApiResult<(StatusCode, Json<CommunityEvent>)> {
    let writer = require_coordinator(&state, &viewer, community_id).await?;
    let event = NewEventRecord {
        title: single_line(
            &request.title,
            "the title",
            limits::TITLE_MIN,
            limits::TITLE_MAX,
        )
        .map_err(invalid)?,
        description: if request.description.trim().is_empty() {
            String::new()
        } else {
            plain_text(&request.description, "the description", 1, limits::BODY_MAX)
                .map_err(invalid)?
        },
        place: single_line(&request.place, "the place", 2, PLACE_MAX).map_err(invalid)?,
        starts_at: request.starts_at,
        ends_at: request.ends_at,
    };
    filter_words(
        &state,
        &writer,
        &[&event.title, &event.description, &event.place],
        "event",
    )?;
    if event
        .ends_at
        .is_some_and(|ends_at| ends_at < event.starts_at)
    {
        return Err(ApiError::invalid("the event ends before it starts"));
    }
    let now = state.clock.now();
    if event.ends_at.unwrap_or(event.starts_at) < now {
        return Err(ApiError::invalid("the event is already over"));
    }
    let created = state
        .storage
        .add_community_event(community_id, event, item_author(&writer), now)
        .await
        .map_err(no_community)?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Make a citizen a coordinator of a community (supervisors).
#[utoipa::path(put, path = "/api/v1/communities/{id}/coordinators/{alias}", tag = "participation",
    params(("id" = i64, Path, description = "Community id"), ("alias" = String, Path, description = "The citizen")),
    security(("staff_token" = [])),
    responses((status = 204, description = "Granted"), (status = 401, body = ErrorBody), (status = 403, description = "Not a supervisor, or the community belongs to a centre you do not supervise", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn grant_coordinator(
    State(state): State<AppState>,
    staff: StaffAuth,
    Path((community_id, alias)): Path<(i64, String)>,
) -> ApiResult<StatusCode> {
    set_coordinator(state, staff, community_id, alias, true).await
}

/// Take the coordinator role back; the citizen stays a member.
#[utoipa::path(delete, path = "/api/v1/communities/{id}/coordinators/{alias}", tag = "participation",
    params(("id" = i64, Path, description = "Community id"), ("alias" = String, Path, description = "The citizen")),
    security(("staff_token" = [])),
    responses((status = 204, description = "Revoked"), (status = 401, body = ErrorBody), (status = 403, description = "Not a supervisor, or the community belongs to a centre you do not supervise", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(super) async fn revoke_coordinator(
    State(state): State<AppState>,
    staff: StaffAuth,
    Path((community_id, alias)): Path<(i64, String)>,
) -> ApiResult<StatusCode> {
    set_coordinator(state, staff, community_id, alias, false).await
}

async fn set_coordinator(
    state: AppState,
    staff: StaffAuth,
    community_id: i64,
    alias: String,
    coordinator: bool,
) -> ApiResult<StatusCode> {
    staff
        .require_on(
            &state.storage,
            Duty::Participation,
            Subject::Community(community_id),
        )
        .await?;
    state
        .storage
        .set_coordinator(
            community_id,
            alias_key(&alias),
            coordinator,
            staff.name,
            state.clock.now(),
        )
        .await
        .map_err(|error| match error {
            StorageError::NotFound => ApiError::not_found(format!(
                "no community {community_id} or no account `{alias}`"
            )),
            other => other.into(),
        })?;
    Ok(StatusCode::NO_CONTENT)
}

/// A coordinator's announcement or event goes through the word filter, as
/// a citizen's post does; one with filtered words is refused (422
/// `words_not_allowed`) rather than held, so nothing waits unseen. Staff
/// write officially and are not filtered, as on the forums.
fn filter_words(state: &AppState, writer: &Writer, texts: &[&str], what: &str) -> ApiResult<()> {
    if writer.citizen_id().is_none() {
        return Ok(());
    }
    let filter = WordFilter::new(&state.settings.participation.word_filter);
    if texts
        .iter()
        .all(|text| filter.words_in_text(text).is_empty())
    {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "words_not_allowed",
        format!("this {what} contains words that are not allowed here; please change them"),
    ))
}

/// Coordinators of the community, or staff of its centre, may go on.
fn item_author(writer: &Writer) -> ItemAuthor {
    ItemAuthor {
        name: writer.name().to_owned(),
        citizen_id: writer.citizen_id(),
    }
}

async fn require_coordinator(
    state: &AppState,
    viewer: &Viewer,
    community_id: i64,
) -> ApiResult<Writer> {
    let writer = viewer.writer()?;
    if let Viewer::Staff(staff) = viewer {
        staff
            .require_on(
                &state.storage,
                Duty::Participation,
                Subject::Community(community_id),
            )
            .await?;
    }
    if let Some(citizen_id) = writer.citizen_id() {
        let membership = state
            .storage
            .membership(community_id, citizen_id)
            .await
            .map_err(no_community)?;
        if membership != Some(MembershipStatus::Coordinator) {
            return Err(ApiError::forbidden(
                "only this community's coordinators can do this",
            ));
        }
    }
    Ok(writer)
}
