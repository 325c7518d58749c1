//! Local virtual communities: directory, membership (with approval where the
//! community asks for it), coordinators, announcements and events. Each
//! community owns a board in the forums.

use jiff::Timestamp;
use plaza_api::participation::communities::{
    Announcement, CommunityCategory, CommunityEvent, CommunitySummary, JoinRequest,
    MembershipStatus, NewCommunity,
};
use rusqlite::{OptionalExtension, params};

mod rows;

use super::audit::{self, AuditEntry};
use super::citizens::citizen_by_key;
use super::columns::{FromRow, Millis, Term};
use super::{Storage, StorageError, StorageResult};

use rows::{COMMUNITY_SELECT, membership};
pub(crate) use rows::{
    community_by_id, count_members, insert_announcement, insert_community, insert_event,
};

/// Announcements shown with a community.
const ANNOUNCEMENTS_SHOWN: u32 = 20;
/// Upcoming events shown with a community.
const EVENTS_SHOWN: u32 = 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityContents {
    pub community: CommunitySummary,
    pub coordinators: Vec<String>,
    pub announcements: Vec<Announcement>,
    pub events: Vec<CommunityEvent>,
}

/// Who writes an announcement or an event: a coordinator's account (found
/// again by id when it is erased) or a staff member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemAuthor {
    pub name: String,
    pub citizen_id: Option<i64>,
}

/// Something a coordinator wrote in a community, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommunityItem {
    Announcement(i64),
    Event(i64),
}

impl CommunityItem {
    fn id(self) -> i64 {
        match self {
            Self::Announcement(id) | Self::Event(id) => id,
        }
    }

    fn table(self) -> &'static str {
        match self {
            Self::Announcement(_) => "community_announcements",
            Self::Event(_) => "community_events",
        }
    }

    fn removed_action(self) -> &'static str {
        match self {
            Self::Announcement(_) => "community.announcement_removed",
            Self::Event(_) => "community.event_removed",
        }
    }

    fn target(self) -> String {
        match self {
            Self::Announcement(id) => format!("announcement:{id}"),
            Self::Event(id) => format!("event:{id}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEventRecord {
    pub title: String,
    pub description: String,
    pub place: String,
    pub starts_at: Timestamp,
    pub ends_at: Option<Timestamp>,
}

impl Storage {
    /// Creates a community and its board; a name taken (any case) is a
    /// conflict. Audited.
    pub async fn create_community(
        &self,
        community: NewCommunity,
        actor: String,
        now: Timestamp,
    ) -> StorageResult<CommunitySummary> {
        self.write(move |connection| {
            let created = insert_community(connection, &community, now)?;
            audit::record(
                connection,
                &AuditEntry {
                    at: now,
                    actor,
                    action: "community.created".to_owned(),
                    target: Some(format!("community:{}", created.id)),
                    detail: Some(community.centre_id.map_or_else(
                        || "network".to_owned(),
                        |centre_id| format!("centre:{centre_id}"),
                    )),
                },
            )?;
            Ok(created)
        })
        .await
    }

    /// The centre a community belongs to; `None`: the whole network.
    pub async fn community_centre(&self, community_id: i64) -> StorageResult<Option<i64>> {
        self.read(move |connection| {
            connection
                .prepare_cached("SELECT centre_id FROM communities WHERE id = ?1")?
                .query_row(params![community_id], |row| row.get("centre_id"))
                .optional()?
                .ok_or(StorageError::NotFound)
        })
        .await
    }

    /// A moderator removes an announcement or event of a community; audited
    /// with its title.
    pub async fn remove_community_item(
        &self,
        community_id: i64,
        item: CommunityItem,
        actor: String,
        now: Timestamp,
    ) -> StorageResult<()> {
        self.write(move |connection| {
            let title: String = connection
                .prepare_cached(&format!(
                    "DELETE FROM {} WHERE id = ?1 AND community_id = ?2 RETURNING title",
                    item.table()
                ))?
                .query_row(params![item.id(), community_id], |row| row.get("title"))
                .optional()?
                .ok_or(StorageError::NotFound)?;
            audit::record(
                connection,
                &AuditEntry {
                    at: now,
                    actor,
                    action: item.removed_action().to_owned(),
                    target: Some(format!("community:{community_id}")),
                    detail: Some(format!("{}: {title}", item.target())),
                },
            )
        })
        .await
    }

    /// The directory, by name; `viewer`'s membership filled in.
    pub async fn communities(
        &self,
        neighbourhood: Option<String>,
        category: Option<CommunityCategory>,
        viewer: Option<i64>,
    ) -> StorageResult<Vec<CommunitySummary>> {
        self.read(move |connection| {
            Ok(connection
                .prepare_cached(&format!(
                    "{COMMUNITY_SELECT}
                     WHERE (?2 IS NULL OR c.neighbourhood = ?2 COLLATE NOCASE)
                       AND (?3 IS NULL OR c.category = ?3)
                     ORDER BY c.name"
                ))?
                .query_map(
                    params![viewer, neighbourhood, category.map(Term)],
                    CommunitySummary::from_row,
                )?
                .collect::<Result<_, _>>()?)
        })
        .await
    }

    pub async fn community(
        &self,
        community_id: i64,
        viewer: Option<i64>,
        now: Timestamp,
    ) -> StorageResult<CommunityContents> {
        self.read(move |connection| {
            let community = community_by_id(connection, community_id, viewer)?;
            let coordinators = connection
                .prepare_cached(
                    "SELECT z.alias FROM community_members m JOIN citizens z ON z.id = m.citizen_id
                     WHERE m.community_id = ?1 AND m.status = 'coordinator' ORDER BY z.alias",
                )?
                .query_map(params![community_id], |row| row.get("alias"))?
                .collect::<Result<Vec<String>, _>>()?;
            let announcements = connection
                .prepare_cached(
                    "SELECT id, title, body, author, created_at FROM community_announcements
                     WHERE community_id = ?1 ORDER BY created_at DESC, id DESC LIMIT ?2",
                )?
                .query_map(
                    params![community_id, ANNOUNCEMENTS_SHOWN],
                    Announcement::from_row,
                )?
                .collect::<Result<_, _>>()?;
            let events = connection
                .prepare_cached(
                    "SELECT id, title, description, place, starts_at, ends_at FROM community_events
                     WHERE community_id = ?1 AND coalesce(ends_at, starts_at) >= ?2
                     ORDER BY starts_at, id LIMIT ?3",
                )?
                .query_map(
                    params![community_id, Millis(now), EVENTS_SHOWN],
                    CommunityEvent::from_row,
                )?
                .collect::<Result<_, _>>()?;
            Ok(CommunityContents {
                community,
                coordinators,
                announcements,
                events,
            })
        })
        .await
    }

    /// The viewer's standing in a community, if any.
    pub async fn membership(
        &self,
        community_id: i64,
        citizen_id: i64,
    ) -> StorageResult<Option<MembershipStatus>> {
        self.read(move |connection| membership(connection, community_id, citizen_id))
            .await
    }

    /// Joins (or asks to join) a community; joining again changes nothing.
    pub async fn join_community(
        &self,
        community_id: i64,
        citizen_id: i64,
        now: Timestamp,
    ) -> StorageResult<MembershipStatus> {
        self.write(move |connection| {
            let community = community_by_id(connection, community_id, Some(citizen_id))?;
            if let Some(status) = community.membership {
                return Ok(status);
            }
            let status = if community.requires_approval {
                MembershipStatus::Pending
            } else {
                MembershipStatus::Member
            };
            connection
                .prepare_cached(
                    "INSERT INTO community_members (community_id, citizen_id, status, since)
                     VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![community_id, citizen_id, Term(status), Millis(now)])?;
            count_members(connection, community_id)?;
            Ok(status)
        })
        .await
    }

    /// Leaves a community (or withdraws a request); a coordinator loses the role.
    pub async fn leave_community(&self, community_id: i64, citizen_id: i64) -> StorageResult<()> {
        self.write(move |connection| {
            community_by_id(connection, community_id, None)?;
            connection
                .prepare_cached(
                    "DELETE FROM community_members WHERE community_id = ?1 AND citizen_id = ?2",
                )?
                .execute(params![community_id, citizen_id])?;
            count_members(connection, community_id)
        })
        .await
    }

    pub async fn join_requests(&self, community_id: i64) -> StorageResult<Vec<JoinRequest>> {
        self.read(move |connection| {
            Ok(connection
                .prepare_cached(
                    "SELECT z.alias, m.since FROM community_members m
                     JOIN citizens z ON z.id = m.citizen_id
                     WHERE m.community_id = ?1 AND m.status = 'pending' ORDER BY m.since",
                )?
                .query_map(params![community_id], JoinRequest::from_row)?
                .collect::<Result<_, _>>()?)
        })
        .await
    }

    /// A coordinator accepts or turns down a request to join.
    pub async fn decide_join_request(
        &self,
        community_id: i64,
        alias_key: String,
        accept: bool,
    ) -> StorageResult<()> {
        self.write(move |connection| {
            let citizen = citizen_by_key(connection, &alias_key)?;
            let changed = if accept {
                connection
                    .prepare_cached(
                        "UPDATE community_members SET status = 'member'
                         WHERE community_id = ?1 AND citizen_id = ?2 AND status = 'pending'",
                    )?
                    .execute(params![community_id, citizen.id])?
            } else {
                connection
                    .prepare_cached(
                        "DELETE FROM community_members
                         WHERE community_id = ?1 AND citizen_id = ?2 AND status = 'pending'",
                    )?
                    .execute(params![community_id, citizen.id])?
            };
            if changed == 0 {
                return Err(StorageError::NotFound);
            }
            count_members(connection, community_id)
        })
        .await
    }

    /// A supervisor makes a citizen a coordinator (a member too), or takes
    /// the role back (they stay a member); audited.
    pub async fn set_coordinator(
        &self,
        community_id: i64,
        alias_key: String,
        coordinator: bool,
        actor: String,
        now: Timestamp,
    ) -> StorageResult<()> {
        self.write(move |connection| {
            community_by_id(connection, community_id, None)?;
            let citizen = citizen_by_key(connection, &alias_key)?;
            let status = if coordinator {
                MembershipStatus::Coordinator
            } else {
                MembershipStatus::Member
            };
            connection
                .prepare_cached(
                    "INSERT INTO community_members (community_id, citizen_id, status, since)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (community_id, citizen_id) DO UPDATE SET status = excluded.status",
                )?
                .execute(params![community_id, citizen.id, Term(status), Millis(now)])?;
            count_members(connection, community_id)?;
            audit::record(
                connection,
                &AuditEntry {
                    at: now,
                    actor,
                    action: if coordinator {
                        "community.coordinator_granted"
                    } else {
                        "community.coordinator_revoked"
                    }
                    .to_owned(),
                    target: Some(format!("community:{community_id}")),
                    detail: Some(format!("citizen:{}", citizen.alias)),
                },
            )
        })
        .await
    }

    pub async fn community_id_by_name(&self, name: String) -> StorageResult<i64> {
        self.read(move |connection| {
            connection
                .prepare_cached("SELECT id FROM communities WHERE name = ?1")?
                .query_row(params![name], |row| row.get("id"))
                .optional()?
                .ok_or(StorageError::NotFound)
        })
        .await
    }

    /// Ids of the communities a citizen coordinates.
    pub async fn coordinated_communities(&self, citizen_id: i64) -> StorageResult<Vec<i64>> {
        self.read(move |connection| {
            Ok(connection
                .prepare_cached(
                    "SELECT community_id FROM community_members
                     WHERE citizen_id = ?1 AND status = 'coordinator' ORDER BY community_id",
                )?
                .query_map(params![citizen_id], |row| row.get("community_id"))?
                .collect::<Result<Vec<i64>, _>>()?)
        })
        .await
    }

    pub async fn add_announcement(
        &self,
        community_id: i64,
        title: String,
        body: String,
        author: ItemAuthor,
        now: Timestamp,
    ) -> StorageResult<Announcement> {
        self.write(move |connection| {
            insert_announcement(connection, community_id, &title, &body, &author, now)
        })
        .await
    }

    pub async fn add_community_event(
        &self,
        community_id: i64,
        event: NewEventRecord,
        author: ItemAuthor,
        now: Timestamp,
    ) -> StorageResult<CommunityEvent> {
        self.write(move |connection| insert_event(connection, community_id, &event, &author, now))
            .await
    }
}
