//! The SELECTs of boards, threads and posts and their row mappers.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{BoardKind, BoardRecord, Language, PostRecord, StoredStatus, ThreadRecord};
use crate::storage::{StorageError, StorageResult, from_millis, from_millis_opt};

pub(super) const BOARD_SELECT: &str = "
    SELECT id, kind, title, description, language, neighbourhood, community_id,
           thread_count, last_activity_at
    FROM boards";

pub(crate) fn board_by_id(connection: &Connection, board_id: i64) -> StorageResult<BoardRecord> {
    connection
        .prepare_cached(&format!("{BOARD_SELECT} WHERE id = ?1"))?
        .query_row(params![board_id], board_columns)
        .optional()?
        .ok_or(StorageError::NotFound)?
}

pub(super) fn board_columns(row: &Row<'_>) -> rusqlite::Result<StorageResult<BoardRecord>> {
    let kind: String = row.get(1)?;
    let language: Option<String> = row.get(4)?;
    let last_activity_at: Option<i64> = row.get(8)?;
    let id = row.get(0)?;
    let title = row.get(2)?;
    let description = row.get(3)?;
    let neighbourhood = row.get(5)?;
    let community_id = row.get(6)?;
    let thread_count = row.get(7)?;
    Ok((|| {
        Ok(BoardRecord {
            id,
            kind: BoardKind::parse(&kind)
                .ok_or_else(|| StorageError::Internal(format!("stored board kind `{kind}`")))?,
            title,
            description,
            language: language.as_deref().and_then(Language::parse),
            neighbourhood,
            community_id,
            thread_count,
            last_activity_at: from_millis_opt(last_activity_at)?,
        })
    })())
}

pub(super) const THREAD_SELECT: &str = "
    SELECT t.id, t.board_id, t.title, t.citizen_id, coalesce(c.alias, t.staff_name, ''),
           t.staff_name IS NOT NULL, t.status, t.created_at, t.last_activity_at, t.post_count
    FROM threads t LEFT JOIN citizens c ON c.id = t.citizen_id";

pub(crate) fn thread_by_id(connection: &Connection, thread_id: i64) -> StorageResult<ThreadRecord> {
    connection
        .prepare_cached(&format!("{THREAD_SELECT} WHERE t.id = ?1"))?
        .query_row(params![thread_id], thread_columns)
        .optional()?
        .ok_or(StorageError::NotFound)?
}

pub(super) fn thread_columns(row: &Row<'_>) -> rusqlite::Result<StorageResult<ThreadRecord>> {
    let status: String = row.get(6)?;
    let created_at: i64 = row.get(7)?;
    let last_activity_at: i64 = row.get(8)?;
    let (id, board_id, title, citizen_id, author_name, official, post_count) = (
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(9)?,
    );
    Ok((|| {
        Ok(ThreadRecord {
            id,
            board_id,
            title,
            citizen_id,
            author_name,
            official,
            status: StoredStatus::parse(&status)?,
            created_at: from_millis(created_at)?,
            last_activity_at: from_millis(last_activity_at)?,
            post_count,
        })
    })())
}

/// `?1` is the viewer, for `reported_by_viewer`.
pub(super) const POST_SELECT: &str = "
    SELECT p.id, p.thread_id, p.citizen_id, coalesce(c.alias, p.staff_name, ''), p.official,
           p.body, p.status, p.moderation_note, p.created_at, p.edited_at,
           EXISTS (SELECT 1 FROM post_reports r WHERE r.post_id = p.id AND r.citizen_id = ?1)
    FROM posts p LEFT JOIN citizens c ON c.id = p.citizen_id";

/// [`POST_SELECT`] plus the thread's and board's titles and the filtered
/// words (columns 11 to 13), for the moderation queue.
pub(crate) const POST_REVIEW_SELECT: &str = "
    SELECT p.id, p.thread_id, p.citizen_id, coalesce(c.alias, p.staff_name, ''), p.official,
           p.body, p.status, p.moderation_note, p.created_at, p.edited_at,
           EXISTS (SELECT 1 FROM post_reports r WHERE r.post_id = p.id AND r.citizen_id = ?1),
           t.title, b.title, p.filtered_words
    FROM posts p LEFT JOIN citizens c ON c.id = p.citizen_id
    JOIN threads t ON t.id = p.thread_id JOIN boards b ON b.id = t.board_id";

pub(crate) fn post_by_id(
    connection: &Connection,
    post_id: i64,
    viewer: Option<i64>,
) -> StorageResult<PostRecord> {
    connection
        .prepare_cached(&format!("{POST_SELECT} WHERE p.id = ?2"))?
        .query_row(params![viewer, post_id], post_columns)
        .optional()?
        .ok_or(StorageError::NotFound)?
}

pub(crate) fn post_columns(row: &Row<'_>) -> rusqlite::Result<StorageResult<PostRecord>> {
    let status: String = row.get(6)?;
    let created_at: i64 = row.get(8)?;
    let edited_at: Option<i64> = row.get(9)?;
    let (id, thread_id, citizen_id, author_name, official, body, moderation_note, reported) = (
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(7)?,
        row.get(10)?,
    );
    Ok((|| {
        Ok(PostRecord {
            id,
            thread_id,
            citizen_id,
            author_name,
            official,
            body,
            status: StoredStatus::parse(&status)?,
            moderation_note,
            created_at: from_millis(created_at)?,
            edited_at: from_millis_opt(edited_at)?,
            reported_by_viewer: reported,
        })
    })())
}
