//! The staff dashboard: server-rendered pages (maud) behind cookie sessions
//! with CSRF tokens on every form, live floor updates over server-sent
//! events, and security headers that forbid inline scripts and framing.

mod alerts;
mod audit_page;
mod charts;
mod floor;
mod kiosk_page;
mod layout;
mod login;
mod reports_page;
mod session;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::server::AppState;

pub use alerts::{Alert, alerts_for, export_alerts};
pub use session::{SESSION_COOKIE, WebUser};

const STYLESHEET: &str = include_str!("../../assets/dashboard.css");
const SCRIPT: &str = include_str!("../../assets/dashboard.js");

/// Every dashboard page and asset, with the security headers.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/dashboard") }))
        .route("/dashboard", get(floor::page))
        .route("/dashboard/floor/events", get(floor::events))
        .route("/dashboard/login", get(login::form).post(login::submit))
        .route("/dashboard/logout", post(login::logout))
        .route("/dashboard/kiosks/{id}", get(kiosk_page::page))
        .route("/dashboard/kiosks/{id}/actions", post(kiosk_page::action))
        .route("/dashboard/audit", get(audit_page::page))
        .route("/dashboard/reports", get(reports_page::page))
        .route("/dashboard/reports/reach.csv", get(reports_page::csv))
        .route("/dashboard/reports/reach.json", get(reports_page::json))
        .route("/dashboard/assets/dashboard.css", get(stylesheet))
        .route("/dashboard/assets/dashboard.js", get(script))
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
