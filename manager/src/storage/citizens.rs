//! Citizen accounts, their logins (tokens bound to one kiosk session) and
//! the login log behind the reach reports' "distinct citizen accounts".

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Row, params};
use uuid::Uuid;

use super::audit::{self, AuditEntry};
use super::columns::{Columns, FromRow, Millis};
use super::{Storage, StorageError, StorageResult};

/// How long after a login a heartbeat reporting no session still counts as
/// sent before the login (it was on its way), in milliseconds.
const HEARTBEAT_IN_FLIGHT_MS: i64 = 5_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citizen {
    pub id: i64,
    pub alias: String,
    pub created_at: Timestamp,
}

/// What a login attempt needs to know about an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCredentials {
    pub citizen: Citizen,
    pub pin_hash: String,
    pub locked_until: Option<Timestamp>,
}

/// A login to record once the PIN has been verified.
#[derive(Debug, Clone)]
pub struct NewLogin {
    pub citizen_id: i64,
    pub kiosk_id: Uuid,
    pub centre_id: i64,
    pub session_id: Uuid,
    pub token_hash: [u8; 32],
    pub now: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginRefusal {
    /// Locked (meanwhile) until then.
    Locked(Timestamp),
    /// The session is over, or belongs to another kiosk.
    SessionOver,
}

/// The outcome of a wrong PIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WrongPin {
    /// Tries left before the account locks.
    TriesLeft(u32),
    LockedUntil(Timestamp),
}

/// A citizen token and whether it still holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitizenTokenRecord {
    pub citizen: Citizen,
    pub kiosk_id: Uuid,
    pub session_id: Uuid,
    pub expires_at: Timestamp,
    /// The kiosk session ended, or the kiosk has moved on to another one.
    pub session_over: bool,
}

impl FromRow for Citizen {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get("id")?,
            alias: row.get("alias")?,
            created_at: row.time("created_at")?,
        })
    }
}

impl FromRow for StoredCredentials {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            citizen: Citizen::from_row(row)?,
            pin_hash: row.get("pin_hash")?,
            locked_until: row.time_opt("locked_until")?,
        })
    }
}

impl FromRow for CitizenTokenRecord {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            citizen: Citizen::from_row(row)?,
            kiosk_id: row.get("kiosk_id")?,
            session_id: row.get("session_id")?,
            expires_at: row.time("expires_at")?,
            session_over: row.get("session_over")?,
        })
    }
}

impl Storage {
    /// Creates an account; an alias key already taken is a conflict.
    pub async fn create_citizen(
        &self,
        alias: String,
        alias_key: String,
        pin_hash: String,
        now: Timestamp,
    ) -> StorageResult<Citizen> {
        self.write(move |connection| {
            let taken = connection
                .prepare_cached("SELECT 1 FROM citizens WHERE alias_key = ?1")?
                .exists(params![alias_key])?;
            if taken {
                return Err(StorageError::Conflict(format!(
                    "the alias `{alias}` is taken; choose another"
                )));
            }
            connection
                .prepare_cached(
                    "INSERT INTO citizens (alias, alias_key, pin_hash, created_at)
                     VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![alias, alias_key, pin_hash, Millis(now)])?;
            Ok(Citizen {
                id: connection.last_insert_rowid(),
                alias,
                created_at: now,
            })
        })
        .await
    }

    pub async fn citizen_credentials(
        &self,
        alias_key: String,
    ) -> StorageResult<Option<StoredCredentials>> {
        self.read(move |connection| {
            Ok(connection
                .prepare_cached(
                    "SELECT id, alias, created_at, pin_hash, locked_until
                     FROM citizens WHERE alias_key = ?1",
                )?
                .query_row(params![alias_key], StoredCredentials::from_row)
                .optional()?)
        })
        .await
    }

    /// Counts a wrong PIN; the `attempts`-th in a row locks the account
    /// until `lock_until`.
    pub async fn record_wrong_pin(
        &self,
        citizen_id: i64,
        attempts: u32,
        lock_until: Timestamp,
    ) -> StorageResult<WrongPin> {
        self.write(move |connection| {
            let failed: u32 = connection
                .prepare_cached(
                    "UPDATE citizens SET failed_pins = failed_pins + 1 WHERE id = ?1
                     RETURNING failed_pins",
                )?
                .query_row(params![citizen_id], |row| row.get("failed_pins"))?;
            if failed < attempts {
                return Ok(WrongPin::TriesLeft(attempts - failed));
            }
            connection
                .prepare_cached(
                    "UPDATE citizens SET failed_pins = 0, locked_until = ?2 WHERE id = ?1",
                )?
                .execute(params![citizen_id, Millis(lock_until)])?;
            Ok(WrongPin::LockedUntil(lock_until))
        })
        .await
    }

    /// Records a verified login: resets the wrong-PIN count, stores the
    /// token and logs the login, unless the account locked meanwhile or the
    /// session is already over.
    pub async fn record_login(
        &self,
        login: NewLogin,
    ) -> StorageResult<Result<Citizen, LoginRefusal>> {
        self.write(move |connection| {
            let now = Millis(login.now);
            let account = connection
                .prepare_cached(
                    "SELECT id, alias, created_at, pin_hash, locked_until FROM citizens WHERE id = ?1",
                )?
                .query_row(params![login.citizen_id], StoredCredentials::from_row)?;
            if let Some(until) = account.locked_until.filter(|until| *until > login.now) {
                return Ok(Err(LoginRefusal::Locked(until)));
            }
            let open_here: Option<bool> = connection
                .prepare_cached(
                    "SELECT kiosk_id = ?2 AND ended_at IS NULL AS open_here FROM sessions WHERE id = ?1",
                )?
                .query_row(params![login.session_id, login.kiosk_id], |row| {
                    row.get("open_here")
                })
                .optional()?;
            if open_here == Some(false) {
                return Ok(Err(LoginRefusal::SessionOver));
            }
            connection
                .prepare_cached(
                    "UPDATE citizens SET failed_pins = 0, locked_until = NULL WHERE id = ?1",
                )?
                .execute(params![login.citizen_id])?;
            connection
                .prepare_cached(
                    "INSERT INTO citizen_tokens
                         (token_hash, citizen_id, kiosk_id, session_id, issued_at, expires_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![
                    login.token_hash,
                    login.citizen_id,
                    login.kiosk_id,
                    login.session_id,
                    now,
                    Millis(login.expires_at)
                ])?;
            connection
                .prepare_cached(
                    "INSERT INTO citizen_logins (citizen_id, kiosk_id, centre_id, at)
                     VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![
                    login.citizen_id,
                    login.kiosk_id,
                    login.centre_id,
                    now
                ])?;
            connection
                .prepare_cached(
                    "INSERT OR IGNORE INTO citizen_centres (citizen_id, centre_id) VALUES (?1, ?2)",
                )?
                .execute(params![login.citizen_id, login.centre_id])?;
            Ok(Ok(account.citizen))
        })
        .await
    }

    /// The citizen behind a token, with whether its kiosk session is over.
    pub async fn citizen_token(
        &self,
        token_hash: [u8; 32],
    ) -> StorageResult<Option<CitizenTokenRecord>> {
        self.read(move |connection| citizen_token(connection, token_hash))
            .await
    }

    /// Ends a login (the citizen logged out).
    pub async fn end_citizen_token(&self, token_hash: [u8; 32]) -> StorageResult<()> {
        self.write(move |connection| {
            connection
                .prepare_cached("DELETE FROM citizen_tokens WHERE token_hash = ?1")?
                .execute(params![token_hash])?;
            Ok(())
        })
        .await
    }

    /// Drops tokens past their expiry; returns how many.
    pub async fn prune_citizen_tokens(&self, now: Timestamp) -> StorageResult<usize> {
        self.write(move |connection| {
            Ok(connection
                .prepare_cached("DELETE FROM citizen_tokens WHERE expires_at <= ?1")?
                .execute(params![Millis(now)])?)
        })
        .await
    }

    /// Sets a new PIN chosen by a supervisor: unlocks the account, ends its
    /// logins, and audits who did it.
    pub async fn reset_citizen_pin(
        &self,
        alias_key: String,
        pin_hash: String,
        actor: String,
        now: Timestamp,
    ) -> StorageResult<Citizen> {
        self.write(move |connection| {
            let citizen = citizen_by_key(connection, &alias_key)?;
            set_pin(connection, citizen.id, &pin_hash)?;
            audit::record(
                connection,
                &AuditEntry {
                    at: now,
                    actor,
                    action: "citizen.pin_reset".to_owned(),
                    target: Some(format!("citizen:{}", citizen.alias)),
                    detail: None,
                },
            )?;
            Ok(citizen)
        })
        .await
    }

    /// The citizen changes their own PIN; other logins end, this one stays.
    pub async fn change_citizen_pin(
        &self,
        citizen_id: i64,
        pin_hash: String,
        keep_token: [u8; 32],
    ) -> StorageResult<()> {
        self.write(move |connection| {
            connection
                .prepare_cached(
                    "UPDATE citizens SET pin_hash = ?2, failed_pins = 0, locked_until = NULL
                     WHERE id = ?1",
                )?
                .execute(params![citizen_id, pin_hash])?;
            connection
                .prepare_cached(
                    "DELETE FROM citizen_tokens WHERE citizen_id = ?1 AND token_hash <> ?2",
                )?
                .execute(params![citizen_id, keep_token])?;
            Ok(())
        })
        .await
    }

    /// The centres where an account has logged in (its staff's scope); an
    /// unknown alias is not found.
    pub async fn citizen_centres(&self, alias_key: String) -> StorageResult<Vec<i64>> {
        self.read(move |connection| {
            let citizen = citizen_by_key(connection, &alias_key)?;
            Ok(connection
                .prepare_cached(
                    "SELECT centre_id FROM citizen_centres WHERE citizen_id = ?1 ORDER BY centre_id",
                )?
                .query_map(params![citizen.id], |row| row.get("centre_id"))?
                .collect::<Result<Vec<i64>, _>>()?)
        })
        .await
    }

    pub async fn citizen_by_alias(&self, alias_key: String) -> StorageResult<Citizen> {
        self.read(move |connection| citizen_by_key(connection, &alias_key))
            .await
    }

    /// Different accounts that logged in during `[from, to)`, at one centre
    /// or all of them.
    pub async fn distinct_citizen_accounts(
        &self,
        from: Timestamp,
        to: Timestamp,
        centre_id: Option<i64>,
    ) -> StorageResult<u64> {
        self.read(move |connection| {
            Ok(connection
                .prepare_cached(
                    "SELECT count(DISTINCT citizen_id) AS accounts FROM citizen_logins
                     WHERE at >= ?1 AND at < ?2 AND (?3 IS NULL OR centre_id = ?3)",
                )?
                .query_row(params![Millis(from), Millis(to), centre_id], |row| {
                    row.get("accounts")
                })?)
        })
        .await
    }
}

fn set_pin(connection: &Connection, citizen_id: i64, pin_hash: &str) -> StorageResult<()> {
    connection
        .prepare_cached(
            "UPDATE citizens SET pin_hash = ?2, failed_pins = 0, locked_until = NULL WHERE id = ?1",
        )?
        .execute(params![citizen_id, pin_hash])?;
    connection
        .prepare_cached("DELETE FROM citizen_tokens WHERE citizen_id = ?1")?
        .execute(params![citizen_id])?;
    Ok(())
}

pub(crate) fn citizen_by_key(connection: &Connection, alias_key: &str) -> StorageResult<Citizen> {
    connection
        .prepare_cached("SELECT id, alias, created_at FROM citizens WHERE alias_key = ?1")?
        .query_row(params![alias_key], Citizen::from_row)
        .optional()?
        .ok_or(StorageError::NotFound)
}

fn citizen_token(
    connection: &Connection,
    token_hash: [u8; 32],
) -> StorageResult<Option<CitizenTokenRecord>> {
    Ok(connection
        .prepare_cached(
            "SELECT c.id, c.alias, c.created_at, t.kiosk_id, t.session_id, t.expires_at,
                    EXISTS (SELECT 1 FROM sessions s
                            WHERE s.id = t.session_id AND s.ended_at IS NOT NULL)
                    OR EXISTS (SELECT 1 FROM kiosk_status k
                               WHERE k.kiosk_id = t.kiosk_id
                                 AND ((k.session_id IS NOT NULL AND k.session_id <> t.session_id
                                       AND k.received_at > t.issued_at)
                                   OR (k.session_id IS NULL AND k.received_at > t.issued_at + ?2)))
                    AS session_over
             FROM citizen_tokens t JOIN citizens c ON c.id = t.citizen_id
             WHERE t.token_hash = ?1",
        )?
        .query_row(
            params![token_hash, HEARTBEAT_IN_FLIGHT_MS],
            CitizenTokenRecord::from_row,
        )
        .optional()?)
}
