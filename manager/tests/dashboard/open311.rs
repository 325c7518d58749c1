//! Open311 GeoReport v2 (JSON) against the spec's own examples
//! (https://wiki.open311.org/GeoReport_v2): every field of each example
//! is in our answer with the same JSON type (or null where the spec
//! allows it), and every error is the spec's `[{"code", "description"}]`.
//! Personal fields are accepted and never reach the database file.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::fixture;
use crate::requests::{filed, seed_service_types};

/// The spec's examples, field for field.
fn spec_service() -> Value {
    json!({"service_code":"001","service_name":"Cans left out 24x7","description":"Garbage or recycling cans that have been left out for more than 24 hours after collection. Violators will be cited.","metadata":true,"type":"realtime","keywords":"lorem, ipsum, dolor","group":"sanitation"})
}

fn spec_definition() -> Value {
    json!({"service_code":"DMV66","attributes":[{"variable":true,"code":"WHISHETN","datatype":"singlevaluelist","required":true,"datatype_description":null,"order":1,"description":"What is the ticket/tag/DL number?","values":[{"key":123,"name":"Ford"},{"key":124,"name":"Chrysler"}]}]})
}

fn spec_request() -> Value {
    json!({"service_request_id":638344,"status":"closed","status_notes":"Duplicate request.","service_name":"Sidewalk and Curb Issues","service_code":"006","description":null,"agency_responsible":null,"service_notice":null,"requested_datetime":"2010-04-14T06:37:38-08:00","updated_datetime":"2010-04-14T06:37:38-08:00","expected_datetime":"2010-04-15T06:37:38-08:00","address":"8TH AVE and JUDAH ST","address_id":545483,"zipcode":94122,"lat":37.762221815,"long":-122.4651145,"media_url":"http://city.gov.s3.amazonaws.com/requests/media/638344.jpg"})
}

fn spec_receipt() -> Value {
    json!({"service_request_id":293944,"service_notice":"The City will inspect and require the responsible party to correct within 24 hours and/or issue a Correction Notice or Notice of Violation of the Public Works Code","account_id":null})
}

fn spec_error() -> Value {
    json!({"code":403,"description":"Invalid api_key"})
}

/// Every field of the example is in `ours`; where both are non-null their
/// JSON kinds agree (ids and codes may be strings where the example shows
/// numbers: the spec types them as strings). Our answer has no field the
/// example lacks.
fn same_shape(example: &Value, ours: &Value, at: &str) {
    let (Value::Object(example), Value::Object(ours)) = (example, ours) else {
        panic!("{at}: expected objects, got {ours}");
    };
    let keys = |object: &serde_json::Map<String, Value>| object.keys().cloned().collect::<Vec<_>>();
    let (mut wanted, mut got) = (keys(example), keys(ours));
    wanted.sort();
    got.sort();
    assert_eq!(got, wanted, "{at}: fields");
    for (key, expected) in example {
        let value = &ours[key];
        match (expected, value) {
            (_, Value::Null) | (Value::Null, _) => {}
            (Value::Number(_), Value::String(_))
                if key.ends_with("_id") || key == "key" || key == "zipcode" => {}
            (Value::Object(_), _) => same_shape(expected, value, &format!("{at}.{key}")),
            (Value::Array(items), Value::Array(values)) => {
                if let (Some(item), Some(value)) = (items.first(), values.first())
                    && item.is_object()
                {
                    same_shape(item, value, &format!("{at}.{key}[0]"));
                }
            }
            _ => assert_eq!(
                std::mem::discriminant(expected),
                std::mem::discriminant(value),
                "{at}.{key}: {value} is not like {expected}"
            ),
        }
    }
}

async fn get_json(
    manager: &plaza_manager::testing::TestManager,
    path: &str,
) -> (StatusCode, Value) {
    let response = manager
        .client
        .get(manager.url(path))
        .send()
        .await
        .expect("GET");
    let status = response.status();
    (status, response.json().await.expect("JSON answer"))
}

fn assert_spec_error(body: &Value, status: StatusCode) {
    let entries = body.as_array().expect("an error array");
    assert_eq!(entries.len(), 1, "{body}");
    same_shape(&spec_error(), &entries[0], "error");
    assert_eq!(entries[0]["code"], status.as_u16(), "{body}");
}

#[tokio::test]
async fn services_and_definitions_match_the_spec() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    seed_service_types(manager).await;
    let (status, services) =
        get_json(manager, "/open311/v2/services.json?jurisdiction_id=plaza").await;
    assert_eq!(status, StatusCode::OK);
    let services = services.as_array().expect("array");
    assert!(services.len() >= 15);
    for service in services {
        same_shape(&spec_service(), service, "service");
    }
    let lamp = services
        .iter()
        .find(|service| service["service_code"] == "alumbrado")
        .expect("lighting");
    assert_eq!(lamp["metadata"], true);
    assert_eq!(lamp["service_name"], "Luminaria apagada o dañada");
    let (_, english) = get_json(manager, "/open311/v2/services.json?locale=en").await;
    assert!(
        english
            .as_array()
            .expect("array")
            .iter()
            .any(|service| service["service_name"] == "Pothole")
    );

    let (status, definition) = get_json(manager, "/open311/v2/services/alumbrado.json").await;
    assert_eq!(status, StatusCode::OK);
    same_shape(&spec_definition(), &definition, "definition");
    let (status, body) = get_json(manager, "/open311/v2/services/nothing.json").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_spec_error(&body, status);
    let (status, body) = get_json(manager, "/open311/v2/services/alumbrado.xml").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "JSON only");
    assert_spec_error(&body, status);
}

async fn post_form(
    manager: &plaza_manager::testing::TestManager,
    form: &[(&str, &str)],
) -> (StatusCode, Value) {
    let response = manager
        .client
        .post(manager.url("/open311/v2/requests.json"))
        .form(form)
        .send()
        .await
        .expect("POST");
    let status = response.status();
    (status, response.json().await.expect("JSON answer"))
}

#[tokio::test]
async fn requests_are_filed_with_a_key_and_listed_like_the_spec() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    seed_service_types(manager).await;
    let key = manager
        .staff_token(plaza_api::staff::Role::Supervisor)
        .await;
    let personal = "maria.perez.unique@example.org";
    let (status, receipt) = post_form(
        manager,
        &[
            ("api_key", &key),
            ("service_code", "alumbrado"),
            ("lat", "-34.6037"),
            ("long", "-58.3816"),
            ("address_string", "Av. Corrientes 1234"),
            ("description", "La farola titila toda la noche"),
            ("attribute[estado_luminaria]", "titila"),
            ("email", personal),
            ("first_name", "María"),
            ("last_name", "Pérez-Únicoapellido"),
            ("phone", "+54 11 5555-0199"),
            ("device_id", "device-xyz-unique"),
            ("account_id", "acct-unique-42"),
            ("media_url", "http://example.org/photo.jpg"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{receipt}");
    same_shape(&spec_receipt(), &receipt[0], "receipt");
    let id = receipt[0]["service_request_id"]
        .as_str()
        .expect("id")
        .to_owned();

    let (status, one) = get_json(manager, &format!("/open311/v2/requests/{id}.json")).await;
    assert_eq!(status, StatusCode::OK);
    same_shape(&spec_request(), &one[0], "request");
    assert_eq!(one[0]["status"], "open");
    assert_eq!(one[0]["lat"], -34.6037);
    assert_eq!(one[0]["address"], "Av. Corrientes 1234");
    assert!(
        one[0]["requested_datetime"]
            .as_str()
            .expect("time")
            .ends_with('Z')
    );

    // A kiosk's request, closed by staff: listed as closed with its note.
    let kiosk_request = filed(manager, &fixture.north_kiosk, None).await;
    let admin = manager.staff_token(plaza_api::staff::Role::Admin).await;
    let queue: Value = manager
        .client
        .get(manager.url("/api/v1/requests"))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("queue")
        .json()
        .await
        .expect("queue");
    let kiosk_id = queue["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|item| item["ticket"] == kiosk_request.ticket.as_str())
        .expect("in queue")["id"]
        .as_i64()
        .expect("id");
    let closed = manager
        .client
        .post(manager.url(&format!("/api/v1/requests/{kiosk_id}/status")))
        .bearer_auth(&admin)
        .json(&json!({"status": "closed", "public_note": "Reparada."}))
        .send()
        .await
        .expect("close");
    assert_eq!(closed.status(), StatusCode::OK);

    let (status, all) = get_json(manager, "/open311/v2/requests.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(all.as_array().expect("array").len(), 2);
    // Newest first: a capped list shows the latest requests of its window.
    assert_eq!(all[0]["service_request_id"], kiosk_request.ticket.as_str());
    assert_eq!(all[1]["service_request_id"], id.as_str());
    for request in all.as_array().expect("array") {
        same_shape(&spec_request(), request, "request");
    }
    let (_, closed) = get_json(manager, "/open311/v2/requests.json?status=closed").await;
    assert_eq!(closed.as_array().expect("array").len(), 1);
    assert_eq!(closed[0]["status_notes"], "Reparada.");
    let (_, open) = get_json(
        manager,
        "/open311/v2/requests.json?status=open&service_code=alumbrado",
    )
    .await;
    assert_eq!(open[0]["service_request_id"], id.as_str());
    let (_, by_id) = get_json(
        manager,
        &format!(
            "/open311/v2/requests.json?service_request_id={id},{}",
            kiosk_request.ticket
        ),
    )
    .await;
    assert_eq!(by_id.as_array().expect("array").len(), 2);
    let (_, future) = get_json(
        manager,
        "/open311/v2/requests.json?start_date=2099-01-01T00:00:00Z",
    )
    .await;
    assert_eq!(future, json!([]));

    // Errors, each as the spec's array.
    for (path, status) in [
        (
            "/open311/v2/requests.json?start_date=yesterday",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/open311/v2/requests.json?status=pending",
            StatusCode::BAD_REQUEST,
        ),
        ("/open311/v2/requests/ZZZZ-ZZZZ.json", StatusCode::NOT_FOUND),
        ("/open311/v2/requests/638344.json", StatusCode::NOT_FOUND),
    ] {
        let (got, body) = get_json(manager, path).await;
        assert_eq!(got, status, "{path}");
        assert_spec_error(&body, status);
    }
    for (form, status) in [
        (
            vec![("service_code", "alumbrado"), ("lat", "1"), ("long", "1")],
            StatusCode::FORBIDDEN,
        ),
        (
            vec![
                ("api_key", "pza_not-a-key"),
                ("service_code", "alumbrado"),
                ("lat", "1"),
                ("long", "1"),
            ],
            StatusCode::FORBIDDEN,
        ),
        (
            vec![("api_key", key.as_str()), ("lat", "1"), ("long", "1")],
            StatusCode::BAD_REQUEST,
        ),
        (
            vec![
                ("api_key", key.as_str()),
                ("service_code", "nothing"),
                ("lat", "1"),
                ("long", "1"),
            ],
            StatusCode::BAD_REQUEST,
        ),
        (
            vec![("api_key", key.as_str()), ("service_code", "baches")],
            StatusCode::BAD_REQUEST,
        ),
        (
            vec![
                ("api_key", key.as_str()),
                ("service_code", "baches"),
                ("lat", "north"),
                ("long", "1"),
            ],
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let (got, body) = post_form(manager, &form).await;
        assert_eq!(got, status, "{form:?}: {body}");
        assert_spec_error(&body, status);
    }
    let huge = "x".repeat(100 * 1024);
    let (got, body) = post_form(
        manager,
        &[
            ("api_key", &key),
            ("service_code", "baches"),
            ("address_string", "Calle 1"),
            ("description", &huge),
        ],
    )
    .await;
    assert_eq!(got, StatusCode::BAD_REQUEST);
    assert_spec_error(&body, got);

    // The personal fields never reached the database.
    let folder = manager.state.storage.path().to_owned();
    manager.state.storage.close().await;
    let mut bytes = Vec::new();
    for suffix in ["", "-wal"] {
        let mut path = folder.clone().into_os_string();
        path.push(suffix);
        if let Ok(content) = std::fs::read(&path) {
            bytes.extend(content);
        }
    }
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains("La farola titila"),
        "the description was stored"
    );
    for secret in [
        personal,
        "Únicoapellido",
        "5555-0199",
        "device-xyz-unique",
        "acct-unique-42",
        "photo.jpg",
    ] {
        assert!(!text.contains(secret), "{secret} was stored");
    }
}
