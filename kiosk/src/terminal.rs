//! The kiosk's logic without a window: sessions, the events they produce, and
//! supervisor commands. The iced app drives one `Terminal`; the fleet simulator
//! drives thousands.
//!
//! Every change that the manager must hear about is written to the outbox
//! first; only when that succeeded does the state change.

use jiff::Timestamp;
use plaza_api::events::{
    Event, EventPayload, SectionOpened, SessionEnded, SessionExtended, SessionStarted,
};
use plaza_api::heartbeat::{CommandAction, KioskState, SessionProgress};
use plaza_api::session::{EndReason, Language, Section, SurveyAnswers};
use uuid::Uuid;

use crate::outbox::{Outbox, OutboxResult, SessionMark};
use crate::session::{Session, SessionRules};

/// Choices made before the session starts, kept for all of it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Preferences {
    pub language: Language,
    pub large_text: bool,
    pub high_contrast: bool,
}

/// What a supervisor command asks of the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Nothing visible changes.
    None,
    /// The session ended: wipe everything and go back to the attract screen.
    SessionEnded(EndReason),
    /// Show this supervisor message over the current screen.
    ShowMessage(String),
    /// Locked: end any session and show the locked screen.
    Locked {
        reason: Option<String>,
    },
    Unlocked,
    Extended {
        by_s: u32,
    },
    RefreshContent,
}

#[derive(Debug)]
pub struct Terminal {
    outbox: Outbox,
    rules: SessionRules,
    session: Option<Session>,
    locked: bool,
    recorded: u64,
    /// A supervisor's `SetAllotment` for this kiosk: outranks the centre's
    /// allotment that every heartbeat reply carries.
    allotment_override: Option<u32>,
}

impl Terminal {
    pub fn new(outbox: Outbox, rules: SessionRules) -> Self {
        Self {
            outbox,
            rules,
            session: None,
            locked: false,
            recorded: 0,
            allotment_override: None,
        }
    }

    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    pub fn rules(&self) -> SessionRules {
        self.rules
    }

    /// Rules for sessions started from now on (the running one keeps its
    /// own); a supervisor's allotment for this kiosk still applies.
    pub fn set_rules(&mut self, rules: SessionRules) {
        self.rules = rules;
        if let Some(seconds) = self.allotment_override {
            self.rules.allotment_s = seconds;
        }
    }

    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    pub fn session_mut(&mut self) -> Option<&mut Session> {
        self.session.as_mut()
    }

    pub fn is_locked(&self) -> bool {
        self.locked
    }

    pub fn state(&self) -> KioskState {
        if self.locked {
            KioskState::Locked
        } else if self.session.is_some() {
            KioskState::InSession
        } else {
            KioskState::Idle
        }
    }

    /// The running session as the heartbeat reports it.
    pub fn progress(&self) -> Option<SessionProgress> {
        self.session.as_ref().map(|session| SessionProgress {
            session_id: session.id,
            started_at: session.started_at,
            ends_at: session.ends_at(),
        })
    }

    /// Ends, as `crash`, a session the previous run left open (power cut,
    /// crash), dated at its last activity. Call once at start.
    pub fn recover(&mut self) -> OutboxResult<Option<Uuid>> {
        let Some((id, last_at)) = self.outbox.open_session()? else {
            return Ok(None);
        };
        tracing::warn!(session_id = %id, "a session was cut short by a crash; ending it");
        self.record(
            id,
            last_at,
            EventPayload::SessionEnded(SessionEnded {
                reason: EndReason::Crash,
            }),
        )?;
        Ok(Some(id))
    }

    /// Events written since start (tells a driver when to wake delivery).
    pub fn events_recorded(&self) -> u64 {
        self.recorded
    }

    fn record(
        &mut self,
        session_id: Uuid,
        now: Timestamp,
        payload: EventPayload,
    ) -> OutboxResult<()> {
        let mark = match payload {
            EventPayload::SessionStarted(_) => SessionMark::Opens,
            EventPayload::SessionEnded(_) => SessionMark::Closes,
            _ => SessionMark::Continues,
        };
        let event = Event {
            id: Uuid::now_v7(),
            at: now,
            session_id,
            payload,
        };
        self.outbox.push_marked(&event, mark)?;
        self.recorded += 1;
        Ok(())
    }

    /// Starts a session (ending a stale one first). Refused while locked.
    pub fn start_session(
        &mut self,
        now: Timestamp,
        preferences: Preferences,
    ) -> OutboxResult<Option<Uuid>> {
        if self.locked {
            return Ok(None);
        }
        if self.session.is_some() {
            self.end_session(now, EndReason::Logout)?;
        }
        let id = Uuid::now_v7();
        self.record(
            id,
            now,
            EventPayload::SessionStarted(SessionStarted {
                allotment_s: self.rules.allotment_s,
                language: preferences.language,
                large_text: preferences.large_text,
                high_contrast: preferences.high_contrast,
            }),
        )?;
        self.session = Some(Session::start(id, now, self.rules));
        Ok(Some(id))
    }

    pub fn answer_survey(&mut self, now: Timestamp, answers: SurveyAnswers) -> OutboxResult<()> {
        if let Some(id) = self.session.as_ref().map(|session| session.id)
            && answers != SurveyAnswers::default()
        {
            self.record(id, now, EventPayload::SurveyAnswered(answers))?;
        }
        Ok(())
    }

    pub fn open_section(&mut self, now: Timestamp, section: Section) -> OutboxResult<()> {
        if let Some(session) = &mut self.session {
            session.input(now);
            let id = session.id;
            self.record(
                id,
                now,
                EventPayload::SectionOpened(SectionOpened { section }),
            )?;
        }
        Ok(())
    }

    /// Records any other usage event of the running session (catalogue views,
    /// searches, posts); ignored when no session runs.
    pub fn record_usage(&mut self, now: Timestamp, payload: EventPayload) -> OutboxResult<()> {
        if let Some(id) = self.session.as_ref().map(|session| session.id) {
            self.record(id, now, payload)?;
        }
        Ok(())
    }

    /// "More time" from the citizen or a supervisor. Returns seconds added.
    pub fn extend(&mut self, now: Timestamp, by_s: u32) -> OutboxResult<u32> {
        let Some(id) = self.session.as_ref().map(|session| session.id) else {
            return Ok(0);
        };
        if by_s == 0 {
            return Ok(0);
        }
        self.record(
            id,
            now,
            EventPayload::SessionExtended(SessionExtended { by_s }),
        )?;
        if let Some(session) = &mut self.session {
            session.extend(now, by_s);
        }
        Ok(by_s)
    }

    /// Ends the running session, if any; returns whether one ended.
    pub fn end_session(&mut self, now: Timestamp, reason: EndReason) -> OutboxResult<bool> {
        let Some(session) = &self.session else {
            return Ok(false);
        };
        self.record(
            session.id,
            now,
            EventPayload::SessionEnded(SessionEnded { reason }),
        )?;
        self.session = None;
        Ok(true)
    }

    /// Feeds the clock; ends the session when its time or idleness says so.
    pub fn tick(&mut self, now: Timestamp) -> OutboxResult<Option<EndReason>> {
        let Some(reason) = self.session.as_mut().and_then(|session| session.tick(now)) else {
            return Ok(None);
        };
        self.end_session(now, reason)?;
        Ok(Some(reason))
    }

    /// Carries out one supervisor command.
    pub fn apply(&mut self, now: Timestamp, action: &CommandAction) -> OutboxResult<Effect> {
        Ok(match action {
            CommandAction::ShowMessage { text } => Effect::ShowMessage(text.clone()),
            CommandAction::Lock { reason } => {
                self.end_session(now, EndReason::Supervisor)?;
                self.locked = true;
                Effect::Locked {
                    reason: reason.clone(),
                }
            }
            CommandAction::Unlock => {
                self.locked = false;
                Effect::Unlocked
            }
            CommandAction::EndSession => {
                if self.end_session(now, EndReason::Supervisor)? {
                    Effect::SessionEnded(EndReason::Supervisor)
                } else {
                    Effect::None
                }
            }
            CommandAction::ExtendSession { seconds } => match self.extend(now, *seconds)? {
                0 => Effect::None,
                by_s => Effect::Extended { by_s },
            },
            CommandAction::SetAllotment { seconds } => {
                self.allotment_override = Some(*seconds);
                self.rules.allotment_s = *seconds;
                Effect::None
            }
            CommandAction::RefreshContent => Effect::RefreshContent,
            CommandAction::Unsupported => Effect::None,
        })
    }
}

#[cfg(test)]
mod tests {
    use jiff::SignedDuration;

    use super::*;

    #[test]
    fn a_supervisor_allotment_outlasts_the_next_heartbeat_reply() {
        let rules = SessionRules {
            allotment_s: 3_600,
            ..SessionRules::default()
        };
        let mut terminal = Terminal::new(Outbox::in_memory().expect("outbox"), rules);
        let now = Timestamp::from_second(1_780_000_000).expect("time");
        terminal
            .apply(now, &CommandAction::SetAllotment { seconds: 1_800 })
            .expect("applied");
        // Each heartbeat reply carries the centre's rules.
        terminal.set_rules(rules);
        assert_eq!(terminal.rules().allotment_s, 1_800);
    }

    #[test]
    fn a_session_cut_short_is_ended_as_a_crash_at_its_last_activity() {
        let folder = tempfile::tempdir().expect("folder");
        let path = folder.path().join("outbox.sqlite");
        let start = Timestamp::from_second(1_780_000_000).expect("time");
        let last = start + SignedDuration::from_mins(7);
        let session_id = {
            let (outbox, _) = Outbox::open(&path, start).expect("open");
            let mut terminal = Terminal::new(outbox, SessionRules::default());
            let id = terminal
                .start_session(start, Preferences::default())
                .expect("start")
                .expect("session");
            terminal.open_section(last, Section::Help).expect("section");
            id
            // The process dies here: no end is recorded.
        };
        let (outbox, _) = Outbox::open(&path, start).expect("reopen");
        let mut terminal = Terminal::new(outbox.clone(), SessionRules::default());
        assert_eq!(terminal.recover().expect("recover"), Some(session_id));
        let events = outbox.next_batch(10, start).expect("batch");
        let end = events.last().expect("events");
        assert_eq!(end.session_id, session_id);
        assert_eq!(end.at, last);
        assert_eq!(
            end.payload,
            EventPayload::SessionEnded(SessionEnded {
                reason: EndReason::Crash
            })
        );
        assert_eq!(terminal.recover().expect("again"), None, "ended once");
    }

    #[test]
    fn a_session_ended_normally_is_not_recovered() {
        let outbox = Outbox::in_memory().expect("outbox");
        let mut terminal = Terminal::new(outbox, SessionRules::default());
        let now = Timestamp::UNIX_EPOCH;
        terminal
            .start_session(now, Preferences::default())
            .expect("start");
        terminal.end_session(now, EndReason::Logout).expect("end");
        assert_eq!(terminal.recover().expect("recover"), None);
    }
}
