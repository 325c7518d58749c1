//! `HelpChatClient`: live help from the kiosk, as this kiosk and, when a
//! citizen is logged in, with their login (the staff then see their alias).
//!
//! The kiosk waits for the staff's answers with a **long poll**:
//! [`HelpChatClient::wait_for_messages`] asks for the messages after the
//! last one seen and the manager holds the request until one arrives (or
//! `wait_s` passes). One request, one answer: it fits the kiosk's screens,
//! whose tasks each bring back one message, and a session that ends simply
//! drops the answer (an SSE stream would need reading and tearing down
//! apart from the screen). A new message reaches the kiosk as soon as it is
//! committed, within the second the issue asks for.

use std::time::Duration;

use plaza_api::help_chat::{
    Conversation, HelpAvailability, HelpMessage, OpenConversationRequest, SendMessageRequest,
};
use plaza_api::participation::CITIZEN_TOKEN_HEADER;
use reqwest::{Method, RequestBuilder};
use uuid::Uuid;

use crate::error::ClientResult;
use crate::http::{Http, call, call_empty};

/// What a long poll may take beyond the wait the manager was asked for.
const POLL_MARGIN: Duration = Duration::from_secs(10);

/// Live help calls of one kiosk (and citizen); cheap to clone, printed
/// without its tokens.
#[derive(Clone)]
pub struct HelpChatClient {
    http: Http,
    kiosk_token: String,
    citizen_token: Option<String>,
}

impl std::fmt::Debug for HelpChatClient {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("HelpChatClient")
            .field("base_url", &self.http.base_url())
            .field("as_citizen", &self.citizen_token.is_some())
            .finish_non_exhaustive()
    }
}

impl HelpChatClient {
    pub(crate) fn from_http(
        http: Http,
        kiosk_token: impl Into<String>,
        citizen_token: Option<String>,
    ) -> Self {
        Self {
            http,
            kiosk_token: kiosk_token.into(),
            citizen_token,
        }
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let request = self
            .http
            .request(method, &format!("/help{path}"))
            .bearer_auth(&self.kiosk_token);
        match &self.citizen_token {
            Some(token) => request.header(CITIZEN_TOKEN_HEADER, token),
            None => request,
        }
    }

    /// Whether a member of staff can answer now, and the centre's hours.
    pub async fn availability(&self) -> ClientResult<HelpAvailability> {
        call(self.request(Method::GET, "/availability")).await
    }

    /// Opens a conversation with the citizen's first message.
    pub async fn open(&self, text: &str) -> ClientResult<Conversation> {
        let body = OpenConversationRequest {
            text: text.to_owned(),
        };
        call(self.request(Method::POST, "/conversations").json(&body)).await
    }

    pub async fn send(&self, conversation: Uuid, text: &str) -> ClientResult<HelpMessage> {
        let body = SendMessageRequest {
            text: text.to_owned(),
        };
        let path = format!("/conversations/{conversation}/messages");
        call(self.request(Method::POST, &path).json(&body)).await
    }

    /// The messages after `after`, waiting up to `wait_s` seconds for one
    /// when there are none yet (0: answer at once).
    pub async fn wait_for_messages(
        &self,
        conversation: Uuid,
        after: i64,
        wait_s: u32,
    ) -> ClientResult<Conversation> {
        let path = format!("/conversations/{conversation}/messages?after={after}&wait_s={wait_s}");
        let request = self
            .request(Method::GET, &path)
            .timeout(Duration::from_secs(u64::from(wait_s)) + POLL_MARGIN);
        call(request).await
    }

    /// Ends the conversation (the citizen left or the session ended).
    pub async fn end(&self, conversation: Uuid) -> ClientResult<()> {
        let path = format!("/conversations/{conversation}/end");
        call_empty(self.request(Method::POST, &path)).await
    }
}
