//! Issue #15, point 4: the reach report's "internet use by purpose":
//! sessions per purpose from `web_visited` events, suppressed below k like
//! every breakdown, the same from the sessions and from daily rollups.

use jiff::Timestamp;
use plaza_api::events::{Event, EventPayload, SessionEnded, SessionStarted, WebVisited};
use plaza_api::reports::{Cell, ReachReport};
use plaza_api::session::{EndReason, Language};
use plaza_api::staff::Role;
use plaza_api::web::Purpose;
use uuid::Uuid;

use crate::common::fixture;

fn event(session_id: Uuid, at: Timestamp, payload: EventPayload) -> Event {
    Event {
        id: Uuid::now_v7(),
        at,
        session_id,
        payload,
    }
}

#[tokio::test]
async fn internet_use_by_purpose_counts_sessions_and_hides_small_groups() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    let start: Timestamp = "2026-03-02T10:00:00Z".parse().expect("time");
    let mut events = Vec::new();
    for index in 0..8 {
        let session = Uuid::now_v7();
        events.push(event(
            session,
            start,
            EventPayload::SessionStarted(SessionStarted {
                allotment_s: 1800,
                language: Language::Es,
                large_text: false,
                high_contrast: false,
            }),
        ));
        // Two visits for one purpose are one session for it.
        for (purpose, seconds) in [(Purpose::Government, 60), (Purpose::Government, 30)] {
            events.push(event(
                session,
                start + jiff::SignedDuration::from_secs(seconds),
                EventPayload::WebVisited(WebVisited {
                    purpose,
                    seconds: 30,
                }),
            ));
        }
        if index < 2 {
            events.push(event(
                session,
                start + jiff::SignedDuration::from_secs(120),
                EventPayload::WebVisited(WebVisited {
                    purpose: Purpose::Health,
                    seconds: 200,
                }),
            ));
        }
        events.push(event(
            session,
            start + jiff::SignedDuration::from_mins(20),
            EventPayload::SessionEnded(SessionEnded {
                reason: EndReason::Logout,
            }),
        ));
    }
    let response = manager
        .client
        .post(manager.url("/api/v1/events"))
        .bearer_auth(&fixture.north_kiosk.1)
        .json(&serde_json::json!({ "events": events }))
        .send()
        .await
        .expect("events");
    assert_eq!(response.status(), 200);
    let analyst = manager.staff_token(Role::Analyst).await;
    let report = || async {
        manager
            .client
            .get(manager.url("/api/v1/reports/reach?from=2026-03-01&to=2026-03-07"))
            .bearer_auth(&analyst)
            .send()
            .await
            .expect("report")
            .json::<ReachReport>()
            .await
            .expect("json")
    };
    let raw = report().await;
    let cell = |report: &ReachReport, key: &str| {
        report
            .internet_by_purpose
            .iter()
            .find(|group| group.key == key)
            .map(|group| group.sessions.clone())
    };
    assert_eq!(cell(&raw, "government"), Some(Cell::Count(8)), "{raw:?}");
    assert!(
        matches!(cell(&raw, "health"), Some(Cell::Suppressed(_))),
        "{:?}",
        raw.internet_by_purpose
    );
    // Rolled up, the same figures.
    manager
        .state
        .storage
        .roll_up_report_days(manager.now(), 100)
        .await
        .expect("roll up");
    assert_eq!(report().await.internet_by_purpose, raw.internet_by_purpose);
    assert!(manager.take_contract_violations().is_empty());
}
