//! Remote commands queued for kiosks: redelivered with every heartbeat until
//! the kiosk acknowledges them (the kiosk carries each id out once).

use jiff::Timestamp;
use plaza_api::heartbeat::{Command, CommandAction};
use plaza_api::kiosks::CommandStatus;
use rusqlite::{Connection, params};
use uuid::Uuid;

use super::audit::{self, AuditEntry};
use super::{Storage, StorageError, StorageResult, from_millis, from_millis_opt, to_millis};

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

impl Storage {
    /// Queues a command and records it in the audit log.
    pub async fn queue_command(&self, command: NewCommand) -> StorageResult<CommandStatus> {
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
                    to_millis(command.issued_at),
                    command.issued_by,
                    command.expires_at.map(to_millis),
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
            Ok(CommandStatus {
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
    ) -> StorageResult<Vec<CommandStatus>> {
        self.read(move |connection| {
            connection
                .prepare_cached(
                    "SELECT id, action, issued_at, expires_at, delivered_at, acked_at FROM commands
                     WHERE kiosk_id = ?1 ORDER BY issued_at DESC, id DESC LIMIT ?2",
                )?
                .query_map(params![kiosk_id, limit], |row| {
                    Ok((
                        row.get::<_, Uuid>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, i64>(2)?,
                        row.get::<_, Option<i64>>(3)?,
                        row.get::<_, Option<i64>>(4)?,
                        row.get::<_, Option<i64>>(5)?,
                    ))
                })?
                .map(|row| {
                    let (id, action, issued_at, expires_at, delivered_at, acked_at) = row?;
                    Ok(CommandStatus {
                        id,
                        action: decode_action(&action)?,
                        issued_at: from_millis(issued_at)?,
                        expires_at: from_millis_opt(expires_at)?,
                        delivered_at: from_millis_opt(delivered_at)?,
                        acked_at: from_millis_opt(acked_at)?,
                    })
                })
                .collect()
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
        statement.execute(params![id, kiosk_id, to_millis(now)])?;
    }
    Ok(())
}

/// Commands to send in a heartbeat reply: not acknowledged, and either already
/// delivered once or not yet expired. Marks first deliveries.
pub(crate) fn take_pending(
    connection: &Connection,
    kiosk_id: Uuid,
    now: Timestamp,
) -> StorageResult<Vec<Command>> {
    let rows = connection
        .prepare_cached(
            "SELECT id, action, issued_at, delivered_at FROM commands
             WHERE kiosk_id = ?1 AND acked_at IS NULL
               AND (delivered_at IS NOT NULL OR expires_at IS NULL OR expires_at > ?2)
             ORDER BY issued_at, id",
        )?
        .query_map(params![kiosk_id, to_millis(now)], |row| {
            Ok((
                row.get::<_, Uuid>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
                row.get::<_, Option<i64>>(3)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut mark_delivered =
        connection.prepare_cached("UPDATE commands SET delivered_at = ?2 WHERE id = ?1")?;
    rows.into_iter()
        .map(|(id, action, issued_at, delivered_at)| {
            if delivered_at.is_none() {
                mark_delivered.execute(params![id, to_millis(now)])?;
            }
            Ok(Command {
                id,
                issued_at: from_millis(issued_at)?,
                action: decode_action(&action)?,
            })
        })
        .collect()
}

fn encode_action(action: &CommandAction) -> StorageResult<String> {
    serde_json::to_string(action)
        .map_err(|error| StorageError::Internal(format!("encode command: {error}")))
}

fn decode_action(text: &str) -> StorageResult<CommandAction> {
    serde_json::from_str(text)
        .map_err(|error| StorageError::Internal(format!("stored command `{text}`: {error}")))
}
