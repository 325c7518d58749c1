//! Live help: conversations between a kiosk and its centre's staff, and
//! their messages. A conversation keeps no citizen account, only the alias
//! a logged-in citizen shows by; transcripts go `retention.chat_days` after
//! their last message ([`Storage::purge_help_before`]).

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

use super::audit::{self, AuditEntry};
use super::columns::{Columns, FromRow, Json, Millis};
use super::{Storage, StorageError, StorageResult};

/// Who ended a conversation when the citizen did (or their kiosk session).
pub const ENDED_BY_CITIZEN: &str = "citizen";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationRecord {
    pub id: Uuid,
    pub centre_id: i64,
    pub centre: String,
    pub kiosk_id: Uuid,
    pub hostname: String,
    /// The logged-in citizen's alias; `None`: anonymous.
    pub alias: Option<String>,
    pub opened_at: Timestamp,
    pub last_at: Timestamp,
    pub ended_at: Option<Timestamp>,
    pub ended_by: Option<String>,
}

impl FromRow for ConversationRecord {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get("id")?,
            centre_id: row.get("centre_id")?,
            centre: row.get("centre")?,
            kiosk_id: row.get("kiosk_id")?,
            hostname: row.get("hostname")?,
            alias: row.get("alias")?,
            opened_at: row.time("opened_at")?,
            last_at: row.time("last_at")?,
            ended_at: row.time_opt("ended_at")?,
            ended_by: row.get("ended_by")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRecord {
    pub id: i64,
    pub at: Timestamp,
    /// The staff member who wrote it; `None`: the citizen.
    pub staff: Option<String>,
    pub text: String,
}

impl FromRow for MessageRecord {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get("id")?,
            at: row.time("at")?,
            staff: row.get("staff")?,
            text: row.get("text")?,
        })
    }
}

/// An open conversation with its whole transcript, for the dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenConversation {
    pub conversation: ConversationRecord,
    pub messages: Vec<MessageRecord>,
}

const CONVERSATION: &str = "SELECT h.id, h.centre_id, c.name AS centre, h.kiosk_id, k.hostname,
        h.alias, h.opened_at, h.last_at, h.ended_at, h.ended_by
     FROM help_conversations h
     JOIN centres c ON c.id = h.centre_id
     JOIN kiosks k ON k.id = h.kiosk_id";

fn conversation(connection: &Connection, id: Uuid) -> StorageResult<ConversationRecord> {
    connection
        .prepare_cached(&format!("{CONVERSATION} WHERE h.id = ?1"))?
        .query_row(params![id], ConversationRecord::from_row)
        .optional()?
        .ok_or(StorageError::NotFound)
}

fn messages(connection: &Connection, id: Uuid, after: i64) -> StorageResult<Vec<MessageRecord>> {
    Ok(connection
        .prepare_cached(
            "SELECT id, at, staff, text FROM help_messages
             WHERE conversation_id = ?1 AND id > ?2 ORDER BY id",
        )?
        .query_map(params![id, after], MessageRecord::from_row)?
        .collect::<Result<_, _>>()?)
}

fn insert_message(
    connection: &Connection,
    id: Uuid,
    staff: Option<&str>,
    text: &str,
    now: Timestamp,
) -> StorageResult<MessageRecord> {
    connection
        .prepare_cached(
            "INSERT INTO help_messages (conversation_id, at, staff, text) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![id, Millis(now), staff, text])?;
    let message_id = connection.last_insert_rowid();
    connection
        .prepare_cached("UPDATE help_conversations SET last_at = ?2 WHERE id = ?1")?
        .execute(params![id, Millis(now)])?;
    Ok(MessageRecord {
        id: message_id,
        at: now,
        staff: staff.map(str::to_owned),
        text: text.to_owned(),
    })
}

fn end(connection: &Connection, id: Uuid, by: &str, now: Timestamp) -> StorageResult<bool> {
    Ok(connection
        .prepare_cached(
            "UPDATE help_conversations SET ended_at = ?2, ended_by = ?3
             WHERE id = ?1 AND ended_at IS NULL",
        )?
        .execute(params![id, Millis(now), by])?
        > 0)
}

fn audit_staff(
    connection: &Connection,
    staff: &str,
    action: &str,
    id: Uuid,
    now: Timestamp,
) -> StorageResult<()> {
    audit::record(
        connection,
        &AuditEntry {
            at: now,
            actor: staff.to_owned(),
            action: action.to_owned(),
            target: Some(format!("help_conversation:{id}")),
            // Never the text: the audit log outlives the transcript.
            detail: None,
        },
    )
}

impl Storage {
    /// Opens a conversation from a kiosk with the citizen's first message;
    /// the kiosk's earlier open conversations end (one chat per kiosk).
    pub async fn open_help_conversation(
        &self,
        kiosk_id: Uuid,
        alias: Option<String>,
        text: String,
        now: Timestamp,
    ) -> StorageResult<(ConversationRecord, Vec<MessageRecord>)> {
        self.write(move |connection| {
            let earlier = connection
                .prepare_cached(
                    "SELECT id FROM help_conversations WHERE kiosk_id = ?1 AND ended_at IS NULL",
                )?
                .query_map(params![kiosk_id], |row| row.get::<_, Uuid>("id"))?
                .collect::<Result<Vec<_>, _>>()?;
            for id in earlier {
                end(connection, id, ENDED_BY_CITIZEN, now)?;
            }
            let id = Uuid::now_v7();
            let inserted = connection
                .prepare_cached(
                    "INSERT INTO help_conversations (id, centre_id, kiosk_id, alias, opened_at, last_at)
                     SELECT ?1, centre_id, id, ?3, ?4, ?4 FROM kiosks WHERE id = ?2",
                )?
                .execute(params![id, kiosk_id, alias, Millis(now)])?;
            if inserted == 0 {
                return Err(StorageError::NotFound);
            }
            let first = insert_message(connection, id, None, &text, now)?;
            Ok((conversation(connection, id)?, vec![first]))
        })
        .await
    }

    /// One conversation.
    pub async fn help_conversation(&self, id: Uuid) -> StorageResult<ConversationRecord> {
        self.read_ignoring_heartbeats(move |connection| conversation(connection, id))
            .await
    }

    /// A conversation's messages after message `after`, oldest first.
    pub async fn help_messages(&self, id: Uuid, after: i64) -> StorageResult<Vec<MessageRecord>> {
        self.read_ignoring_heartbeats(move |connection| messages(connection, id, after))
            .await
    }

    /// Adds a message from the citizen (`staff` `None`) or a member of
    /// staff (audited, without its text). An ended conversation is a
    /// conflict; an unknown one not found.
    pub async fn add_help_message(
        &self,
        id: Uuid,
        staff: Option<String>,
        text: String,
        now: Timestamp,
    ) -> StorageResult<MessageRecord> {
        self.write(move |connection| {
            if conversation(connection, id)?.ended_at.is_some() {
                return Err(StorageError::Conflict(
                    "this conversation has ended".to_owned(),
                ));
            }
            let message = insert_message(connection, id, staff.as_deref(), &text, now)?;
            if let Some(staff) = &staff {
                audit_staff(connection, staff, "help.replied", id, now)?;
            }
            Ok(message)
        })
        .await
    }

    /// Ends a conversation, by the citizen ([`ENDED_BY_CITIZEN`]) or a
    /// member of staff (audited); ending it again changes nothing. Returns
    /// whether this call ended it.
    pub async fn end_help_conversation(
        &self,
        id: Uuid,
        by: String,
        staff: bool,
        now: Timestamp,
    ) -> StorageResult<bool> {
        self.write(move |connection| {
            conversation(connection, id)?;
            let ended = end(connection, id, &by, now)?;
            if ended && staff {
                audit_staff(connection, &by, "help.ended", id, now)?;
            }
            Ok(ended)
        })
        .await
    }

    /// Open conversations with their transcripts, oldest first, at some
    /// centres (`None`: all).
    pub async fn open_help_conversations(
        &self,
        centres: Option<Vec<i64>>,
    ) -> StorageResult<Vec<OpenConversation>> {
        self.read_ignoring_heartbeats(move |connection| {
            let open = connection
                .prepare_cached(&format!(
                    "{CONVERSATION} WHERE h.ended_at IS NULL
                     AND (?1 IS NULL OR h.centre_id IN (SELECT value FROM json_each(?1)))
                     ORDER BY h.opened_at, h.id"
                ))?
                .query_map(params![centres.map(Json)], ConversationRecord::from_row)?
                .collect::<Result<Vec<_>, _>>()?;
            open.into_iter()
                .map(|conversation| {
                    let messages = messages(connection, conversation.id, 0)?;
                    Ok(OpenConversation {
                        conversation,
                        messages,
                    })
                })
                .collect()
        })
        .await
    }

    /// Deletes the conversations (and messages) whose last message is
    /// older than `before`; returns how many.
    pub async fn purge_help_before(&self, before: Timestamp) -> StorageResult<usize> {
        self.write(move |connection| {
            Ok(connection
                .prepare_cached("DELETE FROM help_conversations WHERE last_at < ?1")?
                .execute(params![Millis(before)])?)
        })
        .await
    }
}
