//! Issue #14, point 1: staff act on citizens, communities, boards and posts
//! only at the centres they supervise (admins: all). Account-owned API
//! tokens carry the account's centres.

use plaza_api::participation::CITIZEN_TOKEN_HEADER;
use plaza_api::staff::Role;
use plaza_manager::auth::{API_TOKEN_PREFIX, hash_password, hash_secret, new_secret};
use plaza_manager::storage::audit::AuditEntry;
use plaza_manager::storage::users::NewUser;
use plaza_manager::testing::TestManager;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

const NORTE: &str = "Punto Digital Barrio Norte";
const LOMA: &str = "Centro Vecinal La Loma";

/// Two centres with a kiosk each; `norte` and `loma` supervise one each,
/// `both` supervises both, `admin` is an admin. Marta signed up (and so
/// logged in) only at La Loma.
struct Scope {
    manager: TestManager,
    norte: String,
    loma: String,
    both: String,
    admin: String,
    norte_id: i64,
    loma_id: i64,
    loma_kiosk: String,
    marta: String,
}

impl Scope {
    async fn start() -> Self {
        let manager = TestManager::start().await;
        let norte_id = manager.add_centre(NORTE, &["Barrio Norte"]).await.id;
        let loma_id = manager.add_centre(LOMA, &["La Loma"]).await.id;
        manager.enrol_kiosk(NORTE, "norte-01").await;
        let loma_kiosk = manager.enrol_kiosk(LOMA, "loma-01").await.token;
        let mut tokens = Vec::new();
        for (name, role, centres) in [
            ("norte", Role::Supervisor, vec![NORTE]),
            ("loma", Role::Supervisor, vec![LOMA]),
            ("both", Role::Supervisor, vec![NORTE, LOMA]),
            ("admin", Role::Admin, vec![]),
        ] {
            manager
                .state
                .storage
                .add_user(
                    NewUser {
                        name: name.to_owned(),
                        role,
                        password_hash: hash_password("a long enough password").expect("hash"),
                        centres: centres.into_iter().map(str::to_owned).collect(),
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
            tokens.push(token);
        }
        let signed_up: Value = manager
            .client
            .post(manager.url("/api/v1/citizens"))
            .bearer_auth(&loma_kiosk)
            .json(&json!({"alias": "Marta_LaLoma", "pin": "4821", "session_id": Uuid::now_v7()}))
            .send()
            .await
            .expect("sign up")
            .json()
            .await
            .expect("login");
        let marta = signed_up["token"]
            .as_str()
            .expect("citizen token")
            .to_owned();
        let [norte, loma, both, admin] = tokens.try_into().expect("four tokens");
        Self {
            manager,
            norte,
            loma,
            both,
            admin,
            norte_id,
            loma_id,
            loma_kiosk,
            marta,
        }
    }

    async fn call(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self
            .manager
            .client
            .request(method, self.manager.url(&format!("/api/v1{path}")))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request");
        let status = response.status();
        let text = response.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// As Marta, logged in at La Loma's kiosk.
    async fn as_marta(&self, method: Method, path: &str, body: Value) -> (StatusCode, Value) {
        let response = self
            .manager
            .client
            .request(method, self.manager.url(&format!("/api/v1{path}")))
            .bearer_auth(&self.loma_kiosk)
            .header(CITIZEN_TOKEN_HEADER, &self.marta)
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn audit(&self, action: &str) -> Vec<AuditEntry> {
        self.manager
            .state
            .storage
            .audit_entries(1000)
            .await
            .expect("audit")
            .into_iter()
            .filter(|entry| entry.action == action)
            .collect()
    }

    async fn log_in_marta(&self, pin: &str) -> StatusCode {
        self.manager
            .client
            .post(self.manager.url("/api/v1/citizens/login"))
            .bearer_auth(&self.loma_kiosk)
            .json(&json!({"alias": "Marta_LaLoma", "pin": pin, "session_id": Uuid::now_v7()}))
            .send()
            .await
            .expect("login")
            .status()
    }
}

fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or("")
}

#[tokio::test]
async fn a_supervisor_cannot_reset_the_pin_of_a_citizen_of_another_centre() {
    let scope = Scope::start().await;
    let path = "/citizens/Marta_LaLoma/pin-reset";

    let (status, body) = scope.call(&scope.norte, Method::POST, path, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(code(&body), "forbidden");
    assert!(body.get("temporary_pin").is_none());
    assert_eq!(
        scope.log_in_marta("4821").await,
        StatusCode::OK,
        "her PIN is unchanged"
    );
    assert!(scope.audit("citizen.pin_reset").await.is_empty());

    let (status, _) = scope
        .call(
            &scope.norte,
            Method::POST,
            "/citizens/Nadie/pin-reset",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    for token in [&scope.loma, &scope.both, &scope.admin] {
        let (status, body) = scope.call(token, Method::POST, path, None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body["temporary_pin"].is_string());
    }
    assert_eq!(
        scope.log_in_marta("4821").await,
        StatusCode::UNAUTHORIZED,
        "reset"
    );
    let audited = scope.audit("citizen.pin_reset").await;
    assert_eq!(audited.len(), 3);
    assert!(audited.iter().any(|entry| entry.actor == "loma"));
}

#[tokio::test]
async fn communities_are_created_and_managed_only_by_their_centres_staff() {
    let scope = Scope::start().await;
    let community = |name: &str, centre_id: Option<i64>| {
        let mut body = json!({
            "name": name,
            "description": "Huerta comunitaria",
            "neighbourhood": "La Loma",
            "category": "environment",
            "requires_approval": true,
        });
        if let Some(centre_id) = centre_id {
            body["centre_id"] = json!(centre_id);
        }
        body
    };

    let (status, body) = scope
        .call(
            &scope.norte,
            Method::POST,
            "/communities",
            Some(community("Huerta", Some(scope.loma_id))),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = scope
        .call(
            &scope.both,
            Method::POST,
            "/communities",
            Some(community("Huerta", None)),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "which centre: {body}"
    );
    let (status, body) = scope
        .call(
            &scope.admin,
            Method::POST,
            "/communities",
            Some(community("Huerta", Some(9999))),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no such centre: {body}"
    );
    assert!(scope.audit("community.created").await.is_empty());

    let (status, created) = scope
        .call(
            &scope.loma,
            Method::POST,
            "/communities",
            Some(community("Huerta La Loma", None)),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().expect("id");
    let audited = scope.audit("community.created").await;
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0].actor, "loma");
    assert_eq!(
        audited[0].target.as_deref(),
        Some(format!("community:{id}").as_str())
    );
    assert_eq!(
        audited[0].detail.as_deref(),
        Some(format!("centre:{}", scope.loma_id).as_str())
    );

    // Marta asks to join; only La Loma's staff see and decide the request.
    let (status, _) = scope
        .as_marta(
            Method::POST,
            &format!("/communities/{id}/membership"),
            json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let requests = format!("/communities/{id}/requests");
    let decide = format!("/communities/{id}/requests/Marta_LaLoma");
    assert_eq!(
        scope
            .call(&scope.norte, Method::GET, &requests, None)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        scope
            .call(&scope.norte, Method::POST, &decide, None)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        scope
            .call(&scope.norte, Method::DELETE, &decide, None)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (status, listed) = scope.call(&scope.loma, Method::GET, &requests, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        listed["requests"].as_array().map(Vec::len),
        Some(1),
        "still pending"
    );
    assert_eq!(
        scope.call(&scope.loma, Method::POST, &decide, None).await.0,
        StatusCode::NO_CONTENT
    );

    // Coordinators.
    let coordinator = format!("/communities/{id}/coordinators/Marta_LaLoma");
    assert_eq!(
        scope
            .call(&scope.norte, Method::PUT, &coordinator, None)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        scope
            .call(&scope.norte, Method::DELETE, &coordinator, None)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert!(
        scope
            .audit("community.coordinator_granted")
            .await
            .is_empty()
    );
    assert_eq!(
        scope
            .call(&scope.loma, Method::PUT, &coordinator, None)
            .await
            .0,
        StatusCode::NO_CONTENT
    );

    // Announcements and events.
    let announcement = json!({"title": "Reunión del sábado", "body": "Traigan semillas"});
    let tomorrow = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24);
    let event = json!({"title": "Siembra de otoño", "place": "La huerta", "starts_at": tomorrow});
    let announcements = format!("/communities/{id}/announcements");
    let events = format!("/communities/{id}/events");
    assert_eq!(
        scope
            .call(
                &scope.norte,
                Method::POST,
                &announcements,
                Some(announcement.clone())
            )
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        scope
            .call(&scope.norte, Method::POST, &events, Some(event.clone()))
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (status, _) = scope
        .call(
            &scope.loma,
            Method::POST,
            &announcements,
            Some(announcement),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = scope
        .call(&scope.loma, Method::POST, &events, Some(event))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, detail) = scope
        .call(
            &scope.norte,
            Method::GET,
            &format!("/communities/{id}"),
            None,
        )
        .await;
    assert_eq!(detail["announcements"].as_array().map(Vec::len), Some(1));
    assert_eq!(detail["events"].as_array().map(Vec::len), Some(1));

    // Another centre's staff manage their own community.
    let (status, own) = scope
        .call(
            &scope.norte,
            Method::POST,
            "/communities",
            Some(community("Vecinos del Norte", None)),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{own}");
    let own = own["id"].as_i64().expect("id");
    let (status, _) = scope
        .call(
            &scope.norte,
            Method::PUT,
            &format!("/communities/{own}/coordinators/Marta_LaLoma"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        scope
            .call(
                &scope.loma,
                Method::PUT,
                &format!("/communities/{own}/coordinators/Marta_LaLoma"),
                None
            )
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        scope.audit("community.created").await[0].detail.as_deref(),
        Some(format!("centre:{}", scope.norte_id).as_str())
    );
}

#[tokio::test]
async fn a_coordinators_announcement_or_event_with_a_filtered_word_is_refused() {
    let scope = Scope::start().await;
    let (_, created) = scope
        .call(
            &scope.loma,
            Method::POST,
            "/communities",
            Some(json!({"name": "Club de mayores", "description": "Mates", "category": "other"})),
        )
        .await;
    let id = created["id"].as_i64().expect("id");
    let coordinator = format!("/communities/{id}/coordinators/Marta_LaLoma");
    assert_eq!(
        scope
            .call(&scope.loma, Method::PUT, &coordinator, None)
            .await
            .0,
        StatusCode::NO_CONTENT
    );

    let announcements = format!("/communities/{id}/announcements");
    let (status, body) = scope
        .as_marta(
            Method::POST,
            &announcements,
            json!({"title": "Qué M1ERDA de plaza", "body": "Vengan igual"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(code(&body), "words_not_allowed");
    let tomorrow = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24);
    let (status, body) = scope
        .as_marta(
            Method::POST,
            &format!("/communities/{id}/events"),
            json!({"title": "Mateada", "description": "una mierda de tarde no", "place": "Plaza", "starts_at": tomorrow}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(code(&body), "words_not_allowed");
    let (_, detail) = scope
        .call(
            &scope.loma,
            Method::GET,
            &format!("/communities/{id}"),
            None,
        )
        .await;
    assert_eq!(detail["announcements"], json!([]), "nothing was published");
    assert_eq!(detail["events"], json!([]));

    let (status, body) = scope
        .as_marta(
            Method::POST,
            &announcements,
            json!({"title": "Mateada del jueves", "body": "Traigan bizcochos"}),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "a clean one goes through: {body}"
    );
}

#[tokio::test]
async fn moderators_of_the_centre_remove_an_announcement_and_an_event() {
    let scope = Scope::start().await;
    let (_, created) = scope
        .call(
            &scope.loma,
            Method::POST,
            "/communities",
            Some(json!({"name": "Club de mayores", "description": "Mates", "category": "other"})),
        )
        .await;
    let id = created["id"].as_i64().expect("id");
    let coordinator = format!("/communities/{id}/coordinators/Marta_LaLoma");
    assert_eq!(
        scope
            .call(&scope.loma, Method::PUT, &coordinator, None)
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    let (status, announcement) = scope
        .as_marta(
            Method::POST,
            &format!("/communities/{id}/announcements"),
            json!({"title": "Vendo rifas truchas", "body": "Llamen al 555-0100"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let tomorrow = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24);
    let (status, event) = scope
        .as_marta(
            Method::POST,
            &format!("/communities/{id}/events"),
            json!({"title": "Venta de rifas", "place": "Mi casa", "starts_at": tomorrow}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let announcement = format!("/communities/{id}/announcements/{}", announcement["id"]);
    let event = format!("/communities/{id}/events/{}", event["id"]);

    for path in [&announcement, &event] {
        let (status, body) = scope.call(&scope.norte, Method::DELETE, path, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body}");
    }
    let (_, detail) = scope
        .call(
            &scope.loma,
            Method::GET,
            &format!("/communities/{id}"),
            None,
        )
        .await;
    assert_eq!(
        detail["announcements"].as_array().map(Vec::len),
        Some(1),
        "still there"
    );
    for path in [&announcement, &event] {
        let (status, body) = scope.call(&scope.loma, Method::DELETE, path, None).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{path}: {body}");
        let (status, _) = scope.call(&scope.loma, Method::DELETE, path, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path} is gone");
    }
    let (_, detail) = scope
        .call(
            &scope.loma,
            Method::GET,
            &format!("/communities/{id}"),
            None,
        )
        .await;
    assert_eq!(detail["announcements"], json!([]));
    assert_eq!(detail["events"], json!([]));
    let removed = scope.audit("community.announcement_removed").await;
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].actor, "loma");
    assert!(
        removed[0]
            .detail
            .as_deref()
            .is_some_and(|detail| detail.contains("Vendo rifas truchas"))
    );
    assert_eq!(scope.audit("community.event_removed").await.len(), 1);
}

#[tokio::test]
async fn boards_and_official_posts_are_held_to_the_boards_centre() {
    let scope = Scope::start().await;
    let board = |title: &str| json!({"kind": "topic", "title": title});
    let (status, _) = scope
        .call(
            &scope.norte,
            Method::POST,
            "/forums/boards",
            Some(json!({"kind": "topic", "title": "Empleo", "centre_id": scope.loma_id})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(scope.audit("board.created").await.is_empty());
    let (status, loma_board) = scope
        .call(
            &scope.loma,
            Method::POST,
            "/forums/boards",
            Some(board("Empleo en La Loma")),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{loma_board}");
    let (status, network_board) = scope
        .call(
            &scope.admin,
            Method::POST,
            "/forums/boards",
            Some(board("Toda la red")),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{network_board}");
    let audited = scope.audit("board.created").await;
    assert_eq!(audited.len(), 2);
    assert_eq!(audited[1].actor, "loma", "newest first");
    assert_eq!(
        audited[1].detail.as_deref(),
        Some(format!("centre:{}", scope.loma_id).as_str())
    );
    assert_eq!(audited[0].detail.as_deref(), Some("network"));

    let thread = json!({"title": "Feria de empleo", "body": "El martes en el club"});
    let threads = |board: &Value| format!("/forums/boards/{}/threads", board["id"]);
    let (status, _) = scope
        .call(
            &scope.norte,
            Method::POST,
            &threads(&loma_board),
            Some(thread.clone()),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "official post on another centre's board"
    );
    let (status, _) = scope
        .call(
            &scope.loma,
            Method::POST,
            &threads(&network_board),
            Some(thread.clone()),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a network board is the admins'"
    );
    let (status, created) = scope
        .call(
            &scope.loma,
            Method::POST,
            &threads(&loma_board),
            Some(thread.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, _) = scope
        .call(
            &scope.admin,
            Method::POST,
            &threads(&network_board),
            Some(thread),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);

    let reply = format!("/forums/threads/{}/posts", created["thread"]["id"]);
    let body = json!({"body": "Se suspende por lluvia"});
    let (status, _) = scope
        .call(&scope.norte, Method::POST, &reply, Some(body.clone()))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = scope
        .call(&scope.loma, Method::POST, &reply, Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, view) = scope
        .call(
            &scope.loma,
            Method::GET,
            &format!("/forums/threads/{}", created["thread"]["id"]),
            None,
        )
        .await;
    assert_eq!(
        view["posts"].as_array().map(Vec::len),
        Some(2),
        "norte's reply was not written"
    );
}

#[tokio::test]
async fn a_supervisor_erases_only_accounts_that_used_their_centres() {
    let scope = Scope::start().await;
    let path = "/citizens/Marta_LaLoma/erasure";
    let body = json!({"posts": "anonymise"});

    let (status, reply) = scope
        .call(&scope.norte, Method::POST, path, Some(body.clone()))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{reply}");
    assert_eq!(
        scope.log_in_marta("4821").await,
        StatusCode::OK,
        "still there"
    );
    assert!(scope.audit("citizen.erased").await.is_empty());

    let (status, reply) = scope
        .call(&scope.loma, Method::POST, path, Some(body))
        .await;
    assert_eq!(status, StatusCode::OK, "{reply}");
    assert_eq!(scope.log_in_marta("4821").await, StatusCode::UNAUTHORIZED);
    let audited = scope.audit("citizen.erased").await;
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0].actor, "loma");
}
