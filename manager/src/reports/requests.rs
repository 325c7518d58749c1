//! The requests report: requests filed by type, neighbourhood and centre,
//! and the median time to close, with the same k-anonymity as the reach
//! reports: whole weeks only, cells below k shown as `< k`, complementary
//! suppression, and a cell small in any week of the range hidden, so two
//! overlapping reports cannot be subtracted.

use std::collections::BTreeMap;

use axum::extract::State;
use jiff::tz::TimeZone;
use plaza_api::error::ErrorBody;
use plaza_api::requests::{RequestGroup, RequestsReport};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{ReachQuery, ReportError, ReportRules, single_marked, suppress_marked, weeks};
use crate::access::{CentreScope, Duty, StaffAuth};
use crate::error::ApiResult;
use crate::extract::{Json, Query};
use crate::state::AppState;
use crate::storage::Storage;
use crate::storage::requests::RequestTallyRow;

const NONE: &str = "none";

/// Each key's count and whether it was small (0 < n < k) in some week.
fn breakdown(rows: &[(usize, String)], k: u32) -> Vec<RequestGroup> {
    let mut totals: BTreeMap<&str, u64> = BTreeMap::new();
    let mut weekly: BTreeMap<(&str, usize), u64> = BTreeMap::new();
    for (week, key) in rows {
        *totals.entry(key).or_default() += 1;
        *weekly.entry((key, *week)).or_default() += 1;
    }
    let keys: Vec<&str> = totals.keys().copied().collect();
    let counts: Vec<u64> = keys.iter().map(|key| totals[key]).collect();
    let marked: Vec<bool> = keys
        .iter()
        .map(|key| {
            weekly
                .iter()
                .any(|((cell, _), count)| cell == key && *count < u64::from(k))
        })
        .collect();
    keys.iter()
        .zip(suppress_marked(&counts, &marked, k))
        .map(|(key, requests)| RequestGroup {
            key: (*key).to_owned(),
            requests,
        })
        .collect()
}

fn median_hours(mut hours: Vec<f64>) -> Option<f64> {
    if hours.is_empty() {
        return None;
    }
    hours.sort_by(f64::total_cmp);
    let middle = hours.len() / 2;
    let median = if hours.len().is_multiple_of(2) {
        f64::midpoint(hours[middle - 1], hours[middle])
    } else {
        hours[middle]
    };
    Some((median * 10.0).round() / 10.0)
}

/// The report for `query` at the centres in `scope` (unscoped staff also
/// count requests filed through Open311, which have no centre).
pub async fn requests_report(
    storage: &Storage,
    query: &ReachQuery,
    scope: &CentreScope,
    rules: &ReportRules,
) -> Result<RequestsReport, ReportError> {
    let k = rules.k_anonymity;
    let centres = storage.centres().await?;
    let chosen: Option<Vec<i64>> = if query.centres.is_empty() {
        scope.centre_ids()
    } else {
        let mut ids = Vec::new();
        for name in &query.centres {
            let centre = centres
                .iter()
                .find(|centre| centre.name.eq_ignore_ascii_case(name))
                .ok_or_else(|| ReportError::Invalid(format!("no centre named `{name}`")))?;
            if !scope.allows(centre.id) {
                return Err(ReportError::Forbidden(format!(
                    "you do not supervise `{}`",
                    centre.name
                )));
            }
            ids.push(centre.id);
        }
        Some(ids)
    };
    let (from, to) = weeks::widen(query.from, query.to)?;
    let start = from
        .to_zoned(TimeZone::UTC)
        .map_err(|error| ReportError::Invalid(error.to_string()))?
        .timestamp();
    let end = to
        .tomorrow()
        .and_then(|day| day.to_zoned(TimeZone::UTC))
        .map_err(|error| ReportError::Invalid(error.to_string()))?
        .timestamp();
    let rows: Vec<RequestTallyRow> = storage.request_tallies(start, end, chosen).await?;
    let week_of = |row: &RequestTallyRow| {
        usize::try_from((row.created_at.as_second() - start.as_second()) / (7 * 86_400))
            .unwrap_or_default()
    };
    let keyed = |key: fn(&RequestTallyRow) -> Option<String>| -> Vec<(usize, String)> {
        rows.iter()
            .map(|row| (week_of(row), key(row).unwrap_or_else(|| NONE.to_owned())))
            .collect()
    };
    let all: Vec<(usize, String)> = keyed(|_| Some("all".to_owned()));
    let closed_rows: Vec<&RequestTallyRow> =
        rows.iter().filter(|row| row.closed_at.is_some()).collect();
    let small_week = |rows: &[(usize, String)]| {
        let mut weekly: BTreeMap<usize, u64> = BTreeMap::new();
        for (week, _) in rows {
            *weekly.entry(*week).or_default() += 1;
        }
        weekly.values().any(|count| *count < u64::from(k))
    };
    let closed_keyed: Vec<(usize, String)> = closed_rows
        .iter()
        .map(|row| (week_of(row), String::new()))
        .collect();
    let closed = closed_rows.len() as u64;
    Ok(RequestsReport {
        from,
        to,
        requested_from: query.from,
        requested_to: query.to,
        k_anonymity: k,
        total: single_marked(rows.len() as u64, small_week(&all), k),
        by_type: breakdown(&keyed(|row| Some(row.service_code.clone())), k),
        by_neighbourhood: breakdown(&keyed(|row| row.neighbourhood.clone()), k),
        by_centre: breakdown(&keyed(|row| row.centre.clone()), k),
        closed: single_marked(closed, small_week(&closed_keyed), k),
        median_hours_to_close: (closed >= u64::from(k))
            .then(|| {
                median_hours(
                    closed_rows
                        .iter()
                        .filter_map(|row| {
                            row.closed_at.map(|closed| {
                                (closed.as_millisecond() - row.created_at.as_millisecond()) as f64
                                    / 3_600_000.0
                            })
                        })
                        .collect(),
                )
            })
            .flatten(),
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct RequestsParams {
    /// First day, `YYYY-MM-DD` (UTC).
    #[param(format = Date)]
    from: String,
    /// Last day included, `YYYY-MM-DD` (UTC).
    #[param(format = Date)]
    to: String,
    /// Centre names, comma-separated; default: every centre you may see.
    centre: Option<String>,
}

/// Requests to the municipality by type, neighbourhood and centre, and
/// the median time to close, small groups suppressed.
#[utoipa::path(get, path = "/api/v1/reports/requests", tag = "reports",
    params(RequestsParams),
    security(("staff_token" = [])),
    responses(
        (status = 200, body = RequestsReport),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub(crate) async fn report(
    State(state): State<AppState>,
    staff: StaffAuth,
    Query(params): Query<RequestsParams>,
) -> ApiResult<Json<RequestsReport>> {
    staff.require(Duty::Reports)?;
    let query = ReachQuery::parse(&params.from, &params.to, params.centre.as_deref())?;
    let rules = ReportRules::of(&state.settings.dashboard);
    Ok(Json(
        requests_report(&state.storage, &query, &staff.scope, &rules).await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_an_even_count_is_the_midpoint() {
        assert_eq!(median_hours(vec![1.0, 3.0, 2.0]), Some(2.0));
        assert_eq!(median_hours(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median_hours(Vec::new()), None);
    }

    #[test]
    fn a_type_small_in_one_week_is_hidden_and_protected() {
        let rows: Vec<(usize, String)> = [(0, "a"); 6]
            .into_iter()
            .chain([(0, "b"); 5])
            .chain([(1, "b"); 2])
            .chain([(0, "c"); 7])
            .map(|(week, key)| (week, key.to_owned()))
            .collect();
        let groups = breakdown(&rows, 5);
        let cell = |key: &str| {
            groups
                .iter()
                .find(|group| group.key == key)
                .map(|group| group.requests.clone())
        };
        assert_eq!(
            cell("a"),
            Some(plaza_api::reports::Cell::Suppressed("hidden".to_owned())),
            "protects b"
        );
        assert_eq!(
            cell("b"),
            Some(plaza_api::reports::Cell::Suppressed("hidden".to_owned())),
            "2 in week 1"
        );
        assert_eq!(cell("c"), Some(plaza_api::reports::Cell::Count(7)));
    }
}
