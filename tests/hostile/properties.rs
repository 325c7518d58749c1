//! Property tests over the request decoders, through the running manager:
//! whatever bytes or mutated JSON arrive, the answer is a documented status
//! with a typed JSON error, never a 5xx or a dropped connection.

use std::sync::OnceLock;

use plaza_manager::testing::TestManager;
use proptest::prelude::*;
use serde_json::{Value, json};
use uuid::Uuid;

struct Target {
    runtime: tokio::runtime::Runtime,
    manager: TestManager,
    kiosk_id: Uuid,
    token: String,
}

/// One manager for all cases: starting one per case would test start-up,
/// not decoding.
fn target() -> &'static Target {
    static TARGET: OnceLock<Target> = OnceLock::new();
    TARGET.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let (manager, kiosk) = runtime.block_on(async {
            let manager = TestManager::start().await;
            manager.add_centre("Centro Cívico", &["Centro"]).await;
            let kiosk = manager.enrol_kiosk("Centro Cívico", "pc-01").await;
            (manager, kiosk)
        });
        Target {
            runtime,
            manager,
            kiosk_id: kiosk.kiosk_id,
            token: kiosk.token,
        }
    })
}

/// Posts `body` and returns (status, parsed body), or panics with why the
/// answer broke the contract.
fn post(path: &str, content_type: &str, body: Vec<u8>) -> (u16, Value) {
    let target = target();
    let sent = String::from_utf8_lossy(&body).into_owned();
    target.runtime.block_on(async {
        let response = target
            .manager
            .client
            .post(target.manager.url(path))
            .bearer_auth(&target.token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("the manager answers every request");
        let status = response.status().as_u16();
        let text = response.text().await.expect("readable body");
        let value: Value = serde_json::from_str(&text)
            .unwrap_or_else(|error| panic!("answer {status} is not JSON ({error}): {text}"));
        if status >= 400 {
            assert!(
                value["error"]["code"].is_string() && value["error"]["message"].is_string(),
                "not a typed error: {text}"
            );
        }
        assert!(status < 500, "server error {status}: {text} for {sent}");
        (status, value)
    })
}

fn heartbeat_path() -> String {
    format!("/api/v1/kiosks/{}/heartbeat", target().kiosk_id)
}

fn valid_heartbeat() -> Value {
    json!({
        "sent_at": "2026-11-25T10:00:00Z",
        "state": "in_session",
        "app_version": "0.1.0",
        "health": {"uptime_s": 60, "cpu_percent": 5.0, "memory_used_bytes": 1, "memory_total_bytes": 2,
                   "disk_free_bytes": 1, "disk_total_bytes": 2},
        "outbox_len": 0,
        "last_error": null,
        "session": {"session_id": Uuid::nil(), "started_at": "2026-11-25T09:50:00Z",
                    "ends_at": "2026-11-25T10:20:00Z"},
        "acked_commands": [],
        "content_version": 3,
    })
}

fn valid_event() -> Value {
    json!({
        "id": Uuid::now_v7(),
        "kind": "session_started",
        "at": "2026-11-25T10:00:00Z",
        "session_id": Uuid::now_v7(),
        "data": {"allotment_s": 1800, "language": "es", "large_text": false, "high_contrast": true},
    })
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|number| json!(number)),
        Just(json!(u64::MAX)),
        ".{0,40}".prop_map(Value::String),
        "[a-z_]{1,12}".prop_map(Value::String),
        Just(json!("2026-13-45T99:99:99Z")),
        Just(json!([])),
        Just(json!({})),
    ]
}

/// Every JSON pointer inside `value`, the root excluded.
fn pointers(value: &Value, prefix: &str, into: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let pointer = format!("{prefix}/{key}");
                into.push(pointer.clone());
                pointers(child, &pointer, into);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                let pointer = format!("{prefix}/{index}");
                into.push(pointer.clone());
                pointers(child, &pointer, into);
            }
        }
        _ => {}
    }
}

/// `value` with the node at the `choice`-th pointer replaced by `replacement`.
fn mutate(mut value: Value, choice: usize, replacement: Value) -> Value {
    let mut all = Vec::new();
    pointers(&value, "", &mut all);
    if let Some(pointer) = all.get(choice % all.len().max(1))
        && let Some(node) = value.pointer_mut(pointer)
    {
        *node = replacement;
    }
    value
}

/// Found by `mutated_heartbeats_are_accepted_or_refused_cleanly`: a number
/// too large for its field was a 400 `malformed_json`, though the JSON is
/// well formed.
#[test]
fn a_number_too_large_for_its_field_is_a_value_error() {
    let mut body = valid_heartbeat();
    body["health"]["cpu_percent"] = json!(-1.199_620_300_360_066_2e204);
    let (status, reply) = post(
        &heartbeat_path(),
        "application/json",
        body.to_string().into_bytes(),
    );
    assert_eq!(status, 422, "{reply}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_break_the_heartbeat(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let (status, _) = post(&heartbeat_path(), "application/json", bytes);
        prop_assert!(matches!(status, 400 | 422), "status {status}");
    }

    #[test]
    fn mutated_heartbeats_are_accepted_or_refused_cleanly(choice in any::<usize>(), replacement in leaf()) {
        let body = mutate(valid_heartbeat(), choice, replacement);
        let (status, _) = post(&heartbeat_path(), "application/json", body.to_string().into_bytes());
        prop_assert!(matches!(status, 200 | 422), "status {status} for {body}");
    }

    #[test]
    fn mutated_events_are_stored_or_named_with_a_reason(choice in any::<usize>(), replacement in leaf()) {
        let event = mutate(valid_event(), choice, replacement);
        let batch = json!({ "events": [event.clone(), valid_event()] });
        let (status, reply) = post("/api/v1/events", "application/json", batch.to_string().into_bytes());
        prop_assert_eq!(status, 200, "{}", reply);
        let accepted = reply["accepted"].as_array().map_or(0, Vec::len);
        let rejected = reply["rejected"].as_array().cloned().unwrap_or_default();
        prop_assert_eq!(accepted + rejected.len(), 2, "every event accounted for: {}", reply);
        prop_assert!(rejected.iter().all(|rejection| rejection["index"] == 0), "the valid event is never refused: {}", reply);
    }

    #[test]
    fn arbitrary_enrolment_requests_get_typed_errors(code in ".{0,30}", hostname in ".{0,80}") {
        let body = json!({ "code": code, "hostname": hostname });
        let (status, reply) = post("/api/v1/kiosks/enroll", "application/json", body.to_string().into_bytes());
        // 429 once too many well-formed codes were refused: a typed error too.
        prop_assert!(matches!(status, 401 | 422 | 429), "status {status}: {reply}");
    }
}
