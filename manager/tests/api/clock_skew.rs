//! Kiosks whose clocks are hours off: their events are accepted and placed
//! on the manager's clock, their live session shows the real time left, and
//! the skew is reported to supervisors.

use jiff::{SignedDuration, Timestamp};
use plaza_api::kiosks::KioskDetail;
use plaza_api::session::{EndReason, Section};
use plaza_api::staff::Role;
use plaza_manager::Clock;
use plaza_manager::testing::TestManager;

use crate::common::{
    CENTRE, batch, ended, heartbeat_ok, in_session, post_events, section, started,
};

async fn detail(manager: &TestManager, admin: &str, kiosk_id: uuid::Uuid) -> KioskDetail {
    manager
        .client
        .get(manager.url(&format!("/api/v1/kiosks/{kiosk_id}")))
        .bearer_auth(admin)
        .send()
        .await
        .expect("kiosk request")
        .json()
        .await
        .expect("kiosk detail")
}

#[tokio::test]
async fn events_of_kiosks_hours_off_land_on_the_managers_clock() {
    let now = Timestamp::from_second(1_795_000_000).expect("timestamp");
    let manager = TestManager::start_with(|_| {}, Clock::manual(now)).await;
    manager.add_centre(CENTRE, &["Centro"]).await;
    let admin = manager.staff_token(Role::Admin).await;

    for (hostname, skew_h) in [("pc-ahead", 5_i64), ("pc-behind", -7)] {
        let kiosk = manager.enrol_kiosk(CENTRE, hostname).await;
        let skew = SignedDuration::from_hours(skew_h);
        let kiosk_now = now + skew;
        let session_id = uuid::Uuid::now_v7();
        let session_start = kiosk_now - SignedDuration::from_mins(10);

        let mut beat = in_session(session_id, session_start);
        beat.sent_at = kiosk_now;
        heartbeat_ok(&manager, kiosk.kiosk_id, &kiosk.token, &beat).await;
        let events = [
            started(session_id, session_start),
            section(
                session_id,
                session_start + SignedDuration::from_mins(1),
                Section::Tenders,
            ),
            ended(session_id, kiosk_now, EndReason::Logout),
        ];
        let response = post_events(&manager, &kiosk.token, &batch(&events)).await;
        assert_eq!(response.status(), 200, "{hostname}: accepted");

        let shown = detail(&manager, &admin, kiosk.kiosk_id).await;
        assert_eq!(
            shown.kiosk.clock_skew_s,
            Some(skew_h * 3600),
            "{hostname}: skew reported"
        );
        let session = shown.recent_sessions.first().expect("the session");
        assert_eq!(
            session.started_at,
            now - SignedDuration::from_mins(10),
            "{hostname}: started on the manager's clock"
        );
        assert_eq!(
            session.ended_at,
            Some(now),
            "{hostname}: ended on the manager's clock"
        );
        assert_eq!(session.duration_s, 600, "{hostname}: duration unaffected");
    }
}

#[tokio::test]
async fn the_live_session_of_a_skewed_kiosk_shows_the_real_time_left() {
    let now = Timestamp::from_second(1_795_000_000).expect("timestamp");
    let manager = TestManager::start_with(|_| {}, Clock::manual(now)).await;
    manager.add_centre(CENTRE, &["Centro"]).await;
    let admin = manager.staff_token(Role::Admin).await;
    let kiosk = manager.enrol_kiosk(CENTRE, "pc-ahead").await;

    let kiosk_now = now + SignedDuration::from_hours(3);
    // Started 10 minutes ago with a 30-minute allotment: 20 minutes left.
    let mut beat = in_session(
        uuid::Uuid::now_v7(),
        kiosk_now - SignedDuration::from_mins(10),
    );
    beat.sent_at = kiosk_now;
    heartbeat_ok(&manager, kiosk.kiosk_id, &kiosk.token, &beat).await;

    let live = detail(&manager, &admin, kiosk.kiosk_id)
        .await
        .kiosk
        .session
        .expect("a live session");
    assert_eq!(live.time_left_s, 20 * 60);
    assert_eq!(live.started_at, now - SignedDuration::from_mins(10));
}
