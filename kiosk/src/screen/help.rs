//! Help: how the kiosk works, and a box to practise typing (many citizens
//! here use a keyboard for the first time). What is typed is session data:
//! it is wiped with everything else when the session ends.

use iced::Length;
use iced::widget::{column, container, text_input};

use crate::theme::{self, SPACING, TextSize};
use crate::widget::{Element, Look};

/// The practice box, for focus and for tests.
pub const PRACTICE_ID: &str = "help-practice";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    practice: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Practice(String),
    /// Live help with the centre's staff (`screen::help_chat`).
    OpenChat,
    Back,
}

pub enum Action {
    None,
    Back,
    OpenChat,
}

impl State {
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Practice(text) => {
                self.practice = text;
                Action::None
            }
            Message::OpenChat => Action::OpenChat,
            Message::Back => Action::Back,
        }
    }

    pub fn view<'a>(&'a self, look: Look<'a>) -> Element<'a, Message> {
        column![
            look.text("help-title", TextSize::Heading),
            container(look.text("help-body", TextSize::Body)).max_width(860),
            look.button("help-chat-open", Message::OpenChat),
            look.text("help-practice-title", TextSize::Body),
            text_input(&look.t("help-practice-placeholder"), &self.practice)
                .id(PRACTICE_ID)
                .on_input(Message::Practice)
                .size(look.size(TextSize::Body))
                .padding(14)
                .style(theme::text_box)
                .width(Length::Fill),
            look.button("back", Message::Back),
        ]
        .spacing(SPACING)
        .padding(SPACING)
        .into()
    }
}
