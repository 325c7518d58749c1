//! The attract screen: free for the next citizen, touch anywhere to start.

use iced::widget::{button, center, column, container, mouse_area, right, space};
use iced::{Alignment, Length};

use crate::theme::TextSize;
use crate::widget::{Element, Look};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Start,
    Staff,
}

pub enum Action {
    Start,
    OpenStaffPin,
}

/// Nothing is kept: the screen is the same for everyone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct State;

impl State {
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Start => Action::Start,
            Message::Staff => Action::OpenStaffPin,
        }
    }

    /// `centre` is the access centre's name when known; `just_ended` says the
    /// previous session was wiped (shown once, carries nothing personal).
    pub fn view<'a>(
        &self,
        look: Look<'a>,
        centre: Option<&str>,
        just_ended: bool,
    ) -> Element<'a, Message> {
        let mut content = column![
            look.text("attract-title", TextSize::Title),
            look.text("attract-subtitle", TextSize::Heading),
        ]
        .spacing(24)
        .align_x(Alignment::Center);
        if let Some(centre) = centre {
            content = content.push(look.raw(centre.to_owned(), TextSize::Body));
        }
        content = content.push(look.button("attract-start", Message::Start));
        if just_ended {
            content = content.push(look.text("attract-ended", TextSize::Body));
        }
        let staff = right(
            button(look.text("staff", TextSize::Small))
                .padding(14)
                .style(button::text)
                .on_press(Message::Staff),
        );
        let page = column![staff, center(content), space().height(48)];
        mouse_area(container(page).width(Length::Fill).height(Length::Fill))
            .on_press(Message::Start)
            .into()
    }
}
