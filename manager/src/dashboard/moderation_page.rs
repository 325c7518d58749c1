//! The moderation queue: posts held by the word filter or reported, and
//! those a supervisor hid, with their text and reports; approve, hide or
//! delete with a reason. Decisions go through the same storage call as the
//! moderation API, which audits them.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use plaza_api::participation::limits;
use plaza_api::participation::moderation::{ModerationAction, QueueReason};
use serde::Deserialize;

use crate::access::Duty;
use crate::participation::text::plain_text;
use crate::state::AppState;
use crate::storage::StorageError;
use crate::storage::forums::StoredStatus;
use crate::storage::moderation::{Decision, QueueFilter, QueueRecord};

use super::layout;
use super::session::WebUser;

/// Posts per list and page.
const PAGE: u32 = 50;

#[derive(Debug, Default, Deserialize)]
pub(super) struct ListParams {
    /// Show posts after this id (the previous page's last).
    after: Option<i64>,
    /// After a decision: which post, and what was done.
    done: Option<String>,
    post: Option<i64>,
    /// After a decision on a held proposal: which, and what was done.
    proposal: Option<i64>,
    proposal_done: Option<String>,
}

pub(super) async fn page(
    State(state): State<AppState>,
    user: WebUser,
    Query(params): Query<ListParams>,
) -> Response {
    if let Err(refusal) = user.require(Duty::Moderation) {
        return refusal.into_response();
    }
    let filter = |hidden, after| QueueFilter {
        after,
        limit: PAGE + 1,
        centres: user.staff.centres(),
        hidden,
    };
    let after = params.after.unwrap_or(0).max(0);
    let lists = tokio::try_join!(
        state.storage.moderation_queue(filter(false, after)),
        state.storage.moderation_queue(filter(true, 0)),
    );
    let (mut waiting, mut hidden) = match lists {
        Ok(lists) => lists,
        Err(error) => return layout::error_page(&error.to_string()),
    };
    let held_proposals =
        match crate::have_a_say::proposals::held(State(state.clone()), user.staff.clone()).await {
            Ok(crate::extract::Json(held)) => held,
            Err(error) => return layout::error_page(&error.message),
        };
    let proposal_done = params
        .proposal_done
        .as_deref()
        .filter(|done| matches!(*done, "published" | "removed"))
        .zip(params.proposal);
    let more_waiting = waiting.len() > PAGE as usize;
    waiting.truncate(PAGE as usize);
    let more_hidden = hidden.len() > PAGE as usize;
    hidden.truncate(PAGE as usize);
    let done = params
        .done
        .as_deref()
        .and_then(ModerationAction::parse)
        .zip(params.post);
    let body = html! {
        @if let Some((action, post)) = done {
            p.notice role="status" { "Post " (post) " " (past_tense(action)) "." }
        }
        @if let Some((done, proposal)) = proposal_done {
            p.notice role="status" { "Proposal " (proposal) " " (done) "." }
        }
        p.hint {
            "Posts held by the word filter or reported by citizens, oldest first. "
            "Hiding or deleting needs a reason: the author sees it."
        }
        h2 { "Waiting for a decision" }
        @if waiting.is_empty() {
            p { "Nothing is waiting." }
        } @else {
            ol.posts { @for record in &waiting { li { (post_card(&user, record)) } } }
            @if more_waiting {
                @if let Some(last) = waiting.last() {
                    p { a href={ "/dashboard/moderation?after=" (last.post.id) } { "Older posts waiting →" } }
                }
            }
        }
        @if after > 0 {
            p { a href="/dashboard/moderation" { "← Back to the oldest" } }
        }
        h2 { "Proposals held by the word filter" }
        @if held_proposals.is_empty() {
            p { "No proposal is waiting." }
        } @else {
            @for proposal in &held_proposals { (super::say_markup::held_proposal(&user, proposal, true)) }
        }
        h2 { "Hidden by a supervisor" }
        @if hidden.is_empty() {
            p { "No hidden posts." }
        } @else {
            p.hint { "Approve to publish one again, or delete it for good." }
            ol.posts { @for record in &hidden { li { (post_card(&user, record)) } } }
            @if more_hidden { p.hint { "Showing the oldest " (PAGE) " hidden posts." } }
        }
    };
    layout::page(Some(&user), "Moderation", body).into_response()
}

fn past_tense(action: ModerationAction) -> &'static str {
    match action {
        ModerationAction::Approve => "approved and published",
        ModerationAction::Hide => "hidden",
        ModerationAction::Delete => "deleted",
    }
}

fn why(record: &QueueRecord) -> String {
    if record.post.status == StoredStatus::Hidden {
        return format!(
            "Hidden: {}",
            record
                .post
                .moderation_note
                .as_deref()
                .unwrap_or("no reason given")
        );
    }
    match record.reason {
        QueueReason::WordFilter => format!(
            "Held by the word filter ({})",
            record.filtered_words.join(", ")
        ),
        QueueReason::Reports => "Hidden after reports, waiting for review".to_owned(),
        QueueReason::Reported => "Reported, still published".to_owned(),
    }
}

fn post_card(user: &WebUser, record: &QueueRecord) -> Markup {
    let post = &record.post;
    let id = post.id;
    html! {
        article.post id={ "post-" (id) } {
            header {
                strong { (post.author_name) }
                " in “" (record.thread_title) "” (" (record.board_title) ")"
                @if let Some((_, centre)) = &record.centre { " · " (centre) }
                " · " (layout::time(post.created_at))
            }
            p.why { (why(record)) }
            blockquote.body { (post.body) }
            @if !record.reports.is_empty() {
                details open {
                    summary { (record.reports.len()) " report(s)" }
                    ul.reports {
                        @for report in &record.reports {
                            li {
                                (report.reason.as_str())
                                @if let Some(details) = &report.details { ": “" (details) "”" }
                                " · " (layout::time(report.at))
                            }
                        }
                    }
                }
            }
            form.decide method="post" action={ "/dashboard/moderation/posts/" (id) } {
                input type="hidden" name="csrf" value=(user.csrf_token);
                label for={ "reason-" (id) } { "Reason (shown to the author; needed to hide or delete)" }
                input id={ "reason-" (id) } type="text" name="reason" maxlength=(limits::REASON_MAX);
                div.buttons {
                    button type="submit" name="action" value="approve" { "Approve" }
                    @if post.status != StoredStatus::Hidden {
                        button type="submit" name="action" value="hide" { "Hide" }
                    }
                    button.danger type="submit" name="action" value="delete" { "Delete" }
                }
            }
        }
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct DecisionForm {
    /// Missing is refused like wrong (403), not as a malformed form.
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
}

fn refused(user: &WebUser, status: StatusCode, message: &str) -> Response {
    let body = html! {
        p.notice.error role="alert" { (message) }
        p { a href="/dashboard/moderation" { "Back to the moderation queue" } }
    };
    (status, layout::page(Some(user), "Cannot do this", body)).into_response()
}

pub(super) async fn decide(
    State(state): State<AppState>,
    user: WebUser,
    Path(post_id): Path<i64>,
    Form(form): Form<DecisionForm>,
) -> Response {
    if let Err(refusal) = user
        .require(Duty::Moderation)
        .and_then(|()| user.check_csrf(&form.csrf))
    {
        return refusal.into_response();
    }
    let Some(action) = ModerationAction::parse(&form.action) else {
        return refused(
            &user,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choose approve, hide or delete.",
        );
    };
    let reason = match Some(form.reason.trim())
        .filter(|reason| !reason.is_empty())
        .map(|reason| plain_text(reason, "the reason", 1, limits::REASON_MAX))
        .transpose()
    {
        Ok(reason) => reason,
        Err(error) => {
            return refused(&user, StatusCode::UNPROCESSABLE_ENTITY, &error.to_string());
        }
    };
    if action != ModerationAction::Approve && reason.is_none() {
        return refused(
            &user,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Give a reason to hide or delete a post; its author will see it.",
        );
    }
    let decided = state
        .storage
        .moderate_post(Decision {
            post_id,
            action,
            reason,
            actor: user.staff.name.clone(),
            now: state.clock.now(),
            centres: user.staff.centres(),
        })
        .await;
    match decided {
        Ok(_) => {
            tracing::info!(post_id, action = action.as_str(), actor = %user.staff.name, "post moderated");
            Redirect::to(&format!(
                "/dashboard/moderation?done={}&post={post_id}",
                action.as_str()
            ))
            .into_response()
        }
        Err(StorageError::NotFound) => refused(
            &user,
            StatusCode::NOT_FOUND,
            "No such post in your centres.",
        ),
        Err(StorageError::Conflict(message)) => refused(&user, StatusCode::CONFLICT, &message),
        Err(error) => layout::error_page(&error.to_string()),
    }
}
