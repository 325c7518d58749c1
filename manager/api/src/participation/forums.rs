//! Local forums: boards (by topic, by neighbourhood, or a community's own)
//! hold threads, threads hold posts. Plain text only.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::session::Language;
use crate::wire_enum;

wire_enum! {
    /// What a board is about.
    pub enum BoardKind {
        Topic = "topic",
        Neighbourhood = "neighbourhood",
        /// The board of one community.
        Community = "community",
    }
}

wire_enum! {
    /// A post as the viewer may see it.
    pub enum PostStatus {
        Published = "published",
        /// Held by the word filter or hidden after reports, waiting for a
        /// supervisor. Others see "this post is under review" and no text.
        UnderReview = "under_review",
        /// Hidden by a supervisor; its author sees why, others see "under review".
        Hidden = "hidden",
        /// Deleted by its author or a supervisor; no text.
        Deleted = "deleted",
    }
}

wire_enum! {
    /// Why a citizen reports a post.
    pub enum ReportReason {
        Spam = "spam",
        Offensive = "offensive",
        /// Does not belong on this board.
        OffTopic = "off_topic",
        /// Explained in `details`.
        Other = "other",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Board {
    pub id: i64,
    pub kind: BoardKind,
    pub title: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub neighbourhood: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub community_id: Option<i64>,
    /// Threads anyone can read.
    pub thread_count: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub last_activity_at: Option<Timestamp>,
}

/// `GET /api/v1/forums/boards` reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BoardList {
    pub boards: Vec<Board>,
}

/// `POST /api/v1/forums/boards` body (staff): a topic or neighbourhood
/// board. A community's board comes with the community.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewBoard {
    pub kind: BoardKind,
    #[cfg_attr(feature = "openapi", schema(min_length = 3, max_length = 80))]
    pub title: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    /// Required for a neighbourhood board.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 80))]
    pub neighbourhood: Option<String>,
    /// The centre it belongs to, whose staff post officially on it. Left
    /// out: a supervisor's only centre, or for an admin the whole network
    /// (official posts by admins only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub centre_id: Option<i64>,
}

/// Who wrote something.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Author {
    /// The citizen's alias, or the staff member's name.
    pub name: String,
    /// Written by municipal staff.
    pub official: bool,
    /// The citizen erased their account and kept this, unsigned: `name` is
    /// empty.
    #[serde(default)]
    pub deleted_account: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadSummary {
    pub id: i64,
    pub board_id: i64,
    pub title: String,
    pub author: Author,
    /// Published posts, the first one included.
    pub post_count: u64,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub last_activity_at: Timestamp,
    /// The status of the thread's first post, as the viewer may see it: a
    /// thread under review is listed only to its author.
    pub status: PostStatus,
}

/// `GET /api/v1/forums/boards/{id}/threads` reply, newest activity first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadPage {
    pub board: Board,
    pub threads: Vec<ThreadSummary>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Post {
    pub id: i64,
    pub thread_id: i64,
    pub author: Author,
    pub status: PostStatus,
    /// Absent when the viewer may not read it (under review, deleted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// To the author only: why the post is held or hidden.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderation_note: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub edited_at: Option<Timestamp>,
    /// Written by the viewer.
    pub mine: bool,
    /// The viewer may edit or delete it until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub editable_until: Option<Timestamp>,
    /// The viewer has already reported it.
    pub reported_by_me: bool,
}

/// `GET /api/v1/forums/threads/{id}` reply: posts oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadView {
    pub thread: ThreadSummary,
    pub posts: Vec<Post>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// `POST /api/v1/forums/boards/{id}/threads` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewThread {
    #[cfg_attr(feature = "openapi", schema(min_length = 5, max_length = 120))]
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 4000))]
    pub body: String,
}

/// `POST /api/v1/forums/boards/{id}/threads` reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadCreated {
    pub thread: ThreadSummary,
    pub post: Post,
}

/// `POST /api/v1/forums/threads/{id}/posts` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPost {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 4000))]
    pub body: String,
}

/// `PATCH /api/v1/forums/posts/{id}` body; `title` only for a thread's first post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PostEdit {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 4000))]
    pub body: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 5, max_length = 120))]
    pub title: Option<String>,
}

/// `POST /api/v1/forums/posts/{id}/reports` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    pub reason: ReportReason,
    /// Required with `other`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub details: Option<String>,
}

/// `POST /api/v1/forums/posts/{id}/reports` reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportReceipt {
    pub post_id: i64,
    /// The post is now hidden until a supervisor reviews it.
    pub hidden_for_review: bool,
}
