//! Browser sessions: a cookie holding a 256-bit secret (only its hash is
//! stored), the signed-in user as an extractor, and the refusals of pages:
//! a role without the page's duty, or a form without this session's CSRF
//! token.

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::COOKIE;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};

use crate::access::{Duty, StaffAuth};
use crate::auth::hash_secret;
use crate::state::AppState;
use crate::storage::users::WebSession;

use super::layout::{self, Refused};
pub use super::user::WebUser;

pub const SESSION_COOKIE: &str = "plaza_session";
/// Double-submit token of the login form (there is no session yet).
pub const LOGIN_CSRF_COOKIE: &str = "plaza_login_csrf";

/// The value of cookie `name` in the request, if any.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Secure behind TLS.
pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age_s: i64) -> String {
    let secure = if state.settings.public_url().starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{name}={value}; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age={max_age_s}{secure}"
    )
}

impl WebUser {
    /// Refuses with a 403 page unless the user's role has `duty`.
    pub fn require(&self, duty: Duty) -> Result<(), Refused> {
        self.staff.require(duty).map_err(|_| {
            layout::forbidden(self, "Your role does not give access to this page.").into()
        })
    }

    /// Refuses with a 403 page unless `csrf` is this session's token.
    pub fn check_csrf(&self, csrf: &str) -> Result<(), Refused> {
        if constant_time_eq(csrf.as_bytes(), self.csrf_token.as_bytes()) {
            Ok(())
        } else {
            Err(layout::forbidden(
                self,
                "This form has expired or did not come from this dashboard. Go back, reload the page and try again.",
            )
            .into())
        }
    }
}

pub fn constant_time_eq(left: &[u8], right: &[u8]) -> bool {
    left.len() == right.len()
        && left
            .iter()
            .zip(right)
            .fold(0_u8, |difference, (a, b)| difference | (a ^ b))
            == 0
}

impl FromRequestParts<AppState> for WebUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Some(secret) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(Redirect::to("/dashboard/login").into_response());
        };
        let session_hash = hash_secret(secret);
        let session = state
            .storage
            .web_session(session_hash, state.clock.now())
            .await
            .map_err(|error| layout::error_page(&error.to_string()))?;
        let Some(WebSession {
            user, csrf_token, ..
        }) = session
        else {
            return Err(Redirect::to("/dashboard/login").into_response());
        };
        Ok(WebUser {
            staff: StaffAuth::of_user(&user),
            csrf_token,
            session_hash,
        })
    }
}
