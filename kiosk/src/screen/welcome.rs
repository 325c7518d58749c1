//! Language and accessibility, chosen before the session starts and kept for
//! all of it. Each choice applies at once, so the citizen sees the effect.

use iced::Alignment;
use iced::widget::{center, column, row};
use plaza_api::session::Language;

use crate::terminal::Preferences;
use crate::theme::{SPACING, TextSize};
use crate::widget::{Arg, Element, Look};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Language(Language),
    ToggleLargeText,
    ToggleHighContrast,
    Continue,
    Back,
}

pub enum Action {
    /// The citizen chose: the whole kiosk speaks and looks this way now.
    Chosen(Preferences),
    Continue,
    Back,
}

/// The choices so far (the kiosk's defaults until the citizen touches one).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct State {
    preferences: Preferences,
}

impl State {
    pub fn update(&mut self, message: Message) -> Action {
        let preferences = &mut self.preferences;
        match message {
            Message::Language(language) => preferences.language = language,
            Message::ToggleLargeText => preferences.large_text = !preferences.large_text,
            Message::ToggleHighContrast => {
                preferences.high_contrast = !preferences.high_contrast;
            }
            Message::Continue => return Action::Continue,
            Message::Back => return Action::Back,
        }
        Action::Chosen(self.preferences)
    }

    pub fn view<'a>(&self, look: Look<'a>) -> Element<'a, Message> {
        let toggle = |id: &str, on: bool, message: Message| {
            let option = look.t(id);
            let state = if on { "option-on" } else { "option-off" };
            let label = look.t_with(state, &[("option", Arg::from(option))]);
            let button = look.button_raw(label, message);
            if on {
                button
            } else {
                button.style(iced::widget::button::secondary)
            }
        };
        let preferences = self.preferences;
        let language = |id: &str, language: Language| {
            let button = look.button(id, Message::Language(language));
            if preferences.language == language {
                button
            } else {
                button.style(iced::widget::button::secondary)
            }
        };
        center(
            column![
                look.text("welcome-title", TextSize::Heading),
                row![
                    language("language-es", Language::Es),
                    language("language-en", Language::En)
                ]
                .spacing(SPACING),
                look.text("accessibility-title", TextSize::Heading),
                row![
                    toggle(
                        "large-text",
                        preferences.large_text,
                        Message::ToggleLargeText
                    ),
                    toggle(
                        "high-contrast",
                        preferences.high_contrast,
                        Message::ToggleHighContrast
                    ),
                ]
                .spacing(SPACING),
                row![
                    look.quiet_button("back", Message::Back),
                    look.button("continue", Message::Continue)
                ]
                .spacing(SPACING),
            ]
            .spacing(SPACING * 1.5)
            .align_x(Alignment::Center),
        )
        .into()
    }
}
