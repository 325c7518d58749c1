//! Writing to the forums: threads, posts, edits, deletions, status changes,
//! and keeping thread and board counters true after each.

use jiff::{SignedDuration, Timestamp};
use rusqlite::{Connection, OptionalExtension, params};

use super::rows::{board_by_id, post_by_id, thread_by_id};
use super::{
    BoardRecord, EditRefusal, NewBoard, NewPostRecord, PostAuthor, PostChange, PostRecord,
    PostRefusal, StoredStatus, ThreadRecord,
};
use crate::storage::columns::{Columns, Millis, Term};
use crate::storage::{Storage, StorageError, StorageResult};

impl Storage {
    /// Starts a thread with its first post.
    pub async fn create_thread(
        &self,
        board_id: i64,
        title: String,
        post: NewPostRecord,
    ) -> StorageResult<Result<(ThreadRecord, PostRecord), PostRefusal>> {
        self.write(move |connection| {
            board_by_id(connection, board_id)?;
            if let Some(retry_at) = rate_limited(connection, &post)? {
                return Ok(Err(PostRefusal::RateLimited(retry_at)));
            }
            let (thread_id, post_id) = insert_thread(connection, board_id, &title, &post)?;
            let (viewer, _) = author_columns(&post.author);
            Ok(Ok((
                thread_by_id(connection, thread_id)?,
                post_by_id(connection, post_id, viewer)?,
            )))
        })
        .await
    }

    /// Adds a reply to a published thread.
    pub async fn add_post(
        &self,
        thread_id: i64,
        post: NewPostRecord,
    ) -> StorageResult<Result<PostRecord, PostRefusal>> {
        self.write(move |connection| {
            let thread = thread_by_id(connection, thread_id)?;
            if thread.status != StoredStatus::Published {
                return Ok(Err(PostRefusal::ThreadClosed));
            }
            if let Some(retry_at) = rate_limited(connection, &post)? {
                return Ok(Err(PostRefusal::RateLimited(retry_at)));
            }
            let post_id = insert_post(connection, thread_id, &post)?;
            sync_thread(connection, thread_id)?;
            let (viewer, _) = author_columns(&post.author);
            Ok(Ok(post_by_id(connection, post_id, viewer)?))
        })
        .await
    }

    /// The author edits their post within the window; the filter may hold it.
    pub async fn edit_post(
        &self,
        change: PostChange,
    ) -> StorageResult<Result<PostRecord, EditRefusal>> {
        self.write(move |connection| {
            let post = post_by_id(connection, change.post_id, Some(change.citizen_id))?;
            if let Err(refusal) = may_change(&post, change.citizen_id, change.now, change.window_ms)
            {
                return Ok(Err(refusal));
            }
            let thread = thread_by_id(connection, post.thread_id)?;
            if change.title.is_some() && first_post_id(connection, thread.id)? != Some(post.id) {
                return Err(StorageError::Invalid(
                    "only the first post of a thread can change the thread's title".to_owned(),
                ));
            }
            let held = !change.filtered_words.is_empty();
            connection
                .prepare_cached(
                    "UPDATE posts SET body = ?2, edited_at = ?3, filtered_words = ?4,
                         status = CASE WHEN ?5 THEN 'held' ELSE status END
                     WHERE id = ?1",
                )?
                .execute(params![
                    post.id,
                    change.body,
                    Millis(change.now),
                    held.then(|| change.filtered_words.join(",")),
                    held
                ])?;
            if let Some(title) = &change.title {
                connection
                    .prepare_cached("UPDATE threads SET title = ?2 WHERE id = ?1")?
                    .execute(params![thread.id, title])?;
            }
            sync_thread(connection, thread.id)?;
            Ok(Ok(post_by_id(
                connection,
                post.id,
                Some(change.citizen_id),
            )?))
        })
        .await
    }

    /// The author deletes their post within the window.
    pub async fn delete_own_post(
        &self,
        post_id: i64,
        citizen_id: i64,
        now: Timestamp,
        window_ms: i64,
    ) -> StorageResult<Result<(), EditRefusal>> {
        self.write(move |connection| {
            let post = post_by_id(connection, post_id, Some(citizen_id))?;
            if let Err(refusal) = may_change(&post, citizen_id, now, window_ms) {
                return Ok(Err(refusal));
            }
            set_status(connection, post_id, StoredStatus::Deleted, None)?;
            Ok(Ok(()))
        })
        .await
    }
}

fn may_change(
    post: &PostRecord,
    citizen_id: i64,
    now: Timestamp,
    window_ms: i64,
) -> Result<(), EditRefusal> {
    if post.citizen_id != Some(citizen_id) {
        return Err(EditRefusal::NotYours);
    }
    if matches!(
        post.status,
        StoredStatus::Hidden | StoredStatus::Deleted | StoredStatus::Reported
    ) {
        return Err(EditRefusal::Locked);
    }
    if now.as_millisecond() > post.created_at.as_millisecond() + window_ms {
        return Err(EditRefusal::WindowClosed);
    }
    Ok(())
}

fn author_columns(author: &PostAuthor) -> (Option<i64>, Option<&str>) {
    match author {
        PostAuthor::Citizen(id) => (Some(*id), None),
        PostAuthor::Staff(name) => (None, Some(name.as_str())),
    }
}

/// When the author may post again, if they are over the limit now.
fn rate_limited(connection: &Connection, post: &NewPostRecord) -> StorageResult<Option<Timestamp>> {
    let PostAuthor::Citizen(citizen_id) = post.author else {
        return Ok(None);
    };
    let window = post.rate_limit.window_ms;
    let since = post.now.as_millisecond() - window;
    let recent: Vec<Timestamp> = connection
        .prepare_cached(
            "SELECT created_at FROM posts WHERE citizen_id = ?1 AND created_at > ?2
             ORDER BY created_at DESC LIMIT ?3",
        )?
        .query_map(params![citizen_id, since, post.rate_limit.posts], |row| {
            row.time("created_at")
        })?
        .collect::<Result<_, _>>()?;
    if recent.len() < post.rate_limit.posts as usize {
        return Ok(None);
    }
    // The oldest of the last `posts` posts leaves the window first.
    let Some(oldest) = recent.last() else {
        return Ok(Some(post.now));
    };
    oldest
        .checked_add(SignedDuration::from_millis(window))
        .map(Some)
        .map_err(|error| StorageError::Internal(format!("rate limit window: {error}")))
}

/// A new thread with its first post: (thread id, post id).
pub(crate) fn insert_thread(
    connection: &Connection,
    board_id: i64,
    title: &str,
    post: &NewPostRecord,
) -> StorageResult<(i64, i64)> {
    let (citizen_id, staff_name) = author_columns(&post.author);
    connection
        .prepare_cached(
            "INSERT INTO threads (board_id, title, citizen_id, staff_name, status,
                                  created_at, last_activity_at)
             VALUES (?1, ?2, ?3, ?4, 'held', ?5, ?5)",
        )?
        .execute(params![
            board_id,
            title,
            citizen_id,
            staff_name,
            Millis(post.now)
        ])?;
    let thread_id = connection.last_insert_rowid();
    let post_id = insert_post(connection, thread_id, post)?;
    connection
        .prepare_cached("UPDATE threads SET first_post_id = ?2 WHERE id = ?1")?
        .execute(params![thread_id, post_id])?;
    sync_thread(connection, thread_id)?;
    Ok((thread_id, post_id))
}

pub(crate) fn insert_post(
    connection: &Connection,
    thread_id: i64,
    post: &NewPostRecord,
) -> StorageResult<i64> {
    let (citizen_id, staff_name) = author_columns(&post.author);
    let held = !post.filtered_words.is_empty();
    connection
        .prepare_cached(
            "INSERT INTO posts (thread_id, citizen_id, staff_name, official, body, status,
                                filtered_words, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            thread_id,
            citizen_id,
            staff_name,
            staff_name.is_some(),
            post.body,
            Term(if held {
                StoredStatus::Held
            } else {
                StoredStatus::Published
            }),
            held.then(|| post.filtered_words.join(",")),
            Millis(post.now),
        ])?;
    Ok(connection.last_insert_rowid())
}

/// Refuses (invalid) a centre id that names no centre.
pub(crate) fn known_centre(connection: &Connection, centre_id: i64) -> StorageResult<()> {
    let known = connection
        .prepare_cached("SELECT 1 FROM centres WHERE id = ?1")?
        .exists(params![centre_id])?;
    if known {
        Ok(())
    } else {
        Err(StorageError::Invalid(format!(
            "there is no centre {centre_id}"
        )))
    }
}

pub(crate) fn insert_board(
    connection: &Connection,
    board: &NewBoard,
    now: Timestamp,
) -> StorageResult<BoardRecord> {
    if let Some(centre_id) = board.centre_id {
        known_centre(connection, centre_id)?;
    }
    connection
        .prepare_cached(
            "INSERT INTO boards (kind, title, description, language, neighbourhood,
                                 community_id, centre_id, position, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            Term(board.kind),
            board.title,
            board.description,
            board.language.map(Term),
            board.neighbourhood,
            board.community_id,
            board.centre_id,
            board.position,
            Millis(now),
        ])?;
    board_by_id(connection, connection.last_insert_rowid())
}

/// Changes a post's status and brings its thread and board up to date.
pub(crate) fn set_status(
    connection: &Connection,
    post_id: i64,
    status: StoredStatus,
    note: Option<&str>,
) -> StorageResult<()> {
    let thread_id: i64 = connection
        .prepare_cached(
            "UPDATE posts SET status = ?2, moderation_note = ?3,
                 body = CASE WHEN ?2 = 'deleted' THEN '' ELSE body END
             WHERE id = ?1 RETURNING thread_id",
        )?
        .query_row(params![post_id, Term(status), note], |row| {
            row.get("thread_id")
        })
        .optional()?
        .ok_or(StorageError::NotFound)?;
    sync_thread(connection, thread_id)
}

fn first_post_id(connection: &Connection, thread_id: i64) -> StorageResult<Option<i64>> {
    Ok(connection
        .prepare_cached("SELECT first_post_id FROM threads WHERE id = ?1")?
        .query_row(params![thread_id], |row| row.get("first_post_id"))?)
}

/// Recomputes a thread's status (its first post's, unless that was deleted
/// and others remain), published post count and latest activity; then its
/// board's.
pub(crate) fn sync_thread(connection: &Connection, thread_id: i64) -> StorageResult<()> {
    let board_id: i64 = connection
        .prepare_cached(
            "UPDATE threads SET
                 post_count = (SELECT count(*) FROM posts p
                               WHERE p.thread_id = threads.id AND p.status = 'published'),
                 last_activity_at = coalesce(
                     (SELECT max(p.created_at) FROM posts p
                      WHERE p.thread_id = threads.id AND p.status = 'published'),
                     created_at),
                 status = (SELECT CASE
                     WHEN f.status = 'deleted' AND EXISTS (
                         SELECT 1 FROM posts o WHERE o.thread_id = threads.id
                           AND o.id <> f.id AND o.status <> 'deleted') THEN 'published'
                     ELSE f.status END
                     FROM posts f WHERE f.id = threads.first_post_id)
             WHERE id = ?1 RETURNING board_id",
        )?
        .query_row(params![thread_id], |row| row.get("board_id"))?;
    connection
        .prepare_cached(
            "UPDATE boards SET
                 thread_count = (SELECT count(*) FROM threads t
                                 WHERE t.board_id = boards.id AND t.status = 'published'),
                 last_activity_at = (SELECT max(t.last_activity_at) FROM threads t
                                     WHERE t.board_id = boards.id AND t.status = 'published')
             WHERE id = ?1",
        )?
        .execute(params![board_id])?;
    Ok(())
}
