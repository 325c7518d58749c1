//! Hostile input against citizen accounts and forums: forged and foreign
//! citizen tokens, malformed aliases and PINs, markup and SQL in posts, and
//! PIN guessing, which locks the account.

use plaza_api::participation::CITIZEN_TOKEN_HEADER;
use plaza_api::participation::forums::BoardKind;
use plaza_manager::storage::forums::NewBoard;
use plaza_manager::testing::TestManager;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::case::{Body, Case, run_all};

const CENTRE: &str = "Biblioteca Popular";
const PIN: &str = "2468";
const SCRIPT: &str = "<script>alert('vecinos')</script><img src=x onerror=alert(1)>";
const SQL: &str = "'); DELETE FROM posts; --";

struct Citizen {
    kiosk_token: String,
    token: String,
}

async fn sign_up(manager: &TestManager, kiosk_token: &str, alias: &str) -> Citizen {
    let response = manager
        .client
        .post(manager.url("/api/v1/citizens"))
        .bearer_auth(kiosk_token)
        .json(&json!({"alias": alias, "pin": PIN, "session_id": Uuid::now_v7()}))
        .send()
        .await
        .expect("sign up");
    assert!(response.status().is_success(), "sign up {alias}");
    let login: Value = response.json().await.expect("login");
    Citizen {
        kiosk_token: kiosk_token.to_owned(),
        token: login["token"].as_str().expect("token").to_owned(),
    }
}

fn as_citizen(case: Case, citizen: &Citizen) -> Case {
    case.bearer(&citizen.kiosk_token)
        .header(CITIZEN_TOKEN_HEADER, &citizen.token)
}

async fn board(manager: &TestManager) -> i64 {
    manager
        .state
        .storage
        .create_board(
            NewBoard {
                kind: BoardKind::Topic,
                title: "Vecinos".to_owned(),
                description: "Charlas del barrio".to_owned(),
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
        .expect("board")
        .id
}

#[tokio::test]
async fn hostile_citizens_get_documented_errors() {
    let manager = TestManager::start().await;
    manager.add_centre(CENTRE, &["Centro"]).await;
    let kiosk = manager.enrol_kiosk(CENTRE, "pc-01").await;
    let other_kiosk = manager.enrol_kiosk(CENTRE, "pc-02").await;
    let citizen = sign_up(&manager, &kiosk.token, "vecina_ana").await;
    let board = board(&manager).await;
    let threads = format!("/api/v1/forums/boards/{board}/threads");
    let sign = |name, body: Value| {
        Case::post(name, "/api/v1/citizens", Body::Json(body)).bearer(&kiosk.token)
    };
    let session = Uuid::now_v7();

    let cases = vec![
        sign(
            "alias with markup",
            json!({"alias": "<b>ana</b>", "pin": PIN, "session_id": session}),
        )
        .expect(422, None),
        sign(
            "alias of 10,000 characters",
            json!({"alias": "a".repeat(10_000), "pin": PIN, "session_id": session}),
        )
        .expect(422, None),
        sign(
            "alias with SQL",
            json!({"alias": "x'; DROP TABLE citizens; --", "pin": PIN, "session_id": session}),
        )
        .expect(422, None),
        sign(
            "PIN with letters",
            json!({"alias": "pedro", "pin": "12ab", "session_id": session}),
        )
        .expect(422, None),
        sign(
            "PIN of 100 digits",
            json!({"alias": "pedro", "pin": "1".repeat(100), "session_id": session}),
        )
        .expect(422, None),
        sign(
            "PIN as a number",
            json!({"alias": "pedro", "pin": 2468, "session_id": session}),
        )
        .expect(422, None),
        sign(
            "alias already taken, other case",
            json!({"alias": "VECINA_ANA", "pin": PIN, "session_id": session}),
        )
        .expect(409, None),
        Case::post(
            "sign up without a kiosk",
            "/api/v1/citizens",
            Body::Json(json!({"alias": "pedro", "pin": PIN, "session_id": session})),
        )
        .expect(401, None),
        Case::get("forged citizen token", "/api/v1/citizens/me")
            .bearer(&kiosk.token)
            .header(CITIZEN_TOKEN_HEADER, &format!("pzc_{}", "A".repeat(43)))
            .expect(401, None),
        Case::get("citizen token at another kiosk", "/api/v1/citizens/me")
            .bearer(&other_kiosk.token)
            .header(CITIZEN_TOKEN_HEADER, &citizen.token)
            .expect(403, Some("forbidden")),
        Case::get("citizen token without the kiosk's", "/api/v1/citizens/me")
            .header(CITIZEN_TOKEN_HEADER, &citizen.token)
            .expect(401, None),
        as_citizen(
            Case::post(
                "thread title of 100 KB",
                threads.clone(),
                Body::Json(json!({"title": "t".repeat(100_000), "body": "hola"})),
            ),
            &citizen,
        )
        .expect(422, None),
        as_citizen(
            Case::post(
                "empty post",
                threads.clone(),
                Body::Json(json!({"title": "Hola", "body": "   "})),
            ),
            &citizen,
        )
        .expect(422, None),
        as_citizen(
            Case::post(
                "thread in a board that does not exist",
                "/api/v1/forums/boards/999999/threads",
                Body::Json(json!({"title": "Hola", "body": "hola"})),
            ),
            &citizen,
        )
        .expect(404, None),
        as_citizen(
            Case::post(
                "path traversal as board id",
                "/api/v1/forums/boards/..%2F..%2Fetc/threads",
                Body::Json(json!({"title": "Hola", "body": "hola"})),
            ),
            &citizen,
        )
        .expect(400, None),
        Case::get("SQL as thread id", "/api/v1/forums/threads/1%20OR%201=1")
            .bearer(&kiosk.token)
            .expect(400, None),
        Case::get("moderation queue as a kiosk", "/api/v1/moderation/queue")
            .bearer(&kiosk.token)
            .expect(401, None),
    ];
    let failures = run_all(&manager.client, &manager.url, &cases).await;
    assert!(
        failures.is_empty(),
        "{} of {} hostile requests got the wrong answer:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );

    // Markup and SQL in a post are plain text: stored and returned verbatim.
    let created = manager
        .client
        .post(manager.url(&threads))
        .bearer_auth(&citizen.kiosk_token)
        .header(CITIZEN_TOKEN_HEADER, &citizen.token)
        .json(&json!({"title": SQL, "body": SCRIPT}))
        .send()
        .await
        .expect("thread");
    assert_eq!(created.status(), 201, "plain text is accepted");
    let created: Value = created.json().await.expect("created");
    assert_eq!(created["post"]["body"], SCRIPT);
    assert_eq!(created["thread"]["title"], SQL);
    manager.stop().await;
}

#[tokio::test]
async fn guessing_a_pin_locks_the_account_even_for_the_right_pin() {
    let manager = TestManager::start().await;
    manager.add_centre(CENTRE, &["Centro"]).await;
    let kiosk = manager.enrol_kiosk(CENTRE, "pc-01").await;
    sign_up(&manager, &kiosk.token, "don_jose").await;
    let log_in = |pin: String| {
        manager
            .client
            .post(manager.url("/api/v1/citizens/login"))
            .bearer_auth(&kiosk.token)
            .json(&json!({"alias": "don_jose", "pin": pin, "session_id": Uuid::now_v7()}))
            .send()
    };
    let mut statuses = Vec::new();
    for guess in 0..8 {
        let response = log_in(format!("{:04}", 1000 + guess)).await.expect("guess");
        statuses.push(response.status().as_u16());
    }
    assert_eq!(&statuses[..4], &[401, 401, 401, 401], "{statuses:?}");
    assert!(
        statuses[4..]
            .iter()
            .all(|status| *status != 200 && *status != 401),
        "locked: {statuses:?}"
    );
    let right = log_in(PIN.to_owned()).await.expect("right PIN");
    let status = right.status().as_u16();
    let body: Value = right.json().await.expect("error body");
    assert_ne!(status, 200, "the right PIN does not open a locked account");
    assert_eq!(body["error"]["code"], "account_locked", "{body}");
    manager.stop().await;
}
