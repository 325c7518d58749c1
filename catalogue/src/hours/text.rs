//! A week of hours as one line of text, how staff set a centre's hours:
//! `Mon-Fri 09:00-14:00,16:00-20:00; Sat 10:00-14:00`. Days not named are
//! closed; `closed` for a week without hours.

use std::fmt;
use std::ops::RangeInclusive;

use jiff::civil::Weekday;

use super::{ClockTime, OpeningHours, Span, day_index, day_name, day_named, week};

/// Text that is not a week of hours. Like `FileErrors`, a problem with input,
/// not with the catalogue's tables, so apart from `CatalogueError`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "opening hours `{text}`: {problem} (write them like `Mon-Fri 09:00-20:00; Sat 10:00-14:00`)"
)]
pub struct HoursError {
    text: String,
    problem: String,
}

impl OpeningHours {
    /// Reads the text form; its problems name the part at fault. Periods of
    /// a day must not overlap (touching is fine).
    pub fn parse(text: &str) -> Result<Self, HoursError> {
        let fail = |problem: String| HoursError {
            text: text.to_owned(),
            problem,
        };
        if text.trim().eq_ignore_ascii_case("closed") {
            return Ok(Self::default());
        }
        if text.trim().is_empty() {
            return Err(fail(
                "no days given (write `closed` for a centre that never opens)".to_owned(),
            ));
        }
        let mut spans = Vec::new();
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
                    .and_then(|(opens, closes)| {
                        Some((
                            ClockTime::parse(opens.trim())?,
                            ClockTime::parse(closes.trim())?,
                        ))
                    })
                    .ok_or_else(|| fail(format!("`{period}` is not like 09:00-14:00")))?;
                let span = Span::new(opens, closes)
                    .ok_or_else(|| fail(format!("`{period}` closes before it opens")))?;
                spans.extend(
                    week()
                        .filter(|&day| days.contains(&day_index(day)))
                        .map(|day| (day, span)),
                );
            }
        }
        for day in week() {
            let mut periods: Vec<Span> = spans
                .iter()
                .filter(|(weekday, _)| *weekday == day)
                .map(|&(_, span)| span)
                .collect();
            periods.sort_unstable();
            if periods
                .windows(2)
                .any(|pair| pair[1].opens < pair[0].closes)
            {
                return Err(fail(format!("periods on {} overlap", day_name(day))));
            }
        }
        Ok(Self::from_spans(spans))
    }
}

/// `Mon` or `Mon-Fri`, as Monday-first day indexes.
fn day_range(text: &str) -> Option<RangeInclusive<usize>> {
    let index = |name: &str| day_named(name.trim()).map(day_index);
    match text.split_once('-') {
        Some((first, last)) => {
            let (first, last) = (index(first)?, index(last)?);
            (first <= last).then_some(first..=last)
        }
        None => index(text).map(|day| day..=day),
    }
}

impl fmt::Display for OpeningHours {
    /// Days with the same periods grouped: `Mon-Fri 09:00-20:00; Sat 10:00-14:00`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days: Vec<Weekday> = week().collect();
        let mut parts = Vec::new();
        let mut first = 0;
        while first < days.len() {
            let periods = self.on(days[first]);
            let mut last = first;
            while last + 1 < days.len() && self.on(days[last + 1]) == periods {
                last += 1;
            }
            if !periods.is_empty() {
                let named = if last == first {
                    day_name(days[first]).to_owned()
                } else {
                    format!("{}-{}", day_name(days[first]), day_name(days[last]))
                };
                let times: Vec<String> = periods
                    .iter()
                    .map(|span| format!("{}-{}", span.opens, span.closes))
                    .collect();
                parts.push(format!("{named} {}", times.join(",")));
            }
            first = last + 1;
        }
        if parts.is_empty() {
            return formatter.write_str("closed");
        }
        formatter.write_str(&parts.join("; "))
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
            "Mon 22:00-02:00",
        ] {
            assert!(OpeningHours::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_end_of_the_day_is_24_00_and_touching_periods_stay_apart() {
        let hours =
            OpeningHours::parse("Fri-Sat 18:00-24:00; Sun 00:00-02:00,02:00-04:00").expect("valid");
        assert_eq!(
            hours.to_string(),
            "Fri-Sat 18:00-24:00; Sun 00:00-02:00,02:00-04:00"
        );
        assert_eq!(hours.on(Weekday::Sunday).len(), 2);
    }

    #[test]
    fn problems_name_the_part_at_fault() {
        let problem = |text: &str| {
            OpeningHours::parse(text)
                .map_or_else(|error| error.to_string(), |hours| hours.to_string())
        };
        assert_eq!(
            problem("Mon 13:00-09:00"),
            "opening hours `Mon 13:00-09:00`: `13:00-09:00` closes before it opens \
             (write them like `Mon-Fri 09:00-20:00; Sat 10:00-14:00`)"
        );
        assert!(problem("Mon 09:00-14:00,13:00-15:00").contains("periods on Mon overlap"));
        assert!(problem("Funday 09:00-14:00").contains("unknown days `Funday`"));
        assert!(problem("Mon").contains("`Mon` needs days and times"));
        assert!(problem("  ").contains("no days given"));
    }
}
