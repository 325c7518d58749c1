//! Having a say, asked through the kiosk's [`ParticipationClient`]:
//! consultations (read, vote, results) and proposals (read, write,
//! support), as the citizen logged in through this client when there is
//! one. The manager decides who may vote or write; its refusals come back
//! as [`ClientError::Refused`](crate::ClientError::Refused) with a code the
//! kiosk explains.

use plaza_api::have_a_say::{
    Consultation, ConsultationResults, NewProposal, Proposal, Vote, VoteRecorded,
};
use reqwest::Method;

use crate::ParticipationClient;
use crate::error::ClientResult;

impl ParticipationClient {
    /// Every consultation, the latest to open first.
    pub async fn consultations(&self) -> ClientResult<Vec<Consultation>> {
        self.call(Method::GET, "/participation/consultations", None::<&()>)
            .await
    }

    pub async fn consultation(&self, id: i64) -> ClientResult<Consultation> {
        self.call(
            Method::GET,
            &format!("/participation/consultations/{id}"),
            None::<&()>,
        )
        .await
    }

    /// Votes as the logged-in citizen; the answer says only that it was
    /// recorded.
    pub async fn vote(&self, id: i64, choices: Vec<u32>) -> ClientResult<VoteRecorded> {
        self.call(
            Method::POST,
            &format!("/participation/consultations/{id}/votes"),
            Some(&Vote { choices }),
        )
        .await
    }

    pub async fn consultation_results(&self, id: i64) -> ClientResult<ConsultationResults> {
        self.call(
            Method::GET,
            &format!("/participation/consultations/{id}/results"),
            None::<&()>,
        )
        .await
    }

    /// Published proposals, newest first.
    pub async fn proposals(&self) -> ClientResult<Vec<Proposal>> {
        self.call(Method::GET, "/participation/proposals", None::<&()>)
            .await
    }

    pub async fn proposal(&self, id: i64) -> ClientResult<Proposal> {
        self.call(
            Method::GET,
            &format!("/participation/proposals/{id}"),
            None::<&()>,
        )
        .await
    }

    /// Writes a proposal (verified residents only).
    pub async fn propose(&self, proposal: &NewProposal) -> ClientResult<Proposal> {
        self.call(Method::POST, "/participation/proposals", Some(proposal))
            .await
    }

    /// Supports a proposal, once per account.
    pub async fn support(&self, id: i64) -> ClientResult<Proposal> {
        self.call(
            Method::POST,
            &format!("/participation/proposals/{id}/supports"),
            None::<&()>,
        )
        .await
    }
}
