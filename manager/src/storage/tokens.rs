//! API tokens for staff tools and scripts (hashed; the token itself is shown once).

use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};

use super::{Storage, StorageResult, from_millis, from_millis_opt, to_millis};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    /// The account owning it; `None` for a plain role token.
    pub user_id: Option<i64>,
}

impl Storage {
    pub async fn create_api_token(
        &self,
        name: String,
        role: String,
        token_hash: [u8; 32],
        now: Timestamp,
    ) -> StorageResult<ApiToken> {
        self.write(move |connection| {
            connection
                .prepare_cached(
                    "INSERT INTO api_tokens (name, role, token_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(params![name, role, token_hash, to_millis(now)])?;
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
            let row = connection
                .prepare_cached(
                    "SELECT id, name, role, created_at, revoked_at, user_id FROM api_tokens WHERE token_hash = ?1",
                )?
                .query_row(params![token_hash], |row| {
                    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?))
                })
                .optional()?;
            row.map(|(id, name, role, created_at, revoked_at, user_id)| {
                Ok(ApiToken {
                    id,
                    name,
                    role,
                    created_at: from_millis(created_at)?,
                    revoked_at: from_millis_opt(revoked_at)?,
                    user_id,
                })
            })
            .transpose()
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
                .execute(params![id, to_millis(now)])?;
            if changed == 0 {
                return Err(super::StorageError::NotFound);
            }
            Ok(())
        })
        .await
    }
}
