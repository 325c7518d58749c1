//! Demo and first-run content for the forums and communities, written in
//! one transaction: either all of it is there or none.

use jiff::Timestamp;
use plaza_api::participation::communities::{MembershipStatus, NewCommunity};
use rusqlite::{OptionalExtension, params};

use super::columns::{Millis, Term};
use super::communities::{
    ItemAuthor, NewEventRecord, insert_announcement, insert_community, insert_event,
};
use super::forums::{
    NewBoard, NewPostRecord, PostAuthor, RateLimit, insert_board, insert_post, insert_thread,
    sync_thread,
};
use super::{Storage, StorageResult};

#[derive(Debug, Clone)]
pub struct SeedPlan {
    /// (alias, alias key, PIN hash)
    pub citizens: Vec<(String, String, String)>,
    pub boards: Vec<(NewBoard, Vec<SeedThread>)>,
    pub communities: Vec<SeedCommunity>,
}

#[derive(Debug, Clone)]
pub struct SeedThread {
    pub title: String,
    pub posts: Vec<SeedPost>,
}

#[derive(Debug, Clone)]
pub struct SeedPost {
    pub author: SeedAuthor,
    pub body: String,
    pub at: Timestamp,
}

#[derive(Debug, Clone)]
pub enum SeedAuthor {
    /// By alias key.
    Citizen(String),
    Staff(String),
}

#[derive(Debug, Clone)]
pub struct SeedCommunity {
    pub community: NewCommunity,
    /// Alias keys.
    pub coordinators: Vec<String>,
    pub members: Vec<String>,
    /// (title, body, author, at)
    pub announcements: Vec<(String, String, String, Timestamp)>,
    pub events: Vec<NewEventRecord>,
    pub threads: Vec<SeedThread>,
}

/// What a seed added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SeedCounts {
    pub citizens: usize,
    pub boards: usize,
    pub threads: usize,
    pub posts: usize,
    pub communities: usize,
}

impl Storage {
    /// Writes `plan` unless the forums already have boards (then `None`).
    pub async fn seed_participation(
        &self,
        plan: SeedPlan,
        now: Timestamp,
    ) -> StorageResult<Option<SeedCounts>> {
        self.write(move |connection| {
            let seeded = connection
                .prepare_cached("SELECT 1 FROM boards LIMIT 1")?
                .exists([])?;
            if seeded {
                return Ok(None);
            }
            let mut counts = SeedCounts::default();
            for (alias, key, pin_hash) in &plan.citizens {
                connection
                    .prepare_cached(
                        "INSERT OR IGNORE INTO citizens (alias, alias_key, pin_hash, created_at)
                         VALUES (?1, ?2, ?3, ?4)",
                    )?
                    .execute(params![alias, key, pin_hash, Millis(now)])?;
                counts.citizens += 1;
            }
            let citizen = |key: &str| -> StorageResult<i64> {
                Ok(connection
                    .prepare_cached("SELECT id FROM citizens WHERE alias_key = ?1")?
                    .query_row(params![key], |row| row.get("id"))?)
            };
            let write_threads = |board_id: i64, threads: &[SeedThread]| -> StorageResult<(usize, usize)> {
                let (mut thread_count, mut post_count) = (0, 0);
                for thread in threads {
                    let mut posts = thread.posts.iter().map(|post| {
                        Ok::<_, super::StorageError>(NewPostRecord {
                            author: match &post.author {
                                SeedAuthor::Citizen(key) => PostAuthor::Citizen(citizen(key)?),
                                SeedAuthor::Staff(name) => PostAuthor::Staff(name.clone()),
                            },
                            body: post.body.clone(),
                            filtered_words: Vec::new(),
                            now: post.at,
                            rate_limit: RateLimit { posts: u32::MAX, window_ms: 0 },
                        })
                    });
                    let Some(first) = posts.next() else { continue };
                    let (thread_id, _) = insert_thread(connection, board_id, &thread.title, &first?)?;
                    thread_count += 1;
                    post_count += 1;
                    for post in posts {
                        insert_post(connection, thread_id, &post?)?;
                        post_count += 1;
                    }
                    sync_thread(connection, thread_id)?;
                }
                Ok((thread_count, post_count))
            };
            let mut add = |(threads, posts): (usize, usize)| {
                counts.threads += threads;
                counts.posts += posts;
            };
            for (board, threads) in &plan.boards {
                let board = NewBoard {
                    centre_id: match board.centre_id {
                        Some(centre_id) => Some(centre_id),
                        None => centre_serving(connection, board.neighbourhood.as_deref())?,
                    },
                    ..board.clone()
                };
                let board = insert_board(connection, &board, now)?;
                add(write_threads(board.id, threads)?);
            }
            for seed in &plan.communities {
                let community = NewCommunity {
                    centre_id: match seed.community.centre_id {
                        Some(centre_id) => Some(centre_id),
                        None => centre_serving(connection, seed.community.neighbourhood.as_deref())?,
                    },
                    ..seed.community.clone()
                };
                let community = insert_community(connection, &community, now)?;
                for (keys, status) in [(&seed.members, MembershipStatus::Member), (&seed.coordinators, MembershipStatus::Coordinator)] {
                    for key in keys {
                        connection
                            .prepare_cached(
                                "INSERT INTO community_members (community_id, citizen_id, status, since)
                                 VALUES (?1, ?2, ?3, ?4)
                                 ON CONFLICT (community_id, citizen_id) DO UPDATE SET status = excluded.status",
                            )?
                            .execute(params![community.id, citizen(key)?, Term(status), Millis(now)])?;
                    }
                }
                connection
                    .prepare_cached(
                        "UPDATE communities SET member_count = (
                             SELECT count(*) FROM community_members WHERE community_id = ?1
                               AND status IN ('member', 'coordinator'))
                         WHERE id = ?1",
                    )?
                    .execute(params![community.id])?;
                for (title, body, author, at) in &seed.announcements {
                    let author = ItemAuthor {
                        name: author.clone(),
                        citizen_id: connection
                            .prepare_cached("SELECT id FROM citizens WHERE alias = ?1")?
                            .query_row(params![author], |row| row.get("id"))
                            .optional()?,
                    };
                    insert_announcement(connection, community.id, title, body, &author, *at)?;
                }
                let seeded = ItemAuthor { name: "seed".to_owned(), citizen_id: None };
                for event in &seed.events {
                    insert_event(connection, community.id, event, &seeded, now)?;
                }
                add(write_threads(community.board_id, &seed.threads)?);
            }
            counts.communities = plan.communities.len();
            counts.boards = plan.boards.len() + plan.communities.len();
            Ok(Some(counts))
        })
        .await
    }
}

/// The one centre that serves `neighbourhood`, if exactly one does: seeded
/// boards and communities belong to it (else to the whole network).
fn centre_serving(
    connection: &rusqlite::Connection,
    neighbourhood: Option<&str>,
) -> StorageResult<Option<i64>> {
    let Some(neighbourhood) = neighbourhood else {
        return Ok(None);
    };
    Ok(connection
        .prepare_cached(
            "SELECT CASE WHEN count(*) = 1 THEN min(centre_id) END AS centre_id
             FROM centre_neighbourhoods WHERE name = ?1",
        )?
        .query_row(params![neighbourhood], |row| row.get("centre_id"))?)
}
