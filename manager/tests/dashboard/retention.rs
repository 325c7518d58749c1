//! Retention (issue #14 point 3): housekeeping removes the raw rows past
//! `retention.raw_days`, and a report over that old period keeps its figures.

use jiff::{SignedDuration, Timestamp};
use plaza_api::reports::{Cell, ReachReport};
use plaza_api::staff::Role;
use plaza_manager::testing::TestManager;

use crate::common::NORTH;
use crate::reports::{citizen_logs_in, load};

fn count(manager: &TestManager, sql: &str) -> i64 {
    let connection = rusqlite::Connection::open_with_flags(
        manager.state.settings.database_path(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .expect("open the database");
    connection
        .query_row(sql, [], |row| row.get(0))
        .unwrap_or_else(|error| panic!("{sql}: {error}"))
}

async fn report(manager: &TestManager, token: &str) -> ReachReport {
    manager
        .client
        .get(manager.url("/api/v1/reports/reach?from=2026-03-02&to=2026-03-15"))
        .bearer_auth(token)
        .send()
        .await
        .expect("report")
        .json()
        .await
        .expect("json")
}

#[tokio::test]
async fn raw_rows_go_after_retention_and_old_reports_keep_their_figures() {
    // After the last visit, so no event is from the manager's future.
    let wednesday: Timestamp = "2026-03-11T12:00:00Z".parse().expect("time");
    let manager = TestManager::start_with(|_| {}, plaza_manager::Clock::manual(wednesday)).await;
    manager.add_centre(NORTH, &["Centro", "La Loma"]).await;
    let kiosk = manager.enrol_kiosk(NORTH, "norte-01").await.token;
    load(&manager, &kiosk).await;
    for index in 0..6 {
        citizen_logs_in(&manager, &kiosk, &format!("vecina{index}"), true).await;
    }
    manager.state.clock.advance(SignedDuration::from_hours(26));
    citizen_logs_in(&manager, &kiosk, "vecina0", false).await;
    // Four months on: March is past the default 90 days.
    manager
        .state
        .clock
        .advance(SignedDuration::from_hours(24 * 120));
    let analyst = manager.staff_token(Role::Analyst).await;
    let before = report(&manager, &analyst).await;
    assert_eq!(before.totals.sessions, Cell::Count(13));
    assert_eq!(before.totals.citizen_accounts, Cell::Count(6));
    assert!(count(&manager, "SELECT count(*) FROM events") > 0);
    assert!(
        count(
            &manager,
            "SELECT count(*) FROM sessions WHERE gender IS NOT NULL"
        ) > 0
    );

    plaza_manager::housekeeping::apply_retention(&manager.state).await;

    assert_eq!(count(&manager, "SELECT count(*) FROM events"), 0);
    assert_eq!(count(&manager, "SELECT count(*) FROM session_sections"), 0);
    assert_eq!(
        count(
            &manager,
            "SELECT count(*) FROM sessions WHERE age_band IS NOT NULL OR gender IS NOT NULL
             OR neighbourhood IS NOT NULL OR first_time_internet IS NOT NULL"
        ),
        0,
        "per-session survey answers are gone"
    );
    // Seven logins became one row per citizen and week, with no kiosk or time.
    assert_eq!(count(&manager, "SELECT count(*) FROM citizen_logins"), 6);
    assert_eq!(
        count(
            &manager,
            "SELECT count(*) FROM citizen_logins
             WHERE kiosk_id != zeroblob(16) OR at != 1773014400000"
        ),
        0,
        "only 'this week, this centre' is left (Monday 2026-03-09)"
    );
    let after = report(&manager, &analyst).await;
    assert_eq!(after, before, "the same figures from the rollups");
    // A second pass finds nothing more to do and changes nothing.
    plaza_manager::housekeeping::apply_retention(&manager.state).await;
    assert_eq!(report(&manager, &analyst).await, before);
}
