//! Verified residents (issue #17): a supervisor who saw a person's ID marks
//! their alias as a resident of a neighbourhood. The document number is
//! typed into a field the browser neither shows nor remembers, and goes
//! only into the HMAC (see `have_a_say::document`).

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use plaza_api::have_a_say::ResidentVerification;
use serde::Deserialize;

use crate::access::Duty;
use crate::have_a_say::verify_as;
use crate::state::AppState;

use super::layout;
use super::session::WebUser;

async fn body(
    state: &AppState,
    user: &WebUser,
    notice: Option<Markup>,
) -> Result<Markup, Response> {
    let centres: Vec<_> = state
        .storage
        .centres()
        .await
        .map_err(|error| layout::error_page(&error.to_string()))?
        .into_iter()
        .filter(|centre| user.staff.may_at(Duty::Participation, centre.id))
        .collect();
    let residents = state
        .storage
        .residents(user.staff.centres(), 200)
        .await
        .map_err(|error| layout::error_page(&error.to_string()))?;
    let mut neighbourhoods: Vec<String> = state
        .storage
        .centres()
        .await
        .map_err(|error| layout::error_page(&error.to_string()))?
        .into_iter()
        .flat_map(|centre| centre.neighbourhoods)
        .collect();
    neighbourhoods.sort();
    neighbourhoods.dedup();
    Ok(html! {
        @if let Some(notice) = notice { (notice) }
        p.hint {
            "Verify a citizen only after seeing their ID in person. The document number is never stored: "
            "only a keyed hash of its digits, so that one document verifies one account."
        }
        form.verify method="post" action="/dashboard/residents" autocomplete="off" {
            input type="hidden" name="csrf" value=(user.csrf_token);
            label for="alias" { "Alias" }
            input id="alias" type="text" name="alias" required;
            label for="document_number" { "Document number" }
            input id="document_number" type="password" name="document_number" inputmode="numeric" autocomplete="off" required;
            label for="neighbourhood" { "Neighbourhood" }
            select id="neighbourhood" name="neighbourhood" required {
                @for name in &neighbourhoods { option value=(name) { (name) } }
            }
            label for="centre" { "Centre where you saw the ID" }
            select id="centre" name="centre" required {
                @for centre in &centres { option value=(centre.name) { (centre.name) } }
            }
            button type="submit" { "Verify resident" }
        }
        h2 { "Verified residents" }
        @if residents.is_empty() { p { "None yet." } }
        @else {
            table {
                thead { tr { th { "Alias" } th { "Neighbourhood" } th { "Centre" } th { "Verified" } th { "By" } th {} } }
                tbody {
                    @for resident in &residents {
                        tr {
                            td { (resident.alias) } td { (resident.neighbourhood) } td { (resident.centre) }
                            td { (layout::time(resident.verified_at)) } td { (resident.verified_by) }
                            td {
                                form method="post" action="/dashboard/residents/revoke" {
                                    input type="hidden" name="csrf" value=(user.csrf_token);
                                    input type="hidden" name="alias" value=(resident.alias);
                                    button type="submit" { "Revoke" }
                                }
                            }
                        }
                    }
                }
            }
        }
    })
}

pub(super) async fn page(State(state): State<AppState>, user: WebUser) -> Response {
    if let Err(refusal) = user.require(Duty::Participation) {
        return refusal.into_response();
    }
    match body(&state, &user, None).await {
        Ok(body) => layout::page(Some(&user), "Verified residents", body).into_response(),
        Err(response) => response,
    }
}

/// Unknown fields are ignored and missing ones are empty (refused as 422).
#[derive(Deserialize)]
pub(super) struct VerifyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    alias: String,
    #[serde(default)]
    document_number: String,
    #[serde(default)]
    neighbourhood: String,
    #[serde(default)]
    centre: String,
}

pub(super) async fn verify(
    State(state): State<AppState>,
    user: WebUser,
    Form(form): Form<VerifyForm>,
) -> Response {
    if let Err(refusal) = user
        .require(Duty::Participation)
        .and_then(|()| user.check_csrf(&form.csrf))
    {
        return refusal.into_response();
    }
    let (status, notice) = if form.alias.trim().is_empty() || form.centre.is_empty() {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Give the alias, the document number, the neighbourhood and the centre.".to_owned(),
        )
    } else {
        let request = ResidentVerification {
            alias: form.alias,
            document_number: form.document_number,
            neighbourhood: form.neighbourhood,
            centre: form.centre,
        };
        match verify_as(&state, &user.staff, request).await {
            Ok(resident) => (
                StatusCode::OK,
                format!(
                    "{} is now a verified resident of {}.",
                    resident.alias, resident.neighbourhood
                ),
            ),
            Err(error) => (error.status, error.message),
        }
    };
    respond(&state, &user, status, notice).await
}

#[derive(Deserialize)]
pub(super) struct RevokeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    alias: String,
}

/// Revokes a verification through the API's handler (staff of the centre
/// where it was made; audited).
pub(super) async fn revoke(
    State(state): State<AppState>,
    user: WebUser,
    Form(form): Form<RevokeForm>,
) -> Response {
    if let Err(refusal) = user
        .require(Duty::Participation)
        .and_then(|()| user.check_csrf(&form.csrf))
    {
        return refusal.into_response();
    }
    let alias = form.alias.trim().to_owned();
    let (status, notice) = if alias.is_empty() {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "Name the alias whose verification to revoke.".to_owned(),
        )
    } else {
        let revoked = crate::have_a_say::residents::revoke(
            State(state.clone()),
            user.staff.clone(),
            crate::extract::Path(alias.clone()),
        )
        .await;
        match revoked {
            Ok(_) => (
                StatusCode::OK,
                format!("{alias} is no longer a verified resident."),
            ),
            Err(error) => (error.status, error.message),
        }
    };
    respond(&state, &user, status, notice).await
}

/// The page again, with what was done or why not.
async fn respond(state: &AppState, user: &WebUser, status: StatusCode, notice: String) -> Response {
    let notice = if status == StatusCode::OK {
        html! { p.notice role="status" { (notice) } }
    } else {
        html! { p.notice.error role="alert" { (notice) } }
    };
    match body(state, user, Some(notice)).await {
        Ok(body) => (status, layout::page(Some(user), "Verified residents", body)).into_response(),
        Err(response) => response,
    }
}
