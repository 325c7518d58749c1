//! What the manager's answers change: the pages, the login, the notice; a
//! failure shown plainly (offline, logged out, or refused in the citizen's
//! words, see `explain`).

use iced::Task;
use plaza_api::session::Section;
use plaza_client::ClientError;

use super::boards::Threads;
use super::explain::{Asked, explain};
use super::requests::{Reply, Sent};
use super::{Action, Message, Page, State, account, say, thread};
use crate::screen::Context;
use crate::widget::Arg;

impl State {
    pub(super) fn replied(&mut self, reply: Reply, context: &Context<'_>) -> Action {
        let task = match reply {
            Reply::LoggedIn(Ok(connection)) => {
                let alias = connection.alias.clone().unwrap_or_default();
                let welcome = context
                    .look
                    .t_with("account-welcome", &[("alias", Arg::from(alias))]);
                self.connection = Some(connection);
                if matches!(self.page(), Some(Page::Account(_))) {
                    self.pages.pop();
                }
                let task = if self.pages.is_empty() {
                    self.load_section(context)
                } else {
                    self.reload(context)
                };
                self.notice = Some(welcome);
                task
            }
            Reply::LoggedIn(Err(error)) => {
                let asked = match self.page() {
                    Some(Page::Account(form)) if form.mode == account::Mode::LogIn => Asked::LogIn,
                    _ => Asked::SignUp,
                };
                self.failed(&error, asked, context);
                Task::none()
            }
            Reply::Boards(Ok(list)) => {
                if let Some(Page::Boards(boards)) = self.page_mut() {
                    *boards = Some(list.boards);
                }
                Task::none()
            }
            Reply::Threads {
                more,
                result: Ok(page),
            } => {
                if let Some(Page::Threads(threads)) = self.page_mut()
                    && threads.board.id == page.board.id
                {
                    match (&mut threads.threads, more) {
                        (Some(shown), true) => shown.extend(page.threads),
                        (shown, _) => *shown = Some(page.threads),
                    }
                    threads.board = page.board;
                    threads.next_cursor = page.next_cursor;
                }
                Task::none()
            }
            Reply::Thread {
                more,
                result: Ok(view),
            } => {
                if let Some(Page::Thread(thread)) = self.page_mut()
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
                Task::none()
            }
            Reply::Sent(Ok(sent)) => return self.sent(sent, context),
            Reply::Sent(Err(error)) => {
                if let Some(Page::Compose(composer)) = self.page_mut() {
                    composer.failed = true;
                    let kept = composer.clone();
                    self.unsent = Some(kept);
                }
                self.failed(&error, Asked::Other, context);
                Task::none()
            }
            Reply::Erased(Ok(_)) => {
                // The login went with the account: back to the kiosk's own
                // connection, and no draft of the erased account stays.
                self.connection = None;
                self.unsent = None;
                self.pages
                    .retain(|page| !matches!(page, Page::Compose(_) | Page::Erase(_)));
                let task = if self.pages.is_empty() {
                    self.load_section(context)
                } else {
                    self.reload(context)
                };
                self.notice = Some(context.look.t("erase-done"));
                task
            }
            Reply::Erased(Err(error)) => {
                let explained = explain(&error, Asked::Other, context);
                match (&error, self.page_mut()) {
                    (ClientError::Refused { .. }, Some(Page::Erase(form))) => {
                        form.refused(explained);
                    }
                    _ => self.failed(&error, Asked::Other, context),
                }
                Task::none()
            }
            Reply::Deleted(Ok(())) => {
                self.notice = Some(context.look.t("forums-deleted-done"));
                self.reload(context)
            }
            Reply::Reported(Ok(receipt)) => {
                let id = if receipt.hidden_for_review {
                    "report-thanks-hidden"
                } else {
                    "report-thanks"
                };
                self.notice = Some(context.look.t(id));
                self.reload(context)
            }
            Reply::Communities(Ok(list)) => {
                if let Some(Page::Communities(communities)) = self.page_mut() {
                    *communities = Some(list.communities);
                }
                Task::none()
            }
            Reply::Community(Ok(detail)) => {
                match self.page_mut() {
                    Some(Page::Community(shown)) if shown.community.id == detail.community.id => {
                        **shown = detail;
                    }
                    _ => self.push(Page::Community(Box::new(detail))),
                }
                Task::none()
            }
            Reply::Membership(Ok(community_id)) => self.load_community(community_id, context),
            Reply::Say(reply) => match self.say_replied(*reply, context) {
                Ok(task) => task,
                Err(error) => {
                    self.failed(&error, Asked::Other, context);
                    Task::none()
                }
            },
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
            | Reply::Membership(Err(error)) => {
                self.failed(&error, Asked::Other, context);
                Task::none()
            }
        };
        Action::Run(task)
    }

    fn sent(&mut self, sent: Sent, context: &Context<'_>) -> Action {
        let notice = context.look.t(match (sent.proposal, sent.held) {
            (true, true) => "say-proposal-held",
            (true, false) => "say-proposal-published",
            (false, true) => "forums-held-for-review",
            (false, false) => "forums-sent",
        });
        self.unsent = None;
        if matches!(self.page(), Some(Page::Compose(_))) {
            self.pages.pop();
        }
        let then: Task<Message> = match sent.started {
            Some(thread) => {
                let thread_id = thread.id;
                self.push(Page::Thread(thread::State::loading(thread)));
                self.load_thread(thread_id, None, context)
            }
            None => self.reload(context),
        };
        self.notice = Some(notice);
        if sent.new_post {
            Action::Posted {
                section: self.section.unwrap_or(Section::Forums),
                then,
            }
        } else {
            Action::Run(then)
        }
    }

    /// Shows a failed request plainly: offline, logged out, or refused.
    fn failed(&mut self, error: &ClientError, asked: Asked, context: &Context<'_>) {
        tracing::info!(%error, "forum request failed");
        let unreachable = match error {
            ClientError::Unreachable(_) => true,
            ClientError::Refused { status, .. } => *status >= 500,
            _ => false,
        };
        let explained = explain(error, asked, context);
        if let ClientError::LoggedOut { .. } = error {
            self.connection = None;
            self.push(Page::Account(account::State::default()));
        } else if unreachable && !matches!(self.page(), Some(Page::Compose(_))) {
            // A page with nothing loaded yet becomes the offline notice.
            let loading = matches!(
                self.page(),
                Some(Page::Boards(None) | Page::Communities(None))
                    | Some(Page::Say(say::Page::Overview(None)))
                    | Some(Page::Threads(Threads { threads: None, .. }))
                    | Some(Page::Thread(thread::State { posts: None, .. }))
            );
            if loading {
                self.pages.pop();
            }
            self.push(Page::Offline);
            return;
        }
        self.notice = Some(explained);
    }
}
