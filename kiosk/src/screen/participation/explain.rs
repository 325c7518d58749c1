//! Refusals explained in the citizen's words, from the manager's error
//! codes: never a raw error.

use jiff::SignedDuration;
use plaza_client::ClientError;

use super::clock;
use crate::screen::Context;
use crate::widget::Arg;

/// What the refused request asked, to explain the refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Asked {
    SignUp,
    LogIn,
    Other,
}

pub(super) fn explain(error: &ClientError, asked: Asked, context: &Context<'_>) -> String {
    let look = context.look;
    let at = |retry_after_s: &Option<u64>| {
        let seconds = i64::try_from(retry_after_s.unwrap_or(60)).unwrap_or(60);
        Arg::from(clock(
            context.now + SignedDuration::from_secs(seconds.max(1)),
        ))
    };
    let ClientError::Refused {
        status,
        code,
        message,
        retry_after_s,
    } = error
    else {
        return look.t(match error {
            ClientError::Unreachable(_) => "forums-send-offline",
            ClientError::LoggedOut { .. } => "account-login-ended",
            _ => "forums-unexpected",
        });
    };
    let id = match (code.as_str(), asked) {
        ("rate_limited", _) => {
            return look.t_with("forums-rate-limited", &[("time", at(retry_after_s))]);
        }
        ("account_locked", _) => {
            return look.t_with("account-locked", &[("time", at(retry_after_s))]);
        }
        ("wrong_credentials", _) => "account-wrong",
        ("conflict", Asked::SignUp | Asked::LogIn) if message.contains("session") => {
            "account-session-over"
        }
        ("conflict", Asked::SignUp) => "account-alias-taken",
        ("alias_reserved", _) => "account-alias-reserved",
        ("alias_not_allowed", _) => "account-alias-word",
        ("pin_invalid", _) => "account-pin-rules",
        ("invalid", Asked::SignUp) => "account-alias-characters",
        ("edit_window_closed", _) => "forums-edit-window-closed",
        ("under_review", _) => "forums-under-review",
        ("already_reported", _) => "report-already",
        ("not_verified_resident", _) => "say-not-verified",
        ("out_of_scope", _) => "say-out-of-scope",
        ("already_voted", _) => "say-already-voted",
        ("consultation_closed", _) => "say-closed",
        ("consultation_not_open", _) => "say-not-open",
        ("invalid_choices", _) => "say-invalid-choices",
        ("already_supported", _) => "say-already-supported",
        ("forbidden", _) if message.contains("PIN is wrong") => "account-pin-wrong",
        ("forbidden", _) if message.contains("join this community") => "community-join-to-write",
        ("forbidden", _) if message.contains("not yet accepted") => "community-waiting-approval",
        _ if *status >= 500 => "forums-send-offline",
        // The manager's own words: clear, though perhaps in English.
        _ => return look.t_with("forums-refused", &[("message", Arg::from(message.clone()))]),
    };
    look.t(id)
}
