//! `GET /api/v1/kiosks/{id}/profile`: what a kiosk needs about its centre.

use plaza_api::profile::KioskProfile;
use plaza_manager::storage::centres::NewCentre;

use crate::common::{CENTRE, error_code, manager_with_kiosk};

#[tokio::test]
async fn a_kiosk_reads_its_centre_neighbourhoods_and_session_rules() {
    let (manager, kiosk_id, token) = manager_with_kiosk().await;
    let response = manager
        .client
        .get(manager.url(&format!("/api/v1/kiosks/{kiosk_id}/profile")))
        .bearer_auth(&token)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200);
    let profile: KioskProfile = response.json().await.expect("profile");
    assert_eq!(profile.kiosk_id, kiosk_id);
    assert_eq!(profile.centre, CENTRE);
    assert_eq!(profile.neighbourhoods, ["Centro", "La Loma"]);
    assert_eq!(profile.session_allotment_s, 1800);
    assert_eq!(profile.session_extension_s, 900);
    assert!(profile.extensions_allowed);
    assert_eq!(profile.heartbeat_interval_s, 10);
}

#[tokio::test]
async fn a_centre_without_extensions_says_so() {
    let (manager, _, _) = manager_with_kiosk().await;
    manager
        .state
        .storage
        .add_centre(
            NewCentre {
                name: "Casa de la Cultura".to_owned(),
                neighbourhoods: vec!["Norte".to_owned()],
                session_allotment_s: Some(600),
                session_extension_s: Some(0),
            },
            manager.now(),
            "test",
        )
        .await
        .expect("centre");
    let kiosk = manager.enrol_kiosk("Casa de la Cultura", "pc-09").await;
    let profile: KioskProfile = manager
        .client
        .get(manager.url(&format!("/api/v1/kiosks/{}/profile", kiosk.kiosk_id)))
        .bearer_auth(&kiosk.token)
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("profile");
    assert_eq!(profile.session_allotment_s, 600);
    assert!(!profile.extensions_allowed);
    assert_eq!(profile.neighbourhoods, ["Norte"]);
}

#[tokio::test]
async fn another_kiosks_profile_is_forbidden_and_no_token_is_unauthenticated() {
    let (manager, kiosk_id, _) = manager_with_kiosk().await;
    let other = manager.enrol_kiosk(CENTRE, "pc-02").await;
    let url = manager.url(&format!("/api/v1/kiosks/{kiosk_id}/profile"));
    let forbidden = manager
        .client
        .get(&url)
        .bearer_auth(&other.token)
        .send()
        .await
        .expect("request");
    assert_eq!(forbidden.status(), 403);
    assert_eq!(error_code(forbidden).await, "forbidden");
    let anonymous = manager.client.get(&url).send().await.expect("request");
    assert_eq!(anonymous.status(), 401);
}
