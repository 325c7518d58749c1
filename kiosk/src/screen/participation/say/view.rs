//! The pages of "Participá": the overview (consultations with their time
//! left, proposals with their status), a consultation (its ballot, the
//! confirmation, its results) and a proposal (support, the official
//! answer). Texts come in the citizen's language where staff wrote one.

use iced::widget::{Column, column, container, progress_bar, row, text};
use iced::{Alignment, Length};
use jiff::{SignedDuration, Timestamp};
use plaza_api::have_a_say::{
    Consultation, ConsultationResults, ConsultationStatus, Eligibility, Localized, OfficialAnswer,
    Proposal, ProposalStatus,
};
use plaza_api::reports::Cell;

use super::{Ballot, Message, Overview, Page};
use crate::screen::participation::boards::card;
use crate::screen::participation::{signature, when};
use crate::theme::{SPACING, TextSize};
use crate::widget::{Arg, Element, Look};

pub fn view<'a>(look: Look<'a>, page: &'a Page, now: Timestamp) -> Element<'a, Message> {
    match page {
        Page::Overview(None) => look.text("forums-loading", TextSize::Body).into(),
        Page::Overview(Some(overview)) => overview_page(look, overview, now),
        Page::Consultation(ballot) => ballot_page(look, ballot, now),
        Page::Proposal(proposal) => proposal_page(look, proposal),
    }
}

fn local<'a>(look: Look<'_>, text: &'a Localized) -> &'a str {
    text.in_language(look.language().as_str())
}

/// "Cierra en 3 días", "Cierra en 5 horas", "Abre el 12/03 09:00".
fn timing(look: Look<'_>, consultation: &Consultation, now: Timestamp) -> String {
    match consultation.status {
        ConsultationStatus::Upcoming => look.t_with(
            "say-opens-at",
            &[("when", Arg::from(when(consultation.opens_at)))],
        ),
        ConsultationStatus::Closed => look.t("say-closed-label"),
        ConsultationStatus::Open => {
            let left = consultation.closes_at.duration_since(now);
            let (id, count) = if left >= SignedDuration::from_hours(48) {
                ("say-closes-in-days", left.as_hours() / 24)
            } else if left >= SignedDuration::from_hours(1) {
                ("say-closes-in-hours", left.as_hours())
            } else {
                ("say-closes-in-minutes", (left.as_mins()).max(1))
            };
            look.t_with(id, &[("count", Arg::from(count))])
        }
    }
}

fn status_id(status: ProposalStatus) -> &'static str {
    match status {
        ProposalStatus::Evaluating => "say-status-evaluating",
        ProposalStatus::Accepted => "say-status-accepted",
        ProposalStatus::Rejected => "say-status-rejected",
        ProposalStatus::InProgress => "say-status-in-progress",
        ProposalStatus::Done => "say-status-done",
    }
}

fn supports_line(look: Look<'_>, proposal: &Proposal) -> String {
    look.t_with(
        "say-supports",
        &[
            ("count", Arg::from(proposal.supports)),
            ("threshold", Arg::from(proposal.threshold)),
        ],
    )
}

fn overview_page<'a>(
    look: Look<'a>,
    overview: &'a Overview,
    now: Timestamp,
) -> Element<'a, Message> {
    let mut page = column![
        look.text("say-intro", TextSize::Body),
        look.text("say-consultations", TextSize::Heading),
    ]
    .spacing(SPACING);
    if overview.consultations.is_empty() {
        page = page.push(look.text("say-no-consultations", TextSize::Body));
    }
    for consultation in &overview.consultations {
        let mut lines = column![
            text(local(look, &consultation.question).to_owned()).size(look.size(TextSize::Heading)),
            look.raw(timing(look, consultation, now), TextSize::Body),
        ];
        if consultation.voted == Some(true) {
            lines = lines.push(look.text("say-you-voted", TextSize::Small));
        }
        page = page.push(card(lines, Message::OpenConsultation(consultation.id)));
    }
    page = page.push(
        row![
            look.text("say-proposals", TextSize::Heading),
            look.button("say-write", Message::Write),
        ]
        .spacing(SPACING)
        .align_y(Alignment::Center),
    );
    if overview.proposals.is_empty() {
        page = page.push(look.text("say-no-proposals", TextSize::Body));
    }
    for proposal in &overview.proposals {
        let lines = column![
            text(proposal.title.clone()).size(look.size(TextSize::Heading)),
            look.raw(
                format!(
                    "{} · {}",
                    look.t(status_id(proposal.status)),
                    supports_line(look, proposal)
                ),
                TextSize::Body,
            ),
        ];
        page = page.push(card(lines, Message::OpenProposal(proposal.id)));
    }
    page.into()
}

fn boxed<'a>(content: Column<'a, Message>) -> Element<'a, Message> {
    container(content.spacing(SPACING / 2.0))
        .padding(SPACING / 1.5)
        .width(Length::Fill)
        .style(container::bordered_box)
        .into()
}

fn answer_box<'a>(look: Look<'a>, answer: &'a OfficialAnswer) -> Element<'a, Message> {
    boxed(column![
        look.raw(
            look.t_with(
                "say-official-answer",
                &[("when", Arg::from(when(answer.answered_at)))],
            ),
            TextSize::Heading,
        ),
        look.raw(local(look, &answer.text).to_owned(), TextSize::Body),
    ])
}

fn ballot_page<'a>(look: Look<'a>, ballot: &'a Ballot, now: Timestamp) -> Element<'a, Message> {
    let consultation = &ballot.consultation;
    let scope = if consultation.neighbourhoods.is_empty() {
        look.t("say-scope-everyone")
    } else {
        look.t_with(
            "say-scope-neighbourhoods",
            &[("names", Arg::from(consultation.neighbourhoods.join(", ")))],
        )
    };
    let who = match consultation.eligibility {
        Eligibility::VerifiedResidents => "say-who-verified",
        Eligibility::AnyAccount => "say-who-any-account",
    };
    let mut page = column![
        look.raw(
            local(look, &consultation.question).to_owned(),
            TextSize::Heading
        ),
        look.raw(
            local(look, &consultation.description).to_owned(),
            TextSize::Body
        ),
        look.raw(
            format!(
                "{} · {scope} · {}",
                timing(look, consultation, now),
                look.t(who)
            ),
            TextSize::Small,
        ),
    ]
    .spacing(SPACING);
    if consultation.voted == Some(true) {
        page = page.push(look.text("say-you-voted", TextSize::Body));
    }
    if ballot.can_vote() {
        page = page.push(ballot_form(look, ballot));
    }
    if let Some(results) = &ballot.results {
        page = page.push(results_box(look, results));
    } else if consultation.status != ConsultationStatus::Upcoming {
        page = page.push(look.text("say-results-later", TextSize::Body));
    }
    if let Some(answer) = &consultation.answer {
        page = page.push(answer_box(look, answer));
    }
    page.into()
}

fn label_of(ballot: &Ballot, look: Look<'_>, position: u32) -> String {
    ballot
        .consultation
        .options
        .iter()
        .find(|option| option.position == position)
        .map(|option| local(look, &option.label).to_owned())
        .unwrap_or_default()
}

fn ballot_form<'a>(look: Look<'a>, ballot: &'a Ballot) -> Element<'a, Message> {
    let consultation = &ballot.consultation;
    if ballot.confirming {
        let chosen: Vec<String> = ballot
            .chosen
            .iter()
            .map(|position| label_of(ballot, look, *position))
            .collect();
        return boxed(column![
            look.raw(
                look.t_with("say-confirm", &[("choices", Arg::from(chosen.join(", ")))]),
                TextSize::Heading,
            ),
            look.text("say-confirm-final", TextSize::Body),
            row![
                look.quiet_button("say-change", Message::Change),
                look.button("say-confirm-vote", Message::Confirm),
            ]
            .spacing(SPACING),
        ]);
    }
    let hint = if consultation.max_choices > 1 {
        look.t_with(
            "say-choose-up-to",
            &[("count", Arg::from(consultation.max_choices))],
        )
    } else {
        look.t("say-choose-one")
    };
    let mut form = column![look.raw(hint, TextSize::Body)].spacing(SPACING / 2.0);
    for option in &consultation.options {
        let chosen = ballot.chosen.contains(&option.position);
        let label = local(look, &option.label);
        let label = if chosen {
            format!("✓ {label}")
        } else {
            label.to_owned()
        };
        let button = look
            .button_raw(label, Message::Choose(option.position))
            .width(Length::Fill);
        form = form.push(if chosen {
            button
        } else {
            button.style(iced::widget::button::secondary)
        });
    }
    let vote = look.button("say-vote", Message::Review);
    form = form.push(if ballot.chosen.is_empty() {
        vote.on_press_maybe(None)
    } else {
        vote
    });
    boxed(form)
}

fn cell(look: Look<'_>, cell: &Cell) -> String {
    match cell {
        Cell::Count(count) => count.to_string(),
        Cell::Suppressed(_) => look.t("say-suppressed"),
    }
}

fn results_box<'a>(look: Look<'a>, results: &'a ConsultationResults) -> Element<'a, Message> {
    let heading = if results.status == ConsultationStatus::Closed {
        "say-results-final"
    } else {
        "say-results-live"
    };
    let mut content = column![
        look.text(heading, TextSize::Heading),
        look.raw(
            look.t_with("say-ballots", &[("count", Arg::from(results.ballots))]),
            TextSize::Body,
        ),
    ];
    let total = results.ballots.max(1);
    for option in &results.options {
        let share = option.votes as f32 * 100.0 / total as f32;
        content = content.push(look.raw(
            look.t_with(
                "say-option-votes",
                &[
                    ("option", Arg::from(local(look, &option.label).to_owned())),
                    ("count", Arg::from(option.votes)),
                    ("share", Arg::from(format!("{share:.0}"))),
                ],
            ),
            TextSize::Body,
        ));
        content = content.push(progress_bar(0.0..=100.0, share).girth(14));
    }
    if results.eligibility == Eligibility::AnyAccount {
        content = content.push(look.text("say-any-account-note", TextSize::Small));
    }
    if !results.turnout.is_empty() {
        content = content.push(look.text("say-turnout", TextSize::Body));
        for turnout in &results.turnout {
            let name = turnout
                .neighbourhood
                .clone()
                .unwrap_or_else(|| look.t("say-not-verified-voters"));
            content = content.push(look.raw(
                format!("{name}: {}", cell(look, &turnout.voters)),
                TextSize::Small,
            ));
        }
    }
    boxed(content)
}

fn proposal_page<'a>(look: Look<'a>, proposal: &'a Proposal) -> Element<'a, Message> {
    let mut page = column![
        look.raw(proposal.title.clone(), TextSize::Heading),
        look.raw(
            look.t_with(
                "say-proposal-by",
                &[
                    (
                        "author",
                        Arg::from(signature(look, &proposal.author, false))
                    ),
                    ("neighbourhood", Arg::from(proposal.neighbourhood.clone())),
                    ("when", Arg::from(when(proposal.created_at))),
                ],
            ),
            TextSize::Small,
        ),
        look.raw(
            format!(
                "{} · {}",
                look.t(status_id(proposal.status)),
                supports_line(look, proposal)
            ),
            TextSize::Body,
        ),
        look.raw(proposal.body.clone(), TextSize::Body),
    ]
    .spacing(SPACING);
    match proposal.supported {
        Some(true) => page = page.push(look.text("say-you-support", TextSize::Body)),
        _ => page = page.push(look.button("say-support", Message::Support(proposal.id))),
    }
    if proposal.awaiting_answer {
        page = page.push(look.text("say-awaiting-answer", TextSize::Body));
    }
    if let Some(answer) = &proposal.answer {
        page = page.push(answer_box(look, answer));
    }
    page.into()
}
