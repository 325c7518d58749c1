//! A centre's web access (`centre_web`, migration 0013): one JSON document
//! per centre, replaced whole and audited in the same transaction.

use jiff::Timestamp;
use plaza_api::web::WebPolicy;
use rusqlite::{OptionalExtension, params};

use super::audit::{self, AuditEntry};
use super::columns::{Columns, Json, Millis};
use super::{Storage, StorageResult};

impl Storage {
    /// A centre's web policy; `None` when never set (the default applies).
    pub async fn web_policy(&self, centre_id: i64) -> StorageResult<Option<WebPolicy>> {
        self.read(move |connection| {
            Ok(connection
                .prepare_cached("SELECT policy FROM centre_web WHERE centre_id = ?1")?
                .query_row(params![centre_id], |row| row.json("policy"))
                .optional()?)
        })
        .await
    }

    /// Replaces a centre's web policy (`described` says what changed, for
    /// the audit log).
    pub async fn set_web_policy(
        &self,
        centre_id: i64,
        policy: WebPolicy,
        described: String,
        actor: String,
        now: Timestamp,
    ) -> StorageResult<()> {
        self.write(move |connection| {
            let name: String = connection
                .prepare_cached("SELECT name FROM centres WHERE id = ?1")?
                .query_row(params![centre_id], |row| row.get("name"))?;
            connection
                .prepare_cached(
                    "INSERT INTO centre_web (centre_id, policy, updated_at) VALUES (?1, ?2, ?3)
                     ON CONFLICT (centre_id) DO UPDATE SET policy = excluded.policy,
                         updated_at = excluded.updated_at",
                )?
                .execute(params![centre_id, Json(&policy), Millis(now)])?;
            audit::record(
                connection,
                &AuditEntry {
                    at: now,
                    actor,
                    action: "centre.web".to_owned(),
                    target: Some(format!("centre:{name}")),
                    detail: Some(described),
                },
            )
        })
        .await
    }
}
