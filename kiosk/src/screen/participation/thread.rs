//! One thread's posts, oldest first: official staff posts marked, posts
//! under review shown as the manager says (their author also sees why),
//! the citizen's own posts editable within the window, others reportable.

use iced::widget::{column, container, row, text_input};
use iced::{Alignment, Length};
use jiff::Timestamp;
use plaza_api::participation::forums::{Post, PostStatus, ReportReason, ThreadSummary};
use plaza_api::participation::limits;

use super::{Message, signature, when};
use crate::theme::{SPACING, TextSize, muted};
use crate::widget::{Arg, Element, Look};

pub const REPORT_DETAILS_ID: &str = "participation-report-details";

pub const REASONS: [(ReportReason, &str); 4] = [
    (ReportReason::Spam, "report-spam"),
    (ReportReason::Offensive, "report-offensive"),
    (ReportReason::OffTopic, "report-off-topic"),
    (ReportReason::Other, "report-other"),
];

/// A report being filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reporting {
    pub post_id: i64,
    pub reason: Option<ReportReason>,
    pub details: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub thread: ThreadSummary,
    /// `None` while the first page loads.
    pub posts: Option<Vec<Post>>,
    pub next_cursor: Option<String>,
    pub reporting: Option<Reporting>,
    /// "Delete this post?" asked for this post.
    pub confirm_delete: Option<i64>,
}

impl State {
    pub fn loading(thread: ThreadSummary) -> Self {
        Self {
            thread,
            posts: None,
            next_cursor: None,
            reporting: None,
            confirm_delete: None,
        }
    }

    pub fn view<'a>(&'a self, look: Look<'a>, now: Timestamp) -> Element<'a, Message> {
        let mut list = column![
            row![
                container(look.raw(self.thread.title.clone(), TextSize::Heading))
                    .width(Length::Fill),
                look.button("forums-reply", Message::Reply),
            ]
            .spacing(SPACING)
            .align_y(Alignment::Center)
        ]
        .spacing(SPACING);
        let Some(posts) = &self.posts else {
            return list
                .push(look.text("forums-loading", TextSize::Body))
                .into();
        };
        for post in posts {
            list = list.push(self.post(look, post, now));
        }
        if self.next_cursor.is_some() {
            list = list.push(look.quiet_button("forums-more", Message::MorePosts));
        }
        list.into()
    }

    fn post<'a>(&'a self, look: Look<'a>, post: &'a Post, now: Timestamp) -> Element<'a, Message> {
        let mut by = look.t_with(
            "forums-post-meta",
            &[
                (
                    "author",
                    Arg::from(signature(
                        look,
                        &post.author.name,
                        post.author.deleted_account,
                    )),
                ),
                ("when", Arg::from(when(post.created_at))),
            ],
        );
        if post.edited_at.is_some() {
            by = format!("{by} · {}", look.t("forums-edited"));
        }
        let mut heading = row![
            look.raw(by, TextSize::Small)
                .color(muted(&look.preferences))
        ]
        .spacing(SPACING / 2.0);
        if post.author.official {
            heading = heading.push(
                container(look.text("forums-official", TextSize::Small))
                    .padding([2, 8])
                    .style(container::rounded_box),
            );
        }
        let mut lines = column![heading].spacing(6);
        match (&post.body, post.status) {
            (_, PostStatus::Deleted) => {
                lines = lines.push(look.text("forums-deleted", TextSize::Body));
            }
            (Some(body), status) => {
                if status != PostStatus::Published {
                    lines = lines.push(look.text("forums-under-review-mine", TextSize::Small));
                }
                lines = lines.push(look.raw(body.clone(), TextSize::Body));
            }
            (None, _) => lines = lines.push(look.text("forums-under-review", TextSize::Body)),
        }
        if post.mine
            && let Some(note) = &post.moderation_note
        {
            lines = lines.push(look.raw(
                look.t_with(
                    "forums-moderation-note",
                    &[("reason", Arg::from(note.clone()))],
                ),
                TextSize::Small,
            ));
        }
        let editable = post.mine
            && post.status == PostStatus::Published
            && post.editable_until.is_some_and(|until| until > now);
        if self.confirm_delete == Some(post.id) {
            lines = lines.push(
                row![
                    look.text("forums-delete-confirm", TextSize::Body),
                    look.button("forums-delete-yes", Message::Delete(post.id)),
                    look.quiet_button("cancel", Message::ConfirmDelete(None)),
                ]
                .spacing(SPACING)
                .align_y(Alignment::Center),
            );
        } else if editable {
            lines = lines.push(
                row![
                    look.quiet_button("forums-edit", Message::Edit(post.clone())),
                    look.quiet_button("forums-delete", Message::ConfirmDelete(Some(post.id))),
                ]
                .spacing(SPACING),
            );
        }
        let reportable =
            !post.mine && post.status == PostStatus::Published && !post.author.official;
        match &self.reporting {
            Some(reporting) if reporting.post_id == post.id => {
                lines = lines.push(report_form(look, reporting));
            }
            _ if post.reported_by_me => {
                lines = lines.push(look.text("report-already", TextSize::Small));
            }
            _ if reportable => {
                lines =
                    lines.push(look.quiet_button("report-post", Message::Report(Some(post.id))));
            }
            _ => {}
        }
        container(lines)
            .padding(SPACING / 1.5)
            .width(Length::Fill)
            .style(container::bordered_box)
            .into()
    }
}

fn report_form<'a>(look: Look<'a>, reporting: &'a Reporting) -> Element<'a, Message> {
    let reasons = row(REASONS.iter().map(|(reason, id)| {
        let button = look.button(id, Message::ReportReason(*reason));
        if reporting.reason == Some(*reason) {
            button.into()
        } else {
            button.style(iced::widget::button::secondary).into()
        }
    }))
    .spacing(SPACING / 2.0)
    .wrap();
    let mut form =
        column![look.text("report-title", TextSize::Body), reasons].spacing(SPACING / 2.0);
    if reporting.reason == Some(ReportReason::Other) {
        form = form.push(
            text_input(&look.t("report-details-placeholder"), &reporting.details)
                .id(REPORT_DETAILS_ID)
                .on_input(Message::ReportDetails)
                .size(look.size(TextSize::Body))
                .padding(14)
                .width(Length::Fill),
        );
    }
    let mut send = look.button("report-send", Message::SendReport);
    let ready = match reporting.reason {
        None => false,
        Some(ReportReason::Other) => {
            let details = reporting.details.trim().chars().count();
            (1..=limits::REPORT_DETAILS_MAX).contains(&details)
        }
        Some(_) => true,
    };
    if !ready {
        send = send.on_press_maybe(None);
    }
    form.push(row![look.quiet_button("cancel", Message::Report(None)), send].spacing(SPACING))
        .into()
}
