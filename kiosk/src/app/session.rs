//! The session's course on screen: its start, the clock's ticks (and the
//! walk-away before a session starts), the prompts over the screen, the
//! supervisor's commands, and the end that wipes everything of the citizen.

use jiff::SignedDuration;
use plaza_api::heartbeat::CommandAction;
use plaza_api::session::EndReason;

use super::{Citizen, Kiosk, PromptMessage, Screen};
use crate::lockout::PinLockout;
use crate::screen::survey;
use crate::terminal::Effect;

impl Kiosk {
    pub(super) fn start_session(&mut self) {
        let preferences = self.citizen.preferences;
        match self.terminal.start_session(self.now, preferences) {
            Ok(Some(_)) => self.go(Screen::Survey(survey::State::default())),
            Ok(None) => self.wipe(),
            Err(error) => {
                // The session runs even if the outbox failed: a citizen is not
                // turned away because a usage count could not be written.
                self.record_problem(&error);
                self.go(Screen::Survey(survey::State::default()));
            }
        }
    }

    /// Ends the session (if any) and wipes everything of the citizen.
    pub fn end_session(&mut self, reason: EndReason) {
        // First, so the visit in progress is recorded in the session.
        self.end_web();
        self.log(|terminal, now| terminal.end_session(now, reason).map(|_| ()));
        self.wipe();
    }

    pub(super) fn wipe(&mut self) {
        // The browser and its folder go before the attract screen shows.
        self.end_web();
        let had_session = !matches!(self.citizen.screen, Screen::Attract(_));
        self.citizen = Citizen::default();
        self.just_ended = had_session;
    }

    pub(super) fn tick(&mut self) {
        self.web_tick();
        match self.terminal.tick(self.now) {
            Ok(Some(reason)) => {
                tracing::info!(reason = reason.as_str(), "session ended by its clock");
                self.wipe();
            }
            Ok(None) => {}
            Err(error) => self.record_problem(&error),
        }
        // Before a session starts (language, privacy), a walk-away also
        // returns to the attract screen, after the same idle plus grace time.
        if self.terminal.session().is_none()
            && !matches!(self.citizen.screen, Screen::Attract(_))
            && let Some(last_input) = self.citizen.last_input
        {
            let limit = i64::from(self.config.idle_after_s + self.config.idle_grace_s);
            if self.now.duration_since(last_input) >= SignedDuration::from_secs(limit) {
                self.citizen = Citizen::default();
            }
        }
        if self
            .lockout
            .locked_until
            .is_some_and(|until| self.now >= until)
        {
            self.lockout = PinLockout::default();
            self.lockout.save(&self.data_dir);
        }
    }

    pub(super) fn prompt(&mut self, message: PromptMessage) {
        let now = self.now;
        match message {
            PromptMessage::MoreTime => {
                let by_s = self
                    .terminal
                    .session()
                    .map_or(0, |session| session.rules().extension_s);
                self.log(|terminal, now| terminal.extend(now, by_s).map(|_| ()));
            }
            PromptMessage::KeepGoing => {
                if let Some(session) = self.terminal.session_mut() {
                    session.dismiss(now);
                }
            }
            PromptMessage::StillHere => {
                if let Some(session) = self.terminal.session_mut() {
                    session.input(now);
                }
            }
            PromptMessage::DismissNotice => self.citizen.notice = None,
        }
    }

    /// Carries out a supervisor command (from a heartbeat reply); `false` if
    /// it could not be recorded and must not be acknowledged yet.
    pub fn apply_command(&mut self, action: &CommandAction) -> bool {
        // Ending the session: the visit in progress is recorded in it first.
        if matches!(
            action,
            CommandAction::Lock { .. } | CommandAction::EndSession
        ) {
            self.end_web();
        }
        match self.terminal.apply(self.now, action) {
            Ok(effect) => {
                self.apply_effect(effect);
                true
            }
            Err(error) => {
                self.record_problem(&error);
                false
            }
        }
    }

    /// Applies a supervisor command to the screen.
    fn apply_effect(&mut self, effect: Effect) {
        match effect {
            Effect::None | Effect::Extended { .. } => {}
            Effect::RefreshContent => self.refresh.want(),
            Effect::SessionEnded(_) => self.wipe(),
            Effect::ShowMessage(text) => self.citizen.notice = Some(text),
            Effect::Locked { reason } => {
                self.wipe();
                self.locked_reason = Some(reason.unwrap_or_default());
            }
            Effect::Unlocked => self.locked_reason = None,
        }
    }
}
