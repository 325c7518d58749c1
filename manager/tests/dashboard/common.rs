//! Staff accounts and a cookie-keeping "browser" for the tests.

use jiff::Timestamp;
use plaza_api::heartbeat::{Health, HeartbeatRequest, KioskState};
use plaza_api::staff::Role;
use plaza_manager::auth::hash_password;
use plaza_manager::storage::users::NewUser;
use plaza_manager::testing::TestManager;
use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};
use uuid::Uuid;

pub const NORTH: &str = "Biblioteca Norte";
pub const SOUTH: &str = "Centro Cívico Sur";
pub const PASSWORD: &str = "a long enough password";

pub async fn add_user(manager: &TestManager, name: &str, role: Role, centres: &[&str]) {
    manager
        .state
        .storage
        .add_user(
            NewUser {
                name: name.to_owned(),
                role,
                password_hash: hash_password(PASSWORD).expect("hash"),
                centres: centres.iter().map(|centre| (*centre).to_owned()).collect(),
            },
            manager.now(),
            "test".to_owned(),
        )
        .await
        .expect("add user");
}

/// A client that keeps cookies and does not follow redirects, so tests see them.
pub fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .expect("client")
}

/// The value of the first hidden `csrf` field in a page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("page has a csrf field") + marker.len();
    let end = start + html[start..].find('"').expect("closing quote");
    html[start..end].to_owned()
}

pub async fn page(client: &Client, manager: &TestManager, path: &str) -> (StatusCode, String) {
    let response = client
        .get(manager.url(path))
        .send()
        .await
        .expect("GET page");
    let status = response.status();
    (status, response.text().await.expect("page body"))
}

/// Logs in through the real form; returns the answer to the POST.
pub async fn login_with(
    client: &Client,
    manager: &TestManager,
    name: &str,
    password: &str,
) -> Response {
    let (status, form) = page(client, manager, "/dashboard/login").await;
    assert_eq!(status, StatusCode::OK);
    client
        .post(manager.url("/dashboard/login"))
        .form(&[
            ("csrf", csrf_of(&form).as_str()),
            ("name", name),
            ("password", password),
        ])
        .send()
        .await
        .expect("POST login")
}

/// A browser signed in as `name`.
pub async fn signed_in(manager: &TestManager, name: &str) -> Client {
    let client = browser();
    let response = login_with(&client, manager, name, PASSWORD).await;
    assert_eq!(
        response.status(),
        StatusCode::SEE_OTHER,
        "login should redirect"
    );
    client
}

/// A manager with two centres, a kiosk in each, and one account per role:
/// `admin`, `ana` (analyst), `sam` (supervisor of NORTH), `sol` (of SOUTH).
pub struct Fixture {
    pub manager: TestManager,
    pub north_kiosk: (Uuid, String),
    pub south_kiosk: (Uuid, String),
}

pub async fn fixture() -> Fixture {
    let manager = TestManager::start().await;
    manager.add_centre(NORTH, &["Centro", "La Loma"]).await;
    manager.add_centre(SOUTH, &["Puerto"]).await;
    let north = manager.enrol_kiosk(NORTH, "norte-<b>01</b>").await;
    let south = manager.enrol_kiosk(SOUTH, "sur-01").await;
    add_user(&manager, "admin", Role::Admin, &[]).await;
    add_user(&manager, "ana", Role::Analyst, &[]).await;
    add_user(&manager, "sam", Role::Supervisor, &[NORTH]).await;
    add_user(&manager, "sol", Role::Supervisor, &[SOUTH]).await;
    Fixture {
        manager,
        north_kiosk: (north.kiosk_id, north.token),
        south_kiosk: (south.kiosk_id, south.token),
    }
}

pub fn heartbeat(state: KioskState) -> HeartbeatRequest {
    HeartbeatRequest {
        sent_at: Timestamp::now(),
        state,
        app_version: "0.1.0".to_owned(),
        health: Health {
            uptime_s: 3600,
            cpu_percent: 12.5,
            memory_used_bytes: 1 << 30,
            memory_total_bytes: 4 << 30,
            disk_free_bytes: 50 << 30,
            disk_total_bytes: 100 << 30,
        },
        outbox_len: 0,
        last_error: None,
        session: None,
        acked_commands: Vec::new(),
        content_version: None,
    }
}

pub async fn send_heartbeat(
    manager: &TestManager,
    kiosk: &(Uuid, String),
    request: &HeartbeatRequest,
) -> serde_json::Value {
    let response = manager
        .client
        .post(manager.url(&format!("/api/v1/kiosks/{}/heartbeat", kiosk.0)))
        .bearer_auth(&kiosk.1)
        .json(request)
        .send()
        .await
        .expect("heartbeat");
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("heartbeat reply")
}

/// A citizen account signed up (and so logged in) at `kiosk`; returns the
/// citizen token.
pub async fn citizen_at(manager: &TestManager, kiosk: &(Uuid, String), alias: &str) -> String {
    let login: serde_json::Value = manager
        .client
        .post(manager.url("/api/v1/citizens"))
        .bearer_auth(&kiosk.1)
        .json(&serde_json::json!({"alias": alias, "pin": "4821", "session_id": Uuid::now_v7()}))
        .send()
        .await
        .expect("sign up")
        .json()
        .await
        .expect("login");
    login["token"].as_str().expect("citizen token").to_owned()
}

/// A topic board, made in storage (boards come from seed content).
pub async fn board(manager: &TestManager) -> i64 {
    manager
        .state
        .storage
        .create_board(
            plaza_manager::storage::forums::NewBoard {
                kind: plaza_api::participation::forums::BoardKind::Topic,
                title: "Barrio".to_owned(),
                description: "Lo del barrio".to_owned(),
                language: None,
                neighbourhood: None,
                community_id: None,
                centre_id: None,
                position: 0,
            },
            "test".to_owned(),
            manager.now(),
        )
        .await
        .expect("create board")
        .id
}

/// Starts a thread as the citizen; returns (thread id, first post id).
pub async fn citizen_thread(
    manager: &TestManager,
    kiosk: &(Uuid, String),
    citizen: &str,
    board: i64,
    body: &str,
) -> (i64, i64) {
    let response = manager
        .client
        .post(manager.url(&format!("/api/v1/forums/boards/{board}/threads")))
        .bearer_auth(&kiosk.1)
        .header(plaza_api::participation::CITIZEN_TOKEN_HEADER, citizen)
        .json(&serde_json::json!({"title": "Farolas", "body": body}))
        .send()
        .await
        .expect("start thread");
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: serde_json::Value = response.json().await.expect("thread created");
    let thread = created["thread"]["id"].as_i64().expect("thread id");
    let post = created["post"]["id"].as_i64().expect("post id");
    (thread, post)
}
