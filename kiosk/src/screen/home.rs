//! Home: one large tile per section.

use iced::widget::{button, column, container, row};
use iced::{Alignment, Length};
use plaza_api::session::Section;

use crate::theme::{SPACING, TextSize};
use crate::widget::{Element, Look};

/// The tiles, in reading order (rows of four).
pub const SECTIONS: [Section; 9] = [
    Section::Internet,
    Section::Procedures,
    Section::Tenders,
    Section::Networks,
    Section::Forums,
    Section::Communities,
    Section::Requests,
    Section::HaveASay,
    Section::Help,
];

pub fn label_id(section: Section) -> &'static str {
    match section {
        Section::Procedures => "section-procedures",
        Section::Tenders => "section-tenders",
        Section::Networks => "section-networks",
        Section::Forums => "section-forums",
        Section::Communities => "section-communities",
        Section::Requests => "section-requests",
        Section::HaveASay => "section-have-a-say",
        Section::Internet => "section-internet",
        Section::Help => "section-help",
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Open(Section),
}

pub enum Action {
    Open(Section),
}

/// Nothing is kept: the tiles are the same for everyone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct State;

impl State {
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Open(section) => Action::Open(section),
        }
    }

    pub fn view<'a>(&self, look: Look<'a>) -> Element<'a, Message> {
        let rows = SECTIONS.chunks(4).map(|chunk| {
            row(chunk.iter().map(|section| tile(look, *section)))
                .spacing(SPACING)
                .height(Length::Fill)
                .into()
        });
        column![
            look.text("home-title", TextSize::Heading),
            column(rows).spacing(SPACING).height(Length::Fill),
        ]
        .spacing(SPACING)
        .padding(SPACING)
        .into()
    }
}

fn tile<'a>(look: Look<'a>, section: Section) -> Element<'a, Message> {
    let label = column![look.text(label_id(section), TextSize::Heading)]
        .spacing(6)
        .align_x(Alignment::Center);
    button(container(label).center(Length::Fill))
        .width(Length::Fill)
        .height(Length::Fill)
        .padding(SPACING)
        .style(button::primary)
        .on_press(Message::Open(section))
        .into()
}
