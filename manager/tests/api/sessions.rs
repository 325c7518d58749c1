//! Sessions derived from events, and closed as lost when their kiosk is silent.

use jiff::{SignedDuration, Timestamp};
use plaza_api::events::{EventPayload, SessionExtended};
use plaza_api::heartbeat::KioskState;
use plaza_api::session::{AgeBand, EndReason, Gender, Language, Section, SurveyAnswers};
use plaza_manager::Clock;
use plaza_manager::housekeeping::close_lost_sessions;
use plaza_manager::testing::TestManager;
use uuid::Uuid;

use crate::common::{
    CENTRE, batch, ended, event, heartbeat, heartbeat_ok, in_session, post_events, section, started,
};

fn survey() -> EventPayload {
    EventPayload::SurveyAnswered(SurveyAnswers {
        age_band: Some(AgeBand::From60To74),
        gender: Some(Gender::PreferNotToSay),
        first_time_internet: Some(true),
        neighbourhood: Some("La Loma".to_owned()),
    })
}

#[tokio::test]
async fn a_session_is_derived_from_its_events_in_any_order() {
    let (manager, kiosk_id, token) = crate::common::manager_with_kiosk().await;
    let start = crate::common::now_ms() - SignedDuration::from_mins(20);
    let in_order = Uuid::now_v7();
    let shuffled = Uuid::now_v7();
    for (session, reverse) in [(in_order, false), (shuffled, true)] {
        let mut events = vec![
            started(session, start),
            event(session, start + SignedDuration::from_secs(20), survey()),
            section(
                session,
                start + SignedDuration::from_mins(1),
                Section::Procedures,
            ),
            section(
                session,
                start + SignedDuration::from_mins(5),
                Section::Forums,
            ),
            event(
                session,
                start + SignedDuration::from_mins(9),
                EventPayload::SessionExtended(SessionExtended { by_s: 600 }),
            ),
            ended(
                session,
                start + SignedDuration::from_mins(12),
                EndReason::Logout,
            ),
        ];
        if reverse {
            events.reverse();
            // Delivered one by one, end first.
            for single in &events {
                post_events(&manager, &token, &batch(std::slice::from_ref(single))).await;
            }
        } else {
            post_events(&manager, &token, &batch(&events)).await;
        }
    }
    let expected = manager
        .state
        .storage
        .session(in_order)
        .await
        .expect("session");
    let actual = manager
        .state
        .storage
        .session(shuffled)
        .await
        .expect("session");
    assert_eq!(expected.kiosk_id, kiosk_id);
    assert_eq!(expected.started_at, start);
    assert_eq!(expected.end_reason, Some(EndReason::Logout));
    assert_eq!(expected.duration_s, 12 * 60);
    assert_eq!(expected.language, Some(Language::Es));
    assert_eq!(expected.sections, [Section::Forums, Section::Procedures]);
    let storage = &manager.state.storage;
    let expected_survey = storage.session_survey(in_order).await.expect("survey");
    assert_eq!(expected_survey.age_band, Some(AgeBand::From60To74));
    assert_eq!(expected_survey.first_time_internet, Some(true));
    assert_eq!(
        (
            actual.started_at,
            actual.ended_at,
            actual.end_reason,
            actual.sections,
            storage.session_survey(shuffled).await.expect("survey")
        ),
        (
            expected.started_at,
            expected.ended_at,
            expected.end_reason,
            expected.sections,
            expected_survey
        ),
    );
}

#[tokio::test]
async fn a_silent_kiosks_session_is_closed_as_lost_at_its_last_activity() {
    let clock = Clock::manual(crate::common::now_ms());
    let manager = TestManager::start_with(|_| {}, clock.clone()).await;
    manager.add_centre(CENTRE, &[]).await;
    let kiosk = manager.enrol_kiosk(CENTRE, "pc-01").await;
    let session = Uuid::now_v7();
    let start = clock.now();
    post_events(&manager, &kiosk.token, &batch(&[started(session, start)])).await;
    clock.advance(SignedDuration::from_mins(4));
    let mut beat = in_session(session, start);
    beat.sent_at = clock.now();
    heartbeat_ok(&manager, kiosk.kiosk_id, &kiosk.token, &beat).await;
    let last_activity = clock.now();

    clock.advance(SignedDuration::from_secs(29));
    close_lost_sessions(&manager.state).await;
    let still_open = manager
        .state
        .storage
        .session(session)
        .await
        .expect("session");
    assert_eq!(still_open.ended_at, None, "not silent for 3 intervals yet");

    clock.advance(SignedDuration::from_secs(2));
    close_lost_sessions(&manager.state).await;
    let lost = manager
        .state
        .storage
        .session(session)
        .await
        .expect("session");
    assert_eq!(lost.end_reason, Some(EndReason::Lost));
    assert_eq!(lost.ended_at, Some(last_activity));

    // The kiosk comes back with its outbox: the real end replaces `lost`.
    let real_end = start + SignedDuration::from_mins(6);
    post_events(
        &manager,
        &kiosk.token,
        &batch(&[ended(session, real_end, EndReason::Timeout)]),
    )
    .await;
    let closed = manager
        .state
        .storage
        .session(session)
        .await
        .expect("session");
    assert_eq!(closed.end_reason, Some(EndReason::Timeout));
    assert_eq!(closed.ended_at, Some(real_end));
}

#[tokio::test]
async fn a_session_the_kiosk_has_moved_on_from_with_nothing_to_deliver_is_lost() {
    let clock = Clock::manual(crate::common::now_ms());
    let manager = TestManager::start_with(|_| {}, clock.clone()).await;
    manager.add_centre(CENTRE, &[]).await;
    let kiosk = manager.enrol_kiosk(CENTRE, "pc-01").await;
    let (kiosk_id, token) = (kiosk.kiosk_id, kiosk.token);
    let session = Uuid::now_v7();
    post_events(&manager, &token, &batch(&[started(session, clock.now())])).await;
    clock.advance(SignedDuration::from_secs(1));

    let mut backlog = heartbeat(KioskState::Idle);
    backlog.outbox_len = 3;
    heartbeat_ok(&manager, kiosk_id, &token, &backlog).await;
    close_lost_sessions(&manager.state).await;
    assert_eq!(
        manager
            .state
            .storage
            .session(session)
            .await
            .expect("session")
            .ended_at,
        None,
        "its end may still be in the outbox"
    );

    heartbeat_ok(&manager, kiosk_id, &token, &heartbeat(KioskState::Idle)).await;
    close_lost_sessions(&manager.state).await;
    let lost = manager
        .state
        .storage
        .session(session)
        .await
        .expect("session");
    assert_eq!(lost.end_reason, Some(EndReason::Lost));
}

#[tokio::test]
async fn recent_sessions_appear_in_the_kiosk_detail() {
    let (manager, kiosk_id, token) = crate::common::manager_with_kiosk().await;
    let session = Uuid::now_v7();
    let now = Timestamp::now();
    post_events(
        &manager,
        &token,
        &batch(&[started(session, now), ended(session, now, EndReason::Idle)]),
    )
    .await;
    let admin = manager.staff_token(plaza_api::staff::Role::Admin).await;
    let detail: plaza_api::kiosks::KioskDetail = manager
        .client
        .get(manager.url(&format!("/api/v1/kiosks/{kiosk_id}")))
        .bearer_auth(admin)
        .send()
        .await
        .expect("detail")
        .json()
        .await
        .expect("detail body");
    assert_eq!(detail.recent_sessions.len(), 1);
    assert_eq!(detail.recent_sessions[0].id, session);
    assert_eq!(detail.recent_sessions[0].end_reason, Some(EndReason::Idle));
}

/// Issue #14, point 2: survey answers are for aggregates only. A supervisor
/// in the room must not read a session's age band, gender, first time and
/// neighbourhood next to its exact times.
#[tokio::test]
async fn the_kiosk_detail_shows_no_survey_answers_of_any_session() {
    let (manager, kiosk_id, token) = crate::common::manager_with_kiosk().await;
    let session = Uuid::now_v7();
    let now = crate::common::now_ms();
    post_events(
        &manager,
        &token,
        &batch(&[
            started(session, now),
            event(session, now + SignedDuration::from_secs(5), survey()),
            ended(
                session,
                now + SignedDuration::from_mins(3),
                EndReason::Logout,
            ),
        ]),
    )
    .await;
    let stored = manager
        .state
        .storage
        .session_survey(session)
        .await
        .expect("survey");
    assert_eq!(
        stored.neighbourhood.as_deref(),
        Some("La Loma"),
        "the survey was stored"
    );
    let admin = manager.staff_token(plaza_api::staff::Role::Admin).await;
    let detail: serde_json::Value = manager
        .client
        .get(manager.url(&format!("/api/v1/kiosks/{kiosk_id}")))
        .bearer_auth(admin)
        .send()
        .await
        .expect("detail")
        .json()
        .await
        .expect("detail body");
    let sessions = detail["recent_sessions"]
        .as_array()
        .expect("recent sessions");
    assert_eq!(sessions.len(), 1);
    let shown = sessions[0].as_object().expect("a session object");
    assert_eq!(shown["id"], session.to_string());
    for field in [
        "survey",
        "age_band",
        "gender",
        "first_time_internet",
        "neighbourhood",
    ] {
        assert!(!shown.contains_key(field), "`{field}` in {shown:?}");
    }
    let text = detail.to_string();
    for answer in ["La Loma", "60_74", "prefer_not_to_say"] {
        assert!(!text.contains(answer), "`{answer}` in {text}");
    }
}
