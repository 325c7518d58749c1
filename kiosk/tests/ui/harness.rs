//! The headless kiosk: one `Kiosk` driven through iced_test's simulator,
//! with its own clock. The tasks the kiosk returns (requests to the
//! manager) are kept, and run by [`Harness::settle`] or [`Harness::run`]
//! when a test asks.

use std::borrow::Cow;
use std::path::Path;

use iced::Task;
use iced_test::runtime::futures::futures::StreamExt;
use iced_test::{Simulator, core, runtime};
use jiff::{SignedDuration, Timestamp};
use plaza_api::events::EventPayload;
use plaza_api::profile::KioskProfile;
use plaza_kiosk::app::{FONT, FONTS, Kiosk, Message, Setup};
use plaza_kiosk::catalogue::LocalCatalogue;
use plaza_kiosk::config::KioskConfig;
use plaza_kiosk::credentials::Credentials;

pub struct Harness {
    pub kiosk: Kiosk,
    pub now: Timestamp,
    /// Tasks returned by the kiosk, not run yet.
    tasks: Vec<Task<Message>>,
}

impl Harness {
    pub fn new() -> Self {
        Self::with_profile(None)
    }

    pub fn with_profile(profile: Option<KioskProfile>) -> Self {
        Self::build(profile, false)
    }

    /// `connect`: the kiosk means to reach a manager (no client is enrolled
    /// here, so nothing is sent; replies are fed as messages).
    pub fn build(profile: Option<KioskProfile>, connect: bool) -> Self {
        Self::build_at(
            profile,
            connect,
            Timestamp::from_second(1_780_000_000).expect("time"),
        )
    }

    /// A kiosk whose clock starts at `now` (its centre is in
    /// America/Argentina/Catamarca, UTC−3), with the seed catalogue.
    pub fn starting_at(now: Timestamp) -> Self {
        Self::build_at(None, false, now)
    }

    pub fn build_at(profile: Option<KioskProfile>, connect: bool, now: Timestamp) -> Self {
        let config = KioskConfig {
            fullscreen: false,
            time_zone: "America/Argentina/Catamarca".to_owned(),
            ..KioskConfig::default()
        };
        let mut setup = Setup::offline(config).expect("setup");
        setup.profile = profile;
        setup.connect = connect;
        if connect {
            // Enrolled at a manager that is not there (nothing listens on
            // the discard port): the tasks that would call it are not run.
            setup.credentials = Some(Credentials {
                manager_url: "http://127.0.0.1:9".to_owned(),
                kiosk_id: uuid::Uuid::now_v7(),
                token: "pzk_unused".to_owned(),
                centre: "Biblioteca Norte".to_owned(),
            });
        }
        setup.catalogue = LocalCatalogue::from_files(Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../assets/content"
        )))
        .expect("seed content");
        Self::from_setup_at(setup, now)
    }

    /// A kiosk built from `setup`; what `Kiosk::new` starts is not run.
    pub fn from_setup(setup: Setup) -> Self {
        Self::from_setup_at(setup, Timestamp::from_second(1_780_000_000).expect("time"))
    }

    fn from_setup_at(mut setup: Setup, now: Timestamp) -> Self {
        // UI tests never start a browser: a missing one is what they see
        // ("Open here" says so plainly); `tests/web.rs` runs the real one.
        if setup.web.is_none() {
            setup.web = Some(plaza_kiosk::web::WebSetup {
                binary: setup.data_dir.join("no-chromium"),
                ..plaza_kiosk::web::WebSetup::for_data_dir(&setup.data_dir)
            });
        }
        let (mut kiosk, _) = Kiosk::new(setup, now);
        let _ = kiosk.update(Message::Tick(now));
        Self {
            kiosk,
            now,
            tasks: Vec::new(),
        }
    }

    /// A kiosk enrolled at a real manager (`credentials`) with an empty
    /// catalogue copy. Its clock has not ticked yet: the first message
    /// (through [`Self::send`]) runs what a start does, the catalogue sync.
    pub fn linked(credentials: Credentials, now: Timestamp) -> Self {
        let config = KioskConfig {
            fullscreen: false,
            manager_url: credentials.manager_url.clone(),
            time_zone: "America/Argentina/Catamarca".to_owned(),
            ..KioskConfig::default()
        };
        let mut setup = Setup::offline(config).expect("setup");
        setup.credentials = Some(credentials);
        setup.connect = true;
        // The start task (delivery worker, profile) is not run here.
        let (kiosk, _) = Kiosk::new(setup, now);
        Self {
            kiosk,
            now,
            tasks: Vec::new(),
        }
    }

    /// A kiosk never enrolled, meaning to reach the manager at `manager_url`,
    /// keeping its files in `data_dir`.
    pub fn unenrolled(manager_url: &str, data_dir: &Path) -> Self {
        let config = KioskConfig {
            fullscreen: false,
            manager_url: manager_url.to_owned(),
            ..KioskConfig::default()
        };
        let mut setup = Setup::offline(config).expect("setup");
        setup.data_dir = data_dir.to_path_buf();
        setup.connect = true;
        Self::from_setup(setup)
    }

    /// Runs the kept tasks once; what their messages start is kept, not run
    /// (after an enrolment that is the delivery worker, which never ends).
    pub async fn run_kept_once(&mut self) {
        for task in std::mem::take(&mut self.tasks) {
            let Some(stream) = runtime::task::into_stream(task) else {
                continue;
            };
            let actions: Vec<runtime::Action<Message>> = stream.collect().await;
            for action in actions {
                if let runtime::Action::Output(message) = action {
                    self.send(message);
                }
            }
        }
    }

    /// Sends a message and runs every task it starts, feeding their
    /// messages back in turn, until none is left.
    pub async fn run(&mut self, message: Message) {
        let mut queue = vec![self.kiosk.update(message)];
        while let Some(task) = queue.pop() {
            let Some(stream) = runtime::task::into_stream(task) else {
                continue;
            };
            let actions: Vec<runtime::Action<Message>> = stream.collect().await;
            for action in actions {
                if let runtime::Action::Output(message) = action {
                    queue.push(self.kiosk.update(message));
                }
            }
        }
    }

    /// Drops the kept tasks unrun (a long poll that would wait at the
    /// manager, when the test is about something else).
    pub fn forget_kept_tasks(&mut self) {
        self.tasks.clear();
    }

    /// Updates the kiosk with `message`, keeping the task it returns.
    pub fn send(&mut self, message: Message) {
        let task = self.kiosk.update(message);
        self.tasks.push(task);
    }

    /// Runs the kept tasks on `runtime` (the real requests, through the
    /// kiosk's own client code) and feeds back every message they produce,
    /// until no task is left.
    pub fn settle(&mut self, runtime: &tokio::runtime::Runtime) {
        while !self.tasks.is_empty() {
            for task in std::mem::take(&mut self.tasks) {
                let Some(stream) = runtime::task::into_stream(task) else {
                    continue;
                };
                let actions: Vec<runtime::Action<Message>> = runtime.block_on(stream.collect());
                for action in actions {
                    if let runtime::Action::Output(message) = action {
                        self.send(message);
                    }
                }
            }
        }
    }

    pub fn ui(&self) -> Simulator<'_, Message> {
        let settings = core::Settings {
            fonts: FONTS.iter().map(|font| Cow::Borrowed(*font)).collect(),
            default_font: FONT,
            ..core::Settings::default()
        };
        Simulator::with_settings(settings, self.kiosk.view())
    }

    pub fn click(&mut self, label: &str) {
        let mut ui = self.ui();
        if let Err(error) = ui.click(label) {
            panic!("cannot click {label:?}: {error}");
        }
        let messages: Vec<Message> = ui.into_messages().collect();
        for message in messages {
            self.send(message);
        }
    }

    pub fn type_into(&mut self, id: &'static str, text: &str) {
        let mut ui = self.ui();
        ui.click(core::widget::Id::new(id)).expect("text input");
        ui.typewrite(text);
        let messages: Vec<Message> = ui.into_messages().collect();
        for message in messages {
            self.send(message);
        }
    }

    pub fn shows(&self, text: &str) -> bool {
        self.ui().find(text).is_ok()
    }

    pub fn assert_shows(&self, text: &str) {
        assert!(self.shows(text), "expected {text:?} on screen");
    }

    /// Moves the clock on by `seconds`, one tick per second, with or
    /// without the citizen touching anything.
    pub fn wait(&mut self, seconds: i64, touching: bool) {
        for _ in 0..seconds {
            self.now += SignedDuration::from_secs(1);
            let _ = self.kiosk.update(Message::Tick(self.now));
            if touching {
                let _ = self.kiosk.update(Message::Input);
            }
        }
    }

    /// Attract → Spanish, no options → privacy → survey skipped → home.
    pub fn start_session(&mut self) {
        self.click("Toca aquí para empezar");
        self.click("Continuar");
        self.click("Entendido");
        self.click("Saltar");
        self.assert_shows("¿Qué quieres hacer?");
    }

    pub fn events(&self) -> Vec<EventPayload> {
        self.kiosk
            .terminal()
            .outbox()
            .next_batch(1000, self.now)
            .expect("outbox")
            .into_iter()
            .map(|event| event.payload)
            .collect()
    }
}
