//! The audit log, for admins.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use maud::html;

use crate::access::Duty;
use crate::state::AppState;

use super::layout;
use super::session::WebUser;

const SHOWN: u32 = 500;

pub(super) async fn page(State(state): State<AppState>, user: WebUser) -> Response {
    if let Err(refusal) = user.require(Duty::Audit) {
        return refusal.into_response();
    }
    let entries = match state.storage.audit_entries(SHOWN).await {
        Ok(entries) => entries,
        Err(error) => return layout::error_page(&error.to_string()),
    };
    let body = html! {
        p.hint { "The latest " (SHOWN) " actions, newest first." }
        table {
            thead { tr { th scope="col" { "When" } th scope="col" { "Who" } th scope="col" { "What" } th scope="col" { "On" } th scope="col" { "Detail" } } }
            tbody {
                @for entry in &entries {
                    tr {
                        td { (layout::time(entry.at)) }
                        td { (entry.actor) }
                        td { (entry.action) }
                        td { (entry.target.as_deref().unwrap_or("")) }
                        td.detail { (entry.detail.as_deref().unwrap_or("")) }
                    }
                }
            }
        }
    };
    layout::page(Some(&user), "Audit log", body).into_response()
}
