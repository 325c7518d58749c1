//! Hostile input against enrolment, heartbeats, events and the kiosk list:
//! every case gets its documented status and a JSON error, and afterwards
//! the database holds nothing it should not.

use plaza_api::heartbeat::{Health, HeartbeatRequest, KioskState};
use plaza_api::staff::Role;
use plaza_manager::testing::TestManager;
use reqwest::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::case::{Body, Case, raw, run_all};

const CENTRE: &str = "Biblioteca Sur";
const SQL_HOSTNAME: &str = "pc'); DROP TABLE kiosks; --";
const SCRIPT_HOSTNAME: &str = "<script>alert('pc')</script>";

fn heartbeat() -> Value {
    serde_json::to_value(HeartbeatRequest {
        sent_at: jiff::Timestamp::now(),
        state: KioskState::Idle,
        app_version: "0.1.0".to_owned(),
        health: Health {
            uptime_s: 60,
            cpu_percent: 5.0,
            memory_used_bytes: 1 << 30,
            memory_total_bytes: 2 << 30,
            disk_free_bytes: 10 << 30,
            disk_total_bytes: 20 << 30,
        },
        outbox_len: 0,
        last_error: None,
        session: None,
        acked_commands: Vec::new(),
        content_version: None,
    })
    .expect("heartbeat json")
}

/// `value` with the field at `pointer` set (added if missing).
fn with(mut value: Value, pointer: &str, replacement: Value) -> Value {
    let (parent, key) = pointer.rsplit_once('/').expect("a JSON pointer");
    let object = value
        .pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .expect("the parent is an object");
    object.insert(key.to_owned(), replacement);
    value
}

fn event(kind: &str, data: Value) -> Value {
    json!({
        "id": Uuid::now_v7(),
        "kind": kind,
        "at": jiff::Timestamp::now(),
        "session_id": Uuid::now_v7(),
        "data": data,
    })
}

/// Events that must each be refused inside an otherwise accepted batch.
fn hostile_events() -> Vec<Value> {
    vec![
        event("session_started", json!({"allotment_s": "1800"})),
        event("teleport", json!({})),
        event(
            "section_opened",
            json!({"section": "'; DROP TABLE events; --"}),
        ),
        event(
            "procedure_viewed",
            json!({"procedure_id": "<script>alert(1)</script>"}),
        ),
        event(
            "procedure_viewed",
            json!({"procedure_id": "../../etc/passwd"}),
        ),
        event("tender_viewed", json!({"tender_id": "x".repeat(5000)})),
        event("session_ended", json!({"reason": "lost"})),
        event(
            "search_made",
            json!({"section": "procedures", "results": -1}),
        ),
        json!({"id": "not-a-uuid", "kind": "section_opened", "at": "2026-11-25T10:00:00Z",
               "session_id": Uuid::now_v7(), "data": {"section": "help"}}),
        json!({"id": Uuid::now_v7(), "kind": "section_opened", "at": "yesterday",
               "session_id": Uuid::now_v7(), "data": {"section": "help"}}),
        json!(null),
        json!([1, 2, 3]),
        json!("section_opened"),
    ]
}

fn cases(kiosk: Uuid, token: &str, other_token: &str, revoked_token: &str) -> Vec<Case> {
    let heartbeat_path = format!("/api/v1/kiosks/{kiosk}/heartbeat");
    let beat = |name, body| Case::post(name, heartbeat_path.clone(), body).bearer(token);
    let events = |name, body| Case::post(name, "/api/v1/events", body).bearer(token);
    let enrol = |name, body| Case::post(name, "/api/v1/kiosks/enroll", Body::Json(body));
    let oversized = format!("{{\"hostname\": \"{}\"}}", "a".repeat(3 << 20));
    vec![
        // Bodies that are not what they claim to be.
        beat("oversized body", raw("application/json", oversized))
            .expect(413, Some("payload_too_large")),
        events(
            "deeply nested JSON",
            raw(
                "application/json",
                format!("{{\"events\": [{}", "[".repeat(100_000)),
            ),
        )
        .expect(400, Some("malformed_json")),
        beat(
            "invalid UTF-8",
            raw("application/json", vec![b'{', 0xff, 0xfe, b'}']),
        )
        .expect(400, Some("malformed_json")),
        beat(
            "truncated JSON",
            raw("application/json", "{\"state\": \"idle\""),
        )
        .expect(400, Some("malformed_json")),
        beat(
            "no content type",
            Body::Raw {
                content_type: None,
                bytes: heartbeat().to_string().into(),
            },
        )
        .expect(415, None),
        beat("HTML content type", raw("text/html", "<html></html>")).expect(415, None),
        beat("empty body", raw("application/json", "")).expect(400, None),
        beat(
            "JSON array instead of object",
            Body::Json(json!([heartbeat()])),
        )
        .expect(422, None),
        // Well-formed JSON with wrong content.
        beat(
            "wrong type for state",
            Body::Json(with(heartbeat(), "/state", json!(42))),
        )
        .expect(422, Some("invalid")),
        beat(
            "unknown state",
            Body::Json(with(heartbeat(), "/state", json!("dancing"))),
        )
        .expect(422, Some("invalid")),
        beat(
            "negative uptime",
            Body::Json(with(heartbeat(), "/health/uptime_s", json!(-1))),
        )
        .expect(422, Some("invalid")),
        beat(
            "huge number",
            Body::Json(with(heartbeat(), "/health/uptime_s", json!(1e300))),
        )
        .expect(422, Some("invalid")),
        beat(
            "counter beyond SQLite's integers",
            Body::Json(with(
                heartbeat(),
                "/health/disk_total_bytes",
                json!(u64::MAX),
            )),
        )
        .expect(422, Some("invalid")),
        beat(
            "cpu over 100 %",
            Body::Json(with(heartbeat(), "/health/cpu_percent", json!(250.0))),
        )
        .expect(422, Some("invalid")),
        beat(
            "free disk over total",
            Body::Json(with(
                heartbeat(),
                "/health/disk_free_bytes",
                json!(1_u64 << 50),
            )),
        )
        .expect(422, Some("invalid")),
        beat(
            "app_version too long",
            Body::Json(with(heartbeat(), "/app_version", json!("v".repeat(10_000)))),
        )
        .expect(422, Some("invalid")),
        beat(
            "unknown field",
            Body::Json(with(heartbeat(), "/admin", json!(true))),
        )
        .expect(422, Some("invalid")),
        beat(
            "duplicate key",
            raw(
                "application/json",
                "{\"state\":\"idle\",\"state\":\"locked\"}",
            ),
        )
        .expect(422, Some("invalid")),
        beat(
            "SQL in a timestamp",
            Body::Json(with(
                heartbeat(),
                "/sent_at",
                json!("2026-11-25'; DROP TABLE kiosks; --"),
            )),
        )
        .expect(422, Some("invalid")),
        beat(
            "10,000 acknowledged commands",
            Body::Json(with(
                heartbeat(),
                "/acked_commands",
                json!(vec![Uuid::nil(); 10_000]),
            )),
        )
        .expect(422, Some("invalid")),
        // Paths and ids.
        Case::post(
            "path traversal as kiosk id",
            "/api/v1/kiosks/..%2F..%2Fetc%2Fpasswd/heartbeat",
            Body::Json(heartbeat()),
        )
        .bearer(token)
        .expect(400, None),
        Case::post(
            "SQL as kiosk id",
            "/api/v1/kiosks/'%20OR%201=1%20--/heartbeat",
            Body::Json(heartbeat()),
        )
        .bearer(token)
        .expect(400, None),
        Case::get(
            "SQL in a query string",
            "/api/v1/kiosks?centre=%27%20OR%201%3D1%20--",
        )
        .expect(401, None),
        Case::post(
            "another kiosk's id",
            format!("/api/v1/kiosks/{}/heartbeat", Uuid::now_v7()),
            Body::Json(heartbeat()),
        )
        .bearer(token)
        .expect(403, Some("forbidden")),
        Case::post("wrong method", "/api/v1/events", Body::None)
            .method(Method::DELETE)
            .expect(405, None),
        Case::get("unknown route", "/api/v1/../../etc/passwd").expect(404, None),
        // Credentials.
        Case::post("no token", heartbeat_path.clone(), Body::Json(heartbeat()))
            .expect(401, Some("unauthenticated")),
        Case::post(
            "forged token",
            heartbeat_path.clone(),
            Body::Json(heartbeat()),
        )
        .bearer(&format!("pzk_{}", "A".repeat(43)))
        .expect(401, Some("unauthenticated")),
        Case::post(
            "SQL as token",
            heartbeat_path.clone(),
            Body::Json(heartbeat()),
        )
        .bearer("' OR '1'='1")
        .expect(401, Some("unauthenticated")),
        Case::post(
            "8 KB token",
            heartbeat_path.clone(),
            Body::Json(heartbeat()),
        )
        .bearer(&"z".repeat(8 << 10))
        .expect(401, Some("unauthenticated")),
        Case::post(
            "basic auth",
            heartbeat_path.clone(),
            Body::Json(heartbeat()),
        )
        .authorization("Basic YWRtaW46YWRtaW4=")
        .expect(401, Some("unauthenticated")),
        Case::post(
            "empty bearer",
            heartbeat_path.clone(),
            Body::Json(heartbeat()),
        )
        .authorization("Bearer ")
        .expect(401, Some("unauthenticated")),
        Case::post(
            "revoked kiosk's token",
            heartbeat_path.clone(),
            Body::Json(heartbeat()),
        )
        .bearer(revoked_token)
        .expect(401, Some("unauthenticated")),
        Case::post(
            "other kiosk's token",
            heartbeat_path.clone(),
            Body::Json(heartbeat()),
        )
        .bearer(other_token)
        .expect(403, Some("forbidden")),
        Case::get("kiosk token on a staff route", "/api/v1/kiosks")
            .bearer(token)
            .expect(401, Some("unauthenticated")),
        // Events.
        events(
            "10,000 events in one batch",
            Body::Json(json!({"events": vec![json!({}); 10_000]})),
        )
        .expect(413, Some("batch_too_large")),
        events(
            "events is not a list",
            Body::Json(json!({"events": "all of them"})),
        )
        .expect(422, Some("invalid")),
        // Enrolment.
        enrol(
            "malformed code",
            json!({"code": "'; DROP TABLE kiosks; --", "hostname": "pc"}),
        )
        .expect(422, Some("invalid")),
        enrol(
            "unknown code",
            json!({"code": "2345-6789-ABCD", "hostname": "pc"}),
        )
        .expect(401, Some("enrolment_code_unknown")),
        enrol(
            "hostname with a NUL",
            json!({"code": "2345-6789-ABCD", "hostname": "pc\u{0}01"}),
        )
        .expect(422, Some("invalid")),
        enrol(
            "hostname with a newline",
            json!({"code": "2345-6789-ABCD", "hostname": "pc\n01"}),
        )
        .expect(422, Some("invalid")),
        enrol(
            "hostname of 100 KB",
            json!({"code": "2345-6789-ABCD", "hostname": "p".repeat(100_000)}),
        )
        .expect(422, Some("invalid")),
        enrol("code is a number", json!({"code": 2345, "hostname": "pc"}))
            .expect(422, Some("invalid")),
    ]
}

fn count(manager: &TestManager, sql: &str) -> i64 {
    let connection = rusqlite::Connection::open_with_flags(
        manager.state.settings.database_path(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("open database read-only");
    connection
        .query_row(sql, [], |row| row.get(0))
        .expect("count query")
}

#[tokio::test]
async fn every_hostile_request_gets_its_documented_error_and_stores_nothing() {
    let manager = TestManager::start().await;
    manager.add_centre(CENTRE, &["Centro"]).await;
    let kiosk = manager.enrol_kiosk(CENTRE, "pc-01").await;
    let other = manager.enrol_kiosk(CENTRE, "pc-02").await;
    let revoked = manager.enrol_kiosk(CENTRE, "pc-03").await;
    manager
        .state
        .storage
        .revoke_kiosk(revoked.kiosk_id, manager.now())
        .await
        .expect("revoke");

    let cases = cases(kiosk.kiosk_id, &kiosk.token, &other.token, &revoked.token);
    let failures = run_all(&manager.client, &manager.url, &cases).await;
    assert!(
        failures.is_empty(),
        "{} of {} hostile requests got the wrong answer:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );

    // A batch of hostile events: each refused with a reason, none stored.
    let hostile = hostile_events();
    let response = manager
        .client
        .post(manager.url("/api/v1/events"))
        .bearer_auth(&kiosk.token)
        .json(&json!({ "events": hostile }))
        .send()
        .await
        .expect("events request");
    assert_eq!(response.status(), 200);
    let reply: Value = response.json().await.expect("events reply");
    assert_eq!(reply["accepted"], json!([]), "{reply}");
    let rejected = reply["rejected"].as_array().expect("rejected list");
    assert_eq!(rejected.len(), hostile.len(), "{reply}");
    assert!(
        rejected.iter().all(|rejection| rejection["reason"]
            .as_str()
            .is_some_and(|reason| !reason.is_empty())),
        "every refusal has a reason: {reply}"
    );

    assert_eq!(count(&manager, "SELECT count(*) FROM events"), 0);
    assert_eq!(count(&manager, "SELECT count(*) FROM kiosks"), 3);
    assert_eq!(
        count(&manager, "SELECT count(*) FROM kiosk_status"),
        0,
        "no hostile heartbeat was recorded"
    );
    manager.stop().await;
}

#[tokio::test]
async fn markup_and_sql_in_names_are_stored_and_returned_verbatim() {
    let manager = TestManager::start().await;
    manager.add_centre(CENTRE, &["Centro"]).await;
    let sql = manager.enrol_kiosk(CENTRE, SQL_HOSTNAME).await;
    let script = manager.enrol_kiosk(CENTRE, SCRIPT_HOSTNAME).await;
    let admin = manager.staff_token(Role::Admin).await;

    for (kiosk_id, hostname) in [
        (sql.kiosk_id, SQL_HOSTNAME),
        (script.kiosk_id, SCRIPT_HOSTNAME),
    ] {
        let response = manager
            .client
            .get(manager.url(&format!("/api/v1/kiosks/{kiosk_id}")))
            .bearer_auth(&admin)
            .send()
            .await
            .expect("kiosk request");
        assert_eq!(response.status(), 200);
        assert!(
            response
                .headers()
                .get("content-type")
                .and_then(|value| value.to_str().ok())
                .is_some_and(|value| value.starts_with("application/json")),
            "never served as HTML"
        );
        let detail: Value = response.json().await.expect("kiosk json");
        assert_eq!(detail["kiosk"]["hostname"], hostname, "{detail}");
    }
    assert_eq!(
        count(&manager, "SELECT count(*) FROM kiosks"),
        2,
        "the table survived"
    );
    manager.stop().await;
}

#[tokio::test]
async fn a_replayed_enrolment_code_is_refused_and_enrols_nothing() {
    let manager = TestManager::start().await;
    manager.add_centre(CENTRE, &["Centro"]).await;
    let code = manager.enrolment_code(CENTRE).await;
    let enrol = || {
        manager
            .client
            .post(manager.url("/api/v1/kiosks/enroll"))
            .json(&json!({"code": code, "hostname": "pc-01"}))
            .send()
    };
    assert_eq!(enrol().await.expect("first").status(), 201);
    for _ in 0..3 {
        let replay = enrol().await.expect("replay");
        assert_eq!(replay.status(), 401);
        let body: Value = replay.json().await.expect("json");
        assert_eq!(body["error"]["code"], "enrolment_code_used");
    }
    assert_eq!(count(&manager, "SELECT count(*) FROM kiosks"), 1);
    manager.stop().await;
}
