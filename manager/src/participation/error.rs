//! Refusals that tell the client when to try again: a locked account and
//! the posting rate limit answer 429 with a `Retry-After` header (seconds)
//! and the time in the message, so a kiosk can show "try again at 10:45".

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::{Timestamp, tz::TimeZone};

use crate::error::ApiError;
use crate::storage::StorageError;

#[derive(Debug, Clone)]
pub struct Refusal {
    error: ApiError,
    retry_after_s: Option<u64>,
}

impl Refusal {
    /// 429 with `code`; `message` is followed by when to retry.
    pub fn retry_at(code: &'static str, message: &str, now: Timestamp, at: Timestamp) -> Self {
        let seconds = u64::try_from(at.duration_since(now).as_secs().max(1)).unwrap_or(1);
        let minutes = seconds.div_ceil(60);
        let clock = at.to_zoned(TimeZone::UTC).strftime("%H:%M UTC");
        let plural = if minutes == 1 { "" } else { "s" };
        Self {
            error: ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                code,
                format!("{message} Try again at {clock} (in {minutes} minute{plural})."),
            ),
            retry_after_s: Some(seconds),
        }
    }
}

impl Refusal {
    /// 429 with `code` and `message`, to retry after `seconds`.
    pub fn retry_after(code: &'static str, message: &str, seconds: u64) -> Self {
        let seconds = seconds.max(1);
        let plural = if seconds == 1 { "" } else { "s" };
        Self {
            error: ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                code,
                format!("{message} Try again in {seconds} second{plural}."),
            ),
            retry_after_s: Some(seconds),
        }
    }
}

impl From<ApiError> for Refusal {
    fn from(error: ApiError) -> Self {
        Self {
            error,
            retry_after_s: None,
        }
    }
}

impl From<StorageError> for Refusal {
    fn from(error: StorageError) -> Self {
        ApiError::from(error).into()
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let mut response = self.error.into_response();
        if let Some(seconds) = self.retry_after_s {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

pub type ParticipationResult<T> = Result<T, Refusal>;
