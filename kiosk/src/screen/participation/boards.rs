//! Boards (by topic and by neighbourhood), and one board's threads, newest
//! activity first, a page at a time.

use iced::widget::{button, column, container, row, text};
use iced::{Alignment, Length};
use plaza_api::participation::forums::{Board, BoardKind, PostStatus, ThreadSummary};

use super::{Message, signature, when};
use crate::theme::{SPACING, TextSize};
use crate::widget::{Arg, Element, Look};

/// One board's threads as loaded so far.
#[derive(Debug, Clone, PartialEq)]
pub struct Threads {
    pub board: Board,
    /// `None` while the first page loads.
    pub threads: Option<Vec<ThreadSummary>>,
    pub next_cursor: Option<String>,
}

impl Threads {
    pub fn loading(board: Board) -> Self {
        Self {
            board,
            threads: None,
            next_cursor: None,
        }
    }
}

/// A large touch target holding several lines.
pub fn card<'a, M: Clone + 'a>(content: iced::widget::Column<'a, M>, message: M) -> Element<'a, M> {
    button(content.spacing(4))
        .width(Length::Fill)
        .padding(SPACING / 1.5)
        .style(button::secondary)
        .on_press(message)
        .into()
}

pub fn boards<'a>(look: Look<'a>, boards: Option<&'a [Board]>) -> Element<'a, Message> {
    let Some(boards) = boards else {
        return look.text("forums-loading", TextSize::Body).into();
    };
    let mut list = column![look.text("forums-boards-title", TextSize::Heading)].spacing(SPACING);
    // Topics first, then neighbourhoods; community boards are reached
    // through their community.
    for (kind, heading) in [
        (BoardKind::Topic, "forums-topic-boards"),
        (BoardKind::Neighbourhood, "forums-neighbourhood-boards"),
    ] {
        let of_kind: Vec<&Board> = boards.iter().filter(|board| board.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        list = list.push(look.text(heading, TextSize::Body));
        for board in of_kind {
            let mut lines = column![text(board.title.clone()).size(look.size(TextSize::Heading))];
            if !board.description.is_empty() {
                lines = lines.push(look.raw(board.description.clone(), TextSize::Body));
            }
            // Card text keeps the button's own colour: muted text on the
            // card's grey would be too faint.
            lines = lines.push(look.raw(
                look.t_with(
                    "forums-thread-count",
                    &[("count", Arg::from(board.thread_count))],
                ),
                TextSize::Small,
            ));
            list = list.push(card(lines, Message::OpenBoard(board.clone())));
        }
    }
    if boards.is_empty() {
        list = list.push(look.text("forums-no-boards", TextSize::Body));
    }
    list.into()
}

pub fn threads<'a>(look: Look<'a>, state: &'a Threads, logged_in: bool) -> Element<'a, Message> {
    let mut list = column![
        row![
            look.raw(state.board.title.clone(), TextSize::Heading),
            iced::widget::space().width(Length::Fill),
            look.button("forums-new-thread", Message::NewThread),
        ]
        .spacing(SPACING)
        .align_y(Alignment::Center)
    ]
    .spacing(SPACING);
    if !logged_in {
        list = list.push(look.text("forums-sign-in-to-write", TextSize::Small));
    }
    let Some(threads) = &state.threads else {
        return list
            .push(look.text("forums-loading", TextSize::Body))
            .into();
    };
    if threads.is_empty() {
        list = list.push(look.text("forums-no-threads", TextSize::Body));
    }
    for thread in threads {
        let mut lines = column![text(thread.title.clone()).size(look.size(TextSize::Heading))];
        let mut by = look.t_with(
            "forums-thread-meta",
            &[
                (
                    "author",
                    Arg::from(signature(
                        look,
                        &thread.author.name,
                        thread.author.deleted_account,
                    )),
                ),
                ("count", Arg::from(thread.post_count)),
                ("when", Arg::from(when(thread.last_activity_at))),
            ],
        );
        if thread.author.official {
            by = format!("{by} · {}", look.t("forums-official"));
        }
        lines = lines.push(look.raw(by, TextSize::Small));
        if thread.status != PostStatus::Published {
            lines = lines.push(look.text("forums-under-review", TextSize::Small));
        }
        list = list.push(card(lines, Message::OpenThread(thread.clone())));
    }
    if state.next_cursor.is_some() {
        list = list.push(container(
            look.quiet_button("forums-more", Message::MoreThreads),
        ));
    }
    list.into()
}
