//! `ParticipationClient`: what the kiosk's forum and community screens ask
//! of the manager, with errors a screen can act on. No iced types, so the
//! kiosk tests it without a window and the manager's tests drive it against
//! a real server.
//!
//! Forums need the connection: every failure to reach the manager is
//! [`ClientError::Offline`], so the kiosk can say so plainly and keep the
//! text being written for a retry.

use std::time::Duration;

use reqwest::header::RETRY_AFTER;
use reqwest::{Method, RequestBuilder, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::CITIZEN_TOKEN_HEADER;
use super::accounts::{CitizenLogin, CitizenProfile, Credentials, PinChange};
use super::communities::{CommunityDetail, CommunityList, Membership};
use super::forums::{
    BoardList, NewPost, NewReport, NewThread, Post, PostEdit, ReportReceipt, ThreadCreated,
    ThreadPage, ThreadView,
};
use crate::API_PREFIX;
use crate::error::ErrorBody;

/// Longest wait for one call before the manager counts as unreachable.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a call failed. `Clone`, so it can travel in UI messages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// The manager could not be reached (network down, manager stopped,
    /// timeout). Nothing was changed; the same call can be retried.
    #[error("the manager cannot be reached: {0}")]
    Offline(String),
    /// The citizen's login is over (session ended, an hour passed, logged
    /// out) or was never made: log in again.
    #[error("{message}")]
    LoggedOut { message: String },
    /// The manager refused: `code` is its stable error code, `message` can
    /// be shown; `retry_after_s` is set for a locked account or the rate limit.
    #[error("{message}")]
    Refused {
        status: u16,
        code: String,
        message: String,
        retry_after_s: Option<u64>,
    },
    /// The reply was not what this client understands.
    #[error("unexpected reply from the manager: {0}")]
    Protocol(String),
}

impl ClientError {
    /// Worth sending again as it is (later): the manager was unreachable,
    /// busy, or asked to wait.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Offline(_) => true,
            Self::Refused { status, .. } => *status == 429 || *status >= 500,
            Self::LoggedOut { .. } | Self::Protocol(_) => false,
        }
    }

    /// The manager's error code, if it answered with one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Refused { code, .. } => Some(code),
            _ => None,
        }
    }
}

pub type ClientResult<T> = Result<T, ClientError>;

/// One kiosk talking to its manager; cheap to clone.
#[derive(Debug, Clone)]
pub struct ParticipationClient {
    http: reqwest::Client,
    base_url: String,
    kiosk_token: String,
    citizen_token: Option<String>,
}

impl ParticipationClient {
    /// `base_url` is the manager's address, e.g. `http://10.0.0.2:8080`.
    pub fn new(base_url: impl Into<String>, kiosk_token: impl Into<String>) -> ClientResult<Self> {
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .build()
            .map_err(|error| ClientError::Protocol(error.to_string()))?;
        Ok(Self {
            http,
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            kiosk_token: kiosk_token.into(),
            citizen_token: None,
        })
    }

    /// Whether a citizen is logged in (as far as this client knows).
    pub fn is_logged_in(&self) -> bool {
        self.citizen_token.is_some()
    }

    /// Forgets the citizen's login without telling the manager (the session
    /// wipe; the manager ends the login with the session anyway).
    pub fn forget_citizen(&mut self) {
        self.citizen_token = None;
    }

    pub async fn sign_up(
        &mut self,
        alias: &str,
        pin: &str,
        session_id: Uuid,
    ) -> ClientResult<CitizenLogin> {
        let login: CitizenLogin = self
            .call(
                Method::POST,
                "/citizens",
                Some(&credentials(alias, pin, session_id)),
            )
            .await?;
        self.citizen_token = Some(login.token.clone());
        Ok(login)
    }

    pub async fn log_in(
        &mut self,
        alias: &str,
        pin: &str,
        session_id: Uuid,
    ) -> ClientResult<CitizenLogin> {
        let login: CitizenLogin = self
            .call(
                Method::POST,
                "/citizens/login",
                Some(&credentials(alias, pin, session_id)),
            )
            .await?;
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

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let request = self
            .http
            .request(method, format!("{}{API_PREFIX}{path}", self.base_url))
            .bearer_auth(&self.kiosk_token);
        match &self.citizen_token {
            Some(token) => request.header(CITIZEN_TOKEN_HEADER, token),
            None => request,
        }
    }

    async fn send<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> ClientResult<reqwest::Response> {
        let mut request = self.request(method, path);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(|error| {
            if error.is_connect() || error.is_timeout() || error.is_request() {
                ClientError::Offline(error.to_string())
            } else {
                ClientError::Protocol(error.to_string())
            }
        })?;
        if response.status().is_success() {
            Ok(response)
        } else {
            Err(refusal(response).await)
        }
    }

    async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> ClientResult<T> {
        self.send(method, path, body)
            .await?
            .json()
            .await
            .map_err(|error| ClientError::Protocol(error.to_string()))
    }

    async fn call_empty<B: Serialize>(
        &self,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> ClientResult<()> {
        self.send(method, path, body).await.map(drop)
    }
}

fn credentials(alias: &str, pin: &str, session_id: Uuid) -> Credentials {
    Credentials {
        alias: alias.to_owned(),
        pin: pin.to_owned(),
        session_id,
    }
}

fn paged(path: &str, cursor: Option<&str>) -> String {
    match cursor {
        // Cursors are digits and dots, safe in a query string as they are.
        Some(cursor) => format!("{path}?cursor={cursor}"),
        None => path.to_owned(),
    }
}

async fn refusal(response: reqwest::Response) -> ClientError {
    let status = response.status();
    let retry_after_s = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse().ok());
    let body: Option<ErrorBody> = response.json().await.ok();
    let (code, message) = match body {
        Some(body) => (body.error.code, body.error.message),
        None => (
            "unknown".to_owned(),
            format!("the manager answered {status}"),
        ),
    };
    let logged_out = status == StatusCode::UNAUTHORIZED
        && matches!(
            code.as_str(),
            "citizen_login_expired" | "citizen_login_required"
        );
    if logged_out {
        ClientError::LoggedOut { message }
    } else {
        ClientError::Refused {
            status: status.as_u16(),
            code,
            message,
            retry_after_s,
        }
    }
}
