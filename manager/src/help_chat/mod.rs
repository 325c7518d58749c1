//! `/api/v1/help`: live help ("Ayuda en vivo"), a chat between a kiosk
//! session and its centre's staff (issue #16, section 2).
//!
//! The kiosk asks whether anyone can answer ([`hub::Hub::available_for`]),
//! opens a conversation with a first message, sends more, and waits for
//! answers with a long poll. Staff answer from the dashboard's help page
//! (`dashboard::help_page`), which lists open conversations live over SSE.
//! A citizen's text goes through the forums' word filter (422
//! `words_not_allowed`); staff write as themselves, as on the forums. A
//! conversation keeps no account, only a logged-in citizen's alias; it is
//! deleted `retention.chat_days` after its last message ([`apply_retention`]).

pub mod hub;

use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use jiff::SignedDuration;
use plaza_api::error::ErrorBody;
use plaza_api::help_chat::{
    Conversation, HelpAvailability, HelpMessage, MESSAGE_MAX_CHARS, MessageAuthor,
    OpenConversationRequest, SendMessageRequest, WAIT_MAX_S,
};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::auth::KioskAuth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Path, Query};
use crate::participation::auth::Viewer;
use crate::participation::text::{WordFilter, plain_text};
use crate::state::AppState;
use crate::storage::StorageError;
use crate::storage::help_chat::{ConversationRecord, ENDED_BY_CITIZEN, MessageRecord};

pub use hub::Hub;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(availability))
        .routes(routes!(open))
        .routes(routes!(send, messages))
        .routes(routes!(end))
}

/// A message as the wire shows it: the kiosk does not learn staff names.
pub fn wire_message(message: &MessageRecord) -> HelpMessage {
    HelpMessage {
        id: message.id,
        author: if message.staff.is_some() {
            MessageAuthor::Staff
        } else {
            MessageAuthor::Citizen
        },
        text: message.text.clone(),
        at: message.at,
    }
}

/// A text as stored: plain, at most [`MESSAGE_MAX_CHARS`].
pub fn clean_text(text: &str) -> ApiResult<String> {
    plain_text(text, "a message", 1, MESSAGE_MAX_CHARS)
        .map_err(|error| ApiError::invalid(error.to_string()))
}

/// A citizen's text, refused (422 `words_not_allowed`) with a word of the
/// forums' filter.
fn citizen_text(state: &AppState, text: &str) -> ApiResult<String> {
    let text = clean_text(text)?;
    let filter = WordFilter::new(&state.settings.participation.word_filter);
    if filter.words_in_text(&text).is_empty() {
        Ok(text)
    } else {
        Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "words_not_allowed",
            "this message contains words that are not allowed here; please change them",
        ))
    }
}

fn kiosk_of(viewer: &Viewer) -> ApiResult<&KioskAuth> {
    match viewer {
        Viewer::Kiosk { kiosk, .. } => Ok(kiosk),
        Viewer::Staff(_) => Err(ApiError::forbidden(
            "staff answer from the dashboard's help page",
        )),
    }
}

/// The conversation, if it was opened by this kiosk; another kiosk's is
/// not found (its existence is nobody else's business).
async fn own_conversation(
    state: &AppState,
    kiosk: &KioskAuth,
    id: Uuid,
) -> ApiResult<ConversationRecord> {
    let missing = || ApiError::not_found("no such conversation at this kiosk");
    let conversation = state
        .storage
        .help_conversation(id)
        .await
        .map_err(|error| match error {
            StorageError::NotFound => missing(),
            other => other.into(),
        })?;
    if conversation.kiosk_id == kiosk.kiosk_id() {
        Ok(conversation)
    } else {
        Err(missing())
    }
}

/// Whether a member of staff of the kiosk's centre can answer now, and
/// the centre's hours.
#[utoipa::path(get, path = "/api/v1/help/availability", tag = "help",
    security(("kiosk_token" = [])),
    responses((status = 200, body = HelpAvailability), (status = 401, body = ErrorBody)))]
async fn availability(
    State(state): State<AppState>,
    kiosk: KioskAuth,
) -> ApiResult<Json<HelpAvailability>> {
    let centre_id = kiosk.0.centre_id;
    let centre = state
        .storage
        .centres()
        .await?
        .into_iter()
        .find(|centre| centre.id == centre_id)
        .ok_or_else(|| ApiError::internal("the kiosk's centre is missing"))?;
    let hours = crate::centres::opening_hours(&state, &centre).await?;
    Ok(Json(HelpAvailability {
        available: state.help_chat.available_for(centre_id),
        centre: centre.name,
        hours: hours.hours,
    }))
}

/// Open a conversation with the centre's staff, with the first message.
/// A logged-in citizen (`X-Citizen-Token`) shows by their alias. The
/// kiosk's earlier open conversation ends.
#[utoipa::path(post, path = "/api/v1/help/conversations", tag = "help",
    request_body = OpenConversationRequest,
    security(("kiosk_token" = []), ("kiosk_token" = [], "citizen_token" = [])),
    responses((status = 201, body = Conversation), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, description = "Empty, too long, or with filtered words (`words_not_allowed`)", body = ErrorBody)))]
async fn open(
    State(state): State<AppState>,
    viewer: Viewer,
    Json(request): Json<OpenConversationRequest>,
) -> ApiResult<(StatusCode, Json<Conversation>)> {
    let kiosk = kiosk_of(&viewer)?;
    let text = citizen_text(&state, &request.text)?;
    let alias = viewer
        .citizen()
        .map(|citizen| citizen.citizen.alias.clone());
    let (conversation, messages) = state
        .storage
        .open_help_conversation(kiosk.kiosk_id(), alias, text, state.clock.now())
        .await?;
    state.help_chat.changed(conversation.id);
    tracing::info!(conversation = %conversation.id, kiosk = %kiosk.kiosk_id(), "live help opened");
    Ok((
        StatusCode::CREATED,
        Json(Conversation {
            id: conversation.id,
            messages: messages.iter().map(wire_message).collect(),
            ended: false,
        }),
    ))
}

/// Send a message to the staff.
#[utoipa::path(post, path = "/api/v1/help/conversations/{id}/messages", tag = "help",
    params(("id" = Uuid, Path, description = "The conversation")),
    request_body = SendMessageRequest,
    security(("kiosk_token" = [])),
    responses((status = 201, body = HelpMessage), (status = 401, body = ErrorBody),
        (status = 404, description = "No such conversation at this kiosk", body = ErrorBody),
        (status = 409, description = "The conversation has ended", body = ErrorBody),
        (status = 422, description = "Empty, too long, or with filtered words (`words_not_allowed`)", body = ErrorBody)))]
async fn send(
    State(state): State<AppState>,
    kiosk: KioskAuth,
    Path(id): Path<Uuid>,
    Json(request): Json<SendMessageRequest>,
) -> ApiResult<(StatusCode, Json<HelpMessage>)> {
    own_conversation(&state, &kiosk, id).await?;
    let text = citizen_text(&state, &request.text)?;
    let message = state
        .storage
        .add_help_message(id, None, text, state.clock.now())
        .await?;
    state.help_chat.changed(id);
    Ok((StatusCode::CREATED, Json(wire_message(&message))))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct WaitQuery {
    /// Messages after this id (0: all).
    #[serde(default)]
    after: i64,
    /// Seconds to wait for a message when there is none yet (at most 25;
    /// 0 answers at once).
    #[serde(default)]
    wait_s: u32,
}

/// The messages after `after`; a long poll: with none yet, the answer
/// waits up to `wait_s` seconds for one (or for the conversation's end).
#[utoipa::path(get, path = "/api/v1/help/conversations/{id}/messages", tag = "help",
    params(("id" = Uuid, Path, description = "The conversation"), WaitQuery),
    security(("kiosk_token" = [])),
    responses((status = 200, body = Conversation), (status = 401, body = ErrorBody),
        (status = 404, description = "No such conversation at this kiosk", body = ErrorBody),
        (status = 422, description = "`wait_s` above 25", body = ErrorBody)))]
async fn messages(
    State(state): State<AppState>,
    kiosk: KioskAuth,
    Path(id): Path<Uuid>,
    Query(query): Query<WaitQuery>,
) -> ApiResult<Json<Conversation>> {
    // Subscribed before reading, so a message between the read and the
    // wait still wakes us.
    let mut woken = state.help_chat.watch_conversation(id);
    let mut conversation = own_conversation(&state, &kiosk, id).await?;
    let mut messages = state.storage.help_messages(id, query.after).await?;
    if query.wait_s > WAIT_MAX_S {
        return Err(ApiError::invalid(format!(
            "wait_s is at most {WAIT_MAX_S} seconds"
        )));
    }
    let wait = Duration::from_secs(u64::from(query.wait_s));
    if messages.is_empty() && conversation.ended_at.is_none() && !wait.is_zero() {
        let stopping = state.stopping.clone();
        tokio::select! {
            _ = tokio::time::timeout(wait, woken.changed()) => {}
            () = stopping.wait() => {}
        }
        conversation = own_conversation(&state, &kiosk, id).await?;
        messages = state.storage.help_messages(id, query.after).await?;
    }
    Ok(Json(Conversation {
        id,
        messages: messages.iter().map(wire_message).collect(),
        ended: conversation.ended_at.is_some(),
    }))
}

/// End the conversation (the citizen left, or the session ended); ending
/// it again changes nothing.
#[utoipa::path(post, path = "/api/v1/help/conversations/{id}/end", tag = "help",
    params(("id" = Uuid, Path, description = "The conversation")),
    security(("kiosk_token" = [])),
    responses((status = 204, description = "Ended"), (status = 401, body = ErrorBody),
        (status = 404, description = "No such conversation at this kiosk", body = ErrorBody)))]
async fn end(
    State(state): State<AppState>,
    kiosk: KioskAuth,
    Path(id): Path<Uuid>,
) -> ApiResult<StatusCode> {
    own_conversation(&state, &kiosk, id).await?;
    state
        .storage
        .end_help_conversation(id, ENDED_BY_CITIZEN.to_owned(), false, state.clock.now())
        .await?;
    state.help_chat.changed(id);
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes transcripts whose last message is older than
/// `retention.chat_days` (housekeeping; also called by tests).
pub async fn apply_retention(state: &AppState) {
    let before = state.clock.now()
        - SignedDuration::from_hours(24 * i64::from(state.settings.retention.chat_days));
    match state.storage.purge_help_before(before).await {
        Ok(0) => {}
        Ok(purged) => {
            tracing::info!(purged, %before, "removed live-help transcripts past retention");
        }
        Err(error) => tracing::warn!(%error, "cannot remove old live-help transcripts"),
    }
}

/// What a conversation turned into a request says: the citizen's own
/// messages, one per line (staff's answers are not the request).
/// `dashboard::help_request` files it.
pub fn request_draft(open: &crate::storage::help_chat::OpenConversation) -> String {
    open.messages
        .iter()
        .filter(|message| message.staff.is_none())
        .map(|message| message.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}
