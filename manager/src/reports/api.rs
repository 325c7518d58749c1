//! `GET /api/v1/reports/reach`.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use plaza_api::error::ErrorBody;
use plaza_api::reports::ReachReport;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::access::{Duty, StaffAuth};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::state::AppState;

use super::{ReachQuery, ReportError, ReportRules, reach, to_csv};

impl From<ReportError> for ApiError {
    fn from(error: ReportError) -> Self {
        match error {
            ReportError::Invalid(message) => ApiError::invalid(message),
            ReportError::Forbidden(message) => ApiError::forbidden(message),
            ReportError::Storage(error) => error.into(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReachParams {
    /// First day, `YYYY-MM-DD` (UTC).
    #[param(format = Date)]
    from: String,
    /// Last day included, `YYYY-MM-DD` (UTC).
    #[param(format = Date)]
    to: String,
    /// Centre names, comma-separated; default: every centre you may see.
    centre: Option<String>,
    /// `json` (default) or `csv`.
    #[param(pattern = "^(json|csv)$")]
    format: Option<String>,
}

/// Digital-divide reach over a date range, small groups suppressed.
///
/// Groups below `k_anonymity` are shown as `< k`; a breakdown that would
/// hide one cell hides another (`hidden`). Reports cannot be subtracted:
/// the range is widened to whole weeks (Monday to Sunday, UTC; `from`/`to`
/// are the widened range, `requested_from`/`requested_to` what was asked),
/// and a breakdown cell that was below k in any week of the range is
/// `hidden`, so two overlapping reports never differ by a small group.
#[utoipa::path(get, path = "/api/v1/reports/reach", tag = "reports",
    params(ReachParams),
    security(("staff_token" = [])),
    responses(
        (status = 200, description = "The report (JSON, or CSV with `format=csv`)", content(
            (ReachReport = "application/json"),
            (String = "text/csv"),
        )),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody),
    ))]
pub(crate) async fn reach_report(
    State(state): State<AppState>,
    staff: StaffAuth,
    Query(params): Query<ReachParams>,
) -> ApiResult<Response> {
    staff.require(Duty::Reports)?;
    let query = ReachQuery::parse(&params.from, &params.to, params.centre.as_deref())?;
    let csv = match params.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "format `{other}`: expected json or csv"
            )));
        }
    };
    let report = reach(
        &state.storage,
        &query,
        &staff.scope,
        &ReportRules::of(&state.settings.dashboard),
    )
    .await?;
    Ok(if csv {
        csv_response(&report)
    } else {
        Json(report).into_response()
    })
}

pub fn csv_response(report: &ReachReport) -> Response {
    let filename = format!("reach-{}-{}.csv", report.from, report.to);
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        to_csv(report),
    )
        .into_response()
}

pub fn routes() -> utoipa_axum::router::OpenApiRouter<AppState> {
    utoipa_axum::router::OpenApiRouter::new()
        .routes(utoipa_axum::routes!(reach_report))
        .routes(utoipa_axum::routes!(super::requests::report))
}
