//! API tokens for staff tools and scripts (hashed; the token itself is shown once).

use jiff::Timestamp;
use plaza_api::staff::Role;
use rusqlite::{OptionalExtension, Row, params};

use super::columns::{Columns, FromRow, Millis, Term};
use super::{Storage, StorageError, StorageResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    /// The account owning it; `None` for a plain role token.
    pub user_id: Option<i64>,
}

impl FromRow for ApiToken {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get("id")?,
            name: row.get("name")?,
            role: row.term("role")?,
            created_at: row.time("created_at")?,
            revoked_at: row.time_opt("revoked_at")?,
            user_id: row.get("user_id")?,
        })
    }
}

impl Storage {
    pub async fn create_api_token(
        &self,
        name: String,
        role: Role,
        token_hash: [u8; 32],
        now: Timestamp,
    ) -> StorageResult<ApiToken> {
        self.write(move |connection| {
            connection
                .prepare_cached(
                    "INSERT INTO api_tokens (name, role, token_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![name, Term(role), token_hash, Millis(now)])?;
            Ok(ApiToken {
                id: connection.last_insert_rowid(),
                name,
                role,
                created_at: now,
                revoked_at: None,
                user_id: None,
            })
        })
        .await
    }

    pub async fn api_token_by_hash(&self, token_hash: [u8; 32]) -> StorageResult<Option<ApiToken>> {
        self.read(move |connection| {
            Ok(connection
                .prepare_cached(
                    "SELECT id, name, role, created_at, revoked_at, user_id FROM api_tokens WHERE token_hash = ?1",
                )?
                .query_row(params![token_hash], ApiToken::from_row)
                .optional()?)
        })
        .await
    }

    /// Revokes a token by id; revoking twice is harmless. Not found is an error.
    pub async fn revoke_api_token(&self, id: i64, now: Timestamp) -> StorageResult<()> {
        self.write(move |connection| {
            let changed = connection
                .prepare_cached(
                    "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?2) WHERE id = ?1",
                )?
                .execute(params![id, Millis(now)])?;
            if changed == 0 {
                return Err(StorageError::NotFound);
            }
            Ok(())
        })
        .await
    }
}
