//! Why a call to the manager failed, and whether trying again may help.

/// Why a call failed. `Clone`, so it can travel in UI messages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// No answer, or only part of one: network down, manager stopped,
    /// timeout. Nothing is known to have changed; the call can be repeated.
    #[error("manager unreachable: {0}")]
    Unreachable(String),
    /// The manager refused: `code` is its stable error code, `message` can be
    /// shown to staff; `retry_after_s` is set for a locked account or the
    /// rate limit.
    #[error("manager refused ({status}): {code}: {message}")]
    Refused {
        status: u16,
        code: String,
        message: String,
        retry_after_s: Option<u64>,
    },
    /// The citizen's login is over (session ended, an hour passed, logged
    /// out) or was never made: log in again.
    #[error("{message}")]
    LoggedOut { message: String },
    /// The answer was not what the contract says (or the client could not
    /// be built): the same call would meet the same answer.
    #[error("unexpected answer from the manager: {0}")]
    Unexpected(String),
    /// A call that needs the kiosk's token, from a kiosk not enrolled yet.
    #[error("this kiosk is not enrolled yet")]
    NotEnrolled,
}

impl ClientError {
    /// The one retry rule: worth sending again as it is, later. The manager
    /// was unreachable, busy (5xx), or asked to wait (429).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Unreachable(_) => true,
            Self::Refused { status, .. } => *status == 429 || *status >= 500,
            Self::LoggedOut { .. } | Self::Unexpected(_) | Self::NotEnrolled => false,
        }
    }

    /// The manager no longer accepts this kiosk's token.
    pub fn is_unauthorised(&self) -> bool {
        matches!(self, Self::Refused { status: 401, .. })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(status: u16) -> ClientError {
        ClientError::Refused {
            status,
            code: "x".to_owned(),
            message: "x".to_owned(),
            retry_after_s: None,
        }
    }

    #[test]
    fn only_what_may_pass_by_itself_is_retried() {
        assert!(ClientError::Unreachable("down".to_owned()).is_retryable());
        assert!(refused(429).is_retryable());
        assert!(refused(503).is_retryable());
        assert!(!refused(400).is_retryable());
        assert!(!refused(401).is_retryable());
        assert!(refused(401).is_unauthorised());
        assert!(!ClientError::Unexpected("garbled".to_owned()).is_retryable());
        assert!(!ClientError::NotEnrolled.is_retryable());
    }
}
