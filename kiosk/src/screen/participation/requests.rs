//! The section's requests to the manager, as `Task`s through the iced-free
//! `ParticipationClient`, and the [`Reply`] each one comes back as.
//!
//! A request is made only within a session (the app drops its answer if the
//! session is over by then); with no way to the manager the page shown
//! becomes the offline notice instead.

use std::future::Future;

use iced::Task;
use plaza_api::have_a_say::{NewProposal, ProposalModeration};
use plaza_api::participation::accounts::{Erased, ErasedPosts};
use plaza_api::participation::communities::{CommunityDetail, CommunityList};
use plaza_api::participation::forums::{
    BoardList, NewPost, NewReport, NewThread, PostEdit, PostStatus, ReportReason, ReportReceipt,
    ThreadPage, ThreadSummary, ThreadView,
};
use plaza_api::session::Section;
use plaza_client::{ClientResult, ParticipationClient};

use super::composer::Target;
use super::thread::Reporting;
use super::{Connection, Message, Page, State, say};
use crate::screen::Context;

/// What the manager answered.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Signed up or logged in: the alias as the manager spells it, and the
    /// client now carrying the citizen's token (not printed).
    LoggedIn(ClientResult<Connection>),
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
    /// The citizen's account is erased.
    Erased(ClientResult<Erased>),
    Reported(ClientResult<ReportReceipt>),
    Communities(ClientResult<CommunityList>),
    Community(ClientResult<CommunityDetail>),
    Membership(ClientResult<i64>),
    /// Consultations and proposals.
    Say(Box<super::say::Reply>),
}

#[derive(Debug, Clone)]
pub struct Sent {
    pub started: Option<ThreadSummary>,
    pub held: bool,
    pub new_post: bool,
    /// A proposal rather than a post (its own confirmation).
    pub proposal: bool,
}

impl State {
    /// The client for this citizen: theirs after login, the kiosk's before.
    fn client(&mut self, context: &Context<'_>) -> Option<ParticipationClient> {
        if let Some(connection) = &self.connection {
            return Some(connection.client.clone());
        }
        let client = context
            .manager?
            .participation()
            .inspect_err(|error| tracing::error!(%error, "cannot build the forums client"))
            .ok()?;
        self.connection = Some(Connection {
            client: client.clone(),
            alias: None,
        });
        Some(client)
    }

    /// Sends a request on behalf of the citizen of the running session.
    pub(super) fn request<Fut>(
        &mut self,
        context: &Context<'_>,
        call: impl FnOnce(ParticipationClient) -> Fut,
    ) -> Task<Message>
    where
        Fut: Future<Output = Reply> + Send + 'static,
    {
        if context.session.is_none() {
            return Task::none();
        }
        let Some(client) = self.client(context) else {
            self.push(Page::Offline);
            return Task::none();
        };
        self.busy = true;
        Task::perform(call(client), |reply| Message::Replied(Box::new(reply)))
    }

    pub(super) fn load_section(&mut self, context: &Context<'_>) -> Task<Message> {
        if self.section == Some(Section::Communities) {
            self.push(Page::Communities(None));
            self.load_communities(context)
        } else if self.section == Some(Section::HaveASay) {
            self.push(Page::Say(say::Page::Overview(None)));
            self.load_overview(context)
        } else {
            self.push(Page::Boards(None));
            self.load_boards(context)
        }
    }

    fn load_boards(&mut self, context: &Context<'_>) -> Task<Message> {
        self.request(context, |client| async move {
            Reply::Boards(client.boards().await)
        })
    }

    fn load_communities(&mut self, context: &Context<'_>) -> Task<Message> {
        self.request(context, |client| async move {
            Reply::Communities(client.communities().await)
        })
    }

    pub(super) fn load_threads(
        &mut self,
        board_id: i64,
        cursor: Option<String>,
        context: &Context<'_>,
    ) -> Task<Message> {
        let more = cursor.is_some();
        self.request(context, move |client| async move {
            let result = client.threads(board_id, cursor.as_deref()).await;
            Reply::Threads { more, result }
        })
    }

    pub(super) fn load_thread(
        &mut self,
        thread_id: i64,
        cursor: Option<String>,
        context: &Context<'_>,
    ) -> Task<Message> {
        let more = cursor.is_some();
        self.request(context, move |client| async move {
            let result = client.thread(thread_id, cursor.as_deref()).await;
            Reply::Thread { more, result }
        })
    }

    /// The next page of the list shown: a board's threads, a thread's posts.
    pub(super) fn more(&mut self, context: &Context<'_>) -> Task<Message> {
        match self.page() {
            Some(Page::Threads(threads)) if threads.next_cursor.is_some() => {
                let (board_id, cursor) = (threads.board.id, threads.next_cursor.clone());
                self.load_threads(board_id, cursor, context)
            }
            Some(Page::Thread(thread)) if thread.next_cursor.is_some() => {
                let (thread_id, cursor) = (thread.thread.id, thread.next_cursor.clone());
                self.load_thread(thread_id, cursor, context)
            }
            _ => Task::none(),
        }
    }

    pub(super) fn load_community(
        &mut self,
        community_id: i64,
        context: &Context<'_>,
    ) -> Task<Message> {
        self.request(context, move |client| async move {
            Reply::Community(client.community(community_id).await)
        })
    }

    /// Loads the page shown again (after a login, a logout, a change).
    pub(super) fn reload(&mut self, context: &Context<'_>) -> Task<Message> {
        match self.page() {
            Some(Page::Boards(_)) => self.load_boards(context),
            Some(Page::Communities(_)) => self.load_communities(context),
            Some(Page::Threads(threads)) => {
                let board_id = threads.board.id;
                self.load_threads(board_id, None, context)
            }
            Some(Page::Thread(thread)) => {
                let thread_id = thread.thread.id;
                self.load_thread(thread_id, None, context)
            }
            Some(Page::Community(detail)) => {
                let community_id = detail.community.id;
                self.load_community(community_id, context)
            }
            Some(Page::Say(_)) => self.reload_say(context),
            Some(Page::Offline | Page::Account(_) | Page::Erase(_) | Page::Compose(_)) | None => {
                Task::none()
            }
        }
    }

    pub(super) fn retry(&mut self, context: &Context<'_>) -> Task<Message> {
        if !context.reachable() {
            return Task::none();
        }
        self.notice = None;
        if matches!(self.page(), Some(Page::Offline)) {
            self.pages.pop();
        }
        if self.pages.is_empty() {
            self.load_section(context)
        } else {
            self.reload(context)
        }
    }

    pub(super) fn sign_in(
        &mut self,
        alias: String,
        pin: String,
        sign_up: bool,
        context: &Context<'_>,
    ) -> Task<Message> {
        let Some(session_id) = context.session else {
            return Task::none();
        };
        self.request(context, move |mut client| async move {
            let result = if sign_up {
                client.sign_up(&alias, &pin, session_id).await
            } else {
                client.log_in(&alias, &pin, session_id).await
            };
            Reply::LoggedIn(result.map(|login| Connection {
                client,
                alias: Some(login.citizen.alias),
            }))
        })
    }

    pub(super) fn log_out(&mut self, context: &Context<'_>) -> Task<Message> {
        let Some(mut client) = self.connection.take().map(|connection| connection.client) else {
            return Task::none();
        };
        self.unsent = None;
        self.pages.retain(|page| !matches!(page, Page::Compose(_)));
        self.notice = Some(context.look.t("account-logged-out"));
        let reload = self.reload(context);
        // The manager ends the login with the session anyway; this ends it now.
        let forget = Task::future(async move {
            if let Err(error) = client.log_out().await {
                tracing::info!(%error, "citizen logout not confirmed");
            }
        })
        .discard();
        Task::batch([forget, reload])
    }

    pub(super) fn erase(
        &mut self,
        pin: String,
        posts: ErasedPosts,
        context: &Context<'_>,
    ) -> Task<Message> {
        self.request(context, move |mut client| async move {
            Reply::Erased(client.erase_account(&pin, posts).await)
        })
    }

    pub(super) fn delete(&mut self, post_id: i64, context: &Context<'_>) -> Task<Message> {
        self.request(context, move |client| async move {
            Reply::Deleted(client.delete_post(post_id).await)
        })
    }

    pub(super) fn join(&mut self, community_id: i64, context: &Context<'_>) -> Task<Message> {
        self.request(context, move |client| async move {
            Reply::Membership(client.join(community_id).await.map(|_| community_id))
        })
    }

    pub(super) fn leave(&mut self, community_id: i64, context: &Context<'_>) -> Task<Message> {
        self.request(context, move |client| async move {
            Reply::Membership(client.leave(community_id).await.map(|()| community_id))
        })
    }

    pub(super) fn send_post(&mut self, context: &Context<'_>) -> Task<Message> {
        let Some(Page::Compose(composer)) = self.page() else {
            return Task::none();
        };
        let target = composer.target.clone();
        let title = composer.title.trim().to_owned();
        let body = composer.text();
        let language = context.look.language().to_string();
        self.request(context, move |client| async move {
            let result = match target {
                Target::NewThread { board_id, .. } => client
                    .start_thread(board_id, &NewThread { title, body })
                    .await
                    .map(|created| Sent {
                        held: created.post.status != PostStatus::Published,
                        started: Some(created.thread),
                        new_post: true,
                        proposal: false,
                    }),
                Target::Reply { thread_id, .. } => client
                    .reply(thread_id, &NewPost { body })
                    .await
                    .map(|post| Sent {
                        held: post.status != PostStatus::Published,
                        started: None,
                        new_post: true,
                        proposal: false,
                    }),
                Target::Edit { post_id, .. } => client
                    .edit_post(post_id, &PostEdit { body, title: None })
                    .await
                    .map(|post| Sent {
                        held: post.status != PostStatus::Published,
                        started: None,
                        new_post: false,
                        proposal: false,
                    }),
                Target::Proposal => client
                    .propose(&NewProposal {
                        title,
                        body,
                        language,
                    })
                    .await
                    .map(|proposal| Sent {
                        held: proposal.moderation != ProposalModeration::Published,
                        started: None,
                        new_post: false,
                        proposal: true,
                    }),
            };
            Reply::Sent(result)
        })
    }

    pub(super) fn send_report(&mut self, context: &Context<'_>) -> Task<Message> {
        let Some(Page::Thread(thread)) = self.page() else {
            return Task::none();
        };
        let Some(Reporting {
            post_id,
            reason: Some(reason),
            details,
        }) = thread.reporting.clone()
        else {
            return Task::none();
        };
        let details = (reason == ReportReason::Other).then(|| details.trim().to_owned());
        self.request(context, move |client| async move {
            Reply::Reported(client.report(post_id, &NewReport { reason, details }).await)
        })
    }
}
