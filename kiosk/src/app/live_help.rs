//! Live help in the app: which client the chat calls with (the citizen's
//! login when there is one, so staff see the alias), its actions, and
//! ending the conversation on the manager when the session wipes it here.

use iced::Task;
use plaza_client::HelpChatClient;
use uuid::Uuid;

use super::{Kiosk, Message, Screen};
use plaza_api::session::Section;

use crate::screen::{help, help_chat};

impl Kiosk {
    /// The chat's calls: as the logged-in citizen if any, else as the
    /// kiosk; `None` when not enrolled.
    fn help_chat_client(&self) -> Option<HelpChatClient> {
        match &self.citizen.participation.connection {
            Some(connection) if connection.alias.is_some() => Some(connection.client.help_chat()),
            _ => self
                .link
                .client()
                .and_then(|manager| manager.help_chat().ok()),
        }
    }

    pub(super) fn open_help_chat(&mut self) -> Task<Message> {
        let client = self.help_chat_client();
        let action = self.citizen.help_chat.open(client);
        self.go(Screen::HelpChat);
        self.help_chat_done(action)
    }

    pub(super) fn help_chat(&mut self, message: help_chat::Message) -> Task<Message> {
        let client = self.help_chat_client();
        let action = self.citizen.help_chat.update(message, client);
        self.help_chat_done(action)
    }

    fn help_chat_done(&mut self, action: help_chat::Action) -> Task<Message> {
        match action {
            help_chat::Action::None => Task::none(),
            help_chat::Action::Run(task) => self.in_session(task.map(Message::HelpChat)),
            help_chat::Action::Back => {
                self.go(Screen::Help(help::State::default()));
                Task::none()
            }
            // Nobody can answer: "Pedidos y reclamos" instead.
            help_chat::Action::LeaveRequest => self.open_section(Section::Requests),
        }
    }

    /// The conversation open before a message, and the client it used.
    pub(super) fn open_conversation(&self) -> Option<(Uuid, HelpChatClient)> {
        let id = self.citizen.help_chat.conversation()?;
        Some((id, self.help_chat_client()?))
    }

    /// After a message: if the session's wipe took an open conversation,
    /// tell the manager it ended (the answer is of no one's concern now).
    pub(super) fn farewell(&self, before: Option<(Uuid, HelpChatClient)>) -> Task<Message> {
        match before {
            Some((id, client)) if self.citizen.help_chat.conversation() != Some(id) => {
                Task::future(async move {
                    if let Err(error) = client.end(id).await {
                        tracing::info!(%error, "the manager did not hear that a chat ended");
                    }
                })
                .discard()
            }
            _ => Task::none(),
        }
    }
}
