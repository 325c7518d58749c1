//! Remote commands queued for kiosks: redelivered with every heartbeat until
//! the kiosk acknowledges them (the kiosk carries each id out once).

use jiff::Timestamp;
use plaza_api::heartbeat::CommandAction;
use rusqlite::{Connection, Row, params};
use uuid::Uuid;

use super::audit::{self, AuditEntry};
use super::columns::{Columns, FromRow, Millis};
use super::{Storage, StorageError, StorageResult};

#[derive(Debug, Clone)]
pub struct NewCommand {
    pub kiosk_id: Uuid,
    pub action: CommandAction,
    /// Who asked, for the audit log.
    pub issued_by: String,
    pub issued_at: Timestamp,
    /// Dropped if not delivered by then.
    pub expires_at: Option<Timestamp>,
}

/// A command as stored, with how far its delivery went. The action is kept
/// as its wire JSON: what the kiosk receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandRecord {
    pub id: Uuid,
    pub action: CommandAction,
    pub issued_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub delivered_at: Option<Timestamp>,
    pub acked_at: Option<Timestamp>,
}

impl FromRow for CommandRecord {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get("id")?,
            action: row.json("action")?,
            issued_at: row.time("issued_at")?,
            expires_at: row.time_opt("expires_at")?,
            delivered_at: row.time_opt("delivered_at")?,
            acked_at: row.time_opt("acked_at")?,
        })
    }
}

impl Storage {
    /// Queues a command and records it in the audit log.
    pub async fn queue_command(&self, command: NewCommand) -> StorageResult<CommandRecord> {
        self.write(move |connection| {
            let known = connection
                .prepare_cached("SELECT 1 FROM kiosks WHERE id = ?1 AND revoked_at IS NULL")?
                .exists(params![command.kiosk_id])?;
            if !known {
                return Err(StorageError::NotFound);
            }
            let action = encode_action(&command.action)?;
            let id = Uuid::now_v7();
            connection
                .prepare_cached(
                    "INSERT INTO commands (id, kiosk_id, action, issued_at, issued_by, expires_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![
                    id,
                    command.kiosk_id,
                    action,
                    Millis(command.issued_at),
                    command.issued_by,
                    command.expires_at.map(Millis),
                ])?;
            audit::record(
                connection,
                &AuditEntry {
                    at: command.issued_at,
                    actor: command.issued_by.clone(),
                    action: format!("kiosk.command.{}", command.action.kind()),
                    target: Some(command.kiosk_id.to_string()),
                    detail: Some(action),
                },
            )?;
            Ok(CommandRecord {
                id,
                action: command.action,
                issued_at: command.issued_at,
                expires_at: command.expires_at,
                delivered_at: None,
                acked_at: None,
            })
        })
        .await
    }

    /// The latest commands for a kiosk, newest first.
    pub async fn commands_for(
        &self,
        kiosk_id: Uuid,
        limit: u32,
    ) -> StorageResult<Vec<CommandRecord>> {
        self.read(move |connection| {
            Ok(connection
                .prepare_cached(
                    "SELECT id, action, issued_at, expires_at, delivered_at, acked_at FROM commands
                     WHERE kiosk_id = ?1 ORDER BY issued_at DESC, id DESC LIMIT ?2",
                )?
                .query_map(params![kiosk_id, limit], CommandRecord::from_row)?
                .collect::<Result<_, _>>()?)
        })
        .await
    }
}

/// Marks the given commands of this kiosk as carried out. Ids of other kiosks
/// are ignored, so one kiosk cannot acknowledge another's commands.
pub(crate) fn acknowledge(
    connection: &Connection,
    kiosk_id: Uuid,
    ids: &[Uuid],
    now: Timestamp,
) -> StorageResult<()> {
    let mut statement = connection.prepare_cached(
        "UPDATE commands SET acked_at = ?3, delivered_at = coalesce(delivered_at, ?3)
         WHERE id = ?1 AND kiosk_id = ?2 AND acked_at IS NULL",
    )?;
    for id in ids {
        statement.execute(params![id, kiosk_id, Millis(now)])?;
    }
    Ok(())
}

/// Commands to send in a heartbeat reply: not acknowledged, and either already
/// delivered once or not yet expired. Marks first deliveries.
pub(crate) fn take_pending(
    connection: &Connection,
    kiosk_id: Uuid,
    now: Timestamp,
) -> StorageResult<Vec<CommandRecord>> {
    let mut pending = connection
        .prepare_cached(
            "SELECT id, action, issued_at, expires_at, delivered_at, acked_at FROM commands
             WHERE kiosk_id = ?1 AND acked_at IS NULL
               AND (delivered_at IS NOT NULL OR expires_at IS NULL OR expires_at > ?2)
             ORDER BY issued_at, id",
        )?
        .query_map(params![kiosk_id, Millis(now)], CommandRecord::from_row)?
        .collect::<Result<Vec<_>, _>>()?;
    let mut mark_delivered =
        connection.prepare_cached("UPDATE commands SET delivered_at = ?2 WHERE id = ?1")?;
    for command in pending
        .iter_mut()
        .filter(|command| command.delivered_at.is_none())
    {
        mark_delivered.execute(params![command.id, Millis(now)])?;
        command.delivered_at = Some(now);
    }
    Ok(pending)
}

fn encode_action(action: &CommandAction) -> StorageResult<String> {
    serde_json::to_string(action)
        .map_err(|error| StorageError::Internal(format!("encode command: {error}")))
}
