//! The person at the screen: everything of theirs in one value, replaced
//! whole when a session ends (the privacy wipe).

use jiff::Timestamp;

use super::Screen;
use crate::screen::{attract, help_chat, participation};
use crate::terminal::Preferences;

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
    pub participation: participation::State,
    /// Live help: the conversation and the message being written.
    pub help_chat: help_chat::State,
    /// Where "Back to Plaza" returns after "Open here".
    pub before_web: Option<Box<Screen>>,
}

impl Default for Citizen {
    fn default() -> Self {
        Self {
            preferences: Preferences::default(),
            screen: Screen::Attract(attract::State),
            notice: None,
            last_input: None,
            participation: participation::State::default(),
            help_chat: help_chat::State::default(),
            before_web: None,
        }
    }
}
