//! Centres and enrolment codes through the staff API.

use plaza_api::centres::{CentreInfo, CentreList, EnrolmentCode};
use plaza_api::enrol::EnrolResponse;
use plaza_api::staff::Role;
use plaza_manager::testing::TestManager;
use serde_json::json;

use crate::common::error_code;

#[tokio::test]
async fn an_admin_adds_a_centre_and_enrols_a_kiosk_with_a_code_from_the_api() {
    let manager = TestManager::start().await;
    let admin = manager.staff_token(Role::Admin).await;
    let created = manager
        .client
        .post(manager.url("/api/v1/centres"))
        .bearer_auth(&admin)
        .json(&json!({"name": "Punto Digital Sur", "neighbourhoods": ["Villa Nueva", "El Alto"]}))
        .send()
        .await
        .expect("create");
    assert_eq!(created.status(), 201);
    let centre: CentreInfo = created.json().await.expect("centre");
    assert_eq!(centre.neighbourhoods, ["Villa Nueva", "El Alto"]);

    let again = manager
        .client
        .post(manager.url("/api/v1/centres"))
        .bearer_auth(&admin)
        .json(&json!({"name": "Punto Digital Sur"}))
        .send()
        .await
        .expect("create again");
    assert_eq!(again.status(), 409);
    // The addition is in the audit log (the refused duplicate is not).
    let audit = manager
        .state
        .storage
        .audit_entries(10)
        .await
        .expect("audit");
    let additions: Vec<_> = audit
        .iter()
        .filter(|entry| entry.action == "centre.add")
        .collect();
    assert_eq!(additions.len(), 1, "{audit:?}");
    assert_eq!(
        additions[0].target.as_deref(),
        Some("centre:Punto Digital Sur")
    );
    assert!(additions[0].actor.starts_with("token:"), "{audit:?}");

    let code: EnrolmentCode = manager
        .client
        .post(manager.url("/api/v1/centres/Punto%20Digital%20Sur/enrolment-codes"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("code")
        .json()
        .await
        .expect("code body");
    let enrolled: EnrolResponse = manager
        .client
        .post(manager.url("/api/v1/kiosks/enroll"))
        .json(&json!({"code": code.code, "hostname": "pc-01"}))
        .send()
        .await
        .expect("enrol")
        .json()
        .await
        .expect("enrolled");
    assert_eq!(enrolled.centre, "Punto Digital Sur");

    let list: CentreList = manager
        .client
        .get(manager.url("/api/v1/centres"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("list body");
    assert_eq!(list.centres.len(), 1);
}

#[tokio::test]
async fn only_admins_add_centres_and_codes_and_bad_input_is_refused() {
    let manager = TestManager::start().await;
    manager.add_centre("Biblioteca", &[]).await;
    let analyst = manager.staff_token(Role::Analyst).await;
    let admin = manager.staff_token(Role::Admin).await;
    let post = |path: &str, token: &str, body: serde_json::Value| {
        manager
            .client
            .post(manager.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
    };
    let response = post("/api/v1/centres", &analyst, json!({"name": "Otra"}))
        .await
        .expect("request");
    assert_eq!(response.status(), 403);
    let response = post(
        "/api/v1/centres/Biblioteca/enrolment-codes",
        &analyst,
        json!({}),
    )
    .await
    .expect("request");
    assert_eq!(response.status(), 403);
    let response = post("/api/v1/centres/Nowhere/enrolment-codes", &admin, json!({}))
        .await
        .expect("request");
    assert_eq!(response.status(), 404);
    for body in [
        json!({"name": "  "}),
        json!({"name": "x\ny"}),
        json!({"name": "a".repeat(500)}),
        // 121 characters as sent (the document's maxLength), 120 trimmed.
        json!({"name": format!(" {}", "a".repeat(120))}),
        // Below the database's own check: was a 500 (found by schemathesis).
        json!({"name": "Punto Cero", "session_allotment_s": 0}),
        json!({"name": "Punto Largo", "session_extension_s": 2_000_000_000}),
    ] {
        let response = post("/api/v1/centres", &admin, body)
            .await
            .expect("request");
        assert_eq!(error_code(response).await, "invalid");
    }
}
