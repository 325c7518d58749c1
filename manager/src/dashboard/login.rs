//! Login (argon2 passwords, lockout after repeated failures) and logout.

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use jiff::SignedDuration;
use maud::{Markup, html};
use serde::Deserialize;

use crate::auth::{hash_secret, new_secret, verify_password};
use crate::limits::ClientAddr;
use crate::state::AppState;

use super::layout;
use super::session::{
    LOGIN_CSRF_COOKIE, SESSION_COOKIE, WebUser, constant_time_eq, cookie, set_cookie,
};

const WRONG: &str = "Wrong name or password.";

pub(super) async fn form(State(state): State<AppState>) -> Response {
    match new_secret("") {
        Ok(csrf) => login_page(&state, &csrf, None, StatusCode::OK),
        Err(error) => layout::error_page(&error.to_string()),
    }
}

fn login_page(state: &AppState, csrf: &str, problem: Option<&str>, status: StatusCode) -> Response {
    let body: Markup = html! {
        @if let Some(problem) = problem {
            p.notice.error role="alert" { (problem) }
        }
        form.login method="post" action="/dashboard/login" {
            input type="hidden" name="csrf" value=(csrf);
            label for="name" { "Name" }
            input #name type="text" name="name" autocomplete="username" required autofocus;
            label for="password" { "Password" }
            input #password type="password" name="password" autocomplete="current-password" required;
            button type="submit" { "Log in" }
        }
    };
    (
        status,
        [(
            header::SET_COOKIE,
            set_cookie(state, LOGIN_CSRF_COOKIE, csrf, 3600),
        )],
        layout::page(None, "Log in", body),
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
pub(super) struct LoginForm {
    #[serde(default)]
    csrf: String,
    name: String,
    password: String,
}

pub(super) async fn submit(
    State(state): State<AppState>,
    ClientAddr(address): ClientAddr,
    headers: HeaderMap,
    Form(login): Form<LoginForm>,
) -> Response {
    let fresh_csrf = match new_secret("") {
        Ok(csrf) => csrf,
        Err(error) => return layout::error_page(&error.to_string()),
    };
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or("");
    if expected.is_empty() || !constant_time_eq(expected.as_bytes(), login.csrf.as_bytes()) {
        return login_page(
            &state,
            &fresh_csrf,
            Some("This form has expired. Please try again."),
            StatusCode::FORBIDDEN,
        );
    }
    if let Some(wait_s) = state.limits.staff_wait(address) {
        return too_many(&state, &fresh_csrf, wait_s);
    }
    let now = state.clock.now();
    let user = match state
        .storage
        .user_by_name(login.name.trim().to_owned())
        .await
    {
        Ok(user) => user,
        Err(error) => return layout::error_page(&error.to_string()),
    };
    let stored_hash = user
        .as_ref()
        .map_or_else(|| DUMMY_HASH.to_owned(), |user| user.password_hash.clone());
    let password = login.password;
    // argon2 takes tens of milliseconds of CPU: keep it off the async threads.
    // An unknown name still pays for one verification, so timing does not
    // tell which names exist.
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &stored_hash))
        .await
        .unwrap_or(false);
    let user = user.filter(|user| user.disabled_at.is_none());
    let Some(user) = user.filter(|_| matches) else {
        // Backoff is per client address, never per account: someone
        // guessing at a name slows down only themselves.
        if let Some(wait_s) = state.limits.staff_failed(address) {
            return too_many(&state, &fresh_csrf, wait_s);
        }
        return login_page(&state, &fresh_csrf, Some(WRONG), StatusCode::UNAUTHORIZED);
    };
    state.limits.staff_succeeded(address);
    let settings = &state.settings.dashboard;
    let (secret, csrf) = match (new_secret(""), new_secret("")) {
        (Ok(secret), Ok(csrf)) => (secret, csrf),
        (Err(error), _) | (_, Err(error)) => return layout::error_page(&error.to_string()),
    };
    let ttl = SignedDuration::from_hours(i64::from(settings.session_ttl_h));
    if let Err(error) = state
        .storage
        .open_web_session(user.id, hash_secret(&secret), csrf, now, now + ttl)
        .await
    {
        return layout::error_page(&error.to_string());
    }
    (
        AppendHeaders([
            (
                header::SET_COOKIE,
                set_cookie(&state, SESSION_COOKIE, &secret, ttl.as_secs()),
            ),
            (
                header::SET_COOKIE,
                set_cookie(&state, LOGIN_CSRF_COOKIE, "", 0),
            ),
        ]),
        Redirect::to("/dashboard"),
    )
        .into_response()
}

/// 429 with `Retry-After`: this address tried too many wrong passwords.
fn too_many(state: &AppState, csrf: &str, wait_s: u64) -> Response {
    let message = format!(
        "Too many wrong passwords from this computer: wait {wait_s} seconds before trying again."
    );
    let mut response = login_page(state, csrf, Some(&message), StatusCode::TOO_MANY_REQUESTS);
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, axum::http::HeaderValue::from(wait_s));
    response
}

#[derive(Debug, Deserialize)]
pub(super) struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub(super) async fn logout(
    State(state): State<AppState>,
    user: WebUser,
    Form(form): Form<CsrfForm>,
) -> Response {
    if let Err(refusal) = user.check_csrf(&form.csrf) {
        return refusal.into_response();
    }
    if let Err(error) = state
        .storage
        .close_web_session(user.session_hash, state.clock.now())
        .await
    {
        return layout::error_page(&error.to_string());
    }
    (
        [(
            header::SET_COOKIE,
            set_cookie(&state, SESSION_COOKIE, "", 0),
        )],
        Redirect::to("/dashboard/login"),
    )
        .into_response()
}

/// A valid argon2id hash of a random password nobody knows, verified against
/// when the name is unknown.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Xw0TTb6DjG2tXXnJ3TD0i/n3kA/yS6Cl9D2Mz0xL7dE";
