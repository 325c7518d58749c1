//! Forums: boards, threads and posts. A thread's status follows its first
//! post; boards and threads keep their published counts and latest activity
//! up to date with every change, so listing pages never count.

use jiff::Timestamp;
use plaza_api::participation::forums::BoardKind;
use plaza_api::session::Language;
use rusqlite::{OptionalExtension, params};

mod bulk;
mod posting;
mod rows;

use super::audit::{self, AuditEntry};
use super::columns::{FromRow, Term, Vocabulary};
use super::{Storage, StorageError, StorageResult};

pub use bulk::ForumVolume;
pub(crate) use posting::{
    insert_board, insert_post, insert_thread, known_centre, set_status, sync_thread,
};
use rows::{BOARD_SELECT, POST_SELECT, THREAD_SELECT};
pub(crate) use rows::{POST_REVIEW_SELECT, board_by_id, post_by_id, thread_by_id};

/// A post's status as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredStatus {
    Published,
    /// Held by the word filter, waiting for review.
    Held,
    /// Hidden after reports, waiting for review.
    Reported,
    /// Hidden by a supervisor.
    Hidden,
    Deleted,
}

impl StoredStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Published => "published",
            Self::Held => "held",
            Self::Reported => "reported",
            Self::Hidden => "hidden",
            Self::Deleted => "deleted",
        }
    }
}

impl Vocabulary for StoredStatus {
    const WHAT: &'static str = "post status";

    fn name(self) -> &'static str {
        self.as_str()
    }

    fn from_name(name: &str) -> Option<Self> {
        [
            Self::Published,
            Self::Held,
            Self::Reported,
            Self::Hidden,
            Self::Deleted,
        ]
        .into_iter()
        .find(|status| status.as_str() == name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardRecord {
    pub id: i64,
    pub kind: BoardKind,
    pub title: String,
    pub description: String,
    pub language: Option<Language>,
    pub neighbourhood: Option<String>,
    pub community_id: Option<i64>,
    pub thread_count: u64,
    pub last_activity_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBoard {
    pub kind: BoardKind,
    pub title: String,
    pub description: String,
    pub language: Option<Language>,
    pub neighbourhood: Option<String>,
    pub community_id: Option<i64>,
    /// The centre whose staff manage it; `None`: the whole network.
    pub centre_id: Option<i64>,
    pub position: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadRecord {
    pub id: i64,
    pub board_id: i64,
    pub title: String,
    pub citizen_id: Option<i64>,
    pub author_name: String,
    pub official: bool,
    pub status: StoredStatus,
    pub created_at: Timestamp,
    pub last_activity_at: Timestamp,
    pub post_count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostRecord {
    pub id: i64,
    pub thread_id: i64,
    pub citizen_id: Option<i64>,
    pub author_name: String,
    pub official: bool,
    pub body: String,
    pub status: StoredStatus,
    pub moderation_note: Option<String>,
    pub created_at: Timestamp,
    pub edited_at: Option<Timestamp>,
    /// The viewer reported it.
    pub reported_by_viewer: bool,
}

/// Who writes a post: a citizen, or staff (official).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostAuthor {
    Citizen(i64),
    Staff(String),
}

/// How many posts a citizen may write per window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub posts: u32,
    pub window_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPostRecord {
    pub author: PostAuthor,
    pub body: String,
    /// Words of the filter the text contains: non-empty holds the post.
    pub filtered_words: Vec<String>,
    pub now: Timestamp,
    pub rate_limit: RateLimit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostRefusal {
    /// Too many posts lately; the next one is allowed at this time.
    RateLimited(Timestamp),
    /// The thread cannot take replies (under review or deleted).
    ThreadClosed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditRefusal {
    NotYours,
    WindowClosed,
    /// Hidden or deleted posts cannot be changed by their author.
    Locked,
}

/// What a citizen changes in their own post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostChange {
    pub post_id: i64,
    pub citizen_id: i64,
    pub body: String,
    pub title: Option<String>,
    pub filtered_words: Vec<String>,
    pub now: Timestamp,
    pub window_ms: i64,
}

/// Threads after this position in "newest activity first" order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadCursor {
    pub last_activity_ms: i64,
    pub id: i64,
}

impl Storage {
    /// Creates a topic or neighbourhood board; audited.
    pub async fn create_board(
        &self,
        board: NewBoard,
        actor: String,
        now: Timestamp,
    ) -> StorageResult<BoardRecord> {
        self.write(move |connection| {
            let created = insert_board(connection, &board, now)?;
            audit::record(
                connection,
                &AuditEntry {
                    at: now,
                    actor,
                    action: "board.created".to_owned(),
                    target: Some(format!("board:{}", created.id)),
                    detail: Some(board.centre_id.map_or_else(
                        || "network".to_owned(),
                        |centre_id| format!("centre:{centre_id}"),
                    )),
                },
            )?;
            Ok(created)
        })
        .await
    }

    /// The centre a board belongs to (a community's board: its
    /// community's); `None`: the whole network.
    pub async fn board_centre(&self, board_id: i64) -> StorageResult<Option<i64>> {
        self.read(move |connection| {
            connection
                .prepare_cached("SELECT centre_id FROM boards WHERE id = ?1")?
                .query_row(params![board_id], |row| row.get("centre_id"))
                .optional()?
                .ok_or(StorageError::NotFound)
        })
        .await
    }

    /// Boards in their set order, optionally of one kind or neighbourhood.
    pub async fn boards(
        &self,
        kind: Option<BoardKind>,
        neighbourhood: Option<String>,
    ) -> StorageResult<Vec<BoardRecord>> {
        self.read(move |connection| {
            Ok(connection
                .prepare_cached(&format!(
                    "{BOARD_SELECT} WHERE (?1 IS NULL OR kind = ?1)
                       AND (?2 IS NULL OR neighbourhood = ?2 COLLATE NOCASE)
                     ORDER BY position, title"
                ))?
                .query_map(
                    params![kind.map(Term), neighbourhood],
                    BoardRecord::from_row,
                )?
                .collect::<Result<_, _>>()?)
        })
        .await
    }

    pub async fn board(&self, board_id: i64) -> StorageResult<BoardRecord> {
        self.read(move |connection| board_by_id(connection, board_id))
            .await
    }

    /// One page of a board's threads, newest activity first: published ones,
    /// and the viewer's own whatever their status.
    pub async fn threads_page(
        &self,
        board_id: i64,
        viewer: Option<i64>,
        after: Option<ThreadCursor>,
        limit: u32,
    ) -> StorageResult<Vec<ThreadRecord>> {
        self.read(move |connection| {
            board_by_id(connection, board_id)?;
            let (after_ms, after_id) = after.map_or((i64::MAX, i64::MAX), |cursor| {
                (cursor.last_activity_ms, cursor.id)
            });
            Ok(connection
                .prepare_cached(&format!(
                    "{THREAD_SELECT}
                     WHERE t.board_id = ?1
                       AND (t.last_activity_at, t.id) < (?2, ?3)
                       AND (t.status = 'published' OR (?4 IS NOT NULL AND t.citizen_id = ?4))
                     ORDER BY t.last_activity_at DESC, t.id DESC
                     LIMIT ?5"
                ))?
                .query_map(
                    params![board_id, after_ms, after_id, viewer, limit],
                    ThreadRecord::from_row,
                )?
                .collect::<Result<_, _>>()?)
        })
        .await
    }

    pub async fn thread(&self, thread_id: i64) -> StorageResult<ThreadRecord> {
        self.read(move |connection| thread_by_id(connection, thread_id))
            .await
    }

    /// One page of a thread's posts, oldest first, after post `after`.
    pub async fn posts_page(
        &self,
        thread_id: i64,
        viewer: Option<i64>,
        after: i64,
        limit: u32,
    ) -> StorageResult<Vec<PostRecord>> {
        self.read(move |connection| {
            Ok(connection
                .prepare_cached(&format!(
                    "{POST_SELECT} WHERE p.thread_id = ?2 AND p.id > ?3 ORDER BY p.id LIMIT ?4"
                ))?
                .query_map(
                    params![viewer, thread_id, after, limit],
                    PostRecord::from_row,
                )?
                .collect::<Result<_, _>>()?)
        })
        .await
    }

    pub async fn post(&self, post_id: i64, viewer: Option<i64>) -> StorageResult<PostRecord> {
        self.read(move |connection| post_by_id(connection, post_id, viewer))
            .await
    }
}
