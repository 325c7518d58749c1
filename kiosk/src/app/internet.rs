//! Internet in the session: the app owns the browser (`crate::web`), so the
//! session clock, the idle rule and the wipe govern it exactly as they
//! govern Plaza's screens. It opens below the session bar, from the
//! Internet section's recommended sites or "Open here" on a procedure or a
//! tender; "Back to Plaza" puts it aside (hidden, its pages kept) and
//! "Back to the internet" brings it back; it ends (process group, profile
//! and downloads) with the session, or when the citizen closes it.

use plaza_api::events::{EventPayload, WebVisited};
use plaza_api::web::RecommendedSite;

use super::{Kiosk, Screen};
use crate::screen::{home, internet};
use crate::web::idle::XIdle;
use crate::web::{Placement, Visit, WebError, WebSession};

/// Height kept for Plaza's session bar above the browser's window.
const BAR_HEIGHT: u32 = 96;

/// The browser of the running session, and the display it is on.
#[derive(Debug)]
pub(super) struct Browsing {
    session: WebSession,
    display: XIdle,
    /// Its windows unmapped while a prompt is in front or it is put aside.
    hidden: Vec<u32>,
    /// Put aside by "Back to Plaza": hidden, its pages kept.
    parked: bool,
}

impl Browsing {
    /// The session's browser folder (for tests and the wipe check).
    pub(super) fn folder(&self) -> Option<&std::path::Path> {
        self.session.folder()
    }
}

impl Kiosk {
    pub(super) fn internet(&mut self, message: internet::Message) {
        // The session bar's buttons work from any screen.
        let action = match (&mut self.citizen.screen, message) {
            (_, internet::Message::BackToPlaza) => internet::Action::Park,
            (_, internet::Message::Resume) => internet::Action::Resume,
            (Screen::Internet(state), message) => state.update(message),
            _ => internet::Action::None,
        };
        match action {
            internet::Action::None => {}
            internet::Action::Open(url) => self.open_web(url),
            internet::Action::Park => {
                let Some(browsing) = &mut self.web else {
                    return;
                };
                browsing.parked = true;
                let back = self
                    .citizen
                    .before_web
                    .take()
                    .map_or(Screen::Home(home::State), |screen| *screen);
                self.go(back);
            }
            internet::Action::Resume => {
                let Some(browsing) = &mut self.web else {
                    return;
                };
                browsing.parked = false;
                let before = std::mem::replace(
                    &mut self.citizen.screen,
                    Screen::Internet(internet::State {
                        browsing: true,
                        problem: None,
                    }),
                );
                if !matches!(before, Screen::Internet(_)) {
                    self.citizen.before_web = Some(Box::new(before));
                }
                self.citizen.last_input = Some(self.now);
            }
            internet::Action::Home => self.go(Screen::Home(home::State)),
        }
    }

    /// Whether the browser is put aside ("Back to Plaza"), still running.
    pub(super) fn web_parked(&self) -> bool {
        self.web.as_ref().is_some_and(|browsing| browsing.parked)
    }

    /// The centre's recommended sites (none before the profile is known).
    pub(super) fn recommended_sites(&self) -> &[RecommendedSite] {
        self.profile
            .as_ref()
            .map_or(&[][..], |profile| profile.web.recommended.as_slice())
    }

    /// Whether the browser's page in front is known yet (for tests: the
    /// next tick notes its purpose).
    pub fn web_page_known(&self) -> bool {
        self.web
            .as_ref()
            .is_some_and(|browsing| browsing.session.page_known())
    }

    /// The session's browser folder, while it browses.
    pub fn web_folder(&self) -> Option<&std::path::Path> {
        self.web.as_ref().and_then(Browsing::folder)
    }

    /// Opens the browser on `url` for the running session; a problem is
    /// said plainly on the Internet screen and reported to staff.
    pub(super) fn open_web(&mut self, url: String) {
        let Some(session_id) = self.session_id() else {
            return;
        };
        self.end_web();
        let policy = self
            .profile
            .as_ref()
            .map(|profile| profile.web.clone())
            .unwrap_or_default();
        let language = self.citizen.preferences.language.as_str();
        let setup = &self.web_setup;
        let started = if setup.binary.is_file() {
            XIdle::connect(setup.display.as_deref()).and_then(|display| {
                let (width, height) = display.screen_size();
                let placement = Placement {
                    x: 0,
                    y: i32::try_from(BAR_HEIGHT).unwrap_or(0),
                    width,
                    height: height.saturating_sub(BAR_HEIGHT).max(1),
                };
                WebSession::start(setup, session_id, &policy, &url, language, placement).map(
                    |session| Browsing {
                        session,
                        display,
                        hidden: Vec::new(),
                        parked: false,
                    },
                )
            })
        } else {
            Err(WebError::Missing(setup.binary.display().to_string()))
        };
        match started {
            Ok(browsing) => {
                self.web = Some(browsing);
                if !matches!(self.citizen.screen, Screen::Internet(_)) {
                    let before =
                        std::mem::replace(&mut self.citizen.screen, Screen::Home(home::State));
                    self.citizen.before_web = Some(Box::new(before));
                }
                self.go(Screen::Internet(internet::State {
                    browsing: true,
                    problem: None,
                }));
            }
            Err(error) => {
                self.record_problem(&error);
                let problem = match error {
                    WebError::Missing(_) => "internet-missing",
                    _ => "internet-failed",
                };
                self.go(Screen::Internet(internet::State {
                    browsing: false,
                    problem: Some(problem.to_owned()),
                }));
            }
        }
    }

    /// Ends the browser's process group and deletes its folder; the visit
    /// in progress is recorded (its purpose and seconds, never its address).
    pub(super) fn end_web(&mut self) {
        let Some(browsing) = self.web.take() else {
            return;
        };
        let (last, deleted) = browsing.session.end(self.now);
        if let Some(visit) = last {
            self.record_visit(visit);
        }
        if let Err(error) = deleted {
            self.record_problem(&error);
        }
    }

    fn record_visit(&mut self, visit: Visit) {
        let event = EventPayload::WebVisited(WebVisited {
            purpose: visit.purpose,
            seconds: visit.seconds,
        });
        self.log(|terminal, now| terminal.record_usage(now, event));
    }

    /// Hides the browser while Plaza shows a prompt, so the prompt is in
    /// front of the page (the browser's window is above Plaza's), or while
    /// it is put aside, and shows it again after. A window not there yet is
    /// tried next time.
    pub(super) fn keep_prompts_in_front(&mut self) {
        // Every message passes here: nothing to do without a browser.
        if self.web.is_none() {
            return;
        }
        let prompt = self.prompt_shown();
        let Some(browsing) = &mut self.web else {
            return;
        };
        let covered = prompt || browsing.parked;
        let done = match (covered, browsing.hidden.is_empty()) {
            (true, true) => match browsing.session.browser().map(crate::web::Browser::pid) {
                Some(pid) => browsing
                    .display
                    .hide_windows_of(pid)
                    .map(|hidden| browsing.hidden = hidden),
                None => Ok(()),
            },
            (false, false) => {
                let shown = browsing.display.show_windows(&browsing.hidden);
                browsing.hidden.clear();
                shown
            }
            _ => Ok(()),
        };
        if let Err(error) = done {
            self.record_problem(&error);
        }
    }

    /// Every second while browsing: a browser the citizen closed ends its
    /// folder too; a visit whose purpose changed is recorded; input in the
    /// browser (the X server's idle time) counts for the idle rule.
    pub(super) fn web_tick(&mut self) {
        let Some(browsing) = &mut self.web else {
            return;
        };
        if !browsing.session.running() {
            self.end_web();
            if matches!(self.citizen.screen, Screen::Internet(_)) {
                self.go(Screen::Internet(internet::State::default()));
            }
            return;
        }
        let ended = browsing.session.observe(self.now);
        let idle = browsing.display.idle().ok();
        if let Some(visit) = ended {
            self.record_visit(visit);
        }
        if let (Some(idle), Some(session)) = (idle, self.terminal.session_mut()) {
            session.display_input(self.now, idle);
        }
        // A session this tick ends (its clock, idleness) still records the
        // visit in progress: the browser ends first.
        if self
            .terminal
            .session()
            .is_some_and(|session| session.ending(self.now).is_some())
        {
            self.end_web();
        }
    }
}
