//! Reads behind the reach reports and the dashboard's alerts.

use std::collections::HashMap;

use jiff::Timestamp;
use rusqlite::params;
use uuid::Uuid;

use super::{Storage, StorageResult, to_millis};

impl Storage {
    /// Sessions per kiosk that ended in a crash since `since`.
    pub async fn crashes_since(&self, since: Timestamp) -> StorageResult<HashMap<Uuid, u32>> {
        self.read(move |connection| {
            connection
                .prepare_cached(
                    "SELECT kiosk_id, count(*) FROM sessions
                     WHERE end_reason = 'crash' AND started_at >= ?1 GROUP BY kiosk_id",
                )?
                .query_map(params![to_millis(since)], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })?
                .collect::<Result<HashMap<Uuid, u32>, _>>()
                .map_err(Into::into)
        })
        .await
    }
}
