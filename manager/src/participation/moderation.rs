//! Reports by citizens, and the moderation queue: supervisors approve, hide
//! or delete posts held by the word filter or reported, and remove
//! communities' announcements and events. Every decision is audited.

use axum::extract::State;
use axum::http::StatusCode;
use plaza_api::error::ErrorBody;
use plaza_api::participation::forums::{NewReport, Post, ReportReason, ReportReceipt};
use plaza_api::participation::limits;
use plaza_api::participation::moderation::{
    ModerationAction, ModerationDecision, ModerationQueue, QueueItem, ReportSummary,
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::auth::Viewer;
use super::forums::{invalid, no_post, not_found_as};
use super::present;
use super::text::plain_text;
use crate::access::{Duty, Subject};
use crate::auth::StaffAuth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query, bounded};
use crate::state::AppState;
use crate::storage::StorageError;
use crate::storage::communities::CommunityItem;
use crate::storage::moderation::{Decision, NewReport as StoredReport, QueueFilter, ReportRefusal};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct QueueQuery {
    /// From a previous page's `next_cursor`.
    #[param(pattern = r"^[+-]?[0-9]{1,18}$")]
    cursor: Option<String>,
    /// Items per page (default 20).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
}

/// Posts waiting for a decision, oldest first; a supervisor's account sees
/// the posts written at their centres.
#[utoipa::path(get, path = "/api/v1/moderation/queue", tag = "participation",
    params(QueueQuery),
    security(("staff_token" = [])),
    responses(
        (status = 200, body = ModerationQueue),
        (status = 403, body = ErrorBody),
        (status = 422, description = "`limit` out of range", body = ErrorBody),
    ))]
pub(super) async fn queue(
    State(state): State<AppState>,
    staff: StaffAuth,
    Query(query): Query<QueueQuery>,
) -> ApiResult<Json<ModerationQueue>> {
    staff.require(Duty::Moderation)?;
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
    let mut records = state
        .storage
        .moderation_queue(QueueFilter {
            after,
            limit: limit + 1,
            centres: staff.centres(),
            hidden: false,
        })
        .await?;
    let next_cursor = (records.len() > limit as usize).then(|| {
        records.truncate(limit as usize);
        records.last().map(|last| last.post.id.to_string())
    });
    let items = records
        .into_iter()
        .map(|record| QueueItem {
            post_id: record.post.id,
            thread_id: record.post.thread_id,
            thread_title: record.thread_title,
            board_title: record.board_title,
            author: record.post.author_name,
            body: record.post.body,
            reason: record.reason,
            filtered_words: record.filtered_words,
            reports: record
                .reports
                .into_iter()
                .map(|report| ReportSummary {
                    reason: report.reason,
                    details: report.details,
                    at: report.at,
                })
                .collect(),
            created_at: record.post.created_at,
        })
        .collect();
    Ok(Json(ModerationQueue {
        items,
        next_cursor: next_cursor.flatten(),
    }))
}

/// Approve, hide or delete a post; hiding and deleting need a reason, which
/// its author sees. A supervisor's account finds only posts written at
/// their centres.
#[utoipa::path(post, path = "/api/v1/moderation/posts/{id}", tag = "participation",
    params(("id" = i64, Path, description = "Post id")),
    request_body = ModerationDecision,
    security(("staff_token" = [])),
    responses(
        (status = 200, description = "The post after the decision", body = Post),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Already deleted", body = ErrorBody),
        (status = 422, description = "Reason missing", body = ErrorBody),
    ))]
pub(super) async fn decide(
    State(state): State<AppState>,
    staff: StaffAuth,
    Path(post_id): Path<i64>,
    Json(decision): Json<ModerationDecision>,
) -> ApiResult<Json<Post>> {
    staff.require(Duty::Moderation)?;
    let reason = decision
        .reason
        .as_deref()
        .filter(|reason| !reason.trim().is_empty())
        .map(|reason| plain_text(reason, "the reason", 1, limits::REASON_MAX))
        .transpose()
        .map_err(|error| ApiError::invalid(error.to_string()))?;
    if decision.action != ModerationAction::Approve && reason.is_none() {
        return Err(ApiError::invalid(
            "give a reason to hide or delete a post; its author will see it",
        ));
    }
    let now = state.clock.now();
    let post = state
        .storage
        .moderate_post(Decision {
            post_id,
            action: decision.action,
            reason,
            actor: staff.name.clone(),
            now,
            centres: staff.centres(),
        })
        .await
        .map_err(|error| match error {
            StorageError::NotFound => ApiError::not_found("no such post"),
            other => other.into(),
        })?;
    tracing::info!(post_id, action = decision.action.as_str(), actor = %staff.name, "post moderated");
    let window = jiff::SignedDuration::ZERO;
    Ok(Json(present::post(post, None, now, window)))
}

/// Remove a community's announcement (moderators of the community's
/// centre); audited with its title.
#[utoipa::path(delete, path = "/api/v1/communities/{id}/announcements/{item_id}", tag = "participation",
    params(("id" = i64, Path, description = "Community id"), ("item_id" = i64, Path, description = "Announcement id")),
    security(("staff_token" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not a moderator, or the community belongs to a centre you do not supervise", body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub(super) async fn remove_announcement(
    State(state): State<AppState>,
    staff: StaffAuth,
    Path((community_id, item_id)): Path<(i64, i64)>,
) -> ApiResult<StatusCode> {
    remove_item(
        state,
        staff,
        community_id,
        CommunityItem::Announcement(item_id),
    )
    .await
}

/// Remove a community's event (moderators of the community's centre);
/// audited with its title.
#[utoipa::path(delete, path = "/api/v1/communities/{id}/events/{item_id}", tag = "participation",
    params(("id" = i64, Path, description = "Community id"), ("item_id" = i64, Path, description = "Event id")),
    security(("staff_token" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not a moderator, or the community belongs to a centre you do not supervise", body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub(super) async fn remove_event(
    State(state): State<AppState>,
    staff: StaffAuth,
    Path((community_id, item_id)): Path<(i64, i64)>,
) -> ApiResult<StatusCode> {
    remove_item(state, staff, community_id, CommunityItem::Event(item_id)).await
}

async fn remove_item(
    state: AppState,
    staff: StaffAuth,
    community_id: i64,
    item: CommunityItem,
) -> ApiResult<StatusCode> {
    staff
        .require_on(
            &state.storage,
            Duty::Moderation,
            Subject::Community(community_id),
        )
        .await?;
    state
        .storage
        .remove_community_item(community_id, item, staff.name.clone(), state.clock.now())
        .await
        .map_err(|error| match error {
            StorageError::NotFound => ApiError::not_found(match item {
                CommunityItem::Announcement(_) => "no such announcement in this community",
                CommunityItem::Event(_) => "no such event in this community",
            }),
            other => other.into(),
        })?;
    tracing::info!(community_id, ?item, actor = %staff.name, "community item removed");
    Ok(StatusCode::NO_CONTENT)
}

/// Report a post, once per account.
#[utoipa::path(post, path = "/api/v1/forums/posts/{id}/reports", tag = "participation",
    params(("id" = i64, Path, description = "Post id")),
    request_body = NewReport,
    security(("kiosk_token" = [], "citizen_token" = [])),
    responses(
        (status = 201, body = ReportReceipt),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Already reported, or not reportable", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub(super) async fn report(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(post_id): Path<i64>,
    Json(request): Json<NewReport>,
) -> ApiResult<(StatusCode, Json<ReportReceipt>)> {
    let citizen = viewer
        .citizen()
        .ok_or_else(|| ApiError::forbidden("only citizens report posts; staff moderate them"))?;
    let details = request
        .details
        .as_deref()
        .filter(|details| !details.trim().is_empty())
        .map(|details| plain_text(details, "the details", 1, limits::REPORT_DETAILS_MAX))
        .transpose()
        .map_err(invalid)?;
    if request.reason == ReportReason::Other && details.is_none() {
        return Err(ApiError::invalid(
            "say what is wrong with the post in `details`",
        ));
    }
    let hidden = state
        .storage
        .report_post(StoredReport {
            post_id,
            citizen_id: citizen.id(),
            reason: request.reason,
            details,
            now: state.clock.now(),
            threshold: state.settings.participation.report_threshold,
        })
        .await
        .map_err(|error| not_found_as(error, no_post))?
        .map_err(|refusal| match refusal {
            ReportRefusal::AlreadyReported => ApiError::new(
                StatusCode::CONFLICT,
                "already_reported",
                "you have already reported this post; thank you",
            ),
            ReportRefusal::OwnPost => ApiError::conflict("you cannot report your own post"),
            ReportRefusal::NotReportable => {
                ApiError::conflict("this post is already under review or deleted")
            }
        })?;
    Ok((
        StatusCode::CREATED,
        Json(ReportReceipt {
            post_id,
            hidden_for_review: hidden,
        }),
    ))
}
