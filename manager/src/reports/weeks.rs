//! Reports cannot be subtracted. Two reports whose ranges differ by one day
//! would differ by exactly that day's cells, so a small group hidden in a
//! one-day report could be read off as the difference of two larger ones.
//! Two rules close that:
//!
//! 1. A report covers whole calendar weeks (Monday to Sunday, UTC): the
//!    requested range is widened to them and the report says so. Any two
//!    reports then differ by whole weeks.
//! 2. A breakdown cell (not the totals, which are single figures and
//!    hidden only below k) is published only if, in every week of the range, its count is
//!    0 or at least k. The difference of two published cells is then a sum
//!    of weekly counts each 0 or at least k, which is never a small group.
//!    A cell small in some week is hidden even when its sum is large.

use std::collections::HashSet;

use jiff::ToSpan;
use jiff::civil::Date;

use super::{NOT_ANSWERED, ReportError, midnight};
use crate::storage::Storage;
use crate::storage::reports::{ReachCounts, TOP_PROCEDURES};

/// `from..=to` widened to whole weeks: back to a Monday, on to a Sunday.
pub fn widen(from: Date, to: Date) -> Result<(Date, Date), ReportError> {
    let back = i64::from(from.weekday().to_monday_zero_offset());
    let on = 6 - i64::from(to.weekday().to_monday_zero_offset());
    let shift = |date: Date, days: i64| {
        date.checked_add(days.days())
            .map_err(|error| ReportError::Invalid(error.to_string()))
    };
    Ok((shift(from, -back)?, shift(to, on)?))
}

/// Every cell of a report's counts under one key each (the keys
/// [`super::publish`] looks up), with its count.
pub fn cells(counts: &ReachCounts) -> Vec<(String, u64)> {
    let answer = |table: &str, rows: &[(Option<String>, u64)]| {
        rows.iter()
            .map(|(value, count)| {
                let value = value.as_deref().unwrap_or(NOT_ANSWERED);
                (format!("{table}/{value}"), *count)
            })
            .collect::<Vec<_>>()
    };
    let mut all = vec![
        ("sessions".to_owned(), counts.sessions),
        ("first_time".to_owned(), counts.first_time),
    ];
    all.extend(answer("age_band", &counts.by_age_band));
    all.extend(answer("gender", &counts.by_gender));
    all.extend(answer("neighbourhood", &counts.by_neighbourhood));
    let named = |table: &str, rows: &[(String, u64)]| {
        rows.iter()
            .map(|(key, count)| (format!("{table}/{key}"), *count))
            .collect::<Vec<_>>()
    };
    all.extend(named("centre", &counts.by_centre));
    all.extend(named("section", &counts.sections));
    all.extend(named("procedure", &counts.procedures));
    all.extend(named("purpose", &counts.internet));
    all.extend(
        counts
            .heatmap
            .iter()
            .map(|((weekday, hour), count)| (heat_key(*weekday, *hour), *count)),
    );
    all
}

pub fn heat_key(weekday: u8, hour: u8) -> String {
    format!("heatmap/{weekday}/{hour}")
}

/// The keys of the cells that were small (0 < count < k) in at least one
/// week of `from..=to` (whole weeks) at `centre_ids`. A week whose
/// procedure list was cut at [`TOP_PROCEDURES`] marks every procedure it
/// does not list, since it may have been small there.
pub async fn small_in_some_week(
    storage: &Storage,
    (from, to): (Date, Date),
    centre_ids: &[i64],
    k: u32,
) -> Result<SmallCells, ReportError> {
    let k = u64::from(k);
    let mut small = SmallCells::default();
    let mut monday = from;
    while monday <= to {
        let next = monday
            .checked_add(7.days())
            .map_err(|error| ReportError::Invalid(error.to_string()))?;
        let week = storage
            .reach_counts(midnight(monday)?, midnight(next)?, centre_ids.to_vec())
            .await?;
        for (key, count) in cells(&week) {
            if count > 0 && count < k {
                small.keys.insert(key);
            }
        }
        if week.procedures.len() >= TOP_PROCEDURES {
            small
                .cut_weeks
                .push(week.procedures.into_iter().map(|(id, _)| id).collect());
        }
        monday = next;
    }
    Ok(small)
}

/// Cells to hide because they were small in some week.
#[derive(Debug, Default)]
pub struct SmallCells {
    keys: HashSet<String>,
    /// The procedures listed by each week whose list was cut.
    cut_weeks: Vec<HashSet<String>>,
}

impl SmallCells {
    pub fn contains(&self, key: &str) -> bool {
        if self.keys.contains(key) {
            return true;
        }
        key.strip_prefix("procedure/").is_some_and(|procedure| {
            self.cut_weeks
                .iter()
                .any(|listed| !listed.contains(procedure))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_widen_to_whole_monday_to_sunday_weeks() {
        let date = |text: &str| text.parse::<Date>().expect("date");
        // 2026-03-01 is a Sunday, 2026-03-10 a Tuesday.
        assert_eq!(
            widen(date("2026-03-01"), date("2026-03-10")).expect("widen"),
            (date("2026-02-23"), date("2026-03-15"))
        );
        assert_eq!(
            widen(date("2026-03-02"), date("2026-03-08")).expect("widen"),
            (date("2026-03-02"), date("2026-03-08"))
        );
    }
}
