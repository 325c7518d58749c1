//! The JSON fixtures lock the wire format: if a change to the types alters
//! what is sent or accepted, these fail, and the change must be deliberate
//! (and compatible with kiosks already deployed).

use plaza_api::events::{EventBatch, EventPayload};
use plaza_api::heartbeat::{CommandAction, HeartbeatRequest, HeartbeatResponse, KioskState};
use plaza_api::session::{AgeBand, EndReason};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn round_trip<T: Serialize + DeserializeOwned>(fixture: &str) -> T {
    let expected: Value = serde_json::from_str(fixture).expect("fixture is JSON");
    let decoded: T = serde_json::from_value(expected.clone()).expect("fixture decodes");
    let encoded = serde_json::to_value(&decoded).expect("encodes");
    assert_eq!(encoded, expected, "encoding changed");
    decoded
}

#[test]
fn heartbeat_request() {
    let request: HeartbeatRequest = round_trip(include_str!("fixtures/heartbeat_request.json"));
    assert_eq!(request.state, KioskState::InSession);
    assert_eq!(request.acked_commands.len(), 1);
}

#[test]
fn heartbeat_response() {
    let response: HeartbeatResponse = round_trip(include_str!("fixtures/heartbeat_response.json"));
    assert_eq!(
        response.commands[1].action,
        CommandAction::ExtendSession { seconds: 600 }
    );
}

#[test]
fn event_batch() {
    let batch: EventBatch = round_trip(include_str!("fixtures/event_batch.json"));
    assert!(matches!(
        &batch.events[1].payload,
        EventPayload::SurveyAnswered(answers) if answers.age_band == Some(AgeBand::From60To74)
    ));
    assert!(matches!(
        &batch.events[6].payload,
        EventPayload::SessionEnded(ended) if ended.reason == EndReason::Logout
    ));
}

#[test]
fn an_old_kiosk_survives_a_newer_manager() {
    let mut newer: Value =
        serde_json::from_str(include_str!("fixtures/heartbeat_response.json")).expect("JSON");
    newer["brand_new_field"] = serde_json::json!({ "anything": true });
    newer["commands"]
        .as_array_mut()
        .expect("commands")
        .push(serde_json::json!({
            "id": "019ab5f0-0000-7000-8000-0000000000c9",
            "issued_at": "2026-11-25T09:59:03Z",
            "action": { "kind": "play_fanfare", "volume": 11 }
        }));
    let response: HeartbeatResponse = serde_json::from_value(newer).expect("still decodes");
    assert_eq!(response.commands[3].action, CommandAction::Unsupported);
}

#[test]
fn requests_refuse_unknown_fields() {
    let mut request: Value =
        serde_json::from_str(include_str!("fixtures/heartbeat_request.json")).expect("JSON");
    request["typo_field"] = Value::Bool(true);
    assert!(serde_json::from_value::<HeartbeatRequest>(request).is_err());
}

#[test]
fn kiosk_profile() {
    let profile: plaza_api::profile::KioskProfile =
        round_trip(include_str!("fixtures/kiosk_profile.json"));
    assert_eq!(profile.neighbourhoods[2], "San José");
    assert!(profile.extensions_allowed);
    // A newer manager may add fields: an old kiosk still reads its profile.
    let mut newer: Value =
        serde_json::from_str(include_str!("fixtures/kiosk_profile.json")).expect("JSON");
    newer["opening_hours"] = serde_json::json!("9-21");
    let read: plaza_api::profile::KioskProfile = serde_json::from_value(newer).expect("lenient");
    assert_eq!(read, profile);
    assert_eq!(profile.web.mode, plaza_api::web::WebMode::AllowList);
    assert_eq!(
        profile.web.purposes[0].purpose,
        plaza_api::web::Purpose::Government
    );
    // A manager that predates web access: the kiosk reads an open policy.
    let mut older: Value =
        serde_json::from_str(include_str!("fixtures/kiosk_profile.json")).expect("JSON");
    older.as_object_mut().expect("object").remove("web");
    let read: plaza_api::profile::KioskProfile = serde_json::from_value(older).expect("lenient");
    assert_eq!(read.web, plaza_api::web::WebPolicy::default());
}
