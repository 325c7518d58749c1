//! The authorisation matrices. The staff API's, generated from the OpenAPI
//! document (itself generated from the router): every staff route × {no
//! credentials, revoked token, each role, a supervisor of another centre}.
//! The dashboard's, generated from its route table: every page × {no
//! session, a disabled account's session, each role, a supervisor of
//! another centre}. A new route fails these tests until it is added to
//! `expected` or `expected_page`.

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

/// A request filed at `kiosk`; its id.
async fn filed_request(manager: &TestManager, kiosk: &(uuid::Uuid, String)) -> i64 {
    crate::requests::seed_service_types(manager).await;
    let ticket = crate::requests::filed(manager, kiosk, None).await.ticket;
    manager
        .state
        .storage
        .request_by_ticket(ticket)
        .await
        .expect("filed request")
        .id
}

/// (method, path) → statuses for admin, analyst, supervisor of the kiosk's
/// centre, supervisor of another centre.
fn expected(route: (&str, &str)) -> Option<[u16; 4]> {
    Some(match route {
        ("get", "/api/v1/kiosks") => [200, 403, 200, 200],
        ("get", "/api/v1/kiosks/{id}") => [200, 403, 200, 403],
        ("post", "/api/v1/kiosks/{id}/commands") => [201, 403, 201, 403],
        ("get", "/api/v1/reports/reach" | "/api/v1/reports/requests") => [200, 200, 200, 200],
        // The post was written at the kiosk's centre.
        ("get", "/api/v1/moderation/queue") => [200, 403, 200, 200],
        ("post", "/api/v1/moderation/posts/{id}") => [200, 403, 200, 404],
        // The request was filed at the kiosk's centre.
        ("get", "/api/v1/requests") => [200, 403, 200, 200],
        ("get", "/api/v1/requests/{id}") => [200, 403, 200, 403],
        // Assigned to the admin: the other supervisor still may not.
        ("post", "/api/v1/requests/{id}/assign") => [200, 403, 200, 403],
        // The admin moved it to in_process; a second move there conflicts.
        ("post", "/api/v1/requests/{id}/status") => [200, 403, 409, 403],
        _ => return None,
    })
}

/// Staff routes of other resources, whose roles (admin-only catalogue and
/// centre writes, supervisors' moderation and community roles) are tested
/// with their own request bodies in `tests/api/catalogue.rs`,
/// `tests/api/centres.rs` and `tests/participation/` (having a say's, in
/// `tests/participation/have_a_say/scope.rs`).
const AUTHORISED_ELSEWHERE: &[&str] = &[
    "/api/v1/centres",
    "/api/v1/procedures",
    "/api/v1/tenders",
    "/api/v1/networks",
    "/api/v1/forums",
    "/api/v1/communities",
    "/api/v1/citizens",
    "/api/v1/participation",
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
    let citizen = crate::common::citizen_at(manager, &fixture.north_kiosk, "Vecina").await;
    let board = crate::common::board(manager).await;
    let (_, post) =
        crate::common::citizen_thread(manager, &fixture.north_kiosk, &citizen, board, "Hola").await;
    let request = filed_request(manager, &fixture.north_kiosk).await;
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
        let id = if path.starts_with("/api/v1/moderation/") {
            post.to_string()
        } else if path.starts_with("/api/v1/requests/") {
            request.to_string()
        } else {
            kiosk.to_string()
        };
        let url = manager.url(&format!(
            "{}{}",
            path.replace("{id}", &id),
            if path.starts_with("/api/v1/reports/") {
                "?from=2026-03-01&to=2026-03-07"
            } else {
                ""
            }
        ));
        let send = |token: Option<&str>| {
            let request = match method.as_str() {
                "post" if path.starts_with("/api/v1/moderation/") => manager
                    .client
                    .post(&url)
                    .json(&json!({"action": "approve"})),
                "post" if path.ends_with("/assign") => manager
                    .client
                    .post(&url)
                    .json(&json!({"assignee": "admin"})),
                "post" if path.ends_with("/status") => manager
                    .client
                    .post(&url)
                    .json(&json!({"status": "in_process", "public_note": "En curso"})),
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

/// Who may open a dashboard route.
enum Page {
    /// The same answer for everyone, signed in or not.
    Public(u16),
    /// Statuses for admin, analyst, supervisor of the kiosk's (and post's)
    /// centre, supervisor of another centre; strangers and disabled
    /// accounts are sent to the login form.
    Staff([u16; 4]),
    /// Signing in and out, whose refusals `login.rs` tests.
    SessionLifecycle,
}

fn expected_page(method: &str, path: &str) -> Option<Page> {
    Some(match (method, path) {
        ("GET", "/") => Page::Public(303),
        ("GET", "/dashboard/login") => Page::Public(200),
        ("GET", "/dashboard/assets/dashboard.css" | "/dashboard/assets/dashboard.js") => {
            Page::Public(200)
        }
        ("POST", "/dashboard/login" | "/dashboard/logout") => Page::SessionLifecycle,
        ("GET", "/dashboard" | "/dashboard/floor/events" | "/dashboard/moderation") => {
            Page::Staff([200, 403, 200, 200])
        }
        ("GET", "/dashboard/kiosks/{id}") => Page::Staff([200, 403, 200, 404]),
        // Unconfirmed: the confirmation page.
        ("POST", "/dashboard/kiosks/{id}/actions") => Page::Staff([200, 403, 200, 404]),
        // Approving is repeatable: each allowed caller is redirected back.
        ("POST", "/dashboard/moderation/posts/{id}") => Page::Staff([303, 403, 303, 404]),
        ("GET", "/dashboard/centres") => Page::Staff([200, 403, 200, 200]),
        // Hours of the kiosk's centre, refused (a form) unless given.
        ("POST", "/dashboard/centres/{id}/hours") => Page::Staff([422, 403, 422, 404]),
        // The kiosk's centre's internet access, refused (no mode) unless given.
        ("POST", "/dashboard/centres/{id}/web") => Page::Staff([422, 403, 422, 404]),
        ("GET", "/dashboard/audit") => Page::Staff([200, 403, 403, 403]),
        // A request filed at the kiosk's centre.
        ("GET", "/dashboard/requests") => Page::Staff([200, 403, 200, 200]),
        ("GET", "/dashboard/requests/{id}") => Page::Staff([200, 403, 200, 403]),
        // The matrix's form names no assignee and no status: refused as a form.
        ("POST", "/dashboard/requests/{id}/assign" | "/dashboard/requests/{id}/status") => {
            Page::Staff([422, 403, 422, 403])
        }
        ("GET", "/dashboard/residents") => Page::Staff([200, 403, 200, 200]),
        // The matrix's form has no alias: refused as incomplete.
        ("POST", "/dashboard/residents") => Page::Staff([422, 403, 422, 422]),
        // Nor an alias to revoke.
        ("POST", "/dashboard/residents/revoke") => Page::Staff([422, 403, 422, 422]),
        // Having a say (issue 17): the municipality's, so admins only; the
        // ids name no consultation or proposal, the forms are incomplete.
        ("GET", "/dashboard/say") => Page::Staff([200, 403, 403, 403]),
        (
            "POST",
            "/dashboard/say/consultations"
            | "/dashboard/say/consultations/{id}/answer"
            | "/dashboard/say/proposals/{id}/answer",
        ) => Page::Staff([422, 403, 403, 403]),
        ("POST", "/dashboard/say/consultations/{id}/close") => Page::Staff([404, 403, 403, 403]),
        // Moderators may publish or remove; "approve" is not a decision.
        ("POST", "/dashboard/say/proposals/{id}/moderation") => Page::Staff([422, 403, 422, 422]),
        // Live help (issue 16): the conversation is at the kiosk's centre.
        ("GET", "/dashboard/assets/help_chat.js") => Page::Public(200),
        ("GET", "/dashboard/help" | "/dashboard/help/events") => Page::Staff([200, 403, 200, 200]),
        // Neither yes nor no, no answer's text: refused as a form.
        ("POST", "/dashboard/help/availability") => Page::Staff([422, 403, 422, 422]),
        ("POST", "/dashboard/help/{id}/reply") => Page::Staff([422, 403, 422, 403]),
        // Ending is repeatable: each allowed caller is redirected back.
        ("POST", "/dashboard/help/{id}/end") => Page::Staff([303, 403, 303, 403]),
        // The matrix ends the conversation first (above): nothing to file.
        ("POST", "/dashboard/help/{id}/request") => Page::Staff([409, 403, 409, 403]),
        (
            "GET",
            "/dashboard/reports" | "/dashboard/reports/reach.csv" | "/dashboard/reports/reach.json",
        ) => Page::Staff([200, 200, 200, 200]),
        _ => return None,
    })
}

#[tokio::test]
async fn every_dashboard_route_answers_each_caller_as_expected() {
    use crate::common::{board, citizen_at, citizen_thread, page, signed_in};

    let fixture = fixture().await;
    let manager = &fixture.manager;
    let kiosk = fixture.north_kiosk.0;
    let citizen = citizen_at(manager, &fixture.north_kiosk, "Vecina").await;
    let board = board(manager).await;
    let (_, post) = citizen_thread(manager, &fixture.north_kiosk, &citizen, board, "Hola").await;
    let request = filed_request(manager, &fixture.north_kiosk).await;
    let conversation = crate::help_chat::kiosk_client(manager, &fixture.north_kiosk)
        .help_chat()
        .expect("enrolled")
        .open("Hola")
        .await
        .expect("conversation")
        .id;
    crate::common::add_user(manager, "old", Role::Admin, &[]).await;
    let disabled = signed_in(manager, "old").await;
    let north_centre = manager
        .state
        .storage
        .centre_by_name(crate::common::NORTH.to_owned())
        .await
        .expect("centre")
        .id;
    manager
        .state
        .storage
        .disable_user("old".to_owned(), manager.now(), "test".to_owned())
        .await
        .expect("disable");
    let mut callers = Vec::new();
    for name in ["admin", "ana", "sam", "sol"] {
        let client = signed_in(manager, name).await;
        let (_, html) = page(&client, manager, "/dashboard/reports").await;
        callers.push((name, client, crate::common::csrf_of(&html)));
    }
    let stranger = crate::common::browser();

    let routes = plaza_manager::dashboard::route_table();
    assert!(routes.len() >= 10, "{routes:?}");
    for (method, path) in routes {
        let method = method.as_str();
        let access = expected_page(method, path).unwrap_or_else(|| {
            panic!("{method} {path} is missing from the dashboard authorisation matrix")
        });
        let url = manager.url(&if path.starts_with("/dashboard/moderation/posts/") {
            path.replace("{id}", &post.to_string())
        } else if path.starts_with("/dashboard/requests/") {
            path.replace("{id}", &request.to_string())
        } else if path.starts_with("/dashboard/help/") {
            path.replace("{id}", &conversation.to_string())
        } else if path.starts_with("/dashboard/centres/") {
            path.replace("{id}", &north_centre.to_string())
        } else if path.starts_with("/dashboard/say/") {
            path.replace("{id}", "999999")
        } else {
            path.replace("{id}", &kiosk.to_string())
        });
        let send = |client: &reqwest::Client, csrf: &str| {
            let request = match method {
                "POST" => client.post(&url).form(&[
                    ("csrf", csrf),
                    (
                        "action",
                        if path.contains("moderation") {
                            "approve"
                        } else {
                            "unlock"
                        },
                    ),
                ]),
                _ => client.get(&url),
            };
            async move { request.send().await.expect("request").status().as_u16() }
        };
        match access {
            Page::Public(status) => {
                assert_eq!(
                    send(&stranger, "").await,
                    status,
                    "{method} {path} anonymous"
                );
                for (name, client, csrf) in &callers {
                    assert_eq!(
                        send(client, csrf).await,
                        status,
                        "{method} {path} as {name}"
                    );
                }
            }
            Page::Staff(statuses) => {
                assert_eq!(send(&stranger, "").await, 303, "{method} {path} anonymous");
                assert_eq!(send(&disabled, "").await, 303, "{method} {path} disabled");
                for ((name, client, csrf), status) in callers.iter().zip(statuses) {
                    assert_eq!(
                        send(client, csrf).await,
                        status,
                        "{method} {path} as {name}"
                    );
                }
            }
            Page::SessionLifecycle => {}
        }
    }
}
