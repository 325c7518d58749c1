//! "Delete my account": the citizen confirms with their PIN and chooses
//! what becomes of what they wrote. Nothing is sent until both are given.

use iced::widget::{column, container, row, scrollable, text_input};
use iced::{Alignment, Length};
use plaza_api::participation::accounts::ErasedPosts;

use super::account::{digits_only as digits, pin_problem};
use super::keyboard::{self, Key};
use crate::theme::{SPACING, TextSize};
use crate::widget::{Element, Look};

pub const PIN_ID: &str = "erase-pin";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    pub posts: Option<ErasedPosts>,
    pub pin: String,
    /// A locale message id explaining why nothing was sent.
    pub problem: Option<String>,
    /// The manager's refusal, already in the citizen's words.
    pub refusal: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Posts(ErasedPosts),
    Pin(String),
    Key(Key),
    Submit,
}

/// What the section does next.
pub enum Action {
    None,
    Erase { pin: String, posts: ErasedPosts },
}

impl State {
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Posts(posts) => {
                self.posts = Some(posts);
                self.problem = None;
            }
            Message::Pin(pin) => self.pin = digits(&pin),
            Message::Key(Key::Enter) | Message::Submit => return self.submit(),
            Message::Key(key) => {
                keyboard::type_into(&mut self.pin, key, false);
                self.pin = digits(&self.pin);
            }
        }
        Action::None
    }

    fn submit(&mut self) -> Action {
        let Some(posts) = self.posts else {
            self.problem = Some("erase-choose".to_owned());
            return Action::None;
        };
        if let Some(problem) = pin_problem(&self.pin) {
            self.problem = Some(problem.to_owned());
            return Action::None;
        }
        self.problem = None;
        self.refusal = None;
        Action::Erase {
            pin: std::mem::take(&mut self.pin),
            posts,
        }
    }

    /// The PIN was wrong, or the manager refused: ask again.
    pub fn refused(&mut self, explained: String) {
        self.pin.clear();
        self.refusal = Some(explained);
    }

    pub fn view<'a>(&'a self, look: Look<'a>, on_screen_keyboard: bool) -> Element<'a, Message> {
        let choice = |posts: ErasedPosts, id: &str| {
            let button = look.button(id, Message::Posts(posts));
            if self.posts == Some(posts) {
                button
            } else {
                button.style(iced::widget::button::secondary)
            }
        };
        let pin = text_input(&look.t("account-pin-placeholder"), &self.pin)
            .id(PIN_ID)
            .secure(true)
            .on_input(Message::Pin)
            .on_submit(Message::Submit)
            .size(look.size(TextSize::Body))
            .padding(14)
            .width(Length::Fixed(300.0));
        let mut form = column![
            look.text("erase-title", TextSize::Heading),
            look.text("erase-what-goes", TextSize::Body),
            look.text("erase-posts-question", TextSize::Body),
            row![
                choice(ErasedPosts::Anonymise, "erase-keep-unsigned"),
                choice(ErasedPosts::Remove, "erase-remove-posts"),
            ]
            .spacing(SPACING),
            row![
                look.text("account-pin", TextSize::Body),
                pin,
                look.button("erase-confirm", Message::Submit)
                    .style(iced::widget::button::danger),
            ]
            .spacing(SPACING)
            .align_y(Alignment::Center),
        ]
        .spacing(SPACING / 2.0);
        if let Some(problem) = &self.problem {
            form = form.push(look.text(problem, TextSize::Body));
        }
        if let Some(refusal) = &self.refusal {
            form = form.push(look.raw(refusal.clone(), TextSize::Body));
        }
        let form = scrollable(container(form).max_width(1000)).height(Length::Fill);
        keyboard::below(form, look, on_screen_keyboard, false, Message::Key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_sent_without_a_choice_and_a_valid_pin() {
        let mut form = State::default();
        let _ = form.update(Message::Pin("4821".to_owned()));
        assert!(matches!(form.update(Message::Submit), Action::None));
        assert_eq!(form.problem.as_deref(), Some("erase-choose"));
        let _ = form.update(Message::Posts(ErasedPosts::Remove));
        let _ = form.update(Message::Pin("12".to_owned()));
        assert!(matches!(form.update(Message::Submit), Action::None));
        assert_eq!(form.problem.as_deref(), Some("account-pin-rules"));
        let _ = form.update(Message::Pin("48a21".to_owned()));
        let Action::Erase { pin, posts } = form.update(Message::Submit) else {
            panic!("a choice and a valid PIN are sent");
        };
        assert_eq!((pin.as_str(), posts), ("4821", ErasedPosts::Remove));
        assert!(form.pin.is_empty(), "the PIN is not kept after sending");
    }
}
