//! Issue #15, point 1: a centre's web access (policy, recommended sites,
//! purposes), set by staff, scoped to their centres, audited, and delivered
//! to the centre's kiosks in their profile.

use plaza_api::profile::KioskProfile;
use plaza_api::staff::Role;
use plaza_api::web::{CentreWeb, Purpose, WebMode};
use plaza_manager::auth::{API_TOKEN_PREFIX, hash_password, hash_secret, new_secret};
use plaza_manager::storage::users::NewUser;
use plaza_manager::testing::TestManager;
use serde_json::{Value, json};

use crate::common::{CENTRE, error_code, manager_with_kiosk};

const OTHER: &str = "Punto Digital Sur";

/// A supervisor's own API token, held to `centres`.
async fn supervisor_of(manager: &TestManager, name: &str, centres: &[&str]) -> String {
    manager
        .state
        .storage
        .add_user(
            NewUser {
                name: name.to_owned(),
                role: Role::Supervisor,
                password_hash: hash_password("una clave larga").expect("hash"),
                centres: centres.iter().map(|centre| (*centre).to_owned()).collect(),
            },
            manager.now(),
            "test".to_owned(),
        )
        .await
        .expect("add user");
    let token = new_secret(API_TOKEN_PREFIX).expect("secret");
    manager
        .state
        .storage
        .create_user_api_token(name.to_owned(), hash_secret(&token), manager.now())
        .await
        .expect("token");
    token
}

async fn put(manager: &TestManager, centre: &str, token: &str, body: &Value) -> reqwest::Response {
    manager
        .client
        .put(manager.url(&format!("/api/v1/centres/{centre}/web")))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("put")
}

fn allow_list() -> Value {
    json!({
        "mode": "allow_list",
        "sites": ["*.GOB.ar", "https://www.educ.ar/recursos"],
        "recommended": [{"title": "ANSES", "url": "https://www.anses.gob.ar/"}],
        "purposes": [{"suffix": "gob.ar", "purpose": "government"},
                     {"suffix": "*.trabajo.gob.ar", "purpose": "employment"}]
    })
}

#[tokio::test]
async fn a_supervisor_sets_their_centres_web_access_and_its_kiosks_receive_it() {
    let (manager, kiosk_id, kiosk_token) = manager_with_kiosk().await;
    manager.add_centre(OTHER, &[]).await;
    let supervisor = supervisor_of(&manager, "sam", &[CENTRE]).await;
    let analyst = manager.staff_token(Role::Analyst).await;

    // Before: the default (open, the built-in purposes), in the profile too.
    let profile = |manager: &TestManager| {
        manager
            .client
            .get(manager.url(&format!("/api/v1/kiosks/{kiosk_id}/profile")))
            .bearer_auth(&kiosk_token)
            .send()
    };
    let before: KioskProfile = profile(&manager)
        .await
        .expect("profile")
        .json()
        .await
        .expect("json");
    assert_eq!(before.web.mode, WebMode::Open);
    assert!(
        before
            .web
            .purposes
            .iter()
            .any(|rule| rule.suffix == "gob.ar")
    );

    let response = put(&manager, "Biblioteca%20Norte", &supervisor, &allow_list()).await;
    assert_eq!(response.status(), 200);
    let saved: CentreWeb = response.json().await.expect("json");
    assert!(!saved.default);
    // Normalised as stored: hosts lowercased, suffixes without `*.`.
    assert_eq!(
        saved.policy.sites,
        ["*.gob.ar", "https://www.educ.ar/recursos"]
    );
    assert_eq!(saved.policy.purposes[1].suffix, "trabajo.gob.ar");

    let after: KioskProfile = profile(&manager)
        .await
        .expect("profile")
        .json()
        .await
        .expect("json");
    assert_eq!(after.web, saved.policy);
    assert_eq!(after.web.recommended[0].title, "ANSES");
    assert_eq!(after.web.purposes[1].purpose, Purpose::Employment);

    // Audited, with who and which centre.
    let audit = manager
        .state
        .storage
        .audit_entries(10)
        .await
        .expect("audit");
    let entry = audit
        .iter()
        .find(|entry| entry.action == "centre.web")
        .expect("audited");
    assert_eq!(entry.target.as_deref(), Some("centre:Biblioteca Norte"));
    assert_eq!(entry.actor, "token:sam");

    // Another centre is out of the supervisor's scope; analysts have no say.
    let response = put(
        &manager,
        "Punto%20Digital%20Sur",
        &supervisor,
        &allow_list(),
    )
    .await;
    assert_eq!(response.status(), 403);
    let response = put(&manager, "Biblioteca%20Norte", &analyst, &allow_list()).await;
    assert_eq!(response.status(), 403);
    let response = manager
        .client
        .get(manager.url("/api/v1/centres/Punto%20Digital%20Sur/web"))
        .bearer_auth(&supervisor)
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), 403);
    let response = put(&manager, "Nowhere", &supervisor, &allow_list()).await;
    assert_eq!(response.status(), 404);
    assert!(manager.take_contract_violations().is_empty());
}

#[tokio::test]
async fn a_policy_that_is_not_one_is_refused() {
    let (manager, _, _) = manager_with_kiosk().await;
    let admin = manager.staff_token(Role::Admin).await;
    for body in [
        json!({"mode": "allow_list", "sites": []}),
        json!({"mode": "open", "sites": ["file:///etc"]}),
        json!({"mode": "open", "sites": ["two words"]}),
        json!({"mode": "open", "recommended": [{"title": "", "url": "https://a.ar/"}]}),
        json!({"mode": "open", "recommended": [{"title": "X", "url": "javascript:alert(1)"}]}),
        json!({"mode": "open", "purposes": [{"suffix": "a..b", "purpose": "health"}]}),
    ] {
        let response = put(&manager, "Biblioteca%20Norte", &admin, &body).await;
        assert_eq!(error_code(response).await, "invalid", "{body}");
    }
    // Nothing was stored: still the default.
    let web: CentreWeb = manager
        .client
        .get(manager.url("/api/v1/centres/Biblioteca%20Norte/web"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert!(web.default);
}

/// Issue #15, point 4: a web visit travels as its purpose and seconds; an
/// event that tries to carry a URL (or an endless visit) is refused.
#[tokio::test]
async fn web_visits_carry_a_purpose_and_seconds_and_never_a_url() {
    use plaza_api::events::{EventBatchResponse, EventPayload, WebVisited};

    let (manager, _, token) = manager_with_kiosk().await;
    let session = uuid::Uuid::now_v7();
    let now = jiff::Timestamp::now();
    let visit = crate::common::event(
        session,
        now,
        EventPayload::WebVisited(WebVisited {
            purpose: Purpose::Government,
            seconds: 95,
        }),
    );
    let wire = serde_json::to_value(&visit).expect("JSON");
    assert_eq!(
        wire["data"],
        json!({"purpose": "government", "seconds": 95})
    );
    let body = json!({ "events": [
        crate::common::started(session, now),
        visit,
        { "id": uuid::Uuid::now_v7(), "kind": "web_visited", "at": now, "session_id": session,
          "data": { "purpose": "health", "seconds": 10, "url": "https://hospital.example/turnos" } },
        { "id": uuid::Uuid::now_v7(), "kind": "web_visited", "at": now, "session_id": session,
          "data": { "purpose": "gambling", "seconds": 10 } },
        { "id": uuid::Uuid::now_v7(), "kind": "web_visited", "at": now, "session_id": session,
          "data": { "purpose": "other", "seconds": 100_000 } },
    ]});
    let response = crate::common::post_events(&manager, &token, &body).await;
    assert_eq!(response.status(), 200);
    let reply: EventBatchResponse = response.json().await.expect("reply");
    assert_eq!(reply.accepted.len(), 2, "{reply:?}");
    let rejected: Vec<usize> = reply.rejected.iter().map(|refused| refused.index).collect();
    assert_eq!(rejected, [2, 3, 4]);
    assert!(manager.take_contract_violations().is_empty());
}
