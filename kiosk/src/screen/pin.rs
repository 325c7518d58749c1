//! Supervisor PIN entry, before the maintenance menu.

use iced::Alignment;
use iced::widget::{center, column, row, text_input};

use crate::theme::{self, SPACING, TextSize};
use crate::widget::{Element, Look};

pub const PIN_ID: &str = "staff-pin";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    pin: String,
    wrong: bool,
    /// Why the menu cannot be opened at all (a broken config file).
    refused: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Input(String),
    Submit,
    Cancel,
}

pub enum Action {
    None,
    /// Check this PIN.
    Verify(String),
    Cancel,
}

impl State {
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Input(pin) => {
                self.pin = pin.chars().filter(char::is_ascii_digit).take(12).collect();
                Action::None
            }
            Message::Submit if self.refused.is_some() => Action::None,
            Message::Submit => Action::Verify(std::mem::take(&mut self.pin)),
            Message::Cancel => Action::Cancel,
        }
    }

    /// The PIN screen, or only `refused` and "Cancel" when it is set.
    pub fn refusing(refused: Option<String>) -> Self {
        Self {
            refused,
            ..Self::default()
        }
    }

    pub fn rejected(&mut self) {
        self.wrong = true;
    }

    pub fn view<'a>(&'a self, look: Look<'a>) -> Element<'a, Message> {
        if let Some(refused) = &self.refused {
            return center(
                column![
                    look.text("pin-title", TextSize::Heading),
                    look.raw(refused.clone(), TextSize::Body),
                    look.quiet_button("cancel", Message::Cancel),
                ]
                .spacing(SPACING)
                .align_x(Alignment::Center),
            )
            .into();
        }
        let mut content = column![
            look.text("pin-title", TextSize::Heading),
            text_input(&look.t("pin-placeholder"), &self.pin)
                .id(PIN_ID)
                .secure(true)
                .on_input(Message::Input)
                .on_submit(Message::Submit)
                .size(look.size(TextSize::Heading))
                .padding(14)
                .style(theme::text_box)
                .width(240),
        ]
        .spacing(SPACING)
        .align_x(Alignment::Center);
        if self.wrong {
            content = content.push(look.text("pin-wrong", TextSize::Body));
        }
        content = content.push(
            row![
                look.quiet_button("cancel", Message::Cancel),
                look.button("pin-enter", Message::Submit)
            ]
            .spacing(SPACING),
        );
        center(content).into()
    }
}
