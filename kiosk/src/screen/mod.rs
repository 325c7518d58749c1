//! The kiosk's screens. Every screen module has the same four parts:
//!
//! - `State`: what the screen keeps (empty when it keeps nothing);
//! - `Message`: what its widgets, and the tasks it starts, send it;
//! - `State::update(&mut self, message) -> Action`: `Action` says what the
//!   app must do next (go elsewhere, record usage, run the screen's task). A
//!   screen that reads the kiosk (the clock, the catalogue copy, the manager)
//!   is given a [`Context`] as a second argument, never the app;
//! - `State::view(&self, look, ...) -> Element<Message>`.
//!
//! A section with several pages (`catalogue`, `participation`) is one screen
//! whose pages follow the same contract and answer to it. The app owns
//! navigation; screens never reach into each other.

pub mod attract;
pub mod catalogue;
pub mod enrolment;
pub mod help;
pub mod help_chat;
pub mod home;
pub mod internet;
pub mod maintenance;
pub mod participation;
pub mod pin;
pub mod privacy;
pub mod requests;
pub mod survey;
pub mod welcome;

use jiff::Timestamp;
use plaza_client::ManagerClient;
use uuid::Uuid;

use crate::catalogue::LocalCatalogue;
use crate::widget::Look;

/// What a screen may read of the kiosk while it updates; the app builds one
/// for each message.
pub struct Context<'a> {
    /// The citizen's language and sizes (notices are written in it).
    pub look: Look<'a>,
    pub now: Timestamp,
    /// The running session: requests to the manager are made in its name,
    /// and none without one.
    pub session: Option<Uuid>,
    /// The offline copy of the catalogues.
    pub catalogue: &'a LocalCatalogue,
    /// The manager, once this kiosk is enrolled.
    pub manager: Option<&'a ManagerClient>,
    /// The manager answered lately.
    pub online: bool,
}

impl Context<'_> {
    /// Enrolled and heard from lately: what forums and communities need.
    pub fn reachable(&self) -> bool {
        self.manager.is_some() && self.online
    }
}
