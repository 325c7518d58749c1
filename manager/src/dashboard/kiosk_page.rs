//! One kiosk: status, 24 h health charts, recent sessions and commands, and
//! remote actions behind a confirmation step (which works without scripts).

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::SignedDuration;
use maud::{Markup, PreEscaped, html};
use plaza_api::heartbeat::CommandAction;
use serde::Deserialize;
use uuid::Uuid;

use crate::access::Duty;
use crate::kiosks::status::{acts_on_session, summarise, validate_action};
use crate::state::AppState;
use crate::storage::StorageError;
use crate::storage::commands::NewCommand;

use super::charts::{health_series, line_chart};
use super::floor::tile;
use super::layout;
use super::session::WebUser;

const RECENT: u32 = 20;

pub(super) async fn page(
    State(state): State<AppState>,
    user: WebUser,
    Path(kiosk_id): Path<Uuid>,
) -> Response {
    if let Err(refusal) = user.require(Duty::Floor) {
        return refusal.into_response();
    }
    let record = match state.storage.kiosk(kiosk_id).await {
        Ok(record) if user.staff.may_at(Duty::Floor, record.centre_id) => record,
        Ok(_) | Err(StorageError::NotFound) => {
            return layout::not_found(&user, "No such kiosk in your centres.");
        }
        Err(error) => return layout::error_page(&error.to_string()),
    };
    let now = state.clock.now();
    let since = now - SignedDuration::from_hours(24);
    let loaded = tokio::try_join!(
        state.storage.commands_for(kiosk_id, RECENT),
        state.storage.sessions_for_kiosk(kiosk_id, RECENT),
        state.storage.health_history(kiosk_id, since),
    );
    let (commands, sessions, history) = match loaded {
        Ok(loaded) => loaded,
        Err(error) => return layout::error_page(&error.to_string()),
    };
    let kiosk = summarise(record, now, state.settings.offline_after());
    let crashes = match super::alerts::recent_crashes(&state).await {
        Ok(crashes) => crashes,
        Err(error) => return layout::error_page(&error.to_string()),
    };
    let tile = tile(&kiosk, &crashes);
    let body = html! {
        p { a href="/dashboard" { "← Floor" } }
        dl.facts {
            dt { "Centre" } dd { (kiosk.centre) }
            dt { "State" } dd { (tile.label) }
            @if !tile.time_left.is_empty() { dt { "Session" } dd { (tile.time_left) } }
            dt { "Heartbeat" } dd { (tile.heartbeat_age) }
            dt { "Version" } dd { (kiosk.app_version.as_deref().unwrap_or("–")) }
            @if let Some(skew) = kiosk.clock_skew_s { dt { "Clock" } dd { (clock_skew(skew)) } }
            dt { "Outbox" } dd { (kiosk.outbox_len.map_or_else(|| "–".to_owned(), |len| len.to_string())) }
            @if let Some(error) = &kiosk.last_error { dt { "Last error" } dd { (error) } }
        }
        @if !tile.alerts.is_empty() {
            ul.alerts role="alert" { @for alert in &tile.alerts { li { (alert) } } }
        }
        h2 { "Actions" }
        div.actions {
            (action_form(&user, kiosk_id, "message", "Send message", html! {
                label for="text" { "Message" }
                input #text type="text" name="text" maxlength="500" required;
            }))
            (action_form(&user, kiosk_id, "extend", "Extend session", html! {
                label for="minutes" { "Minutes" }
                input #minutes type="number" name="minutes" min="1" max="240" value="10" required;
            }))
            (action_form(&user, kiosk_id, "end", "End session", html! {}))
            (action_form(&user, kiosk_id, "lock", "Lock for maintenance", html! {}))
            (action_form(&user, kiosk_id, "unlock", "Unlock", html! {}))
        }
        h2 { "Commands" }
        @if commands.is_empty() { p { "None sent yet." } } @else {
            table {
                thead { tr { th scope="col" { "Sent" } th scope="col" { "Action" } th scope="col" { "Delivered" } th scope="col" { "Carried out" } } }
                tbody {
                    @for command in &commands {
                        tr {
                            td { (layout::time(command.issued_at)) }
                            td { (describe(&command.action)) }
                            td { (command.delivered_at.map_or_else(|| "waiting for the next heartbeat".to_owned(), layout::time)) }
                            td { (command.acked_at.map_or_else(|| "–".to_owned(), layout::time)) }
                        }
                    }
                }
            }
        }
        h2 { "Health, last 24 hours" }
        div.charts {
            @for series in &health_series(&history, now) {
                figure {
                    @match line_chart(series) {
                        Some(svg) => (PreEscaped(svg)),
                        None => p { "Chart unavailable." },
                    }
                }
            }
        }
        h2 { "Recent sessions" }
        @if sessions.is_empty() { p { "No sessions yet." } } @else {
            table {
                thead { tr { th scope="col" { "Started" } th scope="col" { "Length" } th scope="col" { "Ended" } } }
                tbody {
                    @for session in &sessions {
                        tr {
                            td { (layout::time(session.started_at)) }
                            td { (layout::duration(session.duration_s)) }
                            td { (session.end_reason.map_or("in progress", |reason| reason.as_str())) }
                        }
                    }
                }
            }
        }
    };
    layout::page(Some(&user), &kiosk.hostname, body).into_response()
}

fn action_form(
    user: &WebUser,
    kiosk_id: Uuid,
    action: &str,
    label: &str,
    fields: Markup,
) -> Markup {
    html! {
        form.action method="post" action={ "/dashboard/kiosks/" (kiosk_id) "/actions" } {
            input type="hidden" name="csrf" value=(user.csrf_token);
            input type="hidden" name="action" value=(action);
            (fields)
            button type="submit" { (label) "…" }
        }
    }
}

fn describe(action: &CommandAction) -> String {
    match action {
        CommandAction::ShowMessage { text } => format!("Message: “{text}”"),
        CommandAction::Lock { .. } => "Lock".to_owned(),
        CommandAction::Unlock => "Unlock".to_owned(),
        CommandAction::EndSession => "End session".to_owned(),
        CommandAction::ExtendSession { seconds } => format!("Extend by {} min", seconds / 60),
        CommandAction::SetAllotment { seconds } => format!("Allotment {} min", seconds / 60),
        CommandAction::RefreshContent => "Refresh content".to_owned(),
        CommandAction::Unsupported => "Unknown".to_owned(),
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct ActionForm {
    /// Missing is refused like wrong (403), not as a malformed form.
    #[serde(default)]
    csrf: String,
    action: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    minutes: String,
    #[serde(default)]
    confirmed: String,
}

fn parse_action(form: &ActionForm) -> Result<CommandAction, String> {
    Ok(match form.action.as_str() {
        "message" => CommandAction::ShowMessage {
            text: form.text.trim().to_owned(),
        },
        "extend" => {
            let minutes: u32 = form
                .minutes
                .trim()
                .parse()
                .map_err(|_| "Minutes must be a whole number.".to_owned())?;
            CommandAction::ExtendSession {
                seconds: minutes.saturating_mul(60),
            }
        }
        "end" => CommandAction::EndSession,
        "lock" => CommandAction::Lock { reason: None },
        "unlock" => CommandAction::Unlock,
        other => return Err(format!("Unknown action `{other}`.")),
    })
}

pub(super) async fn action(
    State(state): State<AppState>,
    user: WebUser,
    Path(kiosk_id): Path<Uuid>,
    Form(form): Form<ActionForm>,
) -> Response {
    if let Err(refusal) = user
        .require(Duty::Floor)
        .and_then(|()| user.check_csrf(&form.csrf))
    {
        return refusal.into_response();
    }
    let record = match state.storage.kiosk(kiosk_id).await {
        Ok(record) if user.staff.may_at(Duty::Floor, record.centre_id) => record,
        Ok(_) | Err(StorageError::NotFound) => {
            return layout::not_found(&user, "No such kiosk in your centres.");
        }
        Err(error) => return layout::error_page(&error.to_string()),
    };
    let parsed = parse_action(&form).and_then(|action| {
        validate_action(&action)
            .map(|()| action)
            .map_err(|error| error.to_string())
    });
    let action = match parsed {
        Ok(action) => action,
        Err(problem) => {
            let body = html! {
                p.notice.error role="alert" { (problem) }
                p { a href={ "/dashboard/kiosks/" (kiosk_id) } { "Back to " (record.hostname) } }
            };
            return (
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                layout::page(Some(&user), "Cannot send this", body),
            )
                .into_response();
        }
    };
    if form.confirmed != "yes" {
        let body = html! {
            p { "Send “" (describe(&action)) "” to " strong { (record.hostname) } " (" (record.centre) ")?" }
            form.confirm method="post" action={ "/dashboard/kiosks/" (kiosk_id) "/actions" } {
                input type="hidden" name="csrf" value=(user.csrf_token);
                input type="hidden" name="action" value=(form.action);
                input type="hidden" name="text" value=(form.text);
                input type="hidden" name="minutes" value=(form.minutes);
                input type="hidden" name="confirmed" value="yes";
                button #confirm type="submit" { "Yes, send it" }
                " "
                a href={ "/dashboard/kiosks/" (kiosk_id) } { "Cancel" }
            }
        };
        return layout::page(Some(&user), "Confirm", body).into_response();
    }
    let now = state.clock.now();
    let ttl = SignedDuration::from_secs(i64::from(state.settings.kiosks.command_ttl_s));
    let queued = state
        .storage
        .queue_command(NewCommand {
            kiosk_id,
            expires_at: acts_on_session(&action).then(|| now + ttl),
            action,
            issued_by: format!("user:{}", user.staff.name),
            issued_at: now,
        })
        .await;
    match queued {
        Ok(_) => Redirect::to(&format!("/dashboard/kiosks/{kiosk_id}")).into_response(),
        Err(error) => layout::error_page(&error.to_string()),
    }
}

/// How far the kiosk's clock is off; beyond a minute its events are moved
/// onto the manager's clock at ingest, which the supervisor should know.
fn clock_skew(skew_s: i64) -> String {
    let minutes = (skew_s.abs() + 30) / 60;
    match skew_s {
        -59..=59 => "on time".to_owned(),
        ahead if ahead > 0 => {
            format!(
                "{minutes} min ahead of the manager (its events are corrected); check its clock"
            )
        }
        _ => {
            format!("{minutes} min behind the manager (its events are corrected); check its clock")
        }
    }
}
