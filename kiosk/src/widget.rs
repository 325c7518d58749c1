//! Widget helpers shared by the screens: the `Element` alias, localised
//! text at the session's size, and the big buttons.

use iced::widget::{Button, Text, button, container, text};
use iced::{Length, alignment};

use crate::i18n::Locales;
use crate::terminal::Preferences;
#[cfg(doc)]
use crate::theme::MIN_TARGET;
use crate::theme::{BUTTON_PADDING, TextSize, text_size};
use plaza_api::session::Language;

pub type Element<'a, Message> = iced::Element<'a, Message>;

pub use fluent_bundle::FluentValue as Arg;

/// What every view needs: the locales and the citizen's choices.
#[derive(Debug, Clone, Copy)]
pub struct Look<'a> {
    pub locales: &'a Locales,
    pub preferences: Preferences,
}

impl<'a> Look<'a> {
    pub fn language(&self) -> Language {
        self.preferences.language
    }

    pub fn t(&self, id: &str) -> String {
        self.locales.text(self.preferences.language, id)
    }

    pub fn t_with(&self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        self.locales.text_with(self.preferences.language, id, args)
    }

    pub fn size(&self, role: TextSize) -> f32 {
        text_size(&self.preferences, role)
    }

    /// A localised text of the given role.
    pub fn text(&self, id: &str, role: TextSize) -> Text<'a> {
        text(self.t(id)).size(self.size(role))
    }

    pub fn raw(&self, content: String, role: TextSize) -> Text<'a> {
        text(content).size(self.size(role))
    }

    /// A button labelled with a locale message; body text plus padding keeps
    /// it above [`MIN_TARGET`] (a test measures it).
    pub fn button<Message: Clone + 'a>(&self, id: &str, message: Message) -> Button<'a, Message> {
        self.button_raw(self.t(id), message)
    }

    pub fn button_raw<Message: Clone + 'a>(
        &self,
        label: String,
        message: Message,
    ) -> Button<'a, Message> {
        button(
            container(text(label).size(self.size(TextSize::Body)))
                .center_y(Length::Shrink)
                .align_x(alignment::Horizontal::Center),
        )
        .padding(BUTTON_PADDING)
        .height(Length::Shrink)
        .width(Length::Shrink)
        .on_press(message)
        .style(button::primary)
    }

    /// A secondary (less prominent) button.
    pub fn quiet_button<Message: Clone + 'a>(
        &self,
        id: &str,
        message: Message,
    ) -> Button<'a, Message> {
        self.button(id, message).style(button::secondary)
    }
}
