//! Participation by neighbourhood: voters, proposals and supports, each
//! column suppressed below k like every report, over whole weeks (Monday to
//! Sunday UTC) like the reach reports.

use axum::extract::State;
use jiff::tz::TimeZone;
use plaza_api::error::ErrorBody;
use plaza_api::have_a_say::{ParticipationReport, ParticipationRow};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::access::Duty;
use crate::auth::StaffAuth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::reports::{ReachQuery, suppress, weeks};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReportParams {
    /// First day, `YYYY-MM-DD` (UTC).
    #[param(format = Date)]
    pub(crate) from: String,
    /// Last day included, `YYYY-MM-DD` (UTC).
    #[param(format = Date)]
    pub(crate) to: String,
}

/// Votes, proposals and supports by neighbourhood (`null`: accounts not
/// verified), small groups suppressed.
#[utoipa::path(get, path = "/api/v1/participation/report", tag = "have a say",
    params(ReportParams),
    security(("staff_token" = [])),
    responses(
        (status = 200, body = ParticipationReport),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub(crate) async fn participation(
    State(state): State<AppState>,
    staff: StaffAuth,
    Query(params): Query<ReportParams>,
) -> ApiResult<Json<ParticipationReport>> {
    staff.require(Duty::Reports)?;
    let invalid = |error: crate::reports::ReportError| match error {
        crate::reports::ReportError::Invalid(message) => ApiError::invalid(message),
        other => ApiError::internal(format!("{other:?}")),
    };
    let query = ReachQuery::parse(&params.from, &params.to, None).map_err(invalid)?;
    let (from, to) = weeks::widen(query.from, query.to).map_err(invalid)?;
    let millis = |date: jiff::civil::Date| {
        date.to_zoned(TimeZone::UTC)
            .map(|zoned| zoned.timestamp().as_millisecond())
            .map_err(|error| ApiError::invalid(error.to_string()))
    };
    let end = to
        .tomorrow()
        .map_err(|error| ApiError::invalid(error.to_string()))?;
    let counts = state
        .storage
        .participation_counts(
            from.to_string(),
            to.to_string(),
            millis(from)?,
            millis(end)?,
        )
        .await?;
    let k = state.settings.dashboard.k_anonymity;
    let column = |pick: fn(&crate::storage::have_a_say::report::ParticipationCounts) -> u64| {
        suppress(&counts.iter().map(pick).collect::<Vec<_>>(), k)
    };
    let voters = column(|row| row.voters);
    let proposals = column(|row| row.proposals);
    let supports = column(|row| row.supports);
    let rows = counts
        .iter()
        .zip(voters.into_iter().zip(proposals.into_iter().zip(supports)))
        .map(|(row, (voters, (proposals, supports)))| ParticipationRow {
            neighbourhood: row.neighbourhood.clone(),
            voters,
            proposals,
            supports,
        })
        .collect();
    Ok(Json(ParticipationReport {
        from: from.to_string(),
        to: to.to_string(),
        k_anonymity: k,
        rows,
    }))
}
