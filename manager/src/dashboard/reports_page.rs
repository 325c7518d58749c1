//! The reach report page and its CSV/JSON exports (same computation as the
//! API and the CLI).

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use jiff::ToSpan;
use maud::{Markup, PreEscaped, html};
use plaza_api::reports::{Cell, Group, ReachReport, Share};
use plaza_catalogue::hours;
use serde::Deserialize;

use crate::access::Duty;
use crate::reports::api::csv_response;
use crate::reports::{ReachQuery, ReportError, reach};
use crate::state::AppState;

use super::charts::bar_chart;
use super::layout;
use super::session::WebUser;

#[derive(Debug, Default, Deserialize)]
pub(super) struct ReportParams {
    from: Option<String>,
    to: Option<String>,
    centre: Option<String>,
}

impl ReportParams {
    fn query_string(&self, query: &ReachQuery) -> String {
        let centre = self.centre.as_deref().unwrap_or("");
        format!(
            "from={}&to={}&centre={}",
            query.from,
            query.to,
            encode(centre)
        )
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                char::from(byte).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

async fn compute(
    state: &AppState,
    user: &WebUser,
    params: &ReportParams,
) -> Result<(ReachQuery, ReachReport), Response> {
    user.require(Duty::Reports)
        .map_err(IntoResponse::into_response)?;
    let today = state.clock.now().to_zoned(jiff::tz::TimeZone::UTC).date();
    let default_from = today.checked_sub(29.days()).unwrap_or(today).to_string();
    let query = ReachQuery::parse(
        params.from.as_deref().unwrap_or(&default_from),
        params.to.as_deref().unwrap_or(&today.to_string()),
        params.centre.as_deref(),
    );
    let refuse = |status, message: String| {
        (
            status,
            layout::page(
                Some(user),
                "Reach report",
                html! { p.notice.error role="alert" { (message) } },
            ),
        )
            .into_response()
    };
    let query = query.map_err(|error| {
        refuse(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            error.to_string(),
        )
    })?;
    match reach(
        &state.storage,
        &query,
        &user.staff.scope,
        &crate::reports::ReportRules::of(&state.settings.dashboard),
    )
    .await
    {
        Ok(report) => Ok((query, report)),
        Err(ReportError::Invalid(message)) => Err(refuse(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            message,
        )),
        Err(ReportError::Forbidden(message)) => {
            Err(refuse(axum::http::StatusCode::FORBIDDEN, message))
        }
        Err(ReportError::Storage(error)) => Err(layout::error_page(&error.to_string())),
    }
}

pub(super) async fn page(
    State(state): State<AppState>,
    user: WebUser,
    Query(params): Query<ReportParams>,
) -> Response {
    let (query, report) = match compute(&state, &user, &params).await {
        Ok(computed) => computed,
        Err(refusal) => return refusal,
    };
    let centres = match state.storage.centres().await {
        Ok(centres) => centres
            .into_iter()
            .filter(|centre| user.staff.may_at(Duty::Reports, centre.id))
            .collect::<Vec<_>>(),
        Err(error) => return layout::error_page(&error.to_string()),
    };
    let participation = crate::have_a_say::report::participation(
        State(state.clone()),
        user.staff.clone(),
        crate::extract::Query(crate::have_a_say::report::ReportParams {
            from: query.from.to_string(),
            to: query.to.to_string(),
        }),
    )
    .await
    .map(|crate::extract::Json(report)| report);
    let selected = params.centre.clone().unwrap_or_default();
    let exports = params.query_string(&query);
    let body = html! {
        form.report method="get" action="/dashboard/reports" {
            label for="from" { "From" }
            input #from type="date" name="from" value=(query.from) required;
            label for="to" { "To" }
            input #to type="date" name="to" value=(query.to) required;
            label for="centre" { "Centre" }
            select #centre name="centre" {
                option value="" selected[selected.is_empty()] { "All my centres" }
                @for centre in &centres {
                    option value=(centre.name) selected[selected == centre.name] { (centre.name) }
                }
            }
            button type="submit" { "Show" }
        }
        p.exports {
            "Download: "
            a #csv href={ "/dashboard/reports/reach.csv?" (exports) } download { "CSV" }
            " · "
            a #json href={ "/dashboard/reports/reach.json?" (exports) } { "JSON" }
        }
        p.hint { "Groups of fewer than " (report.k_anonymity) " sessions are shown as “< " (report.k_anonymity) "”, with one more cell hidden when needed so they cannot be worked out from the total." }
        h2 { "Totals" }
        dl.facts #totals {
            dt { "Sessions" } dd data-figure="sessions" { (cell(&report.totals.sessions)) }
            dt { "Hours of use" } dd data-figure="hours" { (optional(report.totals.hours, report.k_anonymity)) }
            dt { "Average session" } dd data-figure="average_minutes" { (optional(report.totals.average_minutes, report.k_anonymity)) " min" }
            dt { "First-time internet users" } dd data-figure="first_time_users" { (cell(&report.totals.first_time_users)) }
            dt { "Citizen accounts" } dd data-figure="citizen_accounts" { (cell(&report.totals.citizen_accounts)) }
        }
        div.report-grid {
            (breakdown("Age band", "age_band", &report.by_age_band))
            (breakdown("Gender", "gender", &report.by_gender))
            (breakdown("Neighbourhood", "neighbourhood", &report.by_neighbourhood))
            (breakdown("Centre", "centre", &report.by_centre))
            (breakdown("Sections used", "section", &report.sections))
            (breakdown("Top procedures viewed", "procedure", &report.top_procedures))
            (breakdown("Internet use by purpose", "purpose", &report.internet_by_purpose))
        }
        h2 { "When: hour of day × weekday (UTC)" }
        (heatmap(&report))
        h2 { "Kiosk availability and occupancy" }
        (kiosk_table(&report))
        h2 { "Having a say: participation by neighbourhood (the whole municipality)" }
        @match &participation {
            Ok(participation) => (participation_table(participation)),
            Err(error) => p.notice.error { (error.message) },
        }
        @if !report.notes.is_empty() {
            h2 { "Notes" }
            ul { @for note in &report.notes { li { (note) } } }
        }
    };
    layout::page(Some(&user), "Reach report", body).into_response()
}

fn cell(cell: &Cell) -> String {
    crate::reports::cell_text(cell)
}

fn optional(value: Option<f64>, k: u32) -> String {
    value.map_or_else(|| format!("< {k}"), |value| value.to_string())
}

fn breakdown(title: &str, table: &str, groups: &[Group]) -> Markup {
    let chart = bar_chart(
        title,
        &groups
            .iter()
            .map(|group| {
                let value = match group.sessions {
                    Cell::Count(count) => count,
                    Cell::Suppressed(_) => 0,
                };
                (group.key.clone(), value)
            })
            .collect::<Vec<_>>(),
    );
    html! {
        section.breakdown {
            h2 { (title) }
            @if groups.is_empty() { p { "No data." } } @else {
                @if let Some(svg) = chart { figure.chart { (PreEscaped(svg)) } }
                table data-table=(table) {
                    thead { tr { th scope="col" { "Group" } th scope="col" { "Sessions" } } }
                    tbody {
                        @for group in groups {
                            tr { td { (group.key) } td data-key=(group.key) { (cell(&group.sessions)) } }
                        }
                    }
                }
            }
        }
    }
}

/// Voters, proposals and supports per neighbourhood, suppressed below k.
fn participation_table(report: &plaza_api::have_a_say::ParticipationReport) -> Markup {
    html! {
        @if report.rows.is_empty() {
            p { "No votes, proposals or supports in these weeks (" (report.from) " to " (report.to) ")." }
        } @else {
            table #participation {
                caption { "Whole weeks " (report.from) " to " (report.to) }
                thead { tr { th { "Neighbourhood" } th { "Voters" } th { "Proposals" } th { "Supports" } } }
                tbody {
                    @for row in &report.rows {
                        tr {
                            td { (row.neighbourhood.as_deref().unwrap_or("accounts not verified")) }
                            td { (cell(&row.voters)) } td { (cell(&row.proposals)) } td { (cell(&row.supports)) }
                        }
                    }
                }
            }
        }
    }
}

fn kiosk_table(report: &ReachReport) -> Markup {
    let share = |share: &Share| match share {
        Share::Percent(percent) => format!("{percent} %"),
        Share::Withheld(why) => why.clone(),
    };
    html! {
        @if report.kiosks.is_empty() { p { "No kiosks in these centres." } } @else {
            p.hint { "Availability: share of the centre's opening hours (UTC) the kiosk was online. Occupancy: share of that online time in session." }
            table #kiosk-use {
                thead { tr {
                    th scope="col" { "Centre" } th scope="col" { "Kiosk" } th scope="col" { "Opening hours" }
                    th scope="col" { "Availability" } th scope="col" { "Occupancy" }
                } }
                tbody {
                    @for kiosk in &report.kiosks {
                        tr {
                            td { (kiosk.centre) }
                            th scope="row" { (kiosk.kiosk) }
                            td { (kiosk.open_hours) " h" }
                            td data-availability=(kiosk.kiosk) { (share(&kiosk.availability)) }
                            td data-occupancy=(kiosk.kiosk) { (share(&kiosk.occupancy)) }
                        }
                    }
                }
            }
        }
    }
}

fn heatmap(report: &ReachReport) -> Markup {
    let most = report
        .heatmap
        .iter()
        .filter_map(|cell| match cell.sessions {
            Cell::Count(count) => Some(count),
            Cell::Suppressed(_) => None,
        })
        .max()
        .unwrap_or(0)
        .max(1);
    html! {
        div.heatmap-wrap {
            table.heatmap {
                thead { tr { th scope="col" { "" } @for hour in 0..24 { th scope="col" { (format!("{hour:02}")) } } } }
                tbody {
                    @for (weekday, name) in hours::week().map(hours::day_name).enumerate() {
                        tr {
                            th scope="row" { (name) }
                            @for entry in report.heatmap.iter().filter(|cell| usize::from(cell.weekday) == weekday) {
                                @let level = match entry.sessions { Cell::Count(count) => (count * 4).div_ceil(most), Cell::Suppressed(_) => 1 };
                                td class={ "heat-" (level) } { (cell(&entry.sessions)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub(super) async fn csv(
    State(state): State<AppState>,
    user: WebUser,
    Query(params): Query<ReportParams>,
) -> Response {
    match compute(&state, &user, &params).await {
        Ok((_, report)) => csv_response(&report),
        Err(refusal) => refusal,
    }
}

pub(super) async fn json(
    State(state): State<AppState>,
    user: WebUser,
    Query(params): Query<ReportParams>,
) -> Response {
    match compute(&state, &user, &params).await {
        Ok((_, report)) => axum::Json(report).into_response(),
        Err(refusal) => refusal,
    }
}
