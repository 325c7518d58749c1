//! Kiosk availability (share of opening hours online) and occupancy (share
//! of that online time in session), from online spans and sessions.

use std::collections::HashMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use plaza_api::reports::{KioskUse, Share};
use plaza_catalogue::OpeningHours;

use crate::storage::availability::{HoursRow, KioskUseRecord};

/// Sorted, non-overlapping `[start, end)` intervals in milliseconds.
type Intervals = Vec<(i64, i64)>;

/// Merges sorted-by-start intervals that touch or overlap.
fn merged(mut intervals: Intervals) -> Intervals {
    intervals.sort_unstable();
    let mut out: Intervals = Vec::with_capacity(intervals.len());
    for (start, end) in intervals {
        match out.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

/// The intersection of two sorted, non-overlapping interval lists.
fn intersect(left: &[(i64, i64)], right: &[(i64, i64)]) -> Intervals {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < left.len() && j < right.len() {
        let start = left[i].0.max(right[j].0);
        let end = left[i].1.min(right[j].1);
        if start < end {
            out.push((start, end));
        }
        if left[i].1 < right[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

fn total(intervals: &[(i64, i64)]) -> i64 {
    intervals.iter().map(|(start, end)| end - start).sum()
}

fn percent(part: i64, whole: i64) -> f64 {
    (part as f64 * 1000.0 / whole as f64).round() / 10.0
}

/// The open intervals of `hours` on days `from..=to` (UTC), in
/// milliseconds: what availability is measured against.
pub fn open_intervals(hours: &OpeningHours, (from, to): (Date, Date)) -> Intervals {
    hours
        .intervals(from, to, &TimeZone::UTC)
        .into_iter()
        .map(|(opens, closes)| (opens.as_millisecond(), closes.as_millisecond()))
        .collect()
}

/// A kiosk's availability: the share of the `open` intervals that its
/// `online` spans (in milliseconds, in any order) cover.
pub fn availability(open: &[(i64, i64)], online: Intervals) -> Share {
    share_online(total(&intersect(open, &merged(online))), total(open))
}

fn share_online(online_ms: i64, open_ms: i64) -> Share {
    if open_ms == 0 {
        Share::Withheld("closed".to_owned())
    } else {
        Share::Percent(percent(online_ms, open_ms))
    }
}

/// Each kiosk's availability and occupancy over days `from..=to` (UTC).
/// `hours` holds the centres that set their own; the others use `default`.
/// Occupancy is withheld when the kiosk had fewer than `k` sessions, whose
/// lengths it would reveal.
pub fn kiosk_use(
    records: Vec<KioskUseRecord>,
    hours: &HashMap<i64, Vec<HoursRow>>,
    default: &OpeningHours,
    days: (Date, Date),
    k: u32,
) -> Vec<KioskUse> {
    let mut open_by_centre: HashMap<i64, Intervals> = HashMap::new();
    records
        .into_iter()
        .map(|record| {
            let open = open_by_centre.entry(record.centre_id).or_insert_with(|| {
                let centre_hours = hours
                    .get(&record.centre_id)
                    .map_or_else(|| default.clone(), |rows| OpeningHours::from_rows(rows));
                open_intervals(&centre_hours, days)
            });
            let open_ms = total(open);
            let online = intersect(open, &merged(record.online));
            let online_ms = total(&online);
            let session_count = record.sessions.len();
            let busy_ms = total(&intersect(&online, &merged(record.sessions)));
            let availability = share_online(online_ms, open_ms);
            let occupancy = if open_ms == 0 {
                Share::Withheld("closed".to_owned())
            } else if online_ms == 0 {
                Share::Withheld("never online".to_owned())
            } else if session_count > 0 && session_count < k as usize {
                Share::Withheld(format!("< {k} sessions"))
            } else {
                Share::Percent(percent(busy_ms, online_ms))
            };
            let open_hours = (open_ms as f64 / 360_000.0).round() / 10.0;
            KioskUse {
                centre: record.centre,
                kiosk: record.hostname,
                open_hours,
                availability,
                occupancy,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_intersect_and_merge() {
        assert_eq!(merged(vec![(5, 8), (0, 3), (2, 4)]), [(0, 4), (5, 8)]);
        assert_eq!(
            intersect(&[(0, 10), (20, 30)], &[(5, 25), (28, 40)]),
            [(5, 10), (20, 25), (28, 30)]
        );
        assert_eq!(total(&[(0, 10), (20, 25)]), 15);
        assert!((percent(1, 3) - 33.3).abs() < f64::EPSILON);
    }
}
