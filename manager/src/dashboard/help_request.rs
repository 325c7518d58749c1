//! "Turn it into a request": a member of staff files what a citizen asked
//! in live help as a request to the municipality, in one click. The
//! citizen's own messages become the description; no identity is added
//! (the conversation had none, beyond an alias that is not copied). The
//! citizen reads the ticket in the conversation, to follow it at any kiosk.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use plaza_api::requests::RequestChannel;
use serde::Deserialize;
use uuid::Uuid;

use crate::access::Duty;
use crate::help_chat::request_draft;
use crate::requests::{Filing, file_request};
use crate::state::AppState;

use super::help_page::{answerable, refused};
use super::session::WebUser;

#[derive(Debug, Deserialize)]
pub(super) struct RequestForm {
    csrf: String,
    #[serde(default)]
    service_code: String,
    #[serde(default)]
    neighbourhood: String,
}

pub(super) async fn to_request(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<Uuid>,
    Form(form): Form<RequestForm>,
) -> Response {
    if let Err(refusal) = user
        .require(Duty::LiveHelp)
        .and_then(|()| user.require(Duty::Requests))
        .and_then(|()| user.check_csrf(&form.csrf))
    {
        return refusal.into_response();
    }
    let conversation = match answerable(&state, &user, id).await {
        Ok(conversation) => conversation,
        Err(refusal) => return refusal,
    };
    let open = match state
        .storage
        .open_help_conversations(user.staff.centres())
        .await
    {
        Ok(open) => open.into_iter().find(|open| open.conversation.id == id),
        Err(error) => return super::layout::error_page(&error.to_string()),
    };
    let Some(open) = open else {
        return refused(
            &user,
            StatusCode::CONFLICT,
            "This conversation has ended; file the request from the requests page.",
        );
    };
    let description = request_draft(&open);
    if description.trim().is_empty() {
        return refused(
            &user,
            StatusCode::UNPROCESSABLE_ENTITY,
            "The citizen has not written anything to file yet.",
        );
    }
    let neighbourhood = Some(form.neighbourhood.trim().to_owned()).filter(|name| !name.is_empty());
    let filing = Filing {
        service_code: form.service_code.trim().to_owned(),
        description,
        neighbourhood,
        street: None,
        reference: None,
        lat: None,
        lon: None,
        attributes: serde_json::Map::new(),
        centre_id: Some(conversation.centre_id),
        citizen_id: None,
    };
    let filed = match file_request(
        &state,
        filing,
        RequestChannel::Chat,
        user.staff.name.clone(),
    )
    .await
    {
        Ok(filed) => filed,
        Err(error) => {
            let status = error.status;
            return refused(&user, status, &error.message);
        }
    };
    let note = format!(
        "Dejamos tu pedido registrado con el número {ticket}: podés seguirlo en «Pedidos y \
         reclamos» desde cualquier terminal. / Your request is filed as {ticket}.",
        ticket = filed.ticket
    );
    let now = state.clock.now();
    if let Err(error) = state
        .storage
        .add_help_message(id, Some(user.staff.name.clone()), note, now)
        .await
    {
        tracing::warn!(%error, conversation = %id, "the ticket did not reach the conversation");
    }
    state.help_chat.changed(id);
    tracing::info!(conversation = %id, request = filed.id, actor = %user.staff.name, "live help turned into a request");
    Redirect::to(&format!("/dashboard/requests/{}", filed.id)).into_response()
}
