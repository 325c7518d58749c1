//! Staff accounts (admin, supervisor, analyst), the centres a supervisor
//! looks after, and browser sessions. Passwords arrive here already hashed
//! (argon2, in `auth`); session secrets as SHA-256.

use jiff::Timestamp;
use plaza_api::staff::Role;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::audit::{self, AuditEntry};
use super::centres::centre_id_by_name;
use super::columns::{Columns, FromRow, Millis, Term};
use super::{Storage, StorageError, StorageResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
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
    pub role: Role,
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

impl FromRow for WebSession {
    /// The user's columns and the session's; the centres are read after.
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            user: User::from_row(row)?,
            csrf_token: row.get("csrf_token")?,
            expires_at: row.time("expires_at")?,
        })
    }
}

/// What a failed login did to the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginFailure {
    pub failed_logins: u32,
    pub locked_until: Option<Timestamp>,
}

const USER_COLUMNS: &str =
    "id, name, role, password_hash, created_at, disabled_at, failed_logins, locked_until";

impl FromRow for User {
    /// A row of [`USER_COLUMNS`]; the centres are read after.
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get("id")?,
            name: row.get("name")?,
            role: row.term("role")?,
            password_hash: row.get("password_hash")?,
            created_at: row.time("created_at")?,
            disabled_at: row.time_opt("disabled_at")?,
            failed_logins: row.get("failed_logins")?,
            locked_until: row.time_opt("locked_until")?,
            centres: Vec::new(),
        })
    }
}

fn with_centres(connection: &Connection, user: User) -> StorageResult<User> {
    let centres = connection
        .prepare_cached(
            "SELECT c.id, c.name FROM user_centres u JOIN centres c ON c.id = u.centre_id
             WHERE u.user_id = ?1 ORDER BY c.name",
        )?
        .query_map(params![user.id], |row| {
            Ok((row.get("id")?, row.get("name")?))
        })?
        .collect::<Result<_, _>>()?;
    Ok(User { centres, ..user })
}

pub(crate) fn user_by_id(connection: &Connection, id: i64) -> StorageResult<User> {
    let user = connection
        .prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1"))?
        .query_row(params![id], User::from_row)?;
    with_centres(connection, user)
}

fn user_by_name(connection: &Connection, name: &str) -> StorageResult<Option<User>> {
    connection
        .prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users WHERE name = ?1"))?
        .query_row(params![name], User::from_row)
        .optional()?
        .map(|user| with_centres(connection, user))
        .transpose()
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
                .execute(params![user.name, Term(user.role), user.password_hash, Millis(now)])?;
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
            let users = connection
                .prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY name"))?
                .query_map([], User::from_row)?
                .collect::<Result<Vec<_>, _>>()?;
            users
                .into_iter()
                .map(|user| with_centres(connection, user))
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
                .execute(params![user.id, Millis(now)])?;
            connection
                .prepare_cached("DELETE FROM web_sessions WHERE user_id = ?1")?
                .execute(params![user.id])?;
            connection
                .prepare_cached(
                    "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?2) WHERE user_id = ?1",
                )?
                .execute(params![user.id, Millis(now)])?;
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
                .execute(params![user_id, failed_logins, locked_until.map(Millis)])?;
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
                .execute(params![Millis(now)])?;
            connection
                .prepare_cached(
                    "INSERT INTO web_sessions (token_hash, user_id, csrf_token, created_at, expires_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![
                    token_hash,
                    user_id,
                    csrf_token,
                    Millis(now),
                    Millis(expires_at)
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
            let Some(session) = connection
                .prepare_cached(
                    "SELECT u.id, u.name, u.role, u.password_hash, u.created_at, u.disabled_at,
                            u.failed_logins, u.locked_until, s.csrf_token, s.expires_at
                     FROM web_sessions s JOIN users u ON u.id = s.user_id
                     WHERE s.token_hash = ?1 AND s.expires_at > ?2",
                )?
                .query_row(params![token_hash, Millis(now)], WebSession::from_row)
                .optional()?
            else {
                return Ok(None);
            };
            if session.user.disabled_at.is_some() {
                return Ok(None);
            }
            Ok(Some(WebSession {
                user: with_centres(connection, session.user)?,
                ..session
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
                .query_row(params![token_hash], |row| row.get("name"))
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
                    Term(found.role),
                    token_hash,
                    Millis(now),
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
