//! Live help for staff: the open conversations of the user's centres, each
//! with its transcript, an answer box and "End conversation". The page is
//! complete HTML (a reload shows the truth); with scripts on,
//! `help_chat.js` follows `/dashboard/help/events` (server-sent events,
//! one `conversations` event whenever a conversation changes) and patches
//! the transcripts in place, leaving half-written answers alone.
//!
//! Holding that stream open is what makes a member of staff *available*
//! to the kiosks of their centres (`help_chat::hub`), unless they marked
//! themselves away with the page's toggle.

use std::convert::Infallible;
use std::time::Duration;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use futures_util::{Stream, StreamExt};
use maud::{Markup, html};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::access::{Duty, Subject};
use crate::help_chat::clean_text;
use crate::state::AppState;
use crate::storage::StorageError;
use crate::storage::help_chat::{ConversationRecord, OpenConversation};
use crate::storage::requests::ServiceTypeRecord;

use super::layout::{self, Refused};
use super::session::WebUser;

/// How often an idle stream checks that its browser session still holds.
const SESSION_CHECK: Duration = Duration::from_secs(10);

async fn open_conversations(
    state: &AppState,
    user: &WebUser,
) -> Result<Vec<OpenConversation>, StorageError> {
    state
        .storage
        .open_help_conversations(user.staff.centres())
        .await
}

pub(super) async fn page(State(state): State<AppState>, user: WebUser) -> Response {
    if let Err(refusal) = user.require(Duty::LiveHelp) {
        return refusal.into_response();
    }
    let conversations = match open_conversations(&state, &user).await {
        Ok(conversations) => conversations,
        Err(error) => return layout::error_page(&error.to_string()),
    };
    let service_types = match state.storage.service_types().await {
        Ok(types) => types,
        Err(error) => return layout::error_page(&error.to_string()),
    };
    let away = state.help_chat.is_away(user.session_hash);
    let body = html! {
        p.hint {
            "Citizens at the kiosks of your centres can write to you while this page is open "
            "and you are available. New messages appear by themselves; without JavaScript, reload the page."
        }
        form.availability method="post" action="/dashboard/help/availability" {
            input type="hidden" name="csrf" value=(user.csrf_token);
            @if away {
                p #availability data-available="no" { "You are away: kiosks say nobody can answer." }
                input type="hidden" name="available" value="yes";
                button type="submit" { "I am available" }
            } @else {
                p #availability data-available="yes" { "You are available to answer." }
                input type="hidden" name="available" value="no";
                button type="submit" { "Mark me away" }
            }
        }
        div #help-conversations data-csrf=(user.csrf_token) {
            p.notice #no-conversations hidden[!conversations.is_empty()] { "No conversation is open." }
            @for open in &conversations {
                (conversation_markup(open, &user.csrf_token))
            }
        }
        (service_types_list(&service_types))
        script src="/dashboard/assets/help_chat.js" defer {}
    };
    layout::page(Some(&user), "Live help", body).into_response()
}

fn who(conversation: &ConversationRecord) -> String {
    conversation.alias.as_ref().map_or_else(
        || "Anonymous citizen".to_owned(),
        |alias| format!("Citizen “{alias}”"),
    )
}

fn transcript_markup(open: &OpenConversation) -> Markup {
    html! {
        @for message in &open.messages {
            li class=(if message.staff.is_some() { "from-staff" } else { "from-citizen" }) {
                span.who {
                    @match &message.staff {
                        Some(name) => { (name) }
                        None => { (who(&open.conversation)) }
                    }
                    " · " (layout::time(message.at))
                }
                " "
                span.text { (message.text) }
            }
        }
    }
}

fn conversation_markup(open: &OpenConversation, csrf: &str) -> Markup {
    let conversation = &open.conversation;
    let id = conversation.id;
    html! {
        section.conversation id={ "c-" (id) } data-conversation=(id) aria-label=(who(conversation)) {
            h2 { (who(conversation)) " at " (conversation.hostname) ", " (conversation.centre) }
            p.hint { "Opened " (layout::time(conversation.opened_at)) }
            ol.transcript data-field="transcript" aria-live="polite" { (transcript_markup(open)) }
            form.reply method="post" action={ "/dashboard/help/" (id) "/reply" } {
                input type="hidden" name="csrf" value=(csrf);
                label { "Your answer " textarea name="text" rows="2" maxlength="1000" required {} }
                button type="submit" { "Send" }
            }
            form.end method="post" action={ "/dashboard/help/" (id) "/end" } {
                input type="hidden" name="csrf" value=(csrf);
                button type="submit" { "End conversation" }
            }
            (request_form(id, csrf))
        }
    }
}

/// The id of the page's list of service types, shared by every
/// conversation's form (those the page's script adds too).
const SERVICE_TYPES_LIST: &str = "service-types";

/// The page's `<datalist>` of service codes, with their Spanish names.
fn service_types_list(types: &[ServiceTypeRecord]) -> Markup {
    html! {
        datalist id=(SERVICE_TYPES_LIST) {
            @for service in types {
                option value=(service.code) { (service.name_es) }
            }
        }
    }
}

/// "Turn into a request" (`help_request`), beside "End conversation".
fn request_form(id: Uuid, csrf: &str) -> Markup {
    html! {
        form.to-request method="post" action={ "/dashboard/help/" (id) "/request" } {
            input type="hidden" name="csrf" value=(csrf);
            label { "Service type " input name="service_code" list=(SERVICE_TYPES_LIST) required; }
            label { "Neighbourhood " input name="neighbourhood"; }
            button type="submit" { "Turn into a request" }
        }
    }
}

/// What the page's script patches: one entry per open conversation.
#[derive(Debug, Serialize)]
struct Update {
    id: Uuid,
    /// The whole section, for a conversation the page does not show yet.
    section: String,
    /// The transcript's items, for one it shows.
    transcript: String,
}

fn updates(conversations: &[OpenConversation], csrf: &str) -> Vec<Update> {
    conversations
        .iter()
        .map(|open| Update {
            id: open.conversation.id,
            section: conversation_markup(open, csrf).into_string(),
            transcript: transcript_markup(open).into_string(),
        })
        .collect()
}

/// `text/event-stream` of `conversations` events: the open conversations
/// at once and after every change, until the session ends or the server
/// shuts down. While it is open, the session counts as present.
pub(super) async fn events(
    State(state): State<AppState>,
    user: WebUser,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, Refused> {
    user.require(Duty::LiveHelp)?;
    // The floor's per-session limit holds for every live page.
    let Some(slot) = state.limits.floor_stream(user.session_hash) else {
        return Err(Response::from(
            (
                StatusCode::TOO_MANY_REQUESTS,
                [(axum::http::header::RETRY_AFTER, "5")],
                "This session already has as many live pages open as allowed; close one.",
            )
                .into_response(),
        )
        .into());
    };
    let presence = state
        .help_chat
        .present(user.session_hash, user.staff.scope.clone());
    let stopping = state.stopping.clone();
    let woken = state.help_chat.watch_dashboards();
    let stream = futures_util::stream::unfold(
        (state, user, woken, None::<String>),
        |(state, user, mut woken, last)| async move {
            loop {
                if last.is_some() {
                    // Woken by a change, or now and then to check the session.
                    let _ = tokio::time::timeout(SESSION_CHECK, woken.changed()).await;
                }
                let still_signed_in = matches!(
                    state
                        .storage
                        .web_session(user.session_hash, state.clock.now())
                        .await,
                    Ok(Some(_))
                );
                if !still_signed_in {
                    return None;
                }
                woken.borrow_and_update();
                let conversations = open_conversations(&state, &user).await.ok()?;
                let json =
                    serde_json::to_string(&updates(&conversations, &user.csrf_token)).ok()?;
                if last.as_ref() == Some(&json) {
                    continue;
                }
                let event = Event::default().event("conversations").data(json.clone());
                return Some((Ok(event), (state, user, woken, Some(json))));
            }
        },
    )
    .take_until(async move { stopping.wait().await })
    .map(move |event| {
        let _open = (&slot, &presence);
        event
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

#[derive(Debug, Deserialize)]
pub(super) struct AvailabilityForm {
    csrf: String,
    #[serde(default)]
    available: String,
}

/// The toggle: available, or away.
pub(super) async fn set_availability(
    State(state): State<AppState>,
    user: WebUser,
    Form(form): Form<AvailabilityForm>,
) -> Response {
    if let Err(refusal) = user
        .require(Duty::LiveHelp)
        .and_then(|()| user.check_csrf(&form.csrf))
    {
        return refusal.into_response();
    }
    let available = match form.available.as_str() {
        "yes" => true,
        "no" => false,
        _ => return refused(&user, StatusCode::UNPROCESSABLE_ENTITY, "Say yes or no."),
    };
    state.help_chat.set_available(user.session_hash, available);
    tracing::info!(actor = %user.staff.name, available, "live help availability");
    Redirect::to("/dashboard/help").into_response()
}

#[derive(Debug, Deserialize)]
pub(super) struct ReplyForm {
    csrf: String,
    #[serde(default)]
    text: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct EndForm {
    csrf: String,
}

/// The conversation, if the user may answer it: their centre's (403
/// otherwise; 404 when there is none).
pub(super) async fn answerable(
    state: &AppState,
    user: &WebUser,
    id: Uuid,
) -> Result<ConversationRecord, Response> {
    let conversation = match state.storage.help_conversation(id).await {
        Ok(conversation) => conversation,
        Err(StorageError::NotFound) => {
            return Err(layout::not_found(user, "No such conversation."));
        }
        Err(error) => return Err(layout::error_page(&error.to_string())),
    };
    user.staff
        .require_on(
            &state.storage,
            Duty::LiveHelp,
            Subject::Centre(conversation.centre_id),
        )
        .await
        .map_err(|_| {
            layout::forbidden(
                user,
                "This conversation is at a centre you do not supervise.",
            )
        })?;
    Ok(conversation)
}

pub(super) async fn reply(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<Uuid>,
    Form(form): Form<ReplyForm>,
) -> Response {
    if let Err(refusal) = user
        .require(Duty::LiveHelp)
        .and_then(|()| user.check_csrf(&form.csrf))
    {
        return refusal.into_response();
    }
    if let Err(refusal) = answerable(&state, &user, id).await {
        return refusal;
    }
    let text = match clean_text(&form.text) {
        Ok(text) => text,
        Err(_) => {
            return refused(
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                "Write an answer of at most 1000 characters.",
            );
        }
    };
    let added = state
        .storage
        .add_help_message(id, Some(user.staff.name.clone()), text, state.clock.now())
        .await;
    match added {
        Ok(_) => {
            state.help_chat.changed(id);
            Redirect::to(&format!("/dashboard/help#c-{id}")).into_response()
        }
        Err(StorageError::Conflict(_)) => refused(
            &user,
            StatusCode::CONFLICT,
            "This conversation has ended; the citizen can no longer read answers.",
        ),
        Err(error) => layout::error_page(&error.to_string()),
    }
}

pub(super) async fn end(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<Uuid>,
    Form(form): Form<EndForm>,
) -> Response {
    if let Err(refusal) = user
        .require(Duty::LiveHelp)
        .and_then(|()| user.check_csrf(&form.csrf))
    {
        return refusal.into_response();
    }
    if let Err(refusal) = answerable(&state, &user, id).await {
        return refusal;
    }
    match state
        .storage
        .end_help_conversation(id, user.staff.name.clone(), true, state.clock.now())
        .await
    {
        Ok(_) => {
            state.help_chat.changed(id);
            tracing::info!(conversation = %id, actor = %user.staff.name, "live help ended by staff");
            Redirect::to("/dashboard/help").into_response()
        }
        Err(error) => layout::error_page(&error.to_string()),
    }
}

pub(super) fn refused(user: &WebUser, status: StatusCode, message: &str) -> Response {
    (
        status,
        layout::page(
            Some(user),
            "Live help",
            html! {
                p.notice.error { (message) }
                p { a href="/dashboard/help" { "Back to live help" } }
            },
        ),
    )
        .into_response()
}
