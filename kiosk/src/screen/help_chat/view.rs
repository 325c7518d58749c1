//! How live help looks: the transcript, the box to write in, and what to
//! do when nobody can answer.

use iced::widget::{column, container, row, scrollable, text_input};
use iced::{Alignment, Length};
use plaza_api::help_chat::MessageAuthor;

use super::{DRAFT_ID, Message, Phase, State};
use crate::theme::{self, SPACING, TextSize, muted};
use crate::widget::{Arg, Element, Look};

impl State {
    pub fn view<'a>(&'a self, look: Look<'a>) -> Element<'a, Message> {
        let mut page = column![look.text("chat-title", TextSize::Heading)]
            .spacing(SPACING)
            .padding(SPACING);
        page = match &self.phase {
            Phase::Checking => page.push(look.text("chat-checking", TextSize::Body)),
            Phase::Offline => page
                .push(look.text("chat-offline", TextSize::Body))
                .push(look.button("chat-retry", Message::Retry)),
            Phase::Unavailable { centre, hours } => page
                .push(look.text("chat-unavailable", TextSize::Body))
                .push(look.raw(
                    look.t_with(
                        "chat-hours",
                        &[
                            ("centre", Arg::from(centre.as_str())),
                            ("hours", Arg::from(hours.as_str())),
                        ],
                    ),
                    TextSize::Body,
                ))
                .push(
                    row![
                        look.button("chat-leave-request", Message::LeaveRequest),
                        look.quiet_button("chat-retry", Message::Retry),
                    ]
                    .spacing(SPACING),
                ),
            Phase::Ready => page
                .push(look.text("chat-intro", TextSize::Body))
                .push(self.composer(look)),
            Phase::Open(chat) => {
                let transcript = column(chat.messages.iter().map(|message| {
                    let who = match message.author {
                        MessageAuthor::Citizen => look.t("chat-you"),
                        MessageAuthor::Staff => look.t("chat-staff"),
                    };
                    row![
                        look.raw(format!("{who}:"), TextSize::Body)
                            .color(muted(&look.preferences)),
                        look.raw(message.text.clone(), TextSize::Body),
                    ]
                    .spacing(SPACING / 2.0)
                    .into()
                }))
                .spacing(SPACING / 2.0);
                let page = page.push(
                    container(scrollable(transcript).anchor_bottom())
                        .height(Length::Fill)
                        .width(Length::Fill),
                );
                if chat.ended {
                    page.push(look.text("chat-ended", TextSize::Body))
                } else {
                    page.push(self.composer(look))
                        .push(look.quiet_button("chat-end", Message::End))
                }
            }
        };
        if let Some(notice) = self.notice {
            page = page.push(look.text(notice, TextSize::Body));
        }
        page.push(look.quiet_button("back", Message::Back)).into()
    }

    fn composer<'a>(&'a self, look: Look<'a>) -> Element<'a, Message> {
        let input = text_input(&look.t("chat-placeholder"), &self.draft)
            .id(DRAFT_ID)
            .on_input(Message::Draft)
            .on_submit(Message::Send)
            .size(look.size(TextSize::Body))
            .padding(14)
            .style(theme::text_box)
            .width(Length::Fill);
        let send = if self.busy {
            look.button("chat-send", Message::Send).on_press_maybe(None)
        } else {
            look.button("chat-send", Message::Send)
        };
        row![input, send]
            .spacing(SPACING)
            .align_y(Alignment::Center)
            .into()
    }
}
