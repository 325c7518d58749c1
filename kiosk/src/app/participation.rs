//! The app's side of forums and communities: navigation between their
//! pages, the requests to the manager (async `Task`s through the iced-free
//! `ParticipationClient`), and what their answers change.
//!
//! Every answer names the kiosk session that asked; one arriving after that
//! session ended is dropped, so nothing (least of all a login) reaches the
//! next citizen. The login and any unsent post live in `Citizen`, which the
//! session wipe replaces whole.

use std::future::Future;

use iced::Task;
use plaza_api::participation::client::ParticipationClient;
use plaza_api::participation::forums::{
    NewPost, NewReport, NewThread, PostEdit, PostStatus, ReportReason,
};
use plaza_api::participation::limits;
use plaza_api::session::Section;

mod replies;

pub use replies::{Reply, Sent};

use super::{Kiosk, Message, Screen};
use crate::screen::participation::boards::Threads;
use crate::screen::participation::composer::{self, Target};
use crate::screen::participation::thread::{self, Reporting};
use crate::screen::participation::{self as screen, Link, Page, account};

impl Kiosk {
    /// Forums need the manager: enrolled, and heard from lately.
    fn manager_reachable(&self) -> bool {
        self.credentials.is_some() && self.online
    }

    pub(super) fn open_participation(&mut self, section: Section) -> Task<Message> {
        self.go(Screen::Participation);
        let state = &mut self.citizen.participation;
        state.section = Some(section);
        state.pages.clear();
        state.notice = None;
        if !self.manager_reachable() {
            self.citizen.participation.push(Page::Offline);
            return Task::none();
        }
        self.load_section()
    }

    fn load_section(&mut self) -> Task<Message> {
        let state = &mut self.citizen.participation;
        if state.section == Some(Section::Communities) {
            state.push(Page::Communities(None));
            self.request(|client| async move { Reply::Communities(client.communities().await) })
        } else {
            state.push(Page::Boards(None));
            self.request(|client| async move { Reply::Boards(client.boards().await) })
        }
    }

    /// The client for this citizen: theirs after login, the kiosk's before.
    fn participation_client(&mut self) -> Option<ParticipationClient> {
        if let Some(link) = &self.citizen.participation.link {
            return Some(link.client.clone());
        }
        let credentials = self.credentials.as_ref()?;
        let client = ParticipationClient::new(&credentials.manager_url, &credentials.token)
            .inspect_err(|error| tracing::error!(%error, "cannot build the forums client"))
            .ok()?;
        self.citizen.participation.link = Some(Link {
            client: client.clone(),
            alias: None,
        });
        Some(client)
    }

    /// Sends a request on behalf of the citizen of the running session.
    fn request<Fut>(&mut self, call: impl FnOnce(ParticipationClient) -> Fut) -> Task<Message>
    where
        Fut: Future<Output = Reply> + Send + 'static,
    {
        let Some(session_id) = self.terminal.session().map(|session| session.id) else {
            return Task::none();
        };
        let Some(client) = self.participation_client() else {
            self.citizen.participation.push(Page::Offline);
            return Task::none();
        };
        self.citizen.participation.busy = true;
        Task::perform(call(client), move |reply| {
            Message::Participation(screen::Message::Replied(session_id, Box::new(reply)))
        })
    }

    pub(super) fn participation(&mut self, message: screen::Message) -> Task<Message> {
        use screen::Message as M;
        let state = &mut self.citizen.participation;
        match message {
            M::Back => {
                state.pages.pop();
                state.notice = None;
                if state.pages.is_empty() {
                    self.go(Screen::Home);
                } else {
                    // What is revealed may have changed meanwhile.
                    return self.reload();
                }
            }
            M::Retry => return self.retry(),
            M::OpenSection(section) => return self.open_section(section),
            M::SignIn => state.push(Page::Account(account::State::default())),
            M::LogOut => return self.log_out(),
            M::Account(message) => {
                if let Some(Page::Account(form)) = state.page_mut() {
                    return match form.update(message) {
                        account::Action::None => Task::none(),
                        account::Action::SignUp { alias, pin } => self.sign_in(alias, pin, true),
                        account::Action::LogIn { alias, pin } => self.sign_in(alias, pin, false),
                    };
                }
            }
            M::OpenBoard(board) => {
                let board_id = board.id;
                state.push(Page::Threads(Threads::loading(board)));
                return self.load_threads(board_id, None);
            }
            M::MoreThreads => {
                if let Some(Page::Threads(threads)) = state.page()
                    && let Some(cursor) = threads.next_cursor.clone()
                {
                    let board_id = threads.board.id;
                    return self.load_threads(board_id, Some(cursor));
                }
            }
            M::OpenThread(summary) => {
                let thread_id = summary.id;
                state.push(Page::Thread(thread::State::loading(summary)));
                return self.load_thread(thread_id, None);
            }
            M::MorePosts => {
                if let Some(Page::Thread(thread)) = state.page()
                    && let Some(cursor) = thread.next_cursor.clone()
                {
                    let thread_id = thread.thread.id;
                    return self.load_thread(thread_id, Some(cursor));
                }
            }
            M::NewThread => {
                if let Some(Page::Threads(threads)) = state.page() {
                    let target = Target::NewThread {
                        board_id: threads.board.id,
                        board_title: threads.board.title.clone(),
                    };
                    self.compose(composer::State::new(target));
                }
            }
            M::Reply => {
                if let Some(Page::Thread(thread)) = state.page() {
                    let target = Target::Reply {
                        thread_id: thread.thread.id,
                        thread_title: thread.thread.title.clone(),
                    };
                    self.compose(composer::State::new(target));
                }
            }
            M::Edit(post) => {
                let body = post.body.unwrap_or_default();
                self.compose(composer::State::editing(post.id, post.thread_id, &body));
            }
            M::ConfirmDelete(post_id) => {
                if let Some(Page::Thread(thread)) = state.page_mut() {
                    thread.confirm_delete = post_id;
                }
            }
            M::Delete(post_id) => {
                return self.request(move |client| async move {
                    Reply::Deleted(client.delete_post(post_id).await)
                });
            }
            M::Report(post_id) => {
                if post_id.is_some() && state.alias().is_none() {
                    self.must_sign_in();
                } else if let Some(Page::Thread(thread)) = state.page_mut() {
                    thread.reporting = post_id.map(|post_id| Reporting {
                        post_id,
                        reason: None,
                        details: String::new(),
                    });
                }
            }
            M::ReportReason(reason) => {
                if let Some(Page::Thread(thread)) = state.page_mut()
                    && let Some(reporting) = &mut thread.reporting
                {
                    reporting.reason = Some(reason);
                }
            }
            M::ReportDetails(details) => {
                if let Some(Page::Thread(thread)) = state.page_mut()
                    && let Some(reporting) = &mut thread.reporting
                {
                    reporting.details = details.chars().take(limits::REPORT_DETAILS_MAX).collect();
                }
            }
            M::SendReport => return self.send_report(),
            M::Composer(message) => {
                if let Some(Page::Compose(composer)) = state.page_mut() {
                    match composer.update(message) {
                        composer::Action::None => {}
                        composer::Action::Send => return self.send_post(),
                        composer::Action::Cancel => {
                            // Leaving on purpose discards the draft.
                            state.unsent = None;
                            state.pages.pop();
                        }
                    }
                }
            }
            M::OpenUnsent => {
                if let Some(unsent) = state.unsent.clone() {
                    state.push(Page::Compose(unsent));
                }
            }
            M::OpenCommunity(community_id) => return self.load_community(community_id),
            M::Join(community_id) => {
                return self.request(move |client| async move {
                    Reply::Membership(client.join(community_id).await.map(|_| community_id))
                });
            }
            M::Leave(community_id) => {
                return self.request(move |client| async move {
                    Reply::Membership(client.leave(community_id).await.map(|()| community_id))
                });
            }
            M::Replied(session_id, reply) => {
                if self.terminal.session().map(|session| session.id) != Some(session_id) {
                    tracing::info!("a forum answer for an ended session dropped");
                    return Task::none();
                }
                self.citizen.participation.busy = false;
                return self.replied(*reply);
            }
        }
        Task::none()
    }

    fn compose(&mut self, composer: composer::State) {
        if self.citizen.participation.alias().is_none() {
            self.must_sign_in();
            return;
        }
        self.citizen.participation.push(Page::Compose(composer));
    }

    fn must_sign_in(&mut self) {
        let notice = self.look().t("forums-sign-in-first");
        let state = &mut self.citizen.participation;
        state.push(Page::Account(account::State::default()));
        state.notice = Some(notice);
    }

    fn sign_in(&mut self, alias: String, pin: String, sign_up: bool) -> Task<Message> {
        let Some(session_id) = self.terminal.session().map(|session| session.id) else {
            return Task::none();
        };
        self.request(move |mut client| async move {
            let result = if sign_up {
                client.sign_up(&alias, &pin, session_id).await
            } else {
                client.log_in(&alias, &pin, session_id).await
            };
            Reply::LoggedIn(result.map(|login| Link {
                client,
                alias: Some(login.citizen.alias),
            }))
        })
    }

    fn log_out(&mut self) -> Task<Message> {
        let notice = self.look().t("account-logged-out");
        let state = &mut self.citizen.participation;
        let Some(mut client) = state.link.take().map(|link| link.client) else {
            return Task::none();
        };
        state.unsent = None;
        state.pages.retain(|page| !matches!(page, Page::Compose(_)));
        state.notice = Some(notice);
        let reload = self.reload();
        // The manager ends the login with the session anyway; this ends it now.
        let forget = Task::future(async move {
            if let Err(error) = client.log_out().await {
                tracing::info!(%error, "citizen logout not confirmed");
            }
        })
        .discard();
        Task::batch([forget, reload])
    }

    fn load_threads(&mut self, board_id: i64, cursor: Option<String>) -> Task<Message> {
        let more = cursor.is_some();
        self.request(move |client| async move {
            let result = client.threads(board_id, cursor.as_deref()).await;
            Reply::Threads { more, result }
        })
    }

    fn load_thread(&mut self, thread_id: i64, cursor: Option<String>) -> Task<Message> {
        let more = cursor.is_some();
        self.request(move |client| async move {
            let result = client.thread(thread_id, cursor.as_deref()).await;
            Reply::Thread { more, result }
        })
    }

    fn load_community(&mut self, community_id: i64) -> Task<Message> {
        self.request(
            move |client| async move { Reply::Community(client.community(community_id).await) },
        )
    }

    /// Loads the page shown again (after a login, a logout, a change).
    fn reload(&mut self) -> Task<Message> {
        match self.citizen.participation.page() {
            Some(Page::Boards(_)) => {
                self.request(|client| async move { Reply::Boards(client.boards().await) })
            }
            Some(Page::Communities(_)) => {
                self.request(|client| async move { Reply::Communities(client.communities().await) })
            }
            Some(Page::Threads(threads)) => {
                let board_id = threads.board.id;
                self.load_threads(board_id, None)
            }
            Some(Page::Thread(thread)) => {
                let thread_id = thread.thread.id;
                self.load_thread(thread_id, None)
            }
            Some(Page::Community(detail)) => {
                let community_id = detail.community.id;
                self.load_community(community_id)
            }
            Some(Page::Offline | Page::Account(_) | Page::Compose(_)) | None => Task::none(),
        }
    }

    fn retry(&mut self) -> Task<Message> {
        if !self.manager_reachable() {
            return Task::none();
        }
        let state = &mut self.citizen.participation;
        state.notice = None;
        if matches!(state.page(), Some(Page::Offline)) {
            state.pages.pop();
        }
        if state.pages.is_empty() {
            self.load_section()
        } else {
            self.reload()
        }
    }

    fn send_post(&mut self) -> Task<Message> {
        let Some(Page::Compose(composer)) = self.citizen.participation.page() else {
            return Task::none();
        };
        let target = composer.target.clone();
        let title = composer.title.trim().to_owned();
        let body = composer.text();
        self.request(move |client| async move {
            let result = match target {
                Target::NewThread { board_id, .. } => client
                    .start_thread(board_id, &NewThread { title, body })
                    .await
                    .map(|created| Sent {
                        held: created.post.status != PostStatus::Published,
                        started: Some(created.thread),
                        new_post: true,
                    }),
                Target::Reply { thread_id, .. } => client
                    .reply(thread_id, &NewPost { body })
                    .await
                    .map(|post| Sent {
                        held: post.status != PostStatus::Published,
                        started: None,
                        new_post: true,
                    }),
                Target::Edit { post_id, .. } => client
                    .edit_post(post_id, &PostEdit { body, title: None })
                    .await
                    .map(|post| Sent {
                        held: post.status != PostStatus::Published,
                        started: None,
                        new_post: false,
                    }),
            };
            Reply::Sent(result)
        })
    }

    fn send_report(&mut self) -> Task<Message> {
        let Some(Page::Thread(thread)) = self.citizen.participation.page() else {
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
        self.request(move |client| async move {
            Reply::Reported(client.report(post_id, &NewReport { reason, details }).await)
        })
    }
}
