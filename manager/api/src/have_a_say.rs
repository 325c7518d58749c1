//! Having a say: verified residents, consultations (polls) and proposals,
//! under `/api/v1/participation/...`.
//!
//! Three levels of identity: anonymous (read), a citizen account (support a
//! proposal, vote where any account may), a **verified resident** (write a
//! proposal, vote): set by a supervisor who saw the person's ID. The
//! document number travels once, in [`ResidentVerification`], and is never
//! stored.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::reports::Cell;
use crate::wire_enum;

/// Characters of a question, an option or a proposal's title.
pub const TITLE_MAX: usize = 200;
/// Characters of a description, a proposal's body or an official answer.
pub const TEXT_MAX: usize = 4000;
/// Options of a consultation.
pub const OPTIONS_MAX: usize = 20;

/// A text in Spanish and, optionally, English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Localized {
    pub es: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl Localized {
    /// The text in `language` (`en`), else the Spanish one.
    pub fn in_language(&self, language: &str) -> &str {
        match (language, &self.en) {
            ("en", Some(english)) => english,
            _ => &self.es,
        }
    }
}

/// `POST /api/v1/participation/residents` body: a supervisor, at a centre,
/// saw this person's ID.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResidentVerification {
    /// The citizen account's alias, any case.
    pub alias: String,
    /// As typed: only its digits count. Never stored, never logged.
    pub document_number: String,
    /// One of the centres' neighbourhoods.
    pub neighbourhood: String,
    /// The centre where the ID was seen, by name.
    pub centre: String,
}

/// Never prints the document number.
impl std::fmt::Debug for ResidentVerification {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("ResidentVerification")
            .field("alias", &self.alias)
            .field("document_number", &"<redacted>")
            .field("neighbourhood", &self.neighbourhood)
            .field("centre", &self.centre)
            .finish()
    }
}

/// A verified resident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Resident {
    pub alias: String,
    pub neighbourhood: String,
    pub centre: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub verified_at: Timestamp,
    pub verified_by: String,
}

wire_enum! {
    /// Single choice, or up to `max_choices` options.
    pub enum ChoiceKind {
        Single = "single",
        Multiple = "multiple",
    }
}

wire_enum! {
    /// Who may vote.
    pub enum Eligibility {
        /// Verified residents of the scope, one vote per person.
        VerifiedResidents = "verified_residents",
        /// Any citizen account (results say so): one vote per account.
        AnyAccount = "any_account",
    }
}

wire_enum! {
    /// Where a consultation stands now.
    pub enum ConsultationStatus {
        Upcoming = "upcoming",
        Open = "open",
        Closed = "closed",
    }
}

/// `POST /api/v1/participation/consultations` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewConsultation {
    pub question: Localized,
    pub description: Localized,
    pub kind: ChoiceKind,
    /// 1 for a single choice; at most the number of options.
    pub max_choices: u32,
    /// 2 to 20 options.
    pub options: Vec<Localized>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub opens_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub closes_at: Timestamp,
    /// Empty: the whole municipality.
    #[serde(default)]
    pub neighbourhoods: Vec<String>,
    pub eligibility: Eligibility,
    /// Results shown while it is open.
    #[serde(default)]
    pub live_results: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsultationOption {
    pub position: u32,
    pub label: Localized,
}

/// What the municipality will do with a result or a proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfficialAnswer {
    pub text: Localized,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub answered_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consultation {
    pub id: i64,
    pub question: Localized,
    pub description: Localized,
    pub kind: ChoiceKind,
    pub max_choices: u32,
    pub options: Vec<ConsultationOption>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub opens_at: Timestamp,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub closes_at: Timestamp,
    /// Empty: the whole municipality.
    pub neighbourhoods: Vec<String>,
    pub eligibility: Eligibility,
    pub live_results: bool,
    pub status: ConsultationStatus,
    #[serde(default)]
    pub answer: Option<OfficialAnswer>,
    /// Whether the logged-in citizen asking has voted (absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voted: Option<bool>,
}

/// `POST /api/v1/participation/consultations/{id}/votes` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Vote {
    /// Positions of the chosen options: one, or up to `max_choices`.
    pub choices: Vec<u32>,
}

/// The vote was recorded (durably); nothing in it says what was chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoteRecorded {
    pub consultation_id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OptionResult {
    pub position: u32,
    pub label: Localized,
    pub votes: u64,
}

/// Voters of one neighbourhood (`None`: accounts not verified), suppressed
/// below k like every report (`< k`, `hidden`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Turnout {
    pub neighbourhood: Option<String>,
    pub voters: Cell,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsultationResults {
    pub consultation_id: i64,
    /// `any_account`: votes of unverified accounts are in these figures.
    pub eligibility: Eligibility,
    /// Closed: these are the final figures.
    pub status: ConsultationStatus,
    pub ballots: u64,
    pub options: Vec<OptionResult>,
    pub turnout: Vec<Turnout>,
    #[serde(default)]
    pub answer: Option<OfficialAnswer>,
}

wire_enum! {
    /// The accountability loop of a proposal.
    pub enum ProposalStatus {
        Evaluating = "evaluating",
        Accepted = "accepted",
        Rejected = "rejected",
        InProgress = "in_progress",
        Done = "done",
    }
}

wire_enum! {
    /// Whether a proposal is shown: one with a filtered word waits for a
    /// moderator.
    pub enum ProposalModeration {
        Published = "published",
        Held = "held",
        Removed = "removed",
    }
}

/// `POST /api/v1/participation/proposals` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewProposal {
    pub title: String,
    pub body: String,
    /// The language it is written in (`es` or `en`).
    #[serde(default = "spanish")]
    pub language: String,
}

fn spanish() -> String {
    "es".to_owned()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Proposal {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub language: String,
    pub author: String,
    pub neighbourhood: String,
    pub moderation: ProposalModeration,
    pub status: ProposalStatus,
    pub supports: u64,
    /// Supports after which the municipality must answer.
    pub threshold: u64,
    /// Reached the threshold and has no answer yet.
    pub awaiting_answer: bool,
    #[serde(default)]
    pub answer: Option<OfficialAnswer>,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    /// Whether the logged-in citizen asking supports it (absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supported: Option<bool>,
}

/// `PUT /api/v1/participation/proposals/{id}/answer` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProposalAnswer {
    pub status: ProposalStatus,
    pub answer: Localized,
}

wire_enum! {
    pub enum ProposalDecision {
        Publish = "publish",
        Remove = "remove",
    }
}

/// `POST /api/v1/participation/proposals/{id}/moderation` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProposalModerationDecision {
    pub action: ProposalDecision,
}

/// Participation by neighbourhood (`GET /api/v1/participation/report`),
/// each column suppressed below k like every report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParticipationRow {
    pub neighbourhood: Option<String>,
    pub voters: Cell,
    pub proposals: Cell,
    pub supports: Cell,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParticipationReport {
    pub from: String,
    pub to: String,
    pub k_anonymity: u32,
    pub rows: Vec<ParticipationRow>,
}
