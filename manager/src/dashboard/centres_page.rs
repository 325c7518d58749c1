//! Centres: their opening hours, which kiosk availability is measured
//! against, and their internet access at the kiosks (`web_form`);
//! admins and a centre's supervisors set them here.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;

use crate::access::Duty;
use crate::centres::{opening_hours, set_opening_hours};
use crate::state::AppState;
use crate::storage::StorageError;

use super::layout;
use super::session::WebUser;

pub(super) async fn page(State(state): State<AppState>, user: WebUser) -> Response {
    if let Err(refusal) = user.require(Duty::OpeningHours) {
        return refusal.into_response();
    }
    let centres = match state.storage.centres().await {
        Ok(centres) => centres,
        Err(error) => return layout::error_page(&error.to_string()),
    };
    let mut rows = Vec::new();
    for centre in centres
        .into_iter()
        .filter(|centre| user.staff.may_at(Duty::OpeningHours, centre.id))
    {
        let web = if user.staff.may_at(Duty::WebAccess, centre.id) {
            match crate::web::centre_web(&state, &centre).await {
                Ok(web) => Some(web),
                Err(error) => return layout::error_page(&error.message),
            }
        } else {
            None
        };
        match opening_hours(&state, &centre).await {
            Ok(hours) => rows.push((centre.id, hours, web)),
            Err(error) => return layout::error_page(&error.message),
        }
    }
    let body = html! {
        p.hint {
            "Opening hours are in UTC, written like “Mon-Fri 09:00-14:00,16:00-20:00; Sat 10:00-14:00”; "
            "days not named are closed. Kiosk availability in the reports is the share of these hours a kiosk was online."
        }
        @if rows.is_empty() { p { "No centres in your care yet." } }
        @for (id, hours, web) in &rows {
            section.centre {
                h2 { (hours.centre) }
                p {
                    "Open: " strong { (hours.hours) }
                    @if hours.default { " (the manager's default)" }
                }
                form.hours method="post" action={ "/dashboard/centres/" (id) "/hours" } {
                    input type="hidden" name="csrf" value=(user.csrf_token);
                    label for={ "hours-" (id) } { "Opening hours" }
                    input id={ "hours-" (id) } type="text" name="hours" value=(hours.hours) size="50" required;
                    button type="submit" { "Save hours" }
                }
                @if let Some(web) = web { (super::web_form::form(*id, web, &user.csrf_token)) }
            }
        }
    };
    layout::page(Some(&user), "Centres", body).into_response()
}

#[derive(Debug, Deserialize)]
pub(super) struct HoursForm {
    /// Missing is refused like wrong (403), not as a malformed form.
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    hours: String,
}

pub(super) async fn set_hours(
    State(state): State<AppState>,
    user: WebUser,
    Path(centre_id): Path<i64>,
    Form(form): Form<HoursForm>,
) -> Response {
    if let Err(refusal) = user
        .require(Duty::OpeningHours)
        .and_then(|()| user.check_csrf(&form.csrf))
    {
        return refusal.into_response();
    }
    let centre = match state.storage.centres().await {
        Ok(centres) => centres.into_iter().find(|centre| {
            centre.id == centre_id && user.staff.may_at(Duty::OpeningHours, centre.id)
        }),
        Err(StorageError::NotFound) => None,
        Err(error) => return layout::error_page(&error.to_string()),
    };
    let Some(centre) = centre else {
        return layout::not_found(&user, "No such centre in your care.");
    };
    match set_opening_hours(&state, &centre, &form.hours, &user.staff.name).await {
        Ok(_) => Redirect::to("/dashboard/centres").into_response(),
        Err(error) if error.status != StatusCode::UNPROCESSABLE_ENTITY => {
            layout::error_page(&error.message)
        }
        Err(error) => {
            let body = html! {
                p.notice.error role="alert" { (error.message) }
                p { a href="/dashboard/centres" { "Back to the centres" } }
            };
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                layout::page(Some(&user), "Cannot set these hours", body),
            )
                .into_response()
        }
    }
}
