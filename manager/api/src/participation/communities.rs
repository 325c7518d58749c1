//! Local virtual communities: a neighbourhood association, a producers'
//! fair, an older adults' club... each with coordinators, announcements,
//! events and its own board.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::wire_enum;

wire_enum! {
    pub enum CommunityCategory {
        NeighbourhoodAssociation = "neighbourhood_association",
        Producers = "producers",
        OlderAdults = "older_adults",
        Education = "education",
        Culture = "culture",
        Sports = "sports",
        Youth = "youth",
        Environment = "environment",
        Health = "health",
        Other = "other",
    }
}

wire_enum! {
    /// The viewer's standing in a community.
    pub enum MembershipStatus {
        Member = "member",
        Coordinator = "coordinator",
        /// Asked to join a community that needs a coordinator's approval.
        Pending = "pending",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommunitySummary {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub neighbourhood: Option<String>,
    pub category: CommunityCategory,
    pub member_count: u64,
    /// Joining needs a coordinator's approval.
    pub requires_approval: bool,
    pub board_id: i64,
    /// The logged-in citizen's membership, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership: Option<MembershipStatus>,
}

/// `GET /api/v1/communities` reply, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommunityList {
    pub communities: Vec<CommunitySummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Announcement {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub author: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommunityEvent {
    pub id: i64,
    pub title: String,
    pub description: String,
    pub place: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub starts_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub ends_at: Option<Timestamp>,
}

/// `GET /api/v1/communities/{id}` reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommunityDetail {
    pub community: CommunitySummary,
    /// Aliases of its coordinators.
    pub coordinators: Vec<String>,
    /// Newest first.
    pub announcements: Vec<Announcement>,
    /// Upcoming (not yet finished), soonest first.
    pub events: Vec<CommunityEvent>,
}

/// `POST /api/v1/communities` body (staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewCommunity {
    #[cfg_attr(feature = "openapi", schema(min_length = 3, max_length = 80))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 4000))]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 80))]
    pub neighbourhood: Option<String>,
    pub category: CommunityCategory,
    #[serde(default)]
    pub requires_approval: bool,
    /// The centre it belongs to, which only staff of that centre manage.
    /// Left out: a supervisor's only centre, or for an admin the whole
    /// network (managed by admins only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub centre_id: Option<i64>,
}

/// `POST /api/v1/communities/{id}/membership` reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Membership {
    pub community_id: i64,
    pub status: MembershipStatus,
}

/// A request to join, as its community's coordinators see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinRequest {
    pub alias: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub requested_at: Timestamp,
}

/// `GET /api/v1/communities/{id}/requests` reply, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinRequestList {
    pub requests: Vec<JoinRequest>,
}

/// `POST /api/v1/communities/{id}/announcements` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAnnouncement {
    #[cfg_attr(feature = "openapi", schema(min_length = 5, max_length = 120))]
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 4000))]
    pub body: String,
}

/// `POST /api/v1/communities/{id}/events` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewCommunityEvent {
    #[cfg_attr(feature = "openapi", schema(min_length = 5, max_length = 120))]
    pub title: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub description: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 2, max_length = 200))]
    pub place: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub starts_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub ends_at: Option<Timestamp>,
}
