//! The headless kiosk: one `Kiosk` driven through iced_test's simulator,
//! with its own clock. The tasks the kiosk returns (requests to the
//! manager) are kept, and run by [`Harness::settle`] when a test asks.

use std::borrow::Cow;

use iced::Task;
use iced_test::runtime::futures::futures::StreamExt;
use iced_test::{Simulator, core, runtime};
use jiff::{SignedDuration, Timestamp};
use plaza_api::events::EventPayload;
use plaza_api::profile::KioskProfile;
use plaza_kiosk::app::{FONT, FONTS, Kiosk, Message, Setup};
use plaza_kiosk::config::KioskConfig;

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
        let config = KioskConfig {
            fullscreen: false,
            ..KioskConfig::default()
        };
        let mut setup = Setup::offline(config).expect("setup");
        setup.profile = profile;
        setup.connect = connect;
        Self::from_setup(setup)
    }

    /// A kiosk built from `setup`; what `Kiosk::new` starts is not run.
    pub fn from_setup(setup: Setup) -> Self {
        // The session clock; the manager in participation tests keeps its own.
        let now = Timestamp::from_second(1_780_000_000).expect("time");
        let (mut kiosk, _) = Kiosk::new(setup, now);
        let _ = kiosk.update(Message::Tick(now));
        Self {
            kiosk,
            now,
            tasks: Vec::new(),
        }
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
