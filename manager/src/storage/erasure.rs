//! Erasure of a citizen account (Ley 25.326 art. 16, GDPR art. 17): the
//! account and every row that names it go in one transaction. What the
//! citizen wrote either stays, signed by nobody ("deleted account"), or is
//! removed, as they choose. PRIVACY.md describes it for citizens.

use std::collections::BTreeSet;

use jiff::Timestamp;
use plaza_api::participation::accounts::{Erased, ErasedPosts};
use rusqlite::{Connection, params};

use super::audit::{self, AuditEntry};
use super::citizens::citizen_by_key;
use super::communities::count_members;
use super::forums::sync_thread;
use super::{Storage, StorageResult};

/// Who asked for an erasure, for the audit log (which never names the
/// account: the alias goes with it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErasedBy {
    /// The citizen, with their PIN, at a kiosk of this centre.
    Citizen { centre_id: i64 },
    /// A staff member, on the citizen's request.
    Staff(String),
}

/// The audit target every entry about an erased account ends with.
const ERASED_TARGET: &str = "citizen:erased";

impl Storage {
    /// Erases the account `alias_key`; `NotFound` when there is none.
    pub async fn erase_citizen(
        &self,
        alias_key: String,
        posts: ErasedPosts,
        by: ErasedBy,
        now: Timestamp,
    ) -> StorageResult<Erased> {
        self.write(move |connection| {
            let citizen = citizen_by_key(connection, &alias_key)?;
            let erased = match posts {
                ErasedPosts::Anonymise => anonymise_writing(connection, citizen.id)?,
                ErasedPosts::Remove => remove_writing(connection, citizen.id)?,
            };
            let erased = add(erased, have_a_say(connection, citizen.id, posts)?);
            forget_account(connection, citizen.id, &citizen.alias)?;
            let (actor, place) = match &by {
                ErasedBy::Citizen { centre_id } => (
                    "citizen".to_owned(),
                    format!(" at a kiosk of centre {centre_id}"),
                ),
                ErasedBy::Staff(name) => (name.clone(), " on the citizen's request".to_owned()),
            };
            audit::record(
                connection,
                &AuditEntry {
                    at: now,
                    actor,
                    action: "citizen.erased".to_owned(),
                    target: Some(ERASED_TARGET.to_owned()),
                    detail: Some(format!(
                        "account erased{place}; {} kept as \"deleted account\", {} removed",
                        erased.anonymised, erased.removed
                    )),
                },
            )?;
            Ok(erased)
        })
        .await
    }
}

/// Posts, threads, announcements and events stay, with no author.
fn anonymise_writing(connection: &Connection, citizen_id: i64) -> StorageResult<Erased> {
    let posts = connection
        .prepare_cached(
            "UPDATE posts SET citizen_id = NULL WHERE citizen_id = ?1 AND status <> 'deleted'",
        )?
        .execute(params![citizen_id])?;
    let items = unsign_items(connection, citizen_id)?;
    detach_threads(connection, citizen_id)?;
    Ok(tally(ErasedPosts::Anonymise, posts + items))
}

/// Posts are deleted (their text emptied), announcements and events removed;
/// a thread others answered stays, under its title, with no author.
fn remove_writing(connection: &Connection, citizen_id: i64) -> StorageResult<Erased> {
    let threads: BTreeSet<i64> = connection
        .prepare_cached("SELECT DISTINCT thread_id FROM posts WHERE citizen_id = ?1")?
        .query_map(params![citizen_id], |row| row.get("thread_id"))?
        .collect::<Result<_, _>>()?;
    let posts = connection
        .prepare_cached(
            "UPDATE posts SET status = 'deleted', body = '', moderation_note = NULL
             WHERE citizen_id = ?1 AND status <> 'deleted'",
        )?
        .execute(params![citizen_id])?;
    let mut items = 0;
    for table in ["community_announcements", "community_events"] {
        items += connection
            .prepare_cached(&format!("DELETE FROM {table} WHERE citizen_id = ?1"))?
            .execute(params![citizen_id])?;
    }
    for thread_id in threads {
        sync_thread(connection, thread_id)?;
    }
    detach_threads(connection, citizen_id)?;
    Ok(tally(ErasedPosts::Remove, posts + items))
}

fn unsign_items(connection: &Connection, citizen_id: i64) -> StorageResult<usize> {
    let mut items = 0;
    for table in ["community_announcements", "community_events"] {
        items += connection
            .prepare_cached(&format!(
                "UPDATE {table} SET author = '', citizen_id = NULL WHERE citizen_id = ?1"
            ))?
            .execute(params![citizen_id])?;
    }
    Ok(items)
}

fn detach_threads(connection: &Connection, citizen_id: i64) -> StorageResult<()> {
    // Deleted posts keep no author either.
    connection
        .prepare_cached("UPDATE posts SET citizen_id = NULL WHERE citizen_id = ?1")?
        .execute(params![citizen_id])?;
    connection
        .prepare_cached("UPDATE threads SET citizen_id = NULL WHERE citizen_id = ?1")?
        .execute(params![citizen_id])?;
    Ok(())
}

/// The account row and everything that points at it: logins, tokens,
/// memberships (member counts follow), reports it made, the centres it used,
/// and its alias in the audit log.
fn forget_account(connection: &Connection, citizen_id: i64, alias: &str) -> StorageResult<()> {
    let communities: Vec<i64> = connection
        .prepare_cached("SELECT community_id FROM community_members WHERE citizen_id = ?1")?
        .query_map(params![citizen_id], |row| row.get("community_id"))?
        .collect::<Result<_, _>>()?;
    for table in [
        "community_members",
        "post_reports",
        "citizen_tokens",
        "citizen_logins",
        "citizen_centres",
    ] {
        connection
            .prepare_cached(&format!("DELETE FROM {table} WHERE citizen_id = ?1"))?
            .execute(params![citizen_id])?;
    }
    for community_id in communities {
        count_members(connection, community_id)?;
    }
    connection
        .prepare_cached("DELETE FROM citizens WHERE id = ?1")?
        .execute(params![citizen_id])?;
    // A live-help transcript kept a logged-in citizen's alias, not the
    // account: the alias goes, the transcript stays for its retention.
    connection
        .prepare_cached("UPDATE help_conversations SET alias = NULL WHERE alias = ?1")?
        .execute(params![alias])?;
    let named = format!("citizen:{alias}");
    connection
        .prepare_cached("UPDATE audit_log SET target = ?2 WHERE target = ?1")?
        .execute(params![named, ERASED_TARGET])?;
    connection
        .prepare_cached("UPDATE audit_log SET detail = ?2 WHERE detail = ?1")?
        .execute(params![named, ERASED_TARGET])?;
    Ok(())
}

/// Verification, proposals, supports and votes. A vote stays cast (the
/// person may not vote again, and counts in the turnout) under a random
/// negative id that names no account; supports are withdrawn.
fn have_a_say(
    connection: &Connection,
    citizen_id: i64,
    posts: ErasedPosts,
) -> StorageResult<Erased> {
    connection
        .prepare_cached("DELETE FROM verified_residents WHERE citizen_id = ?1")?
        .execute(params![citizen_id])?;
    connection
        .prepare_cached(
            "UPDATE consultation_voters SET citizen_id = -1 - abs(random() % 9000000000000000000)
             WHERE citizen_id = ?1",
        )?
        .execute(params![citizen_id])?;
    connection
        .prepare_cached(
            "UPDATE proposals SET supports = supports - 1
             WHERE id IN (SELECT proposal_id FROM proposal_supports WHERE citizen_id = ?1)",
        )?
        .execute(params![citizen_id])?;
    connection
        .prepare_cached("DELETE FROM proposal_supports WHERE citizen_id = ?1")?
        .execute(params![citizen_id])?;
    let proposals = match posts {
        ErasedPosts::Anonymise => "UPDATE proposals SET author_id = NULL WHERE author_id = ?1",
        ErasedPosts::Remove => {
            "UPDATE proposals SET author_id = NULL, moderation = 'removed', body = ''
             WHERE author_id = ?1"
        }
    };
    let changed = connection
        .prepare_cached(proposals)?
        .execute(params![citizen_id])?;
    Ok(tally(posts, changed))
}

fn add(left: Erased, right: Erased) -> Erased {
    Erased {
        anonymised: left.anonymised + right.anonymised,
        removed: left.removed + right.removed,
    }
}

/// `rows` items kept unsigned or removed, as `posts` chose.
fn tally(posts: ErasedPosts, rows: usize) -> Erased {
    let rows = u64::try_from(rows).unwrap_or(u64::MAX);
    match posts {
        ErasedPosts::Anonymise => Erased {
            anonymised: rows,
            removed: 0,
        },
        ErasedPosts::Remove => Erased {
            anonymised: 0,
            removed: rows,
        },
    }
}
