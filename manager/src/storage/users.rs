//! Staff accounts (admin, supervisor, analyst), the centres a supervisor
//! looks after, and browser sessions. Passwords arrive here already hashed
//! (argon2, in `auth`); session secrets as SHA-256.

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use super::audit::{self, AuditEntry};
use super::centres::centre_id_by_name;
use super::{Storage, StorageError, StorageResult, from_millis, from_millis_opt, to_millis};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub password_hash: String,
    pub created_at: Timestamp,
    pub disabled_at: Option<Timestamp>,
    pub failed_logins: u32,
    pub locked_until: Option<Timestamp>,
    /// (id, name) of the centres a supervisor looks after.
    pub centres: Vec<(i64, String)>,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub name: String,
    pub role: String,
    pub password_hash: String,
    /// Centre names; each must exist.
    pub centres: Vec<String>,
}

/// A live browser session and who it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSession {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: Timestamp,
}

/// What a failed login did to the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginFailure {
    pub failed_logins: u32,
    pub locked_until: Option<Timestamp>,
}

const USER_COLUMNS: &str =
    "id, name, role, password_hash, created_at, disabled_at, failed_logins, locked_until";

fn user_from_row(connection: &Connection, row: UserRow) -> StorageResult<User> {
    let (id, name, role, password_hash, created_at, disabled_at, failed_logins, locked_until) = row;
    let centres = connection
        .prepare_cached(
            "SELECT c.id, c.name FROM user_centres u JOIN centres c ON c.id = u.centre_id
             WHERE u.user_id = ?1 ORDER BY c.name",
        )?
        .query_map(params![id], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(User {
        id,
        name,
        role,
        password_hash,
        created_at: from_millis(created_at)?,
        disabled_at: from_millis_opt(disabled_at)?,
        failed_logins,
        locked_until: from_millis_opt(locked_until)?,
        centres,
    })
}

type UserRow = (
    i64,
    String,
    String,
    String,
    i64,
    Option<i64>,
    u32,
    Option<i64>,
);

fn read_user_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<UserRow> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
        row.get(7)?,
    ))
}

pub(crate) fn user_by_id(connection: &Connection, id: i64) -> StorageResult<User> {
    let row = connection
        .prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"))?
        .query_row(params![id], read_user_row)?;
    user_from_row(connection, row)
}

fn user_by_name(connection: &Connection, name: &str) -> StorageResult<Option<User>> {
    let row = connection
        .prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE name = ?1"))?
        .query_row(params![name], read_user_row)
        .optional()?;
    row.map(|row| user_from_row(connection, row)).transpose()
}

fn audit_user(
    connection: &Connection,
    at: Timestamp,
    actor: &str,
    action: &str,
    user: &str,
    detail: Option<String>,
) -> StorageResult<()> {
    audit::record(
        connection,
        &AuditEntry {
            at,
            actor: actor.to_owned(),
            action: action.to_owned(),
            target: Some(format!("user:{user}")),
            detail,
        },
    )
}

impl Storage {
    pub async fn add_user(
        &self,
        user: NewUser,
        now: Timestamp,
        actor: String,
    ) -> StorageResult<User> {
        self.write(move |connection| {
            if user_by_name(connection, &user.name)?.is_some() {
                return Err(StorageError::Conflict(format!(
                    "a user named `{}` already exists",
                    user.name
                )));
            }
            let centre_ids = user
                .centres
                .iter()
                .map(|name| {
                    centre_id_by_name(connection, name).map_err(|error| match error {
                        StorageError::NotFound => {
                            StorageError::Invalid(format!("no centre named `{name}`"))
                        }
                        other => other,
                    })
                })
                .collect::<StorageResult<Vec<i64>>>()?;
            connection
                .prepare_cached(
                    "INSERT INTO users (name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![user.name, user.role, user.password_hash, to_millis(now)])?;
            let id = connection.last_insert_rowid();
            for centre_id in centre_ids {
                connection
                    .prepare_cached(
                        "INSERT OR IGNORE INTO user_centres (user_id, centre_id) VALUES (?1, ?2)",
                    )?
                    .execute(params![id, centre_id])?;
            }
            audit_user(
                connection,
                now,
                &actor,
                "user.add",
                &user.name,
                Some(format!("role={} centres={}", user.role, user.centres.join(","))),
            )?;
            user_by_id(connection, id)
        })
        .await
    }

    pub async fn user_by_name(&self, name: String) -> StorageResult<Option<User>> {
        self.read(move |connection| user_by_name(connection, &name))
            .await
    }

    pub async fn users(&self) -> StorageResult<Vec<User>> {
        self.read(|connection| {
            let rows = connection
                .prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY name"))?
                .query_map([], read_user_row)?
                .collect::<Result<Vec<_>, _>>()?;
            rows.into_iter()
                .map(|row| user_from_row(connection, row))
                .collect()
        })
        .await
    }

    /// Sets a new password, lifts a lockout and ends the user's browser sessions.
    pub async fn set_password(
        &self,
        name: String,
        password_hash: String,
        now: Timestamp,
        actor: String,
    ) -> StorageResult<()> {
        self.write(move |connection| {
            let user = user_by_name(connection, &name)?.ok_or(StorageError::NotFound)?;
            connection
                .prepare_cached(
                    "UPDATE users SET password_hash = ?2, failed_logins = 0, locked_until = NULL
                     WHERE id = ?1",
                )?
                .execute(params![user.id, password_hash])?;
            connection
                .prepare_cached("DELETE FROM web_sessions WHERE user_id = ?1")?
                .execute(params![user.id])?;
            audit_user(connection, now, &actor, "user.passwd", &user.name, None)
        })
        .await
    }

    /// Disables an account: its sessions end and its API tokens are revoked.
    pub async fn disable_user(
        &self,
        name: String,
        now: Timestamp,
        actor: String,
    ) -> StorageResult<()> {
        self.write(move |connection| {
            let user = user_by_name(connection, &name)?.ok_or(StorageError::NotFound)?;
            connection
                .prepare_cached(
                    "UPDATE users SET disabled_at = coalesce(disabled_at, ?2) WHERE id = ?1",
                )?
                .execute(params![user.id, to_millis(now)])?;
            connection
                .prepare_cached("DELETE FROM web_sessions WHERE user_id = ?1")?
                .execute(params![user.id])?;
            connection
                .prepare_cached(
                    "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?2) WHERE user_id = ?1",
                )?
                .execute(params![user.id, to_millis(now)])?;
            audit_user(connection, now, &actor, "user.disable", &user.name, None)
        })
        .await
    }

    /// Counts a wrong password; at `max_failures` in a row the account is
    /// locked until `now + lockout`.
    pub async fn record_login_failure(
        &self,
        user_id: i64,
        now: Timestamp,
        max_failures: u32,
        lockout: jiff::SignedDuration,
    ) -> StorageResult<LoginFailure> {
        self.write(move |connection| {
            let user = user_by_id(connection, user_id)?;
            let failed_logins = user.failed_logins.saturating_add(1);
            let locked_until = (failed_logins >= max_failures).then(|| now + lockout);
            connection
                .prepare_cached(
                    "UPDATE users SET failed_logins = ?2, locked_until = coalesce(?3, locked_until)
                     WHERE id = ?1",
                )?
                .execute(params![user_id, failed_logins, locked_until.map(to_millis)])?;
            audit_user(
                connection,
                now,
                &user.name,
                "login.failed",
                &user.name,
                locked_until.map(|until| format!("locked until {until}")),
            )?;
            Ok(LoginFailure {
                failed_logins,
                locked_until,
            })
        })
        .await
    }

    /// A successful login: resets the failure count and opens a session.
    pub async fn open_web_session(
        &self,
        user_id: i64,
        token_hash: [u8; 32],
        csrf_token: String,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> StorageResult<()> {
        self.write(move |connection| {
            let user = user_by_id(connection, user_id)?;
            connection
                .prepare_cached(
                    "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?1",
                )?
                .execute(params![user_id])?;
            connection
                .prepare_cached("DELETE FROM web_sessions WHERE expires_at <= ?1")?
                .execute(params![to_millis(now)])?;
            connection
                .prepare_cached(
                    "INSERT INTO web_sessions (token_hash, user_id, csrf_token, created_at, expires_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![
                    token_hash,
                    user_id,
                    csrf_token,
                    to_millis(now),
                    to_millis(expires_at)
                ])?;
            audit_user(connection, now, &user.name, "login", &user.name, None)
        })
        .await
    }

    /// The unexpired session with this secret, if its user is still enabled.
    pub async fn web_session(
        &self,
        token_hash: [u8; 32],
        now: Timestamp,
    ) -> StorageResult<Option<WebSession>> {
        self.read(move |connection| {
            let row = connection
                .prepare_cached(
                    "SELECT user_id, csrf_token, expires_at FROM web_sessions
                     WHERE token_hash = ?1 AND expires_at > ?2",
                )?
                .query_row(params![token_hash, to_millis(now)], |row| {
                    Ok((
                        row.get::<_, i64>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, i64>(2)?,
                    ))
                })
                .optional()?;
            let Some((user_id, csrf_token, expires_at)) = row else {
                return Ok(None);
            };
            let user = user_by_id(connection, user_id)?;
            if user.disabled_at.is_some() {
                return Ok(None);
            }
            Ok(Some(WebSession {
                user,
                csrf_token,
                expires_at: from_millis(expires_at)?,
            }))
        })
        .await
    }

    pub async fn close_web_session(
        &self,
        token_hash: [u8; 32],
        now: Timestamp,
    ) -> StorageResult<()> {
        self.write(move |connection| {
            let user: Option<String> = connection
                .prepare_cached(
                    "SELECT u.name FROM web_sessions s JOIN users u ON u.id = s.user_id
                     WHERE s.token_hash = ?1",
                )?
                .query_row(params![token_hash], |row| row.get(0))
                .optional()?;
            connection
                .prepare_cached("DELETE FROM web_sessions WHERE token_hash = ?1")?
                .execute(params![token_hash])?;
            if let Some(user) = user {
                audit_user(connection, now, &user, "logout", &user, None)?;
            }
            Ok(())
        })
        .await
    }

    /// An API token owned by `user` (revoked with the account).
    pub async fn create_user_api_token(
        &self,
        user: String,
        token_hash: [u8; 32],
        now: Timestamp,
    ) -> StorageResult<i64> {
        self.write(move |connection| {
            let found = user_by_name(connection, &user)?.ok_or(StorageError::NotFound)?;
            connection
                .prepare_cached(
                    "INSERT INTO api_tokens (name, role, token_hash, created_at, user_id)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![
                    found.name,
                    found.role,
                    token_hash,
                    to_millis(now),
                    found.id
                ])?;
            let id = connection.last_insert_rowid();
            audit_user(
                connection,
                now,
                "cli",
                "token.create",
                &found.name,
                Some(format!("token {id}")),
            )?;
            Ok(id)
        })
        .await
    }

    pub async fn user_by_id(&self, id: i64) -> StorageResult<User> {
        self.read(move |connection| user_by_id(connection, id))
            .await
    }
}
