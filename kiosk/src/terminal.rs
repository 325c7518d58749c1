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

use crate::outbox::{Outbox, OutboxResult};
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
}

impl Terminal {
    pub fn new(outbox: Outbox, rules: SessionRules) -> Self {
        Self {
            outbox,
            rules,
            session: None,
            locked: false,
            recorded: 0,
        }
    }

    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    pub fn rules(&self) -> SessionRules {
        self.rules
    }

    /// Rules for sessions started from now on (the running one keeps its own).
    pub fn set_rules(&mut self, rules: SessionRules) {
        self.rules = rules;
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
        self.outbox.push(&Event {
            id: Uuid::now_v7(),
            at: now,
            session_id,
            payload,
        })?;
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
                self.rules.allotment_s = *seconds;
                Effect::None
            }
            CommandAction::RefreshContent => Effect::RefreshContent,
            CommandAction::Unsupported => Effect::None,
        })
    }
}
