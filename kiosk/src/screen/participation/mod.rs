//! Forums and communities: the citizen's account, boards, threads, the
//! composer, the community directory. One screen showing a stack of pages;
//! its [`State`] lives in `app::Citizen` for the whole session (a login and
//! a post whose send failed outlast a visit to another section), so the
//! session wipe takes the login and every draft with it.
//!
//! The screen makes its own requests to the manager (`requests`: `Task`s the
//! app runs for it) and reads their answers (`replies`). The app drops an
//! answer for a session that is over, so nothing (least of all a login)
//! reaches the next citizen. Without the manager the pages say so and offer
//! the sections that work offline.

pub mod account;
pub mod boards;
pub mod communities;
pub mod composer;
pub mod erase;
mod explain;
mod frame;
pub mod keyboard;
pub mod offline;
mod replies;
mod requests;
pub mod say;
pub mod thread;

use iced::Task;
use plaza_api::participation::communities::{CommunityDetail, CommunitySummary};
use plaza_api::participation::forums::{Board, Post, ReportReason, ThreadSummary};
use plaza_api::participation::limits;
use plaza_api::session::Section;
use plaza_client::ParticipationClient;

use super::Context;
use crate::widget::{Element, Look};
use composer::Target;
pub use frame::Frame;
pub use requests::Reply;
use thread::Reporting;

/// The manager as this citizen reaches it: with the kiosk's token, and the
/// citizen's after login. Compared and printed without its tokens.
#[derive(Clone)]
pub struct Connection {
    pub client: ParticipationClient,
    /// The logged-in alias.
    pub alias: Option<String>,
}

impl PartialEq for Connection {
    fn eq(&self, other: &Self) -> bool {
        self.alias == other.alias
    }
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Connection")
            .field("alias", &self.alias)
            .finish_non_exhaustive()
    }
}

/// The section's state for one citizen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    pub section: Option<Section>,
    pub connection: Option<Connection>,
    /// Pages opened, the one shown last; "back" pops.
    pub pages: Vec<Page>,
    /// A plain-language message over the page (an error, a confirmation).
    pub notice: Option<String>,
    /// A post whose send failed, kept for the rest of the session.
    pub unsent: Option<composer::State>,
    /// A request is on its way.
    pub busy: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Page {
    /// Forums need the manager; this says so and offers the offline sections.
    Offline,
    Account(account::State),
    /// "Delete my account", for the logged-in citizen.
    Erase(erase::State),
    /// `None` while loading.
    Boards(Option<Vec<Board>>),
    Threads(boards::Threads),
    Thread(thread::State),
    Compose(composer::State),
    Communities(Option<Vec<CommunitySummary>>),
    Community(Box<CommunityDetail>),
    /// "Participá": consultations and proposals.
    Say(say::Page),
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
    /// Open "delete my account".
    OpenErase,
    Erase(erase::Message),
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
    Say(say::Message),
    /// The manager's answer to one of this screen's requests.
    Replied(Box<Reply>),
}

/// What the app does next.
pub enum Action {
    None,
    /// The screen's requests; their answers come back as messages.
    Run(Task<Message>),
    /// A post was written (not an edit): record it (no text, no alias), and
    /// run the task.
    Posted {
        section: Section,
        then: Task<Message>,
    },
    /// Back past the first page.
    Home,
    /// Another section (from the offline notice).
    Open(Section),
}

impl State {
    pub fn alias(&self) -> Option<&str> {
        self.connection
            .as_ref()
            .and_then(|connection| connection.alias.as_deref())
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

    /// Opens `section` (forums, communities or "Participá") at its first
    /// page.
    pub fn open(&mut self, section: Section, context: &Context<'_>) -> Action {
        self.section = Some(section);
        self.pages.clear();
        self.notice = None;
        if !context.reachable() {
            self.push(Page::Offline);
            return Action::None;
        }
        Action::Run(self.load_section(context))
    }

    pub fn update(&mut self, message: Message, context: &Context<'_>) -> Action {
        use Message as M;
        let task = match message {
            M::Back => {
                self.pages.pop();
                self.notice = None;
                if self.pages.is_empty() {
                    return Action::Home;
                }
                // What is revealed may have changed meanwhile.
                self.reload(context)
            }
            M::Retry => self.retry(context),
            M::OpenSection(section) => return Action::Open(section),
            M::SignIn => {
                self.push(Page::Account(account::State::default()));
                Task::none()
            }
            M::LogOut => self.log_out(context),
            M::OpenErase => {
                if self.alias().is_some() {
                    self.push(Page::Erase(erase::State::default()));
                }
                Task::none()
            }
            M::Erase(message) => match self.page_mut() {
                Some(Page::Erase(form)) => match form.update(message) {
                    erase::Action::None => Task::none(),
                    erase::Action::Erase { pin, posts } => self.erase(pin, posts, context),
                },
                _ => Task::none(),
            },
            M::Account(message) => match self.page_mut() {
                Some(Page::Account(form)) => match form.update(message) {
                    account::Action::None => Task::none(),
                    account::Action::SignUp { alias, pin } => {
                        self.sign_in(alias, pin, true, context)
                    }
                    account::Action::LogIn { alias, pin } => {
                        self.sign_in(alias, pin, false, context)
                    }
                },
                _ => Task::none(),
            },
            M::OpenBoard(board) => {
                let board_id = board.id;
                self.push(Page::Threads(boards::Threads::loading(board)));
                self.load_threads(board_id, None, context)
            }
            M::MoreThreads | M::MorePosts => self.more(context),
            M::OpenThread(summary) => {
                let thread_id = summary.id;
                self.push(Page::Thread(thread::State::loading(summary)));
                self.load_thread(thread_id, None, context)
            }
            M::NewThread => {
                if let Some(Page::Threads(threads)) = self.page() {
                    let target = Target::NewThread {
                        board_id: threads.board.id,
                        board_title: threads.board.title.clone(),
                    };
                    self.compose(composer::State::new(target), context);
                }
                Task::none()
            }
            M::Reply => {
                if let Some(Page::Thread(thread)) = self.page() {
                    let target = Target::Reply {
                        thread_id: thread.thread.id,
                        thread_title: thread.thread.title.clone(),
                    };
                    self.compose(composer::State::new(target), context);
                }
                Task::none()
            }
            M::Edit(post) => {
                let body = post.body.unwrap_or_default();
                let editing = composer::State::editing(post.id, post.thread_id, &body);
                self.compose(editing, context);
                Task::none()
            }
            M::ConfirmDelete(post_id) => {
                if let Some(Page::Thread(thread)) = self.page_mut() {
                    thread.confirm_delete = post_id;
                }
                Task::none()
            }
            M::Delete(post_id) => self.delete(post_id, context),
            M::Report(post_id) => {
                if post_id.is_some() && self.alias().is_none() {
                    self.must_sign_in(context);
                } else if let Some(Page::Thread(thread)) = self.page_mut() {
                    thread.reporting = post_id.map(|post_id| Reporting {
                        post_id,
                        reason: None,
                        details: String::new(),
                    });
                }
                Task::none()
            }
            M::ReportReason(reason) => {
                if let Some(reporting) = self.reporting() {
                    reporting.reason = Some(reason);
                }
                Task::none()
            }
            M::ReportDetails(details) => {
                if let Some(reporting) = self.reporting() {
                    reporting.details = details.chars().take(limits::REPORT_DETAILS_MAX).collect();
                }
                Task::none()
            }
            M::SendReport => self.send_report(context),
            M::Composer(message) => self.composer(message, context),
            M::OpenUnsent => {
                if let Some(unsent) = self.unsent.clone() {
                    self.push(Page::Compose(unsent));
                }
                Task::none()
            }
            M::OpenCommunity(community_id) => self.load_community(community_id, context),
            M::Join(community_id) => self.join(community_id, context),
            M::Leave(community_id) => self.leave(community_id, context),
            M::Say(message) => self.say(message, context),
            M::Replied(reply) => {
                self.busy = false;
                return self.replied(*reply, context);
            }
        };
        Action::Run(task)
    }

    pub fn view<'a>(&'a self, look: Look<'a>, frame: &Frame) -> Element<'a, Message> {
        frame::view(self, look, frame)
    }

    fn reporting(&mut self) -> Option<&mut Reporting> {
        match self.page_mut() {
            Some(Page::Thread(thread)) => thread.reporting.as_mut(),
            _ => None,
        }
    }

    fn composer(&mut self, message: composer::Message, context: &Context<'_>) -> Task<Message> {
        let Some(Page::Compose(composer)) = self.page_mut() else {
            return Task::none();
        };
        match composer.update(message) {
            composer::Action::None => Task::none(),
            composer::Action::Send => self.send_post(context),
            composer::Action::Cancel => {
                // Leaving on purpose discards the draft.
                self.unsent = None;
                self.pages.pop();
                Task::none()
            }
        }
    }

    fn compose(&mut self, composer: composer::State, context: &Context<'_>) {
        if self.alias().is_none() {
            self.must_sign_in(context);
            return;
        }
        self.push(Page::Compose(composer));
    }

    fn must_sign_in(&mut self, context: &Context<'_>) {
        self.push(Page::Account(account::State::default()));
        self.notice = Some(context.look.t("forums-sign-in-first"));
    }
}

/// Who wrote something, as the citizen reads it: an erased account's
/// writing, kept unsigned, says so.
pub fn signature(look: Look<'_>, name: &str, deleted_account: bool) -> String {
    if deleted_account || name.is_empty() {
        look.t("forums-deleted-account")
    } else {
        name.to_owned()
    }
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
