//! Having a say for staff (issue #17): create a consultation, close it,
//! read its results (turnout suppressed like every report) and publish the
//! official answer; answer proposals with a status, and publish or remove
//! those the word filter held. Every action goes through the API's own
//! handler, so the checks, the audit log and the errors are the same.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jiff::civil::DateTime;
use maud::{Markup, html};
use plaza_api::have_a_say::{
    ChoiceKind, Eligibility, Localized, NewConsultation, Proposal, ProposalAnswer,
    ProposalDecision, ProposalModerationDecision, ProposalStatus,
};
use serde::Deserialize;

use crate::access::Duty;
use crate::error::{ApiError, ApiResult};
use crate::extract;
use crate::have_a_say::{consultations, proposals};
use crate::participation::auth::Viewer;
use crate::state::AppState;

use super::layout::{self, Refused};
use super::say_markup::{
    consultation_section, held_proposal, new_consultation_form, published_proposal,
};
use super::session::WebUser;

const TITLE: &str = "Have a say";

#[derive(Debug, Default, Deserialize)]
pub(super) struct Done {
    done: Option<String>,
}

fn past_tense(done: &str) -> Option<&'static str> {
    Some(match done {
        "created" => "The consultation was created.",
        "closed" => "The consultation was closed: its results are final.",
        "answered" => "The official answer was published.",
        "proposal-answered" => "The answer to the proposal was published.",
        "published" => "The proposal was published.",
        "removed" => "The proposal was removed.",
        _ => return None,
    })
}

fn viewer(user: &WebUser) -> Viewer {
    Viewer::Staff(user.staff.clone())
}

async fn body(state: &AppState, user: &WebUser, notice: Option<Markup>) -> ApiResult<Markup> {
    let extract::Json(consultations) =
        consultations::list(State(state.clone()), viewer(user)).await?;
    let mut results = Vec::new();
    for consultation in &consultations {
        let shown = consultations::results(
            State(state.clone()),
            viewer(user),
            extract::Path(consultation.id),
        )
        .await
        .ok()
        .map(|extract::Json(results)| results);
        results.push(shown);
    }
    let extract::Json(published) = proposals::list(State(state.clone()), viewer(user)).await?;
    let held = match user.staff.may(Duty::Moderation) {
        true => {
            proposals::held(State(state.clone()), user.staff.clone())
                .await?
                .0
        }
        false => Vec::new(),
    };
    let mut neighbourhoods: Vec<String> = state
        .storage
        .centres()
        .await?
        .into_iter()
        .flat_map(|centre| centre.neighbourhoods)
        .collect();
    neighbourhoods.sort();
    neighbourhoods.dedup();
    Ok(html! {
        @if let Some(notice) = notice { (notice) }
        h2 { "Consultations" }
        @if consultations.is_empty() { p { "None yet." } }
        @for (consultation, results) in consultations.iter().zip(&results) {
            (consultation_section(user, consultation, results.as_ref()))
        }
        h2 { "New consultation" }
        (new_consultation_form(user, &neighbourhoods))
        h2 { "Proposals held by the word filter" }
        @if held.is_empty() { p { "Nothing is waiting." } }
        @for proposal in &held { (held_proposal(user, proposal, false)) }
        h2 { "Published proposals" }
        p.hint { "Those that reached the supports threshold without an answer come first: the municipality must answer them." }
        @if published.is_empty() { p { "None yet." } }
        @let (waiting, rest): (Vec<&Proposal>, Vec<&Proposal>) = published.iter().partition(|proposal| proposal.awaiting_answer);
        @for proposal in waiting.into_iter().chain(rest) { (published_proposal(user, proposal)) }
    })
}

async fn render(
    state: &AppState,
    user: &WebUser,
    status: StatusCode,
    notice: Option<Markup>,
) -> Response {
    match body(state, user, notice).await {
        Ok(body) => (status, layout::page(Some(user), TITLE, body)).into_response(),
        Err(error) if error.status.is_server_error() => layout::error_page(&error.message),
        Err(error) => (error.status, error.message).into_response(),
    }
}

pub(super) async fn page(
    State(state): State<AppState>,
    user: WebUser,
    Query(done): Query<Done>,
) -> Response {
    if let Err(refusal) = user.require(Duty::HaveASay) {
        return refusal.into_response();
    }
    let notice = done
        .done
        .as_deref()
        .and_then(past_tense)
        .map(|text| html! { p.notice role="status" { (text) } });
    render(&state, &user, StatusCode::OK, notice).await
}

/// After an action: back to the page, or the page again with why not.
async fn finish(state: &AppState, user: &WebUser, outcome: ApiResult<&'static str>) -> Response {
    match outcome {
        Ok(done) => Redirect::to(&format!("/dashboard/say?done={done}")).into_response(),
        Err(error) => {
            let notice = html! { p.notice.error role="alert" { (error.message) } };
            render(state, user, error.status, Some(notice)).await
        }
    }
}

/// Checks the duty and the form's CSRF token.
fn allowed(user: &WebUser, duty: Duty, csrf: Option<&String>) -> Result<(), Refused> {
    user.require(duty)
        .and_then(|()| user.check_csrf(csrf.map(String::as_str).unwrap_or_default()))
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a String> {
    form.iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

fn optional(text: Option<&String>) -> Option<String> {
    text.map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
}

fn localized(form: &[(String, String)], name: &str) -> Localized {
    Localized {
        es: field(form, &format!("{name}_es"))
            .cloned()
            .unwrap_or_default(),
        en: optional(field(form, &format!("{name}_en"))),
    }
}

/// A `datetime-local` value, read as UTC.
fn utc(form: &[(String, String)], name: &str, label: &str) -> ApiResult<Timestamp> {
    let text = field(form, name)
        .map(|text| text.trim())
        .unwrap_or_default();
    DateTime::strptime("%Y-%m-%dT%H:%M", text)
        .ok()
        .and_then(|time| time.to_zoned(jiff::tz::TimeZone::UTC).ok())
        .map(|zoned| zoned.timestamp())
        .ok_or_else(|| {
            ApiError::invalid(format!(
                "{label}: a date and time, such as 2027-03-01T09:00"
            ))
        })
}

fn new_consultation(form: &[(String, String)]) -> ApiResult<NewConsultation> {
    let lines = |name: &str| -> Vec<String> {
        field(form, name)
            .map(|text| {
                text.lines()
                    .map(str::trim)
                    .filter(|line| !line.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let (spanish, english) = (lines("options_es"), lines("options_en"));
    if !english.is_empty() && english.len() != spanish.len() {
        return Err(ApiError::invalid(
            "give as many English options as Spanish ones, in the same order, or none",
        ));
    }
    let options = spanish
        .into_iter()
        .enumerate()
        .map(|(index, es)| Localized {
            es,
            en: english.get(index).cloned(),
        })
        .collect();
    let kind = match field(form, "kind").map(String::as_str) {
        Some("multiple") => ChoiceKind::Multiple,
        _ => ChoiceKind::Single,
    };
    let max_choices = match kind {
        ChoiceKind::Single => 1,
        ChoiceKind::Multiple => field(form, "max_choices")
            .and_then(|text| text.trim().parse().ok())
            .ok_or_else(|| ApiError::invalid("the most options a voter may choose: a number"))?,
    };
    let eligibility = match field(form, "eligibility").map(String::as_str) {
        Some("any_account") => Eligibility::AnyAccount,
        _ => Eligibility::VerifiedResidents,
    };
    Ok(NewConsultation {
        question: localized(form, "question"),
        description: localized(form, "description"),
        kind,
        max_choices,
        options,
        opens_at: utc(form, "opens_at", "opens")?,
        closes_at: utc(form, "closes_at", "closes")?,
        neighbourhoods: form
            .iter()
            .filter(|(key, _)| key == "neighbourhood")
            .map(|(_, value)| value.clone())
            .collect(),
        eligibility,
        live_results: field(form, "live_results").is_some(),
    })
}

pub(super) async fn create(
    State(state): State<AppState>,
    user: WebUser,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    if let Err(refusal) = allowed(&user, Duty::HaveASay, field(&form, "csrf")) {
        return refusal.into_response();
    }
    let outcome = match new_consultation(&form) {
        Ok(request) => consultations::create(
            State(state.clone()),
            user.staff.clone(),
            extract::Json(request),
        )
        .await
        .map(|_| "created"),
        Err(error) => Err(error),
    };
    finish(&state, &user, outcome).await
}

pub(super) async fn close(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    if let Err(refusal) = allowed(&user, Duty::HaveASay, field(&form, "csrf")) {
        return refusal.into_response();
    }
    let outcome = consultations::close(State(state.clone()), user.staff.clone(), extract::Path(id))
        .await
        .map(|_| "closed");
    finish(&state, &user, outcome).await
}

pub(super) async fn answer(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    if let Err(refusal) = allowed(&user, Duty::HaveASay, field(&form, "csrf")) {
        return refusal.into_response();
    }
    let outcome = consultations::answer(
        State(state.clone()),
        user.staff.clone(),
        extract::Path(id),
        extract::Json(localized(&form, "answer")),
    )
    .await
    .map(|_| "answered");
    finish(&state, &user, outcome).await
}

pub(super) async fn answer_proposal(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    if let Err(refusal) = allowed(&user, Duty::HaveASay, field(&form, "csrf")) {
        return refusal.into_response();
    }
    let outcome = match field(&form, "status").and_then(|word| ProposalStatus::parse(word)) {
        Some(status) => proposals::answer(
            State(state.clone()),
            user.staff.clone(),
            extract::Path(id),
            extract::Json(ProposalAnswer {
                status,
                answer: localized(&form, "answer"),
            }),
        )
        .await
        .map(|_| "proposal-answered"),
        None => Err(ApiError::invalid("choose the proposal's status")),
    };
    finish(&state, &user, outcome).await
}

pub(super) async fn moderate(
    State(state): State<AppState>,
    user: WebUser,
    Path(id): Path<i64>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    if let Err(refusal) = allowed(&user, Duty::Moderation, field(&form, "csrf")) {
        return refusal.into_response();
    }
    let outcome = match field(&form, "action").and_then(|word| ProposalDecision::parse(word)) {
        Some(action) => proposals::moderate(
            State(state.clone()),
            user.staff.clone(),
            extract::Path(id),
            extract::Json(ProposalModerationDecision { action }),
        )
        .await
        .map(|_| match action {
            ProposalDecision::Publish => "published",
            ProposalDecision::Remove => "removed",
        }),
        None => Err(ApiError::invalid("publish or remove")),
    };
    // A supervisor decided from the moderation queue: back there.
    match (outcome, field(&form, "back").map(String::as_str)) {
        (Ok(done), Some("moderation")) => Redirect::to(&format!(
            "/dashboard/moderation?proposal={id}&proposal_done={done}"
        ))
        .into_response(),
        (Err(error), Some("moderation")) => {
            let body = html! {
                p.notice.error role="alert" { (error.message) }
                p { a href="/dashboard/moderation" { "Back to the moderation queue" } }
            };
            (
                error.status,
                layout::page(Some(&user), "Cannot do this", body),
            )
                .into_response()
        }
        (outcome, _) => finish(&state, &user, outcome).await,
    }
}
