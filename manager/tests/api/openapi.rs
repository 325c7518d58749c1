//! The OpenAPI document describes every route, and every route it describes
//! is served.

use std::collections::BTreeSet;

use plaza_manager::openapi::document;

use crate::common::manager_with_kiosk;

/// Every operation the manager serves. Adding a route means adding it here,
/// which this test checks against the generated document.
const OPERATIONS: &[(&str, &str)] = &[
    ("GET", "/api/v1/centres"),
    ("POST", "/api/v1/centres"),
    ("POST", "/api/v1/centres/{name}/enrolment-codes"),
    ("GET", "/api/v1/centres/{name}/hours"),
    ("PUT", "/api/v1/centres/{name}/hours"),
    ("GET", "/api/v1/networks"),
    ("POST", "/api/v1/networks"),
    ("GET", "/api/v1/networks/{id}"),
    ("PUT", "/api/v1/networks/{id}"),
    ("DELETE", "/api/v1/networks/{id}"),
    ("GET", "/api/v1/procedures"),
    ("POST", "/api/v1/procedures"),
    ("GET", "/api/v1/procedures/{id}"),
    ("PUT", "/api/v1/procedures/{id}"),
    ("DELETE", "/api/v1/procedures/{id}"),
    ("GET", "/api/v1/tenders"),
    ("POST", "/api/v1/tenders"),
    ("GET", "/api/v1/tenders/{id}"),
    ("PUT", "/api/v1/tenders/{id}"),
    ("DELETE", "/api/v1/tenders/{id}"),
    ("GET", "/api/v1/catalogue"),
    ("GET", "/api/v1/kiosks"),
    ("GET", "/api/v1/kiosks/{id}"),
    ("GET", "/api/v1/kiosks/{id}/profile"),
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v1/reports/reach"),
    ("GET", "/healthz"),
    ("GET", "/metrics"),
    ("GET", "/readyz"),
    ("POST", "/api/v1/events"),
    ("POST", "/api/v1/kiosks/enroll"),
    ("POST", "/api/v1/kiosks/{id}/commands"),
    ("POST", "/api/v1/kiosks/{id}/heartbeat"),
    // Participation (issue 5).
    ("DELETE", "/api/v1/communities/{id}/coordinators/{alias}"),
    ("DELETE", "/api/v1/communities/{id}/membership"),
    ("DELETE", "/api/v1/communities/{id}/requests/{alias}"),
    ("DELETE", "/api/v1/forums/posts/{id}"),
    ("GET", "/api/v1/citizens/me"),
    ("GET", "/api/v1/communities"),
    ("GET", "/api/v1/communities/{id}"),
    ("GET", "/api/v1/communities/{id}/requests"),
    ("GET", "/api/v1/forums/boards"),
    ("GET", "/api/v1/forums/boards/{id}/threads"),
    ("GET", "/api/v1/forums/threads/{id}"),
    ("GET", "/api/v1/moderation/queue"),
    ("PATCH", "/api/v1/forums/posts/{id}"),
    ("POST", "/api/v1/citizens"),
    ("POST", "/api/v1/citizens/login"),
    ("POST", "/api/v1/citizens/logout"),
    ("POST", "/api/v1/citizens/{alias}/pin-reset"),
    ("POST", "/api/v1/communities"),
    ("POST", "/api/v1/forums/boards"),
    ("POST", "/api/v1/communities/{id}/announcements"),
    ("POST", "/api/v1/communities/{id}/events"),
    ("POST", "/api/v1/communities/{id}/membership"),
    ("POST", "/api/v1/communities/{id}/requests/{alias}"),
    ("POST", "/api/v1/forums/boards/{id}/threads"),
    ("POST", "/api/v1/forums/posts/{id}/reports"),
    ("POST", "/api/v1/forums/threads/{id}/posts"),
    ("POST", "/api/v1/moderation/posts/{id}"),
    ("PUT", "/api/v1/citizens/me/pin"),
    ("PUT", "/api/v1/communities/{id}/coordinators/{alias}"),
    // Moderators remove announcements and events (issue 14).
    ("DELETE", "/api/v1/communities/{id}/announcements/{item_id}"),
    ("DELETE", "/api/v1/communities/{id}/events/{item_id}"),
    // Having a say (issue 17).
    ("GET", "/api/v1/participation/residents"),
    ("POST", "/api/v1/participation/residents"),
    ("DELETE", "/api/v1/participation/residents/{alias}"),
    ("GET", "/api/v1/participation/consultations"),
    ("POST", "/api/v1/participation/consultations"),
    ("GET", "/api/v1/participation/consultations/{id}"),
    ("POST", "/api/v1/participation/consultations/{id}/close"),
    ("POST", "/api/v1/participation/consultations/{id}/votes"),
    ("GET", "/api/v1/participation/consultations/{id}/results"),
    ("PUT", "/api/v1/participation/consultations/{id}/answer"),
    ("GET", "/api/v1/participation/proposals"),
    ("POST", "/api/v1/participation/proposals"),
    ("GET", "/api/v1/participation/proposals/{id}"),
    ("POST", "/api/v1/participation/proposals/{id}/supports"),
    ("POST", "/api/v1/participation/proposals/{id}/moderation"),
    ("PUT", "/api/v1/participation/proposals/{id}/answer"),
    ("GET", "/api/v1/participation/moderation/proposals"),
    ("GET", "/api/v1/participation/report"),
    // The right to erasure (issue 14).
    ("POST", "/api/v1/citizens/me/erasure"),
    ("POST", "/api/v1/citizens/{alias}/erasure"),
    // Requests to the municipality (issue 16).
    ("GET", "/api/v1/requests"),
    ("POST", "/api/v1/requests"),
    ("GET", "/api/v1/requests/services"),
    ("GET", "/api/v1/requests/tickets/{ticket}"),
    ("GET", "/api/v1/requests/mine"),
    ("GET", "/api/v1/requests/{id}"),
    ("POST", "/api/v1/requests/{id}/assign"),
    ("POST", "/api/v1/requests/{id}/status"),
    ("GET", "/api/v1/reports/requests"),
    // Open311 GeoReport v2, JSON (issue 16).
    ("GET", "/open311/v2/services.json"),
    ("GET", "/open311/v2/services/{file}"),
    ("GET", "/open311/v2/requests.json"),
    ("POST", "/open311/v2/requests.json"),
    ("GET", "/open311/v2/requests/{file}"),
    // Live help (issue 16).
    ("GET", "/api/v1/help/availability"),
    ("POST", "/api/v1/help/conversations"),
    ("GET", "/api/v1/help/conversations/{id}/messages"),
    ("POST", "/api/v1/help/conversations/{id}/messages"),
    ("POST", "/api/v1/help/conversations/{id}/end"),
    // A centre's internet access at its kiosks (issue 15).
    ("GET", "/api/v1/centres/{name}/web"),
    ("PUT", "/api/v1/centres/{name}/web"),
];

fn documented() -> BTreeSet<(String, String)> {
    let document = serde_json::to_value(document()).expect("document as JSON");
    let mut operations = BTreeSet::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            operations.insert((method.to_uppercase(), path.clone()));
        }
    }
    operations
}

#[test]
fn the_document_lists_exactly_the_served_operations() {
    let expected: BTreeSet<(String, String)> = OPERATIONS
        .iter()
        .map(|(method, path)| ((*method).to_owned(), (*path).to_owned()))
        .collect();
    assert_eq!(documented(), expected);
}

#[test]
fn every_operation_documents_its_responses() {
    let document = serde_json::to_value(document()).expect("document as JSON");
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            let responses = operation["responses"].as_object().expect("responses");
            assert!(
                !responses.is_empty(),
                "{method} {path} documents no response"
            );
        }
    }
}

#[tokio::test]
async fn every_documented_operation_is_routed() {
    let (manager, _, _) = manager_with_kiosk().await;
    let served: serde_json::Value = manager
        .client
        .get(manager.url("/api/v1/openapi.json"))
        .send()
        .await
        .expect("openapi.json")
        .json()
        .await
        .expect("document");
    assert_eq!(
        served,
        serde_json::to_value(document()).expect("document as JSON")
    );
    for (method, path) in documented() {
        let concrete = path.replace("{id}", &uuid::Uuid::now_v7().to_string());
        let response = manager
            .client
            .request(method.parse().expect("method"), manager.url(&concrete))
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        let body: serde_json::Value = response.json().await.unwrap_or_default();
        let unrouted = body["error"]["code"] == "method_not_allowed"
            || body["error"]["message"] == "no such route";
        assert!(
            !unrouted,
            "{method} {path} is documented but not routed ({status} {body})"
        );
    }
}
