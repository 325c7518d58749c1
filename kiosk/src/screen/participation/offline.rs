//! Without the manager there are no forums or communities: said plainly,
//! with the sections that work offline one touch away.

use iced::Alignment;
use iced::widget::{column, container, row};
use plaza_api::session::Section;

use super::Message;
use crate::screen::home::label_id;
use crate::theme::{SPACING, TextSize};
use crate::widget::{Element, Look};

/// Sections that work without the manager.
pub const OFFLINE_SECTIONS: [Section; 3] =
    [Section::Procedures, Section::Tenders, Section::Networks];

pub fn view(look: Look<'_>, section: Section) -> Element<'_, Message> {
    let body = match section {
        Section::Communities => "forums-offline-communities-body",
        Section::HaveASay => "say-offline-body",
        _ => "forums-offline-forums-body",
    };
    let sections = row(OFFLINE_SECTIONS.iter().map(|section| {
        look.button(label_id(*section), Message::OpenSection(*section))
            .into()
    }))
    .spacing(SPACING)
    .wrap();
    column![
        look.text("forums-offline-title", TextSize::Heading),
        container(look.text(body, TextSize::Body)).max_width(860),
        look.text("forums-offline-meanwhile", TextSize::Body),
        sections,
        look.quiet_button("forums-offline-retry", Message::Retry),
    ]
    .spacing(SPACING * 1.5)
    .align_x(Alignment::Start)
    .into()
}
