//! Requests to the municipality through the real API: filing at a kiosk
//! (anonymous and logged in), following by ticket, the staff queue and its
//! filters, assigning, status changes with notes read at another kiosk,
//! the audit log, centre scope, and hostile input.

use plaza_api::requests::{MyRequests, PublicRequest, RequestQueue, RequestStatus, StaffRequest};
use plaza_manager::testing::TestManager;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::common::{Fixture, citizen_at, fixture};

pub async fn seed_service_types(manager: &TestManager) {
    let added = plaza_manager::requests::seed::load(
        &manager.state.storage,
        plaza_manager::requests::seed::DEMO_SERVICE_TYPES,
    )
    .await
    .expect("seed service types");
    assert!(added >= 15, "{added} service types");
}

/// Files a request at `kiosk` (logged in when `citizen` is given).
pub async fn file(
    manager: &TestManager,
    kiosk: &(Uuid, String),
    citizen: Option<&str>,
    body: &Value,
) -> reqwest::Response {
    let mut request = manager
        .client
        .post(manager.url("/api/v1/requests"))
        .bearer_auth(&kiosk.1)
        .json(body);
    if let Some(citizen) = citizen {
        request = request.header(plaza_api::participation::CITIZEN_TOKEN_HEADER, citizen);
    }
    request.send().await.expect("file request")
}

pub fn lamp(description: &str) -> Value {
    json!({
        "service_code": "alumbrado",
        "description": description,
        "neighbourhood": "La Loma",
        "street": "Av. San Martín 1200",
        "reference": "frente a la escuela"
    })
}

pub async fn filed(
    manager: &TestManager,
    kiosk: &(Uuid, String),
    citizen: Option<&str>,
) -> PublicRequest {
    let response = file(
        manager,
        kiosk,
        citizen,
        &lamp("La luz de la esquina no enciende"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    response.json().await.expect("filed request")
}

async fn staff_token(manager: &TestManager, name: &str) -> String {
    let token =
        plaza_manager::auth::new_secret(plaza_manager::auth::API_TOKEN_PREFIX).expect("secret");
    manager
        .state
        .storage
        .create_user_api_token(
            name.to_owned(),
            plaza_manager::auth::hash_secret(&token),
            manager.now(),
        )
        .await
        .expect("token");
    token
}

async fn queue(manager: &TestManager, token: &str, query: &str) -> RequestQueue {
    let response = manager
        .client
        .get(manager.url(&format!("/api/v1/requests{query}")))
        .bearer_auth(token)
        .send()
        .await
        .expect("queue");
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("queue body")
}

/// The id of the request with this ticket, as staff see it.
async fn id_of(manager: &TestManager, token: &str, ticket: &str) -> i64 {
    queue(manager, token, "?limit=100")
        .await
        .items
        .into_iter()
        .find(|item| item.public.ticket == ticket)
        .expect("request in the queue")
        .id
}

async fn staff_post(
    manager: &TestManager,
    token: &str,
    path: &str,
    body: &Value,
) -> reqwest::Response {
    manager
        .client
        .post(manager.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("staff post")
}

async fn setup() -> (Fixture, String, String, String) {
    let fixture = fixture().await;
    seed_service_types(&fixture.manager).await;
    let admin = staff_token(&fixture.manager, "admin").await;
    let sam = staff_token(&fixture.manager, "sam").await;
    let sol = staff_token(&fixture.manager, "sol").await;
    (fixture, admin, sam, sol)
}

#[tokio::test]
async fn a_request_filed_logged_in_shows_the_staff_note_at_another_kiosk() {
    let (fixture, admin, sam, _) = setup().await;
    let manager = &fixture.manager;
    let citizen = citizen_at(manager, &fixture.north_kiosk, "Vecina").await;
    let request = filed(manager, &fixture.north_kiosk, Some(&citizen)).await;
    assert_eq!(request.status, RequestStatus::Open);
    assert_eq!(request.service_name, "Luminaria apagada o dañada");
    let id = id_of(manager, &sam, &request.ticket).await;

    let assigned = staff_post(
        manager,
        &admin,
        &format!("/api/v1/requests/{id}/assign"),
        &json!({"assignee": "sam", "internal_note": "Cuadrilla 3"}),
    )
    .await;
    assert_eq!(assigned.status(), StatusCode::OK);
    let assigned: StaffRequest = assigned.json().await.expect("assigned");
    assert_eq!(assigned.assignee.as_deref(), Some("sam"));

    let moved = staff_post(manager, &sam, &format!("/api/v1/requests/{id}/status"), &json!({"status": "in_process", "public_note": "Una cuadrilla irá el martes.", "internal_note": "Pedir escalera"})).await;
    assert_eq!(moved.status(), StatusCode::OK);
    let closed = staff_post(
        manager,
        &sam,
        &format!("/api/v1/requests/{id}/status"),
        &json!({"status": "closed", "public_note": "Cambiamos la lámpara."}),
    )
    .await;
    assert_eq!(closed.status(), StatusCode::OK);
    let reopened = staff_post(
        manager,
        &sam,
        &format!("/api/v1/requests/{id}/status"),
        &json!({"status": "open", "public_note": "otra vez"}),
    )
    .await;
    assert_eq!(reopened.status(), StatusCode::CONFLICT, "closed is final");

    // The citizen logs in at the other centre's kiosk.
    let login: Value = manager
        .client
        .post(manager.url("/api/v1/citizens/login"))
        .bearer_auth(&fixture.south_kiosk.1)
        .json(&json!({"alias": "Vecina", "pin": "4821", "session_id": Uuid::now_v7()}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("login body");
    let token = login["token"].as_str().expect("token");
    let mine: MyRequests = manager
        .client
        .get(manager.url("/api/v1/requests/mine?lang=en"))
        .bearer_auth(&fixture.south_kiosk.1)
        .header(plaza_api::participation::CITIZEN_TOKEN_HEADER, token)
        .send()
        .await
        .expect("mine")
        .json()
        .await
        .expect("mine body");
    assert_eq!(mine.requests.len(), 1);
    assert_eq!(mine.requests[0].status, RequestStatus::Closed);
    assert_eq!(
        mine.requests[0].public_note.as_deref(),
        Some("Cambiamos la lámpara.")
    );
    assert_eq!(mine.requests[0].service_name, "Street light out or damaged");
    let text = serde_json::to_string(&mine).expect("json");
    assert!(
        !text.contains("Pedir escalera") && !text.contains("Cuadrilla"),
        "no internal notes: {text}"
    );

    // Staff see the whole history, internal notes included.
    let detail: StaffRequest = manager
        .client
        .get(manager.url(&format!("/api/v1/requests/{id}")))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("detail")
        .json()
        .await
        .expect("detail body");
    let statuses: Vec<_> = detail.changes.iter().map(|change| change.status).collect();
    assert_eq!(
        statuses,
        [
            RequestStatus::Open,
            RequestStatus::Open,
            RequestStatus::InProcess,
            RequestStatus::Closed
        ]
    );
    assert_eq!(
        detail.changes[2].internal_note.as_deref(),
        Some("Pedir escalera")
    );

    let audit = manager
        .state
        .storage
        .audit_entries(50)
        .await
        .expect("audit");
    for action in [
        "request.filed",
        "request.assigned",
        "request.status_changed",
    ] {
        assert!(
            audit.iter().any(|entry| entry.action == action
                && entry.target.as_deref() == Some(request.ticket.as_str())),
            "{action} in {audit:?}"
        );
    }
    assert_eq!(
        audit
            .iter()
            .filter(|entry| entry.action == "request.status_changed")
            .count(),
        2
    );
}

#[tokio::test]
async fn an_anonymous_request_is_followed_by_its_ticket_at_any_kiosk() {
    let (fixture, admin, _, _) = setup().await;
    let manager = &fixture.manager;
    let request = filed(manager, &fixture.north_kiosk, None).await;
    assert_eq!(request.ticket.len(), 9);
    let id = id_of(manager, &admin, &request.ticket).await;
    let moved = staff_post(
        manager,
        &admin,
        &format!("/api/v1/requests/{id}/status"),
        &json!({"status": "rejected", "public_note": "Es de la empresa eléctrica."}),
    )
    .await;
    assert_eq!(moved.status(), StatusCode::OK);
    let typed = request.ticket.replace('-', "").to_lowercase();
    let followed = manager
        .client
        .get(manager.url(&format!("/api/v1/requests/tickets/{typed}")))
        .bearer_auth(&fixture.south_kiosk.1)
        .send()
        .await
        .expect("follow");
    assert_eq!(followed.status(), StatusCode::OK);
    let followed: PublicRequest = followed.json().await.expect("followed");
    assert_eq!(followed.status, RequestStatus::Rejected);
    assert_eq!(
        followed.public_note.as_deref(),
        Some("Es de la empresa eléctrica.")
    );
    let unknown = manager
        .client
        .get(manager.url("/api/v1/requests/tickets/ZZZZ-ZZZZ"))
        .bearer_auth(&fixture.south_kiosk.1)
        .send()
        .await
        .expect("unknown ticket");
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    // "My requests" needs a login.
    let mine = manager
        .client
        .get(manager.url("/api/v1/requests/mine"))
        .bearer_auth(&fixture.north_kiosk.1)
        .send()
        .await
        .expect("mine");
    assert_eq!(mine.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_queue_filters_by_type_status_neighbourhood_and_age_within_scope() {
    let (fixture, admin, sam, sol) = setup().await;
    let manager = &fixture.manager;
    let north = filed(manager, &fixture.north_kiosk, None).await;
    let pothole = file(manager, &fixture.south_kiosk, None, &json!({"service_code": "baches", "description": "Un pozo enorme", "neighbourhood": "Puerto"})).await;
    assert_eq!(pothole.status(), StatusCode::CREATED);
    let pothole: PublicRequest = pothole.json().await.expect("pothole");

    let tickets = |queue: RequestQueue| {
        queue
            .items
            .into_iter()
            .map(|item| item.public.ticket)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        tickets(queue(manager, &admin, "").await),
        [north.ticket.clone(), pothole.ticket.clone()]
    );
    assert_eq!(
        tickets(queue(manager, &admin, "?service_code=baches").await),
        [pothole.ticket.as_str()]
    );
    assert_eq!(
        tickets(queue(manager, &admin, "?neighbourhood=La%20Loma").await),
        [north.ticket.as_str()]
    );
    assert_eq!(
        tickets(queue(manager, &admin, "?status=closed").await),
        Vec::<String>::new()
    );
    // A request filed three days ago (straight into storage, at that time).
    let old = manager
        .state
        .storage
        .file_request(plaza_manager::storage::requests::NewRequestRecord {
            ticket: plaza_manager::requests::new_ticket().expect("ticket"),
            service_code: "ruidos".to_owned(),
            description: "Música muy fuerte".to_owned(),
            neighbourhood: Some("Centro".to_owned()),
            street: None,
            reference: None,
            lat: None,
            lon: None,
            attributes: serde_json::Map::new(),
            channel: plaza_api::requests::RequestChannel::Kiosk,
            centre_id: None,
            citizen_id: None,
            actor: "test".to_owned(),
            now: manager.now() - jiff::SignedDuration::from_hours(72),
        })
        .await
        .expect("old request");
    assert_eq!(
        tickets(queue(manager, &admin, "?older_than_days=2").await),
        [old.ticket.as_str()]
    );
    assert_eq!(
        tickets(queue(manager, &admin, "?older_than_days=4").await),
        Vec::<String>::new()
    );
    // Scope: each supervisor sees their centre's requests…
    assert_eq!(
        tickets(queue(manager, &sam, "").await),
        [north.ticket.as_str()]
    );
    assert_eq!(
        tickets(queue(manager, &sol, "").await),
        [pothole.ticket.as_str()]
    );
    // …and those assigned to them.
    let id = id_of(manager, &admin, &north.ticket).await;
    let assigned = staff_post(
        manager,
        &admin,
        &format!("/api/v1/requests/{id}/assign"),
        &json!({"assignee": "sol"}),
    )
    .await;
    assert_eq!(assigned.status(), StatusCode::OK);
    assert_eq!(
        tickets(queue(manager, &sol, "").await),
        [north.ticket.clone(), pothole.ticket.clone()]
    );
    assert!(
        !tickets(queue(manager, &sam, "").await).contains(&old.ticket),
        "filed at no centre"
    );
    let by_sol = staff_post(
        manager,
        &sol,
        &format!("/api/v1/requests/{id}/status"),
        &json!({"status": "in_process", "public_note": "En camino"}),
    )
    .await;
    assert_eq!(by_sol.status(), StatusCode::OK);
    // An analyst cannot be assigned.
    let analyst = staff_post(
        manager,
        &admin,
        &format!("/api/v1/requests/{id}/assign"),
        &json!({"assignee": "ana"}),
    )
    .await;
    assert_eq!(analyst.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn hostile_input_is_refused_or_kept_as_text() {
    let (fixture, admin, _, _) = setup().await;
    let manager = &fixture.manager;
    let huge = "a".repeat(100 * 1024);
    let response = file(manager, &fixture.north_kiosk, None, &lamp(&huge)).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = file(
        manager,
        &fixture.north_kiosk,
        None,
        &json!({"service_code": "no_such", "description": "hola hola", "neighbourhood": "Centro"}),
    )
    .await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let nowhere = file(
        manager,
        &fixture.north_kiosk,
        None,
        &json!({"service_code": "baches", "description": "hola hola", "neighbourhood": " "}),
    )
    .await;
    assert_eq!(nowhere.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let markup = "<script>alert(1)</script> <b>luz</b>";
    let stored = file(manager, &fixture.north_kiosk, None, &lamp(markup)).await;
    assert_eq!(stored.status(), StatusCode::CREATED);
    let stored: PublicRequest = stored.json().await.expect("stored");
    assert_eq!(stored.description, markup, "kept as text, not interpreted");
    let id = id_of(manager, &admin, &stored.ticket).await;
    let no_note = staff_post(
        manager,
        &admin,
        &format!("/api/v1/requests/{id}/status"),
        &json!({"status": "closed", "public_note": "  "}),
    )
    .await;
    assert_eq!(no_note.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Staff cannot file as if at a kiosk.
    let as_staff = staff_post(manager, &admin, "/api/v1/requests", &lamp("hola hola")).await;
    assert_eq!(as_staff.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_requests_report_counts_by_type_and_suppresses_small_groups() {
    let (fixture, admin, _, sol) = setup().await;
    let manager = &fixture.manager;
    let analyst = staff_token(manager, "ana").await;
    let mut tickets = Vec::new();
    for (code, times) in [("alumbrado", 6), ("baches", 5), ("ruidos", 1)] {
        for _ in 0..times {
            let body = json!({"service_code": code, "description": "Hace falta arreglarlo", "neighbourhood": "Centro"});
            let response = file(manager, &fixture.north_kiosk, None, &body).await;
            assert_eq!(response.status(), StatusCode::CREATED);
            tickets.push(
                response
                    .json::<PublicRequest>()
                    .await
                    .expect("filed")
                    .ticket,
            );
        }
    }
    for ticket in &tickets[..5] {
        let id = id_of(manager, &admin, ticket).await;
        let closed = staff_post(
            manager,
            &admin,
            &format!("/api/v1/requests/{id}/status"),
            &json!({"status": "closed", "public_note": "Listo."}),
        )
        .await;
        assert_eq!(closed.status(), StatusCode::OK);
    }
    let today = manager.now().to_zoned(jiff::tz::TimeZone::UTC).date();
    let report = |token: String| async move {
        let response = manager
            .client
            .get(manager.url(&format!("/api/v1/reports/requests?from={today}&to={today}")))
            .bearer_auth(token)
            .send()
            .await
            .expect("report");
        assert_eq!(response.status(), StatusCode::OK);
        response.json::<Value>().await.expect("report body")
    };
    let published = report(analyst).await;
    assert_eq!(published["total"], json!(12), "{published}");
    let cell = |key: &str| {
        published["by_type"]
            .as_array()
            .expect("by type")
            .iter()
            .find(|group| group["key"] == key)
            .map(|group| group["requests"].clone())
    };
    assert_eq!(cell("alumbrado"), Some(json!(6)));
    assert_eq!(cell("ruidos"), Some(json!("< 5")));
    assert_eq!(
        cell("baches"),
        Some(json!("hidden")),
        "protects the small one"
    );
    assert_eq!(published["closed"], json!(5));
    assert!(
        published["median_hours_to_close"].is_number(),
        "{published}"
    );
    // The other centre's supervisor counts nothing of this one.
    let other = report(sol).await;
    assert_eq!(other["total"], json!(0), "{other}");
}
