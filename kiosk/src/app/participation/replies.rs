//! What the manager's answers change, and refusals explained in the
//! citizen's words (from the manager's error codes, never a raw error).

use iced::Task;
use plaza_api::events::{EventPayload, PostWritten};
use plaza_api::participation::client::{ClientError, ClientResult};
use plaza_api::participation::communities::{CommunityDetail, CommunityList};
use plaza_api::participation::forums::{
    BoardList, ReportReceipt, ThreadPage, ThreadSummary, ThreadView,
};
use plaza_api::session::Section;

use crate::app::{Kiosk, Message};
use crate::screen::participation::boards::Threads;
use crate::screen::participation::{Link, Page, account, clock, thread};
use crate::widget::Arg;

/// What the manager answered.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Signed up or logged in: the alias as the manager spells it, and the
    /// client now carrying the citizen's token (not printed).
    LoggedIn(ClientResult<Link>),
    Boards(ClientResult<BoardList>),
    Threads {
        more: bool,
        result: ClientResult<ThreadPage>,
    },
    Thread {
        more: bool,
        result: ClientResult<ThreadView>,
    },
    /// A post sent: the thread it started (if new), whether the manager
    /// held it for review, and whether it counts as a post written.
    Sent(ClientResult<Sent>),
    Deleted(ClientResult<()>),
    Reported(ClientResult<ReportReceipt>),
    Communities(ClientResult<CommunityList>),
    Community(ClientResult<CommunityDetail>),
    Membership(ClientResult<i64>),
}

#[derive(Debug, Clone)]
pub struct Sent {
    pub started: Option<ThreadSummary>,
    pub held: bool,
    pub new_post: bool,
}

/// What a refusal is about, to explain it in the citizen's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Context {
    SignUp,
    LogIn,
    Other,
}

impl Kiosk {
    pub(super) fn replied(&mut self, reply: Reply) -> Task<Message> {
        match reply {
            Reply::LoggedIn(Ok(link)) => {
                let alias = link.alias.clone().unwrap_or_default();
                let welcome = self
                    .look()
                    .t_with("account-welcome", &[("alias", Arg::from(alias))]);
                let state = &mut self.citizen.participation;
                state.link = Some(link);
                if matches!(state.page(), Some(Page::Account(_))) {
                    state.pages.pop();
                }
                let task = if state.pages.is_empty() {
                    self.load_section()
                } else {
                    self.reload()
                };
                self.citizen.participation.notice = Some(welcome);
                return task;
            }
            Reply::LoggedIn(Err(error)) => {
                let context = match self.citizen.participation.page() {
                    Some(Page::Account(form)) if form.mode == account::Mode::LogIn => {
                        Context::LogIn
                    }
                    _ => Context::SignUp,
                };
                self.failed(&error, context);
            }
            Reply::Boards(Ok(list)) => {
                if let Some(Page::Boards(boards)) = self.citizen.participation.page_mut() {
                    *boards = Some(list.boards);
                }
            }
            Reply::Threads {
                more,
                result: Ok(page),
            } => {
                if let Some(Page::Threads(threads)) = self.citizen.participation.page_mut()
                    && threads.board.id == page.board.id
                {
                    match (&mut threads.threads, more) {
                        (Some(shown), true) => shown.extend(page.threads),
                        (shown, _) => *shown = Some(page.threads),
                    }
                    threads.board = page.board;
                    threads.next_cursor = page.next_cursor;
                }
            }
            Reply::Thread {
                more,
                result: Ok(view),
            } => {
                if let Some(Page::Thread(thread)) = self.citizen.participation.page_mut()
                    && thread.thread.id == view.thread.id
                {
                    match (&mut thread.posts, more) {
                        (Some(shown), true) => shown.extend(view.posts),
                        (shown, _) => *shown = Some(view.posts),
                    }
                    thread.thread = view.thread;
                    thread.next_cursor = view.next_cursor;
                    thread.reporting = None;
                    thread.confirm_delete = None;
                }
            }
            Reply::Sent(Ok(sent)) => return self.sent(sent),
            Reply::Sent(Err(error)) => {
                let state = &mut self.citizen.participation;
                if let Some(Page::Compose(composer)) = state.page_mut() {
                    composer.failed = true;
                    state.unsent = Some(composer.clone());
                }
                self.failed(&error, Context::Other);
            }
            Reply::Deleted(Ok(())) => {
                self.citizen.participation.notice = Some(self.look().t("forums-deleted-done"));
                return self.reload();
            }
            Reply::Reported(Ok(receipt)) => {
                let id = if receipt.hidden_for_review {
                    "report-thanks-hidden"
                } else {
                    "report-thanks"
                };
                self.citizen.participation.notice = Some(self.look().t(id));
                return self.reload();
            }
            Reply::Communities(Ok(list)) => {
                if let Some(Page::Communities(communities)) = self.citizen.participation.page_mut()
                {
                    *communities = Some(list.communities);
                }
            }
            Reply::Community(Ok(detail)) => {
                let state = &mut self.citizen.participation;
                match state.page_mut() {
                    Some(Page::Community(shown)) if shown.community.id == detail.community.id => {
                        **shown = detail;
                    }
                    _ => state.push(Page::Community(Box::new(detail))),
                }
            }
            Reply::Membership(Ok(community_id)) => return self.load_community(community_id),
            Reply::Threads {
                result: Err(error), ..
            }
            | Reply::Thread {
                result: Err(error), ..
            }
            | Reply::Boards(Err(error))
            | Reply::Deleted(Err(error))
            | Reply::Reported(Err(error))
            | Reply::Communities(Err(error))
            | Reply::Community(Err(error))
            | Reply::Membership(Err(error)) => self.failed(&error, Context::Other),
        }
        Task::none()
    }

    fn sent(&mut self, sent: Sent) -> Task<Message> {
        if sent.new_post {
            let section = self
                .citizen
                .participation
                .section
                .unwrap_or(Section::Forums);
            self.log(|terminal, now| {
                terminal.record_usage(now, EventPayload::PostWritten(PostWritten { section }))
            });
        }
        let notice = self.look().t(if sent.held {
            "forums-held-for-review"
        } else {
            "forums-sent"
        });
        let state = &mut self.citizen.participation;
        state.unsent = None;
        if matches!(state.page(), Some(Page::Compose(_))) {
            state.pages.pop();
        }
        let task = match sent.started {
            Some(thread) => {
                let thread_id = thread.id;
                state.push(Page::Thread(thread::State::loading(thread)));
                self.load_thread(thread_id, None)
            }
            None => self.reload(),
        };
        self.citizen.participation.notice = Some(notice);
        task
    }

    /// Shows a failed request plainly: offline, logged out, or refused.
    pub(super) fn failed(&mut self, error: &ClientError, context: Context) {
        tracing::info!(%error, "forum request failed");
        let unreachable = match error {
            ClientError::Offline(_) => true,
            ClientError::Refused { status, .. } => *status >= 500,
            _ => false,
        };
        let explained = self.explain(error, context);
        let state = &mut self.citizen.participation;
        if let ClientError::LoggedOut { .. } = error {
            state.link = None;
            state.push(Page::Account(account::State::default()));
        } else if unreachable && !matches!(state.page(), Some(Page::Compose(_))) {
            // A page with nothing loaded yet becomes the offline notice.
            let loading = matches!(
                state.page(),
                Some(Page::Boards(None) | Page::Communities(None))
                    | Some(Page::Threads(Threads { threads: None, .. }))
                    | Some(Page::Thread(thread::State { posts: None, .. }))
            );
            if loading {
                state.pages.pop();
            }
            state.push(Page::Offline);
            return;
        }
        state.notice = Some(explained);
    }

    fn explain(&self, error: &ClientError, context: Context) -> String {
        let look = self.look();
        let at = |retry_after_s: &Option<u64>| {
            let seconds = i64::try_from(retry_after_s.unwrap_or(60)).unwrap_or(60);
            Arg::from(clock(
                self.now + jiff::SignedDuration::from_secs(seconds.max(1)),
            ))
        };
        let ClientError::Refused {
            status,
            code,
            message,
            retry_after_s,
        } = error
        else {
            return look.t(match error {
                ClientError::Offline(_) => "forums-send-offline",
                ClientError::LoggedOut { .. } => "account-login-ended",
                _ => "forums-unexpected",
            });
        };
        let id = match (code.as_str(), context) {
            ("rate_limited", _) => {
                return look.t_with("forums-rate-limited", &[("time", at(retry_after_s))]);
            }
            ("account_locked", _) => {
                return look.t_with("account-locked", &[("time", at(retry_after_s))]);
            }
            ("wrong_credentials", _) => "account-wrong",
            ("conflict", Context::SignUp | Context::LogIn) if message.contains("session") => {
                "account-session-over"
            }
            ("conflict", Context::SignUp) => "account-alias-taken",
            ("alias_reserved", _) => "account-alias-reserved",
            ("alias_not_allowed", _) => "account-alias-word",
            ("pin_invalid", _) => "account-pin-rules",
            ("invalid", Context::SignUp) => "account-alias-characters",
            ("edit_window_closed", _) => "forums-edit-window-closed",
            ("under_review", _) => "forums-under-review",
            ("already_reported", _) => "report-already",
            ("forbidden", _) if message.contains("join this community") => {
                "community-join-to-write"
            }
            ("forbidden", _) if message.contains("not yet accepted") => {
                "community-waiting-approval"
            }
            _ if *status >= 500 => "forums-send-offline",
            // The manager's own words: clear, though perhaps in English.
            _ => return look.t_with("forums-refused", &[("message", Arg::from(message.clone()))]),
        };
        look.t(id)
    }
}
