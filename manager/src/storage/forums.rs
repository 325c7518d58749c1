//! Forums: boards, threads and posts. A thread's status follows its first
//! post; boards and threads keep their published counts and latest activity
//! up to date with every change, so listing pages never count.

use jiff::Timestamp;
use plaza_api::participation::forums::BoardKind;
use plaza_api::session::Language;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Storage, StorageError, StorageResult, from_millis, from_millis_opt, to_millis};

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

    fn parse(text: &str) -> StorageResult<Self> {
        Ok(match text {
            "published" => Self::Published,
            "held" => Self::Held,
            "reported" => Self::Reported,
            "hidden" => Self::Hidden,
            "deleted" => Self::Deleted,
            other => {
                return Err(StorageError::Internal(format!(
                    "stored post status `{other}`"
                )));
            }
        })
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
    pub async fn create_board(
        &self,
        board: NewBoard,
        now: Timestamp,
    ) -> StorageResult<BoardRecord> {
        self.write(move |connection| insert_board(connection, &board, now))
            .await
    }

    /// Boards in their set order, optionally of one kind or neighbourhood.
    pub async fn boards(
        &self,
        kind: Option<BoardKind>,
        neighbourhood: Option<String>,
    ) -> StorageResult<Vec<BoardRecord>> {
        self.read(move |connection| {
            connection
                .prepare_cached(&format!(
                    "{BOARD_SELECT} WHERE (?1 IS NULL OR kind = ?1)
                       AND (?2 IS NULL OR neighbourhood = ?2 COLLATE NOCASE)
                     ORDER BY position, title"
                ))?
                .query_map(
                    params![kind.map(BoardKind::as_str), neighbourhood],
                    board_columns,
                )?
                .map(|row| row?)
                .collect()
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
            connection
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
                    thread_columns,
                )?
                .map(|row| row?)
                .collect()
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
            connection
                .prepare_cached(&format!(
                    "{POST_SELECT} WHERE p.thread_id = ?2 AND p.id > ?3 ORDER BY p.id LIMIT ?4"
                ))?
                .query_map(params![viewer, thread_id, after, limit], post_columns)?
                .map(|row| row?)
                .collect()
        })
        .await
    }

    pub async fn post(&self, post_id: i64, viewer: Option<i64>) -> StorageResult<PostRecord> {
        self.read(move |connection| post_by_id(connection, post_id, viewer))
            .await
    }

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
                    to_millis(change.now),
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
    if to_millis(now) > to_millis(post.created_at) + window_ms {
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
    let since = to_millis(post.now) - post.rate_limit.window_ms;
    let recent: Vec<i64> = connection
        .prepare_cached(
            "SELECT created_at FROM posts WHERE citizen_id = ?1 AND created_at > ?2
             ORDER BY created_at DESC LIMIT ?3",
        )?
        .query_map(params![citizen_id, since, post.rate_limit.posts], |row| {
            row.get(0)
        })?
        .collect::<Result<_, _>>()?;
    if recent.len() < post.rate_limit.posts as usize {
        return Ok(None);
    }
    // The oldest of the last `posts` posts leaves the window first.
    let oldest = recent.last().copied().unwrap_or(since);
    Ok(Some(from_millis(oldest + post.rate_limit.window_ms)?))
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
            to_millis(post.now)
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
            if held { "held" } else { "published" },
            held.then(|| post.filtered_words.join(",")),
            to_millis(post.now),
        ])?;
    Ok(connection.last_insert_rowid())
}

pub(crate) fn insert_board(
    connection: &Connection,
    board: &NewBoard,
    now: Timestamp,
) -> StorageResult<BoardRecord> {
    connection
        .prepare_cached(
            "INSERT INTO boards (kind, title, description, language, neighbourhood,
                                 community_id, position, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            board.kind.as_str(),
            board.title,
            board.description,
            board.language.map(Language::as_str),
            board.neighbourhood,
            board.community_id,
            board.position,
            to_millis(now),
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
        .query_row(params![post_id, status.as_str(), note], |row| row.get(0))
        .optional()?
        .ok_or(StorageError::NotFound)?;
    sync_thread(connection, thread_id)
}

fn first_post_id(connection: &Connection, thread_id: i64) -> StorageResult<Option<i64>> {
    Ok(connection
        .prepare_cached("SELECT first_post_id FROM threads WHERE id = ?1")?
        .query_row(params![thread_id], |row| row.get(0))?)
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
        .query_row(params![thread_id], |row| row.get(0))?;
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

const BOARD_SELECT: &str = "
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

fn board_columns(row: &Row<'_>) -> rusqlite::Result<StorageResult<BoardRecord>> {
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

const THREAD_SELECT: &str = "
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

fn thread_columns(row: &Row<'_>) -> rusqlite::Result<StorageResult<ThreadRecord>> {
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
const POST_SELECT: &str = "
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
