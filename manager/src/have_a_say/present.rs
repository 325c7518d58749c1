//! Storage records → wire types.

use jiff::Timestamp;
use plaza_api::have_a_say::{
    Consultation, ConsultationOption, ConsultationStatus, OfficialAnswer, Proposal, Resident,
};

use crate::storage::have_a_say::consultations::{AnswerRecord, ConsultationRecord};
use crate::storage::have_a_say::proposals::ProposalRecord;
use crate::storage::have_a_say::residents::ResidentRecord;

pub(super) fn resident(record: ResidentRecord) -> Resident {
    Resident {
        alias: record.alias,
        neighbourhood: record.neighbourhood,
        centre: record.centre,
        verified_at: record.verified_at,
        verified_by: record.verified_by,
    }
}

pub(super) fn status(record: &ConsultationRecord, now: Timestamp) -> ConsultationStatus {
    if now < record.opens_at {
        ConsultationStatus::Upcoming
    } else if now < record.closes_at {
        ConsultationStatus::Open
    } else {
        ConsultationStatus::Closed
    }
}

pub(super) fn official(answer: Option<AnswerRecord>) -> Option<OfficialAnswer> {
    answer.map(|answer| OfficialAnswer {
        text: answer.text,
        answered_at: answer.answered_at,
    })
}

pub(super) fn consultation(
    record: ConsultationRecord,
    now: Timestamp,
    voted: Option<bool>,
) -> Consultation {
    let status = status(&record, now);
    Consultation {
        id: record.id,
        question: record.question,
        description: record.description,
        kind: record.kind,
        max_choices: record.max_choices,
        options: record
            .options
            .into_iter()
            .enumerate()
            .map(|(position, label)| ConsultationOption {
                position: u32::try_from(position).unwrap_or(u32::MAX),
                label,
            })
            .collect(),
        opens_at: record.opens_at,
        closes_at: record.closes_at,
        neighbourhoods: record.neighbourhoods,
        eligibility: record.eligibility,
        live_results: record.live_results,
        status,
        answer: official(record.answer),
        voted,
    }
}

pub(super) fn proposal(
    record: ProposalRecord,
    threshold: u64,
    supported: Option<bool>,
) -> Proposal {
    Proposal {
        id: record.id,
        title: record.title,
        body: record.body,
        language: record.language,
        author: record.author,
        neighbourhood: record.neighbourhood,
        moderation: record.moderation,
        status: record.status,
        supports: record.supports,
        threshold,
        awaiting_answer: record.supports >= threshold && record.answer.is_none(),
        answer: official(record.answer),
        created_at: record.created_at,
        supported,
    }
}
