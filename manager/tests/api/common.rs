//! Builders for requests the tests send.

use jiff::Timestamp;
use plaza_api::events::{Event, EventPayload, SectionOpened, SessionEnded, SessionStarted};
use plaza_api::heartbeat::{
    Health, HeartbeatRequest, HeartbeatResponse, KioskState, SessionProgress,
};
use plaza_api::session::{EndReason, Language, Section};
use plaza_manager::testing::TestManager;
use reqwest::Response;
use serde_json::Value;
use uuid::Uuid;

pub const CENTRE: &str = "Biblioteca Norte";

/// A manager with one centre and one enrolled kiosk: (manager, kiosk id, token).
pub async fn manager_with_kiosk() -> (TestManager, Uuid, String) {
    let manager = TestManager::start().await;
    manager.add_centre(CENTRE, &["Centro", "La Loma"]).await;
    let kiosk = manager.enrol_kiosk(CENTRE, "pc-01").await;
    (manager, kiosk.kiosk_id, kiosk.token)
}

/// Now, to the millisecond: the precision the manager stores.
pub fn now_ms() -> Timestamp {
    Timestamp::from_millisecond(Timestamp::now().as_millisecond()).expect("valid timestamp")
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

pub fn in_session(session_id: Uuid, started_at: Timestamp) -> HeartbeatRequest {
    HeartbeatRequest {
        session: Some(SessionProgress {
            session_id,
            started_at,
            ends_at: started_at + jiff::SignedDuration::from_mins(30),
        }),
        ..heartbeat(KioskState::InSession)
    }
}

pub async fn send_heartbeat(
    manager: &TestManager,
    kiosk_id: Uuid,
    token: &str,
    request: &HeartbeatRequest,
) -> Response {
    manager
        .client
        .post(manager.url(&format!("/api/v1/kiosks/{kiosk_id}/heartbeat")))
        .bearer_auth(token)
        .json(request)
        .send()
        .await
        .expect("heartbeat request")
}

pub async fn heartbeat_ok(
    manager: &TestManager,
    kiosk_id: Uuid,
    token: &str,
    request: &HeartbeatRequest,
) -> HeartbeatResponse {
    let response = send_heartbeat(manager, kiosk_id, token, request).await;
    assert_eq!(response.status(), 200, "heartbeat should succeed");
    response.json().await.expect("heartbeat response")
}

pub fn event(session_id: Uuid, at: Timestamp, payload: EventPayload) -> Event {
    Event {
        id: Uuid::now_v7(),
        at,
        session_id,
        payload,
    }
}

pub fn started(session_id: Uuid, at: Timestamp) -> Event {
    event(
        session_id,
        at,
        EventPayload::SessionStarted(SessionStarted {
            allotment_s: 1800,
            language: Language::Es,
            large_text: false,
            high_contrast: true,
        }),
    )
}

pub fn section(session_id: Uuid, at: Timestamp, section: Section) -> Event {
    event(
        session_id,
        at,
        EventPayload::SectionOpened(SectionOpened { section }),
    )
}

pub fn ended(session_id: Uuid, at: Timestamp, reason: EndReason) -> Event {
    event(
        session_id,
        at,
        EventPayload::SessionEnded(SessionEnded { reason }),
    )
}

/// Posts a batch given as raw JSON (so tests can send invalid events too).
pub async fn post_events(manager: &TestManager, token: &str, body: &Value) -> Response {
    manager
        .client
        .post(manager.url("/api/v1/events"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("events request")
}

pub fn batch(events: &[Event]) -> Value {
    serde_json::json!({ "events": events })
}

/// The `error.code` of an error response, checking it is the JSON error body.
pub async fn error_code(response: Response) -> String {
    let body: Value = response.json().await.expect("error body is JSON");
    assert!(body["error"]["message"].is_string(), "error body: {body}");
    body["error"]["code"]
        .as_str()
        .expect("error code")
        .to_owned()
}
