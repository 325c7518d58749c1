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
    ChoiceKind, Consultation, ConsultationResults, ConsultationStatus, Eligibility, Localized,
    NewConsultation, Proposal, ProposalAnswer, ProposalDecision, ProposalModerationDecision,
    ProposalStatus,
};
use plaza_api::reports::Cell;
use serde::Deserialize;

use crate::access::Duty;
use crate::error::{ApiError, ApiResult};
use crate::extract;
use crate::have_a_say::{consultations, proposals};
use crate::participation::auth::Viewer;
use crate::state::AppState;

use super::layout::{self, Refused};
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

fn both(text: &Localized) -> String {
    match &text.en {
        Some(english) => format!("{} / {english}", text.es),
        None => text.es.clone(),
    }
}

fn status_word(status: ConsultationStatus) -> &'static str {
    match status {
        ConsultationStatus::Upcoming => "upcoming",
        ConsultationStatus::Open => "open",
        ConsultationStatus::Closed => "closed",
    }
}

fn cell(cell: &Cell) -> String {
    match cell {
        Cell::Count(count) => count.to_string(),
        Cell::Suppressed(shown) => shown.clone(),
    }
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
        @for proposal in &held { (held_proposal(user, proposal)) }
        h2 { "Published proposals" }
        p.hint { "Those that reached the supports threshold without an answer come first: the municipality must answer them." }
        @if published.is_empty() { p { "None yet." } }
        @let (waiting, rest): (Vec<&Proposal>, Vec<&Proposal>) = published.iter().partition(|proposal| proposal.awaiting_answer);
        @for proposal in waiting.into_iter().chain(rest) { (published_proposal(user, proposal)) }
    })
}

fn consultation_section(
    user: &WebUser,
    consultation: &Consultation,
    results: Option<&ConsultationResults>,
) -> Markup {
    let id = consultation.id;
    html! {
        section.consultation id=(format!("consultation-{id}")) {
            h3 { (both(&consultation.question)) }
            p {
                (status_word(consultation.status)) " · "
                (layout::time(consultation.opens_at)) " – " (layout::time(consultation.closes_at)) " · "
                @if consultation.neighbourhoods.is_empty() { "the whole municipality" }
                @else { (consultation.neighbourhoods.join(", ")) }
                " · "
                @match consultation.eligibility {
                    Eligibility::VerifiedResidents => "verified residents",
                    Eligibility::AnyAccount => "any account",
                }
                @if consultation.live_results { " · live results" }
            }
            @match results {
                Some(results) => {
                    table.results {
                        caption { "Ballots: " (results.ballots) @if results.status != ConsultationStatus::Closed { " so far" } }
                        thead { tr { th { "Option" } th { "Votes" } } }
                        tbody {
                            @for option in &results.options {
                                tr { td { (both(&option.label)) } td { (option.votes) } }
                            }
                        }
                    }
                    @if !results.turnout.is_empty() {
                        table.turnout {
                            caption { "Turnout by neighbourhood (fewer than k people are not shown)" }
                            tbody {
                                @for turnout in &results.turnout {
                                    tr {
                                        td { (turnout.neighbourhood.as_deref().unwrap_or("accounts not verified")) }
                                        td { (cell(&turnout.voters)) }
                                    }
                                }
                            }
                        }
                    }
                }
                None => p.hint { "Results are shown once it closes." }
            }
            @if consultation.status == ConsultationStatus::Open {
                form method="post" action=(format!("/dashboard/say/consultations/{id}/close")) {
                    input type="hidden" name="csrf" value=(user.csrf_token);
                    button type="submit" { "Close now" }
                }
            }
            @if let Some(answer) = &consultation.answer {
                p.answer { strong { "Official answer (" (layout::time(answer.answered_at)) "): " } (both(&answer.text)) }
            }
            @if consultation.status == ConsultationStatus::Closed {
                form.answer method="post" action=(format!("/dashboard/say/consultations/{id}/answer")) {
                    input type="hidden" name="csrf" value=(user.csrf_token);
                    label for=(format!("answer-es-{id}")) { "What the municipality will do (Spanish)" }
                    textarea id=(format!("answer-es-{id}")) name="answer_es" required {}
                    label for=(format!("answer-en-{id}")) { "In English (optional)" }
                    textarea id=(format!("answer-en-{id}")) name="answer_en" {}
                    button type="submit" { @if consultation.answer.is_some() { "Replace the answer" } @else { "Publish the answer" } }
                }
            }
        }
    }
}

fn new_consultation_form(user: &WebUser, neighbourhoods: &[String]) -> Markup {
    html! {
        form.consultation-new method="post" action="/dashboard/say/consultations" {
            input type="hidden" name="csrf" value=(user.csrf_token);
            label for="question_es" { "Question (Spanish)" }
            input id="question_es" type="text" name="question_es" required;
            label for="question_en" { "Question (English, optional)" }
            input id="question_en" type="text" name="question_en";
            label for="description_es" { "Description (Spanish)" }
            textarea id="description_es" name="description_es" required {}
            label for="description_en" { "Description (English, optional)" }
            textarea id="description_en" name="description_en" {}
            label for="options_es" { "Options, one per line (Spanish)" }
            textarea id="options_es" name="options_es" required {}
            label for="options_en" { "Options in English, one per line in the same order (optional)" }
            textarea id="options_en" name="options_en" {}
            label for="kind" { "Choice" }
            select id="kind" name="kind" {
                option value="single" { "Single choice" }
                option value="multiple" { "Multiple choice" }
            }
            label for="max_choices" { "Most options a voter may choose" }
            input id="max_choices" type="number" name="max_choices" min="1" value="1";
            label for="opens_at" { "Opens (UTC)" }
            input id="opens_at" type="datetime-local" name="opens_at" required;
            label for="closes_at" { "Closes (UTC)" }
            input id="closes_at" type="datetime-local" name="closes_at" required;
            fieldset {
                legend { "Neighbourhoods (none ticked: the whole municipality)" }
                @for name in neighbourhoods {
                    label { input type="checkbox" name="neighbourhood" value=(name); " " (name) }
                }
            }
            label for="eligibility" { "Who may vote" }
            select id="eligibility" name="eligibility" {
                option value="verified_residents" { "Verified residents of the scope, one vote per person" }
                option value="any_account" { "Any citizen account (the results say so)" }
            }
            label { input type="checkbox" name="live_results" value="on"; " Show results while it is open" }
            button type="submit" { "Create the consultation" }
        }
    }
}

fn proposal_heading(proposal: &Proposal) -> Markup {
    html! {
        h3 { (proposal.title) }
        p {
            "by " (proposal.author) " · " (proposal.neighbourhood) " · "
            (layout::time(proposal.created_at)) " · " (proposal.status.as_str()) " · "
            (proposal.supports) " of " (proposal.threshold) " supports"
            @if proposal.awaiting_answer { " · " strong { "must be answered" } }
        }
        p.body { (proposal.body) }
    }
}

fn held_proposal(user: &WebUser, proposal: &Proposal) -> Markup {
    let id = proposal.id;
    html! {
        section.proposal.held id=(format!("proposal-{id}")) {
            (proposal_heading(proposal))
            form method="post" action=(format!("/dashboard/say/proposals/{id}/moderation")) {
                input type="hidden" name="csrf" value=(user.csrf_token);
                button type="submit" name="action" value="publish" { "Publish" }
                button type="submit" name="action" value="remove" { "Remove" }
            }
        }
    }
}

fn published_proposal(user: &WebUser, proposal: &Proposal) -> Markup {
    let id = proposal.id;
    html! {
        section.proposal id=(format!("proposal-{id}")) {
            (proposal_heading(proposal))
            @if let Some(answer) = &proposal.answer {
                p.answer { strong { "Answer (" (layout::time(answer.answered_at)) "): " } (both(&answer.text)) }
            }
            form.answer method="post" action=(format!("/dashboard/say/proposals/{id}/answer")) {
                input type="hidden" name="csrf" value=(user.csrf_token);
                label for=(format!("status-{id}")) { "Status" }
                select id=(format!("status-{id}")) name="status" {
                    @for status in ProposalStatus::ALL {
                        option value=(status.as_str()) selected[*status == proposal.status] { (status.as_str()) }
                    }
                }
                label for=(format!("proposal-answer-es-{id}")) { "Answer (Spanish)" }
                textarea id=(format!("proposal-answer-es-{id}")) name="answer_es" required {}
                label for=(format!("proposal-answer-en-{id}")) { "In English (optional)" }
                textarea id=(format!("proposal-answer-en-{id}")) name="answer_en" {}
                button type="submit" { "Publish the answer" }
            }
            form method="post" action=(format!("/dashboard/say/proposals/{id}/moderation")) {
                input type="hidden" name="csrf" value=(user.csrf_token);
                button type="submit" name="action" value="remove" { "Remove" }
            }
        }
    }
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
    finish(&state, &user, outcome).await
}
