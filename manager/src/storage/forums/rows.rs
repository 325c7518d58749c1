//! The SELECTs of boards, threads and posts, and their records read from
//! them.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{BoardRecord, PostRecord, ThreadRecord};
use crate::storage::columns::{Columns, FromRow};
use crate::storage::{StorageError, StorageResult};

pub(super) const BOARD_SELECT: &str = "
    SELECT id, kind, title, description, language, neighbourhood, community_id,
           thread_count, last_activity_at
    FROM boards";

pub(crate) fn board_by_id(connection: &Connection, board_id: i64) -> StorageResult<BoardRecord> {
    connection
        .prepare_cached(&format!("{BOARD_SELECT} WHERE id = ?1"))?
        .query_row(params![board_id], BoardRecord::from_row)
        .optional()?
        .ok_or(StorageError::NotFound)
}

impl FromRow for BoardRecord {
    /// A row of [`BOARD_SELECT`].
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get("id")?,
            kind: row.term("kind")?,
            title: row.get("title")?,
            description: row.get("description")?,
            language: row.term_opt("language")?,
            neighbourhood: row.get("neighbourhood")?,
            community_id: row.get("community_id")?,
            thread_count: row.get("thread_count")?,
            last_activity_at: row.time_opt("last_activity_at")?,
        })
    }
}

pub(super) const THREAD_SELECT: &str = "
    SELECT t.id, t.board_id, t.title, t.citizen_id,
           coalesce(c.alias, t.staff_name, '') AS author_name,
           t.staff_name IS NOT NULL AS official, t.status, t.created_at, t.last_activity_at,
           t.post_count
    FROM threads t LEFT JOIN citizens c ON c.id = t.citizen_id";

pub(crate) fn thread_by_id(connection: &Connection, thread_id: i64) -> StorageResult<ThreadRecord> {
    connection
        .prepare_cached(&format!("{THREAD_SELECT} WHERE t.id = ?1"))?
        .query_row(params![thread_id], ThreadRecord::from_row)
        .optional()?
        .ok_or(StorageError::NotFound)
}

impl FromRow for ThreadRecord {
    /// A row of [`THREAD_SELECT`].
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get("id")?,
            board_id: row.get("board_id")?,
            title: row.get("title")?,
            citizen_id: row.get("citizen_id")?,
            author_name: row.get("author_name")?,
            official: row.get("official")?,
            status: row.term("status")?,
            created_at: row.time("created_at")?,
            last_activity_at: row.time("last_activity_at")?,
            post_count: row.get("post_count")?,
        })
    }
}

/// `?1` is the viewer, for `reported_by_viewer`.
pub(super) const POST_SELECT: &str = "
    SELECT p.id, p.thread_id, p.citizen_id, coalesce(c.alias, p.staff_name, '') AS author_name,
           p.official, p.body, p.status, p.moderation_note, p.created_at, p.edited_at,
           EXISTS (SELECT 1 FROM post_reports r WHERE r.post_id = p.id AND r.citizen_id = ?1)
               AS reported_by_viewer
    FROM posts p LEFT JOIN citizens c ON c.id = p.citizen_id";

/// [`POST_SELECT`] plus the thread's and board's titles and the filtered
/// words, for the moderation queue.
pub(crate) const POST_REVIEW_SELECT: &str = "
    SELECT p.id, p.thread_id, p.citizen_id, coalesce(c.alias, p.staff_name, '') AS author_name,
           p.official, p.body, p.status, p.moderation_note, p.created_at, p.edited_at,
           EXISTS (SELECT 1 FROM post_reports r WHERE r.post_id = p.id AND r.citizen_id = ?1)
               AS reported_by_viewer,
           t.title AS thread_title, b.title AS board_title, p.filtered_words
    FROM posts p LEFT JOIN citizens c ON c.id = p.citizen_id
    JOIN threads t ON t.id = p.thread_id JOIN boards b ON b.id = t.board_id";

pub(crate) fn post_by_id(
    connection: &Connection,
    post_id: i64,
    viewer: Option<i64>,
) -> StorageResult<PostRecord> {
    connection
        .prepare_cached(&format!("{POST_SELECT} WHERE p.id = ?2"))?
        .query_row(params![viewer, post_id], PostRecord::from_row)
        .optional()?
        .ok_or(StorageError::NotFound)
}

impl FromRow for PostRecord {
    /// A row of [`POST_SELECT`] (or [`POST_REVIEW_SELECT`]).
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get("id")?,
            thread_id: row.get("thread_id")?,
            citizen_id: row.get("citizen_id")?,
            author_name: row.get("author_name")?,
            official: row.get("official")?,
            body: row.get("body")?,
            status: row.term("status")?,
            moderation_note: row.get("moderation_note")?,
            created_at: row.time("created_at")?,
            edited_at: row.time_opt("edited_at")?,
            reported_by_viewer: row.get("reported_by_viewer")?,
        })
    }
}
