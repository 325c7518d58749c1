//! The page shell shared by every dashboard page, and error pages.

use crate::access::Duty;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

use super::user::WebUser;

/// A whole page: header with navigation and logout for a signed-in user.
pub fn page(user: Option<&WebUser>, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Plaza" }
                link rel="stylesheet" href="/dashboard/assets/dashboard.css";
                script src="/dashboard/assets/dashboard.js" defer {}
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header.top {
                    span.brand { "Plaza" }
                    @if let Some(user) = user {
                        nav aria-label="Main" {
                            @if user.staff.may(Duty::Floor) { a href="/dashboard" { "Floor" } }
                            @if user.staff.may(Duty::Moderation) { a href="/dashboard/moderation" { "Moderation" } }
                            @if user.staff.may(Duty::Requests) { a href="/dashboard/requests" { "Requests" } }
                            @if user.staff.may(Duty::LiveHelp) { a href="/dashboard/help" { "Live help" } }
                            @if user.staff.may(Duty::Participation) { a href="/dashboard/residents" { "Residents" } }
                            @if user.staff.may(Duty::HaveASay) { a href="/dashboard/say" { "Have a say" } }
                            @if user.staff.may(Duty::OpeningHours) { a href="/dashboard/centres" { "Centres" } }
                            @if user.staff.may(Duty::Reports) { a href="/dashboard/reports" { "Reports" } }
                            @if user.staff.may(Duty::Audit) { a href="/dashboard/audit" { "Audit log" } }
                        }
                        form.logout method="post" action="/dashboard/logout" {
                            input type="hidden" name="csrf" value=(user.csrf_token);
                            span.who { (user.staff.name) " (" (user.staff.role.as_str()) ")" }
                            button type="submit" { "Log out" }
                        }
                    }
                }
                main #main {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

/// A page refusing the request (boxed: a `Response` is large).
#[derive(Debug)]
pub struct Refused(Box<Response>);

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        *self.0
    }
}

impl From<Response> for Refused {
    fn from(response: Response) -> Self {
        Refused(Box::new(response))
    }
}

pub fn forbidden(user: &WebUser, message: &str) -> Response {
    (
        StatusCode::FORBIDDEN,
        page(
            Some(user),
            "Not allowed",
            html! { p.notice.error { (message) } },
        ),
    )
        .into_response()
}

pub fn not_found(user: &WebUser, message: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        page(
            Some(user),
            "Not found",
            html! { p.notice.error { (message) } },
        ),
    )
        .into_response()
}

pub fn error_page(message: &str) -> Response {
    tracing::error!(%message, "dashboard page failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        page(
            None,
            "Something went wrong",
            html! { p.notice.error { "The manager could not show this page. Try again in a moment." } },
        ),
    )
        .into_response()
}

/// A timestamp for people: UTC, to the second.
pub fn time(at: jiff::Timestamp) -> String {
    at.strftime("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// "3 min 05 s", "42 s".
pub fn duration(seconds: u64) -> String {
    match (seconds / 3600, seconds / 60 % 60, seconds % 60) {
        (0, 0, secs) => format!("{secs} s"),
        (0, mins, secs) => format!("{mins} min {secs:02} s"),
        (hours, mins, _) => format!("{hours} h {mins:02} min"),
    }
}
