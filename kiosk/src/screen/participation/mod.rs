//! Forums and communities: the citizen's account, boards, threads, the
//! composer, the community directory. One module per screen; this one holds
//! what they share: the section's state (part of `app::Citizen`, so the
//! session wipe takes the login and every draft with it), its messages and
//! the frame around the pages.
//!
//! Requests to the manager are made by `app::participation`; the pages only
//! hold what came back.

pub mod account;
pub mod boards;
pub mod communities;
pub mod composer;
pub mod keyboard;
pub mod offline;
pub mod thread;

use iced::widget::{column, container, row, scrollable, space};
use iced::{Alignment, Length};
use plaza_api::participation::client::ParticipationClient;
use plaza_api::participation::communities::{CommunityDetail, CommunitySummary};
use plaza_api::participation::forums::{Board, Post, ReportReason, ThreadSummary};
use plaza_api::session::Section;

use crate::screen::home::label_id;
use crate::theme::{SPACING, TextSize, muted};
use crate::widget::{Arg, Element, Look};

/// The manager link for this citizen: the kiosk's token, and the citizen's
/// after login. Compared and printed without its tokens.
#[derive(Clone)]
pub struct Link {
    pub client: ParticipationClient,
    /// The logged-in alias.
    pub alias: Option<String>,
}

impl PartialEq for Link {
    fn eq(&self, other: &Self) -> bool {
        self.alias == other.alias
    }
}

impl std::fmt::Debug for Link {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Link")
            .field("alias", &self.alias)
            .finish_non_exhaustive()
    }
}

/// The section's state for one citizen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Participation {
    pub section: Option<Section>,
    pub link: Option<Link>,
    /// Pages opened, the one shown last; "back" pops.
    pub pages: Vec<Page>,
    /// A plain-language message over the page (an error, a confirmation).
    pub notice: Option<String>,
    /// A post whose send failed, kept for the rest of the session.
    pub unsent: Option<composer::State>,
    /// A request is on its way.
    pub busy: bool,
}

impl Participation {
    pub fn alias(&self) -> Option<&str> {
        self.link.as_ref().and_then(|link| link.alias.as_deref())
    }

    pub fn page(&self) -> Option<&Page> {
        self.pages.last()
    }

    pub fn page_mut(&mut self) -> Option<&mut Page> {
        self.pages.last_mut()
    }

    pub fn push(&mut self, page: Page) {
        self.notice = None;
        self.pages.push(page);
    }

    /// Replaces the page shown (a reload, the offline notice).
    pub fn replace(&mut self, page: Page) {
        self.pages.pop();
        self.push(page);
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Page {
    /// Forums need the manager; this says so and offers the offline sections.
    Offline,
    Account(account::State),
    /// `None` while loading.
    Boards(Option<Vec<Board>>),
    Threads(boards::Threads),
    Thread(thread::State),
    Compose(composer::State),
    Communities(Option<Vec<CommunitySummary>>),
    Community(Box<CommunityDetail>),
}

#[derive(Debug, Clone)]
pub enum Message {
    Back,
    /// Reload the page shown (after the connection came back).
    Retry,
    /// One of the offline sections, from the offline notice.
    OpenSection(Section),
    Account(account::Message),
    /// Open the account page (sign up or log in).
    SignIn,
    LogOut,
    OpenBoard(Board),
    MoreThreads,
    OpenThread(ThreadSummary),
    MorePosts,
    NewThread,
    Reply,
    Edit(Post),
    Delete(i64),
    ConfirmDelete(Option<i64>),
    Report(Option<i64>),
    ReportReason(ReportReason),
    ReportDetails(String),
    SendReport,
    Composer(composer::Message),
    /// Open the post kept after a failed send.
    OpenUnsent,
    OpenCommunity(i64),
    Join(i64),
    Leave(i64),
    /// The manager's answer to a request made in the session named.
    Replied(uuid::Uuid, Box<crate::app::participation::Reply>),
}

/// What the frame needs besides the state.
pub struct Frame {
    pub on_screen_keyboard: bool,
    pub now: jiff::Timestamp,
}

/// The section's page: a header (title, account, back), the notice, the page.
pub fn view<'a>(look: Look<'a>, state: &'a Participation, frame: &Frame) -> Element<'a, Message> {
    let section = state.section.unwrap_or(Section::Forums);
    let mut header = row![
        look.quiet_button("back", Message::Back),
        look.text(label_id(section), TextSize::Heading),
        space().width(Length::Fill),
    ]
    .spacing(SPACING)
    .align_y(Alignment::Center);
    let offline = matches!(state.page(), Some(Page::Offline));
    let on_account_page = matches!(state.page(), Some(Page::Account(_)));
    match state.alias() {
        Some(alias) => {
            header = header.push(look.raw(
                look.t_with("account-signed-in-as", &[("alias", Arg::from(alias))]),
                TextSize::Small,
            ));
            header = header.push(look.quiet_button("account-log-out", Message::LogOut));
        }
        None if !offline && !on_account_page => {
            header = header.push(look.quiet_button("account-sign-in", Message::SignIn));
        }
        None => {}
    }
    let mut content = column![header].spacing(SPACING).padding(SPACING);
    if let Some(notice) = &state.notice {
        content = content.push(
            container(look.raw(notice.clone(), TextSize::Body))
                .padding(SPACING / 2.0)
                .width(Length::Fill)
                .style(container::bordered_box),
        );
    }
    if state.unsent.is_some()
        && !matches!(state.page(), Some(Page::Compose(_)) | Some(Page::Offline))
    {
        content = content.push(
            row![
                look.text("composer-unsent", TextSize::Body),
                look.button("composer-open-unsent", Message::OpenUnsent),
            ]
            .spacing(SPACING)
            .align_y(Alignment::Center),
        );
    }
    if state.busy {
        content = content.push(
            look.text("forums-loading", TextSize::Small)
                .color(muted(&look.preferences)),
        );
    }
    let page: Element<'a, Message> = match state.page() {
        None | Some(Page::Offline) => offline::view(look, section),
        Some(Page::Account(account)) => account
            .view(look, frame.on_screen_keyboard)
            .map(Message::Account),
        Some(Page::Boards(boards)) => boards::boards(look, boards.as_deref()),
        Some(Page::Threads(threads)) => boards::threads(look, threads, state.alias().is_some()),
        Some(Page::Thread(thread)) => thread.view(look, frame.now),
        Some(Page::Compose(composer)) => composer
            .view(look, frame.on_screen_keyboard)
            .map(Message::Composer),
        Some(Page::Communities(list)) => communities::directory(look, list.as_deref()),
        Some(Page::Community(detail)) => communities::detail(look, detail, state.alias().is_some()),
    };
    // The composer and the account form keep their keyboard in view.
    let page = if matches!(state.page(), Some(Page::Compose(_) | Page::Account(_))) {
        page
    } else {
        scrollable(page).height(Length::Fill).into()
    };
    content.push(page).into()
}

/// A date and time as the citizen reads it: local time, day/month.
pub fn when(at: jiff::Timestamp) -> String {
    at.to_zoned(jiff::tz::TimeZone::system())
        .strftime("%d/%m %H:%M")
        .to_string()
}

/// Hours and minutes, local time ("try again at 10:45").
pub fn clock(at: jiff::Timestamp) -> String {
    at.to_zoned(jiff::tz::TimeZone::system())
        .strftime("%H:%M")
        .to_string()
}
