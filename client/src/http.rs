//! The one HTTP path every call takes: the request to the manager's API,
//! and its answer read into a value or a [`ClientError`].

use std::time::Duration;

use plaza_api::API_PREFIX;
use plaza_api::error::ErrorBody;
use reqwest::header::RETRY_AFTER;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::{ClientError, ClientResult};

/// Codes with which the manager says a citizen's login is over.
const LOGGED_OUT_CODES: [&str; 2] = ["citizen_login_expired", "citizen_login_required"];

/// One manager's address and a pooled `reqwest` client; cheap to clone
/// (the pool is shared).
#[derive(Clone)]
pub(crate) struct Http {
    client: reqwest::Client,
    base_url: String,
}

impl Http {
    /// `timeout` bounds each call, connecting included.
    pub(crate) fn new(base_url: &str, timeout: Duration) -> ClientResult<Self> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .user_agent(concat!("plaza-kiosk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| ClientError::Unexpected(error.to_string()))?;
        Ok(Self {
            client,
            base_url: base_url.trim_end_matches('/').to_owned(),
        })
    }

    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A request to `path` under the API prefix (`/kiosks/enroll`).
    pub(crate) fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}{API_PREFIX}{path}", self.base_url))
    }
}

/// Sends `request` and reads the answer as `T`.
pub(crate) async fn call<T: DeserializeOwned>(request: RequestBuilder) -> ClientResult<T> {
    let body = send(request)
        .await?
        .bytes()
        .await
        // The answer was cut short: as good as no answer.
        .map_err(|error| ClientError::Unreachable(error.to_string()))?;
    serde_json::from_slice(&body).map_err(|error| ClientError::Unexpected(error.to_string()))
}

/// Sends `request` whose answer has no body worth reading.
pub(crate) async fn call_empty(request: RequestBuilder) -> ClientResult<()> {
    send(request).await.map(drop)
}

async fn send(request: RequestBuilder) -> ClientResult<Response> {
    let response = request.send().await.map_err(|error| {
        if error.is_builder() || error.is_redirect() {
            ClientError::Unexpected(error.to_string())
        } else {
            ClientError::Unreachable(error.to_string())
        }
    })?;
    if response.status().is_success() {
        Ok(response)
    } else {
        Err(refusal(response).await)
    }
}

/// An error answer as the manager words it (`{"error":{"code","message"}}`),
/// or, from something in between that does not speak the contract, its
/// status.
async fn refusal(response: Response) -> ClientError {
    let status = response.status();
    let retry_after_s = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse().ok());
    let body = response.bytes().await.unwrap_or_default();
    let (code, message) = match serde_json::from_slice::<ErrorBody>(&body) {
        Ok(body) => (body.error.code, body.error.message),
        Err(_) => (
            status
                .canonical_reason()
                .unwrap_or("error")
                .to_lowercase()
                .replace(' ', "_"),
            format!("the manager answered {status}"),
        ),
    };
    if status == StatusCode::UNAUTHORIZED && LOGGED_OUT_CODES.contains(&code.as_str()) {
        return ClientError::LoggedOut { message };
    }
    ClientError::Refused {
        status: status.as_u16(),
        code,
        message,
        retry_after_s,
    }
}
