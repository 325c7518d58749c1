//! The moderation queue supervisors work through.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::forums::ReportReason;
use crate::wire_enum;

wire_enum! {
    /// Why a post is in the queue.
    pub enum QueueReason {
        /// The word filter held it before anyone saw it.
        WordFilter = "word_filter",
        /// Enough different accounts reported it; hidden until reviewed.
        Reports = "reports",
        /// Reported, not yet hidden.
        Reported = "reported",
    }
}

wire_enum! {
    pub enum ModerationAction {
        /// Publish it (again); its reports are cleared.
        Approve = "approve",
        /// Keep it hidden; its author sees the reason.
        Hide = "hide",
        /// Remove its text for good.
        Delete = "delete",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportSummary {
    pub reason: ReportReason,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueItem {
    pub post_id: i64,
    pub thread_id: i64,
    pub thread_title: String,
    pub board_title: String,
    pub author: String,
    pub body: String,
    pub reason: QueueReason,
    /// Words of the filter the post contains.
    #[serde(default)]
    pub filtered_words: Vec<String>,
    #[serde(default)]
    pub reports: Vec<ReportSummary>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
}

/// `GET /api/v1/moderation/queue` reply, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModerationQueue {
    pub items: Vec<QueueItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// `POST /api/v1/moderation/posts/{id}` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ModerationDecision {
    pub action: ModerationAction,
    /// Required to hide or delete; shown to the post's author.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub reason: Option<String>,
}
