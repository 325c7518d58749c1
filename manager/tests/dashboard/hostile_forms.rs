//! Hostile form posts against the dashboard: every one gets a clear 4xx
//! answer (never a 500 or an empty page), nothing is queued for a kiosk,
//! and whatever is echoed back is escaped. (Invalid UTF-8 in a form is
//! decoded with replacement characters, as browsers and `form_urlencoded`
//! do; a login with it simply names no account.)

use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;

use crate::common::{fixture, page, signed_in};

/// What the dashboard answered: status, content type and body.
struct Answer {
    status: StatusCode,
    content_type: String,
    body: String,
}

async fn post(client: &reqwest::Client, url: String, content_type: &str, body: Vec<u8>) -> Answer {
    let response = client
        .post(url)
        .header(CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .expect("POST");
    let status = response.status();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.text().await.expect("body");
    Answer {
        status,
        content_type,
        body,
    }
}

/// `application/x-www-form-urlencoded` by hand, so tests can also send
/// what a browser never would.
fn form(fields: &[(&str, &str)]) -> Vec<u8> {
    fields
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn hostile_kiosk_action_forms_get_clear_refusals_and_queue_nothing() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    let client = signed_in(manager, "sam").await;
    let kiosk = fixture.north_kiosk.0;
    let (_, kiosk_page) = page(&client, manager, &format!("/dashboard/kiosks/{kiosk}")).await;
    let csrf = crate::common::csrf_of(&kiosk_page);
    let actions = manager.url(&format!("/dashboard/kiosks/{kiosk}/actions"));
    let urlencoded = "application/x-www-form-urlencoded";
    let long_text = "x".repeat(10_000);

    let cases: Vec<(&str, String, &str, Vec<u8>, StatusCode)> = vec![
        (
            "no action field",
            actions.clone(),
            urlencoded,
            form(&[("csrf", &csrf), ("confirmed", "yes")]),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "unknown action",
            actions.clone(),
            urlencoded,
            form(&[("csrf", &csrf), ("action", "reboot"), ("confirmed", "yes")]),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "negative minutes",
            actions.clone(),
            urlencoded,
            form(&[
                ("csrf", &csrf),
                ("action", "extend"),
                ("minutes", "-5"),
                ("confirmed", "yes"),
            ]),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "minutes beyond any session",
            actions.clone(),
            urlencoded,
            form(&[
                ("csrf", &csrf),
                ("action", "extend"),
                ("minutes", "99999999999"),
                ("confirmed", "yes"),
            ]),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "zero minutes",
            actions.clone(),
            urlencoded,
            form(&[
                ("csrf", &csrf),
                ("action", "extend"),
                ("minutes", "0"),
                ("confirmed", "yes"),
            ]),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "a message of 10,000 characters",
            actions.clone(),
            urlencoded,
            form(&[
                ("csrf", &csrf),
                ("action", "message"),
                ("text", &long_text),
                ("confirmed", "yes"),
            ]),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "an empty message",
            actions.clone(),
            urlencoded,
            form(&[
                ("csrf", &csrf),
                ("action", "message"),
                ("text", "   "),
                ("confirmed", "yes"),
            ]),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "JSON instead of a form",
            actions.clone(),
            "application/json",
            br#"{"action":"end","confirmed":"yes"}"#.to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "path traversal as the kiosk id",
            manager.url("/dashboard/kiosks/..%2F..%2Fetc%2Fpasswd/actions"),
            urlencoded,
            form(&[("csrf", &csrf), ("action", "end"), ("confirmed", "yes")]),
            StatusCode::BAD_REQUEST,
        ),
        (
            "a kiosk that does not exist",
            manager.url(&format!("/dashboard/kiosks/{}/actions", uuid::Uuid::nil())),
            urlencoded,
            form(&[("csrf", &csrf), ("action", "end"), ("confirmed", "yes")]),
            StatusCode::NOT_FOUND,
        ),
    ];
    let mut wrong = Vec::new();
    for (name, url, content_type, body, expected) in cases {
        let answer = post(&client, url, content_type, body).await;
        if answer.status != expected || answer.body.trim().is_empty() {
            wrong.push(format!(
                "{name}: {} ({}) {:.200}",
                answer.status, answer.content_type, answer.body
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "unexpected answers:\n{}",
        wrong.join("\n")
    );
    let commands = manager
        .state
        .storage
        .commands_for(kiosk, 10)
        .await
        .expect("commands");
    assert!(commands.is_empty(), "nothing was queued: {commands:?}");
}

#[tokio::test]
async fn markup_in_a_message_is_escaped_on_the_confirmation_page() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    let client = signed_in(manager, "sam").await;
    let kiosk = fixture.north_kiosk.0;
    let (_, kiosk_page) = page(&client, manager, &format!("/dashboard/kiosks/{kiosk}")).await;
    let csrf = crate::common::csrf_of(&kiosk_page);
    let hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";
    let answer = post(
        &client,
        manager.url(&format!("/dashboard/kiosks/{kiosk}/actions")),
        "application/x-www-form-urlencoded",
        form(&[("csrf", &csrf), ("action", "message"), ("text", hostile)]),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(!answer.body.contains("<script>alert"), "{}", answer.body);
    assert!(!answer.body.contains("<img src=x"), "{}", answer.body);
    assert!(answer.body.contains("&lt;script&gt;"), "{}", answer.body);
}

#[tokio::test]
async fn hostile_logins_are_refused_without_a_server_error() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    let client = crate::common::browser();
    let (_, login_page) = page(&client, manager, "/dashboard/login").await;
    let csrf = crate::common::csrf_of(&login_page);
    let login = manager.url("/dashboard/login");
    let huge = "p".repeat(100_000);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "a 100 KB password",
            form(&[("csrf", &csrf), ("name", "admin"), ("password", &huge)]),
        ),
        (
            "a 100 KB name",
            form(&[("csrf", &csrf), ("name", &huge), ("password", "x")]),
        ),
        (
            "SQL in the name",
            form(&[
                ("csrf", &csrf),
                ("name", "admin' OR '1'='1"),
                ("password", "' OR 1=1 --"),
            ]),
        ),
        ("no fields at all", form(&[("csrf", &csrf)])),
        (
            "invalid UTF-8",
            [
                form(&[("csrf", &csrf), ("password", "x")]),
                b"&name=%C3%28".to_vec(),
            ]
            .concat(),
        ),
    ];
    for (name, body) in cases {
        let answer = post(
            &client,
            login.clone(),
            "application/x-www-form-urlencoded",
            body,
        )
        .await;
        assert!(
            answer.status.is_client_error() && !answer.body.trim().is_empty(),
            "{name}: {} {:.200}",
            answer.status,
            answer.body
        );
    }
    // None of them signed anyone in.
    let (status, _) = page(&client, manager, "/dashboard").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}
