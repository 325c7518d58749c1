//! Point 2: consultations. One vote per verified person; out of scope and
//! out of period refused; results after closing or live; 50 at once.

use jiff::SignedDuration;
use plaza_api::have_a_say::{ConsultationResults, ConsultationStatus, Eligibility};
use plaza_api::reports::Cell;
use reqwest::Method;
use serde_json::json;

use super::text;
use crate::common::{As, Fixture, error_code};

#[tokio::test]
async fn double_votes_out_of_scope_and_out_of_period_are_refused() {
    let fixture = Fixture::start().await;
    let admin = fixture.admin().await;
    let consultation = fixture
        .consultation(&admin, |body| body["neighbourhoods"] = json!(["Centro"]))
        .await;
    assert_eq!(consultation.status, ConsultationStatus::Open);
    let id = consultation.id;
    let ana = fixture
        .resident(&admin, "Ana_Centro", "20111111", "Centro")
        .await;
    assert_eq!(fixture.vote(&ana, id, &[1]).await.status(), 201);

    // The same account twice.
    let twice = fixture.vote(&ana, id, &[2]).await;
    assert_eq!(twice.status(), 409);
    assert_eq!(error_code(twice).await, "already_voted");

    // The same person with a second account, verified with the same
    // document after the first verification was revoked.
    let revoked = fixture
        .request(
            As::Staff(&admin),
            Method::DELETE,
            "/participation/residents/Ana_Centro",
        )
        .send()
        .await
        .expect("revoke");
    assert_eq!(revoked.status(), 204);
    let second = fixture
        .resident(&admin, "Ana_Otra", "20.111.111", "Centro")
        .await;
    let again = fixture.vote(&second, id, &[0]).await;
    assert_eq!(error_code(again).await, "already_voted");

    // Out of scope: another neighbourhood, or not verified at all.
    let loma = fixture
        .resident(&admin, "Beto_Loma", "20222222", "La Loma")
        .await;
    assert_eq!(
        error_code(fixture.vote(&loma, id, &[0]).await).await,
        "out_of_scope"
    );
    let stranger = fixture.sign_up("Sin_Verificar").await;
    assert_eq!(
        error_code(fixture.vote(&stranger, id, &[0]).await).await,
        "not_verified_resident"
    );

    // Choices that do not fit.
    let carla = fixture
        .resident(&admin, "Carla_Centro", "20333333", "Centro")
        .await;
    for choices in [&[][..], &[0, 1], &[3]] {
        assert_eq!(
            error_code(fixture.vote(&carla, id, choices).await).await,
            "invalid_choices",
            "{choices:?}"
        );
    }

    // Outside the period: one not open yet, and this one after closing.
    let upcoming = fixture
        .consultation(&admin, |body| {
            let now = fixture.manager.now();
            body["opens_at"] = json!(now + SignedDuration::from_hours(2));
            body["closes_at"] = json!(now + SignedDuration::from_hours(30));
        })
        .await;
    assert_eq!(upcoming.status, ConsultationStatus::Upcoming);
    assert_eq!(
        error_code(fixture.vote(&carla, upcoming.id, &[0]).await).await,
        "consultation_not_open"
    );
    fixture.advance(SignedDuration::from_hours(25));
    // A login lasts an hour: Carla logs in again.
    let carla: plaza_api::participation::accounts::CitizenLogin = fixture
        .log_in("Carla_Centro", crate::common::PIN)
        .await
        .json()
        .await
        .expect("login");
    assert_eq!(
        error_code(fixture.vote(&carla, id, &[0]).await).await,
        "consultation_closed"
    );

    let results: ConsultationResults = fixture
        .get(
            As::Kiosk,
            &format!("/participation/consultations/{id}/results"),
        )
        .await
        .json()
        .await
        .expect("results");
    assert_eq!(results.ballots, 1, "only Ana's first vote counted");
    assert_eq!(
        results
            .options
            .iter()
            .map(|option| option.votes)
            .collect::<Vec<_>>(),
        [0, 1, 0]
    );
}

#[tokio::test]
async fn results_wait_for_the_close_unless_live_and_carry_the_answer() {
    let fixture = Fixture::start_with(|settings| settings.dashboard.k_anonymity = 3).await;
    let admin = fixture.admin().await;
    let consultation = fixture
        .consultation(&admin, |body| {
            body["kind"] = json!("multiple");
            body["max_choices"] = json!(2);
            body["eligibility"] = json!("any_account");
        })
        .await;
    let id = consultation.id;
    let mut voters = Vec::new();
    for (index, neighbourhood) in ["Centro", "Centro", "Centro", "La Loma"].iter().enumerate() {
        voters.push(
            fixture
                .resident(
                    &admin,
                    &format!("Vecino_{index}"),
                    &format!("3000000{index}"),
                    neighbourhood,
                )
                .await,
        );
    }
    voters.push(fixture.sign_up("Cuenta_Libre").await);
    for (voter, choices) in voters.iter().zip([&[0, 1][..], &[1], &[1, 2], &[0], &[2]]) {
        assert_eq!(fixture.vote(voter, id, choices).await.status(), 201);
    }
    let early = fixture
        .get(
            As::Kiosk,
            &format!("/participation/consultations/{id}/results"),
        )
        .await;
    assert_eq!(error_code(early).await, "results_not_yet");

    let listed: Vec<serde_json::Value> = fixture
        .get(As::Citizen(&voters[0]), "/participation/consultations")
        .await
        .json()
        .await
        .expect("list");
    assert_eq!(listed[0]["voted"], true);

    let supervisor = fixture.staff(plaza_api::staff::Role::Supervisor).await;
    let refused = fixture
        .request(
            As::Staff(&supervisor),
            Method::POST,
            &format!("/participation/consultations/{id}/close"),
        )
        .send()
        .await
        .expect("close");
    assert_eq!(
        refused.status(),
        403,
        "the municipality closes, not a centre"
    );
    let closed = fixture
        .request(
            As::Staff(&admin),
            Method::POST,
            &format!("/participation/consultations/{id}/close"),
        )
        .send()
        .await
        .expect("close");
    assert_eq!(closed.status(), 200);
    let answered = fixture
        .send(
            As::Staff(&admin),
            Method::PUT,
            &format!("/participation/consultations/{id}/answer"),
            &text("Vamos a poner árboles y bancos."),
        )
        .await;
    assert_eq!(answered.status(), 200);

    let results: ConsultationResults = fixture
        .get(
            As::Kiosk,
            &format!("/participation/consultations/{id}/results"),
        )
        .await
        .json()
        .await
        .expect("results");
    assert_eq!(results.status, ConsultationStatus::Closed);
    assert_eq!(results.eligibility, Eligibility::AnyAccount);
    assert_eq!(results.ballots, 5);
    assert_eq!(
        results
            .options
            .iter()
            .map(|option| option.votes)
            .collect::<Vec<_>>(),
        [2, 3, 2]
    );
    // Centro 3 (shown at k = 3); La Loma 1 and the unverified account 1
    // are hidden.
    let turnout: Vec<_> = results
        .turnout
        .iter()
        .map(|row| (row.neighbourhood.as_deref(), row.voters.clone()))
        .collect();
    assert!(
        turnout.contains(&(Some("Centro"), Cell::Count(3))),
        "{turnout:?}"
    );
    assert!(
        turnout
            .iter()
            .filter(|(name, _)| *name != Some("Centro"))
            .all(|(_, cell)| matches!(cell, Cell::Suppressed(_))),
        "{turnout:?}"
    );
    assert_eq!(
        results.answer.map(|answer| answer.text.es).as_deref(),
        Some("Vamos a poner árboles y bancos.")
    );

    // A live one shows its figures while open.
    let live = fixture
        .consultation(&admin, |body| body["live_results"] = json!(true))
        .await;
    assert_eq!(fixture.vote(&voters[0], live.id, &[2]).await.status(), 201);
    let shown: ConsultationResults = fixture
        .get(
            As::Kiosk,
            &format!("/participation/consultations/{}/results", live.id),
        )
        .await
        .json()
        .await
        .expect("live results");
    assert_eq!(shown.status, ConsultationStatus::Open);
    assert_eq!(shown.ballots, 1);
}

#[tokio::test]
async fn fifty_voters_at_once_are_each_counted_once() {
    let fixture = Fixture::start().await;
    let admin = fixture.admin().await;
    let consultation = fixture.consultation(&admin, |_| {}).await;
    let mut voters = Vec::new();
    for index in 0..50 {
        voters.push(
            fixture
                .resident(
                    &admin,
                    &format!("Votante_{index:02}"),
                    &format!("4100{index:04}"),
                    "Centro",
                )
                .await,
        );
    }
    let votes = voters.iter().enumerate().map(|(index, voter)| {
        let choice = u32::try_from(index % 3).expect("small");
        let fixture = &fixture;
        async move {
            fixture
                .vote(voter, consultation.id, &[choice])
                .await
                .status()
        }
    });
    let statuses = futures_util::future::join_all(votes).await;
    assert!(statuses.iter().all(|status| *status == 201), "{statuses:?}");
    // And each again at once: all refused.
    let again = voters
        .iter()
        .map(|voter| fixture.vote(voter, consultation.id, &[0]));
    let statuses = futures_util::future::join_all(again).await;
    assert!(statuses.iter().all(|response| response.status() == 409));

    fixture.advance(SignedDuration::from_hours(25));
    let results: ConsultationResults = fixture
        .get(
            As::Kiosk,
            &format!("/participation/consultations/{}/results", consultation.id),
        )
        .await
        .json()
        .await
        .expect("results");
    assert_eq!(results.ballots, 50);
    assert_eq!(
        results
            .options
            .iter()
            .map(|option| option.votes)
            .collect::<Vec<_>>(),
        [17, 17, 16]
    );
    assert_eq!(
        results
            .turnout
            .iter()
            .map(|row| row.voters.clone())
            .collect::<Vec<_>>(),
        [Cell::Count(50)]
    );
}
