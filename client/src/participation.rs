//! `ParticipationClient`: what the kiosk's forum and community screens ask
//! of the manager, on behalf of the kiosk and, after login, of a citizen.
//!
//! Forums need the connection: every failure to reach the manager is
//! [`ClientError::Unreachable`](crate::ClientError::Unreachable), so the kiosk can say so plainly and keep the
//! text being written for a retry.

use std::time::Duration;

use plaza_api::participation::CITIZEN_TOKEN_HEADER;
use plaza_api::participation::accounts::{
    CitizenLogin, CitizenProfile, Credentials, Erased, ErasedPosts, OwnErasure, PinChange,
};
use plaza_api::participation::communities::{CommunityDetail, CommunityList, Membership};
use plaza_api::participation::forums::{
    BoardList, NewPost, NewReport, NewThread, Post, PostEdit, ReportReceipt, ThreadCreated,
    ThreadPage, ThreadView,
};
use reqwest::{Method, RequestBuilder};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::error::ClientResult;
use crate::http::{self, Http};

/// Longest wait for one call before the manager counts as unreachable.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// One kiosk talking to its manager about forums and communities, and the
/// citizen logged in through it; cheap to clone. Printed without its tokens.
#[derive(Clone)]
pub struct ParticipationClient {
    http: Http,
    kiosk_token: String,
    citizen_token: Option<String>,
}

impl std::fmt::Debug for ParticipationClient {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("ParticipationClient")
            .field("base_url", &self.http.base_url())
            .field("logged_in", &self.is_logged_in())
            .finish_non_exhaustive()
    }
}

impl ParticipationClient {
    /// `base_url` is the manager's address, e.g. `http://10.0.0.2:8080`.
    /// A kiosk gets one from its [`ManagerClient::participation`](crate::ManagerClient::participation), sharing
    /// its connections and timeout.
    pub fn new(base_url: impl Into<String>, kiosk_token: impl Into<String>) -> ClientResult<Self> {
        Ok(Self::from_http(
            Http::new(&base_url.into(), REQUEST_TIMEOUT)?,
            kiosk_token,
        ))
    }

    pub(crate) fn from_http(http: Http, kiosk_token: impl Into<String>) -> Self {
        Self {
            http,
            kiosk_token: kiosk_token.into(),
            citizen_token: None,
        }
    }

    /// Whether a citizen is logged in (as far as this client knows).
    pub fn is_logged_in(&self) -> bool {
        self.citizen_token.is_some()
    }

    /// Live help through these connections, as the logged-in citizen if
    /// any (staff then see their alias).
    pub fn help_chat(&self) -> crate::HelpChatClient {
        crate::HelpChatClient::from_http(
            self.http.clone(),
            &self.kiosk_token,
            self.citizen_token.clone(),
        )
    }

    /// Forgets the citizen's login without telling the manager (the session
    /// wipe; the manager ends the login with the session anyway).
    pub fn forget_citizen(&mut self) {
        self.citizen_token = None;
    }

    /// A new account for `alias`, logged in for the kiosk session named.
    pub async fn sign_up(
        &mut self,
        alias: &str,
        pin: &str,
        session_id: Uuid,
    ) -> ClientResult<CitizenLogin> {
        self.log_in_at("/citizens", alias, pin, session_id).await
    }

    pub async fn log_in(
        &mut self,
        alias: &str,
        pin: &str,
        session_id: Uuid,
    ) -> ClientResult<CitizenLogin> {
        self.log_in_at("/citizens/login", alias, pin, session_id)
            .await
    }

    /// Calls as the citizen from now on.
    async fn log_in_at(
        &mut self,
        path: &str,
        alias: &str,
        pin: &str,
        session_id: Uuid,
    ) -> ClientResult<CitizenLogin> {
        let credentials = Credentials {
            alias: alias.to_owned(),
            pin: pin.to_owned(),
            session_id,
        };
        let login: CitizenLogin = self.call(Method::POST, path, Some(&credentials)).await?;
        self.citizen_token = Some(login.token.clone());
        Ok(login)
    }

    /// Ends the login on the manager too; forgets it here whatever happens.
    pub async fn log_out(&mut self) -> ClientResult<()> {
        let result = self
            .call_empty(Method::POST, "/citizens/logout", None::<&()>)
            .await;
        self.citizen_token = None;
        result
    }

    pub async fn me(&self) -> ClientResult<CitizenProfile> {
        self.call(Method::GET, "/citizens/me", None::<&()>).await
    }

    pub async fn change_pin(&self, current_pin: &str, new_pin: &str) -> ClientResult<()> {
        let change = PinChange {
            current_pin: current_pin.to_owned(),
            new_pin: new_pin.to_owned(),
        };
        self.call_empty(Method::PUT, "/citizens/me/pin", Some(&change))
            .await
    }

    /// Erases the logged-in account (confirmed with its PIN); the login ends
    /// with it, so this client is the kiosk's alone after.
    pub async fn erase_account(&mut self, pin: &str, posts: ErasedPosts) -> ClientResult<Erased> {
        let request = OwnErasure {
            pin: pin.to_owned(),
            posts,
        };
        let erased = self
            .call(Method::POST, "/citizens/me/erasure", Some(&request))
            .await?;
        self.citizen_token = None;
        Ok(erased)
    }

    pub async fn boards(&self) -> ClientResult<BoardList> {
        self.call(Method::GET, "/forums/boards", None::<&()>).await
    }

    pub async fn threads(&self, board_id: i64, cursor: Option<&str>) -> ClientResult<ThreadPage> {
        let path = paged(&format!("/forums/boards/{board_id}/threads"), cursor);
        self.call(Method::GET, &path, None::<&()>).await
    }

    pub async fn thread(&self, thread_id: i64, cursor: Option<&str>) -> ClientResult<ThreadView> {
        let path = paged(&format!("/forums/threads/{thread_id}"), cursor);
        self.call(Method::GET, &path, None::<&()>).await
    }

    pub async fn start_thread(
        &self,
        board_id: i64,
        thread: &NewThread,
    ) -> ClientResult<ThreadCreated> {
        self.call(
            Method::POST,
            &format!("/forums/boards/{board_id}/threads"),
            Some(thread),
        )
        .await
    }

    pub async fn reply(&self, thread_id: i64, post: &NewPost) -> ClientResult<Post> {
        self.call(
            Method::POST,
            &format!("/forums/threads/{thread_id}/posts"),
            Some(post),
        )
        .await
    }

    pub async fn edit_post(&self, post_id: i64, edit: &PostEdit) -> ClientResult<Post> {
        self.call(
            Method::PATCH,
            &format!("/forums/posts/{post_id}"),
            Some(edit),
        )
        .await
    }

    pub async fn delete_post(&self, post_id: i64) -> ClientResult<()> {
        self.call_empty(
            Method::DELETE,
            &format!("/forums/posts/{post_id}"),
            None::<&()>,
        )
        .await
    }

    pub async fn report(&self, post_id: i64, report: &NewReport) -> ClientResult<ReportReceipt> {
        self.call(
            Method::POST,
            &format!("/forums/posts/{post_id}/reports"),
            Some(report),
        )
        .await
    }

    pub async fn communities(&self) -> ClientResult<CommunityList> {
        self.call(Method::GET, "/communities", None::<&()>).await
    }

    pub async fn community(&self, community_id: i64) -> ClientResult<CommunityDetail> {
        self.call(
            Method::GET,
            &format!("/communities/{community_id}"),
            None::<&()>,
        )
        .await
    }

    /// Joins, or asks to join when the community needs approval.
    pub async fn join(&self, community_id: i64) -> ClientResult<Membership> {
        self.call(
            Method::POST,
            &format!("/communities/{community_id}/membership"),
            None::<&()>,
        )
        .await
    }

    pub async fn leave(&self, community_id: i64) -> ClientResult<()> {
        self.call_empty(
            Method::DELETE,
            &format!("/communities/{community_id}/membership"),
            None::<&()>,
        )
        .await
    }

    fn request<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> RequestBuilder {
        let mut request = self
            .http
            .request(method, path)
            .bearer_auth(&self.kiosk_token);
        if let Some(token) = &self.citizen_token {
            request = request.header(CITIZEN_TOKEN_HEADER, token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        request
    }

    pub(crate) async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> ClientResult<T> {
        http::call(self.request(method, path, body)).await
    }

    async fn call_empty<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> ClientResult<()> {
        http::call_empty(self.request(method, path, body)).await
    }
}

fn paged(path: &str, cursor: Option<&str>) -> String {
    match cursor {
        // Cursors are digits and dots, safe in a query string as they are.
        Some(cursor) => format!("{path}?cursor={cursor}"),
        None => path.to_owned(),
    }
}
