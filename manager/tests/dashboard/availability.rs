//! Opening hours (API, CLI) and kiosk availability and occupancy in the
//! reach report, on a fixed day driven by a manual clock.

use jiff::{SignedDuration, Timestamp};
use plaza_api::events::{Event, EventPayload, SessionEnded, SessionStarted};
use plaza_api::heartbeat::KioskState;
use plaza_api::reports::{ReachReport, Share};
use plaza_api::session::{EndReason, Language};
use plaza_api::staff::Role;
use plaza_manager::auth::{API_TOKEN_PREFIX, hash_secret, new_secret};
use plaza_manager::testing::TestManager;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::common::{NORTH, SOUTH, add_user, heartbeat, page, send_heartbeat, signed_in};

const NORTH_PATH: &str = "/api/v1/centres/Biblioteca%20Norte/hours";
const DAY: &str = "from=2026-03-02&to=2026-03-02";

async fn put_hours(manager: &TestManager, token: &str, hours: &str) -> reqwest::Response {
    manager
        .client
        .put(manager.url(NORTH_PATH))
        .bearer_auth(token)
        .json(&json!({ "hours": hours }))
        .send()
        .await
        .expect("put hours")
}

async fn beat(manager: &TestManager, kiosk: &(Uuid, String)) {
    let mut request = heartbeat(KioskState::Idle);
    // The kiosk's clock agrees with the manager's (no skew correction).
    request.sent_at = manager.now();
    send_heartbeat(manager, kiosk, &request).await;
}

fn session_events(start: Timestamp, minutes: i64) -> Vec<Event> {
    let session_id = Uuid::now_v7();
    vec![
        Event {
            id: Uuid::now_v7(),
            at: start,
            session_id,
            payload: EventPayload::SessionStarted(SessionStarted {
                allotment_s: 1800,
                language: Language::Es,
                large_text: false,
                high_contrast: false,
            }),
        },
        Event {
            id: Uuid::now_v7(),
            at: start + SignedDuration::from_mins(minutes),
            session_id,
            payload: EventPayload::SessionEnded(SessionEnded {
                reason: EndReason::Logout,
            }),
        },
    ]
}

#[tokio::test]
async fn availability_and_occupancy_follow_opening_hours_heartbeats_and_sessions() {
    let early: Timestamp = "2026-03-02T08:30:00Z".parse().expect("time");
    let manager = TestManager::start_with(
        |settings| settings.kiosks.heartbeat_interval_s = 300,
        plaza_manager::Clock::manual(early),
    )
    .await;
    manager.add_centre(NORTH, &["Centro"]).await;
    manager.add_centre(SOUTH, &["Puerto"]).await;
    let north = manager.enrol_kiosk(NORTH, "norte-01").await;
    let north = (north.kiosk_id, north.token);
    manager.enrol_kiosk(SOUTH, "sur-01").await;
    add_user(&manager, "sol", Role::Supervisor, &[SOUTH]).await;
    add_user(&manager, "ana", Role::Analyst, &[]).await;
    let admin = manager.staff_token(Role::Admin).await;

    // Opening hours: validated, scoped, and the default until set.
    let sol = new_secret(API_TOKEN_PREFIX).expect("secret");
    manager
        .state
        .storage
        .create_user_api_token("sol".to_owned(), hash_secret(&sol), manager.now())
        .await
        .expect("token");
    assert_eq!(
        put_hours(&manager, &sol, "Mon 09:00-13:00").await.status(),
        StatusCode::FORBIDDEN
    );
    let bad = put_hours(&manager, &admin, "Mon 13:00-09:00").await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let before: Value = manager
        .client
        .get(manager.url(NORTH_PATH))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("get hours")
        .json()
        .await
        .expect("json");
    assert_eq!(before["default"], true, "{before}");
    assert_eq!(before["hours"], "Mon-Fri 09:00-20:00; Sat 10:00-14:00");
    let set = put_hours(&manager, &admin, "mon 09:00-13:00").await;
    assert_eq!(set.status(), StatusCode::OK);
    let set: Value = set.json().await.expect("json");
    assert_eq!(set["hours"], "Mon 09:00-13:00", "{set}");
    assert_eq!(set["default"], false);

    // Online at 08:30 (before opening), then from 09:00 to 11:00: two of
    // the four opening hours. Five 12-minute sessions fill one of them.
    beat(&manager, &north).await;
    manager.state.clock.advance(SignedDuration::from_mins(30));
    for _ in 0..=24 {
        beat(&manager, &north).await;
        manager.state.clock.advance(SignedDuration::from_mins(5));
    }
    let mut events = Vec::new();
    for index in 0..5 {
        let start: Timestamp = "2026-03-02T09:30:00Z".parse().expect("time");
        events.extend(session_events(
            start + SignedDuration::from_mins(12 * index),
            12,
        ));
    }
    let response = manager
        .client
        .post(manager.url("/api/v1/events"))
        .bearer_auth(&north.1)
        .json(&json!({ "events": events }))
        .send()
        .await
        .expect("events");
    assert_eq!(response.status(), StatusCode::OK);

    let analyst = manager.staff_token(Role::Analyst).await;
    let report: ReachReport = manager
        .client
        .get(manager.url(&format!("/api/v1/reports/reach?{DAY}")))
        .bearer_auth(&analyst)
        .send()
        .await
        .expect("report")
        .json()
        .await
        .expect("json");
    assert_eq!(report.kiosks.len(), 2, "{:?}", report.kiosks);
    let norte = &report.kiosks[0];
    assert_eq!(
        (norte.centre.as_str(), norte.kiosk.as_str()),
        (NORTH, "norte-01")
    );
    assert!((norte.open_hours - 4.0).abs() < f64::EPSILON);
    assert_eq!(norte.availability, Share::Percent(50.0));
    assert_eq!(norte.occupancy, Share::Percent(50.0));
    // The default hours (Monday 09:00-20:00), and never a heartbeat.
    let sur = &report.kiosks[1];
    assert!((sur.open_hours - 11.0).abs() < f64::EPSILON);
    assert_eq!(sur.availability, Share::Percent(0.0));
    assert_eq!(sur.occupancy, Share::Withheld("never online".to_owned()));

    let csv = manager
        .client
        .get(manager.url(&format!("/api/v1/reports/reach?{DAY}&format=csv")))
        .bearer_auth(&analyst)
        .send()
        .await
        .expect("csv")
        .text()
        .await
        .expect("csv text");
    assert!(
        csv.contains("kiosk_availability_percent,Biblioteca Norte / norte-01,50\n"),
        "{csv}"
    );
    assert!(
        csv.contains("kiosk_occupancy_percent,Centro Cívico Sur / sur-01,never online\n"),
        "{csv}"
    );
    let browser = signed_in(&manager, "ana").await;
    let (status, html) = page(&browser, &manager, &format!("/dashboard/reports?{DAY}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("data-availability=\"norte-01\">50 %<"),
        "{html}"
    );
    assert!(
        html.contains("data-occupancy=\"sur-01\">never online<"),
        "{html}"
    );

    // The CLI reads and sets the same hours, and reports the same figures.
    let cli = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_plaza-manager"))
            .arg("--data-dir")
            .arg(manager.folder.path())
            .args(args)
            .output()
            .expect("run the CLI");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let reported = cli(&[
        "report",
        "reach",
        "--from",
        "2026-03-02",
        "--to",
        "2026-03-02",
        "--format",
        "csv",
    ]);
    assert_eq!(reported, csv);
    assert!(cli(&["centre", "hours", NORTH]).contains("Mon 09:00-13:00"));
    assert!(cli(&["centre", "hours", SOUTH]).contains("(the default"));
    let changed = cli(&["centre", "hours", SOUTH, "--set", "Mon-Sat 10:00-14:00"]);
    assert!(changed.contains("Mon-Sat 10:00-14:00"), "{changed}");
}
