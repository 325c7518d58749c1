//! `ManagerClient`: the kiosk's own calls to its manager.

use std::time::Duration;

use plaza_api::catalogue::CatalogueSync;
use plaza_api::enrol::{EnrolRequest, EnrolResponse};
use plaza_api::events::{EventBatch, EventBatchResponse};
use plaza_api::heartbeat::{HeartbeatRequest, HeartbeatResponse};
use plaza_api::profile::KioskProfile;
use reqwest::Method;
use uuid::Uuid;

use crate::error::{ClientError, ClientResult};
use crate::help_chat::HelpChatClient;
use crate::http::{Http, call};
use crate::participation::ParticipationClient;

/// A kiosk's id and secret token, as its enrolment gave them.
#[derive(Clone, PartialEq, Eq)]
pub struct KioskToken {
    pub kiosk_id: Uuid,
    pub token: String,
}

impl std::fmt::Debug for KioskToken {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("KioskToken")
            .field("kiosk_id", &self.kiosk_id)
            .finish_non_exhaustive()
    }
}

/// Calls to one manager, with or without this kiosk's token; cheap to clone.
#[derive(Clone)]
pub struct ManagerClient {
    http: Http,
    credentials: Option<KioskToken>,
}

impl std::fmt::Debug for ManagerClient {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("ManagerClient")
            .field("base_url", &self.http.base_url())
            .field("credentials", &self.credentials)
            .finish()
    }
}

impl ManagerClient {
    /// A client for `base_url` (e.g. `https://plaza.example.org`); `timeout`
    /// bounds each call.
    pub fn new(base_url: &str, timeout: Duration) -> ClientResult<Self> {
        Ok(Self {
            http: Http::new(base_url, timeout)?,
            credentials: None,
        })
    }

    /// This client, calling as the kiosk `credentials` name.
    pub fn with_credentials(mut self, credentials: impl Into<KioskToken>) -> Self {
        self.credentials = Some(credentials.into());
        self
    }

    pub fn base_url(&self) -> &str {
        self.http.base_url()
    }

    pub fn kiosk_id(&self) -> Option<Uuid> {
        self.credentials
            .as_ref()
            .map(|credentials| credentials.kiosk_id)
    }

    fn authorised(&self) -> ClientResult<&KioskToken> {
        self.credentials.as_ref().ok_or(ClientError::NotEnrolled)
    }

    /// Forums and communities through this client's connections, as this
    /// kiosk (a citizen logs in on the client returned).
    pub fn participation(&self) -> ClientResult<ParticipationClient> {
        let credentials = self.authorised()?;
        Ok(ParticipationClient::from_http(
            self.http.clone(),
            &credentials.token,
        ))
    }

    /// Live help as this kiosk, with no citizen logged in.
    pub fn help_chat(&self) -> ClientResult<HelpChatClient> {
        let credentials = self.authorised()?;
        Ok(HelpChatClient::from_http(
            self.http.clone(),
            &credentials.token,
            None,
        ))
    }

    /// Exchanges a one-time enrolment code for a kiosk id and token.
    pub async fn enrol(&self, code: &str, hostname: &str) -> ClientResult<EnrolResponse> {
        let request = self
            .http
            .request(Method::POST, "/kiosks/enroll")
            .json(&EnrolRequest {
                code: code.trim().to_owned(),
                hostname: hostname.to_owned(),
            });
        call(request).await
    }

    pub async fn heartbeat(&self, heartbeat: &HeartbeatRequest) -> ClientResult<HeartbeatResponse> {
        let credentials = self.authorised()?;
        let path = format!("/kiosks/{}/heartbeat", credentials.kiosk_id);
        let request = self
            .http
            .request(Method::POST, &path)
            .bearer_auth(&credentials.token)
            .json(heartbeat);
        call(request).await
    }

    pub async fn post_events(&self, batch: &EventBatch) -> ClientResult<EventBatchResponse> {
        let credentials = self.authorised()?;
        let request = self
            .http
            .request(Method::POST, "/events")
            .bearer_auth(&credentials.token)
            .json(batch);
        call(request).await
    }

    pub async fn profile(&self) -> ClientResult<KioskProfile> {
        let credentials = self.authorised()?;
        let path = format!("/kiosks/{}/profile", credentials.kiosk_id);
        let request = self
            .http
            .request(Method::GET, &path)
            .bearer_auth(&credentials.token);
        call(request).await
    }

    /// What changed in the catalogues since the copy at `since_version`
    /// (everything for 0). Public content: no credentials needed.
    pub async fn catalogue(&self, since_version: u64) -> ClientResult<CatalogueSync> {
        let request = self
            .http
            .request(Method::GET, "/catalogue")
            .query(&[("since_version", since_version)]);
        call(request).await
    }
}
