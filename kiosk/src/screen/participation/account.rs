//! Sign up or log in: an alias and a PIN, nothing else. The rules the
//! manager enforces are checked here first, so most mistakes are explained
//! in the citizen's language before anything is sent.

use iced::widget::{column, container, row, scrollable, text_input};
use iced::{Alignment, Length};
use plaza_api::participation::limits;

use super::keyboard::{self, Key};
use crate::theme::{SPACING, TextSize};
use crate::widget::{Arg, Element, Look};

pub const ALIAS_ID: &str = "participation-alias";
pub const PIN_ID: &str = "participation-pin";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    #[default]
    SignUp,
    LogIn,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Field {
    #[default]
    Alias,
    Pin,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    pub mode: Mode,
    pub alias: String,
    pub pin: String,
    /// Where the on-screen keyboard types.
    pub field: Field,
    pub shifted: bool,
    /// A locale message id explaining why the form was not sent.
    pub problem: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Mode(Mode),
    Alias(String),
    Pin(String),
    Focus(Field),
    Key(Key),
    Submit,
}

/// What the app does next.
pub enum Action {
    None,
    SignUp { alias: String, pin: String },
    LogIn { alias: String, pin: String },
}

pub(super) fn digits_only(pin: &str) -> String {
    pin.chars()
        .filter(char::is_ascii_digit)
        .take(limits::PIN_MAX)
        .collect()
}

/// The first rule an alias breaks, as a locale message id.
pub fn alias_problem(alias: &str) -> Option<&'static str> {
    let length = alias.chars().count();
    if length < limits::ALIAS_MIN {
        return Some("account-alias-too-short");
    }
    if length > limits::ALIAS_MAX {
        return Some("account-alias-too-long");
    }
    let allowed = |character: char| character.is_alphanumeric() || " ._-".contains(character);
    if !alias.chars().all(allowed) || alias.trim() != alias || alias.contains("  ") {
        return Some("account-alias-characters");
    }
    if !alias.chars().any(char::is_alphabetic) {
        return Some("account-alias-letter");
    }
    None
}

pub fn pin_problem(pin: &str) -> Option<&'static str> {
    let valid = (limits::PIN_MIN..=limits::PIN_MAX).contains(&pin.len())
        && pin.chars().all(|digit| digit.is_ascii_digit());
    (!valid).then_some("account-pin-rules")
}

impl State {
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Mode(mode) => {
                self.mode = mode;
                self.problem = None;
            }
            Message::Alias(alias) => {
                self.alias = alias.chars().take(limits::ALIAS_MAX + 1).collect();
                self.field = Field::Alias;
            }
            Message::Pin(pin) => {
                self.pin = digits_only(&pin);
                self.field = Field::Pin;
            }
            Message::Focus(field) => self.field = field,
            Message::Key(Key::Shift) => self.shifted = !self.shifted,
            Message::Key(Key::Enter) => return self.submit(),
            Message::Key(key) => {
                match self.field {
                    Field::Alias => keyboard::type_into(&mut self.alias, key, self.shifted),
                    Field::Pin => {
                        keyboard::type_into(&mut self.pin, key, false);
                        self.pin = digits_only(&self.pin);
                    }
                }
                self.shifted = false;
            }
            Message::Submit => return self.submit(),
        }
        Action::None
    }

    fn submit(&mut self) -> Action {
        let alias = self.alias.trim().to_owned();
        // Logging in only needs something to look up; the manager answers.
        let problem = match self.mode {
            Mode::SignUp => alias_problem(&alias).or_else(|| pin_problem(&self.pin)),
            Mode::LogIn if alias.is_empty() => Some("account-alias-too-short"),
            Mode::LogIn => pin_problem(&self.pin),
        };
        self.problem = problem.map(str::to_owned);
        if problem.is_some() {
            return Action::None;
        }
        let pin = std::mem::take(&mut self.pin);
        match self.mode {
            Mode::SignUp => Action::SignUp { alias, pin },
            Mode::LogIn => Action::LogIn { alias, pin },
        }
    }

    pub fn view<'a>(&'a self, look: Look<'a>, on_screen_keyboard: bool) -> Element<'a, Message> {
        let tab = |mode: Mode, id: &str| {
            let button = look.button(id, Message::Mode(mode));
            if self.mode == mode {
                button
            } else {
                button.style(iced::widget::button::secondary)
            }
        };
        let label = |field: Field, id: &str| -> Element<'a, Message> {
            if on_screen_keyboard {
                let button = look.button(id, Message::Focus(field));
                if self.field == field {
                    button.into()
                } else {
                    button.style(iced::widget::button::secondary).into()
                }
            } else {
                look.text(id, TextSize::Body).into()
            }
        };
        let (title, submit) = match self.mode {
            Mode::SignUp => ("account-sign-up-title", "account-create"),
            Mode::LogIn => ("account-log-in-title", "account-enter"),
        };
        let alias = text_input(&look.t("account-alias-placeholder"), &self.alias)
            .id(ALIAS_ID)
            .on_input(Message::Alias)
            .on_submit(Message::Submit)
            .size(look.size(TextSize::Body))
            .padding(14)
            .width(Length::Fixed(420.0));
        let pin = text_input(&look.t("account-pin-placeholder"), &self.pin)
            .id(PIN_ID)
            .secure(true)
            .on_input(Message::Pin)
            .on_submit(Message::Submit)
            .size(look.size(TextSize::Body))
            .padding(14)
            .width(Length::Fixed(300.0));
        // The submit button stays near the top: with the on-screen keyboard
        // below, the form has little room.
        let mut form = column![
            row![
                tab(Mode::SignUp, "account-tab-sign-up"),
                tab(Mode::LogIn, "account-tab-log-in")
            ]
            .spacing(SPACING),
        ]
        .spacing(SPACING / 2.0);
        if !on_screen_keyboard {
            form = form.push(look.text(title, TextSize::Heading));
        }
        form = form
            .push(
                row![label(Field::Alias, "account-alias"), alias]
                    .spacing(SPACING)
                    .align_y(Alignment::Center),
            )
            .push(
                row![
                    label(Field::Pin, "account-pin"),
                    pin,
                    look.button(submit, Message::Submit)
                ]
                .spacing(SPACING)
                .align_y(Alignment::Center),
            );
        if let Some(problem) = &self.problem {
            form = form.push(look.text(problem, TextSize::Body));
        }
        if self.mode == Mode::SignUp {
            form = form.push(look.raw(
                look.t_with(
                    "account-rules",
                    &[
                        ("alias_min", Arg::from(limits::ALIAS_MIN)),
                        ("alias_max", Arg::from(limits::ALIAS_MAX)),
                        ("pin_min", Arg::from(limits::PIN_MIN)),
                        ("pin_max", Arg::from(limits::PIN_MAX)),
                    ],
                ),
                TextSize::Small,
            ));
        }
        form = form.push(look.text("account-privacy", TextSize::Small));
        let form = scrollable(container(form).max_width(1000)).height(Length::Fill);
        keyboard::below(form, look, on_screen_keyboard, self.shifted, Message::Key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manager_rules_are_checked_before_sending() {
        assert_eq!(alias_problem("ab"), Some("account-alias-too-short"));
        assert_eq!(
            alias_problem(&"a".repeat(25)),
            Some("account-alias-too-long")
        );
        assert_eq!(alias_problem("ana<3"), Some("account-alias-characters"));
        assert_eq!(alias_problem("1234"), Some("account-alias-letter"));
        assert_eq!(alias_problem("Ana Peña_2"), None);
        assert_eq!(pin_problem("123"), Some("account-pin-rules"));
        assert_eq!(pin_problem("123456789"), Some("account-pin-rules"));
        assert_eq!(pin_problem("2580"), None);
    }

    #[test]
    fn a_form_with_a_bad_pin_is_not_sent_and_says_why() {
        let mut form = State::default();
        let _ = form.update(Message::Alias("Vecina".to_owned()));
        let _ = form.update(Message::Pin("12".to_owned()));
        assert!(matches!(form.update(Message::Submit), Action::None));
        assert_eq!(form.problem.as_deref(), Some("account-pin-rules"));
        let _ = form.update(Message::Pin("1a2b3c4".to_owned()));
        assert_eq!(form.pin, "1234");
        assert!(matches!(
            form.update(Message::Submit),
            Action::SignUp { .. }
        ));
        assert!(form.pin.is_empty(), "the PIN is not kept after sending");
    }
}
