//! Reports by citizens and the decisions of supervisors. A post reported by
//! enough different accounts is hidden until reviewed; every decision is
//! audited in the same transaction.

use jiff::Timestamp;
use plaza_api::participation::forums::ReportReason;
use plaza_api::participation::moderation::{ModerationAction, QueueReason};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::audit::{self, AuditEntry};
use super::columns::{Columns, FromRow, Json, Millis, Term};
use super::forums::{POST_REVIEW_SELECT, PostRecord, StoredStatus, post_by_id, set_status};
use super::{Storage, StorageError, StorageResult};

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

impl FromRow for StoredReport {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            reason: row.term("reason")?,
            details: row.get("details")?,
            at: row.time("at")?,
        })
    }
}

/// Which posts a moderation list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueFilter {
    /// Only posts with a larger id (the previous page's last).
    pub after: i64,
    pub limit: u32,
    /// Only posts written at these centres (a supervisor's); `None`: all.
    pub centres: Option<Vec<i64>>,
    /// Posts a supervisor hid, instead of those waiting for a decision.
    pub hidden: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueRecord {
    pub post: PostRecord,
    /// Where it was written: (id, name); `None` for staff posts.
    pub centre: Option<(i64, String)>,
    pub thread_title: String,
    pub board_title: String,
    pub reason: QueueReason,
    pub filtered_words: Vec<String>,
    pub reports: Vec<StoredReport>,
}

impl FromRow for QueueRecord {
    /// A row of `POST_REVIEW_SELECT`; the centre and reports are read after.
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        let post = PostRecord::from_row(row)?;
        let reason = match post.status {
            StoredStatus::Held => QueueReason::WordFilter,
            StoredStatus::Reported => QueueReason::Reports,
            _ => QueueReason::Reported,
        };
        let filtered: Option<String> = row.get("filtered_words")?;
        Ok(Self {
            post,
            centre: None,
            thread_title: row.get("thread_title")?,
            board_title: row.get("board_title")?,
            reason,
            filtered_words: filtered
                .map(|words| words.split(',').map(str::to_owned).collect())
                .unwrap_or_default(),
            reports: Vec::new(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub post_id: i64,
    pub action: ModerationAction,
    pub reason: Option<String>,
    pub actor: String,
    pub now: Timestamp,
    /// The moderator's centres (a supervisor's); a post written elsewhere
    /// is not found. `None`: all.
    pub centres: Option<Vec<i64>>,
}

/// The centre a post was written at: where its author last logged in before
/// writing it (a citizen token holds only at the kiosk that logged in).
/// Staff posts have none.
const POST_CENTRE: &str = "(SELECT l.centre_id FROM citizen_logins l
     WHERE l.citizen_id = p.citizen_id AND l.at <= p.created_at
     ORDER BY l.at DESC, l.id DESC LIMIT 1)";

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
                    Term(report.reason),
                    report.details,
                    Millis(report.now)
                ])?;
            let open: u32 = connection
                .prepare_cached(
                    "UPDATE posts SET open_reports = open_reports + 1 WHERE id = ?1
                     RETURNING open_reports",
                )?
                .query_row(params![report.post_id], |row| row.get("open_reports"))?;
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

    /// Posts waiting for a supervisor (or hidden by one), oldest first.
    pub async fn moderation_queue(&self, filter: QueueFilter) -> StorageResult<Vec<QueueRecord>> {
        self.read(move |connection| {
            let status = if filter.hidden {
                "p.status = 'hidden'"
            } else {
                "(p.status IN ('held', 'reported') OR (p.status = 'published' AND p.open_reports > 0))"
            };
            let centres = filter.centres.as_ref().map(Json);
            let posts = connection
                .prepare_cached(&format!(
                    "{POST_REVIEW_SELECT}
                     WHERE {status} AND p.id > ?2
                       AND (?4 IS NULL OR {POST_CENTRE} IN (SELECT value FROM json_each(?4)))
                     ORDER BY p.id LIMIT ?3"
                ))?
                .query_map(
                    params![None::<i64>, filter.after, filter.limit, centres],
                    QueueRecord::from_row,
                )?
                .collect::<Result<Vec<_>, _>>()?;
            posts
                .into_iter()
                .map(|record| {
                    Ok(QueueRecord {
                        reports: reports_of(connection, record.post.id)?,
                        centre: centre_of(connection, record.post.id)?,
                        ..record
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
            if let Some(centres) = &decision.centres {
                let centre = centre_of(connection, post.id)?;
                if !centre.is_some_and(|(id, _)| centres.contains(&id)) {
                    return Err(StorageError::NotFound);
                }
            }
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

fn centre_of(connection: &Connection, post_id: i64) -> StorageResult<Option<(i64, String)>> {
    connection
        .prepare_cached(&format!(
            "SELECT c.id, c.name FROM posts p JOIN centres c ON c.id = {POST_CENTRE}
             WHERE p.id = ?1"
        ))?
        .query_row(params![post_id], |row| {
            Ok((row.get("id")?, row.get("name")?))
        })
        .optional()
        .map_err(Into::into)
}

fn reports_of(connection: &Connection, post_id: i64) -> StorageResult<Vec<StoredReport>> {
    Ok(connection
        .prepare_cached(
            "SELECT reason, details, at FROM post_reports WHERE post_id = ?1 ORDER BY at",
        )?
        .query_map(params![post_id], StoredReport::from_row)?
        .collect::<Result<_, _>>()?)
}
