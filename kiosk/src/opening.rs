//! An office's hours as a citizen asks about them: what are they today, and
//! is it open now? Both on the centre's clock (its time zone), with the
//! office's exceptions (holidays, shortened days) taking precedence over
//! the weekly hours.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use plaza_api::catalogue::{Office, Text};
use plaza_catalogue::{OpeningHours, Span};

/// An office's day, as of a moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Today {
    /// In order; empty: closed all day.
    pub spans: Vec<Span>,
    /// Why today differs from the usual hours (a holiday), if it does.
    pub note: Option<Text>,
    pub open_now: bool,
}

/// `office`'s hours on the local day of `now` in `zone`.
pub fn today(office: &Office, now: Timestamp, zone: &TimeZone) -> Today {
    let local = now.to_zoned(zone.clone());
    let (spans, note) = day(office, local.date());
    let open_now = spans.iter().any(|span| span.contains(local.time()));
    Today {
        spans,
        note,
        open_now,
    }
}

fn day(office: &Office, date: Date) -> (Vec<Span>, Option<Text>) {
    if let Some(exception) = office.exceptions.iter().find(|day| day.date == date) {
        let span = exception
            .opens
            .as_deref()
            .zip(exception.closes.as_deref())
            .and_then(|(opens, closes)| Span::parse(opens, closes));
        return (span.into_iter().collect(), exception.note.clone());
    }
    let week = OpeningHours::of_office(&office.hours);
    (week.on(date.weekday()).to_vec(), None)
}

/// Whole local days from `now` to `then` in `zone` (negative when past):
/// 0 is today, 1 tomorrow.
pub fn days_until(now: Timestamp, then: Timestamp, zone: &TimeZone) -> i64 {
    let today = now.to_zoned(zone.clone()).date();
    let day = then.to_zoned(zone.clone()).date();
    today
        .until(day)
        .map_or(0, |span| i64::from(span.get_days()))
}

#[cfg(test)]
mod tests {
    use plaza_api::catalogue::{HoursException, Weekday, WeekdayHours};
    use plaza_catalogue::ClockTime;

    use super::*;

    fn hours(weekday: Weekday, opens: &str, closes: &str) -> WeekdayHours {
        WeekdayHours {
            weekday,
            opens: opens.to_owned(),
            closes: closes.to_owned(),
        }
    }

    fn office() -> Office {
        Office {
            name: "Registro Civil".to_owned(),
            address: "Rivadavia 415".to_owned(),
            neighbourhood: "Centro".to_owned(),
            phone: None,
            hours: vec![
                hours(Weekday::Thursday, "16:00", "19:00"),
                hours(Weekday::Thursday, "07:00", "13:00"),
            ],
            exceptions: vec![HoursException {
                date: jiff::civil::date(2026, 12, 24),
                opens: None,
                closes: None,
                note: Some(Text::es("Feriado")),
            }],
        }
    }

    fn at(text: &str, zone: &TimeZone) -> Timestamp {
        jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M", text)
            .expect("time")
            .to_zoned(zone.clone())
            .expect("zoned")
            .timestamp()
    }

    #[test]
    fn hours_and_open_now_follow_the_centres_clock() {
        let zone = TimeZone::get("America/Argentina/Catamarca").expect("zone");
        // Thursday 2026-05-28, 12:30 local = 15:30 UTC.
        let today = today(&office(), at("2026-05-28 12:30", &zone), &zone);
        assert_eq!(today.spans.len(), 2);
        assert_eq!(Some(today.spans[0].opens()), ClockTime::parse("07:00"));
        assert!(today.open_now);
        // Closed between the two spans, and at the closing minute.
        assert!(!super::today(&office(), at("2026-05-28 13:00", &zone), &zone).open_now);
        // The same instant read as UTC is 15:30: closed.
        let utc = super::today(&office(), at("2026-05-28 12:30", &zone), &TimeZone::UTC);
        assert!(!utc.open_now);
        // Friday: no hours.
        assert!(
            super::today(&office(), at("2026-05-29 10:00", &zone), &zone)
                .spans
                .is_empty()
        );
    }

    #[test]
    fn an_office_open_until_midnight_is_open_in_the_evening() {
        // The catalogue's rules accept `24:00` as the end of a day, so the
        // kiosk must not drop the span and call the office closed.
        let zone = TimeZone::get("America/Argentina/Catamarca").expect("zone");
        let mut office = office();
        office.hours = vec![hours(Weekday::Thursday, "18:00", "24:00")];
        let evening = today(&office, at("2026-05-28 23:59", &zone), &zone);
        assert_eq!(evening.spans.len(), 1, "18:00-24:00 is today's span");
        assert!(evening.open_now);
        assert!(!today(&office, at("2026-05-28 17:59", &zone), &zone).open_now);
        // Midnight is Friday, which has no hours.
        let friday = today(&office, at("2026-05-29 00:00", &zone), &zone);
        assert!(friday.spans.is_empty());
        assert!(!friday.open_now);
    }

    #[test]
    fn an_exception_replaces_the_weekly_hours() {
        let zone = TimeZone::UTC;
        // 2026-12-24 is a Thursday, but a holiday.
        let today = today(&office(), at("2026-12-24 10:00", &zone), &zone);
        assert!(today.spans.is_empty());
        assert!(!today.open_now);
        assert_eq!(today.note, Some(Text::es("Feriado")));
    }

    #[test]
    fn days_are_counted_on_the_local_calendar() {
        let zone = TimeZone::get("America/Argentina/Catamarca").expect("zone");
        let now = at("2026-05-28 23:00", &zone);
        assert_eq!(days_until(now, at("2026-05-29 08:00", &zone), &zone), 1);
        assert_eq!(days_until(now, at("2026-05-31 08:00", &zone), &zone), 3);
        assert_eq!(days_until(now, at("2026-05-28 23:30", &zone), &zone), 0);
        assert_eq!(days_until(now, at("2026-05-26 08:00", &zone), &zone), -2);
    }
}
