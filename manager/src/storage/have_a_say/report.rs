//! Participation by neighbourhood: voters, proposals and supports in a
//! range of UTC days (the handler suppresses small cells).

use rusqlite::params;

use crate::storage::{Storage, StorageResult};

/// One neighbourhood's counts (`None`: accounts not verified).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipationCounts {
    pub neighbourhood: Option<String>,
    pub voters: u64,
    pub proposals: u64,
    pub supports: u64,
}

impl Storage {
    /// Counts by neighbourhood for the days `from..=to` (`YYYY-MM-DD`).
    pub async fn participation_counts(
        &self,
        from: String,
        to: String,
        from_ms: i64,
        to_ms: i64,
    ) -> StorageResult<Vec<ParticipationCounts>> {
        self.read(move |connection| {
            Ok(connection
                .prepare_cached(
                    "SELECT neighbourhood, sum(voters) AS voters, sum(proposals) AS proposals,
                            sum(supports) AS supports
                     FROM (
                       SELECT neighbourhood, 1 AS voters, 0 AS proposals, 0 AS supports
                         FROM consultation_voters WHERE day BETWEEN ?1 AND ?2
                       UNION ALL
                       SELECT neighbourhood, 0, 1, 0 FROM proposals
                         WHERE created_at >= ?3 AND created_at < ?4 AND moderation <> 'removed'
                       UNION ALL
                       SELECT neighbourhood, 0, 0, 1 FROM proposal_supports
                         WHERE day BETWEEN ?1 AND ?2
                     )
                     GROUP BY neighbourhood ORDER BY neighbourhood",
                )?
                .query_map(params![from, to, from_ms, to_ms], |row| {
                    Ok(ParticipationCounts {
                        neighbourhood: row.get("neighbourhood")?,
                        voters: row.get("voters")?,
                        proposals: row.get("proposals")?,
                        supports: row.get("supports")?,
                    })
                })?
                .collect::<Result<_, _>>()?)
        })
        .await
    }
}
