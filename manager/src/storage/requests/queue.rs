//! Lists of requests: the staff queue with its filters, Open311's
//! `requests.json`, and the rows the requests report counts.

use jiff::Timestamp;
use plaza_api::requests::RequestStatus;
use rusqlite::{Row, params};

use super::{REQUEST_SELECT, RequestRecord};
use crate::storage::columns::{Columns, FromRow, Json, Millis};
use crate::storage::{Storage, StorageResult};

/// A supervisor's reach: requests filed at their centres, and those
/// assigned to their account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestScope {
    pub centres: Vec<i64>,
    pub assignee: String,
}

/// Which requests a list shows, oldest first unless `newest_first`. Every
/// other field narrows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestFilter {
    /// Only ids above this (the previous page's last).
    pub after: i64,
    /// Newest first: Open311's capped list shows the latest requests of its
    /// window, not the earliest.
    pub newest_first: bool,
    pub limit: u32,
    pub service_codes: Option<Vec<String>>,
    pub statuses: Option<Vec<RequestStatus>>,
    pub neighbourhood: Option<String>,
    /// Filed at or after.
    pub since: Option<Timestamp>,
    /// Filed before (the queue's "older than").
    pub before: Option<Timestamp>,
    pub tickets: Option<Vec<String>>,
    /// `None`: every request.
    pub scope: Option<RequestScope>,
}

/// A request as the requests report counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestTallyRow {
    pub service_code: String,
    pub neighbourhood: Option<String>,
    pub centre: Option<String>,
    pub created_at: Timestamp,
    pub closed_at: Option<Timestamp>,
}

impl FromRow for RequestTallyRow {
    fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            service_code: row.get("service_code")?,
            neighbourhood: row.get("neighbourhood")?,
            centre: row.get("centre")?,
            created_at: row.time("created_at")?,
            closed_at: row.time_opt("closed_at")?,
        })
    }
}

impl Storage {
    /// Requests matching `filter`, in its order.
    pub async fn request_list(&self, filter: RequestFilter) -> StorageResult<Vec<RequestRecord>> {
        self.read_ignoring_heartbeats(move |connection| {
            let statuses = filter.statuses.map(|statuses| {
                statuses
                    .iter()
                    .map(|status| status.as_str())
                    .collect::<Vec<_>>()
            });
            let (centres, assignee) = match filter.scope {
                Some(scope) => (Some(scope.centres), Some(scope.assignee)),
                None => (None, None),
            };
            let order = if filter.newest_first { "DESC" } else { "ASC" };
            Ok(connection
                .prepare_cached(&format!(
                    "{REQUEST_SELECT}
                     WHERE r.id > ?1
                       AND (?3 IS NULL OR t.code IN (SELECT value FROM json_each(?3)))
                       AND (?4 IS NULL OR r.status IN (SELECT value FROM json_each(?4)))
                       AND (?5 IS NULL OR r.neighbourhood = ?5)
                       AND (?6 IS NULL OR r.created_at >= ?6)
                       AND (?7 IS NULL OR r.created_at < ?7)
                       AND (?8 IS NULL OR r.ticket IN (SELECT upper(value) FROM json_each(?8)))
                       AND (?9 IS NULL OR r.centre_id IN (SELECT value FROM json_each(?9))
                            OR u.name = ?10)
                     ORDER BY r.id {order} LIMIT ?2"
                ))?
                .query_map(
                    params![
                        filter.after,
                        filter.limit,
                        filter.service_codes.map(Json),
                        statuses.map(Json),
                        filter.neighbourhood,
                        filter.since.map(Millis),
                        filter.before.map(Millis),
                        filter.tickets.map(Json),
                        centres.map(Json),
                        assignee,
                    ],
                    RequestRecord::from_row,
                )?
                .collect::<Result<_, _>>()?)
        })
        .await
    }

    /// The requests filed in `[from, to)` at some centres (`None`: all, and
    /// those filed through Open311), for the requests report.
    pub async fn request_tallies(
        &self,
        from: Timestamp,
        to: Timestamp,
        centres: Option<Vec<i64>>,
    ) -> StorageResult<Vec<RequestTallyRow>> {
        self.read_ignoring_heartbeats(move |connection| {
            Ok(connection
                .prepare_cached(
                    "SELECT t.code AS service_code, r.neighbourhood, c.name AS centre,
                            r.created_at, r.closed_at
                     FROM service_requests r
                     JOIN service_types t ON t.id = r.service_type_id
                     LEFT JOIN centres c ON c.id = r.centre_id
                     WHERE r.created_at >= ?1 AND r.created_at < ?2
                       AND (?3 IS NULL OR r.centre_id IN (SELECT value FROM json_each(?3)))",
                )?
                .query_map(
                    params![Millis(from), Millis(to), centres.map(Json)],
                    RequestTallyRow::from_row,
                )?
                .collect::<Result<_, _>>()?)
        })
        .await
    }
}
