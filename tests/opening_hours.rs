//! One opening-hours model, checked across the crates that use it: for any
//! hours, what the catalogue's record rules accept is what the kiosk shows,
//! and on every minute of a week the kiosk's "open now" and the manager's
//! availability agree with the hours as written.

use std::sync::LazyLock;

use jiff::civil::{Date, date};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use plaza_api::catalogue::{Procedure, Weekday, WeekdayHours as WeeklyEntry};
use plaza_api::reports::Share;
use plaza_catalogue::Record;
use plaza_catalogue::hours::{day_name, weekday};
use plaza_catalogue::validate::Problems;
use plaza_kiosk::opening;
use plaza_manager::reports::{self, OpeningHours};
use proptest::prelude::*;

const PROCEDURES: &str = include_str!("../assets/content/procedures.json");
const WEEKDAYS: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];
const MINUTES_PER_DAY: u16 = 24 * 60;
/// The week the minutes are counted in: Monday 2026-03-02 to Sunday 03-08.
const MONDAY: Date = date(2026, 3, 2);
const SUNDAY: Date = date(2026, 3, 8);

/// A real in-person procedure, with one office whose weekly hours are
/// `hours` and no exceptions.
fn procedure_with(hours: Vec<WeeklyEntry>) -> Procedure {
    static PROCEDURE: LazyLock<Procedure> = LazyLock::new(|| {
        let procedures: Vec<Procedure> = serde_json::from_str(PROCEDURES).expect("procedures");
        procedures
            .into_iter()
            .find(|procedure| !procedure.offices.is_empty())
            .expect("a procedure with an office")
    });
    let mut procedure = PROCEDURE.clone();
    procedure.offices.truncate(1);
    procedure.offices[0].hours = hours;
    procedure.offices[0].exceptions.clear();
    procedure
}

fn problems(procedure: &Procedure) -> Vec<String> {
    let mut problems = Problems::default();
    procedure.validate(&mut problems);
    problems.0.iter().map(ToString::to_string).collect()
}

fn entry(day: usize, opens: &str, closes: &str) -> WeeklyEntry {
    WeeklyEntry {
        weekday: WEEKDAYS[day],
        opens: opens.to_owned(),
        closes: closes.to_owned(),
    }
}

fn clock(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn midnight_utc(day: Date) -> Timestamp {
    day.to_zoned(TimeZone::UTC).expect("midnight").timestamp()
}

/// Noon UTC of weekday `day` (0 = Monday) in the week counted.
fn noon_of(day: usize) -> Timestamp {
    let offset = i64::try_from(day).expect("a weekday") * 24 + 12;
    midnight_utc(MONDAY) + SignedDuration::from_hours(offset)
}

/// Texts a time field may hold: mostly near-valid `HH:MM`, with the edges
/// (`24:00`, `23:60`, `24:01`) and shapes a hand-written file has (`9:00`,
/// `+9:00`, `09.00`). Never `-`, `,` or `;`, which separate the centres'
/// hours text, nor spaces, which that text trims.
fn time_text() -> impl Strategy<Value = String> {
    prop_oneof![
        (0_u16..=25, 0_u16..=61).prop_map(|(hours, minutes)| format!("{hours:02}:{minutes:02}")),
        Just("24:00".to_owned()),
        Just("00:00".to_owned()),
        Just("24:01".to_owned()),
        "[0-9+]{1,3}[:.][0-9+]{1,3}",
    ]
}

/// A week's entries (an office has at least one): (weekday, opens, closes)
/// in minutes, each a valid span, often ending at midnight, sometimes
/// overlapping another.
fn week_entries() -> impl Strategy<Value = Vec<(usize, u16, u16)>> {
    let span = (0_u16..MINUTES_PER_DAY).prop_flat_map(|opens| {
        let closes = prop_oneof![
            Just(MINUTES_PER_DAY),
            (opens + 1)..=MINUTES_PER_DAY,
            ((opens + 1)..=MINUTES_PER_DAY).prop_map(|minutes| minutes - minutes % 30),
        ]
        .prop_filter("closes after opens", move |&closes| closes > opens);
        (Just(opens), closes)
    });
    proptest::collection::vec((0_usize..7, span), 1..8).prop_map(|entries| {
        entries
            .into_iter()
            .map(|(day, (opens, closes))| (day, opens, closes))
            .collect()
    })
}

/// `[start, end)` millisecond runs of the week's minutes where `open` is
/// `want`.
fn runs(open: &[bool], want: bool) -> Vec<(i64, i64)> {
    let start = midnight_utc(MONDAY).as_millisecond();
    let mut runs: Vec<(i64, i64)> = Vec::new();
    for (minute, _) in (0_i64..).zip(open).filter(|&(_, &is_open)| is_open == want) {
        let (from, to) = (start + minute * 60_000, start + (minute + 1) * 60_000);
        match runs.last_mut() {
            Some(last) if last.1 == from => last.1 = to,
            _ => runs.push((from, to)),
        }
    }
    runs
}

proptest! {
    /// A span the rules accept is a span the kiosk shows and the centres'
    /// hours text reads; one they refuse is neither.
    #[test]
    fn the_rules_the_kiosk_and_the_manager_accept_the_same_spans(
        day in 0_usize..7,
        opens in time_text(),
        closes in time_text(),
    ) {
        let procedure = procedure_with(vec![entry(day, &opens, &closes)]);
        let accepted = problems(&procedure).is_empty();
        let shown = !opening::today(&procedure.offices[0], noon_of(day), &TimeZone::UTC)
            .spans
            .is_empty();
        let text = format!("{} {opens}-{closes}", day_name(weekday(WEEKDAYS[day])));
        let read = OpeningHours::parse(&text).is_ok();
        prop_assert_eq!(accepted, shown, "{}-{}: rules and kiosk", opens, closes);
        prop_assert_eq!(accepted, read, "{}: rules and centre hours", text);
    }

    /// On every minute of a week, the hours as written, the kiosk's "open
    /// now" and the open time the manager measures availability against
    /// say the same; a kiosk online exactly while open is 100 % available.
    #[test]
    fn the_kiosk_and_the_manager_agree_on_every_minute_of_the_week(entries in week_entries()) {
        let hours: Vec<WeeklyEntry> = entries
            .iter()
            .map(|&(day, opens, closes)| entry(day, &clock(opens), &clock(closes)))
            .collect();
        let procedure = procedure_with(hours);
        prop_assert_eq!(problems(&procedure), Vec::<String>::new());
        let office = &procedure.offices[0];

        // What a centre with these hours stores, and reads back.
        let week = OpeningHours::of_office(&office.hours);
        let text = week.to_string();
        let centre = OpeningHours::parse(&text).expect("the model's own text reads back");
        prop_assert_eq!(&centre, &week, "{}", text);
        let stored = OpeningHours::from_rows(&centre.rows());
        prop_assert_eq!(&stored, &centre);
        let open = reports::open_intervals(&stored, (MONDAY, SUNDAY));

        let start = midnight_utc(MONDAY);
        let mut written = Vec::with_capacity(7 * usize::from(MINUTES_PER_DAY));
        for minute in 0..7 * MINUTES_PER_DAY {
            let (day, time) = (usize::from(minute / MINUTES_PER_DAY), minute % MINUTES_PER_DAY);
            let expected = entries
                .iter()
                .any(|&(on, opens, closes)| on == day && opens <= time && time < closes);
            let at = start + SignedDuration::from_mins(i64::from(minute));
            let kiosk = opening::today(office, at, &TimeZone::UTC).open_now;
            let manager = open
                .iter()
                .any(|&(opens, closes)| opens <= at.as_millisecond() && at.as_millisecond() < closes);
            prop_assert_eq!(kiosk, expected, "kiosk at {} ({})", at, text);
            prop_assert_eq!(manager, expected, "manager at {} ({})", at, text);
            written.push(expected);
        }

        let while_open = reports::availability(&open, runs(&written, true));
        let while_closed = reports::availability(&open, runs(&written, false));
        prop_assert_eq!(while_open, Share::Percent(100.0), "{}", text);
        prop_assert_eq!(while_closed, Share::Percent(0.0), "{}", text);
    }
}
