//! The supervisor's maintenance menu: diagnostics, re-enrolment, exit.

use iced::Length;
use iced::widget::{column, row, scrollable, text_input};
use jiff::Timestamp;
use uuid::Uuid;

use crate::theme::{self, SPACING, TextSize};
use crate::widget::{Arg, Element, Look};

pub const CODE_ID: &str = "enrolment-code";

/// What the menu shows about the kiosk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    pub manager_url: String,
    pub kiosk_id: Option<Uuid>,
    pub centre: Option<String>,
    pub outbox_len: u64,
    pub dead_letters: u64,
    /// The content version of the catalogue copy (0: never synced).
    pub catalogue_version: u64,
    pub last_sync: Option<Timestamp>,
    pub version: &'static str,
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    code: String,
    /// Result of the last enrolment attempt, as shown to staff.
    pub enrolment: Option<Result<String, String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Code(String),
    Enrol,
    Exit,
    Close,
}

pub enum Action {
    None,
    Enrol(String),
    Exit,
    Close,
}

impl State {
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Code(code) => {
                self.code = code;
                Action::None
            }
            Message::Enrol if !self.code.trim().is_empty() => {
                Action::Enrol(self.code.trim().to_owned())
            }
            Message::Enrol => Action::None,
            Message::Exit => Action::Exit,
            Message::Close => Action::Close,
        }
    }

    pub fn view<'a>(&'a self, look: Look<'a>, diagnostics: &Diagnostics) -> Element<'a, Message> {
        let line =
            |id: &str, args: &[(&str, Arg<'_>)]| look.raw(look.t_with(id, args), TextSize::Body);
        let kiosk = diagnostics
            .kiosk_id
            .map_or_else(|| look.t("diag-not-enrolled"), |id| id.to_string());
        let last_sync = diagnostics.last_sync.map_or_else(
            || look.t("diag-never"),
            |when| {
                when.round(jiff::Unit::Second)
                    .map_or_else(|_| when.to_string(), |when| when.to_string())
            },
        );
        let mut content = column![
            look.text("maintenance-title", TextSize::Heading),
            line(
                "diag-catalogue",
                &[("version", Arg::from(diagnostics.catalogue_version))]
            ),
            line(
                "diag-manager",
                &[("url", Arg::from(diagnostics.manager_url.clone()))]
            ),
            line("diag-kiosk", &[("id", Arg::from(kiosk))]),
            line(
                "diag-outbox",
                &[
                    ("count", Arg::from(diagnostics.outbox_len)),
                    ("dead", Arg::from(diagnostics.dead_letters)),
                ]
            ),
            line("diag-last-sync", &[("when", Arg::from(last_sync))]),
            line(
                "diag-version",
                &[("version", Arg::from(diagnostics.version))]
            ),
        ]
        .spacing(SPACING / 2.0);
        if let Some(centre) = &diagnostics.centre {
            content = content.push(line(
                "maintenance-enrolled",
                &[("centre", Arg::from(centre.clone()))],
            ));
        }
        for problem in &diagnostics.problems {
            content = content.push(line(
                "diag-problem",
                &[("problem", Arg::from(problem.clone()))],
            ));
        }
        content = content.push(
            row![
                text_input(&look.t("maintenance-code-placeholder"), &self.code)
                    .id(CODE_ID)
                    .on_input(Message::Code)
                    .on_submit(Message::Enrol)
                    .size(look.size(TextSize::Body))
                    .padding(14)
                    .style(theme::text_box)
                    .width(320),
                look.button("maintenance-reenrol", Message::Enrol),
            ]
            .spacing(SPACING),
        );
        if let Some(outcome) = &self.enrolment {
            let message = match outcome {
                Ok(centre) => look.t_with(
                    "maintenance-enrolled",
                    &[("centre", Arg::from(centre.clone()))],
                ),
                Err(error) => look.t_with("diag-problem", &[("problem", Arg::from(error.clone()))]),
            };
            content = content.push(look.raw(message, TextSize::Body));
        }
        content = content.push(
            row![
                look.quiet_button("maintenance-close", Message::Close),
                look.button("maintenance-exit", Message::Exit),
            ]
            .spacing(SPACING),
        );
        scrollable(
            content
                .spacing(SPACING)
                .padding(SPACING)
                .width(Length::Fill),
        )
        .into()
    }
}
