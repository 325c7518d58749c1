//! The authorisation matrix of the staff API, generated from the OpenAPI
//! document (itself generated from the router): every staff route × {no
//! credentials, revoked token, each role, a supervisor of another centre}.
//! A new staff route fails this test until it is added to `expected`.

use std::collections::BTreeSet;

use plaza_api::staff::Role;
use plaza_manager::auth::{API_TOKEN_PREFIX, hash_secret, new_secret};
use plaza_manager::testing::TestManager;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::fixture;

async fn user_token(manager: &TestManager, name: &str) -> String {
    let token = new_secret(API_TOKEN_PREFIX).expect("secret");
    manager
        .state
        .storage
        .create_user_api_token(name.to_owned(), hash_secret(&token), manager.now())
        .await
        .expect("token");
    token
}

/// (method, path) → statuses for admin, analyst, supervisor of the kiosk's
/// centre, supervisor of another centre.
fn expected(route: (&str, &str)) -> Option<[u16; 4]> {
    Some(match route {
        ("get", "/api/v1/kiosks") => [200, 403, 200, 200],
        ("get", "/api/v1/kiosks/{id}") => [200, 403, 200, 403],
        ("post", "/api/v1/kiosks/{id}/commands") => [201, 403, 201, 403],
        ("get", "/api/v1/reports/reach") => [200, 200, 200, 200],
        _ => return None,
    })
}

/// Staff routes of other resources, whose roles (admin-only catalogue and
/// centre writes, supervisors' moderation and community roles) are tested
/// with their own request bodies in `tests/api/catalogue.rs`,
/// `tests/api/centres.rs` and `tests/participation/`.
const AUTHORISED_ELSEWHERE: &[&str] = &[
    "/api/v1/centres",
    "/api/v1/procedures",
    "/api/v1/tenders",
    "/api/v1/networks",
    "/api/v1/forums",
    "/api/v1/moderation",
    "/api/v1/communities",
    "/api/v1/citizens",
];

fn staff_routes() -> BTreeSet<(String, String)> {
    let document: Value =
        serde_json::to_value(plaza_manager::openapi::document()).expect("document");
    let mut routes = BTreeSet::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            let staff = operation["security"].as_array().is_some_and(|schemes| {
                schemes
                    .iter()
                    .any(|scheme| scheme.get("staff_token").is_some())
            });
            let elsewhere = AUTHORISED_ELSEWHERE
                .iter()
                .any(|prefix| path.starts_with(prefix));
            if staff && !elsewhere {
                routes.insert((method.clone(), path.clone()));
            }
        }
    }
    routes
}

#[tokio::test]
async fn every_staff_route_answers_each_caller_as_expected() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    let kiosk = fixture.north_kiosk.0;
    let revoked = user_token(manager, "ana").await;
    manager
        .state
        .storage
        .disable_user("ana".to_owned(), manager.now(), "test".to_owned())
        .await
        .expect("disable");
    crate::common::add_user(manager, "ana2", Role::Analyst, &[]).await;
    let callers = [
        user_token(manager, "admin").await,
        user_token(manager, "ana2").await,
        user_token(manager, "sam").await,
        user_token(manager, "sol").await,
    ];
    let routes = staff_routes();
    assert!(routes.len() >= 4, "{routes:?}");
    for (method, path) in &routes {
        let statuses = expected((method, path))
            .unwrap_or_else(|| panic!("{method} {path} is missing from the authorisation matrix"));
        let url = manager.url(&format!(
            "{}{}",
            path.replace("{id}", &kiosk.to_string()),
            if path.ends_with("/reach") {
                "?from=2026-03-01&to=2026-03-07"
            } else {
                ""
            }
        ));
        let send = |token: Option<&str>| {
            let request = match method.as_str() {
                "post" => manager
                    .client
                    .post(&url)
                    .json(&json!({"action": {"kind": "unlock"}})),
                _ => manager.client.get(&url),
            };
            let request = match token {
                Some(token) => request.bearer_auth(token),
                None => request,
            };
            async move { request.send().await.expect("request").status() }
        };
        assert_eq!(
            send(None).await,
            StatusCode::UNAUTHORIZED,
            "{method} {path} anonymous"
        );
        assert_eq!(
            send(Some(&revoked)).await,
            StatusCode::UNAUTHORIZED,
            "{method} {path} revoked"
        );
        for (caller, (token, status)) in ["admin", "analyst", "supervisor", "other supervisor"]
            .iter()
            .zip(callers.iter().zip(statuses))
        {
            assert_eq!(
                send(Some(token)).await.as_u16(),
                status,
                "{method} {path} as {caller}"
            );
        }
    }
}
