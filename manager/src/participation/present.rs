//! Forum content as a given viewer may see it: others never read a post
//! under review; its author reads it and why it is held or hidden.

use jiff::{SignedDuration, Timestamp};
use plaza_api::participation::forums::{Author, Board, Post, PostStatus, ThreadSummary};

use crate::storage::forums::{BoardRecord, PostRecord, StoredStatus, ThreadRecord};

pub(super) fn board(board: BoardRecord) -> Board {
    Board {
        id: board.id,
        kind: board.kind,
        title: board.title,
        description: board.description,
        language: board.language,
        neighbourhood: board.neighbourhood,
        community_id: board.community_id,
        thread_count: board.thread_count,
        last_activity_at: board.last_activity_at,
    }
}

pub(super) fn thread(thread: ThreadRecord, viewer: Option<i64>) -> ThreadSummary {
    let mine = viewer.is_some() && thread.citizen_id == viewer;
    ThreadSummary {
        id: thread.id,
        board_id: thread.board_id,
        title: thread.title,
        author: Author {
            // An erased account's kept threads have neither alias nor staff name.
            deleted_account: thread.author_name.is_empty(),
            name: thread.author_name,
            official: thread.official,
        },
        post_count: thread.post_count,
        created_at: thread.created_at,
        last_activity_at: thread.last_activity_at,
        status: visible_status(thread.status, mine),
    }
}

fn visible_status(status: StoredStatus, mine: bool) -> PostStatus {
    match status {
        StoredStatus::Published => PostStatus::Published,
        StoredStatus::Held | StoredStatus::Reported => PostStatus::UnderReview,
        StoredStatus::Hidden if mine => PostStatus::Hidden,
        StoredStatus::Hidden => PostStatus::UnderReview,
        StoredStatus::Deleted => PostStatus::Deleted,
    }
}

/// A post as `viewer` may see it: others never read a post under review;
/// its author reads it and why it is held or hidden.
pub(super) fn post(
    post: PostRecord,
    viewer: Option<i64>,
    now: Timestamp,
    edit_window: SignedDuration,
) -> Post {
    let mine = viewer.is_some() && post.citizen_id == viewer;
    let status = visible_status(post.status, mine);
    let readable = match post.status {
        StoredStatus::Published => true,
        StoredStatus::Deleted => false,
        _ => mine,
    };
    let moderation_note = match post.status {
        StoredStatus::Held if mine => Some(post.moderation_note.unwrap_or_else(|| {
            "held for review: it contains words that are not allowed here".to_owned()
        })),
        StoredStatus::Reported | StoredStatus::Hidden | StoredStatus::Deleted if mine => {
            post.moderation_note
        }
        _ => None,
    };
    let editable_until = (mine
        && matches!(post.status, StoredStatus::Published | StoredStatus::Held))
    .then(|| post.created_at + edit_window)
    .filter(|until| *until > now);
    Post {
        id: post.id,
        thread_id: post.thread_id,
        author: Author {
            deleted_account: post.author_name.is_empty(),
            name: post.author_name,
            official: post.official,
        },
        status,
        body: readable.then_some(post.body),
        moderation_note,
        created_at: post.created_at,
        edited_at: post.edited_at,
        mine,
        editable_until,
        reported_by_me: post.reported_by_viewer,
    }
}
