//! Point 3: proposals by verified residents, moderated with the forums'
//! word filter, supported once each, answered past the threshold.

use plaza_api::have_a_say::{Proposal, ProposalModeration, ProposalStatus};
use plaza_api::staff::Role;
use reqwest::Method;
use serde_json::json;

use super::text;
use crate::common::{As, Fixture, error_code};

#[tokio::test]
async fn a_proposal_goes_from_writing_through_supports_to_an_answer() {
    let fixture = Fixture::start_with(|settings| {
        settings.have_a_say.proposal_support_threshold = 2;
        settings.participation.word_filter = vec!["tarado".to_owned()];
    })
    .await;
    let admin = fixture.admin().await;
    let stranger = fixture.sign_up("Sin_Verificar").await;
    let body =
        json!({"title": "Más luz en la plaza", "body": "Faltan faroles en la esquina norte."});
    let refused = fixture
        .post(As::Citizen(&stranger), "/participation/proposals", &body)
        .await;
    assert_eq!(error_code(refused).await, "not_verified_resident");

    let author = fixture
        .resident(&admin, "Autora_Luz", "60111111", "Centro")
        .await;
    let written = fixture
        .post(As::Citizen(&author), "/participation/proposals", &body)
        .await;
    assert_eq!(written.status(), 201);
    let proposal: Proposal = written.json().await.expect("proposal");
    assert_eq!(proposal.moderation, ProposalModeration::Published);
    assert_eq!(proposal.status, ProposalStatus::Evaluating);
    assert_eq!(proposal.neighbourhood, "Centro");

    // A filtered word holds it for a moderator.
    let rude = fixture
        .post(
            As::Citizen(&author),
            "/participation/proposals",
            &json!({"title": "Un intendente tarado", "body": "Esto es un texto largo."}),
        )
        .await;
    let held: Proposal = rude.json().await.expect("held");
    assert_eq!(held.moderation, ProposalModeration::Held);
    let public: Vec<Proposal> = fixture
        .get(As::Kiosk, "/participation/proposals")
        .await
        .json()
        .await
        .expect("list");
    assert_eq!(
        public.iter().map(|p| p.id).collect::<Vec<_>>(),
        [proposal.id]
    );
    assert_eq!(
        fixture
            .get(As::Kiosk, &format!("/participation/proposals/{}", held.id))
            .await
            .status(),
        404
    );
    let queue: Vec<Proposal> = fixture
        .get(As::Staff(&admin), "/participation/moderation/proposals")
        .await
        .json()
        .await
        .expect("queue");
    assert_eq!(queue.iter().map(|p| p.id).collect::<Vec<_>>(), [held.id]);
    let removed = fixture
        .post(
            As::Staff(&admin),
            &format!("/participation/proposals/{}/moderation", held.id),
            &json!({"action": "remove"}),
        )
        .await;
    assert_eq!(removed.status(), 200);

    // Supports, once each; any account may support.
    let path = format!("/participation/proposals/{}/supports", proposal.id);
    let first: Proposal = fixture
        .post(As::Citizen(&stranger), &path, &json!({}))
        .await
        .json()
        .await
        .expect("supported");
    assert_eq!((first.supports, first.awaiting_answer), (1, false));
    let twice = fixture
        .post(As::Citizen(&stranger), &path, &json!({}))
        .await;
    assert_eq!(error_code(twice).await, "already_supported");
    let second: Proposal = fixture
        .post(As::Citizen(&author), &path, &json!({}))
        .await
        .json()
        .await
        .expect("supported");
    assert_eq!((second.supports, second.awaiting_answer), (2, true));

    // The municipality answers; a centre's supervisor may not.
    let answer = json!({"status": "accepted", "answer": text("Se instalan en marzo.")});
    let path = format!("/participation/proposals/{}/answer", proposal.id);
    let supervisor = fixture.staff(Role::Supervisor).await;
    assert_eq!(
        fixture
            .send(As::Staff(&supervisor), Method::PUT, &path, &answer)
            .await
            .status(),
        403
    );
    let answered: Proposal = fixture
        .send(As::Staff(&admin), Method::PUT, &path, &answer)
        .await
        .json()
        .await
        .expect("answered");
    assert_eq!(answered.status, ProposalStatus::Accepted);
    assert!(!answered.awaiting_answer);
    let seen: Proposal = fixture
        .get(
            As::Citizen(&stranger),
            &format!("/participation/proposals/{}", proposal.id),
        )
        .await
        .json()
        .await
        .expect("proposal");
    assert_eq!(seen.supported, Some(true));
    assert_eq!(
        seen.answer.map(|answer| answer.text.es).as_deref(),
        Some("Se instalan en marzo.")
    );
}
