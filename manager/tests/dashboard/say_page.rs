//! The "Have a say" page (issue #17): an admin creates a consultation
//! through the form (a wrong one is refused and nothing is created), a
//! verified resident votes, the admin closes it, reads the results with the
//! small turnout suppressed, and publishes the official answer; then
//! answers a proposal and removes it, and revokes the verification.

use jiff::{SignedDuration, Timestamp};
use plaza_api::have_a_say::{Consultation, Proposal, ProposalModeration, ProposalStatus};
use plaza_api::participation::CITIZEN_TOKEN_HEADER;
use plaza_manager::testing::TestManager;
use reqwest::StatusCode;
use serde_json::json;

use crate::common::{NORTH, citizen_at, csrf_of, fixture, page, signed_in};

/// Verifies `alias` on the residents page, at the north centre.
async fn verify(
    manager: &TestManager,
    staff: &reqwest::Client,
    csrf: &str,
    alias: &str,
    document: &str,
    neighbourhood: &str,
) {
    let verified = staff
        .post(manager.url("/dashboard/residents"))
        .form(&[
            ("csrf", csrf),
            ("alias", alias),
            ("document_number", document),
            ("neighbourhood", neighbourhood),
            ("centre", NORTH),
        ])
        .send()
        .await
        .expect("verify");
    assert_eq!(verified.status(), StatusCode::OK, "verify {alias}");
}

/// A proposal by the citizen logged in with `citizen` at `kiosk`.
async fn propose(
    manager: &TestManager,
    kiosk: &(uuid::Uuid, String),
    citizen: &str,
    title: &str,
    body: &str,
) -> Proposal {
    manager
        .client
        .post(manager.url("/api/v1/participation/proposals"))
        .bearer_auth(&kiosk.1)
        .header(CITIZEN_TOKEN_HEADER, citizen)
        .json(&json!({"title": title, "body": body}))
        .send()
        .await
        .expect("propose")
        .json()
        .await
        .expect("proposal")
}

/// The published proposals, as a kiosk reads them.
async fn public_proposals(manager: &TestManager, kiosk: &(uuid::Uuid, String)) -> Vec<Proposal> {
    manager
        .client
        .get(manager.url("/api/v1/participation/proposals"))
        .bearer_auth(&kiosk.1)
        .send()
        .await
        .expect("proposals")
        .json()
        .await
        .expect("proposals body")
}

fn minute(at: Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M").to_string()
}

#[tokio::test]
async fn staff_run_a_consultation_and_answer_proposals_from_the_dashboard() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    let kiosk = &fixture.north_kiosk;
    let admin = signed_in(manager, "admin").await;
    let (status, html) = page(&admin, manager, "/dashboard/say").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("None yet."), "{html}");
    let csrf = csrf_of(&html);
    let now = manager.now();
    let create = |closes: Timestamp| {
        let form = vec![
            ("csrf", csrf.clone()),
            ("question_es", "¿Qué hacemos con la plaza?".to_owned()),
            (
                "question_en",
                "What shall we do with the square?".to_owned(),
            ),
            ("description_es", "Necesita arreglos.".to_owned()),
            ("options_es", "Juegos\nÁrboles\n".to_owned()),
            ("options_en", "Playground\nTrees".to_owned()),
            ("kind", "single".to_owned()),
            ("max_choices", "1".to_owned()),
            ("opens_at", minute(now - SignedDuration::from_hours(1))),
            ("closes_at", minute(closes)),
            ("neighbourhood", "La Loma".to_owned()),
            ("eligibility", "verified_residents".to_owned()),
        ];
        admin
            .post(manager.url("/dashboard/say/consultations"))
            .form(&form)
            .send()
    };

    // Closing before it opens: refused on the page, nothing created.
    let refused = create(now - SignedDuration::from_hours(2))
        .await
        .expect("POST");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text().await.expect("body");
    assert!(body.contains("closes_at must be after opens_at"), "{body}");
    let none = manager.state.storage.consultations().await.expect("list");
    assert!(none.is_empty(), "{none:?}");

    let created = create(now + SignedDuration::from_hours(24))
        .await
        .expect("POST");
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&admin, manager, "/dashboard/say?done=created").await;
    assert!(html.contains("The consultation was created."), "{html}");
    assert!(html.contains("¿Qué hacemos con la plaza? / What shall we do with the square?"));
    assert!(html.contains("Results are shown once it closes."));
    let [consultation] = manager
        .state
        .storage
        .consultations()
        .await
        .expect("list")
        .try_into()
        .expect("one consultation");
    assert_eq!(consultation.neighbourhoods, ["La Loma"]);
    let id = consultation.id;

    // A resident of La Loma, verified on the residents page, votes.
    let citizen = citizen_at(manager, kiosk, "vecina_loma").await;
    verify(manager, &admin, &csrf, "vecina_loma", "30123456", "La Loma").await;
    let voted = manager
        .client
        .post(manager.url(&format!("/api/v1/participation/consultations/{id}/votes")))
        .bearer_auth(&kiosk.1)
        .header(CITIZEN_TOKEN_HEADER, &citizen)
        .json(&json!({"choices": [1]}))
        .send()
        .await
        .expect("vote");
    assert_eq!(voted.status(), StatusCode::CREATED);

    // The reach report shows it among participation, the lone voter's
    // neighbourhood not counted.
    let (status, html) = page(&admin, manager, "/dashboard/reports").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Having a say: participation by neighbourhood"),
        "{html}"
    );
    assert!(
        html.contains("<td>La Loma</td><td>&lt; 5</td><td>0</td><td>0</td>"),
        "{html}"
    );

    // Closed: final results, the lone voter's neighbourhood not counted.
    let closed = admin
        .post(manager.url(&format!("/dashboard/say/consultations/{id}/close")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("close");
    assert_eq!(closed.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&admin, manager, "/dashboard/say").await;
    assert!(html.contains("Ballots: 1"), "{html}");
    assert!(
        html.contains("<td>Juegos / Playground</td><td>0</td>"),
        "{html}"
    );
    assert!(
        html.contains("<td>Árboles / Trees</td><td>1</td>"),
        "{html}"
    );
    assert!(html.contains("<td>La Loma</td><td>&lt; 5</td>"), "{html}");
    let answered = admin
        .post(manager.url(&format!("/dashboard/say/consultations/{id}/answer")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("answer_es", "Plantaremos 40 árboles en marzo."),
            ("answer_en", ""),
        ])
        .send()
        .await
        .expect("answer");
    assert_eq!(answered.status(), StatusCode::SEE_OTHER);
    let shown: Consultation = manager
        .client
        .get(manager.url(&format!("/api/v1/participation/consultations/{id}")))
        .bearer_auth(&kiosk.1)
        .send()
        .await
        .expect("consultation")
        .json()
        .await
        .expect("consultation body");
    let answer = shown.answer.expect("answer published");
    assert_eq!(answer.text.es, "Plantaremos 40 árboles en marzo.");
    assert_eq!(answer.text.en, None);

    // A proposal by the resident: answered with a status, then removed.
    let proposed = propose(
        manager,
        kiosk,
        &citizen,
        "Bebederos en la plaza",
        "Agua fresca para los chicos.",
    )
    .await;
    let (_, html) = page(&admin, manager, "/dashboard/say").await;
    assert!(html.contains("Bebederos en la plaza"), "{html}");
    let no_status = admin
        .post(manager.url(&format!("/dashboard/say/proposals/{}/answer", proposed.id)))
        .form(&[("csrf", csrf.as_str()), ("answer_es", "Lo estudiamos.")])
        .send()
        .await
        .expect("answer");
    assert_eq!(no_status.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let answered = admin
        .post(manager.url(&format!("/dashboard/say/proposals/{}/answer", proposed.id)))
        .form(&[
            ("csrf", csrf.as_str()),
            ("status", "accepted"),
            ("answer_es", "Los instalamos este verano."),
        ])
        .send()
        .await
        .expect("answer");
    assert_eq!(answered.status(), StatusCode::SEE_OTHER);
    let public = public_proposals(manager, kiosk).await;
    assert_eq!(public[0].status, ProposalStatus::Accepted);
    let removed = admin
        .post(manager.url(&format!(
            "/dashboard/say/proposals/{}/moderation",
            proposed.id
        )))
        .form(&[("csrf", csrf.as_str()), ("action", "remove")])
        .send()
        .await
        .expect("remove");
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    let public = public_proposals(manager, kiosk).await;
    assert!(public.is_empty(), "{public:?}");

    // Revoking: not by a supervisor of another centre; by the admin, yes.
    let sol = signed_in(manager, "sol").await;
    let (_, html) = page(&sol, manager, "/dashboard/residents").await;
    let sol_csrf = csrf_of(&html);
    let revoke = |client: &reqwest::Client, csrf: &str| {
        client
            .post(manager.url("/dashboard/residents/revoke"))
            .form(&[("csrf", csrf), ("alias", "Vecina_Loma")])
            .send()
    };
    let refused = revoke(&sol, &sol_csrf).await.expect("revoke");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let (_, html) = page(&admin, manager, "/dashboard/residents").await;
    assert!(html.contains("<td>vecina_loma</td>"), "{html}");
    let revoked = revoke(&admin, &csrf).await.expect("revoke");
    assert_eq!(revoked.status(), StatusCode::OK);
    let html = revoked.text().await.expect("body");
    assert!(
        html.contains("Vecina_Loma is no longer a verified resident."),
        "{html}"
    );
    assert!(!html.contains("<td>vecina_loma</td>"), "{html}");
}

/// A proposal the word filter held waits in the moderation queue of the
/// supervisors of the centre that verified its author, who publish it from
/// there; another centre's supervisor neither sees it nor may decide.
#[tokio::test]
async fn a_held_proposal_is_published_from_the_moderation_queue() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    let kiosk = &fixture.north_kiosk;
    let admin = signed_in(manager, "admin").await;
    let (_, html) = page(&admin, manager, "/dashboard/residents").await;
    let csrf = csrf_of(&html);
    let citizen = citizen_at(manager, kiosk, "vecino_norte").await;
    verify(manager, &admin, &csrf, "vecino_norte", "27111222", "Centro").await;
    let held = propose(
        manager,
        kiosk,
        &citizen,
        "Basta de cabron en la plaza",
        "Que la plaza sea de todos.",
    )
    .await;
    assert_eq!(held.moderation, ProposalModeration::Held);

    let sol = signed_in(manager, "sol").await;
    let (_, html) = page(&sol, manager, "/dashboard/moderation").await;
    assert!(html.contains("No proposal is waiting."), "{html}");
    let decide = |client: &reqwest::Client, csrf: String| {
        client
            .post(manager.url(&format!("/dashboard/say/proposals/{}/moderation", held.id)))
            .form(&[
                ("csrf", csrf),
                ("action", "publish".to_owned()),
                ("back", "moderation".to_owned()),
            ])
            .send()
    };
    let refused = decide(&sol, csrf_of(&html)).await.expect("decide");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let body = refused.text().await.expect("body");
    assert!(body.contains("Back to the moderation queue"), "{body}");
    assert!(!body.contains("New consultation"), "{body}");

    let sam = signed_in(manager, "sam").await;
    let (_, html) = page(&sam, manager, "/dashboard/moderation").await;
    assert!(html.contains("Basta de cabron en la plaza"), "{html}");
    let published = decide(&sam, csrf_of(&html)).await.expect("decide");
    assert_eq!(published.status(), StatusCode::SEE_OTHER);
    let back = published
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .expect("location")
        .to_owned();
    let (_, html) = page(&sam, manager, &back).await;
    assert!(
        html.contains(&format!("Proposal {} published.", held.id)),
        "{html}"
    );
    assert!(html.contains("No proposal is waiting."), "{html}");
    let public = public_proposals(manager, kiosk).await;
    assert_eq!(public.len(), 1);
}
