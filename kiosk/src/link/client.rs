//! `ManagerClient`: the kiosk's HTTP calls to its manager (reqwest + rustls).

use std::time::Duration;

use plaza_api::catalogue::CatalogueSync;
use plaza_api::enrol::{EnrolRequest, EnrolResponse};
use plaza_api::error::ErrorBody;
use plaza_api::events::{EventBatch, EventBatchResponse};
use plaza_api::heartbeat::{HeartbeatRequest, HeartbeatResponse};
use plaza_api::profile::KioskProfile;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::credentials::Credentials;

/// Why a call to the manager failed. `Clone` so it can travel in UI messages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// No answer: network down, manager stopped, timeout. Worth retrying.
    #[error("manager unreachable: {0}")]
    Unreachable(String),
    /// The manager answered with an error.
    #[error("manager refused ({status}): {code}: {message}")]
    Refused {
        status: u16,
        code: String,
        message: String,
    },
    /// The answer was not what the contract says.
    #[error("unexpected answer from the manager: {0}")]
    Decode(String),
    #[error("this kiosk is not enrolled yet")]
    NotEnrolled,
}

impl ClientError {
    /// Errors that may pass by themselves (retry with backoff).
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Unreachable(_) | Self::Decode(_) => true,
            Self::Refused { status, .. } => *status == 429 || *status >= 500,
            Self::NotEnrolled => false,
        }
    }

    /// The manager no longer accepts this kiosk's token.
    pub fn is_unauthorised(&self) -> bool {
        matches!(self, Self::Refused { status: 401, .. })
    }
}

/// Calls to one manager, with or without this kiosk's credentials.
#[derive(Debug, Clone)]
pub struct ManagerClient {
    http: reqwest::Client,
    base_url: String,
    credentials: Option<(Uuid, String)>,
}

impl ManagerClient {
    /// A client for `base_url` (e.g. `https://plaza.example.org`).
    pub fn new(base_url: &str, timeout: Duration) -> Result<Self, ClientError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .user_agent(concat!("plaza-kiosk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| ClientError::Unreachable(error.to_string()))?;
        Ok(Self {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            credentials: None,
        })
    }

    pub fn with_credentials(mut self, credentials: &Credentials) -> Self {
        self.credentials = Some((credentials.kiosk_id, credentials.token.clone()));
        self
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub fn kiosk_id(&self) -> Option<Uuid> {
        self.credentials.as_ref().map(|(id, _)| *id)
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}{path}", self.base_url, plaza_api::API_PREFIX)
    }

    fn authorised(&self) -> Result<(Uuid, &str), ClientError> {
        self.credentials
            .as_ref()
            .map(|(id, token)| (*id, token.as_str()))
            .ok_or(ClientError::NotEnrolled)
    }

    /// Exchanges a one-time enrolment code for a kiosk id and token.
    pub async fn enrol(&self, code: &str, hostname: &str) -> Result<EnrolResponse, ClientError> {
        let request = self
            .http
            .post(self.url("/kiosks/enroll"))
            .json(&EnrolRequest {
                code: code.trim().to_owned(),
                hostname: hostname.to_owned(),
            });
        answer(request).await
    }

    pub async fn heartbeat(
        &self,
        heartbeat: &HeartbeatRequest,
    ) -> Result<HeartbeatResponse, ClientError> {
        let (id, token) = self.authorised()?;
        let request = self
            .http
            .post(self.url(&format!("/kiosks/{id}/heartbeat")))
            .bearer_auth(token)
            .json(heartbeat);
        answer(request).await
    }

    pub async fn post_events(&self, batch: &EventBatch) -> Result<EventBatchResponse, ClientError> {
        let (_, token) = self.authorised()?;
        let request = self
            .http
            .post(self.url("/events"))
            .bearer_auth(token)
            .json(batch);
        answer(request).await
    }

    pub async fn profile(&self) -> Result<KioskProfile, ClientError> {
        let (id, token) = self.authorised()?;
        let request = self
            .http
            .get(self.url(&format!("/kiosks/{id}/profile")))
            .bearer_auth(token);
        answer(request).await
    }

    /// What changed in the catalogues since the copy at `since_version`
    /// (everything for 0). Public content: no credentials needed.
    pub async fn catalogue(&self, since_version: u64) -> Result<CatalogueSync, ClientError> {
        let request = self
            .http
            .get(self.url("/catalogue"))
            .query(&[("since_version", since_version)]);
        answer(request).await
    }
}

async fn answer<T: DeserializeOwned>(request: reqwest::RequestBuilder) -> Result<T, ClientError> {
    let response = request
        .send()
        .await
        .map_err(|error| ClientError::Unreachable(error.to_string()))?;
    let status = response.status();
    if status.is_success() {
        return response
            .json()
            .await
            .map_err(|error| ClientError::Decode(error.to_string()));
    }
    let body = response.bytes().await.unwrap_or_default();
    Err(match serde_json::from_slice::<ErrorBody>(&body) {
        Ok(error) => ClientError::Refused {
            status: status.as_u16(),
            code: error.error.code,
            message: error.error.message,
        },
        Err(_) => ClientError::Refused {
            status: status.as_u16(),
            code: status
                .canonical_reason()
                .unwrap_or("error")
                .to_lowercase()
                .replace(' ', "_"),
            message: String::from_utf8_lossy(&body).chars().take(200).collect(),
        },
    })
}

/// The status codes that say a batch itself is at fault, not the manager.
pub(crate) fn batch_is_at_fault(status: u16) -> bool {
    status == StatusCode::BAD_REQUEST.as_u16()
        || status == StatusCode::PAYLOAD_TOO_LARGE.as_u16()
        || status == StatusCode::UNPROCESSABLE_ENTITY.as_u16()
}
