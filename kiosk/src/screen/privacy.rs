//! The short privacy notice.

use iced::Alignment;
use iced::widget::{center, column, container};

use crate::theme::{SPACING, TextSize};
use crate::widget::{Element, Look};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Accept,
}

pub enum Action {
    Accept,
}

/// Nothing is kept: the notice is the same for everyone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct State;

impl State {
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Accept => Action::Accept,
        }
    }

    pub fn view<'a>(&self, look: Look<'a>) -> Element<'a, Message> {
        center(
            column![
                look.text("privacy-title", TextSize::Heading),
                container(look.text("privacy-body", TextSize::Body)).max_width(760),
                look.button("privacy-accept", Message::Accept),
            ]
            .spacing(SPACING * 1.5)
            .align_x(Alignment::Center),
        )
        .into()
    }
}
