//! Role × centre for every staff route of having a say: nobody, an
//! analyst, a supervisor of another centre, the centre's supervisor and an
//! admin, each with a body the route accepts. The routes are read from the
//! OpenAPI document, so a new one fails here until it is in the table.

use std::collections::BTreeSet;

use plaza_api::staff::Role;
use plaza_manager::auth::{API_TOKEN_PREFIX, hash_password, hash_secret, new_secret};
use plaza_manager::storage::users::NewUser;
use reqwest::Method;
use serde_json::{Value, json};

use super::text;
use crate::common::{As, CENTRE, Fixture};

const OTHER: &str = "Centro Vecinal Sur";

async fn account(fixture: &Fixture, name: &str, role: Role, centres: &[&str]) -> String {
    let manager = &fixture.manager;
    manager
        .state
        .storage
        .add_user(
            NewUser {
                name: name.to_owned(),
                role,
                password_hash: hash_password("a long enough password").expect("hash"),
                centres: centres.iter().map(|centre| (*centre).to_owned()).collect(),
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
    token
}

fn staff_routes() -> BTreeSet<(String, String)> {
    let document: Value =
        serde_json::to_value(plaza_manager::openapi::document()).expect("document");
    let mut routes = BTreeSet::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        if !path.starts_with("/api/v1/participation/") {
            continue;
        }
        for (method, operation) in item.as_object().expect("path item") {
            let staff_only = operation["security"].as_array().is_some_and(|schemes| {
                schemes
                    .iter()
                    .all(|scheme| scheme.get("staff_token").is_some())
            });
            if staff_only {
                routes.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    routes
}

#[tokio::test]
async fn every_staff_route_answers_each_role_and_centre_as_expected() {
    let fixture = Fixture::start().await;
    fixture.manager.add_centre(OTHER, &["Sur"]).await;
    let admin = account(&fixture, "admin", Role::Admin, &[]).await;
    let analyst = account(&fixture, "ana", Role::Analyst, &[]).await;
    let here = account(&fixture, "sam", Role::Supervisor, &[CENTRE]).await;
    let there = account(&fixture, "sol", Role::Supervisor, &[OTHER]).await;
    let callers: [(&str, Option<&str>); 5] = [
        ("nobody", None),
        ("analyst", Some(&analyst)),
        ("supervisor of another centre", Some(&there)),
        ("supervisor of the centre", Some(&here)),
        ("admin", Some(&admin)),
    ];
    for index in 0..callers.len() {
        fixture.sign_up(&format!("Vecino_{index}")).await;
    }
    // Residents to revoke (one per caller), a consultation, a proposal.
    for index in 0..callers.len() {
        let alias = format!("Revocable_{index}");
        fixture
            .resident(&admin, &alias, &format!("7000000{index}"), "Centro")
            .await;
    }
    let consultation = fixture.consultation(&admin, |_| {}).await;
    let author = fixture
        .resident(&admin, "Autor_Scope", "71000000", "Centro")
        .await;
    let proposal: Value = fixture
        .post(
            As::Citizen(&author),
            "/participation/proposals",
            &json!({"title": "Bancos en la plaza", "body": "Necesitamos bancos nuevos."}),
        )
        .await
        .json()
        .await
        .expect("proposal");
    let proposal = proposal["id"].as_i64().expect("id");
    let consultation = consultation.id;

    // (method, path, body for caller i, statuses for the callers above)
    type Body = Box<dyn Fn(usize) -> (String, Value)>;
    let fixed =
        |path: String, body: Value| -> Body { Box::new(move |_| (path.clone(), body.clone())) };
    let table: Vec<(&str, &str, Body, [u16; 5])> = vec![
        (
            "POST",
            "/api/v1/participation/residents",
            Box::new(|index| {
                (
                    "/participation/residents".to_owned(),
                    json!({"alias": format!("Vecino_{index}"), "document_number": format!("8000000{index}"),
                           "neighbourhood": "Centro", "centre": CENTRE}),
                )
            }),
            [401, 403, 403, 201, 201],
        ),
        (
            "GET",
            "/api/v1/participation/residents",
            fixed("/participation/residents".to_owned(), Value::Null),
            [401, 403, 200, 200, 200],
        ),
        (
            "DELETE",
            "/api/v1/participation/residents/{alias}",
            Box::new(|index| {
                (
                    format!("/participation/residents/Revocable_{index}"),
                    Value::Null,
                )
            }),
            [401, 403, 403, 204, 204],
        ),
        (
            "POST",
            "/api/v1/participation/consultations",
            fixed(
                "/participation/consultations".to_owned(),
                json!({"question": text("¿Pregunta?"), "description": text("Descripción"),
                       "kind": "single", "max_choices": 1, "options": [text("Sí"), text("No")],
                       "opens_at": "2030-01-01T00:00:00Z", "closes_at": "2030-02-01T00:00:00Z",
                       "eligibility": "verified_residents"}),
            ),
            [401, 403, 403, 403, 201],
        ),
        (
            "POST",
            "/api/v1/participation/consultations/{id}/close",
            fixed(
                format!("/participation/consultations/{consultation}/close"),
                json!({}),
            ),
            [401, 403, 403, 403, 200],
        ),
        (
            "PUT",
            "/api/v1/participation/consultations/{id}/answer",
            fixed(
                format!("/participation/consultations/{consultation}/answer"),
                serde_json::to_value(text("Respuesta")).expect("json"),
            ),
            [401, 403, 403, 403, 200],
        ),
        (
            "PUT",
            "/api/v1/participation/proposals/{id}/answer",
            fixed(
                format!("/participation/proposals/{proposal}/answer"),
                json!({"status": "in_progress", "answer": text("En obra")}),
            ),
            [401, 403, 403, 403, 200],
        ),
        (
            "GET",
            "/api/v1/participation/moderation/proposals",
            fixed(
                "/participation/moderation/proposals".to_owned(),
                Value::Null,
            ),
            [401, 403, 200, 200, 200],
        ),
        (
            "POST",
            "/api/v1/participation/proposals/{id}/moderation",
            fixed(
                format!("/participation/proposals/{proposal}/moderation"),
                json!({"action": "publish"}),
            ),
            [401, 403, 403, 200, 200],
        ),
        (
            "GET",
            "/api/v1/participation/report",
            fixed(
                "/participation/report?from=2026-01-01&to=2026-01-31".to_owned(),
                Value::Null,
            ),
            [401, 200, 200, 200, 200],
        ),
    ];
    let covered: BTreeSet<(String, String)> = table
        .iter()
        .map(|(method, path, _, _)| ((*method).to_owned(), (*path).to_owned()))
        .collect();
    assert_eq!(covered, staff_routes(), "every staff route is in the table");

    for (method, route, body, statuses) in &table {
        for (index, ((caller, token), expected)) in callers.iter().zip(statuses).enumerate() {
            let (path, body) = body(index);
            let who = match token {
                Some(token) => As::Staff(token),
                None => As::Nobody,
            };
            let method = Method::from_bytes(method.as_bytes()).expect("method");
            let request = fixture.request(who, method.clone(), &path);
            let request = if body.is_null() {
                request
            } else {
                request.json(&body)
            };
            let status = request.send().await.expect("request").status().as_u16();
            assert_eq!(status, *expected, "{method} {route} as {caller}");
        }
    }

    // A supervisor of another centre lists none of this centre's residents.
    let listed: Vec<Value> = fixture
        .get(As::Staff(&there), "/participation/residents")
        .await
        .json()
        .await
        .expect("residents");
    assert!(listed.is_empty(), "{listed:?}");
}
