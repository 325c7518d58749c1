//! Cheap requests stay cheap, and guessing is slowed (#14 points 5 and 7).

use jiff::{SignedDuration, Timestamp};
use plaza_api::events::{EventBatchResponse, EventPayload};
use plaza_api::session::SurveyAnswers;
use plaza_manager::Clock;
use plaza_manager::testing::TestManager;
use serde_json::json;
use uuid::Uuid;

use crate::common::{CENTRE, batch, event, manager_with_kiosk, post_events, started};

async fn metric(manager: &TestManager, name: &str) -> u64 {
    let text = manager
        .client
        .get(manager.url("/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    text.lines()
        .find_map(|line| line.strip_prefix(&format!("{name} ")))
        .unwrap_or_else(|| panic!("{name} in {text}"))
        .parse()
        .expect("number")
}

#[tokio::test]
async fn readyz_writes_at_most_once_a_second_and_metrics_scan_rarely() {
    let manager = TestManager::start_with(|_| {}, Clock::manual(Timestamp::now())).await;
    for _ in 0..20 {
        let ready = manager
            .client
            .get(manager.url("/readyz"))
            .send()
            .await
            .expect("readyz");
        assert_eq!(ready.status(), 200);
    }
    assert_eq!(metric(&manager, "plaza_ready_writes_total").await, 1);
    manager.state.clock.advance(SignedDuration::from_secs(1));
    manager
        .client
        .get(manager.url("/readyz"))
        .send()
        .await
        .expect("readyz");
    assert_eq!(metric(&manager, "plaza_ready_writes_total").await, 2);

    // Every scrape above was one /metrics call; they scanned the kiosks once.
    for _ in 0..10 {
        metric(&manager, "plaza_kiosks_enrolled").await;
    }
    assert_eq!(metric(&manager, "plaza_kiosk_scans_total").await, 1);
    manager.state.clock.advance(SignedDuration::from_secs(10));
    assert_eq!(metric(&manager, "plaza_kiosk_scans_total").await, 2);
}

#[tokio::test]
async fn enrolment_codes_are_limited_per_address() {
    let manager = TestManager::start_with(
        |settings| settings.limits.enrolment_attempts_per_address_per_minute = 2,
        Clock::manual(Timestamp::now()),
    )
    .await;
    manager.add_centre(CENTRE, &["Centro"]).await;
    let attempt = || async {
        manager
            .client
            .post(manager.url("/api/v1/kiosks/enroll"))
            .json(&json!({ "code": "AAAA-BBBB-CCCC", "hostname": "pc-99" }))
            .send()
            .await
            .expect("enrol")
    };
    assert_eq!(attempt().await.status(), 401);
    assert_eq!(attempt().await.status(), 401);
    let throttled = attempt().await;
    assert_eq!(throttled.status(), 429);
    assert!(throttled.headers().contains_key("retry-after"));
    manager.state.clock.advance(SignedDuration::from_secs(30));
    assert_eq!(attempt().await.status(), 401, "refilled after 30 s");
}

/// Only refused codes count: an installer enrolling a room of kiosks from
/// one address in a minute is never throttled (a fleet's tests did exactly
/// that and got 429 before).
#[tokio::test]
async fn enrolling_many_kiosks_from_one_address_is_not_throttled() {
    let manager = TestManager::start_with(
        |settings| {
            settings.limits.enrolment_attempts_per_address_per_minute = 2;
            settings.limits.enrolment_attempts_per_minute = 2;
        },
        Clock::manual(Timestamp::now()),
    )
    .await;
    manager.add_centre(CENTRE, &["Centro"]).await;
    for index in 0..6 {
        let code = manager.enrolment_code(CENTRE).await;
        let answer = manager
            .client
            .post(manager.url("/api/v1/kiosks/enroll"))
            .json(&json!({ "code": code, "hostname": format!("pc-{index}") }))
            .send()
            .await
            .expect("enrol");
        assert_eq!(answer.status(), 201, "kiosk {index}");
    }
}

#[tokio::test]
async fn a_survey_neighbourhood_must_be_the_centres() {
    let (manager, _, token) = manager_with_kiosk().await;
    let session = Uuid::now_v7();
    let now = Timestamp::now();
    let survey = |neighbourhood: &str| {
        event(
            session,
            now,
            EventPayload::SurveyAnswered(SurveyAnswers {
                age_band: None,
                gender: None,
                first_time_internet: None,
                neighbourhood: Some(neighbourhood.to_owned()),
            }),
        )
    };
    let good = survey("La Loma");
    let bad = survey("Springfield");
    let reply: EventBatchResponse = post_events(
        &manager,
        &token,
        &batch(&[started(session, now), good.clone(), bad.clone()]),
    )
    .await
    .json()
    .await
    .expect("reply");
    assert!(reply.accepted.contains(&good.id));
    assert!(!reply.accepted.contains(&bad.id));
    assert_eq!(reply.rejected.len(), 1);
    assert_eq!(reply.rejected[0].id, Some(bad.id));
}
