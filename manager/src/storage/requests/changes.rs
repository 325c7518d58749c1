//! What staff do to a request: assign it, move its status with a public and
//! an internal note. Each change is kept (the request's history) and
//! audited in the same transaction.

use jiff::Timestamp;
use plaza_api::requests::RequestStatus;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{RequestRecord, request_by_id};
use crate::storage::audit::{self, AuditEntry};
use crate::storage::columns::{Columns, FromRow, Millis, Term};
use crate::storage::{Storage, StorageError, StorageResult};

/// One entry of a request's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRecord {
    pub at: Timestamp,
    pub actor: String,
    /// The status after the change.
    pub status: RequestStatus,
    pub assignee: Option<String>,
    pub public_note: Option<String>,
    pub internal_note: Option<String>,
}

impl FromRow for ChangeRecord {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            at: row.time("at")?,
            actor: row.get("actor")?,
            status: row.term("status")?,
            assignee: row.get("assignee")?,
            public_note: row.get("public_note")?,
            internal_note: row.get("internal_note")?,
        })
    }
}

/// A status change asked for by staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub request_id: i64,
    pub status: RequestStatus,
    pub public_note: String,
    pub internal_note: Option<String>,
    pub actor: String,
    pub now: Timestamp,
}

/// Why a status change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransitionRefused {
    pub from: RequestStatus,
    pub to: RequestStatus,
}

pub(super) fn record_change(
    connection: &Connection,
    request_id: i64,
    change: &ChangeRecord,
) -> StorageResult<()> {
    connection
        .prepare_cached(
            "INSERT INTO service_request_changes
                (request_id, at, actor, status, assignee, public_note, internal_note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            request_id,
            Millis(change.at),
            change.actor,
            Term(change.status),
            change.assignee,
            change.public_note,
            change.internal_note
        ])?;
    Ok(())
}

pub(super) fn changes_of(
    connection: &Connection,
    request_id: i64,
) -> StorageResult<Vec<ChangeRecord>> {
    Ok(connection
        .prepare_cached(
            "SELECT at, actor, status, assignee, public_note, internal_note
             FROM service_request_changes WHERE request_id = ?1 ORDER BY id",
        )?
        .query_map(params![request_id], ChangeRecord::from_row)?
        .collect::<Result<_, _>>()?)
}

impl Storage {
    /// Where a request belongs, for `access`: the centre it was filed at,
    /// and the name of the account it is assigned to.
    pub async fn request_scope(&self, id: i64) -> StorageResult<(Option<i64>, Option<String>)> {
        self.read_ignoring_heartbeats(move |connection| {
            connection
                .prepare_cached(
                    "SELECT r.centre_id, u.name FROM service_requests r
                     LEFT JOIN users u ON u.id = r.assignee_id WHERE r.id = ?1",
                )?
                .query_row(params![id], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()?
                .ok_or(StorageError::NotFound)
        })
        .await
    }

    /// Assigns a request to an enabled admin or supervisor account (an
    /// unknown, disabled or analyst account is invalid); audited.
    pub async fn assign_request(
        &self,
        request_id: i64,
        assignee: String,
        internal_note: Option<String>,
        actor: String,
        now: Timestamp,
    ) -> StorageResult<RequestRecord> {
        self.write(move |connection| {
            let before = request_by_id(connection, request_id)?;
            let user: (i64, String) = connection
                .prepare_cached(
                    "SELECT id, name FROM users WHERE name = ?1 AND disabled_at IS NULL
                       AND role IN ('admin', 'supervisor')",
                )?
                .query_row(params![assignee], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()?
                .ok_or_else(|| {
                    StorageError::Invalid(format!(
                        "`{assignee}` is not an enabled admin or supervisor account"
                    ))
                })?;
            connection
                .prepare_cached(
                    "UPDATE service_requests SET assignee_id = ?2, updated_at = ?3 WHERE id = ?1",
                )?
                .execute(params![request_id, user.0, Millis(now)])?;
            record_change(
                connection,
                request_id,
                &ChangeRecord {
                    at: now,
                    actor: actor.clone(),
                    status: before.status,
                    assignee: Some(user.1.clone()),
                    public_note: None,
                    internal_note,
                },
            )?;
            audit::record(
                connection,
                &AuditEntry {
                    at: now,
                    actor,
                    action: "request.assigned".to_owned(),
                    target: Some(before.ticket),
                    detail: Some(user.1),
                },
            )?;
            request_by_id(connection, request_id)
        })
        .await
    }

    /// Moves a request on (open → in_process → closed/rejected) with its
    /// notes; a move the lifecycle does not allow is refused; audited.
    pub async fn change_request_status(
        &self,
        transition: Transition,
    ) -> StorageResult<Result<RequestRecord, TransitionRefused>> {
        self.write(move |connection| {
            let before = request_by_id(connection, transition.request_id)?;
            if !before.status.may_become(transition.status) {
                return Ok(Err(TransitionRefused {
                    from: before.status,
                    to: transition.status,
                }));
            }
            let closed_at = transition
                .status
                .is_final()
                .then_some(Millis(transition.now));
            connection
                .prepare_cached(
                    "UPDATE service_requests SET status = ?2, public_note = ?3, updated_at = ?4,
                        closed_at = ?5 WHERE id = ?1",
                )?
                .execute(params![
                    transition.request_id,
                    Term(transition.status),
                    transition.public_note,
                    Millis(transition.now),
                    closed_at
                ])?;
            record_change(
                connection,
                transition.request_id,
                &ChangeRecord {
                    at: transition.now,
                    actor: transition.actor.clone(),
                    status: transition.status,
                    assignee: before.assignee.clone(),
                    public_note: Some(transition.public_note.clone()),
                    internal_note: transition.internal_note.clone(),
                },
            )?;
            audit::record(
                connection,
                &AuditEntry {
                    at: transition.now,
                    actor: transition.actor,
                    action: "request.status_changed".to_owned(),
                    target: Some(before.ticket),
                    detail: Some(format!(
                        "{} → {}",
                        before.status.as_str(),
                        transition.status.as_str()
                    )),
                },
            )?;
            Ok(Ok(request_by_id(connection, transition.request_id)?))
        })
        .await
    }
}
