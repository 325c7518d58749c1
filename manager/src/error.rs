//! The one error type of the HTTP layer: every failure becomes
//! `{"error": {"code", "message"}}` with the right status, never a bare text
//! or HTML page. Internal causes are logged, not shown.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use plaza_api::error::ErrorBody;

use crate::storage::StorageError;

#[derive(Debug, Clone, thiserror::Error)]
#[error("{status} {code}: {message}")]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Logged when the response is built; never sent.
    internal: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            internal: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn unauthenticated(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", message)
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", message)
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
    }

    pub fn internal(cause: impl Into<String>) -> Self {
        Self {
            internal: Some(cause.into()),
            ..Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "something went wrong on the server; it has been logged",
            )
        }
    }
}

impl From<StorageError> for ApiError {
    fn from(error: StorageError) -> Self {
        match error {
            StorageError::NotFound => Self::not_found("no such resource"),
            StorageError::Conflict(message) => Self::conflict(message),
            StorageError::Invalid(message) => Self::invalid(message),
            StorageError::Revoked => {
                Self::unauthenticated("this kiosk's enrolment was revoked; enrol it again")
            }
            StorageError::Unavailable(_) | StorageError::Closed => Self {
                internal: Some(error.to_string()),
                ..Self::unavailable("the database cannot take writes right now; try again later")
            },
            StorageError::Database(_) | StorageError::Migration(_) | StorageError::Internal(_) => {
                Self::internal(error.to_string())
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Some(cause) = &self.internal {
            tracing::error!(status = %self.status, code = self.code, %cause, "request failed");
        }
        let body = ErrorBody::new(self.code, self.message);
        (self.status, axum::Json(body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
