//! Boards, threads and posts: reading, writing, editing, deleting and
//! reporting.

use axum::extract::State;
use axum::http::StatusCode;
use plaza_api::error::ErrorBody;
use plaza_api::participation::forums::{
    Board, BoardKind, BoardList, NewBoard, NewPost, NewThread, Post, PostEdit, ThreadCreated,
    ThreadPage, ThreadView,
};
use plaza_api::participation::limits;
use serde::Deserialize;
use utoipa::IntoParams;

use super::auth::{Viewer, Writer};
use super::error::ParticipationResult;
use super::posting::{
    edit_refused, edit_window, may_write_on, new_post, post_refused, visible_thread,
};
use super::present;
use super::text::{WordFilter, plain_text, single_line};
use crate::access::Duty;
use crate::auth::StaffAuth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query, bounded};
use crate::state::AppState;
use crate::storage::forums::{NewBoard as StoredBoard, PostChange, ThreadCursor};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct BoardQuery {
    /// Only boards of this kind.
    kind: Option<BoardKind>,
    /// Only this neighbourhood's boards.
    neighbourhood: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct ThreadsQuery {
    /// From a previous page's `next_cursor`.
    #[param(pattern = r"^[+-]?[0-9]{1,18}\.[+-]?[0-9]{1,18}$")]
    cursor: Option<String>,
    /// Threads per page (default 20).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct PostsQuery {
    /// From a previous page's `next_cursor`.
    #[param(pattern = r"^[+-]?[0-9]{1,18}$")]
    cursor: Option<String>,
    /// Posts per page (default 50).
    #[param(minimum = 1, maximum = 100)]
    limit: Option<u32>,
}

const BOARD_TITLE_MAX: usize = 80;

/// Posts per thread page when the client does not say.
const POSTS_PAGE_DEFAULT: u32 = 50;

fn page_size(requested: Option<u32>, default: u32) -> ApiResult<u32> {
    bounded("limit", requested, default, 1..=limits::PAGE_MAX)
}

fn bad_cursor() -> ApiError {
    ApiError::bad_request("that cursor is not one this server gave out")
}

/// The boards: by topic, by neighbourhood, and each community's.
#[utoipa::path(get, path = "/api/v1/forums/boards", tag = "participation",
    params(BoardQuery),
    security(("kiosk_token" = [], "citizen_token" = []), ("kiosk_token" = []), ("staff_token" = [])),
    responses((status = 200, body = BoardList), (status = 401, body = ErrorBody)))]
pub(super) async fn boards(
    State(state): State<AppState>,
    _viewer: Viewer,
    Query(query): Query<BoardQuery>,
) -> ApiResult<Json<BoardList>> {
    let boards = state
        .storage
        .boards(query.kind, query.neighbourhood)
        .await?
        .into_iter()
        .map(present::board)
        .collect();
    Ok(Json(BoardList { boards }))
}

/// Add a topic or neighbourhood board (staff).
#[utoipa::path(post, path = "/api/v1/forums/boards", tag = "participation",
    request_body = NewBoard,
    security(("staff_token" = [])),
    responses(
        (status = 201, body = Board),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not staff who manage boards, or `centre_id` is not a centre you supervise", body = ErrorBody),
        (status = 422, description = "A field not allowed, no such centre, or `centre_id` left out by a supervisor of several centres", body = ErrorBody),
    ))]
pub(super) async fn create_board(
    State(state): State<AppState>,
    staff: StaffAuth,
    Json(request): Json<NewBoard>,
) -> ApiResult<(StatusCode, Json<Board>)> {
    staff.require(Duty::Participation)?;
    let centre_id = staff.centre_for_new(request.centre_id)?;
    let neighbourhood = request
        .neighbourhood
        .as_deref()
        .map(|name| single_line(name, "the neighbourhood", 1, BOARD_TITLE_MAX))
        .transpose()
        .map_err(invalid)?;
    match (request.kind, &neighbourhood) {
        (BoardKind::Community, _) => {
            return Err(ApiError::invalid(
                "a community's board is created with the community",
            ));
        }
        (BoardKind::Neighbourhood, None) => {
            return Err(ApiError::invalid(
                "a neighbourhood board names its neighbourhood",
            ));
        }
        _ => {}
    }
    let board = StoredBoard {
        kind: request.kind,
        title: single_line(&request.title, "the title", 3, BOARD_TITLE_MAX).map_err(invalid)?,
        description: if request.description.trim().is_empty() {
            String::new()
        } else {
            plain_text(&request.description, "the description", 1, limits::BODY_MAX)
                .map_err(invalid)?
        },
        language: request.language,
        neighbourhood,
        community_id: None,
        centre_id,
        position: 0,
    };
    let created = state
        .storage
        .create_board(board, staff.name.clone(), state.clock.now())
        .await?;
    tracing::info!(board_id = created.id, actor = %staff.name, "board created");
    Ok((StatusCode::CREATED, Json(present::board(created))))
}

/// A board's threads, newest activity first.
#[utoipa::path(get, path = "/api/v1/forums/boards/{id}/threads", tag = "participation",
    params(("id" = i64, Path, description = "Board id"), ThreadsQuery),
    security(("kiosk_token" = [], "citizen_token" = []), ("kiosk_token" = []), ("staff_token" = [])),
    responses(
        (status = 200, body = ThreadPage),
        (status = 404, body = ErrorBody),
        (status = 422, description = "`limit` out of range", body = ErrorBody),
    ))]
pub(super) async fn threads(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(board_id): Path<i64>,
    Query(query): Query<ThreadsQuery>,
) -> ApiResult<Json<ThreadPage>> {
    let limit = page_size(query.limit, limits::PAGE_DEFAULT)?;
    let after = query
        .cursor
        .as_deref()
        .map(|cursor| {
            let (millis, id) = cursor.split_once('.').ok_or_else(bad_cursor)?;
            Ok::<_, ApiError>(ThreadCursor {
                last_activity_ms: millis.parse().map_err(|_| bad_cursor())?,
                id: id.parse().map_err(|_| bad_cursor())?,
            })
        })
        .transpose()?;
    let storage = &state.storage;
    let board = storage.board(board_id).await.map_err(|_| no_board())?;
    let mut threads = storage
        .threads_page(board_id, viewer.citizen_id(), after, limit + 1)
        .await?;
    let next_cursor = (threads.len() > limit as usize).then(|| {
        threads.truncate(limit as usize);
        threads
            .last()
            .map(|last| format!("{}.{}", last.last_activity_at.as_millisecond(), last.id))
    });
    Ok(Json(ThreadPage {
        board: present::board(board),
        threads: threads
            .into_iter()
            .map(|thread| present::thread(thread, viewer.citizen_id()))
            .collect(),
        next_cursor: next_cursor.flatten(),
    }))
}

/// A thread and a page of its posts, oldest first.
#[utoipa::path(get, path = "/api/v1/forums/threads/{id}", tag = "participation",
    params(("id" = i64, Path, description = "Thread id"), PostsQuery),
    security(("kiosk_token" = [], "citizen_token" = []), ("kiosk_token" = []), ("staff_token" = [])),
    responses(
        (status = 200, body = ThreadView),
        (status = 404, body = ErrorBody),
        (status = 422, description = "`limit` out of range", body = ErrorBody),
    ))]
pub(super) async fn thread(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(thread_id): Path<i64>,
    Query(query): Query<PostsQuery>,
) -> ApiResult<Json<ThreadView>> {
    let limit = page_size(query.limit, POSTS_PAGE_DEFAULT)?;
    let after = match query.cursor.as_deref() {
        Some(cursor) => cursor.parse().map_err(|_| bad_cursor())?,
        None => 0,
    };
    let citizen_id = viewer.citizen_id();
    let thread = visible_thread(&state, thread_id, citizen_id).await?;
    let mut posts = state
        .storage
        .posts_page(thread_id, citizen_id, after, limit + 1)
        .await?;
    let next_cursor = (posts.len() > limit as usize).then(|| {
        posts.truncate(limit as usize);
        posts.last().map(|last| last.id.to_string())
    });
    let now = state.clock.now();
    let window = edit_window(&state);
    Ok(Json(ThreadView {
        thread: present::thread(thread, citizen_id),
        posts: posts
            .into_iter()
            .map(|post| present::post(post, citizen_id, now, window))
            .collect(),
        next_cursor: next_cursor.flatten(),
    }))
}

/// Start a thread (a logged-in citizen, or staff posting officially).
#[utoipa::path(post, path = "/api/v1/forums/boards/{id}/threads", tag = "participation",
    params(("id" = i64, Path, description = "Board id")),
    request_body = NewThread,
    security(("kiosk_token" = [], "citizen_token" = []), ("staff_token" = [])),
    responses(
        (status = 201, body = ThreadCreated),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not a member of the community, or staff of another centre than the board's", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
        (status = 429, description = "Rate limited; see Retry-After", body = ErrorBody),
    ))]
pub(super) async fn create_thread(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(board_id): Path<i64>,
    Json(request): Json<NewThread>,
) -> ParticipationResult<(StatusCode, Json<ThreadCreated>)> {
    let writer = viewer.writer()?;
    let board = state
        .storage
        .board(board_id)
        .await
        .map_err(|_| no_board())?;
    may_write_on(&state, &viewer, &board, &writer).await?;
    let title = single_line(
        &request.title,
        "the title",
        limits::TITLE_MIN,
        limits::TITLE_MAX,
    )
    .map_err(invalid)?;
    let body = plain_text(&request.body, "the post", 1, limits::BODY_MAX).map_err(invalid)?;
    let post = new_post(&state, &writer, body, Some(&title));
    let now = post.now;
    let (thread, post) = state
        .storage
        .create_thread(board_id, title, post)
        .await?
        .map_err(|refusal| post_refused(refusal, now))?;
    let window = edit_window(&state);
    let citizen_id = writer.citizen_id();
    Ok((
        StatusCode::CREATED,
        Json(ThreadCreated {
            thread: present::thread(thread, citizen_id),
            post: present::post(post, citizen_id, now, window),
        }),
    ))
}

/// Reply in a thread.
#[utoipa::path(post, path = "/api/v1/forums/threads/{id}/posts", tag = "participation",
    params(("id" = i64, Path, description = "Thread id")),
    request_body = NewPost,
    security(("kiosk_token" = [], "citizen_token" = []), ("staff_token" = [])),
    responses(
        (status = 201, body = Post),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not a member of the community, or staff of another centre than the board's", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "The thread takes no replies now", body = ErrorBody),
        (status = 422, body = ErrorBody),
        (status = 429, description = "Rate limited; see Retry-After", body = ErrorBody),
    ))]
pub(super) async fn reply(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(thread_id): Path<i64>,
    Json(request): Json<NewPost>,
) -> ParticipationResult<(StatusCode, Json<Post>)> {
    let writer = viewer.writer()?;
    let thread = visible_thread(&state, thread_id, writer.citizen_id()).await?;
    let board = state.storage.board(thread.board_id).await?;
    may_write_on(&state, &viewer, &board, &writer).await?;
    let body = plain_text(&request.body, "the post", 1, limits::BODY_MAX).map_err(invalid)?;
    let post = new_post(&state, &writer, body, None);
    let now = post.now;
    let post = state
        .storage
        .add_post(thread_id, post)
        .await?
        .map_err(|refusal| post_refused(refusal, now))?;
    Ok((
        StatusCode::CREATED,
        Json(present::post(
            post,
            writer.citizen_id(),
            now,
            edit_window(&state),
        )),
    ))
}

/// Edit one's own post within the edit window.
#[utoipa::path(patch, path = "/api/v1/forums/posts/{id}", tag = "participation",
    params(("id" = i64, Path, description = "Post id")),
    request_body = PostEdit,
    security(("kiosk_token" = [], "citizen_token" = [])),
    responses(
        (status = 200, body = Post),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Not yours, or the window has closed", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub(super) async fn edit(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(post_id): Path<i64>,
    Json(request): Json<PostEdit>,
) -> ApiResult<Json<Post>> {
    let Writer::Citizen(citizen) = viewer.writer()? else {
        return Err(ApiError::forbidden("staff change posts through moderation"));
    };
    let body = plain_text(&request.body, "the post", 1, limits::BODY_MAX).map_err(invalid)?;
    let title = request
        .title
        .as_deref()
        .map(|title| single_line(title, "the title", limits::TITLE_MIN, limits::TITLE_MAX))
        .transpose()
        .map_err(invalid)?;
    let filter = WordFilter::new(&state.settings.participation.word_filter);
    let mut filtered_words = filter.words_in_text(&body);
    if let Some(title) = &title {
        filtered_words.extend(filter.words_in_text(title));
    }
    let now = state.clock.now();
    let window = edit_window(&state);
    let post = state
        .storage
        .edit_post(PostChange {
            post_id,
            citizen_id: citizen.id,
            body,
            title,
            filtered_words,
            now,
            window_ms: window.as_millis() as i64,
        })
        .await
        .map_err(|error| not_found_as(error, no_post))?
        .map_err(|refusal| edit_refused(refusal, window))?;
    Ok(Json(present::post(post, Some(citizen.id), now, window)))
}

/// Delete one's own post within the edit window.
#[utoipa::path(delete, path = "/api/v1/forums/posts/{id}", tag = "participation",
    params(("id" = i64, Path, description = "Post id")),
    security(("kiosk_token" = [], "citizen_token" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ))]
pub(super) async fn delete(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(post_id): Path<i64>,
) -> ApiResult<StatusCode> {
    let Writer::Citizen(citizen) = viewer.writer()? else {
        return Err(ApiError::forbidden("staff delete posts through moderation"));
    };
    let window = edit_window(&state);
    state
        .storage
        .delete_own_post(
            post_id,
            citizen.id,
            state.clock.now(),
            window.as_millis() as i64,
        )
        .await
        .map_err(|error| not_found_as(error, no_post))?
        .map_err(|refusal| edit_refused(refusal, window))?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) fn invalid(error: super::text::TextError) -> ApiError {
    ApiError::invalid(error.to_string())
}

fn no_board() -> ApiError {
    ApiError::not_found("no such board")
}

pub(super) fn no_post() -> ApiError {
    ApiError::not_found("no such post")
}

pub(super) fn not_found_as(
    error: crate::storage::StorageError,
    replacement: fn() -> ApiError,
) -> ApiError {
    match error {
        crate::storage::StorageError::NotFound => replacement(),
        other => other.into(),
    }
}
