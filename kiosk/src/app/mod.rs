//! The iced application: navigation between the screens, the session bar
//! and the prompts over them (`view`), the staff screens (`staff`) and the
//! kiosk's tasks with its manager (`link`). The logic is `Terminal` and
//! `Link`; every screen keeps its own state, makes its own requests and
//! reads its own replies (see `crate::screen`).
//!
//! Everything about the citizen lives in [`Citizen`]; ending a session for
//! any reason replaces it whole, which is the privacy wipe. A screen's
//! requests answer as [`Message::InSession`], naming the session that
//! asked: an answer for a session that is over is dropped, so nothing of
//! one citizen reaches the next.

mod citizen;
mod internet;
mod launch;
mod link;
mod live_help;
mod sections;
mod session;
mod setup;
mod staff;
mod view;

pub use citizen::Citizen;
pub use launch::{FONT, FONTS, run};
pub use setup::{Setup, SetupError};
pub use staff::{hash_pin, verify_pin};

use std::path::PathBuf;
use std::sync::Arc;

use iced::{Subscription, Task, Theme, event, keyboard, mouse, touch, window};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use plaza_api::enrol::EnrolResponse;
use plaza_api::heartbeat::{HeartbeatRequest, HeartbeatResponse};
use plaza_api::profile::KioskProfile;
use plaza_api::session::EndReason;
use tokio::sync::{Notify, watch};
use uuid::Uuid;

use crate::catalogue::{LocalCatalogue, Refresh, SyncError, Synced};
use crate::config::KioskConfig;
use crate::credentials::Credentials;
use crate::health::HealthMonitor;
use crate::i18n::Locales;
use crate::link::{ClientError, Link, SyncStatus};
use crate::lockout::PinLockout;
use crate::outbox::OutboxResult;
use crate::screen::internet as internet_screen;
use crate::screen::{
    Context, attract, catalogue, enrolment, help, help_chat, home, maintenance, participation, pin,
    privacy, requests, survey, welcome,
};
use crate::terminal::Terminal;
use crate::widget::Look;

/// Wrong PINs allowed before the PIN screen refuses for a while.
const PIN_ATTEMPTS: u32 = 5;
const PIN_LOCKOUT: SignedDuration = SignedDuration::from_mins(5);

/// The citizen's screen, with its state.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    Attract(attract::State),
    Welcome(welcome::State),
    Privacy(privacy::State),
    Survey(survey::State),
    Home(home::State),
    Help(help::State),
    Catalogue(catalogue::State),
    /// Forums and communities; their state outlives a visit to another
    /// section, so it lives in `Citizen::participation`.
    Participation,
    /// Live help; its conversation lives in `Citizen::help_chat`.
    HelpChat,
    /// Requests to the municipality; the draft goes with the screen.
    Requests(Box<requests::State>),
    /// The recommended sites, or the browser open below the session bar.
    Internet(internet_screen::State),
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
    Catalogue(catalogue::Message),
    Participation(participation::Message),
    HelpChat(help_chat::Message),
    Requests(requests::Message),
    Internet(internet_screen::Message),
    Enrolment(enrolment::Message),
    Pin(pin::Message),
    Maintenance(maintenance::Message),
    Prompt(PromptMessage),
    EndSession,
    /// What a screen's request answered, for the session that made it.
    InSession(Uuid, Box<Message>),
    HeartbeatDue,
    HeartbeatDone(
        Box<HeartbeatRequest>,
        Result<HeartbeatResponse, ClientError>,
    ),
    ProfileLoaded(Result<KioskProfile, ClientError>),
    Enrolled(Result<EnrolResponse, ClientError>),
    CatalogueSynced(Result<Synced, SyncError>),
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
    /// Wrong supervisor PINs, saved in the data folder across restarts.
    lockout: PinLockout,
    /// The supervisor PIN is still the shipped default (checked once: Argon2
    /// is slow on purpose).
    default_pin: bool,
    /// Not enrolled yet: staff enrol from the screen before citizens use it.
    enrolment: Option<enrolment::State>,
    /// The previous session was just wiped; the attract screen says so.
    just_ended: bool,
    now: Timestamp,
    locked_reason: Option<String>,
    /// Talk to the manager at all (off in UI tests).
    connect: bool,
    data_dir: PathBuf,
    credentials: Option<Credentials>,
    profile: Option<KioskProfile>,
    link: Link<HealthMonitor>,
    delivery: Option<DeliveryHandle>,
    events_seen: u64,
    /// The offline copy of the catalogues, and when to sync it.
    copy: LocalCatalogue,
    refresh: Refresh,
    /// The centre's clock, for "open now" and deadlines.
    zone: TimeZone,
    /// Where the browser and its session folders are.
    web_setup: crate::web::WebSetup,
    /// The running session's browser, if it browses.
    web: Option<internet::Browsing>,
}

impl Kiosk {
    pub fn new(setup: Setup, now: Timestamp) -> (Self, Task<Message>) {
        let mut terminal = Terminal::new(
            setup.outbox,
            setup::rules(&setup.config, setup.profile.as_ref()),
        );
        let mut problems = setup.problems;
        let web = setup
            .web
            .clone()
            .unwrap_or_else(|| crate::web::WebSetup::for_data_dir(&setup.data_dir));
        problems.extend(crate::web::at_start(&web));
        let missing_browser = crate::web::missing_browser(&web);
        if let Err(error) = terminal.recover() {
            problems.push(format!("cannot close the session cut short: {error}"));
        }
        let default_pin = verify_pin(
            &setup.config.supervisor_pin_hash,
            crate::config::DEFAULT_PIN,
        );
        // Only a kiosk that talks to a manager enrols (UI tests and the
        // offline demo do not).
        let enrolment = (setup.connect && setup.credentials.is_none())
            .then(|| enrolment::State::new(&setup.config.manager_url));
        let client = setup
            .credentials
            .as_ref()
            .and_then(|credentials| link::client(&setup.config, credentials));
        let mut kiosk = Self {
            locales: Locales::bundled(),
            terminal,
            citizen: Citizen::default(),
            staff: None,
            lockout: PinLockout::load(&setup.data_dir),
            default_pin,
            enrolment,
            just_ended: false,
            now,
            locked_reason: None,
            connect: setup.connect,
            link: Link::new(client, HealthMonitor::new(&setup.data_dir)),
            data_dir: setup.data_dir,
            credentials: setup.credentials,
            profile: setup.profile,
            delivery: None,
            events_seen: 0,
            copy: setup.catalogue,
            refresh: Refresh::default(),
            zone: setup.config.zone(),
            web_setup: web,
            web: None,
            problems,
            config: setup.config,
        };
        let warnings: Vec<String> = kiosk
            .default_pin
            .then(|| staff::DEFAULT_PIN_WARNING.to_owned())
            .into_iter()
            .chain(staff::plain_http_warning(&kiosk.manager_url()))
            .chain(missing_browser)
            .collect();
        kiosk
            .link
            .warn_always((!warnings.is_empty()).then(|| warnings.join("; ")));
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
        self.link.is_online()
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
        if self.connect && self.link.client().is_some() {
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
        let chat = self.open_conversation();
        let task = self.handle(message);
        self.keep_prompts_in_front();
        self.wake_delivery();
        Task::batch([task, self.sync_catalogue(), self.farewell(chat)])
    }

    fn handle(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Tick(now) => {
                self.now = now;
                crate::watchdog::alive();
                self.tick();
                return self.handle(Message::Catalogue(catalogue::Message::Tick));
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
            Message::Attract(message) => {
                if let Screen::Attract(attract) = &mut self.citizen.screen {
                    match attract.update(message) {
                        attract::Action::Start if self.terminal.is_locked() => {}
                        attract::Action::Start => self.go(Screen::Welcome(Default::default())),
                        attract::Action::OpenStaffPin => {
                            self.staff = Some(Staff::Pin(pin::State::refusing(
                                self.config.pin_refused.clone(),
                            )));
                        }
                    }
                }
            }
            Message::Welcome(message) => {
                if let Screen::Welcome(welcome) = &mut self.citizen.screen {
                    match welcome.update(message) {
                        welcome::Action::Chosen(preferences) => {
                            self.citizen.preferences = preferences;
                        }
                        welcome::Action::Back => self.wipe(),
                        welcome::Action::Continue => self.go(Screen::Privacy(privacy::State)),
                    }
                }
            }
            Message::Privacy(message) => {
                if let Screen::Privacy(privacy) = &mut self.citizen.screen {
                    match privacy.update(message) {
                        privacy::Action::Accept => self.start_session(),
                    }
                }
            }
            Message::Survey(message) => {
                if let Screen::Survey(survey) = &mut self.citizen.screen
                    && let survey::Action::Done(answers) = survey.update(message)
                {
                    if let Some(answers) = answers {
                        self.log(|terminal, now| terminal.answer_survey(now, answers));
                    }
                    self.go(Screen::Home(home::State));
                }
            }
            Message::Home(message) => {
                if let Screen::Home(home) = &mut self.citizen.screen {
                    match home.update(message) {
                        home::Action::Open(section) => return self.open_section(section),
                    }
                }
            }
            Message::Help(message) => {
                if let Screen::Help(help) = &mut self.citizen.screen {
                    match help.update(message) {
                        help::Action::None => {}
                        help::Action::Back => self.go(Screen::Home(home::State)),
                        help::Action::OpenChat => return self.open_help_chat(),
                    }
                }
            }
            Message::Catalogue(message) => {
                let action = self.with_context(|citizen, context| match &mut citizen.screen {
                    Screen::Catalogue(catalogue) => catalogue.update(message, context),
                    _ => catalogue::Action::default(),
                });
                self.catalogue_done(action);
            }
            Message::Participation(message) => {
                let action = self.with_context(|citizen, context| {
                    citizen.participation.update(message, context)
                });
                return self.participation_done(action);
            }
            Message::HelpChat(message) => return self.help_chat(message),
            Message::Requests(message) => {
                let action = self.with_context(|citizen, context| {
                    let caller = requests::Caller {
                        connection: citizen.participation.connection.as_ref(),
                    };
                    match &mut citizen.screen {
                        Screen::Requests(state) => state.update(message, &caller, context),
                        _ => requests::Action::None,
                    }
                });
                return self.requests_done(action);
            }
            Message::Internet(message) => self.internet(message),
            Message::InSession(session, message) => {
                if self.session_id() == Some(session) {
                    return self.handle(*message);
                }
                tracing::info!("an answer for an ended session dropped");
            }
            Message::Enrolment(message) => return self.enrolment(message),
            Message::Pin(message) => self.pin(message),
            Message::Maintenance(message) => return self.maintenance(message),
            Message::Prompt(message) => self.prompt(message),
            Message::EndSession => self.end_session(EndReason::Logout),
            Message::HeartbeatDue => return self.heartbeat(),
            Message::HeartbeatDone(request, result) => self.heartbeat_done(&request, result),
            Message::ProfileLoaded(result) => self.profile_loaded(result),
            Message::Enrolled(result) => return self.enrolled(result),
            Message::CatalogueSynced(result) => self.refresh.finished(&result),
        }
        Task::none()
    }

    fn go(&mut self, screen: Screen) {
        self.citizen.screen = screen;
        self.citizen.last_input = Some(self.now);
    }

    fn session_id(&self) -> Option<Uuid> {
        self.terminal.session().map(|session| session.id)
    }

    /// Runs `update` on the citizen's screens with what they may read of the
    /// kiosk.
    fn with_context<T>(&mut self, update: impl FnOnce(&mut Citizen, &Context<'_>) -> T) -> T {
        let context = Context {
            look: Look {
                locales: &self.locales,
                preferences: self.citizen.preferences,
            },
            now: self.now,
            session: self.terminal.session().map(|session| session.id),
            catalogue: &self.copy,
            manager: self.link.client(),
            online: self.link.is_online(),
        };
        update(&mut self.citizen, &context)
    }

    /// A screen's task: its answers name the session running now, and are
    /// dropped (`Message::InSession`) if that session is over when they come.
    fn in_session(&self, task: Task<Message>) -> Task<Message> {
        match self.session_id() {
            Some(session) => {
                task.map(move |message| Message::InSession(session, Box::new(message)))
            }
            None => task.discard(),
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
        self.link.record_problem(error.to_string());
    }
}
