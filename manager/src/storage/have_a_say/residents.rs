//! Verified residents: a citizen account a supervisor verified in person.
//! Only an HMAC of the document is kept (see the migration's notes).

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::storage::audit::{self, AuditEntry};
use crate::storage::centres::{centre_by_id, centre_id_by_name};
use crate::storage::citizens::citizen_by_key;
use crate::storage::columns::{Columns, FromRow, Millis};
use crate::storage::{Storage, StorageError, StorageResult};

/// A verified resident as stored (the document's HMAC stays inside).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidentRecord {
    pub citizen_id: i64,
    pub alias: String,
    pub neighbourhood: String,
    pub centre_id: i64,
    pub centre: String,
    pub verified_at: Timestamp,
    pub verified_by: String,
}

impl FromRow for ResidentRecord {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            citizen_id: row.get("citizen_id")?,
            alias: row.get("alias")?,
            neighbourhood: row.get("neighbourhood")?,
            centre_id: row.get("centre_id")?,
            centre: row.get("centre")?,
            verified_at: row.time("verified_at")?,
            verified_by: row.get("verified_by")?,
        })
    }
}

/// A verification to store.
#[derive(Clone)]
pub struct NewResident {
    pub alias_key: String,
    pub document_hmac: [u8; 32],
    pub neighbourhood: String,
    pub centre: String,
    pub actor: String,
    pub now: Timestamp,
}

const RESIDENT_COLUMNS: &str = "SELECT r.citizen_id, c.alias, r.neighbourhood, r.centre_id,
        ce.name AS centre, r.verified_at, r.verified_by
     FROM verified_residents r
     JOIN citizens c ON c.id = r.citizen_id
     JOIN centres ce ON ce.id = r.centre_id";

pub(crate) fn resident_of(
    connection: &Connection,
    citizen_id: i64,
) -> StorageResult<Option<(ResidentRecord, Vec<u8>)>> {
    let Some(record) = connection
        .prepare_cached(&format!("{RESIDENT_COLUMNS} WHERE r.citizen_id = ?1"))?
        .query_row(params![citizen_id], ResidentRecord::from_row)
        .optional()?
    else {
        return Ok(None);
    };
    let hmac: Vec<u8> = connection
        .prepare_cached("SELECT document_hmac FROM verified_residents WHERE citizen_id = ?1")?
        .query_row(params![citizen_id], |row| row.get("document_hmac"))?;
    Ok(Some((record, hmac)))
}

impl Storage {
    /// Verifies an account as a resident of a neighbourhood, audited with
    /// who and where. An account already verified, or a document already
    /// verified for another account, is a conflict; an unknown alias or
    /// centre is not found; a neighbourhood no centre serves is invalid.
    pub async fn verify_resident(&self, new: NewResident) -> StorageResult<ResidentRecord> {
        self.write(move |connection| {
            let citizen = citizen_by_key(connection, &new.alias_key)?;
            let centre_id = centre_id_by_name(connection, &new.centre)?;
            let known: bool = connection
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM centre_neighbourhoods WHERE name = ?1)")?
                .query_row(params![new.neighbourhood], |row| row.get(0))?;
            if !known {
                return Err(StorageError::Invalid(format!(
                    "no centre serves a neighbourhood called `{}`",
                    new.neighbourhood
                )));
            }
            if resident_of(connection, citizen.id)?.is_some() {
                return Err(StorageError::Conflict(
                    "this account is already a verified resident".to_owned(),
                ));
            }
            let taken: bool = connection
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM verified_residents WHERE document_hmac = ?1)",
                )?
                .query_row(params![new.document_hmac], |row| row.get(0))?;
            if taken {
                return Err(StorageError::Conflict(
                    "another account is already verified with this document".to_owned(),
                ));
            }
            connection
                .prepare_cached(
                    "INSERT INTO verified_residents
                       (citizen_id, document_hmac, neighbourhood, centre_id, verified_at, verified_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![
                    citizen.id,
                    new.document_hmac,
                    new.neighbourhood,
                    centre_id,
                    Millis(new.now),
                    new.actor
                ])?;
            let centre = centre_by_id(connection, centre_id)?;
            audit::record(
                connection,
                &AuditEntry {
                    at: new.now,
                    actor: new.actor.clone(),
                    action: "resident.verified".to_owned(),
                    target: Some(format!("citizen:{}", citizen.alias)),
                    detail: Some(format!(
                        "at centre {}; neighbourhood {}",
                        centre.name, new.neighbourhood
                    )),
                },
            )?;
            resident_of(connection, citizen.id)?
                .map(|(record, _)| record)
                .ok_or(StorageError::NotFound)
        })
        .await
    }

    /// A verified resident, by alias key (not found: not verified).
    pub async fn resident(&self, alias_key: String) -> StorageResult<ResidentRecord> {
        self.read(move |connection| {
            let citizen = citizen_by_key(connection, &alias_key)?;
            resident_of(connection, citizen.id)?
                .map(|(record, _)| record)
                .ok_or(StorageError::NotFound)
        })
        .await
    }

    /// Verified residents, newest first; only those verified at `centres`
    /// when given.
    pub async fn residents(
        &self,
        centres: Option<Vec<i64>>,
        limit: u32,
    ) -> StorageResult<Vec<ResidentRecord>> {
        self.read(move |connection| {
            let all: Vec<ResidentRecord> = connection
                .prepare_cached(&format!(
                    "{RESIDENT_COLUMNS} ORDER BY r.verified_at DESC, r.citizen_id DESC"
                ))?
                .query_map([], ResidentRecord::from_row)?
                .collect::<Result<_, _>>()?;
            Ok(all
                .into_iter()
                .filter(|record| {
                    centres
                        .as_ref()
                        .is_none_or(|centres| centres.contains(&record.centre_id))
                })
                .take(limit as usize)
                .collect())
        })
        .await
    }

    /// Revokes a verification, audited with who and where it had been done.
    pub async fn revoke_resident(
        &self,
        alias_key: String,
        actor: String,
        now: Timestamp,
    ) -> StorageResult<()> {
        self.write(move |connection| {
            let citizen = citizen_by_key(connection, &alias_key)?;
            let (record, _) = resident_of(connection, citizen.id)?.ok_or(StorageError::NotFound)?;
            connection
                .prepare_cached("DELETE FROM verified_residents WHERE citizen_id = ?1")?
                .execute(params![citizen.id])?;
            audit::record(
                connection,
                &AuditEntry {
                    at: now,
                    actor,
                    action: "resident.revoked".to_owned(),
                    target: Some(format!("citizen:{}", record.alias)),
                    detail: Some(format!(
                        "verified at centre {}; neighbourhood {}",
                        record.centre, record.neighbourhood
                    )),
                },
            )?;
            Ok(())
        })
        .await
    }
}
