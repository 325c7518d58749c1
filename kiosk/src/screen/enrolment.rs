//! First start: a kiosk with no credentials asks staff for a one-time
//! enrolment code (from the dashboard or `plaza-manager kiosk enroll`) and
//! the manager's address, prefilled from the config. Typed with the
//! on-screen keyboard (a new kiosk may have no other) or a real one. A
//! refused code or an unreachable manager is explained and what was typed
//! is kept; on success the app saves the credentials as `--enroll` does.

use std::time::Duration;

use iced::widget::{button, center, column, container, row, text_input};
use iced::{Alignment, Length, Task};
use plaza_api::enrol::EnrolResponse;
use plaza_client::{ClientError, ManagerClient};

use super::participation::keyboard::{self, Key};
use crate::theme::{self, SPACING, TextSize};
use crate::widget::{Element, Look};

pub const CODE_ID: &str = "first-enrolment-code";
pub const URL_ID: &str = "first-enrolment-url";

/// Keys a URL needs that the citizens' keyboard has no room for.
const URL_KEYS: [char; 5] = [':', '/', '-', '_', '@'];

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Field {
    #[default]
    Code,
    Url,
}

/// Why the last attempt failed, as a locale message id (and the detail).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub id: &'static str,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    pub code: String,
    pub url: String,
    pub field: Field,
    pub shifted: bool,
    /// A request is on its way.
    pub sending: bool,
    pub problem: Option<Problem>,
}

#[derive(Debug, Clone)]
pub enum Message {
    Code(String),
    Url(String),
    Focus(Field),
    Key(Key),
    Submit,
    Done(String, Result<EnrolResponse, ClientError>),
}

pub enum Action {
    None,
    Run(Task<Message>),
    /// Enrolled at `url`: the app saves the credentials and starts.
    Enrolled {
        url: String,
        enrolled: EnrolResponse,
    },
}

/// The explanation for staff of a failed enrolment.
pub fn explain(error: &ClientError) -> Problem {
    let id = match error.code() {
        Some("enrolment_code_unknown") => "enrol-code-unknown",
        Some("enrolment_code_used") => "enrol-code-used",
        Some("enrolment_code_expired") => "enrol-code-expired",
        Some("invalid") => "enrol-code-malformed",
        _ if error.is_retryable() => "enrol-unreachable",
        _ => "enrol-failed",
    };
    Problem {
        id,
        detail: (id == "enrol-failed" || id == "enrol-unreachable").then(|| error.to_string()),
    }
}

impl State {
    pub fn new(manager_url: &str) -> Self {
        Self {
            url: manager_url.to_owned(),
            ..Self::default()
        }
    }

    /// `timeout`: how long the manager is waited for.
    pub fn update(&mut self, message: Message, timeout: Duration) -> Action {
        match message {
            Message::Code(code) => {
                self.code = code;
                self.field = Field::Code;
            }
            Message::Url(url) => {
                self.url = url;
                self.field = Field::Url;
            }
            Message::Focus(field) => self.field = field,
            Message::Key(Key::Shift) => self.shifted = !self.shifted,
            Message::Key(Key::Enter) | Message::Submit => return self.submit(timeout),
            Message::Key(key) => {
                let field = match self.field {
                    Field::Code => &mut self.code,
                    Field::Url => &mut self.url,
                };
                keyboard::type_into(field, key, self.shifted);
                self.shifted = false;
            }
            Message::Done(url, result) => {
                self.sending = false;
                match result {
                    Ok(enrolled) => return Action::Enrolled { url, enrolled },
                    Err(error) => {
                        tracing::warn!(%error, %url, "enrolment from the screen failed");
                        self.problem = Some(explain(&error));
                    }
                }
            }
        }
        Action::None
    }

    fn submit(&mut self, timeout: Duration) -> Action {
        let code = self.code.trim().to_owned();
        let url = self.url.trim().to_owned();
        if self.sending {
            return Action::None;
        }
        if code.is_empty() {
            self.problem = Some(Problem {
                id: "enrol-code-missing",
                detail: None,
            });
            return Action::None;
        }
        let client = match ManagerClient::new(&url, timeout) {
            Ok(client) => client,
            Err(error) => {
                self.problem = Some(Problem {
                    id: "enrol-bad-url",
                    detail: Some(error.to_string()),
                });
                return Action::None;
            }
        };
        self.sending = true;
        self.problem = None;
        let hostname = crate::link::hostname();
        Action::Run(Task::perform(
            async move {
                let result = client.enrol(&code, &hostname).await;
                (url, result)
            },
            |(url, result)| Message::Done(url, result),
        ))
    }

    pub fn view<'a>(&'a self, look: Look<'a>) -> Element<'a, Message> {
        let label = |field: Field, id: &str| -> Element<'a, Message> {
            let button = look.button(id, Message::Focus(field));
            if self.field == field {
                button.into()
            } else {
                button.style(iced::widget::button::secondary).into()
            }
        };
        let code = text_input(&look.t("enrol-code-placeholder"), &self.code)
            .id(CODE_ID)
            .on_input(Message::Code)
            .on_submit(Message::Submit)
            .size(look.size(TextSize::Heading))
            .padding(14)
            .style(theme::text_box)
            .width(Length::Fixed(420.0));
        let url = text_input("https://", &self.url)
            .id(URL_ID)
            .on_input(Message::Url)
            .on_submit(Message::Submit)
            .size(look.size(TextSize::Body))
            .padding(14)
            .style(theme::text_box)
            .width(Length::Fixed(560.0));
        let submit = if self.sending {
            look.button("enrol-sending", Message::Submit)
                .style(iced::widget::button::secondary)
        } else {
            look.button("enrol-submit", Message::Submit)
        };
        let mut form = column![
            look.text("enrol-title", TextSize::Heading),
            look.text("enrol-body", TextSize::Body),
            row![label(Field::Code, "enrol-code"), code]
                .spacing(SPACING)
                .align_y(Alignment::Center),
            row![label(Field::Url, "enrol-url"), url]
                .spacing(SPACING)
                .align_y(Alignment::Center),
            submit,
        ]
        .spacing(SPACING / 2.0)
        .align_x(Alignment::Center);
        if let Some(problem) = &self.problem {
            form = form.push(look.text(problem.id, TextSize::Body));
            if let Some(detail) = &problem.detail {
                form = form.push(look.raw(detail.clone(), TextSize::Small));
            }
        }
        let extra = row(URL_KEYS.iter().map(|&character| {
            button(
                container(look.raw(character.to_string(), TextSize::Heading))
                    .center_x(Length::Fill),
            )
            .width(Length::Fill)
            .style(iced::widget::button::secondary)
            .on_press(Message::Key(Key::Char(character)))
            .into()
        }))
        .spacing(SPACING / 4.0)
        .width(Length::Fixed(500.0));
        center(
            column![
                form,
                extra,
                keyboard::view(look, self.shifted).map(Message::Key)
            ]
            .spacing(SPACING / 2.0)
            .align_x(Alignment::Center),
        )
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_screen_keys_type_into_the_chosen_field_and_an_empty_code_is_not_sent() {
        let mut state = State::new("http://127.0.0.1:8080");
        let timeout = Duration::from_secs(1);
        for key in [Key::Shift, Key::Char('k'), Key::Char('7')] {
            let _ = state.update(Message::Key(key), timeout);
        }
        let _ = state.update(Message::Focus(Field::Url), timeout);
        let _ = state.update(Message::Key(Key::Char('/')), timeout);
        assert_eq!(state.code, "K7");
        assert_eq!(state.url, "http://127.0.0.1:8080/");
        let mut empty = State::new("http://127.0.0.1:8080");
        assert!(matches!(
            empty.update(Message::Submit, timeout),
            Action::None
        ));
        assert_eq!(
            empty.problem.map(|problem| problem.id),
            Some("enrol-code-missing")
        );
    }
}
