//! What writing on the forums checks and how it is refused: who may open a
//! thread and write on a board, a new post with the word filter and the
//! rate limit applied, and the refusals of storage in the API's words.

use axum::http::StatusCode;
use jiff::{SignedDuration, Timestamp};
use plaza_api::participation::communities::MembershipStatus;

use super::auth::{Viewer, Writer};
use super::error::Refusal;
use super::text::WordFilter;
use crate::access::{Duty, Subject};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::storage::StorageError;
use crate::storage::forums::{
    BoardRecord, EditRefusal, NewPostRecord, PostAuthor, PostRefusal, RateLimit, StoredStatus,
    ThreadRecord,
};

pub(super) fn edit_window(state: &AppState) -> SignedDuration {
    SignedDuration::from_secs(i64::from(state.settings.participation.edit_window_s))
}

/// A thread the viewer may open: published, or their own.
pub(super) async fn visible_thread(
    state: &AppState,
    thread_id: i64,
    citizen_id: Option<i64>,
) -> ApiResult<ThreadRecord> {
    let no_thread = || ApiError::not_found("no such thread");
    let thread = state
        .storage
        .thread(thread_id)
        .await
        .map_err(|error| match error {
            StorageError::NotFound => no_thread(),
            other => other.into(),
        })?;
    let mine = citizen_id.is_some() && thread.citizen_id == citizen_id;
    match thread.status {
        StoredStatus::Published => Ok(thread),
        StoredStatus::Deleted => Err(no_thread()),
        _ if mine => Ok(thread),
        _ => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "under_review",
            "this thread is under review",
        )),
    }
}

/// Only members write on a community's board; staff write officially on
/// the boards of the centres they supervise (network boards: unscoped
/// staff only).
pub(super) async fn may_write_on(
    state: &AppState,
    viewer: &Viewer,
    board: &BoardRecord,
    writer: &Writer,
) -> ApiResult<()> {
    if let Viewer::Staff(staff) = viewer {
        return staff
            .require_on(
                &state.storage,
                Duty::Participation,
                Subject::Board(board.id),
            )
            .await;
    }
    let (Some(community_id), Some(citizen_id)) = (board.community_id, writer.citizen_id()) else {
        return Ok(());
    };
    match state.storage.membership(community_id, citizen_id).await? {
        Some(MembershipStatus::Member | MembershipStatus::Coordinator) => Ok(()),
        Some(MembershipStatus::Pending) => Err(ApiError::forbidden(
            "a coordinator has not yet accepted you into this community",
        )),
        None => Err(ApiError::forbidden(
            "join this community to write on its board",
        )),
    }
}

pub(super) fn new_post(
    state: &AppState,
    writer: &Writer,
    body: String,
    title: Option<&str>,
) -> NewPostRecord {
    let settings = &state.settings.participation;
    let filter = WordFilter::new(&settings.word_filter);
    let mut filtered_words = filter.words_in_text(&body);
    if let Some(title) = title {
        filtered_words.extend(filter.words_in_text(title));
    }
    filtered_words.dedup();
    NewPostRecord {
        author: match writer {
            Writer::Citizen(citizen) => PostAuthor::Citizen(citizen.id),
            Writer::Staff(name) => PostAuthor::Staff(name.clone()),
        },
        body,
        // Staff posts are official; they are not held.
        filtered_words: if writer.citizen_id().is_some() {
            filtered_words
        } else {
            Vec::new()
        },
        now: state.clock.now(),
        rate_limit: RateLimit {
            posts: settings.posts_per_window,
            window_ms: i64::from(settings.post_window_s) * 1000,
        },
    }
}

pub(super) fn post_refused(refusal: PostRefusal, now: Timestamp) -> Refusal {
    match refusal {
        PostRefusal::RateLimited(retry_at) => Refusal::retry_at(
            "rate_limited",
            "You have written many posts in a short time; please wait a little.",
            now,
            retry_at,
        ),
        PostRefusal::ThreadClosed => {
            ApiError::conflict("this thread is under review and takes no replies for now").into()
        }
    }
}

pub(super) fn edit_refused(refusal: EditRefusal, window: SignedDuration) -> ApiError {
    match refusal {
        EditRefusal::NotYours => ApiError::forbidden("you can only change your own posts"),
        EditRefusal::WindowClosed => ApiError::new(
            StatusCode::FORBIDDEN,
            "edit_window_closed",
            format!(
                "posts can be changed or deleted only in their first {} minutes",
                window.as_mins()
            ),
        ),
        EditRefusal::Locked => ApiError::new(
            StatusCode::FORBIDDEN,
            "under_review",
            "this post is under review or deleted and cannot be changed",
        ),
    }
}
