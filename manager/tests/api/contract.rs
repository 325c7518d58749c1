//! The HTTP contract every route keeps: JSON errors with the right status for
//! malformed, oversized, unknown and misrouted requests; request ids.

use plaza_api::heartbeat::KioskState;
use serde_json::json;

use crate::common::{error_code, heartbeat, manager_with_kiosk};

#[tokio::test]
async fn malformed_json_is_a_400_json_error() {
    let (manager, kiosk_id, token) = manager_with_kiosk().await;
    let response = manager
        .client
        .post(manager.url(&format!("/api/v1/kiosks/{kiosk_id}/heartbeat")))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{\"state\": ")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 400);
    assert_eq!(error_code(response).await, "malformed_json");
}

#[tokio::test]
async fn unknown_fields_and_wrong_types_are_422() {
    let (manager, kiosk_id, token) = manager_with_kiosk().await;
    let mut body = serde_json::to_value(heartbeat(KioskState::Idle)).expect("json");
    body["colour"] = json!("blue");
    let response = manager
        .client
        .post(manager.url(&format!("/api/v1/kiosks/{kiosk_id}/heartbeat")))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 422);
    let message: serde_json::Value = response.json().await.expect("json");
    assert!(
        message["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("colour"),
        "{message}"
    );

    let mut wrong_type = serde_json::to_value(heartbeat(KioskState::Idle)).expect("json");
    wrong_type["state"] = json!("dancing");
    let response = manager
        .client
        .post(manager.url(&format!("/api/v1/kiosks/{kiosk_id}/heartbeat")))
        .bearer_auth(&token)
        .json(&wrong_type)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 422);
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_json() {
    let (manager, _, token) = manager_with_kiosk().await;
    let padding = "x".repeat(3 * 1024 * 1024);
    let response = manager
        .client
        .post(manager.url("/api/v1/events"))
        .bearer_auth(&token)
        .json(&json!({ "events": [], "padding": padding }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 413);
    assert_eq!(error_code(response).await, "payload_too_large");
}

#[tokio::test]
async fn missing_content_type_is_415() {
    let (manager, _, token) = manager_with_kiosk().await;
    let response = manager
        .client
        .post(manager.url("/api/v1/events"))
        .bearer_auth(&token)
        .body("{\"events\": []}")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 415);
    assert_eq!(error_code(response).await, "unsupported_media_type");
}

#[tokio::test]
async fn unknown_routes_methods_and_bad_ids_are_json_errors() {
    let (manager, _, token) = manager_with_kiosk().await;
    let missing = manager
        .client
        .get(manager.url("/api/v1/nothing/here"))
        .send()
        .await
        .expect("request");
    assert_eq!(missing.status(), 404);
    assert_eq!(error_code(missing).await, "not_found");

    let wrong_method = manager
        .client
        .get(manager.url("/api/v1/events"))
        .send()
        .await
        .expect("request");
    assert_eq!(wrong_method.status(), 405);
    assert_eq!(error_code(wrong_method).await, "method_not_allowed");

    for bad_id in ["not-a-uuid", "..%2F..%2Fetc%2Fpasswd", "%00"] {
        let response = manager
            .client
            .post(manager.url(&format!("/api/v1/kiosks/{bad_id}/heartbeat")))
            .bearer_auth(&token)
            .json(&heartbeat(KioskState::Idle))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 400, "id {bad_id}");
        assert_eq!(error_code(response).await, "bad_request");
    }
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let (manager, _, _) = manager_with_kiosk().await;
    for path in ["/healthz", "/api/v1/nothing"] {
        let response = manager
            .client
            .get(manager.url(path))
            .send()
            .await
            .expect("request");
        let id = response
            .headers()
            .get("x-request-id")
            .expect("x-request-id header");
        assert!(!id.is_empty());
    }
}

#[tokio::test]
async fn health_readiness_and_metrics() {
    let (manager, kiosk_id, token) = manager_with_kiosk().await;
    crate::common::heartbeat_ok(&manager, kiosk_id, &token, &heartbeat(KioskState::Idle)).await;
    let healthz = manager
        .client
        .get(manager.url("/healthz"))
        .send()
        .await
        .expect("request");
    assert_eq!(healthz.status(), 200);
    let readyz = manager
        .client
        .get(manager.url("/readyz"))
        .send()
        .await
        .expect("request");
    assert_eq!(readyz.status(), 200);
    let metrics = manager
        .client
        .get(manager.url("/metrics"))
        .send()
        .await
        .expect("request");
    assert_eq!(metrics.status(), 200);
    let text = metrics.text().await.expect("text");
    for series in [
        "plaza_heartbeats_total 1",
        "plaza_kiosks_online 1",
        "plaza_kiosks_enrolled 1",
        "plaza_events_ingested_total",
        "plaza_events_duplicate_total",
        "plaza_http_request_duration_seconds_bucket",
        "route=\"/api/v1/kiosks/{id}/heartbeat\",status=\"200\"",
    ] {
        assert!(text.contains(series), "metrics lack `{series}`:\n{text}");
    }
}
