//! A centre's opening hours, written like `Mon-Fri 09:00-14:00,16:00-20:00;
//! Sat 10:00-14:00` (UTC, like the rest of the reports; days not named are
//! closed; `closed` for never), and the open intervals they give over a
//! range of days.

use std::fmt;

use jiff::Timestamp;
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MINUTES_PER_DAY: u16 = 24 * 60;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "opening hours `{text}`: {problem} (write them like `Mon-Fri 09:00-20:00; Sat 10:00-14:00`)"
)]
pub struct HoursError {
    text: String,
    problem: String,
}

/// Open periods per weekday (0 = Monday), as minutes after midnight UTC,
/// sorted and not overlapping.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpeningHours {
    days: [Vec<(u16, u16)>; 7],
}

impl OpeningHours {
    pub fn parse(text: &str) -> Result<Self, HoursError> {
        let fail = |problem: String| HoursError {
            text: text.to_owned(),
            problem,
        };
        let mut hours = OpeningHours::default();
        if text.trim().eq_ignore_ascii_case("closed") {
            return Ok(hours);
        }
        if text.trim().is_empty() {
            return Err(fail(
                "no days given (write `closed` for a centre that never opens)".to_owned(),
            ));
        }
        for part in text
            .split(';')
            .map(str::trim)
            .filter(|part| !part.is_empty())
        {
            let (days, periods) = part
                .split_once(char::is_whitespace)
                .ok_or_else(|| fail(format!("`{part}` needs days and times")))?;
            let days =
                day_range(days.trim()).ok_or_else(|| fail(format!("unknown days `{days}`")))?;
            for period in periods.split(',').map(str::trim) {
                let (opens, closes) = period
                    .split_once('-')
                    .and_then(|(opens, closes)| Some((minutes(opens)?, minutes(closes)?)))
                    .ok_or_else(|| fail(format!("`{period}` is not like 09:00-14:00")))?;
                if closes <= opens {
                    return Err(fail(format!("`{period}` closes before it opens")));
                }
                for day in days.clone() {
                    hours.days[day].push((opens, closes));
                }
            }
        }
        for (day, periods) in hours.days.iter_mut().enumerate() {
            periods.sort_unstable();
            if periods.windows(2).any(|pair| pair[1].0 < pair[0].1) {
                return Err(fail(format!("periods on {} overlap", DAYS[day])));
            }
        }
        Ok(hours)
    }

    /// From stored rows: (weekday, opens, closes).
    pub fn from_rows(rows: &[(u8, u16, u16)]) -> Self {
        let mut hours = OpeningHours::default();
        for &(day, opens, closes) in rows {
            if let Some(periods) = hours.days.get_mut(usize::from(day)) {
                periods.push((opens, closes));
            }
        }
        for periods in &mut hours.days {
            periods.sort_unstable();
        }
        hours
    }

    /// As stored rows: (weekday, opens, closes).
    pub fn rows(&self) -> Vec<(u8, u16, u16)> {
        (0_u8..)
            .zip(&self.days)
            .flat_map(|(day, periods)| {
                periods
                    .iter()
                    .map(move |&(opens, closes)| (day, opens, closes))
            })
            .collect()
    }

    /// Open intervals on days `from..=to`, in order.
    pub fn intervals(&self, from: Date, to: Date) -> Vec<(Timestamp, Timestamp)> {
        let mut intervals = Vec::new();
        let mut day = from;
        while day <= to {
            let weekday = weekday_index(day);
            if let Ok(midnight) = day.to_zoned(TimeZone::UTC).map(|zoned| zoned.timestamp()) {
                for &(opens, closes) in &self.days[weekday] {
                    let at = |minutes: u16| {
                        midnight + jiff::SignedDuration::from_mins(i64::from(minutes))
                    };
                    intervals.push((at(opens), at(closes)));
                }
            }
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        intervals
    }
}

impl fmt::Display for OpeningHours {
    /// Days with the same periods grouped: `Mon-Fri 09:00-20:00; Sat 10:00-14:00`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        let mut day = 0;
        while day < 7 {
            let periods = &self.days[day];
            let mut last = day;
            while last + 1 < 7 && self.days[last + 1] == *periods {
                last += 1;
            }
            if !periods.is_empty() {
                let days = if last == day {
                    DAYS[day].to_owned()
                } else {
                    format!("{}-{}", DAYS[day], DAYS[last])
                };
                let times: Vec<String> = periods
                    .iter()
                    .map(|&(opens, closes)| format!("{}-{}", clock(opens), clock(closes)))
                    .collect();
                parts.push(format!("{days} {}", times.join(",")));
            }
            day = last + 1;
        }
        if parts.is_empty() {
            return formatter.write_str("closed");
        }
        formatter.write_str(&parts.join("; "))
    }
}

fn clock(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn day_index(name: &str) -> Option<usize> {
    DAYS.iter().position(|day| day.eq_ignore_ascii_case(name))
}

fn day_range(text: &str) -> Option<std::ops::RangeInclusive<usize>> {
    match text.split_once('-') {
        Some((first, last)) => {
            let (first, last) = (day_index(first.trim())?, day_index(last.trim())?);
            (first <= last).then_some(first..=last)
        }
        None => day_index(text).map(|day| day..=day),
    }
}

/// `09:30` → 570; `24:00` is the end of the day.
fn minutes(text: &str) -> Option<u16> {
    let (hours, mins) = text.trim().split_once(':')?;
    if hours.len() != 2 || mins.len() != 2 {
        return None;
    }
    let (hours, mins): (u16, u16) = (hours.parse().ok()?, mins.parse().ok()?);
    let total = hours * 60 + mins;
    (mins < 60 && total <= MINUTES_PER_DAY).then_some(total)
}

/// Weekday of `date`, 0 = Monday.
fn weekday_index(date: Date) -> usize {
    match date.weekday() {
        Weekday::Monday => 0,
        Weekday::Tuesday => 1,
        Weekday::Wednesday => 2,
        Weekday::Thursday => 3,
        Weekday::Friday => 4,
        Weekday::Saturday => 5,
        Weekday::Sunday => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_round_trip_and_bad_ones_say_why() {
        let hours =
            OpeningHours::parse("Mon-Fri 09:00-14:00,16:00-20:00; sat 10:00-14:00").expect("valid");
        assert_eq!(
            hours.to_string(),
            "Mon-Fri 09:00-14:00,16:00-20:00; Sat 10:00-14:00"
        );
        assert_eq!(OpeningHours::from_rows(&hours.rows()), hours);
        assert_eq!(
            OpeningHours::parse("Closed").expect("closed").to_string(),
            "closed"
        );
        for bad in [
            "",
            "Mon 9-14",
            "Funday 09:00-14:00",
            "Mon 14:00-09:00",
            "Mon 09:00-14:00,13:00-15:00",
            "Mon 09:00-25:00",
            "Fri-Mon 09:00-14:00",
        ] {
            assert!(OpeningHours::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn intervals_follow_the_weekdays() {
        let hours = OpeningHours::parse("Mon 09:00-13:00; Sun 10:00-11:00").expect("valid");
        let from: Date = "2026-03-01".parse().expect("date"); // a Sunday
        let to: Date = "2026-03-02".parse().expect("date");
        let intervals = hours.intervals(from, to);
        assert_eq!(
            intervals,
            [
                (
                    "2026-03-01T10:00:00Z".parse().expect("time"),
                    "2026-03-01T11:00:00Z".parse().expect("time")
                ),
                (
                    "2026-03-02T09:00:00Z".parse().expect("time"),
                    "2026-03-02T13:00:00Z".parse().expect("time")
                ),
            ]
        );
        assert_eq!(weekday_index(to), 0);
    }
}
