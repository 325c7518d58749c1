//! One citizen session's clock: allotment, warnings, extensions and idleness.
//!
//! No clock is read here: every method takes `now`, fed by the UI's ticks (or
//! a test, or the fleet simulator), so time is fully under the caller's control.

use jiff::{SignedDuration, Timestamp};
use plaza_api::session::EndReason;
use uuid::Uuid;

/// Remaining time at which the citizen is warned, largest first.
pub const WARNINGS_S: [i64; 2] = [5 * 60, 60];

/// The centre's and the kiosk's rules for sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionRules {
    pub allotment_s: u32,
    /// Time one "more time" adds; 0 means no extensions.
    pub extension_s: u32,
    /// No input for this long asks "are you still there?".
    pub idle_after_s: u32,
    /// How long "are you still there?" waits before ending the session.
    pub idle_grace_s: u32,
}

impl Default for SessionRules {
    fn default() -> Self {
        Self {
            allotment_s: 30 * 60,
            extension_s: 15 * 60,
            idle_after_s: 120,
            idle_grace_s: 30,
        }
    }
}

impl SessionRules {
    /// These rules with the centre's allotment and "more time" (0: none).
    pub fn at_centre(self, allotment_s: u32, extension_s: u32) -> Self {
        Self {
            allotment_s,
            extension_s,
            ..self
        }
    }
}

/// What the screen must show on top of the current page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    /// Few minutes left; `minutes` is 5 or 1.
    TimeRunningOut { minutes: u8 },
    /// Nobody touched anything for a while; ends at `deadline`.
    StillThere { deadline: Timestamp },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: Uuid,
    pub started_at: Timestamp,
    ends_at: Timestamp,
    last_input: Timestamp,
    rules: SessionRules,
    /// Index into [`WARNINGS_S`] of the next warning still to give.
    next_warning: usize,
    prompt: Option<Prompt>,
    extensions: u32,
}

impl Session {
    pub fn start(id: Uuid, now: Timestamp, rules: SessionRules) -> Self {
        let mut session = Self {
            id,
            started_at: now,
            ends_at: now + SignedDuration::from_secs(i64::from(rules.allotment_s)),
            last_input: now,
            rules,
            next_warning: 0,
            prompt: None,
            extensions: 0,
        };
        session.skip_passed_warnings(now);
        session
    }

    pub fn ends_at(&self) -> Timestamp {
        self.ends_at
    }

    pub fn rules(&self) -> SessionRules {
        self.rules
    }

    pub fn prompt(&self) -> Option<Prompt> {
        self.prompt
    }

    pub fn extensions(&self) -> u32 {
        self.extensions
    }

    /// Whole seconds left, never negative.
    pub fn remaining_s(&self, now: Timestamp) -> u64 {
        u64::try_from(self.ends_at.duration_since(now).as_secs()).unwrap_or(0)
    }

    /// Seconds left to answer "are you still there?", if it is asked.
    pub fn still_there_left_s(&self, now: Timestamp) -> Option<u64> {
        match self.prompt {
            Some(Prompt::StillThere { deadline }) => {
                Some(u64::try_from(deadline.duration_since(now).as_secs()).unwrap_or(0))
            }
            _ => None,
        }
    }

    /// Whether the citizen can ask for more time right now.
    pub fn can_extend(&self) -> bool {
        self.rules.extension_s > 0
    }

    /// The citizen touched, clicked or typed. Answers "are you still there?".
    pub fn input(&mut self, now: Timestamp) {
        self.last_input = now;
        if matches!(self.prompt, Some(Prompt::StillThere { .. })) {
            self.prompt = None;
        }
    }

    /// The display saw input `idle_for` before `now` (the X server's idle
    /// time: input into the browser, which Plaza's window never sees). It
    /// counts like input here when it is newer than the last.
    pub fn display_input(&mut self, now: Timestamp, idle_for: std::time::Duration) {
        let Ok(idle_for) = SignedDuration::try_from(idle_for) else {
            return;
        };
        let at = now - idle_for;
        if at > self.last_input {
            self.input(at);
        }
    }

    /// Closes a time warning without extending.
    pub fn dismiss(&mut self, now: Timestamp) {
        self.input(now);
        self.prompt = None;
    }

    /// Adds `by_s` seconds (citizen's "more time" or a supervisor); returns
    /// the seconds actually added.
    pub fn extend(&mut self, now: Timestamp, by_s: u32) -> u32 {
        self.ends_at += SignedDuration::from_secs(i64::from(by_s));
        self.extensions += 1;
        self.input(now);
        self.prompt = None;
        self.next_warning = 0;
        self.skip_passed_warnings(now);
        by_s
    }

    /// Why the session ends at `now`, if it does: its time is up, or "are
    /// you still there?" went unanswered.
    pub fn ending(&self, now: Timestamp) -> Option<EndReason> {
        if now >= self.ends_at {
            return Some(EndReason::Timeout);
        }
        match self.prompt {
            Some(Prompt::StillThere { deadline }) if now >= deadline => Some(EndReason::Idle),
            _ => None,
        }
    }

    /// Advances the clock; returns why the session must end, if it must.
    pub fn tick(&mut self, now: Timestamp) -> Option<EndReason> {
        if let Some(reason) = self.ending(now) {
            return Some(reason);
        }
        if let Some(Prompt::StillThere { .. }) = self.prompt {
            return None;
        }
        let idle_for = now.duration_since(self.last_input);
        if idle_for >= SignedDuration::from_secs(i64::from(self.rules.idle_after_s)) {
            self.prompt = Some(Prompt::StillThere {
                deadline: now + SignedDuration::from_secs(i64::from(self.rules.idle_grace_s)),
            });
            return None;
        }
        let remaining = self.ends_at.duration_since(now).as_secs();
        // The tightest threshold already reached wins: a late tick must not
        // announce five minutes when one is left.
        let due = (self.next_warning..WARNINGS_S.len())
            .rev()
            .find(|index| remaining <= WARNINGS_S[*index]);
        if let Some(index) = due {
            self.prompt = Some(Prompt::TimeRunningOut {
                minutes: u8::try_from(WARNINGS_S[index] / 60).unwrap_or(1),
            });
            self.next_warning = index + 1;
        }
        None
    }

    /// Warnings at or above the time given are not "running out": a session
    /// started (or extended) with 2 minutes is only warned at 1.
    fn skip_passed_warnings(&mut self, now: Timestamp) {
        let remaining = self.ends_at.duration_since(now).as_secs();
        while self.next_warning < WARNINGS_S.len() && WARNINGS_S[self.next_warning] >= remaining {
            self.next_warning += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::UNIX_EPOCH + SignedDuration::from_secs(seconds)
    }

    fn session() -> Session {
        Session::start(Uuid::nil(), at(0), SessionRules::default())
    }

    #[test]
    fn warns_at_five_and_one_minute_then_times_out() {
        let mut session = session();
        for second in (0..=1500).step_by(60) {
            session.input(at(second));
            assert_eq!(session.tick(at(second)), None);
        }
        assert_eq!(
            session.prompt(),
            Some(Prompt::TimeRunningOut { minutes: 5 })
        );
        session.dismiss(at(1501));
        session.input(at(1600));
        assert_eq!(session.tick(at(1600)), None);
        assert_eq!(session.prompt(), None, "no second five-minute warning");
        session.input(at(1740));
        assert_eq!(session.tick(at(1740)), None);
        assert_eq!(
            session.prompt(),
            Some(Prompt::TimeRunningOut { minutes: 1 })
        );
        session.input(at(1799));
        assert_eq!(session.tick(at(1799)), None);
        assert_eq!(session.tick(at(1800)), Some(EndReason::Timeout));
    }

    #[test]
    fn more_time_moves_the_end_and_rearms_the_warnings() {
        let mut session = session();
        session.input(at(1500));
        session.tick(at(1500));
        assert_eq!(
            session.prompt(),
            Some(Prompt::TimeRunningOut { minutes: 5 })
        );
        assert_eq!(session.extend(at(1510), 900), 900);
        assert_eq!(session.prompt(), None);
        assert_eq!(session.remaining_s(at(1510)), 1190);
        session.input(at(2400));
        session.tick(at(2400));
        assert_eq!(
            session.prompt(),
            Some(Prompt::TimeRunningOut { minutes: 5 })
        );
    }

    #[test]
    fn idleness_asks_then_ends_after_the_grace_time() {
        let mut session = session();
        assert_eq!(session.tick(at(119)), None);
        assert_eq!(session.prompt(), None);
        assert_eq!(session.tick(at(120)), None);
        assert_eq!(session.still_there_left_s(at(120)), Some(30));
        assert_eq!(session.tick(at(149)), None);
        assert_eq!(session.tick(at(150)), Some(EndReason::Idle));
    }

    #[test]
    fn input_into_the_browser_keeps_the_session_and_no_input_asks() {
        let mut session = session();
        // Browsing: the display saw input 10 s ago at each look.
        for minute in 1..=5 {
            let now = at(minute * 60);
            session.display_input(now, std::time::Duration::from_secs(10));
            assert_eq!(session.tick(now), None);
            assert_eq!(session.prompt(), None, "minute {minute}");
        }
        // Then nothing: the display's idle time grows with the clock.
        let now = at(5 * 60 + 120);
        session.display_input(now, std::time::Duration::from_secs(130));
        assert_eq!(session.tick(now), None);
        assert!(matches!(session.prompt(), Some(Prompt::StillThere { .. })));
        // Older input than the last changes nothing.
        session.display_input(now, std::time::Duration::from_secs(600));
        assert!(matches!(session.prompt(), Some(Prompt::StillThere { .. })));
    }

    #[test]
    fn any_input_answers_still_there() {
        let mut session = session();
        session.tick(at(120));
        session.input(at(130));
        assert_eq!(session.prompt(), None);
        assert_eq!(session.tick(at(200)), None);
        assert_eq!(session.tick(at(250)), None);
        assert!(matches!(session.prompt(), Some(Prompt::StillThere { .. })));
    }

    #[test]
    fn a_short_session_skips_warnings_it_is_already_past() {
        let rules = SessionRules {
            allotment_s: 120,
            ..SessionRules::default()
        };
        let mut session = Session::start(Uuid::nil(), at(0), rules);
        session.input(at(60));
        session.tick(at(60));
        assert_eq!(
            session.prompt(),
            Some(Prompt::TimeRunningOut { minutes: 1 })
        );
    }
}
