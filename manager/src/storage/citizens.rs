//! Citizen accounts, their logins (tokens bound to one kiosk session) and
//! the login log behind the reach reports' "distinct citizen accounts".

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::audit::{self, AuditEntry};
use super::{Storage, StorageError, StorageResult, from_millis, from_millis_opt, to_millis};

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
                .execute(params![alias, alias_key, pin_hash, to_millis(now)])?;
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
            let row = connection
                .prepare_cached(
                    "SELECT id, alias, created_at, pin_hash, locked_until
                     FROM citizens WHERE alias_key = ?1",
                )?
                .query_row(params![alias_key], |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, i64>(2)?,
                        row.get::<_, String>(3)?,
                        row.get::<_, Option<i64>>(4)?,
                    ))
                })
                .optional()?;
            row.map(|(id, alias, created_at, pin_hash, locked_until)| {
                Ok(StoredCredentials {
                    citizen: Citizen {
                        id,
                        alias,
                        created_at: from_millis(created_at)?,
                    },
                    pin_hash,
                    locked_until: from_millis_opt(locked_until)?,
                })
            })
            .transpose()
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
                .query_row(params![citizen_id], |row| row.get(0))?;
            if failed < attempts {
                return Ok(WrongPin::TriesLeft(attempts - failed));
            }
            connection
                .prepare_cached(
                    "UPDATE citizens SET failed_pins = 0, locked_until = ?2 WHERE id = ?1",
                )?
                .execute(params![citizen_id, to_millis(lock_until)])?;
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
            let now = to_millis(login.now);
            let (alias, created_at, locked_until) = connection
                .prepare_cached(
                    "SELECT alias, created_at, locked_until FROM citizens WHERE id = ?1",
                )?
                .query_row(params![login.citizen_id], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, i64>(1)?,
                        row.get::<_, Option<i64>>(2)?,
                    ))
                })?;
            if let Some(until) = locked_until.filter(|until| *until > now) {
                return Ok(Err(LoginRefusal::Locked(from_millis(until)?)));
            }
            let session = connection
                .prepare_cached("SELECT kiosk_id, ended_at FROM sessions WHERE id = ?1")?
                .query_row(params![login.session_id], |row| {
                    Ok((row.get::<_, Uuid>(0)?, row.get::<_, Option<i64>>(1)?))
                })
                .optional()?;
            if let Some((kiosk_id, ended_at)) = session
                && (kiosk_id != login.kiosk_id || ended_at.is_some())
            {
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
                    to_millis(login.expires_at)
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
            Ok(Ok(Citizen {
                id: login.citizen_id,
                alias,
                created_at: from_millis(created_at)?,
            }))
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
                .execute(params![to_millis(now)])?)
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
                    "SELECT count(DISTINCT citizen_id) FROM citizen_logins
                     WHERE at >= ?1 AND at < ?2 AND (?3 IS NULL OR centre_id = ?3)",
                )?
                .query_row(params![to_millis(from), to_millis(to), centre_id], |row| {
                    row.get(0)
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
    let (id, alias, created_at) = connection
        .prepare_cached("SELECT id, alias, created_at FROM citizens WHERE alias_key = ?1")?
        .query_row(params![alias_key], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
            ))
        })
        .optional()?
        .ok_or(StorageError::NotFound)?;
    Ok(Citizen {
        id,
        alias,
        created_at: from_millis(created_at)?,
    })
}

fn citizen_token(
    connection: &Connection,
    token_hash: [u8; 32],
) -> StorageResult<Option<CitizenTokenRecord>> {
    let row = connection
        .prepare_cached(
            "SELECT c.id, c.alias, c.created_at, t.kiosk_id, t.session_id, t.expires_at,
                    EXISTS (SELECT 1 FROM sessions s
                            WHERE s.id = t.session_id AND s.ended_at IS NOT NULL)
                    OR EXISTS (SELECT 1 FROM kiosk_status k
                               WHERE k.kiosk_id = t.kiosk_id
                                 AND ((k.session_id IS NOT NULL AND k.session_id <> t.session_id
                                       AND k.received_at > t.issued_at)
                                   OR (k.session_id IS NULL AND k.received_at > t.issued_at + ?2)))
             FROM citizen_tokens t JOIN citizens c ON c.id = t.citizen_id
             WHERE t.token_hash = ?1",
        )?
        .query_row(params![token_hash, HEARTBEAT_IN_FLIGHT_MS], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
                row.get::<_, Uuid>(3)?,
                row.get::<_, Uuid>(4)?,
                row.get::<_, i64>(5)?,
                row.get::<_, bool>(6)?,
            ))
        })
        .optional()?;
    row.map(
        |(id, alias, created_at, kiosk_id, session_id, expires_at, session_over)| {
            Ok(CitizenTokenRecord {
                citizen: Citizen {
                    id,
                    alias,
                    created_at: from_millis(created_at)?,
                },
                kiosk_id,
                session_id,
                expires_at: from_millis(expires_at)?,
                session_over,
            })
        },
    )
    .transpose()
}
