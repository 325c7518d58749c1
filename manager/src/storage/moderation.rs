//! Reports by citizens and the decisions of supervisors. A post reported by
//! enough different accounts is hidden until reviewed; every decision is
//! audited in the same transaction.

use jiff::Timestamp;
use plaza_api::participation::forums::ReportReason;
use plaza_api::participation::moderation::{ModerationAction, QueueReason};
use rusqlite::{Connection, params};

use super::audit::{self, AuditEntry};
use super::forums::{
    POST_REVIEW_SELECT, PostRecord, StoredStatus, post_by_id, post_columns, set_status,
};
use super::{Storage, StorageError, StorageResult, from_millis};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport {
    pub post_id: i64,
    pub citizen_id: i64,
    pub reason: ReportReason,
    pub details: Option<String>,
    pub now: Timestamp,
    /// Open reports that hide the post.
    pub threshold: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportRefusal {
    AlreadyReported,
    OwnPost,
    /// Deleted, or not published (nothing to report).
    NotReportable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReport {
    pub reason: ReportReason,
    pub details: Option<String>,
    pub at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueRecord {
    pub post: PostRecord,
    pub thread_title: String,
    pub board_title: String,
    pub reason: QueueReason,
    pub filtered_words: Vec<String>,
    pub reports: Vec<StoredReport>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub post_id: i64,
    pub action: ModerationAction,
    pub reason: Option<String>,
    pub actor: String,
    pub now: Timestamp,
}

impl Storage {
    /// Records a report, once per account and post; returns whether the post
    /// is now hidden for review.
    pub async fn report_post(
        &self,
        report: NewReport,
    ) -> StorageResult<Result<bool, ReportRefusal>> {
        self.write(move |connection| {
            let post = post_by_id(connection, report.post_id, Some(report.citizen_id))?;
            if post.citizen_id == Some(report.citizen_id) {
                return Ok(Err(ReportRefusal::OwnPost));
            }
            if post.reported_by_viewer {
                return Ok(Err(ReportRefusal::AlreadyReported));
            }
            if post.status != StoredStatus::Published {
                return Ok(Err(ReportRefusal::NotReportable));
            }
            connection
                .prepare_cached(
                    "INSERT INTO post_reports (post_id, citizen_id, reason, details, at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![
                    report.post_id,
                    report.citizen_id,
                    report.reason.as_str(),
                    report.details,
                    report.now.as_millisecond()
                ])?;
            let open: u32 = connection
                .prepare_cached(
                    "UPDATE posts SET open_reports = open_reports + 1 WHERE id = ?1
                     RETURNING open_reports",
                )?
                .query_row(params![report.post_id], |row| row.get(0))?;
            let hide = open >= report.threshold;
            if hide {
                set_status(
                    connection,
                    report.post_id,
                    StoredStatus::Reported,
                    Some("reported by several people; a supervisor will review it"),
                )?;
            }
            Ok(Ok(hide))
        })
        .await
    }

    /// Posts waiting for a supervisor, oldest first, after post `after`.
    pub async fn moderation_queue(
        &self,
        after: i64,
        limit: u32,
    ) -> StorageResult<Vec<QueueRecord>> {
        self.read(move |connection| {
            let posts = connection
                .prepare_cached(&format!(
                    "{POST_REVIEW_SELECT}
                     WHERE (p.status IN ('held', 'reported') OR (p.status = 'published' AND p.open_reports > 0))
                       AND p.id > ?2
                     ORDER BY p.id LIMIT ?3"
                ))?
                .query_map(params![None::<i64>, after, limit], |row| {
                    Ok((post_columns(row)?, row.get::<_, String>(11)?, row.get::<_, String>(12)?, row.get::<_, Option<String>>(13)?))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            posts
                .into_iter()
                .map(|(post, thread_title, board_title, filtered)| {
                    let post = post?;
                    let reason = match post.status {
                        StoredStatus::Held => QueueReason::WordFilter,
                        StoredStatus::Reported => QueueReason::Reports,
                        _ => QueueReason::Reported,
                    };
                    Ok(QueueRecord {
                        reports: reports_of(connection, post.id)?,
                        post,
                        thread_title,
                        board_title,
                        reason,
                        filtered_words: filtered
                            .map(|words| words.split(',').map(str::to_owned).collect())
                            .unwrap_or_default(),
                    })
                })
                .collect()
        })
        .await
    }

    /// Approves, hides or deletes a post, and audits it.
    pub async fn moderate_post(&self, decision: Decision) -> StorageResult<PostRecord> {
        self.write(move |connection| {
            let post = post_by_id(connection, decision.post_id, None)?;
            if post.status == StoredStatus::Deleted {
                return Err(StorageError::Conflict(
                    "this post is already deleted".to_owned(),
                ));
            }
            let (status, note) = match decision.action {
                ModerationAction::Approve => (StoredStatus::Published, None),
                ModerationAction::Hide => (StoredStatus::Hidden, decision.reason.as_deref()),
                ModerationAction::Delete => (StoredStatus::Deleted, decision.reason.as_deref()),
            };
            connection
                .prepare_cached("UPDATE posts SET open_reports = 0 WHERE id = ?1")?
                .execute(params![post.id])?;
            set_status(connection, post.id, status, note)?;
            audit::record(
                connection,
                &AuditEntry {
                    at: decision.now,
                    actor: decision.actor,
                    action: format!("post.{}", decision.action.as_str()),
                    target: Some(format!("post:{}", post.id)),
                    detail: decision.reason,
                },
            )?;
            post_by_id(connection, post.id, None)
        })
        .await
    }
}

fn reports_of(connection: &Connection, post_id: i64) -> StorageResult<Vec<StoredReport>> {
    let rows = connection
        .prepare_cached(
            "SELECT reason, details, at FROM post_reports WHERE post_id = ?1 ORDER BY at",
        )?
        .query_map(params![post_id], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, Option<String>>(1)?,
                row.get::<_, i64>(2)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    rows.into_iter()
        .map(|(reason, details, at)| {
            Ok(StoredReport {
                reason: ReportReason::parse(&reason).ok_or_else(|| {
                    StorageError::Internal(format!("stored report reason `{reason}`"))
                })?,
                details,
                at: from_millis(at)?,
            })
        })
        .collect()
}
