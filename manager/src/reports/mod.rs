//! Digital-divide reach reports: one computation behind the API, the
//! dashboard page and the CLI, so their numbers are the same.

pub mod api;
mod availability;
mod csv;
pub mod requests;
mod suppress;
pub mod weeks;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use plaza_api::reports::{Group, HeatmapCell, ReachReport, ReachTotals};
use plaza_api::session::{AgeBand, Gender, Section};

use crate::auth::CentreScope;
use crate::config::DashboardSettings;
use crate::storage::reports::ReachCounts;
use crate::storage::{Storage, StorageError};

pub use availability::{availability, open_intervals};
pub use csv::{cell_text, share_text, to_csv};
pub use plaza_catalogue::{HoursError, OpeningHours};
pub use suppress::{single, single_marked, suppress, suppress_marked};
pub use weeks::SmallCells;

/// Longest range a report may cover.
const MAX_DAYS: i32 = 3 * 366;
pub(crate) const NOT_ANSWERED: &str = "not_answered";

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Forbidden(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// How reports are published: the k-anonymity threshold, and the opening
/// hours of centres that have none of their own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRules {
    pub k_anonymity: u32,
    pub default_hours: OpeningHours,
}

impl ReportRules {
    pub fn of(settings: &DashboardSettings) -> Self {
        Self {
            k_anonymity: settings.k_anonymity,
            // Checked when the settings were loaded.
            default_hours: OpeningHours::parse(&settings.default_opening_hours).unwrap_or_default(),
        }
    }
}

/// What to report on: days `from..=to` (UTC) and centre names (empty: every
/// centre the caller may see).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReachQuery {
    pub from: Date,
    pub to: Date,
    pub centres: Vec<String>,
}

impl ReachQuery {
    /// From the strings of a query string or command line.
    pub fn parse(from: &str, to: &str, centres: Option<&str>) -> Result<Self, ReportError> {
        let date = |text: &str, name: &str| {
            text.trim().parse::<Date>().map_err(|_| {
                ReportError::Invalid(format!("`{name}` must be a date like 2026-01-31"))
            })
        };
        let query = ReachQuery {
            from: date(from, "from")?,
            to: date(to, "to")?,
            centres: centres
                .unwrap_or("")
                .split(',')
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .map(str::to_owned)
                .collect(),
        };
        if query.to < query.from {
            return Err(ReportError::Invalid("`to` is before `from`".to_owned()));
        }
        let days = query
            .from
            .until(query.to)
            .map_or(i32::MAX, |span| span.get_days());
        if days > MAX_DAYS {
            return Err(ReportError::Invalid(format!(
                "a report covers at most {MAX_DAYS} days"
            )));
        }
        Ok(query)
    }
}

/// The report for `query`, limited to `scope`, with groups below
/// `rules.k_anonymity` suppressed.
pub async fn reach(
    storage: &Storage,
    query: &ReachQuery,
    scope: &CentreScope,
    rules: &ReportRules,
) -> Result<ReachReport, ReportError> {
    let k = rules.k_anonymity;
    let all = storage.centres().await?;
    let chosen: Vec<(i64, String)> = if query.centres.is_empty() {
        all.iter()
            .filter(|centre| scope.allows(centre.id))
            .map(|centre| (centre.id, centre.name.clone()))
            .collect()
    } else {
        query
            .centres
            .iter()
            .map(|name| {
                let centre = all
                    .iter()
                    .find(|centre| centre.name.eq_ignore_ascii_case(name))
                    .ok_or_else(|| ReportError::Invalid(format!("no centre named `{name}`")))?;
                if !scope.allows(centre.id) {
                    return Err(ReportError::Forbidden(format!(
                        "you do not supervise `{}`",
                        centre.name
                    )));
                }
                Ok((centre.id, centre.name.clone()))
            })
            .collect::<Result<_, _>>()?
    };
    // Whole weeks only, and no cell small in any of them: `weeks`.
    let (from, to) = weeks::widen(query.from, query.to)?;
    let widened = ReachQuery {
        from,
        to,
        centres: query.centres.clone(),
    };
    let start = midnight(from)?;
    let end = midnight(
        to.tomorrow()
            .map_err(|error| ReportError::Invalid(error.to_string()))?,
    )?;
    // Kiosk availability counts machines, not people: the days asked for.
    let asked_start = midnight(query.from)?;
    let asked_end = midnight(
        query
            .to
            .tomorrow()
            .map_err(|error| ReportError::Invalid(error.to_string()))?,
    )?;
    let ids: Vec<i64> = chosen.iter().map(|(id, _)| *id).collect();
    let (counts, small, used, hours) = tokio::try_join!(
        async { Ok(storage.reach_counts(start, end, ids.clone()).await?) },
        weeks::small_in_some_week(storage, (from, to), &ids, k),
        async {
            Ok(storage
                .kiosk_use(asked_start, asked_end, ids.clone())
                .await?)
        },
        async { Ok::<_, ReportError>(storage.all_centre_hours().await?) },
    )?;
    let mut report = publish(
        &widened,
        chosen.into_iter().map(|(_, name)| name).collect(),
        &counts,
        k,
        &small,
    );
    report.requested_from = query.from.to_string();
    report.requested_to = query.to.to_string();
    if (from, to) != (query.from, query.to) {
        report.notes.insert(
            0,
            format!(
                "Requested {} to {}; widened to whole weeks (Monday to Sunday) so that two reports cannot be subtracted to reveal a small group.",
                query.from, query.to
            ),
        );
    }
    report.kiosks = availability::kiosk_use(
        used,
        &hours,
        &rules.default_hours,
        (query.from, query.to),
        k,
    );
    Ok(report)
}

pub(crate) fn midnight(date: Date) -> Result<jiff::Timestamp, ReportError> {
    date.to_zoned(TimeZone::UTC)
        .map(|zoned| zoned.timestamp())
        .map_err(|error| ReportError::Invalid(error.to_string()))
}

/// Every survey value in its natural order, then "not answered".
fn complete(known: &[&str], counts: &[(Option<String>, u64)]) -> Vec<(String, u64)> {
    let mut rows: Vec<(String, u64)> = known
        .iter()
        .map(|key| {
            let count = counts
                .iter()
                .find(|(value, _)| value.as_deref() == Some(key))
                .map_or(0, |(_, count)| *count);
            ((*key).to_owned(), count)
        })
        .collect();
    for (value, count) in counts {
        if let Some(value) = value
            && !known.contains(&value.as_str())
        {
            rows.push((value.clone(), *count));
        }
    }
    let unanswered = counts
        .iter()
        .filter(|(value, _)| value.is_none())
        .map(|(_, count)| count)
        .sum();
    rows.push((NOT_ANSWERED.to_owned(), unanswered));
    rows
}

fn groups(table: &str, rows: &[(String, u64)], k: u32, small: &SmallCells) -> Vec<Group> {
    let counts: Vec<u64> = rows.iter().map(|(_, count)| *count).collect();
    let marked: Vec<bool> = rows
        .iter()
        .map(|(key, _)| small.contains(&format!("{table}/{key}")))
        .collect();
    rows.iter()
        .zip(suppress_marked(&counts, &marked, k))
        .map(|((key, _), sessions)| Group {
            key: key.clone(),
            sessions,
        })
        .collect()
}

/// Independent counts (a session may open many sections): each on its own.
fn independent(table: &str, rows: &[(String, u64)], k: u32, small: &SmallCells) -> Vec<Group> {
    rows.iter()
        .map(|(key, count)| Group {
            key: key.clone(),
            sessions: single_marked(*count, small.contains(&format!("{table}/{key}")), k),
        })
        .collect()
}

fn one_decimal(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

pub fn publish(
    query: &ReachQuery,
    centres: Vec<String>,
    counts: &ReachCounts,
    k: u32,
    small: &SmallCells,
) -> ReachReport {
    // Totals are single figures, not breakdown cells: below k only.
    let sessions = single(counts.sessions, k);
    let shown = matches!(sessions, plaza_api::reports::Cell::Count(count) if count > 0);
    let (hours, average_minutes) = if shown {
        (
            Some(one_decimal(counts.total_seconds as f64 / 3600.0)),
            Some(one_decimal(
                counts.total_seconds as f64 / 60.0 / counts.sessions as f64,
            )),
        )
    } else {
        (None, None)
    };
    let age_bands: Vec<&str> = AgeBand::ALL.iter().map(|band| band.as_str()).collect();
    let genders: Vec<&str> = Gender::ALL.iter().map(|gender| gender.as_str()).collect();
    let section_rows: Vec<(String, u64)> = Section::ALL
        .iter()
        .map(|section| {
            let count = counts
                .sections
                .iter()
                .find(|(key, _)| key == section.as_str())
                .map_or(0, |(_, count)| *count);
            (section.as_str().to_owned(), count)
        })
        .collect();
    let mut heat = vec![0_u64; 7 * 24];
    for ((weekday, hour), count) in &counts.heatmap {
        if let Some(slot) = heat.get_mut(usize::from(*weekday) * 24 + usize::from(*hour)) {
            *slot = *count;
        }
    }
    let heat_marked: Vec<bool> = (0..heat.len())
        .map(|index| {
            let (weekday, hour) = (index / 24, index % 24);
            small.contains(&weeks::heat_key(
                u8::try_from(weekday).unwrap_or(0),
                u8::try_from(hour).unwrap_or(0),
            ))
        })
        .collect();
    let heatmap = suppress_marked(&heat, &heat_marked, k)
        .into_iter()
        .enumerate()
        .map(|(index, sessions)| HeatmapCell {
            weekday: u8::try_from(index / 24).unwrap_or(0),
            hour: u8::try_from(index % 24).unwrap_or(0),
            sessions,
        })
        .collect();
    let centre_rows: Vec<(String, u64)> = centres
        .iter()
        .map(|name| {
            let count = counts
                .by_centre
                .iter()
                .find(|(key, _)| key == name)
                .map_or(0, |(_, count)| *count);
            (name.clone(), count)
        })
        .collect();
    ReachReport {
        from: query.from.to_string(),
        to: query.to.to_string(),
        requested_from: query.from.to_string(),
        requested_to: query.to.to_string(),
        k_anonymity: k,
        totals: ReachTotals {
            sessions,
            hours,
            average_minutes,
            first_time_users: single(counts.first_time, k),
            citizen_accounts: single(counts.citizen_accounts, k),
        },
        by_age_band: groups(
            "age_band",
            &complete(&age_bands, &counts.by_age_band),
            k,
            small,
        ),
        by_gender: groups("gender", &complete(&genders, &counts.by_gender), k, small),
        by_neighbourhood: groups(
            "neighbourhood",
            &complete(&[], &counts.by_neighbourhood),
            k,
            small,
        ),
        by_centre: groups("centre", &centre_rows, k, small),
        sections: independent("section", &section_rows, k, small),
        top_procedures: independent("procedure", &counts.procedures, k, small),
        internet_by_purpose: independent("purpose", &counts.internet, k, small),
        heatmap,
        kiosks: Vec::new(),
        centres,
        notes: vec![
            "Citizen accounts: different accounts that logged in at these centres in the range; many citizens use a kiosk without an account.".to_owned(),
            "Kiosk availability: share of the centre's opening hours the kiosk was online (heartbeats no further apart than the offline threshold); occupancy: share of that online time in session. Opening hours are in UTC.".to_owned(),
            "Hours and weekdays are in UTC.".to_owned(),
            "Reports cover whole weeks (Monday to Sunday, UTC), and a breakdown cell that was below k in any week of the range is hidden (totals are only hidden below k), so that no two reports can be subtracted to reveal a small group.".to_owned(),
        ],
    }
}
