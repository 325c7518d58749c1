//! The differencing attack on reach reports (issue #14 point 4): two
//! overlapping ranges, subtracted, must not reveal a suppressed group.

use jiff::Timestamp;
use plaza_api::events::{Event, EventPayload, SessionEnded, SessionStarted};
use plaza_api::reports::{Cell, ReachReport};
use plaza_api::session::{EndReason, Gender, Language, SurveyAnswers};
use plaza_api::staff::Role;
use plaza_manager::testing::TestManager;
use reqwest::StatusCode;
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

/// Week of Monday 2026-03-02: 6 men and 10 women. Tuesday 2026-03-10: 2 men
/// (a group below k = 5) and 8 women.
async fn load(manager: &TestManager, token: &str) {
    let mut events = Vec::new();
    let days = [
        ("2026-03-03T10:00:00Z", 6, 10),
        ("2026-03-10T10:00:00Z", 2, 8),
    ];
    for (at, men, women) in days {
        let start: Timestamp = at.parse().expect("time");
        for index in 0..men + women {
            let session = Uuid::now_v7();
            let gender = if index < men {
                Gender::Man
            } else {
                Gender::Woman
            };
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
            events.push(event(
                session,
                start + jiff::SignedDuration::from_secs(20),
                EventPayload::SurveyAnswered(SurveyAnswers {
                    age_band: None,
                    gender: Some(gender),
                    first_time_internet: None,
                    neighbourhood: None,
                }),
            ));
            events.push(event(
                session,
                start + jiff::SignedDuration::from_mins(20),
                EventPayload::SessionEnded(SessionEnded {
                    reason: EndReason::Logout,
                }),
            ));
        }
    }
    let response = manager
        .client
        .post(manager.url("/api/v1/events"))
        .bearer_auth(token)
        .json(&serde_json::json!({ "events": events }))
        .send()
        .await
        .expect("events");
    assert_eq!(response.status(), StatusCode::OK);
}

async fn men(manager: &TestManager, token: &str, from: &str, to: &str) -> (ReachReport, Cell) {
    let response = manager
        .client
        .get(manager.url(&format!("/api/v1/reports/reach?from={from}&to={to}")))
        .bearer_auth(token)
        .send()
        .await
        .expect("report");
    assert_eq!(response.status(), StatusCode::OK);
    let report: ReachReport = response.json().await.expect("json");
    let cell = report
        .by_gender
        .iter()
        .find(|group| group.key == "man")
        .expect("men")
        .sessions
        .clone();
    (report, cell)
}

#[tokio::test]
async fn subtracting_overlapping_reports_does_not_reveal_a_small_group() {
    let fixture = fixture().await;
    let manager = &fixture.manager;
    load(manager, &fixture.north_kiosk.1).await;
    let analyst = manager.staff_token(Role::Analyst).await;

    // The secret: 2 men on 2026-03-10, hidden in that day's report.
    let (day, cell) = men(manager, &analyst, "2026-03-10", "2026-03-10").await;
    assert!(matches!(cell, Cell::Suppressed(_)), "{cell:?}");
    assert_eq!(
        (day.from.as_str(), day.to.as_str()),
        ("2026-03-09", "2026-03-15")
    );
    assert_eq!(
        (day.requested_from.as_str(), day.requested_to.as_str()),
        ("2026-03-10", "2026-03-10")
    );
    assert!(
        day.notes[0].contains("widened to whole weeks"),
        "{:?}",
        day.notes
    );

    // The attack: every pair of these ranges, subtracted.
    let ranges = [
        ("2026-03-02", "2026-03-09"),
        ("2026-03-02", "2026-03-10"),
        ("2026-03-01", "2026-03-11"),
        ("2026-03-02", "2026-03-08"),
        ("2026-03-02", "2026-03-15"),
        ("2026-03-09", "2026-03-15"),
        ("2026-02-23", "2026-03-22"),
    ];
    let mut shown = Vec::new();
    for (from, to) in ranges {
        let (_, cell) = men(manager, &analyst, from, to).await;
        if let Cell::Count(count) = cell {
            shown.push(((from, to), count));
        }
    }
    assert!(
        shown.iter().any(|(_, count)| *count == 6),
        "the week without small groups is still published: {shown:?}"
    );
    for (left, a) in &shown {
        for (right, b) in &shown {
            let difference = a.abs_diff(*b);
            assert!(
                difference == 0 || difference >= 5,
                "{left:?} minus {right:?} reveals a group of {difference}"
            );
        }
    }
}
