//! Seed content for forums and communities (`assets/content/participation.json`):
//! demo accounts, boards with threads and posts in Spanish and English,
//! communities with announcements and events. Times are relative to "now",
//! so the demo always looks alive.

use jiff::{SignedDuration, Timestamp, tz::TimeZone};
use plaza_api::participation::communities::{CommunityCategory, NewCommunity};
use plaza_api::participation::forums::BoardKind;
use plaza_api::participation::limits;
use plaza_api::session::Language;
use serde::Deserialize;

use super::pin;
use super::text::{WordFilter, check_alias, plain_text, single_line};
use crate::storage::communities::NewEventRecord;
use crate::storage::forums::NewBoard;
use crate::storage::participation_seed::{
    SeedAuthor, SeedCommunity, SeedCounts, SeedPlan, SeedPost, SeedThread,
};
use crate::storage::{Storage, StorageError};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedContent {
    /// Aliases of demo accounts; all get the PIN given to [`load`].
    pub citizens: Vec<String>,
    pub boards: Vec<SeedBoardContent>,
    pub communities: Vec<SeedCommunityContent>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedBoardContent {
    pub kind: BoardKind,
    pub title: String,
    pub description: String,
    #[serde(default)]
    pub language: Option<Language>,
    #[serde(default)]
    pub neighbourhood: Option<String>,
    #[serde(default)]
    pub threads: Vec<SeedThreadContent>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedThreadContent {
    pub title: String,
    pub posts: Vec<SeedPostContent>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedPostContent {
    /// A demo alias, or a staff name when `official`.
    pub author: String,
    #[serde(default)]
    pub official: bool,
    pub body: String,
    pub hours_ago: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedCommunityContent {
    pub name: String,
    pub description: String,
    #[serde(default)]
    pub neighbourhood: Option<String>,
    pub category: CommunityCategory,
    #[serde(default)]
    pub requires_approval: bool,
    #[serde(default)]
    pub coordinators: Vec<String>,
    #[serde(default)]
    pub members: Vec<String>,
    #[serde(default)]
    pub announcements: Vec<SeedAnnouncementContent>,
    #[serde(default)]
    pub events: Vec<SeedEventContent>,
    #[serde(default)]
    pub threads: Vec<SeedThreadContent>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedAnnouncementContent {
    pub title: String,
    pub body: String,
    pub author: String,
    pub hours_ago: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedEventContent {
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub place: String,
    /// Days from today, at `at_hour` o'clock UTC.
    pub in_days: u32,
    pub at_hour: u8,
    #[serde(default)]
    pub duration_h: Option<u32>,
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("seed content is not valid JSON of the expected shape: {0}")]
    Json(#[from] serde_json::Error),
    #[error("seed content: {0}")]
    Invalid(String),
    #[error("seed content could not be stored: {0}")]
    Storage(#[from] StorageError),
}

/// Parses, checks and stores seed content, unless the forums already have
/// boards (then `Ok(None)`). Demo accounts get `demo_pin`.
pub async fn load(
    storage: &Storage,
    json: &str,
    now: Timestamp,
    demo_pin: &str,
) -> Result<Option<SeedCounts>, SeedError> {
    let content: SeedContent = serde_json::from_str(json)?;
    let plan = plan(content, now, demo_pin).await?;
    Ok(storage.seed_participation(plan, now).await?)
}

async fn plan(content: SeedContent, now: Timestamp, demo_pin: &str) -> Result<SeedPlan, SeedError> {
    super::text::check_pin(demo_pin).map_err(|error| SeedError::Invalid(error.to_string()))?;
    let pin_hash = pin::hash(demo_pin.to_owned())
        .await
        .map_err(|error| SeedError::Invalid(error.message))?;
    let no_words = WordFilter::default();
    let mut citizens = Vec::new();
    for alias in &content.citizens {
        let key = check_alias(alias, &no_words, &no_words)
            .map_err(|error| SeedError::Invalid(format!("alias `{alias}`: {error}")))?;
        citizens.push((alias.clone(), key, pin_hash.clone()));
    }
    let known = |alias: &str| -> Result<String, SeedError> {
        let key = alias.to_lowercase();
        citizens
            .iter()
            .any(|(_, known, _)| *known == key)
            .then_some(key)
            .ok_or_else(|| SeedError::Invalid(format!("`{alias}` is not among the seed citizens")))
    };
    let ago = |hours: u32| now - SignedDuration::from_hours(i64::from(hours));
    let threads = |list: &[SeedThreadContent]| -> Result<Vec<SeedThread>, SeedError> {
        list.iter()
            .map(|thread| {
                Ok(SeedThread {
                    title: text_line(&thread.title, limits::TITLE_MIN, limits::TITLE_MAX)?,
                    posts: thread
                        .posts
                        .iter()
                        .map(|post| {
                            Ok(SeedPost {
                                author: if post.official {
                                    SeedAuthor::Staff(post.author.clone())
                                } else {
                                    SeedAuthor::Citizen(known(&post.author)?)
                                },
                                body: text(&post.body)?,
                                at: ago(post.hours_ago),
                            })
                        })
                        .collect::<Result<_, SeedError>>()?,
                })
            })
            .collect()
    };
    let boards = content
        .boards
        .iter()
        .enumerate()
        .map(|(position, board)| {
            Ok((
                NewBoard {
                    kind: board.kind,
                    title: text_line(&board.title, 3, limits::TITLE_MAX)?,
                    description: text(&board.description)?,
                    language: board.language,
                    neighbourhood: board.neighbourhood.clone(),
                    community_id: None,
                    centre_id: None,
                    position: i64::try_from(position).unwrap_or(i64::MAX),
                },
                threads(&board.threads)?,
            ))
        })
        .collect::<Result<Vec<_>, SeedError>>()?;
    let today = now
        .to_zoned(TimeZone::UTC)
        .start_of_day()
        .map_err(|error| SeedError::Invalid(error.to_string()))?
        .timestamp();
    let communities = content
        .communities
        .iter()
        .map(|community| {
            Ok(SeedCommunity {
                community: NewCommunity {
                    name: text_line(&community.name, 3, limits::TITLE_MAX)?,
                    description: text(&community.description)?,
                    neighbourhood: community.neighbourhood.clone(),
                    category: community.category,
                    requires_approval: community.requires_approval,
                    centre_id: None,
                },
                coordinators: community
                    .coordinators
                    .iter()
                    .map(|alias| known(alias))
                    .collect::<Result<_, _>>()?,
                members: community
                    .members
                    .iter()
                    .map(|alias| known(alias))
                    .collect::<Result<_, _>>()?,
                announcements: community
                    .announcements
                    .iter()
                    .map(|announcement| {
                        Ok((
                            text_line(&announcement.title, limits::TITLE_MIN, limits::TITLE_MAX)?,
                            text(&announcement.body)?,
                            announcement.author.clone(),
                            ago(announcement.hours_ago),
                        ))
                    })
                    .collect::<Result<_, SeedError>>()?,
                events: community
                    .events
                    .iter()
                    .map(|event| {
                        let starts_at = today
                            + SignedDuration::from_hours(
                                i64::from(event.in_days) * 24 + i64::from(event.at_hour),
                            );
                        Ok(NewEventRecord {
                            title: text_line(&event.title, limits::TITLE_MIN, limits::TITLE_MAX)?,
                            description: event.description.clone(),
                            place: text_line(&event.place, 2, 200)?,
                            starts_at,
                            ends_at: event.duration_h.map(|hours| {
                                starts_at + SignedDuration::from_hours(i64::from(hours))
                            }),
                        })
                    })
                    .collect::<Result<_, SeedError>>()?,
                threads: threads(&community.threads)?,
            })
        })
        .collect::<Result<Vec<_>, SeedError>>()?;
    Ok(SeedPlan {
        citizens,
        boards,
        communities,
    })
}

fn text(body: &str) -> Result<String, SeedError> {
    plain_text(body, "seed text", 1, limits::BODY_MAX)
        .map_err(|error| SeedError::Invalid(error.to_string()))
}

fn text_line(line: &str, min: usize, max: usize) -> Result<String, SeedError> {
    single_line(line, &format!("seed line `{line}`"), min, max)
        .map_err(|error| SeedError::Invalid(error.to_string()))
}
