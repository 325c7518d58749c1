//! The honest page for a section this kiosk does not have yet.

use iced::Alignment;
use iced::widget::{center, column, container};
use plaza_api::session::Section;

use crate::screen::home::label_id;
use crate::theme::{SPACING, TextSize};
use crate::widget::{Element, Look};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Back,
}

pub fn view(look: Look<'_>, section: Section) -> Element<'_, Message> {
    center(
        column![
            look.text(label_id(section), TextSize::Heading),
            look.text("coming-soon", TextSize::Body),
            container(look.text("coming-soon-body", TextSize::Body)).max_width(700),
            look.button("back", Message::Back),
        ]
        .spacing(SPACING * 1.5)
        .align_x(Alignment::Center),
    )
    .into()
}
