//! Community rows: inserts shared with the seed, member counts, and the
//! SELECT of a community as a viewer sees it.

use jiff::Timestamp;
use plaza_api::participation::communities::{
    Announcement, CommunityEvent, CommunitySummary, JoinRequest, MembershipStatus, NewCommunity,
};
use plaza_api::participation::forums::BoardKind;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{ItemAuthor, NewEventRecord};
use crate::storage::columns::{Columns, FromRow, Millis, Term};
use crate::storage::forums::{NewBoard, insert_board, known_centre};
use crate::storage::{StorageError, StorageResult};

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
    if let Some(centre_id) = community.centre_id {
        known_centre(connection, centre_id)?;
    }
    connection
        .prepare_cached(
            "INSERT INTO communities (name, description, neighbourhood, category,
                                      requires_approval, centre_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            community.name,
            community.description,
            community.neighbourhood,
            Term(community.category),
            community.requires_approval,
            community.centre_id,
            Millis(now)
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
            centre_id: community.centre_id,
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
    author: &ItemAuthor,
    now: Timestamp,
) -> StorageResult<Announcement> {
    community_by_id(connection, community_id, None)?;
    connection
        .prepare_cached(
            "INSERT INTO community_announcements
                 (community_id, title, body, author, citizen_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            community_id,
            title,
            body,
            author.name,
            author.citizen_id,
            Millis(now)
        ])?;
    Ok(Announcement {
        id: connection.last_insert_rowid(),
        title: title.to_owned(),
        body: body.to_owned(),
        author: author.name.clone(),
        created_at: now,
    })
}

pub(crate) fn insert_event(
    connection: &Connection,
    community_id: i64,
    event: &NewEventRecord,
    author: &ItemAuthor,
    now: Timestamp,
) -> StorageResult<CommunityEvent> {
    community_by_id(connection, community_id, None)?;
    connection
        .prepare_cached(
            "INSERT INTO community_events (community_id, title, description, place, starts_at,
                                           ends_at, author, citizen_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?
        .execute(params![
            community_id,
            event.title,
            event.description,
            event.place,
            Millis(event.starts_at),
            event.ends_at.map(Millis),
            author.name,
            author.citizen_id,
            Millis(now)
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

pub(crate) fn count_members(connection: &Connection, community_id: i64) -> StorageResult<()> {
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
    Ok(connection
        .prepare_cached(
            "SELECT status FROM community_members WHERE community_id = ?1 AND citizen_id = ?2",
        )?
        .query_row(params![community_id, citizen_id], |row| row.term("status"))
        .optional()?)
}

/// `?1` is the viewer, for `membership`.
pub(super) const COMMUNITY_SELECT: &str = "
    SELECT c.id, c.name, c.description, c.neighbourhood, c.category, c.member_count,
           c.requires_approval, b.id AS board_id,
           (SELECT m.status FROM community_members m
            WHERE m.community_id = c.id AND m.citizen_id = ?1) AS membership
    FROM communities c JOIN boards b ON b.community_id = c.id";

pub(crate) fn community_by_id(
    connection: &Connection,
    community_id: i64,
    viewer: Option<i64>,
) -> StorageResult<CommunitySummary> {
    connection
        .prepare_cached(&format!("{COMMUNITY_SELECT} WHERE c.id = ?2"))?
        .query_row(params![viewer, community_id], CommunitySummary::from_row)
        .optional()?
        .ok_or(StorageError::NotFound)
}

impl FromRow for CommunitySummary {
    /// A row of [`COMMUNITY_SELECT`].
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get("id")?,
            name: row.get("name")?,
            description: row.get("description")?,
            neighbourhood: row.get("neighbourhood")?,
            category: row.term("category")?,
            member_count: row.get("member_count")?,
            requires_approval: row.get("requires_approval")?,
            board_id: row.get("board_id")?,
            membership: row.term_opt("membership")?,
        })
    }
}

impl FromRow for Announcement {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get("id")?,
            title: row.get("title")?,
            body: row.get("body")?,
            author: row.get("author")?,
            created_at: row.time("created_at")?,
        })
    }
}

impl FromRow for CommunityEvent {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get("id")?,
            title: row.get("title")?,
            description: row.get("description")?,
            place: row.get("place")?,
            starts_at: row.time("starts_at")?,
            ends_at: row.time_opt("ends_at")?,
        })
    }
}

impl FromRow for JoinRequest {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            alias: row.get("alias")?,
            requested_at: row.time("since")?,
        })
    }
}
