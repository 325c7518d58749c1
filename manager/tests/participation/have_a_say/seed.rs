//! Point 5: the demo's consultations (open, closed with results, upcoming)
//! and eight proposals in several statuses, Spanish and English.

use std::collections::BTreeSet;

use plaza_api::have_a_say::{Consultation, ConsultationResults, ConsultationStatus, Proposal};
use plaza_manager::participation::seed;

use crate::common::{As, CENTRE, Fixture};

const SEED: &str = include_str!("../../../../assets/content/participation.json");

#[tokio::test]
async fn the_demo_has_three_consultations_and_eight_proposals() {
    let fixture = Fixture::start().await;
    let storage = &fixture.manager.state.storage;
    let now = fixture.manager.now();
    seed::load(storage, SEED, now, "2580")
        .await
        .expect("participation seed");
    let neighbourhoods =
        ["Centro", "La Loma", "San José", "Villa Nueva", "El Puerto"].map(str::to_owned);
    let loaded = plaza_manager::have_a_say::seed::load(storage, CENTRE, &neighbourhoods, now)
        .await
        .expect("have a say seed");
    assert!(loaded);
    let again = plaza_manager::have_a_say::seed::load(storage, CENTRE, &neighbourhoods, now)
        .await
        .expect("again");
    assert!(!again, "a second load changes nothing");

    let consultations: Vec<Consultation> = fixture
        .get(As::Kiosk, "/participation/consultations")
        .await
        .json()
        .await
        .expect("consultations");
    let statuses: Vec<_> = consultations.iter().map(|c| c.status).collect();
    assert_eq!(statuses.len(), 3);
    for status in ConsultationStatus::ALL {
        assert!(statuses.contains(status), "{statuses:?}");
    }
    assert!(consultations.iter().all(|c| c.question.en.is_some()));
    let closed = consultations
        .iter()
        .find(|c| c.status == ConsultationStatus::Closed)
        .expect("closed");
    let results: ConsultationResults = fixture
        .get(
            As::Kiosk,
            &format!("/participation/consultations/{}/results", closed.id),
        )
        .await
        .json()
        .await
        .expect("results");
    assert_eq!(results.ballots, 10);
    assert!(results.answer.is_some());

    let proposals: Vec<Proposal> = fixture
        .get(As::Kiosk, "/participation/proposals")
        .await
        .json()
        .await
        .expect("proposals");
    assert_eq!(proposals.len(), 8);
    let statuses: BTreeSet<_> = proposals.iter().map(|p| p.status.as_str()).collect();
    assert_eq!(statuses.len(), 5, "{statuses:?}");
    let languages: BTreeSet<_> = proposals.iter().map(|p| p.language.as_str()).collect();
    assert_eq!(languages, BTreeSet::from(["en", "es"]));
    assert!(proposals.iter().any(|p| p.supports >= 10));
}
