//! Community rows: inserts shared with the seed, member counts, and the
//! SELECT of a community as a viewer sees it.

use jiff::Timestamp;
use plaza_api::participation::communities::{
    Announcement, CommunityCategory, CommunityEvent, CommunitySummary, MembershipStatus,
    NewCommunity,
};
use plaza_api::participation::forums::BoardKind;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::NewEventRecord;
use crate::storage::forums::{NewBoard, insert_board};
use crate::storage::{StorageError, StorageResult, to_millis};

pub(crate) fn insert_community(
    connection: &Connection,
    community: &NewCommunity,
    now: Timestamp,
) -> StorageResult<CommunitySummary> {
    let taken = connection
        .prepare_cached("SELECT 1 FROM communities WHERE name = ?1")?
        .exists(params![community.name])?;
    if taken {
        return Err(StorageError::Conflict(format!(
            "a community named `{}` already exists",
            community.name
        )));
    }
    connection
        .prepare_cached(
            "INSERT INTO communities (name, description, neighbourhood, category,
                                      requires_approval, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            community.name,
            community.description,
            community.neighbourhood,
            community.category.as_str(),
            community.requires_approval,
            to_millis(now)
        ])?;
    let id = connection.last_insert_rowid();
    insert_board(
        connection,
        &NewBoard {
            kind: BoardKind::Community,
            title: community.name.clone(),
            description: community.description.clone(),
            language: None,
            neighbourhood: community.neighbourhood.clone(),
            community_id: Some(id),
            position: 1000,
        },
        now,
    )?;
    community_by_id(connection, id, None)
}

pub(crate) fn insert_announcement(
    connection: &Connection,
    community_id: i64,
    title: &str,
    body: &str,
    author: &str,
    now: Timestamp,
) -> StorageResult<Announcement> {
    community_by_id(connection, community_id, None)?;
    connection
        .prepare_cached(
            "INSERT INTO community_announcements (community_id, title, body, author, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![community_id, title, body, author, to_millis(now)])?;
    Ok(Announcement {
        id: connection.last_insert_rowid(),
        title: title.to_owned(),
        body: body.to_owned(),
        author: author.to_owned(),
        created_at: now,
    })
}

pub(crate) fn insert_event(
    connection: &Connection,
    community_id: i64,
    event: &NewEventRecord,
    author: &str,
    now: Timestamp,
) -> StorageResult<CommunityEvent> {
    community_by_id(connection, community_id, None)?;
    connection
        .prepare_cached(
            "INSERT INTO community_events (community_id, title, description, place, starts_at,
                                           ends_at, author, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![
            community_id,
            event.title,
            event.description,
            event.place,
            to_millis(event.starts_at),
            event.ends_at.map(to_millis),
            author,
            to_millis(now)
        ])?;
    Ok(CommunityEvent {
        id: connection.last_insert_rowid(),
        title: event.title.clone(),
        description: event.description.clone(),
        place: event.place.clone(),
        starts_at: event.starts_at,
        ends_at: event.ends_at,
    })
}

pub(super) fn count_members(connection: &Connection, community_id: i64) -> StorageResult<()> {
    connection
        .prepare_cached(
            "UPDATE communities SET member_count = (
                 SELECT count(*) FROM community_members
                 WHERE community_id = ?1 AND status IN ('member', 'coordinator'))
             WHERE id = ?1",
        )?
        .execute(params![community_id])?;
    Ok(())
}

pub(super) fn membership(
    connection: &Connection,
    community_id: i64,
    citizen_id: i64,
) -> StorageResult<Option<MembershipStatus>> {
    let status: Option<String> = connection
        .prepare_cached(
            "SELECT status FROM community_members WHERE community_id = ?1 AND citizen_id = ?2",
        )?
        .query_row(params![community_id, citizen_id], |row| row.get(0))
        .optional()?;
    Ok(status.as_deref().and_then(MembershipStatus::parse))
}

/// `?1` is the viewer, for `membership`.
pub(super) const COMMUNITY_SELECT: &str = "
    SELECT c.id, c.name, c.description, c.neighbourhood, c.category, c.member_count,
           c.requires_approval, b.id,
           (SELECT m.status FROM community_members m
            WHERE m.community_id = c.id AND m.citizen_id = ?1)
    FROM communities c JOIN boards b ON b.community_id = c.id";

pub(crate) fn community_by_id(
    connection: &Connection,
    community_id: i64,
    viewer: Option<i64>,
) -> StorageResult<CommunitySummary> {
    connection
        .prepare_cached(&format!("{COMMUNITY_SELECT} WHERE c.id = ?2"))?
        .query_row(params![viewer, community_id], community_columns)
        .optional()?
        .ok_or(StorageError::NotFound)?
}

pub(super) fn community_columns(
    row: &Row<'_>,
) -> rusqlite::Result<StorageResult<CommunitySummary>> {
    let category: String = row.get(4)?;
    let membership: Option<String> = row.get(8)?;
    let summary = CommunitySummary {
        id: row.get(0)?,
        name: row.get(1)?,
        description: row.get(2)?,
        neighbourhood: row.get(3)?,
        category: CommunityCategory::Other,
        member_count: row.get(5)?,
        requires_approval: row.get(6)?,
        board_id: row.get(7)?,
        membership: membership.as_deref().and_then(MembershipStatus::parse),
    };
    Ok(match CommunityCategory::parse(&category) {
        Some(category) => Ok(CommunitySummary {
            category,
            ..summary
        }),
        None => Err(StorageError::Internal(format!(
            "stored community category `{category}`"
        ))),
    })
}
