//! The requests queue: requests to the municipality with filters (type,
//! status, neighbourhood, age), one request with its history, and the
//! forms to assign it and move its status with a public and an internal
//! note. Everything goes through the same storage calls and the same
//! `access` rule as `/api/v1/requests` (a supervisor reaches requests filed
//! at their centres and those assigned to them), and is audited there.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use plaza_api::requests::{NOTE_MAX, RequestStatus};
use serde::Deserialize;

use crate::access::{Duty, Subject};
use crate::participation::text::plain_text;
use crate::requests::staff::{QueueQuery, queue_filter};
use crate::state::AppState;
use crate::storage::StorageError;
use crate::storage::requests::{RequestRecord, Transition};

use super::layout;
use super::session::WebUser;

const PAGE: u32 = 100;

fn status_label(status: RequestStatus) -> &'static str {
    match status {
        RequestStatus::Open => "Open",
        RequestStatus::InProcess => "In process",
        RequestStatus::Closed => "Closed",
        RequestStatus::Rejected => "Rejected",
    }
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct QueueParams {
    #[serde(default)]
    service_code: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    neighbourhood: String,
    #[serde(default)]
    older_than_days: String,
    after: Option<i64>,
}

pub(super) async fn page(
    State(state): State<AppState>,
    user: WebUser,
    Query(params): Query<QueueParams>,
) -> Response {
    if let Err(refusal) = user.require(Duty::Requests) {
        return refusal.into_response();
    }
    let query = QueueQuery {
        service_code: Some(params.service_code.clone()).filter(|code| !code.is_empty()),
        status: RequestStatus::parse(&params.status),
        neighbourhood: Some(params.neighbourhood.clone()).filter(|name| !name.is_empty()),
        older_than_days: params.older_than_days.trim().parse().ok(),
        cursor: params.after.map(|after| after.to_string()),
        limit: Some(PAGE),
    };
    let mut filter = match queue_filter(&state, &user.staff, &query) {
        Ok(filter) => filter,
        Err(error) => return layout::not_found(&user, &error.message),
    };
    filter.limit += 1;
    let listed = tokio::try_join!(
        state.storage.request_list(filter),
        state.storage.service_types()
    );
    let (mut records, services) = match listed {
        Ok(listed) => listed,
        Err(error) => return layout::error_page(&error.to_string()),
    };
    let more = records.len() > PAGE as usize;
    records.truncate(PAGE as usize);
    let body = html! {
        p.hint { "Requests from citizens, oldest first. Open one to assign it or change its status." }
        form.filters method="get" action="/dashboard/requests" {
            label { "Type " select name="service_code" {
                option value="" { "Any" }
                @for service in &services {
                    option value=(service.code) selected[service.code == params.service_code] { (service.name_en) }
                }
            } }
            label { "Status " select name="status" {
                option value="" { "Any" }
                @for status in RequestStatus::ALL {
                    option value=(status.as_str()) selected[status.as_str() == params.status] { (status_label(*status)) }
                }
            } }
            label { "Neighbourhood " input type="text" name="neighbourhood" value=(params.neighbourhood); }
            label { "Older than (days) " input type="number" min="0" max="3650" name="older_than_days" value=(params.older_than_days); }
            button type="submit" { "Filter" }
        }
        @if records.is_empty() {
            p { "No requests match." }
        } @else {
            table.requests {
                thead { tr { th { "Ticket" } th { "Type" } th { "Neighbourhood" } th { "Centre" } th { "Status" } th { "Assigned to" } th { "Filed" } } }
                tbody {
                    @for record in &records {
                        tr {
                            td { a href={ "/dashboard/requests/" (record.id) } { (record.ticket) } }
                            td { (record.service_name_en) }
                            td { (record.neighbourhood.as_deref().unwrap_or("—")) }
                            td { (record.centre.as_deref().unwrap_or("—")) }
                            td { (status_label(record.status)) }
                            td { (record.assignee.as_deref().unwrap_or("—")) }
                            td { (layout::time(record.created_at)) }
                        }
                    }
                }
            }
            @if more {
                @if let Some(last) = records.last() {
                    p { a href={ "/dashboard/requests?after=" (last.id) } { "More →" } }
                }
            }
        }
    };
    layout::page(Some(&user), "Requests", body).into_response()
}

async fn reachable(state: &AppState, user: &WebUser, id: i64) -> Result<RequestRecord, Response> {
    match user
        .staff
        .require_on(&state.storage, Duty::Requests, Subject::Request(id))
        .await
    {
        Ok(()) => {}
        Err(error) if error.status == StatusCode::NOT_FOUND => {
            return Err(layout::not_found(user, "No such request."));
        }
        Err(error) => return Err(layout::forbidden(user, &error.message)),
    }
    state
        .storage
        .request(id)
        .await
        .map_err(|error| layout::error_page(&error.to_string()))
}

fn detail(user: &WebUser, record: &RequestRecord) -> Markup {
    let id = record.id;
    html! {
        dl.request {
            dt { "Type" } dd { (record.service_name_en) " (" (record.service_code) ")" }
            dt { "Status" } dd { (status_label(record.status)) }
            dt { "Place" } dd {
                (record.neighbourhood.as_deref().unwrap_or("—"))
                @if let Some(street) = &record.street { " · " (street) }
                @if let Some(reference) = &record.reference { " · " (reference) }
            }
            dt { "Filed" } dd { (layout::time(record.created_at)) " via " (record.channel.as_str())
                @if let Some(centre) = &record.centre { " at " (centre) } }
            dt { "Assigned to" } dd { (record.assignee.as_deref().unwrap_or("nobody")) }
        }
        blockquote.body { (record.description) }
        h2 { "History" }
        ol.history {
            @for change in &record.changes {
                li {
                    (layout::time(change.at)) " · " (change.actor) " · " (status_label(change.status))
                    @if let Some(assignee) = &change.assignee { " · assigned to " (assignee) }
                    @if let Some(note) = &change.public_note { p { "Public: " (note) } }
                    @if let Some(note) = &change.internal_note { p.internal { "Internal: " (note) } }
                }
            }
        }
        h2 { "Assign" }
        form method="post" action={ "/dashboard/requests/" (id) "/assign" } {
            input type="hidden" name="csrf" value=(user.csrf_token);
            label { "Staff account " input type="text" name="assignee" required; }
            label { "Internal note " input type="text" name="internal_note" maxlength=(NOTE_MAX); }
            button type="submit" { "Assign" }
        }
        @if !record.status.is_final() {
            h2 { "Change status" }
            form method="post" action={ "/dashboard/requests/" (id) "/status" } {
                input type="hidden" name="csrf" value=(user.csrf_token);
                label { "New status " select name="status" {
                    @for status in RequestStatus::ALL.iter().filter(|next| record.status.may_become(**next)) {
                        option value=(status.as_str()) { (status_label(*status)) }
                    }
                } }
                label { "Public note (the citizen reads it at any kiosk) " textarea name="public_note" required maxlength=(NOTE_MAX) {} }
                label { "Internal note (staff only) " textarea name="internal_note" maxlength=(NOTE_MAX) {} }
                button type="submit" { "Save" }
            }
        }
    }
}

pub(super) async fn request(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
) -> Response {
    match reachable(&state, &user, id).await {
        Ok(record) => {
            let title = format!("Request {}", record.ticket);
            layout::page(Some(&user), &title, detail(&user, &record)).into_response()
        }
        Err(refusal) => refusal,
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct ActionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    assignee: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    public_note: String,
    #[serde(default)]
    internal_note: String,
}

fn refused(user: &WebUser, id: i64, status: StatusCode, message: &str) -> Response {
    let body = html! {
        p.notice.error role="alert" { (message) }
        p { a href={ "/dashboard/requests/" (id) } { "Back to the request" } }
    };
    (status, layout::page(Some(user), "Cannot do this", body)).into_response()
}

fn note(text: &str, what: &str) -> Result<Option<String>, String> {
    Some(text.trim())
        .filter(|text| !text.is_empty())
        .map(|text| plain_text(text, what, 1, NOTE_MAX))
        .transpose()
        .map_err(|error| error.to_string())
}

async fn checked(state: &AppState, user: &WebUser, id: i64, csrf: &str) -> Result<(), Response> {
    user.require(Duty::Requests)
        .and_then(|()| user.check_csrf(csrf))
        .map_err(IntoResponse::into_response)?;
    reachable(state, user, id).await.map(|_| ())
}

fn outcome(user: &WebUser, id: i64, result: Result<(), StorageError>) -> Response {
    match result {
        Ok(()) => Redirect::to(&format!("/dashboard/requests/{id}")).into_response(),
        Err(StorageError::Invalid(message)) => {
            refused(user, id, StatusCode::UNPROCESSABLE_ENTITY, &message)
        }
        Err(StorageError::NotFound) => layout::not_found(user, "No such request."),
        Err(error) => layout::error_page(&error.to_string()),
    }
}

pub(super) async fn assign(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<ActionForm>,
) -> Response {
    if let Err(refusal) = checked(&state, &user, id, &form.csrf).await {
        return refusal;
    }
    let internal_note = match note(&form.internal_note, "the internal note") {
        Ok(note) => note,
        Err(message) => return refused(&user, id, StatusCode::UNPROCESSABLE_ENTITY, &message),
    };
    let result = state
        .storage
        .assign_request(
            id,
            form.assignee.trim().to_owned(),
            internal_note,
            user.staff.name.clone(),
            state.clock.now(),
        )
        .await
        .map(|_| ());
    outcome(&user, id, result)
}

pub(super) async fn change_status(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<ActionForm>,
) -> Response {
    if let Err(refusal) = checked(&state, &user, id, &form.csrf).await {
        return refusal;
    }
    let Some(status) = RequestStatus::parse(&form.status) else {
        return refused(
            &user,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choose a status.",
        );
    };
    let (public_note, internal_note) = match (
        note(&form.public_note, "the public note"),
        note(&form.internal_note, "the internal note"),
    ) {
        (Ok(Some(public)), Ok(internal)) => (public, internal),
        (Ok(None), _) => {
            return refused(
                &user,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                "Write a public note for the citizen.",
            );
        }
        (Err(message), _) | (_, Err(message)) => {
            return refused(&user, id, StatusCode::UNPROCESSABLE_ENTITY, &message);
        }
    };
    let changed = state
        .storage
        .change_request_status(Transition {
            request_id: id,
            status,
            public_note,
            internal_note,
            actor: user.staff.name.clone(),
            now: state.clock.now(),
        })
        .await;
    match changed {
        Ok(Err(refusal)) => refused(
            &user,
            id,
            StatusCode::CONFLICT,
            &format!(
                "A request that is {} cannot become {}.",
                refusal.from, refusal.to
            ),
        ),
        Ok(Ok(_)) => outcome(&user, id, Ok(())),
        Err(error) => outcome(&user, id, Err(error)),
    }
}
