//! The iced application: owns the logic (`Terminal`), the screens and the
//! navigation between them.
//!
//! Everything about the citizen lives in [`Citizen`]; ending a session for
//! any reason replaces it whole, which is the privacy wipe.

mod catalogue;
mod launch;
mod link;
pub mod participation;
mod setup;
mod staff;
mod view;

pub use catalogue::{CatalogueMessage, CatalogueScreen, SetupError};
pub use launch::{FONT, FONTS, run};
pub use link::{cached_profile, hostname};
pub use setup::Setup;
use setup::rules_from;
pub use staff::{hash_pin, verify_pin};

use std::path::PathBuf;
use std::sync::Arc;

use iced::{Subscription, Task, Theme, event, keyboard, mouse, touch, window};
use jiff::{SignedDuration, Timestamp};
use plaza_api::enrol::EnrolResponse;
use plaza_api::heartbeat::{HeartbeatRequest, HeartbeatResponse};
use plaza_api::profile::KioskProfile;
use plaza_api::session::{EndReason, Section};
use tokio::sync::{Notify, watch};

use crate::config::KioskConfig;
use crate::credentials::Credentials;
use crate::health::HealthMonitor;
use crate::i18n::Locales;
use crate::link::{ClientError, CommandLog, ManagerClient, SyncStatus};
use crate::outbox::OutboxResult;
use crate::screen::{attract, help, home, maintenance, pin, privacy, survey, welcome};
use crate::terminal::{Effect, Preferences, Terminal};
use crate::widget::Look;

/// Wrong PINs allowed before the PIN screen refuses for a while.
const PIN_ATTEMPTS: u32 = 5;
const PIN_LOCKOUT: SignedDuration = SignedDuration::from_mins(5);

#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    Attract,
    Welcome,
    Privacy,
    Survey(survey::State),
    Home,
    Help(help::State),
    Catalogue(CatalogueScreen),
    /// Forums and communities; their pages live in `Citizen::participation`.
    Participation,
}

/// Everything belonging to the person at the screen. Replaced whole when a
/// session ends: nothing of it can reach the next citizen.
#[derive(Debug, Clone, PartialEq)]
pub struct Citizen {
    pub preferences: Preferences,
    pub screen: Screen,
    /// A supervisor's message shown over the screen.
    pub notice: Option<String>,
    /// Last input before a session started (the welcome screens time out too).
    pub last_input: Option<Timestamp>,
    /// Forums and communities: the login, the pages, any unsent post.
    pub participation: crate::screen::participation::Participation,
}

impl Default for Citizen {
    fn default() -> Self {
        Self {
            preferences: Preferences::default(),
            screen: Screen::Attract,
            notice: None,
            last_input: None,
            participation: Default::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Staff {
    Pin(pin::State),
    Maintenance(maintenance::State),
}

#[derive(Debug, Clone)]
pub enum Message {
    /// The clock advanced (every second from a subscription; tests send it).
    Tick(Timestamp),
    /// A key, click or touch anywhere: the citizen is there.
    Input,
    CloseRequested,
    Attract(attract::Message),
    Welcome(welcome::Message),
    Privacy(privacy::Message),
    Survey(survey::Message),
    Home(home::Message),
    Help(help::Message),
    Catalogue(CatalogueMessage),
    Participation(crate::screen::participation::Message),
    Pin(pin::Message),
    Maintenance(maintenance::Message),
    Prompt(PromptMessage),
    EndSession,
    HeartbeatDue,
    HeartbeatDone(
        Box<HeartbeatRequest>,
        Result<HeartbeatResponse, ClientError>,
    ),
    ProfileLoaded(Result<KioskProfile, ClientError>),
    Enrolled(Result<EnrolResponse, ClientError>),
}

/// Answers to what is shown over the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptMessage {
    MoreTime,
    KeepGoing,
    StillHere,
    DismissNotice,
}

/// Handles to the background delivery of the outbox.
#[derive(Debug)]
struct DeliveryHandle {
    wake: Arc<Notify>,
    status: watch::Receiver<SyncStatus>,
    stop: watch::Sender<bool>,
}

#[derive(Debug)]
pub struct Kiosk {
    config: KioskConfig,
    problems: Vec<String>,
    locales: Locales,
    terminal: Terminal,
    citizen: Citizen,
    staff: Option<Staff>,
    wrong_pins: u32,
    pin_locked_until: Option<Timestamp>,
    /// The previous session was just wiped; the attract screen says so.
    just_ended: bool,
    now: Timestamp,
    locked_reason: Option<String>,
    // The link to the manager.
    connect: bool,
    data_dir: PathBuf,
    credentials: Option<Credentials>,
    client: Option<ManagerClient>,
    profile: Option<KioskProfile>,
    commands: CommandLog,
    health: Option<HealthMonitor>,
    delivery: Option<DeliveryHandle>,
    heartbeat_in_flight: bool,
    online: bool,
    last_sync: Option<Timestamp>,
    last_error: Option<String>,
    events_seen: u64,
    catalogue: catalogue::CatalogueLink,
}

impl Kiosk {
    pub fn new(setup: Setup, now: Timestamp) -> (Self, Task<Message>) {
        let rules = rules_from(&setup.config, setup.profile.as_ref());
        let mut terminal = Terminal::new(setup.outbox, rules);
        let mut problems = setup.problems;
        if let Err(error) = terminal.recover() {
            problems.push(format!("cannot close the session cut short: {error}"));
        }
        let client = setup.credentials.as_ref().and_then(|credentials| {
            link::client(&setup.config, &credentials.manager_url)
                .map(|client| client.with_credentials(credentials))
        });
        let mut kiosk = Self {
            locales: Locales::bundled(),
            terminal,
            citizen: Citizen::default(),
            staff: None,
            wrong_pins: 0,
            pin_locked_until: None,
            just_ended: false,
            now,
            locked_reason: None,
            connect: setup.connect,
            data_dir: setup.data_dir,
            credentials: setup.credentials,
            client,
            profile: setup.profile,
            commands: CommandLog::default(),
            health: None,
            delivery: None,
            heartbeat_in_flight: false,
            online: false,
            last_sync: None,
            last_error: None,
            events_seen: 0,
            catalogue: catalogue::CatalogueLink::new(setup.catalogue, setup.config.zone()),
            problems,
            config: setup.config,
        };
        let task = kiosk.connect();
        (kiosk, task)
    }

    pub fn citizen(&self) -> &Citizen {
        &self.citizen
    }

    pub fn terminal(&self) -> &Terminal {
        &self.terminal
    }

    pub fn is_online(&self) -> bool {
        self.online
    }

    pub fn title(&self) -> String {
        "Plaza".to_owned()
    }

    pub fn theme(&self) -> Theme {
        crate::theme::theme(&self.citizen.preferences)
    }

    fn look(&self) -> Look<'_> {
        Look {
            locales: &self.locales,
            preferences: self.citizen.preferences,
        }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        let tick = iced::time::every(std::time::Duration::from_secs(1))
            .map(|_| Message::Tick(Timestamp::now()));
        let input = event::listen_with(|event, _status, _window| match event {
            iced::Event::Mouse(mouse::Event::ButtonPressed(_))
            | iced::Event::Keyboard(keyboard::Event::KeyPressed { .. })
            | iced::Event::Touch(touch::Event::FingerPressed { .. }) => Some(Message::Input),
            _ => None,
        });
        let close = window::close_requests().map(|_| Message::CloseRequested);
        let mut subscriptions = vec![tick, input, close];
        if self.connect && self.client.is_some() {
            let interval = self
                .profile
                .as_ref()
                .map_or(10, |profile| profile.heartbeat_interval_s.max(1));
            subscriptions.push(
                iced::time::every(std::time::Duration::from_secs(u64::from(interval)))
                    .map(|_| Message::HeartbeatDue),
            );
        }
        Subscription::batch(subscriptions)
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        let task = self.handle(message);
        if let Err(error) = self.after_update() {
            self.record_problem(&error);
        }
        Task::batch([task, self.catalogue_after_update()])
    }

    fn handle(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Tick(now) => {
                self.now = now;
                crate::watchdog::alive();
                self.tick();
            }
            Message::Input => {
                self.citizen.last_input = Some(self.now);
                if let Some(session) = self.terminal.session_mut() {
                    session.input(self.now);
                }
            }
            Message::CloseRequested => {
                tracing::info!("close request ignored: only the maintenance menu exits");
            }
            Message::Attract(message) => match attract::update(message) {
                attract::Action::Start if self.terminal.is_locked() => {}
                attract::Action::Start => self.go(Screen::Welcome),
                attract::Action::OpenStaffPin => {
                    self.staff = Some(Staff::Pin(pin::State::default()));
                }
            },
            Message::Welcome(message) => {
                match welcome::update(&mut self.citizen.preferences, message) {
                    welcome::Action::None => {}
                    welcome::Action::Back => self.wipe(),
                    welcome::Action::Continue => self.go(Screen::Privacy),
                }
            }
            Message::Privacy(privacy::Message::Accept) => self.start_session(),
            Message::Survey(message) => {
                if let Screen::Survey(survey) = &mut self.citizen.screen
                    && let survey::Action::Done(answers) = survey.update(message)
                {
                    if let Some(answers) = answers {
                        self.log(|terminal, now| terminal.answer_survey(now, answers));
                    }
                    self.go(Screen::Home);
                }
            }
            Message::Home(message) => match home::update(message) {
                home::Action::Open(section) => return self.open_section(section),
            },
            Message::Help(message) => {
                if let Screen::Help(help) = &mut self.citizen.screen
                    && let help::Action::Back = help.update(message)
                {
                    self.go(Screen::Home);
                }
            }
            Message::Catalogue(message) => self.catalogue(message),
            Message::Participation(message) => return self.participation(message),
            Message::Pin(message) => self.pin(message),
            Message::Maintenance(message) => return self.maintenance(message),
            Message::Prompt(message) => self.prompt(message),
            Message::EndSession => self.end_session(EndReason::Logout),
            Message::HeartbeatDue => return self.heartbeat(),
            Message::HeartbeatDone(request, result) => self.heartbeat_done(&request, result),
            Message::ProfileLoaded(result) => self.profile_loaded(result),
            Message::Enrolled(result) => return self.enrolled(result),
        }
        Task::none()
    }

    fn go(&mut self, screen: Screen) {
        self.citizen.screen = screen;
        self.citizen.last_input = Some(self.now);
    }

    fn start_session(&mut self) {
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

    fn open_section(&mut self, section: Section) -> Task<Message> {
        self.log(|terminal, now| terminal.open_section(now, section));
        match section {
            Section::Help => self.go(Screen::Help(help::State::default())),
            Section::Procedures | Section::Tenders | Section::Networks => {
                self.open_catalogue(section);
            }
            Section::Forums | Section::Communities => return self.open_participation(section),
        }
        Task::none()
    }

    /// Ends the session (if any) and wipes everything of the citizen.
    pub fn end_session(&mut self, reason: EndReason) {
        self.log(|terminal, now| terminal.end_session(now, reason).map(|_| ()));
        self.wipe();
    }

    fn wipe(&mut self) {
        let had_session = self.citizen.screen != Screen::Attract;
        self.citizen = Citizen::default();
        self.just_ended = had_session;
    }

    fn tick(&mut self) {
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
            && self.citizen.screen != Screen::Attract
            && let Some(last_input) = self.citizen.last_input
        {
            let limit = i64::from(self.config.idle_after_s + self.config.idle_grace_s);
            if self.now.duration_since(last_input) >= SignedDuration::from_secs(limit) {
                self.citizen = Citizen::default();
            }
        }
        if self.pin_locked_until.is_some_and(|until| self.now >= until) {
            self.pin_locked_until = None;
            self.wrong_pins = 0;
        }
    }

    fn prompt(&mut self, message: PromptMessage) {
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
    pub fn apply_command(&mut self, action: &plaza_api::heartbeat::CommandAction) -> bool {
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
            Effect::RefreshContent => self.catalogue.want_sync(),
            Effect::SessionEnded(_) => self.wipe(),
            Effect::ShowMessage(text) => self.citizen.notice = Some(text),
            Effect::Locked { reason } => {
                self.wipe();
                self.locked_reason = Some(reason.unwrap_or_default());
            }
            Effect::Unlocked => self.locked_reason = None,
        }
    }

    /// Writes through the terminal at the current time; a failing outbox is
    /// reported, never shown to the citizen as an error.
    fn log(&mut self, write: impl FnOnce(&mut Terminal, Timestamp) -> OutboxResult<()>) {
        if let Err(error) = write(&mut self.terminal, self.now) {
            self.record_problem(&error);
        }
    }

    fn record_problem(&mut self, error: &dyn std::fmt::Display) {
        tracing::error!(%error, "kiosk problem");
        self.last_error = Some(error.to_string());
    }

    /// Wakes the delivery when new events were written.
    fn after_update(&mut self) -> OutboxResult<()> {
        let recorded = self.terminal.events_recorded();
        if recorded != self.events_seen {
            self.events_seen = recorded;
            if let Some(delivery) = &self.delivery {
                delivery.wake.notify_one();
            }
        }
        Ok(())
    }
}
