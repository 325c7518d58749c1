//! The staff dashboard: server-rendered pages (maud) behind cookie sessions
//! with CSRF tokens on every form, live floor updates over server-sent
//! events, and security headers that forbid inline scripts and framing.

mod alerts;
mod audit_page;
mod centres_page;
mod charts;
mod floor;
mod help_page;
mod help_request;
mod kiosk_page;
mod layout;
mod login;
mod moderation_page;
mod reports_page;
mod requests_page;
mod residents_page;
mod say_markup;
mod say_page;
mod session;
mod user;
mod web_form;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, get, post};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::state::AppState;

pub use alerts::{Alert, alerts_for, export_alerts};
pub use session::{SESSION_COOKIE, WebUser};

const STYLESHEET: &str = include_str!("../../assets/dashboard.css");
const SCRIPT: &str = include_str!("../../assets/dashboard.js");
const HELP_SCRIPT: &str = include_str!("../../assets/help_chat.js");

/// Every dashboard route: (method, path, handler). The router is built from
/// this table and the authorisation matrix test walks it, so a new page
/// cannot be left out of the matrix.
fn page_routes() -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    vec![
        (
            Method::GET,
            "/",
            get(|| async { Redirect::to("/dashboard") }),
        ),
        (Method::GET, "/dashboard", get(floor::page)),
        (Method::GET, "/dashboard/floor/events", get(floor::events)),
        (Method::GET, "/dashboard/login", get(login::form)),
        (Method::POST, "/dashboard/login", post(login::submit)),
        (Method::POST, "/dashboard/logout", post(login::logout)),
        (Method::GET, "/dashboard/kiosks/{id}", get(kiosk_page::page)),
        (
            Method::POST,
            "/dashboard/kiosks/{id}/actions",
            post(kiosk_page::action),
        ),
        (
            Method::GET,
            "/dashboard/moderation",
            get(moderation_page::page),
        ),
        (
            Method::POST,
            "/dashboard/moderation/posts/{id}",
            post(moderation_page::decide),
        ),
        (Method::GET, "/dashboard/centres", get(centres_page::page)),
        (
            Method::POST,
            "/dashboard/centres/{id}/hours",
            post(centres_page::set_hours),
        ),
        (
            Method::POST,
            "/dashboard/centres/{id}/web",
            post(web_form::set_web),
        ),
        (Method::GET, "/dashboard/audit", get(audit_page::page)),
        (Method::GET, "/dashboard/requests", get(requests_page::page)),
        (
            Method::GET,
            "/dashboard/requests/{id}",
            get(requests_page::request),
        ),
        (
            Method::POST,
            "/dashboard/requests/{id}/assign",
            post(requests_page::assign),
        ),
        (
            Method::POST,
            "/dashboard/requests/{id}/status",
            post(requests_page::change_status),
        ),
        (
            Method::GET,
            "/dashboard/residents",
            get(residents_page::page),
        ),
        (
            Method::POST,
            "/dashboard/residents",
            post(residents_page::verify),
        ),
        (
            Method::POST,
            "/dashboard/residents/revoke",
            post(residents_page::revoke),
        ),
        (Method::GET, "/dashboard/say", get(say_page::page)),
        (
            Method::POST,
            "/dashboard/say/consultations",
            post(say_page::create),
        ),
        (
            Method::POST,
            "/dashboard/say/consultations/{id}/close",
            post(say_page::close),
        ),
        (
            Method::POST,
            "/dashboard/say/consultations/{id}/answer",
            post(say_page::answer),
        ),
        (
            Method::POST,
            "/dashboard/say/proposals/{id}/answer",
            post(say_page::answer_proposal),
        ),
        (
            Method::POST,
            "/dashboard/say/proposals/{id}/moderation",
            post(say_page::moderate),
        ),
        (Method::GET, "/dashboard/reports", get(reports_page::page)),
        (
            Method::GET,
            "/dashboard/reports/reach.csv",
            get(reports_page::csv),
        ),
        (
            Method::GET,
            "/dashboard/reports/reach.json",
            get(reports_page::json),
        ),
        (
            Method::GET,
            "/dashboard/assets/dashboard.css",
            get(stylesheet),
        ),
        (Method::GET, "/dashboard/assets/dashboard.js", get(script)),
        (Method::GET, "/dashboard/help", get(help_page::page)),
        (
            Method::GET,
            "/dashboard/help/events",
            get(help_page::events),
        ),
        (
            Method::POST,
            "/dashboard/help/availability",
            post(help_page::set_availability),
        ),
        (
            Method::POST,
            "/dashboard/help/{id}/reply",
            post(help_page::reply),
        ),
        (
            Method::POST,
            "/dashboard/help/{id}/end",
            post(help_page::end),
        ),
        (
            Method::POST,
            "/dashboard/help/{id}/request",
            post(help_request::to_request),
        ),
        (
            Method::GET,
            "/dashboard/assets/help_chat.js",
            get(help_script),
        ),
    ]
}

/// The method and path of every dashboard route, for the authorisation
/// matrix test.
pub fn route_table() -> Vec<(Method, &'static str)> {
    page_routes()
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .collect()
}

/// Every dashboard page and asset, with the security headers.
pub fn routes() -> Router<AppState> {
    page_routes()
        .into_iter()
        .fold(Router::new(), |router, (_, path, handler)| {
            router.route(path, handler)
        })
        .layer(header_layer(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ))
        .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header_layer(header::REFERRER_POLICY, "same-origin"))
        .layer(header_layer(header::CACHE_CONTROL, "no-store"))
}

fn header_layer(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

async fn stylesheet() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        STYLESHEET,
    )
        .into_response()
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
        .into_response()
}

async fn help_script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        HELP_SCRIPT,
    )
        .into_response()
}
