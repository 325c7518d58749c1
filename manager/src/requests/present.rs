//! Stored requests as the wire shows them: to the citizen (no assignee, no
//! internal notes) and to staff.

use plaza_api::requests::{PublicRequest, RequestChange, StaffRequest};
use plaza_api::session::Language;

use crate::storage::requests::RequestRecord;

pub fn public_view(record: &RequestRecord, language: Language) -> PublicRequest {
    PublicRequest {
        ticket: record.ticket.clone(),
        service_code: record.service_code.clone(),
        service_name: match language {
            Language::En => record.service_name_en.clone(),
            _ => record.service_name_es.clone(),
        },
        description: record.description.clone(),
        neighbourhood: record.neighbourhood.clone(),
        street: record.street.clone(),
        reference: record.reference.clone(),
        status: record.status,
        public_note: record.public_note.clone(),
        created_at: record.created_at,
        updated_at: record.updated_at,
    }
}

pub fn staff_view(record: RequestRecord) -> StaffRequest {
    StaffRequest {
        id: record.id,
        public: public_view(&record, Language::Es),
        channel: record.channel,
        centre: record.centre,
        assignee: record.assignee,
        lat: record.lat,
        lon: record.lon,
        changes: record
            .changes
            .into_iter()
            .map(|change| RequestChange {
                at: change.at,
                actor: change.actor,
                status: change.status,
                assignee: change.assignee,
                public_note: change.public_note,
                internal_note: change.internal_note,
            })
            .collect(),
    }
}
