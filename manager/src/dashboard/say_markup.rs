//! The "Have a say" page's parts: a consultation with its results and
//! forms, the form for a new one, and a proposal with its answer and
//! moderation forms.

use maud::{Markup, html};
use plaza_api::have_a_say::{
    Consultation, ConsultationResults, ConsultationStatus, Eligibility, Localized, Proposal,
    ProposalStatus,
};
use plaza_api::reports::Cell;

use super::layout;
use super::session::WebUser;

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

pub(super) fn consultation_section(
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

pub(super) fn new_consultation_form(user: &WebUser, neighbourhoods: &[String]) -> Markup {
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

/// A held proposal with "Publish" and "Remove"; `from_moderation`: the
/// decision returns to the moderation queue (a supervisor's page).
pub(super) fn held_proposal(user: &WebUser, proposal: &Proposal, from_moderation: bool) -> Markup {
    let id = proposal.id;
    html! {
        section.proposal.held id=(format!("proposal-{id}")) {
            (proposal_heading(proposal))
            form method="post" action=(format!("/dashboard/say/proposals/{id}/moderation")) {
                input type="hidden" name="csrf" value=(user.csrf_token);
                @if from_moderation { input type="hidden" name="back" value="moderation"; }
                button type="submit" name="action" value="publish" { "Publish" }
                button type="submit" name="action" value="remove" { "Remove" }
            }
        }
    }
}

pub(super) fn published_proposal(user: &WebUser, proposal: &Proposal) -> Markup {
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
