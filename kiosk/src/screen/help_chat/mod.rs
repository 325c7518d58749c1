//! Live help ("Ayuda en vivo"): the citizen writes to the centre's staff
//! and reads their answers, reached from the help page.
//!
//! First it asks the manager whether anyone can answer; when nobody can, it
//! says so, shows the centre's hours and offers to leave a request instead
//! ([`Action::LeaveRequest`]). Answers arrive by long poll
//! (`HelpChatClient::wait_for_messages`): one request waiting at the
//! manager at a time, the next one asked when it answers, so a message
//! shows as soon as staff send it. The whole state (conversation, draft)
//! lives in the app's `Citizen` and goes with the session.

mod view;

use iced::Task;
use plaza_api::help_chat::{Conversation, HelpAvailability, HelpMessage};
use plaza_client::{ClientError, HelpChatClient};
use uuid::Uuid;

/// Seconds one long poll waits at the manager.
pub const POLL_WAIT_S: u32 = 20;

/// The message box, for focus and for tests.
pub const DRAFT_ID: &str = "help-chat-draft";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    pub phase: Phase,
    /// What the citizen is writing; kept when a send fails.
    pub draft: String,
    /// A request is on its way.
    pub busy: bool,
    /// What went wrong last, as a locale message id.
    pub notice: Option<&'static str>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub enum Phase {
    /// Asking whether anyone can answer.
    #[default]
    Checking,
    /// The manager cannot be reached (or the kiosk is not enrolled).
    Offline,
    /// Nobody can answer now: the centre and its hours.
    Unavailable {
        centre: String,
        hours: String,
    },
    /// Someone can answer: the first message opens the conversation.
    Ready,
    Open(Chat),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chat {
    pub id: Uuid,
    /// Oldest first, each once.
    pub messages: Vec<HelpMessage>,
    pub ended: bool,
    /// A long poll is waiting at the manager.
    pub polling: bool,
}

impl Chat {
    fn last_id(&self) -> i64 {
        self.messages.last().map_or(0, |message| message.id)
    }

    fn add(&mut self, messages: Vec<HelpMessage>) {
        for message in messages {
            if !self.messages.iter().any(|known| known.id == message.id) {
                self.messages.push(message);
            }
        }
        self.messages.sort_by_key(|message| message.id);
    }
}

#[derive(Debug, Clone)]
pub enum Message {
    Availability(Result<HelpAvailability, ClientError>),
    Draft(String),
    Send,
    Opened(Result<Conversation, ClientError>),
    Sent(Result<HelpMessage, ClientError>),
    Polled(Uuid, Result<Conversation, ClientError>),
    /// Ask again (availability, or reconnect the answers).
    Retry,
    End,
    Ended(Result<(), ClientError>),
    LeaveRequest,
    Back,
}

/// What the app does next.
pub enum Action {
    None,
    /// The screen's requests; their answers come back as messages.
    Run(Task<Message>),
    /// Back to the help page (the conversation goes on meanwhile).
    Back,
    /// "Leave a request" instead, when nobody can answer.
    LeaveRequest,
}

fn run<T: Send + 'static>(
    future: impl Future<Output = T> + Send + 'static,
    message: impl FnOnce(T) -> Message + Send + 'static,
) -> Action {
    Action::Run(Task::perform(future, message))
}

fn poll(chat: &mut Chat, client: HelpChatClient) -> Action {
    chat.polling = true;
    let (id, after) = (chat.id, chat.last_id());
    run(
        async move { client.wait_for_messages(id, after, POLL_WAIT_S).await },
        move |result| Message::Polled(id, result),
    )
}

/// The refusal in the citizen's words (a locale message id).
fn explain(error: &ClientError) -> &'static str {
    match error {
        ClientError::Refused { code, .. } if code == "words_not_allowed" => "chat-words",
        ClientError::Refused { status: 422, .. } => "chat-invalid",
        ClientError::Refused { status: 409, .. } => "chat-ended",
        _ => "chat-not-sent",
    }
}

impl State {
    /// The screen as the citizen opens it: an open conversation as it was;
    /// otherwise a fresh check of who can answer.
    pub fn open(&mut self, client: Option<HelpChatClient>) -> Action {
        if let Phase::Open(chat) = &self.phase
            && !chat.ended
        {
            return Action::None;
        }
        *self = State::default();
        self.check(client)
    }

    /// The open conversation, if any: what the app ends on the manager
    /// when the session is wiped.
    pub fn conversation(&self) -> Option<Uuid> {
        match &self.phase {
            Phase::Open(chat) if !chat.ended => Some(chat.id),
            _ => None,
        }
    }

    fn check(&mut self, client: Option<HelpChatClient>) -> Action {
        let Some(client) = client else {
            self.phase = Phase::Offline;
            return Action::None;
        };
        self.phase = Phase::Checking;
        run(
            async move { client.availability().await },
            Message::Availability,
        )
    }

    pub fn update(&mut self, message: Message, client: Option<HelpChatClient>) -> Action {
        match message {
            Message::Availability(result) => {
                self.phase = match result {
                    Ok(answer) if answer.available => Phase::Ready,
                    Ok(answer) => Phase::Unavailable {
                        centre: answer.centre,
                        hours: answer.hours,
                    },
                    Err(_) => Phase::Offline,
                };
            }
            Message::Draft(text) => self.draft = text,
            Message::Send => return self.send(client),
            Message::Opened(result) => {
                self.busy = false;
                match result {
                    Ok(conversation) => {
                        self.draft.clear();
                        self.notice = None;
                        let mut chat = Chat {
                            id: conversation.id,
                            messages: Vec::new(),
                            ended: conversation.ended,
                            polling: false,
                        };
                        chat.add(conversation.messages);
                        let action = client.map_or(Action::None, |client| poll(&mut chat, client));
                        self.phase = Phase::Open(chat);
                        return action;
                    }
                    Err(error) => self.notice = Some(explain(&error)),
                }
            }
            Message::Sent(result) => {
                self.busy = false;
                match (result, &mut self.phase) {
                    (Ok(message), Phase::Open(chat)) => {
                        self.draft.clear();
                        self.notice = None;
                        chat.add(vec![message]);
                    }
                    (Ok(_), _) => {}
                    (Err(error), phase) => {
                        let why = explain(&error);
                        if why == "chat-ended"
                            && let Phase::Open(chat) = phase
                        {
                            chat.ended = true;
                        }
                        self.notice = Some(why);
                    }
                }
            }
            Message::Polled(id, result) => {
                let Phase::Open(chat) = &mut self.phase else {
                    return Action::None;
                };
                if chat.id != id {
                    return Action::None;
                }
                chat.polling = false;
                match result {
                    Ok(conversation) => {
                        chat.add(conversation.messages);
                        chat.ended = conversation.ended;
                        if !chat.ended
                            && let Some(client) = client
                        {
                            return poll(chat, client);
                        }
                    }
                    // Shown as "not connected"; "try again" polls again.
                    Err(_) => self.notice = Some("chat-not-sent"),
                }
            }
            Message::Retry => match &mut self.phase {
                Phase::Open(chat) if !chat.ended && !chat.polling => {
                    self.notice = None;
                    if let Some(client) = client {
                        return poll(chat, client);
                    }
                }
                Phase::Open(_) => {}
                _ => return self.check(client),
            },
            Message::End => {
                if let Phase::Open(chat) = &mut self.phase
                    && !chat.ended
                {
                    chat.ended = true;
                    if let Some(client) = client {
                        let id = chat.id;
                        return run(async move { client.end(id).await }, Message::Ended);
                    }
                }
            }
            // Ended here whatever the manager said; staff see it end
            // when it does.
            Message::Ended(_) => {}
            Message::LeaveRequest => return Action::LeaveRequest,
            Message::Back => return Action::Back,
        }
        Action::None
    }

    fn send(&mut self, client: Option<HelpChatClient>) -> Action {
        let text = self.draft.trim().to_owned();
        if text.is_empty() || self.busy {
            return Action::None;
        }
        let Some(client) = client else {
            self.notice = Some("chat-not-sent");
            return Action::None;
        };
        match &self.phase {
            Phase::Ready => {
                self.busy = true;
                run(async move { client.open(&text).await }, Message::Opened)
            }
            Phase::Open(chat) if !chat.ended => {
                self.busy = true;
                let id = chat.id;
                run(async move { client.send(id, &text).await }, Message::Sent)
            }
            _ => Action::None,
        }
    }
}
