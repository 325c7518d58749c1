//! Enrolment: good, reused, expired, unknown and malformed codes.

use jiff::SignedDuration;
use plaza_api::enrol::EnrolResponse;
use plaza_manager::Clock;
use plaza_manager::testing::TestManager;
use serde_json::json;

use crate::common::{CENTRE, error_code};

async fn enrol(manager: &TestManager, code: &str) -> reqwest::Response {
    manager
        .client
        .post(manager.url("/api/v1/kiosks/enroll"))
        .json(&json!({ "code": code, "hostname": "pc-07" }))
        .send()
        .await
        .expect("enrol request")
}

#[tokio::test]
async fn a_good_code_enrols_once_and_is_refused_after() {
    let manager = TestManager::start().await;
    manager.add_centre(CENTRE, &[]).await;
    let code = manager.enrolment_code(CENTRE).await;

    let first = enrol(&manager, &code).await;
    assert_eq!(first.status(), 201);
    let enrolled: EnrolResponse = first.json().await.expect("enrol response");
    assert_eq!(enrolled.centre, CENTRE);
    assert!(
        enrolled.token.len() >= 40,
        "token carries at least 128 bits"
    );

    let again = enrol(&manager, &code).await;
    assert_eq!(again.status(), 401);
    assert_eq!(error_code(again).await, "enrolment_code_used");
}

#[tokio::test]
async fn codes_are_accepted_in_any_case_and_spacing() {
    let manager = TestManager::start().await;
    manager.add_centre(CENTRE, &[]).await;
    let code = manager.enrolment_code(CENTRE).await;
    let typed = code.to_lowercase().replace('-', " ");
    assert_eq!(enrol(&manager, &typed).await.status(), 201);
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let clock = Clock::manual(jiff::Timestamp::now());
    let manager = TestManager::start_with(|_| {}, clock.clone()).await;
    manager.add_centre(CENTRE, &[]).await;
    let code = manager.enrolment_code(CENTRE).await;
    clock.advance(SignedDuration::from_hours(24) + SignedDuration::from_secs(1));
    let response = enrol(&manager, &code).await;
    assert_eq!(response.status(), 401);
    assert_eq!(error_code(response).await, "enrolment_code_expired");
}

#[tokio::test]
async fn unknown_and_malformed_codes_are_refused() {
    let manager = TestManager::start().await;
    manager.add_centre(CENTRE, &[]).await;
    let unknown = enrol(&manager, "2222-3333-4444").await;
    assert_eq!(unknown.status(), 401);
    assert_eq!(error_code(unknown).await, "enrolment_code_unknown");

    for malformed in ["", "abc", "0000-0000-0000", "'; DROP TABLE kiosks; --"] {
        let response = enrol(&manager, malformed).await;
        assert_eq!(response.status(), 422, "code {malformed:?}");
        assert_eq!(error_code(response).await, "invalid");
    }
}

#[tokio::test]
async fn a_blank_hostname_is_invalid_and_does_not_use_the_code() {
    let manager = TestManager::start().await;
    manager.add_centre(CENTRE, &[]).await;
    let code = manager.enrolment_code(CENTRE).await;
    let response = manager
        .client
        .post(manager.url("/api/v1/kiosks/enroll"))
        .json(&json!({ "code": code, "hostname": "   " }))
        .send()
        .await
        .expect("enrol request");
    assert_eq!(response.status(), 422);
    assert_eq!(
        enrol(&manager, &code).await.status(),
        201,
        "the code is still usable"
    );
}
