//! Opening hours, one model for all of Plaza. A catalogue office's weekly
//! hours (the record rules, the kiosk's "open now") and a centre's hours text
//! (the reports' kiosk availability) are read by the same parser of times
//! and days into the same spans, so a time the rules accept is a time the
//! kiosk shows and the reports count.
//!
//! Times are wall-clock times, `00:00` to `24:00` to the minute, where
//! `24:00` is the end of a day. A span never crosses midnight (the rules
//! have always refused `closes` before `opens`): a night is two spans, one
//! ending at `24:00` and one starting at `00:00` the next day. Turning a day
//! into instants always takes the time zone of the clock the hours are on,
//! so hours entered in a centre's local time need no new model.

mod text;

pub use text::HoursError;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;
use plaza_api::catalogue;

const MINUTES_PER_DAY: u16 = 24 * 60;

/// Each weekday's short name, Monday first: how the centres' hours text and
/// the reports name days.
const DAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// The days of a week, Monday first.
pub fn week() -> impl Iterator<Item = Weekday> {
    Weekday::Monday.cycle_forward().take(7)
}

/// `weekday`'s short name, e.g. `Mon`.
pub fn day_name(weekday: Weekday) -> &'static str {
    DAY_NAMES[day_index(weekday)]
}

/// The weekday a short name (`mon`, `Mon`, `MON`) stands for.
pub fn day_named(name: &str) -> Option<Weekday> {
    week().find(|&weekday| day_name(weekday).eq_ignore_ascii_case(name))
}

/// The weekday a catalogue record names.
pub fn weekday(day: catalogue::Weekday) -> Weekday {
    match day {
        catalogue::Weekday::Monday => Weekday::Monday,
        catalogue::Weekday::Tuesday => Weekday::Tuesday,
        catalogue::Weekday::Wednesday => Weekday::Wednesday,
        catalogue::Weekday::Thursday => Weekday::Thursday,
        catalogue::Weekday::Friday => Weekday::Friday,
        catalogue::Weekday::Saturday => Weekday::Saturday,
        catalogue::Weekday::Sunday => Weekday::Sunday,
    }
}

/// 0 for Monday to 6 for Sunday.
fn day_index(weekday: Weekday) -> usize {
    usize::from(weekday.to_monday_zero_offset().unsigned_abs())
}

/// A time of day on an opening-hours clock, to the minute. Not a jiff
/// `Time`, which ends at 23:59:59.999: a span open until midnight ends at
/// `24:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime(u16);

impl ClockTime {
    pub const MIDNIGHT: ClockTime = ClockTime(0);
    pub const END_OF_DAY: ClockTime = ClockTime(MINUTES_PER_DAY);

    /// `HH:MM` with two digits each, `00:00` to `24:00`.
    pub fn parse(text: &str) -> Option<Self> {
        let two_digits = |part: &str| {
            if part.len() == 2 && part.bytes().all(|byte| byte.is_ascii_digit()) {
                part.parse::<u16>().ok()
            } else {
                None
            }
        };
        let (hours, minutes) = text.split_once(':')?;
        let (hours, minutes) = (two_digits(hours)?, two_digits(minutes)?);
        if minutes < 60 {
            Self::from_minutes(hours * 60 + minutes)
        } else {
            None
        }
    }

    /// The time `minutes` after midnight, up to 1440 (`24:00`).
    pub fn from_minutes(minutes: u16) -> Option<Self> {
        (minutes <= MINUTES_PER_DAY).then_some(Self(minutes))
    }

    /// Minutes after midnight.
    pub fn minutes(self) -> u16 {
        self.0
    }

    /// The minute `time` falls in. Spans start and end on whole minutes, so
    /// a span holds `time` exactly when it holds this minute.
    pub fn of(time: Time) -> Self {
        let hour = u16::from(time.hour().unsigned_abs());
        let minute = u16::from(time.minute().unsigned_abs());
        Self(hour * 60 + minute)
    }

    /// This time on `date`; `24:00` is the next day's midnight.
    pub fn on(self, date: Date) -> Option<DateTime> {
        let (date, minutes) = if self == Self::END_OF_DAY {
            (date.tomorrow().ok()?, 0)
        } else {
            (date, self.0)
        };
        let hour = i8::try_from(minutes / 60).ok()?;
        let minute = i8::try_from(minutes % 60).ok()?;
        Some(date.to_datetime(Time::new(hour, minute, 0, 0).ok()?))
    }
}

impl std::fmt::Display for ClockTime {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

/// Open from `opens` until `closes`, on one day: `closes` is after `opens`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    opens: ClockTime,
    closes: ClockTime,
}

impl Span {
    /// `None` unless `closes` is after `opens`.
    pub fn new(opens: ClockTime, closes: ClockTime) -> Option<Self> {
        (opens < closes).then_some(Self { opens, closes })
    }

    /// From two `HH:MM` texts, as a record gives them.
    pub fn parse(opens: &str, closes: &str) -> Option<Self> {
        Self::new(ClockTime::parse(opens)?, ClockTime::parse(closes)?)
    }

    pub fn opens(self) -> ClockTime {
        self.opens
    }

    pub fn closes(self) -> ClockTime {
        self.closes
    }

    /// Open at `time` (open from the opening minute, closed at the closing one).
    pub fn contains(self, time: Time) -> bool {
        let minute = ClockTime::of(time);
        self.opens <= minute && minute < self.closes
    }

    /// The instants this span covers on `date`, on the clock of `zone`.
    pub fn on(self, date: Date, zone: &TimeZone) -> Option<(Timestamp, Timestamp)> {
        let instant = |clock: ClockTime| {
            let zoned = clock.on(date)?.to_zoned(zone.clone()).ok()?;
            Some(zoned.timestamp())
        };
        Some((instant(self.opens)?, instant(self.closes)?))
    }
}

/// A week of opening hours: each day's spans in order, none overlapping
/// (they may touch, `09:00-12:00` and `12:00-14:00`). Days without spans
/// are closed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpeningHours {
    days: [Vec<Span>; 7],
}

impl OpeningHours {
    /// The spans of `weekday`, in order.
    pub fn on(&self, weekday: Weekday) -> &[Span] {
        &self.days[day_index(weekday)]
    }

    /// A catalogue office's weekly hours. Entries the record rules refuse are
    /// left out, and overlapping entries of a day (which the rules let pass)
    /// become one span.
    pub fn of_office(hours: &[catalogue::WeekdayHours]) -> Self {
        Self::from_spans(hours.iter().filter_map(|entry| {
            let span = Span::parse(&entry.opens, &entry.closes)?;
            Some((weekday(entry.weekday), span))
        }))
    }

    /// From the compact form a database stores: (weekday from Monday = 0,
    /// opens, closes in minutes after midnight). Rows that are not a span
    /// are left out.
    pub fn from_rows(rows: &[(u8, u16, u16)]) -> Self {
        Self::from_spans(rows.iter().filter_map(|&(day, opens, closes)| {
            let weekday = Weekday::from_monday_zero_offset(i8::try_from(day).ok()?).ok()?;
            let span = Span::new(
                ClockTime::from_minutes(opens)?,
                ClockTime::from_minutes(closes)?,
            )?;
            Some((weekday, span))
        }))
    }

    /// In the compact form of [`OpeningHours::from_rows`].
    pub fn rows(&self) -> Vec<(u8, u16, u16)> {
        (0_u8..)
            .zip(&self.days)
            .flat_map(|(day, spans)| {
                spans
                    .iter()
                    .map(move |span| (day, span.opens.minutes(), span.closes.minutes()))
            })
            .collect()
    }

    fn from_spans(spans: impl IntoIterator<Item = (Weekday, Span)>) -> Self {
        let mut hours = Self::default();
        for (weekday, span) in spans {
            hours.days[day_index(weekday)].push(span);
        }
        for spans in &mut hours.days {
            spans.sort_unstable();
            spans.dedup_by(|later, earlier| {
                let overlaps = later.opens < earlier.closes;
                if overlaps {
                    earlier.closes = earlier.closes.max(later.closes);
                }
                overlaps
            });
        }
        hours
    }

    /// The open intervals on local days `from..=to` of `zone`, in order.
    pub fn intervals(&self, from: Date, to: Date, zone: &TimeZone) -> Vec<(Timestamp, Timestamp)> {
        let mut intervals = Vec::new();
        let mut day = from;
        while day <= to {
            let spans = self.on(day.weekday());
            intervals.extend(spans.iter().filter_map(|span| span.on(day, zone)));
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        intervals
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock(text: &str) -> ClockTime {
        ClockTime::parse(text).expect("a time")
    }

    #[test]
    fn times_are_two_digit_hours_and_minutes_up_to_the_end_of_the_day() {
        assert_eq!(clock("00:00"), ClockTime::MIDNIGHT);
        assert_eq!(clock("09:30").minutes(), 570);
        assert_eq!(clock("24:00"), ClockTime::END_OF_DAY);
        assert_eq!(clock("24:00").to_string(), "24:00");
        for bad in [
            "", "9:00", "09:0", "009:00", "24:01", "25:00", "23:60", "+9:00", "09:+5", "09.00",
            " 09:00", "09:00:00",
        ] {
            assert_eq!(ClockTime::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_span_closes_after_it_opens_and_holds_its_opening_minute_only() {
        assert_eq!(Span::parse("14:00", "09:00"), None);
        assert_eq!(Span::parse("09:00", "09:00"), None);
        assert_eq!(Span::parse("24:00", "24:00"), None);
        let evening = Span::parse("18:00", "24:00").expect("a span");
        assert!(evening.contains(Time::constant(18, 0, 0, 0)));
        assert!(evening.contains(Time::constant(23, 59, 59, 999_999_999)));
        assert!(!evening.contains(Time::constant(17, 59, 59, 0)));
        assert!(!evening.contains(Time::MIN));
        let utc = TimeZone::UTC;
        let day = jiff::civil::date(2026, 3, 1);
        assert_eq!(
            evening.on(day, &utc),
            Some((
                "2026-03-01T18:00:00Z".parse().expect("time"),
                "2026-03-02T00:00:00Z".parse().expect("time")
            ))
        );
    }

    #[test]
    fn one_weekday_mapping() {
        let names: Vec<&str> = week().map(day_name).collect();
        assert_eq!(names, DAY_NAMES);
        assert_eq!(day_named("sun"), Some(Weekday::Sunday));
        assert_eq!(day_named("Sunday"), None);
        assert_eq!(weekday(catalogue::Weekday::Monday), Weekday::Monday);
        assert_eq!(weekday(catalogue::Weekday::Sunday), Weekday::Sunday);
        assert_eq!(day_index(Weekday::Sunday), 6);
    }

    #[test]
    fn an_office_week_keeps_valid_spans_in_order_and_joins_overlaps() {
        let entry = |weekday, opens: &str, closes: &str| catalogue::WeekdayHours {
            weekday,
            opens: opens.to_owned(),
            closes: closes.to_owned(),
        };
        let hours = OpeningHours::of_office(&[
            entry(catalogue::Weekday::Thursday, "16:00", "19:00"),
            entry(catalogue::Weekday::Thursday, "07:00", "13:00"),
            entry(catalogue::Weekday::Thursday, "12:00", "14:00"),
            entry(catalogue::Weekday::Thursday, "19:00", "24:00"),
            entry(catalogue::Weekday::Friday, "7:00", "13:00"),
        ]);
        let thursday: Vec<(String, String)> = hours
            .on(Weekday::Thursday)
            .iter()
            .map(|span| (span.opens().to_string(), span.closes().to_string()))
            .collect();
        assert_eq!(
            thursday,
            [("07:00", "14:00"), ("16:00", "19:00"), ("19:00", "24:00")]
                .map(|(opens, closes)| (opens.to_owned(), closes.to_owned()))
        );
        assert!(hours.on(Weekday::Friday).is_empty());
        assert_eq!(OpeningHours::from_rows(&hours.rows()), hours);
        assert_eq!(
            OpeningHours::from_rows(&[(7, 0, 60), (0, 60, 60), (0, 0, 1441)]),
            OpeningHours::default()
        );
    }

    #[test]
    fn intervals_follow_the_weekdays_on_the_given_clock() {
        let hours = OpeningHours::from_rows(&[(0, 9 * 60, 13 * 60), (6, 10 * 60, 24 * 60)]);
        let from: Date = "2026-03-01".parse().expect("date"); // a Sunday
        let to: Date = "2026-03-02".parse().expect("date");
        let at = |text: &str| -> Timestamp { text.parse().expect("time") };
        assert_eq!(
            hours.intervals(from, to, &TimeZone::UTC),
            [
                (at("2026-03-01T10:00:00Z"), at("2026-03-02T00:00:00Z")),
                (at("2026-03-02T09:00:00Z"), at("2026-03-02T13:00:00Z")),
            ]
        );
        let cordoba = TimeZone::get("America/Argentina/Cordoba").expect("zone");
        assert_eq!(
            hours.intervals(to, to, &cordoba),
            [(at("2026-03-02T12:00:00Z"), at("2026-03-02T16:00:00Z"))]
        );
    }
}
