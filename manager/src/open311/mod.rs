//! Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2), JSON
//! format, over the same requests as Plaza's own routes: municipal
//! back-offices and Open311 clients list service types, file requests
//! (POST with an API key: a staff API token) and follow them. Errors are
//! the spec's array, `[{"code": 404, "description": "..."}]`, with the
//! same HTTP status. The spec's personal fields (`email`, `first_name`,
//! `last_name`, `phone`, `device_id`, `account_id`) and `media_url` are
//! accepted and dropped: Plaza never stores them.

mod requests;
mod services;
pub mod wire;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::state::AppState;
use crate::storage::StorageError;
use wire::Open311ErrorEntry;

/// Where every Open311 route lives.
pub const PREFIX: &str = "/open311/v2";

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(services::list))
        .routes(routes!(services::definition))
        .routes(routes!(requests::list, requests::file))
        .routes(routes!(requests::one))
}

/// An Open311 error: sent as the spec's one-entry array.
#[derive(Debug, Clone)]
pub struct Open311Error(pub ApiError);

impl Open311Error {
    pub fn new(status: StatusCode, description: impl Into<String>) -> Self {
        Self(ApiError::new(status, "open311", description))
    }

    pub fn bad_request(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, description)
    }

    pub fn not_found(description: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, description)
    }
}

impl From<ApiError> for Open311Error {
    fn from(error: ApiError) -> Self {
        // Plaza's 422 (a value against a rule) is the spec's 400.
        if error.status == StatusCode::UNPROCESSABLE_ENTITY {
            return Self::bad_request(error.message);
        }
        Self(error)
    }
}

impl From<StorageError> for Open311Error {
    fn from(error: StorageError) -> Self {
        ApiError::from(error).into()
    }
}

impl IntoResponse for Open311Error {
    fn into_response(self) -> Response {
        let status = self.0.status;
        // Logs an internal cause, as every `ApiError` does.
        let _ = self.0.clone().into_response();
        let entry = Open311ErrorEntry {
            code: status.as_u16(),
            description: self.0.message,
        };
        (status, axum::Json(vec![entry])).into_response()
    }
}

pub type Open311Result<T> = Result<T, Open311Error>;

/// The `{name}.json` of a path segment, or 404 for another format (Plaza
/// serves JSON only; XML is refused as not found).
fn json_name(segment: &str) -> Open311Result<&str> {
    segment
        .strip_suffix(".json")
        .filter(|name| !name.is_empty())
        .ok_or_else(|| {
            Open311Error::not_found("this server speaks GeoReport v2 in JSON only: ask for `.json`")
        })
}

/// A query string or form as pairs, refusing (400) one that does not parse.
fn pairs(parsed: Result<Vec<(String, String)>, String>) -> Open311Result<Vec<(String, String)>> {
    parsed.map_err(Open311Error::bad_request)
}

fn value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
        .filter(|value| !value.trim().is_empty())
}
