//! Requests to the municipality, asked through the kiosk's
//! [`ParticipationClient`]: the service types, filing (anonymously, or as
//! the citizen logged in through this client), following by ticket code,
//! and the citizen's own requests with staff's public notes.

use plaza_api::requests::{MyRequests, NewRequest, PublicRequest, ServiceTypes};
use plaza_api::session::Language;
use reqwest::Method;

use crate::ParticipationClient;
use crate::error::ClientResult;

impl ParticipationClient {
    pub async fn service_types(&self, language: Language) -> ClientResult<ServiceTypes> {
        self.call(
            Method::GET,
            &format!("/requests/services?lang={language}"),
            None::<&()>,
        )
        .await
    }

    /// Files a request; listed under the citizen's requests when logged in.
    pub async fn file_request(
        &self,
        request: &NewRequest,
        language: Language,
    ) -> ClientResult<PublicRequest> {
        self.call(
            Method::POST,
            &format!("/requests?lang={language}"),
            Some(request),
        )
        .await
    }

    /// A request by its ticket code (as typed: any case, with or without
    /// the dash).
    pub async fn follow_request(
        &self,
        ticket: &str,
        language: Language,
    ) -> ClientResult<PublicRequest> {
        let ticket: String = ticket.chars().filter(char::is_ascii_alphanumeric).collect();
        self.call(
            Method::GET,
            &format!("/requests/tickets/{ticket}?lang={language}"),
            None::<&()>,
        )
        .await
    }

    /// The logged-in citizen's requests, newest first.
    pub async fn my_requests(&self, language: Language) -> ClientResult<MyRequests> {
        self.call(
            Method::GET,
            &format!("/requests/mine?lang={language}"),
            None::<&()>,
        )
        .await
    }
}
