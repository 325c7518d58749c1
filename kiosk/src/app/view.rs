//! The frame around every screen: the countdown bar, the offline mark, and
//! what is shown over the screen (time warnings, "are you still there?",
//! supervisor messages, the locked screen).

use iced::widget::{center, column, container, opaque, row, space, stack};
use iced::{Alignment, Length};

use super::{Kiosk, Message, PromptMessage, Screen, Staff};
use crate::screen::{attract, participation, requests};
use crate::session::{Prompt, Session};
use crate::theme::{SPACING, TextSize, muted};
use crate::widget::{Arg, Element, Look};

/// What is shown over the screen, most pressing first.
enum Shown<'a> {
    StillThere { left: u64 },
    TimeRunningOut { minutes: u8, can_extend: bool },
    Notice(&'a str),
}

impl Kiosk {
    pub fn view(&self) -> Element<'_, Message> {
        let look = self.look();
        if let Some(staff) = &self.staff {
            return match staff {
                Staff::Pin(state) => state.view(look).map(Message::Pin),
                Staff::Maintenance(state) => state
                    .view(look, &self.diagnostics())
                    .map(Message::Maintenance),
            };
        }
        if let Some(state) = &self.enrolment {
            return state.view(look).map(Message::Enrolment);
        }
        if self.locked_reason.is_some() {
            return self.locked(look);
        }
        let page: Element<'_, Message> = match &self.citizen.screen {
            Screen::Attract(state) => {
                let centre = self
                    .profile
                    .as_ref()
                    .map(|profile| profile.centre.as_str())
                    .or(self
                        .credentials
                        .as_ref()
                        .map(|credentials| credentials.centre.as_str()));
                state
                    .view(look, centre, self.just_ended)
                    .map(Message::Attract)
            }
            Screen::Welcome(state) => state.view(look).map(Message::Welcome),
            Screen::Privacy(state) => state.view(look).map(Message::Privacy),
            Screen::Survey(state) => {
                let neighbourhoods = self
                    .profile
                    .as_ref()
                    .map_or(&[][..], |profile| profile.neighbourhoods.as_slice());
                state.view(look, neighbourhoods).map(Message::Survey)
            }
            Screen::Home(state) => state.view(look).map(Message::Home),
            Screen::Help(state) => state.view(look).map(Message::Help),
            Screen::HelpChat => self.citizen.help_chat.view(look).map(Message::HelpChat),
            Screen::Catalogue(state) => state
                .view(look, self.now, &self.zone)
                .map(Message::Catalogue),
            Screen::Participation => self
                .citizen
                .participation
                .view(
                    look,
                    &participation::Frame {
                        on_screen_keyboard: self.config.input.on_screen_keyboard,
                        now: self.now,
                    },
                )
                .map(Message::Participation),
            Screen::Requests(state) => state
                .view(
                    look,
                    &requests::Frame {
                        on_screen_keyboard: self.config.input.on_screen_keyboard,
                        logged_in: self.citizen.participation.alias().is_some(),
                        neighbourhoods: self
                            .profile
                            .as_ref()
                            .map_or(&[][..], |profile| profile.neighbourhoods.as_slice()),
                    },
                )
                .map(Message::Requests),
            Screen::Internet(state) => state
                .view(look, self.recommended_sites())
                .map(Message::Internet),
        };
        let framed = match self.terminal.session() {
            Some(_) => column![self.session_bar(look), page].into(),
            None => page,
        };
        let framed = container(framed).width(Length::Fill).height(Length::Fill);
        match self.overlay(look) {
            Some(overlay) => stack![framed, opaque(overlay)].into(),
            None => framed.into(),
        }
    }

    /// The countdown, the offline mark and "end session", on every page.
    fn session_bar<'a>(&'a self, look: Look<'a>) -> Element<'a, Message> {
        let remaining = self
            .terminal
            .session()
            .map_or(0, |session| session.remaining_s(self.now));
        let clock = format!("{}:{:02}", remaining / 60, remaining % 60);
        let mut bar = row![look.raw(
            look.t_with("time-left", &[("time", Arg::from(clock))]),
            TextSize::Heading
        )]
        .spacing(SPACING)
        .align_y(Alignment::Center);
        bar = bar.push(space().width(Length::Fill));
        if self.connect && !self.link.is_online() {
            bar = bar.push(
                look.text("offline", TextSize::Small)
                    .color(muted(&look.preferences)),
            );
        }
        if self.web_parked() {
            bar = bar.push(look.button(
                "internet-resume",
                Message::Internet(crate::screen::internet::Message::Resume),
            ));
        } else if self.web.is_some() {
            bar = bar.push(look.button(
                "internet-back-to-plaza",
                Message::Internet(crate::screen::internet::Message::BackToPlaza),
            ));
        }
        bar = bar.push(look.quiet_button("end-session", Message::EndSession));
        container(bar)
            .padding([8.0, SPACING])
            .width(Length::Fill)
            .into()
    }

    /// The prompt over the screen, if any: one place decides, for the
    /// drawing (`overlay`) and for the browser kept behind it.
    fn shown_prompt(&self) -> Option<Shown<'_>> {
        let session = self.terminal.session();
        if let Some(left) = session.and_then(|session| session.still_there_left_s(self.now)) {
            return Some(Shown::StillThere { left });
        }
        if let Some(Prompt::TimeRunningOut { minutes }) = session.and_then(Session::prompt) {
            return Some(Shown::TimeRunningOut {
                minutes,
                can_extend: session.is_some_and(Session::can_extend),
            });
        }
        self.citizen.notice.as_deref().map(Shown::Notice)
    }

    /// Whether a prompt is shown over the screen.
    pub(super) fn prompt_shown(&self) -> bool {
        self.shown_prompt().is_some()
    }

    fn overlay<'a>(&'a self, look: Look<'a>) -> Option<Element<'a, Message>> {
        let dialog = |content: iced::widget::Column<'a, Message>| -> Element<'a, Message> {
            center(
                container(content.spacing(SPACING).align_x(Alignment::Center))
                    .padding(SPACING * 2.0)
                    .max_width(720)
                    .style(container::bordered_box),
            )
            .style(|theme: &iced::Theme| container::Style {
                background: Some(
                    iced::Color {
                        a: 0.6,
                        ..iced::Color::BLACK
                    }
                    .into(),
                ),
                ..container::transparent(theme)
            })
            .into()
        };
        Some(match self.shown_prompt()? {
            Shown::StillThere { left } => dialog(column![
                look.text("still-there-title", TextSize::Heading),
                look.raw(
                    look.t_with("still-there-body", &[("seconds", Arg::from(left))]),
                    TextSize::Body
                ),
                look.button("still-here", Message::Prompt(PromptMessage::StillHere)),
            ]),
            Shown::TimeRunningOut {
                minutes,
                can_extend,
            } => {
                let mut buttons = row![
                    look.quiet_button("keep-going", Message::Prompt(PromptMessage::KeepGoing))
                ]
                .spacing(SPACING);
                if can_extend {
                    buttons = buttons
                        .push(look.button("more-time", Message::Prompt(PromptMessage::MoreTime)));
                }
                dialog(column![
                    look.raw(
                        look.t_with("warning-title", &[("minutes", Arg::from(minutes))]),
                        TextSize::Heading
                    ),
                    look.text("warning-body", TextSize::Body),
                    buttons,
                ])
            }
            Shown::Notice(notice) => dialog(column![
                look.text("supervisor-message-title", TextSize::Heading),
                look.raw(notice.to_owned(), TextSize::Body),
                look.button("ok", Message::Prompt(PromptMessage::DismissNotice)),
            ]),
        })
    }

    fn locked<'a>(&'a self, look: Look<'a>) -> Element<'a, Message> {
        let mut content = column![
            look.text("locked-title", TextSize::Title),
            look.text("locked-body", TextSize::Body),
        ]
        .spacing(SPACING)
        .align_x(Alignment::Center);
        if let Some(reason) = self
            .locked_reason
            .as_ref()
            .filter(|reason| !reason.is_empty())
        {
            content = content.push(look.raw(reason.clone(), TextSize::Body));
        }
        content = content.push(
            iced::widget::button(look.text("staff", TextSize::Small))
                .padding(14)
                .style(iced::widget::button::text)
                .on_press(Message::Attract(attract::Message::Staff)),
        );
        center(content).into()
    }
}
